"""Every read of the awards pages and the seams part 2 (proposals, dossiers) and issue 6
(reminders) read. Fixed query counts; pure decisions are in ``eligibility`` and ``tally``."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards import eligibility as el
from awards import tally as tl
from awards.access import records_visible_to
from awards.models import (
    AwardRecord,
    AwardType,
    Ballot,
    BallotBoxEntry,
    BallotItem,
    BlocAwardQuota,
    Candidate,
    EligibilityRule,
    LegalBasis,
    UnitAwardProfile,
    VoterRollEntry,
)
from blocs import rules as bloc_rules
from blocs.models import Authority, Bloc, Conference, Membership, Unit
from blocs.selectors import name_in_year, names_by_unit, unit_year_facts, vetoes_in_force
from core.text import search_terms

# Messages of the pure modules, in Vietnamese, translated here ------------------------------------

STATUS_LABELS = {
    el.Status.MET: gettext_lazy("Đạt"),
    el.Status.NOT_MET: gettext_lazy("Không đạt"),
    el.Status.UNKNOWN: gettext_lazy("Chưa đủ dữ liệu"),
    el.Status.SELECTION: gettext_lazy("Kiểm tra trên danh sách"),
}


def _shown(value):
    if isinstance(value, Decimal | float):
        return formats.number_format(value, use_l10n=True)
    return value


def reason_text(reason: el.Reason) -> str:
    """A reason of the engine in the reader's language, numbers as the locale writes them."""
    return _(reason.message).format(**{k: _shown(v) for k, v in reason.values.items()})


def status_label(status) -> str:
    return str(STATUS_LABELS[el.Status(status)])


@dataclass
class ShownReason:
    status: str
    text: str
    citation: str
    priority: bool
    alternative: str

    @property
    def label(self):
        return status_label(self.status)


@dataclass
class ShownVerdict:
    status: str
    reasons: list[ShownReason]

    @property
    def label(self):
        return status_label(self.status)

    @property
    def eligible(self):
        return self.status == el.Status.MET


def _json_value(value):
    return {"decimal": str(value)} if isinstance(value, Decimal) else value


def _python_value(value):
    return Decimal(value["decimal"]) if isinstance(value, dict) and "decimal" in value else value


def verdict_json(verdict: el.Verdict) -> dict:
    """A verdict as kept with a ballot's candidate: the messages untranslated, so each reader
    sees them in their own language later."""
    return {
        "status": str(verdict.status),
        "reasons": [
            {
                "status": str(r.status),
                "message": r.message,
                "values": {k: _json_value(v) for k, v in r.values.items()},
                "citation": r.citation,
                "effect": r.effect,
                "group": r.group,
            }
            for r in verdict.reasons
        ],
    }


def verdict_from_json(data: dict) -> el.Verdict | None:
    if not data:
        return None
    return el.Verdict(
        unit_id=0,
        award_code="",
        status=el.Status(data["status"]),
        reasons=tuple(
            el.Reason(
                status=el.Status(r["status"]),
                message=r["message"],
                values={k: _python_value(v) for k, v in r["values"].items()},
                citation=r["citation"],
                effect=r["effect"],
                group=r["group"],
            )
            for r in data.get("reasons", [])
        ),
    )


def shown_verdict(verdict: el.Verdict | None) -> ShownVerdict | None:
    if verdict is None:
        return None
    return ShownVerdict(
        status=str(verdict.status),
        reasons=[
            ShownReason(
                status=str(r.status),
                text=reason_text(r),
                citation=r.citation,
                priority=r.effect == el.Effect.PRIORITY,
                alternative=r.group,
            )
            for r in verdict.reasons
        ],
    )


# Catalogue ---------------------------------------------------------------------------------------------


def award_types(*, active_only: bool = True):
    types = AwardType.objects.all()
    return types.filter(active=True) if active_only else types


