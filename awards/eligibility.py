"""Which award a unit may be proposed for, and why. Pure: plain dataclasses in, verdicts out; no
Django, no clock (the caller passes the year and the date whose rules apply).

Every rule gives a reason, met or not, with its legal citation. A rule that needs a figure the
unit has not reported says "not enough data" (``Status.UNKNOWN``): it never guesses. Verdicts
combine the required rules with three-valued logic: any rule not met → not eligible; otherwise
any unknown → not enough data; otherwise eligible. Rules sharing an alternative group are
alternatives: one met suffices. Priority rules (the ≥ 70 % women preference of Nghị định
152/2025/NĐ-CP, Điều 4) are reported but never decide eligibility. Quota rules are checked on a
selection of units (``check_selection``), never on one unit.

A unit's verdict reads only that unit's facts, ranking position, registry history and veto
conditions: what another unit reports cannot change it, and the order of the inputs does not
matter (both are property-tested).

Messages are Vietnamese ``str.format`` templates; the Django side translates them
(``awards.selectors.reason_text``), and ``Reason.text`` gives the Vietnamese directly.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction


def _(message: str) -> str:
    """Marks a message for the catalogue (makemessages reads ``_``); translated by the caller."""
    return message


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    SELECTION = "selection"  # checked on the province-wide selection, not on one unit


class Kind(StrEnum):
    LEADS_BLOC = "leads_bloc"
    RANK_AT_MOST = "rank_at_most"
    HELD_AWARD = "held_award"
    NO_VETO = "no_veto"
    WOMEN_SHARE = "women_share"
    ADVANCED_SHARE = "advanced_share"
    EMULATION_FIGHTERS = "emulation_fighters"
    NO_DISCIPLINE = "no_discipline"
    ALL_COMPLETED = "all_completed"
    QUOTA_SHARE = "quota_share"


class Effect(StrEnum):
    REQUIRED = "required"
    PRIORITY = "priority"


class Audience(StrEnum):
    ALL = "all"
    CIVIL = "civil"
    ARMED_FORCES = "armed_forces"


ROUNDINGS = {"floor": ROUND_FLOOR, "half_up": ROUND_HALF_UP, "ceil": ROUND_CEILING}
QUOTA_BASES = ("bloc_leaders",)


# Inputs -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFacts:
    """A unit's figures for the year (blank = not reported)."""

    unit_id: int
    headcount: int | None = None
    women: int | None = None
    completed_tasks: int | None = None
    advanced_workers: int | None = None
    emulation_fighters: int | None = None
    disciplined_warning_or_above: int | None = None
    armed_forces: bool | None = False


@dataclass(frozen=True)
class RankingPosition:
    """A unit's place in the bloc's ranking; ``rank`` None: removed from it (vetoed)."""

    unit_id: int
    rank: int | None
    shared: bool = False
    total: Decimal | None = None
    vetoed: bool = False
    veto_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class AwardHeld:
    unit_id: int
    year: int
    award_code: str


@dataclass(frozen=True)
class VetoFact:
    unit_id: int
    label: str
    description: str
    source: str


@dataclass(frozen=True)
class AwardSpec:
    code: str
    name: str
    audience: str = Audience.ALL
    legal_citation: str = ""


@dataclass(frozen=True)
class RuleSpec:
    id: int
    award_code: str
    kind: str
    citation: str
    params: Mapping = field(default_factory=dict)
    effect: str = Effect.REQUIRED
    group: str = ""
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    order: int = 0


# Outputs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    status: Status
    message: str
    values: Mapping = field(default_factory=dict)
    citation: str = ""
    rule_id: int | None = None
    kind: str = ""
    effect: str = Effect.REQUIRED
    group: str = ""

    @property
    def text(self) -> str:
        return self.message.format(**self.values)


@dataclass(frozen=True)
class Verdict:
    unit_id: int
    award_code: str
    status: Status
    reasons: tuple[Reason, ...]

    @property
    def eligible(self) -> bool:
        return self.status == Status.MET


# Rules in force -----------------------------------------------------------------------------------


def in_force(effective_from: dt.date | None, effective_to: dt.date | None, on: dt.date) -> bool:
    """Open-ended on either side when blank; both ends included."""
    return (effective_from is None or effective_from <= on) and (
        effective_to is None or on <= effective_to
    )