def catalogue(*, on: dt.date | None = None) -> list[AwardType]:
    """Award types with their rules (national and provincial; only those in force on ``on`` when
    given). Two queries."""
    rules = EligibilityRule.objects.select_related("authority").order_by(
        "authority__name", "order", "pk"
    )
    if on:
        rules = rules.filter(
            Q(effective_from__isnull=True) | Q(effective_from__lte=on),
            Q(effective_to__isnull=True) | Q(effective_to__gte=on),
        )
    return list(
        AwardType.objects.order_by("order", "name").prefetch_related(
            Prefetch("rules", queryset=rules, to_attr="shown_rules")
        )
    )


def legal_bases(*, authority_ids=None):
    bases = LegalBasis.objects.select_related("authority")
    if authority_ids is not None:
        bases = bases.filter(Q(authority__isnull=True) | Q(authority_id__in=authority_ids))
    return bases.order_by("authority__name", "order", "effective_from", "pk")


def legal_basis_lines(*, authority: Authority, on: dt.date) -> list[str]:
    """The "Căn cứ …" lines of a document of ``authority`` dated ``on``: the national texts in
    force that day, then the authority's own, in printing order (without final punctuation:
    the document adds ";" or "."). One query. The Tờ trình of part 2 prints these."""
    bases = LegalBasis.objects.filter(
        Q(authority__isnull=True) | Q(authority=authority),
        Q(effective_from__isnull=True) | Q(effective_from__lte=on),
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
    ).order_by("authority_id", "order", "pk")
    national = [b for b in bases if b.authority_id is None]
    own = [b for b in bases if b.authority_id is not None]
    return [f"Căn cứ {b.citation}" for b in national + own]


def rule_specs(*, authority_id: int | None) -> list[el.RuleSpec]:
    """The national rules and those of ``authority_id``, for the engine. One query."""
    rules = EligibilityRule.objects.filter(
        Q(authority__isnull=True) | Q(authority_id=authority_id)
    ).select_related("award_type")
    return [
        el.RuleSpec(
            id=r.pk,
            award_code=r.award_type.code,
            kind=r.kind,
            citation=r.citation,
            params=r.params,
            effect=r.effect,
            group=r.alternative_group,
            effective_from=r.effective_from,
            effective_to=r.effective_to,
            order=r.order,
        )
        for r in rules
    ]


def award_spec(award: AwardType) -> el.AwardSpec:
    return el.AwardSpec(
        code=award.code,
        name=award.name,
        audience=award.audience,
        legal_citation=award.legal_citation,
    )


# Eligibility of a bloc-year ----------------------------------------------------------------------------