def rules_in_force(rules: Iterable[RuleSpec], on: dt.date) -> list[RuleSpec]:
    return sorted(
        (r for r in rules if in_force(r.effective_from, r.effective_to, on)),
        key=lambda r: (r.award_code, r.order, r.id),
    )


# Parameters ---------------------------------------------------------------------------------------


def _percent(raw) -> Decimal | None:
    try:
        value = Decimal(str(raw).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() and 0 < value <= 100 else None


def _int(raw, low: int, high: int) -> int | None:
    if isinstance(raw, bool):
        return None
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def _bool(raw) -> bool:
    return raw is True or str(raw).lower() in ("1", "true", "on", "yes")


def _text_percent(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def clean_params(kind: str, raw: Mapping | None, *, award_codes: Iterable[str] = ()):
    """The parameters of a rule of ``kind``, normalised for storage, and the problems by
    parameter name (messages to translate). Parameters a kind does not use are dropped."""
    raw = dict(raw or {})
    params, errors = {}, {}
    if kind == Kind.RANK_AT_MOST:
        rank = _int(raw.get("rank"), 1, 100)
        if rank is None:
            errors["rank"] = _("Nhập một hạng từ 1 đến 100.")
        params["rank"] = rank
    elif kind == Kind.HELD_AWARD:
        codes = raw.get("award_codes") or []
        if isinstance(codes, str):
            codes = [c.strip() for c in codes.split(",") if c.strip()]
        known = set(award_codes)
        codes = sorted(set(codes))
        if not codes:
            errors["award_codes"] = _("Chọn ít nhất một danh hiệu, hình thức đã được tặng.")
        elif known and not set(codes) <= known:
            errors["award_codes"] = _("Có danh hiệu, hình thức không có trong danh mục.")
        years = _int(raw.get("years"), 1, 10)
        if years is None:
            errors["years"] = _("Nhập số năm liên tục từ 1 đến 10.")
        params.update(
            award_codes=codes,
            years=years,
            include_current_year=_bool(raw.get("include_current_year")),
        )
    elif kind in (Kind.WOMEN_SHARE, Kind.ADVANCED_SHARE):
        percent = _percent(raw.get("percent"))
        if percent is None:
            errors["percent"] = _("Nhập tỷ lệ lớn hơn 0 và không quá 100.")
        params.update(
            percent=_text_percent(percent) if percent is not None else None,
            strict=_bool(raw.get("strict")),
        )
    elif kind == Kind.EMULATION_FIGHTERS:
        at_least = _int(raw.get("at_least", 1), 1, 1000)
        if at_least is None:
            errors["at_least"] = _("Nhập số người từ 1 trở lên.")
        params["at_least"] = at_least
    elif kind == Kind.QUOTA_SHARE:
        percent = _percent(raw.get("percent"))
        if percent is None:
            errors["percent"] = _("Nhập tỷ lệ lớn hơn 0 và không quá 100.")
        base = raw.get("base") or "bloc_leaders"
        if base not in QUOTA_BASES:
            errors["base"] = _("Cơ sở tính tỷ lệ không hợp lệ.")
        rounding = raw.get("rounding") or "floor"
        if rounding not in ROUNDINGS:
            errors["rounding"] = _("Cách làm tròn không hợp lệ.")
        params.update(
            percent=_text_percent(percent) if percent is not None else None,
            base=base,
            rounding=rounding,
        )
    elif kind not in set(Kind):
        errors["kind"] = _("Loại tiêu chuẩn không hợp lệ.")
    return params, errors


# One unit, one award --------------------------------------------------------------------------------


def _share(count: int, headcount: int) -> Decimal:
    return (Decimal(count) * 100 / Decimal(headcount)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _reaches(count: int, headcount: int, percent: Decimal, strict: bool) -> bool:
    share = Fraction(count * 100, headcount)
    return share > Fraction(percent) if strict else share >= Fraction(percent)


_MISSING = {
    "headcount": _("Chưa đủ số liệu: chưa có tổng số người của đơn vị"),
    "women": _("Chưa đủ số liệu: chưa có số nữ"),
    "advanced_workers": _("Chưa đủ số liệu: chưa có số người đạt Lao động tiên tiến"),
    "completed_tasks": _("Chưa đủ số liệu: chưa có số người hoàn thành nhiệm vụ"),
    "emulation_fighters": _("Chưa đủ số liệu: chưa có số người đạt Chiến sĩ thi đua cơ sở"),
    "disciplined_warning_or_above": _(
        "Chưa đủ số liệu: chưa có số người bị kỷ luật từ hình thức cảnh cáo trở lên"
    ),
}
_HEADCOUNT_ZERO = _("Tổng số người bằng 0: không tính được tỷ lệ")

_SHARE_MESSAGES = {
    # (kind, met, strict)
    (Kind.WOMEN_SHARE, True, False): _(
        "Nữ {count}/{headcount} người ({share}%), từ {percent}% trở lên"
    ),
    (Kind.WOMEN_SHARE, True, True): _("Nữ {count}/{headcount} người ({share}%), trên {percent}%"),
    (Kind.WOMEN_SHARE, False, False): _("Nữ {count}/{headcount} người ({share}%), dưới {percent}%"),
    (Kind.WOMEN_SHARE, False, True): _(
        "Nữ {count}/{headcount} người ({share}%), chưa vượt {percent}%"
    ),
    (Kind.ADVANCED_SHARE, True, False): _(
        "Lao động tiên tiến {count}/{headcount} người ({share}%), từ {percent}% trở lên"
    ),
    (Kind.ADVANCED_SHARE, True, True): _(
        "Lao động tiên tiến {count}/{headcount} người ({share}%), trên {percent}%"
    ),
    (Kind.ADVANCED_SHARE, False, False): _(
        "Lao động tiên tiến {count}/{headcount} người ({share}%), cần từ {percent}% trở lên"
    ),
    (Kind.ADVANCED_SHARE, False, True): _(
        "Lao động tiên tiến {count}/{headcount} người ({share}%), cần trên {percent}%"
    ),
}
_SHARE_FIELD = {Kind.WOMEN_SHARE: "women", Kind.ADVANCED_SHARE: "advanced_workers"}


def _missing(facts: UnitFacts, *fields: str):
    for name in ("headcount", *fields):
        if getattr(facts, name) is None:
            return _MISSING[name]
    return None


def _rank_reason(position: RankingPosition | None, ranking_known: bool):
    """For ranking rules: (status, message, values) when the position decides nothing further."""
    if not ranking_known:
        return Status.UNKNOWN, _("Chưa có kết quả xếp hạng của khối"), {}
    if position is None:
        return Status.UNKNOWN, _("Đơn vị không có trong kết quả xếp hạng của khối"), {}
    if position.rank is None:
        if position.veto_reasons:
            return (
                Status.NOT_MET,
                _("Bị loại khỏi xếp hạng: {reasons}"),
                {"reasons": "; ".join(position.veto_reasons)},
            )
        return Status.NOT_MET, _("Bị loại khỏi xếp hạng của khối"), {}
    return None


def _check(
    rule: RuleSpec,
    *,
    facts: UnitFacts,
    year: int,
    position: RankingPosition | None,
    ranking_known: bool,
    held: set[tuple[int, str]],
    vetoes: Sequence[VetoFact],
    award_names: Mapping[str, str],
):
    """(status, message, values) of one rule for one unit."""
    p = rule.params
    kind = rule.kind
    if kind == Kind.LEADS_BLOC:
        early = _rank_reason(position, ranking_known)
        if early:
            return early
        if position.rank == 1 and position.shared:
            return (
                Status.UNKNOWN,
                _("Đồng hạng nhất với đơn vị khác: cần bình xét, bỏ phiếu để chọn đơn vị dẫn đầu"),
                {},
            )
        if position.rank == 1:
            return Status.MET, _("Dẫn đầu khối (xếp hạng 1)"), {}
        return Status.NOT_MET, _("Xếp hạng {rank}, không dẫn đầu khối"), {"rank": position.rank}
    if kind == Kind.RANK_AT_MOST:
        early = _rank_reason(position, ranking_known)
        if early:
            return early
        values = {"rank": position.rank, "n": p["rank"]}
        if position.rank <= p["rank"]:
            message = (
                _("Đồng hạng {rank}, trong {n} hạng đầu của khối")
                if position.shared
                else _("Xếp hạng {rank}, trong {n} hạng đầu của khối")
            )
            return Status.MET, message, values
        return Status.NOT_MET, _("Xếp hạng {rank}, ngoài {n} hạng đầu của khối"), values
    if kind == Kind.HELD_AWARD:
        last = year if p.get("include_current_year") else year - 1
        years = list(range(last - p["years"] + 1, last + 1))
        codes = p["award_codes"]
        missing = [y for y in years if not any((y, code) in held for code in codes)]
        values = {
            "awards": " hoặc ".join(award_names.get(c, c) for c in codes),
            "years": ", ".join(map(str, years)),
            "k": p["years"],
        }
        if not missing:
            return Status.MET, _("Đã được tặng {awards} các năm {years}"), values
        return (
            Status.NOT_MET,
            _("Sổ khen thưởng chưa ghi {awards} năm {missing} (cần {k} năm liên tục: {years})"),
            {**values, "missing": ", ".join(map(str, missing))},
        )
    if kind == Kind.NO_VETO:
        if not vetoes:
            return Status.MET, _("Không có trường hợp chưa xét khen thưởng đang áp dụng"), {}
        details = "; ".join(
            f"{v.label} — {v.description} ({v.source})"
            if v.source
            else f"{v.label} — {v.description}"
            for v in vetoes
        )
        return Status.NOT_MET, _("Chưa xét khen thưởng: {details}"), {"details": details}
    if kind in _SHARE_FIELD:
        count_field = _SHARE_FIELD[kind]
        missing = _missing(facts, count_field)
        if missing:
            return Status.UNKNOWN, missing, {}
        if facts.headcount == 0:
            return Status.UNKNOWN, _HEADCOUNT_ZERO, {}
        count, percent, strict = getattr(facts, count_field), Decimal(p["percent"]), p["strict"]
        met = _reaches(count, facts.headcount, percent, strict)
        values = {
            "count": count,
            "headcount": facts.headcount,
            "share": _share(count, facts.headcount),
            "percent": percent,
        }
        return (Status.MET if met else Status.NOT_MET), _SHARE_MESSAGES[(kind, met, strict)], values
    if kind == Kind.EMULATION_FIGHTERS:
        if facts.emulation_fighters is None:
            return Status.UNKNOWN, _MISSING["emulation_fighters"], {}
        values = {"count": facts.emulation_fighters, "n": p["at_least"]}
        if facts.emulation_fighters >= p["at_least"]:
            return (
                Status.MET,
                _("{count} người đạt Chiến sĩ thi đua cơ sở (cần ít nhất {n})"),
                values,
            )
        return (
            Status.NOT_MET,
            _("{count} người đạt Chiến sĩ thi đua cơ sở, cần ít nhất {n}"),
            values,
        )
    if kind == Kind.NO_DISCIPLINE:
        count = facts.disciplined_warning_or_above
        if count is None:
            return Status.UNKNOWN, _MISSING["disciplined_warning_or_above"], {}
        if count == 0:
            return (
                Status.MET,
                _("Không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên"),
                {},
            )
        return (
            Status.NOT_MET,
            _("{count} người bị kỷ luật từ hình thức cảnh cáo trở lên"),
            {"count": count},
        )
    if kind == Kind.ALL_COMPLETED:
        missing = _missing(facts, "completed_tasks")
        if missing:
            return Status.UNKNOWN, missing, {}
        if facts.headcount == 0:
            return Status.UNKNOWN, _HEADCOUNT_ZERO, {}
        values = {"count": facts.completed_tasks, "headcount": facts.headcount}
        if facts.completed_tasks == facts.headcount:
            return (
                Status.MET,
                # xgettext:no-python-format
                _("100% cá nhân hoàn thành nhiệm vụ ({count}/{headcount} người)"),
                values,
            )
        return (
            Status.NOT_MET,
            _("{count}/{headcount} người hoàn thành nhiệm vụ, cần 100%"),
            values,
        )
    if kind == Kind.QUOTA_SHARE:
        return (
            Status.SELECTION,
            _(
                # xgettext:no-python-format
                "Kiểm tra trên danh sách đề nghị toàn tỉnh: không quá {percent}% số đơn vị dẫn đầu "
                "các khối, cụm thi đua"
            ),
            {"percent": Decimal(p["percent"])},
        )
    raise ValueError(f"Unknown rule kind {kind!r}")


def _audience_reason(award: AwardSpec, facts: UnitFacts) -> Reason | None:
    if award.audience == Audience.ALL:
        return None
    if facts.armed_forces is None:
        status, message = (
            Status.UNKNOWN,
            _("Chưa ghi đơn vị có thuộc lực lượng vũ trang nhân dân hay không"),
        )
    elif award.audience == Audience.ARMED_FORCES:
        status, message = (
            (Status.MET, _("Đơn vị thuộc lực lượng vũ trang nhân dân"))
            if facts.armed_forces
            else (Status.NOT_MET, _("Chỉ xét tặng cho đơn vị thuộc lực lượng vũ trang nhân dân"))
        )
    elif facts.armed_forces:
        status, message = (
            Status.NOT_MET,
            _(
                "Đơn vị thuộc lực lượng vũ trang nhân dân: xét danh hiệu tương ứng "
                "của lực lượng vũ trang"
            ),
        )
    else:
        return None  # a civil award for a civil unit: nothing worth saying
    return Reason(status=status, message=message, citation=award.legal_citation, kind="audience")


def _all(statuses: Iterable[Status]) -> Status:
    statuses = list(statuses)
    if Status.NOT_MET in statuses:
        return Status.NOT_MET
    if Status.UNKNOWN in statuses:
        return Status.UNKNOWN
    return Status.MET


def _any(statuses: Iterable[Status]) -> Status:
    statuses = list(statuses)
    if Status.MET in statuses:
        return Status.MET
    if Status.UNKNOWN in statuses:
        return Status.UNKNOWN
    return Status.NOT_MET


def combine(reasons: Sequence[Reason]) -> Status:
    """The verdict of a list of reasons: required ones decide, alternatives by group."""
    deciding: list[Status] = []
    groups: dict[str, list[Status]] = defaultdict(list)
    for reason in reasons:
        if reason.effect != Effect.REQUIRED or reason.status == Status.SELECTION:
            continue
        if reason.group:
            groups[reason.group].append(reason.status)
        else:
            deciding.append(reason.status)
    deciding.extend(_any(statuses) for _group, statuses in sorted(groups.items()))
    return _all(deciding)


def evaluate_unit(
    *,
    facts: UnitFacts,
    award: AwardSpec,
    rules: Iterable[RuleSpec],
    year: int,
    on: dt.date,
    position: RankingPosition | None = None,
    ranking_known: bool = False,
    history: Iterable[AwardHeld] = (),
    vetoes: Iterable[VetoFact] = (),
    award_names: Mapping[str, str] | None = None,
) -> Verdict:
    """The verdict of one unit for one award under the rules in force on ``on``."""
    applicable = [r for r in rules_in_force(rules, on) if r.award_code == award.code]
    held = {(h.year, h.award_code) for h in history if h.unit_id == facts.unit_id}
    own_vetoes = sorted(
        (v for v in vetoes if v.unit_id == facts.unit_id),
        key=lambda v: (v.label, v.description, v.source),
    )
    names = dict(award_names or {})
    names.setdefault(award.code, award.name)
    reasons: list[Reason] = []
    audience = _audience_reason(award, facts)
    if audience:
        reasons.append(audience)
    deciding = [r for r in applicable if r.effect == Effect.REQUIRED and r.kind != Kind.QUOTA_SHARE]
    if not deciding:
        reasons.append(
            Reason(
                status=Status.UNKNOWN,
                message=_("Chưa có tiêu chuẩn của {award} áp dụng vào ngày {on}"),
                values={"award": award.name, "on": on.strftime("%d/%m/%Y")},
                kind="no_rules",
            )
        )
    for rule in applicable:
        status, message, values = _check(
            rule,
            facts=facts,
            year=year,
            position=position,
            ranking_known=ranking_known,
            held=held,
            vetoes=own_vetoes,
            award_names=names,
        )
        reasons.append(
            Reason(
                status=status,
                message=message,
                values=values,
                citation=rule.citation,
                rule_id=rule.id,
                kind=rule.kind,
                effect=rule.effect,
                group=rule.group,
            )
        )
    return Verdict(
        unit_id=facts.unit_id,
        award_code=award.code,
        status=combine(reasons),
        reasons=tuple(reasons),
    )


def evaluate(
    *,
    units: Iterable[UnitFacts],
    awards: Iterable[AwardSpec],
    rules: Iterable[RuleSpec],
    year: int,
    on: dt.date,
    ranking: Iterable[RankingPosition] | None = None,
    history: Iterable[AwardHeld] = (),
    vetoes: Iterable[VetoFact] = (),
) -> dict[tuple[int, str], Verdict]:
    """Every unit × every award: (unit id, award code) → verdict. ``ranking`` None: the bloc has
    no ranking yet (ranking rules then say so)."""
    awards = sorted(awards, key=lambda a: a.code)
    rules = list(rules)
    names = {a.code: a.name for a in awards}
    positions = {p.unit_id: p for p in ranking} if ranking is not None else {}
    held_by_unit: dict[int, list[AwardHeld]] = defaultdict(list)
    for item in history:
        held_by_unit[item.unit_id].append(item)
    vetoes_by_unit: dict[int, list[VetoFact]] = defaultdict(list)
    for veto in vetoes:
        vetoes_by_unit[veto.unit_id].append(veto)
    verdicts = {}
    for facts in sorted(units, key=lambda u: u.unit_id):
        for award in awards:
            verdicts[(facts.unit_id, award.code)] = evaluate_unit(
                facts=facts,
                award=award,
                rules=rules,
                year=year,
                on=on,
                position=positions.get(facts.unit_id),
                ranking_known=ranking is not None,
                history=held_by_unit[facts.unit_id],
                vetoes=vetoes_by_unit[facts.unit_id],
                award_names=names,
            )
    return verdicts


def positions_from_entries(entries: Iterable) -> list[RankingPosition]:
    """Adapt a stored ranking's entries (objects or mappings with unit_id, rank, shared, total,
    vetoed, veto_reasons) to the engine's input. The seam for scoring's ranking_latest."""

    def get(entry, name, default=None):
        if isinstance(entry, Mapping):
            return entry.get(name, default)
        return getattr(entry, name, default)

    positions = []
    for entry in entries:
        vetoed = bool(get(entry, "vetoed", False))
        reasons = get(entry, "veto_reasons", ()) or ()
        if isinstance(reasons, str):
            reasons = (reasons,)
        positions.append(
            RankingPosition(
                unit_id=get(entry, "unit_id"),
                rank=None if vetoed else get(entry, "rank"),
                shared=bool(get(entry, "shared", False)),
                total=get(entry, "total"),
                vetoed=vetoed,
                veto_reasons=tuple(str(r) for r in reasons),
            )
        )
    return positions


# Quotas ---------------------------------------------------------------------------------------------


def quota_allowed(base: int, percent: Decimal, rounding: str = "floor") -> int:
    """How many of ``base`` a ``percent`` quota allows ("không quá 20%": floor by default)."""
    value = Decimal(base) * Decimal(percent) / 100
    return int(value.to_integral_value(rounding=ROUNDINGS[rounding]))


@dataclass(frozen=True)
class QuotaCheck:
    award_code: str
    rule_id: int
    citation: str
    percent: Decimal
    base_kind: str
    base: int
    allowed: int
    selected: int

    @property
    def within(self) -> bool:
        return self.selected <= self.allowed

    @property
    def excess(self) -> int:
        return max(0, self.selected - self.allowed)


def check_selection(
    *,
    rules: Iterable[RuleSpec],
    on: dt.date,
    selection: Mapping[str, Iterable[int]],
    bases: Mapping[str, int],
) -> list[QuotaCheck]:
    """The quota rules in force on ``on`` against a selection (award code → unit ids), e.g. the
    reviewer's province-wide list for the Government flag. ``bases`` gives each base's size
    (``bloc_leaders``: how many units lead a bloc or cluster of the authority that year)."""
    checks = []
    for rule in rules_in_force(rules, on):
        if rule.kind != Kind.QUOTA_SHARE:
            continue
        base = bases.get(rule.params["base"], 0)
        percent = Decimal(rule.params["percent"])
        checks.append(
            QuotaCheck(
                award_code=rule.award_code,
                rule_id=rule.id,
                citation=rule.citation,
                percent=percent,
                base_kind=rule.params["base"],
                base=base,
                allowed=quota_allowed(base, percent, rule.params.get("rounding", "floor")),
                selected=len(set(selection.get(rule.award_code, ()))),
            )
        )
    return checks


@dataclass(frozen=True)
class QuotaOverrun:
    award_code: str
    allowed: int
    proposed: int


def bloc_quota_overruns(
    *, proposed: Mapping[str, int], quotas: Mapping[str, int]
) -> list[QuotaOverrun]:
    """Awards a bloc-year proposes more of than its quota allows (no quota: no limit)."""
    return [
        QuotaOverrun(award_code=code, allowed=quotas[code], proposed=count)
        for code, count in sorted(proposed.items())
        if code in quotas and count > quotas[code]
    ]