def review_date(*, bloc: Bloc, year: int) -> dt.date:
    """The date whose rules apply to a bloc-year: its year-end conference, else 31 December."""
    conference = (
        Conference.objects.filter(bloc=bloc, year=year, kind=Conference.Kind.YEAR_END)
        .order_by("held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    return conference or dt.date(year, 12, 31)


def ranking_for(*, bloc: Bloc, year: int) -> list[el.RankingPosition] | None:
    """The bloc-year's latest stored ranking (scoring) for the rules, or None while there is
    none. Removed (vetoed) units come in with no rank. One query."""
    from scoring.selectors import ranking_latest

    run = ranking_latest(bloc=bloc, year=year)
    if run is None:
        return None
    removed = [
        {"unit_id": left.unit_id, "rank": None, "vetoed": True, "veto_reasons": (left.why,)}
        for left in run.removed
    ]
    return el.positions_from_entries([*run.entries, *removed])


@dataclass
class UnitRow:
    unit: Unit
    name: str
    verdicts: dict[str, ShownVerdict] = field(default_factory=dict)

    @property
    def pk(self):
        return self.unit.pk

    def __str__(self):
        return self.name


@dataclass
class EligibilityTable:
    bloc: Bloc
    year: int
    on: dt.date
    awards: list[AwardType]
    rows: list[UnitRow]
    ranking_known: bool

    def verdict(self, unit_id: int, code: str) -> ShownVerdict | None:
        for row in self.rows:
            if row.pk == unit_id:
                return row.verdicts.get(code)
        return None


def evaluate_units(
    *,
    authority_id: int,
    units: list[Unit],
    year: int,
    on: dt.date,
    awards: list[AwardType],
    ranking: list[el.RankingPosition] | None,
) -> dict[tuple[int, str], el.Verdict]:
    """The engine on real data: facts, veto conditions, registry and armed-forces flags of the
    units, with the rules of their authority. Five queries whatever the number of units."""
    unit_ids = [u.pk for u in units]
    facts = unit_year_facts(unit_ids=unit_ids, year=year)
    vetoes = vetoes_in_force(unit_ids=unit_ids, year=year, on=on)
    if all(hasattr(u, "armed_forces") for u in units):
        armed = {u.pk for u in units if u.armed_forces}  # annotated by bloc_members
    else:
        armed = set(
            UnitAwardProfile.objects.filter(unit_id__in=unit_ids, armed_forces=True).values_list(
                "unit_id", flat=True
            )
        )
    history = [
        el.AwardHeld(unit_id=u, year=y, award_code=c)
        for u, y, c in AwardRecord.objects.filter(unit_id__in=unit_ids, year__lte=year).values_list(
            "unit_id", "year", "award_type__code"
        )
    ]
    unit_facts = []
    for unit in units:
        row = facts.get(unit.pk)
        unit_facts.append(
            el.UnitFacts(
                unit_id=unit.pk,
                headcount=row.headcount if row else None,
                women=row.women if row else None,
                completed_tasks=row.completed_tasks if row else None,
                advanced_workers=row.advanced_workers if row else None,
                emulation_fighters=row.emulation_fighters if row else None,
                disciplined_warning_or_above=row.disciplined_warning_or_above if row else None,
                armed_forces=unit.pk in armed,
            )
        )
    return el.evaluate(
        units=unit_facts,
        awards=[award_spec(a) for a in awards],
        rules=rule_specs(authority_id=authority_id),
        year=year,
        on=on,
        ranking=ranking,
        history=history,
        vetoes=[
            el.VetoFact(
                unit_id=v.unit_id, label=v.label, description=v.description, source=v.source
            )
            for found in vetoes.values()
            for v in found
        ],
    )


def bloc_members(*, bloc: Bloc, year: int) -> list[tuple[Unit, str]]:
    """The members of a bloc-year with the names they carried that year, each annotated with
    ``armed_forces`` (for the rules of Đơn vị quyết thắng / tiên tiến). One query."""
    units = list(
        Unit.objects.filter(memberships__bloc=bloc, memberships__year=year)
        .annotate(
            armed_forces=Exists(
                UnitAwardProfile.objects.filter(unit=OuterRef("pk"), armed_forces=True)
            ),
            name_in_year=Coalesce(name_in_year(year, "pk"), F("full_name")),
        )
        .order_by("memberships__position", "full_name")
    )
    return [(u, u.name_in_year) for u in units]


def bloc_year_eligibility(
    *, bloc: Bloc, year: int, on: dt.date | None = None, awards: list[AwardType] | None = None
) -> EligibilityTable:
    """Every member × every active award type (or only ``awards``, already read): eligible or
    not, with the reasons."""
    on = on or review_date(bloc=bloc, year=year)
    if awards is None:
        awards = list(award_types())
    members = bloc_members(bloc=bloc, year=year)
    ranking = ranking_for(bloc=bloc, year=year)
    verdicts = evaluate_units(
        authority_id=bloc.authority_id,
        units=[u for u, _name in members],
        year=year,
        on=on,
        awards=awards,
        ranking=ranking,
    )
    rows = [
        UnitRow(
            unit=unit,
            name=name,
            verdicts={a.code: shown_verdict(verdicts[(unit.pk, a.code)]) for a in awards},
        )
        for unit, name in members
    ]
    return EligibilityTable(
        bloc=bloc, year=year, on=on, awards=awards, rows=rows, ranking_known=ranking is not None
    )


# Quotas ----------------------------------------------------------------------------------------------


def bloc_quotas(
    *, bloc: Bloc, year: int, awards: list[AwardType] | None = None
) -> list[tuple[AwardType, BlocAwardQuota | None]]:
    """Each award type (``awards`` when the caller has them already) with its quota or None."""
    quotas = {
        q.award_type_id: q for q in BlocAwardQuota.objects.filter(bloc=bloc, year=year).order_by()
    }
    return [(a, quotas.get(a.pk)) for a in (awards if awards is not None else award_types())]


def bloc_quota_map(*, bloc: Bloc, year: int) -> dict[str, int]:
    """award code → how many the bloc may propose that year (part 2 checks proposals with
    ``eligibility.bloc_quota_overruns``)."""
    return dict(
        BlocAwardQuota.objects.filter(bloc=bloc, year=year)
        .order_by()  # into a dict: the model's ordering joins the bloc and its authority
        .values_list("award_type__code", "max_count")
    )


def selection_quota_checks(
    *, authority: Authority, year: int, on: dt.date, selection: dict[str, list[int]]
) -> list[el.QuotaCheck]:
    """The province-wide quota rules (the Government flag: at most 20 % of bloc leaders) on a
    selection of units per award code. The base "bloc leaders" is the number of blocs and
    clusters of the authority with members that year, each led by one unit. Two queries."""
    leaders = (
        Membership.objects.filter(bloc__authority=authority, year=year)
        .values("bloc_id")
        .distinct()
        .count()
    )
    return el.check_selection(
        rules=rule_specs(authority_id=authority.pk),
        on=on,
        selection=selection,
        bases={"bloc_leaders": leaders},
    )


# Registry ------------------------------------------------------------------------------------------------


def registry_list(
    *, user, query: str = "", year: int | None = None, award_type_id: int | None = None
):
    records = records_visible_to(user).select_related("unit", "award_type", "bloc")
    terms = search_terms(query)
    for term in terms:
        records = records.filter(
            Q(unit__search_key__startswith=term) | Q(unit__search_key__contains=f" {term}")
        )
    if year:
        records = records.filter(year=year)
    if award_type_id:
        records = records.filter(award_type_id=award_type_id)
    return records.order_by("-year", "award_type__order", "unit__search_key", "pk")


def registry_years(*, user) -> list[int]:
    return list(
        records_visible_to(user).order_by("-year").values_list("year", flat=True).distinct()
    )


def attach_names(records) -> None:
    """Each record's unit as it was called in the record's year: one query for the page."""
    records = list(records)
    names = names_by_unit(r.unit_id for r in records)
    for record in records:
        record.unit_name = bloc_rules.name_for_year(
            names.get(record.unit_id, []), record.year, record.unit.full_name
        )


def registry_export_rows(records) -> list[list]:
    attach_names(records)
    return [
        [
            index,
            r.year,
            r.unit_name,
            r.award_type.name,
            r.decision_words,
            r.decision_date.strftime("%d/%m/%Y"),
            r.issuing_body,
            r.note,
        ]
        for index, r in enumerate(records, start=1)
    ]


def unit_awards(*, unit: Unit) -> list[AwardRecord]:
    """What the unit received, newest first (the unit page's panel and, in part 2, section III
    of its Báo cáo thành tích). One query for the records, one for the names."""
    records = list(
        AwardRecord.objects.filter(unit=unit)
        .select_related("unit", "award_type")
        .order_by("-year", "award_type__order")
    )
    attach_names(records)
    return records


def unit_profile(*, unit: Unit) -> UnitAwardProfile | None:
    return UnitAwardProfile.objects.filter(unit=unit).first()


# Ballots ----------------------------------------------------------------------------------------------------


def ballots_of_bloc_year(*, bloc: Bloc, year: int):
    return (
        Ballot.objects.filter(bloc=bloc, year=year)
        .annotate(
            voted=Count("roll", filter=Q(roll__kind=VoterRollEntry.Kind.VOTED), distinct=True),
            item_count=Count("items", distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


def ballot_threshold(ballot: Ballot) -> tl.Threshold:
    return tl.Threshold(
        base=ballot.base, ratio=tl.parse_ratio(ballot.threshold), strict=ballot.threshold_strict
    )


def threshold_words(ballot: Ballot) -> str:
    ratio = tl.parse_ratio(ballot.threshold)
    shown = tl.ratio_text(ratio) if ratio else ballot.threshold
    base = ballot.get_base_display().lower()
    if ballot.threshold_strict:
        return _("Trên {ratio} {base}").format(ratio=shown, base=base)
    return _("Từ {ratio} trở lên {base}").format(ratio=shown, base=base)


@dataclass
class ShownCandidate:
    candidate: Candidate
    name: str
    eligibility: ShownVerdict | None
    result: dict | None = None

    @property
    def pk(self):
        return self.candidate.pk

    def __str__(self):
        return self.name


@dataclass
class ShownItem:
    item: BallotItem
    candidates: list[ShownCandidate]
    result: dict | None = None

    @property
    def pk(self):
        return self.item.pk


@dataclass
class RollRow:
    unit: Unit
    name: str
    entry: VoterRollEntry | None

    @property
    def pk(self):
        return self.unit.pk


@dataclass
class BallotDetail:
    ballot: Ballot
    items: list[ShownItem]
    roll: list[RollRow]
    transitions: list
    threshold_words: str

    @property
    def voted(self) -> list[RollRow]:
        return [r for r in self.roll if r.entry and r.entry.kind == VoterRollEntry.Kind.VOTED]

    @property
    def absent(self) -> list[RollRow]:
        return [r for r in self.roll if r.entry and r.entry.kind == VoterRollEntry.Kind.ABSENT]

    @property
    def waiting(self) -> list[RollRow]:
        return [r for r in self.roll if r.entry is None]

    @property
    def candidate_count(self) -> int:
        return sum(len(i.candidates) for i in self.items)


def ballot_detail(*, ballot: Ballot) -> BallotDetail:
    """Everything the ballot page shows; never a unit's choice (the box is not read here).
    Six queries whatever the numbers of members, items and candidates."""
    items = list(
        BallotItem.objects.filter(ballot=ballot)
        .select_related("award_type")
        .prefetch_related(
            Prefetch(
                "candidates",
                queryset=Candidate.objects.select_related("unit").order_by("order", "pk"),
            )
        )
        .order_by("order", "award_type__order")
    )
    members = bloc_members(bloc=ballot.bloc, year=ballot.year)
    entries = {e.unit_id: e for e in VoterRollEntry.objects.filter(ballot=ballot)}
    names = {u.pk: name for u, name in members}
    tally_items = {str(i["item_id"]): i for i in (ballot.tally or {}).get("items", [])}
    shown_items = []
    for item in items:
        result = tally_items.get(str(item.pk))
        by_candidate = {str(c["candidate_id"]): c for c in (result or {}).get("candidates", [])}
        shown_items.append(
            ShownItem(
                item=item,
                result=result,
                candidates=[
                    ShownCandidate(
                        candidate=c,
                        name=names.get(c.unit_id, c.unit.full_name),
                        eligibility=shown_verdict(verdict_from_json(c.eligibility)),
                        result=by_candidate.get(str(c.pk)),
                    )
                    for c in item.candidates.all()
                ],
            )
        )
    return BallotDetail(
        ballot=ballot,
        items=shown_items,
        roll=[RollRow(unit=u, name=name, entry=entries.get(u.pk)) for u, name in members],
        transitions=list(ballot.transitions.select_related("actor").order_by("at", "pk")),
        threshold_words=threshold_words(ballot),
    )


def candidate_choices(*, ballot: Ballot) -> dict:
    """For the candidates page: members with their eligibility for each award of the ballot."""
    items = list(BallotItem.objects.filter(ballot=ballot).select_related("award_type"))
    # The ballot's own award types (read with its items), in the catalogue's order.
    awards = sorted(
        {i.award_type for i in items if i.award_type.active}, key=lambda a: (a.order, a.name)
    )
    table = bloc_year_eligibility(
        bloc=ballot.bloc, year=ballot.year, on=ballot.held_on, awards=awards
    )
    chosen = defaultdict(set)
    # .order_by(): into sets; the model's ordering joins the item, ballot, bloc and authority.
    for item_id, unit_id in (
        Candidate.objects.filter(item__ballot=ballot).order_by().values_list("item_id", "unit_id")
    ):
        chosen[item_id].add(unit_id)
    return {"items": items, "table": table, "chosen": chosen}


def ballot_box_choices(*, ballot: Ballot) -> list[dict]:
    """The choices in the box, for counting at closing. Unordered by design."""
    return list(BallotBoxEntry.objects.filter(ballot=ballot).values_list("choices", flat=True))


@dataclass
class AwaitedBallot:
    ballot: Ballot
    closes_at: dt.datetime | None
    missing: list[tuple[Unit, str]]


def open_ballots_awaiting(*, now: dt.datetime | None = None) -> list[AwaitedBallot]:
    """Open online ballots with the member units that have not voted (nor been recorded absent),
    soonest deadline first: what the reminders of issue 6 send. Four queries in all."""
    now = now or timezone.now()
    ballots = list(
        Ballot.objects.filter(state=Ballot.State.OPEN, mode=Ballot.Mode.ONLINE)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("bloc")
        .order_by("closes_at", "pk")
    )
    if not ballots:
        return []
    pairs = {(b.bloc_id, b.year) for b in ballots}
    scope = Q(pk__in=[])
    for bloc_id, year in pairs:
        scope |= Q(bloc_id=bloc_id, year=year)
    members = defaultdict(list)
    for m in Membership.objects.filter(scope).select_related("unit").order_by("position"):
        members[(m.bloc_id, m.year)].append(m.unit)
    names = names_by_unit(u.pk for units in members.values() for u in units)
    done = defaultdict(set)
    for ballot_id, unit_id in VoterRollEntry.objects.filter(ballot__in=ballots).values_list(
        "ballot_id", "unit_id"
    ):
        done[ballot_id].add(unit_id)
    return [
        AwaitedBallot(
            ballot=b,
            closes_at=b.closes_at,
            missing=[
                (u, bloc_rules.name_for_year(names.get(u.pk, []), b.year, u.full_name))
                for u in members[(b.bloc_id, b.year)]
                if u.pk not in done[b.pk]
            ],
        )
        for b in ballots
    ]


def province_quota_state(*, proposal, proposed_codes: set[str] | None = None) -> list[dict]:
    """For the proposal page, when the proposal holds an award with an authority-wide quota (the
    Government flag): that quota with how many the proposals of the authority's blocs that year
    put forward. Two queries, five when it applies; one less when the caller, who has read the
    lines, passes the award codes they propose."""
    from awards.models import ProposalLine

    bloc, year = proposal.bloc, proposal.year
    # Only which awards have an authority-wide quota: their codes, not every rule as a spec.
    quota_codes = set(
        EligibilityRule.objects.filter(
            Q(authority__isnull=True) | Q(authority_id=bloc.authority_id),
            kind=el.Kind.QUOTA_SHARE,
        ).values_list("award_type__code", flat=True)
    )
    if proposed_codes is not None:
        if not quota_codes & proposed_codes:
            return []
    elif not ProposalLine.objects.filter(
        proposal=proposal, award_type__code__in=quota_codes
    ).exists():
        return []
    selection = defaultdict(set)
    for code, unit_id in ProposalLine.objects.filter(
        proposal__bloc__authority_id=bloc.authority_id, proposal__year=year
    ).values_list("award_type__code", "unit_id"):
        selection[code].add(unit_id)
    checks = selection_quota_checks(
        authority=bloc.authority,
        year=year,
        on=review_date(bloc=bloc, year=year),
        selection=selection,
    )
    return [
        {"check": c, "proposed": c.selected}
        for c in checks
        if c.selected or c.award_code in selection
    ]
