"""Every write of the awards app. Keyword-only, atomic, with history; conflicts are refused."""

import datetime as dt
import hashlib
import random
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from awards import eligibility as el
from awards import selectors
from awards import tally as tl
from awards.access import registry_scope
from awards.models import (
    AwardRecord,
    AwardType,
    Ballot,
    BallotBoxEntry,
    BallotItem,
    BallotTransition,
    BlocAwardQuota,
    Candidate,
    EligibilityRule,
    LegalBasis,
    Proposal,
    ProposalLine,
    ProposalTransition,
    RegistryImport,
    UnitAwardProfile,
    VoterRollEntry,
)
from awards.spreadsheets import COLUMN_LABELS, parse_date, read_registry_rows
from blocs.models import Authority, Bloc, Membership, Unit
from blocs.selectors import vetoes_in_force
from blocs.services import ConflictError
from blocs.spreadsheets import UnreadableFile
from core.history import update_with_history
from core.text import clean_name, fold

_CONFLICT = gettext_noop(
    "Người khác vừa sửa mục này. Trang đã tải lại dữ liệu mới nhất; hãy kiểm tra rồi lưu lại."
)


def _attach_actor(instance, actor, reason: str = ""):
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    return instance


def _check_period(effective_from, effective_to) -> None:
    if effective_from and effective_to and effective_to < effective_from:
        raise ValidationError({"effective_to": _("Ngày kết thúc phải sau ngày bắt đầu.")})


def _versioned_update(model, instance, version, actor, reason="", **values):
    updated = update_with_history(
        model.objects.filter(pk=instance.pk, version=version),
        actor=actor,
        reason=reason,
        **values,
        version=F("version") + 1,
    )
    if not updated:
        raise ConflictError(_(_CONFLICT))
    return model.objects.get(pk=instance.pk)


# Catalogue ----------------------------------------------------------------------------------------


@transaction.atomic
def award_type_update(
    *,
    actor,
    award_type: AwardType,
    version: int,
    name: str,
    short_name: str,
    authority_wording: str,
    issuing_authority: str,
    legal_citation: str,
    cash_multiple,
    cash_citation: str,
    active: bool,
) -> AwardType:
    wording = clean_name(authority_wording)
    if wording and "{ubnd}" not in wording:
        raise ValidationError(
            {"authority_wording": _("Hãy ghi {ubnd} ở chỗ tên Ủy ban nhân dân tỉnh, thành phố.")}
        )
    return _versioned_update(
        AwardType,
        award_type,
        version,
        actor,
        name=clean_name(name),
        short_name=clean_name(short_name),
        authority_wording=wording,
        issuing_authority=clean_name(issuing_authority),
        legal_citation=clean_name(legal_citation),
        cash_multiple=cash_multiple,
        cash_citation=clean_name(cash_citation),
        active=active,
    )


_PARAM_FIELDS = {
    "rank": "rank",
    "award_codes": "award_codes",
    "years": "years",
    "percent": "percent",
    "at_least": "at_least",
    "rounding": "rounding",
    "base": "base",
    "kind": "kind",
}


def _rule_values(*, kind, params, citation, **rest) -> dict:
    codes = AwardType.objects.values_list("code", flat=True)
    clean, problems = el.clean_params(kind, params, award_codes=list(codes))
    if problems:
        raise ValidationError(
            {_PARAM_FIELDS.get(name, "__all__"): _(message) for name, message in problems.items()}
        )
    if not clean_name(citation):
        raise ValidationError({"citation": _("Hãy ghi căn cứ pháp lý của tiêu chuẩn.")})
    _check_period(rest.get("effective_from"), rest.get("effective_to"))
    return {"kind": kind, "params": clean, "citation": clean_name(citation), **rest}


@transaction.atomic
def rule_create(*, actor, award_type: AwardType, **fields) -> EligibilityRule:
    values = _rule_values(**fields)
    rule = EligibilityRule(award_type=award_type, **values)
    _attach_actor(rule, actor).save()
    return rule


@transaction.atomic
def rule_update(*, actor, rule: EligibilityRule, version: int, **fields) -> EligibilityRule:
    values = _rule_values(**fields)
    values["alternative_group"] = clean_name(values.get("alternative_group", ""))
    return _versioned_update(EligibilityRule, rule, version, actor, **values)


def _basis_values(*, authority, code, effective_from, effective_to, exclude_pk=None, **rest):
    _check_period(effective_from, effective_to)
    clash = LegalBasis.objects.filter(authority=authority, code=code)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"code": _("Mã này đã được dùng.")})
    return {
        "authority": authority,
        "code": code,
        "effective_from": effective_from,
        "effective_to": effective_to,
        **rest,
    }


@transaction.atomic
def legal_basis_create(*, actor, **fields) -> LegalBasis:
    basis = LegalBasis(**_basis_values(**fields))
    _attach_actor(basis, actor).save()
    return basis


@transaction.atomic
def legal_basis_update(*, actor, basis: LegalBasis, version: int, **fields) -> LegalBasis:
    values = _basis_values(exclude_pk=basis.pk, **fields)
    values["short_name"] = clean_name(values["short_name"])
    values["citation"] = clean_name(values["citation"])
    return _versioned_update(LegalBasis, basis, version, actor, **values)


# Quotas --------------------------------------------------------------------------------------------


@transaction.atomic
def bloc_quotas_set(*, actor, bloc: Bloc, year: int, quotas: dict) -> None:
    """``quotas``: award type → (max count or None for no limit, source)."""
    existing = {
        q.award_type_id: q
        for q in BlocAwardQuota.objects.select_for_update().filter(bloc=bloc, year=year)
    }
    for award_type, (max_count, source) in quotas.items():
        current = existing.get(award_type.pk)
        source = clean_name(source)
        if max_count is None:
            if current:
                _attach_actor(current, actor).delete()
            continue
        if current is None:
            current = BlocAwardQuota(bloc=bloc, year=year, award_type=award_type)
        elif current.max_count == max_count and current.source == source:
            continue
        current.max_count = max_count
        current.source = source
        _attach_actor(current, actor).save()


# Registry -------------------------------------------------------------------------------------------


def _duplicate_message(existing: AwardRecord) -> str:
    return _(
        "{u} đã có {a} năm {y} (Quyết định số {n} ngày {d:%d/%m/%Y}); mỗi thành tích chỉ khen thưởng "
        "một lần."
    ).format(
        u=existing.unit,
        a=existing.award_type.name,
        y=existing.year,
        n=existing.decision_number,
        d=existing.decision_date,
    )


def _clean_decision_number(number: str) -> str:
    number = clean_name(number)
    for prefix in ("Quyết định số", "quyết định số", "QĐ số", "Số:", "số"):
        if number.startswith(prefix):
            number = number.removeprefix(prefix).strip()
    return number


@transaction.atomic
def award_registry_record(
    *,
    actor,
    unit: Unit,
    year: int,
    award_type: AwardType,
    decision_number: str,
    decision_date: dt.date,
    issuing_body: str,
    source: str = AwardRecord.Source.MANUAL,
    source_ref: str = "",
    bloc: Bloc | None = None,
    note: str = "",
) -> AwardRecord:
    """Record what a unit received. Part 2 calls this when a proposal's decision is recorded
    (``source=AwardRecord.Source.PROPOSAL``, ``source_ref`` naming the proposal line); recording
    the same decision again returns the existing entry, so a retried call writes nothing twice.
    A different decision for the same unit, year and award is refused."""
    decision_number = _clean_decision_number(decision_number)
    if not decision_number:
        raise ValidationError({"decision_number": _("Hãy ghi số quyết định.")})
    if not clean_name(issuing_body):
        raise ValidationError({"issuing_body": _("Hãy ghi cơ quan ban hành quyết định.")})
    if decision_date.year < year:
        raise ValidationError(
            {
                "decision_date": _(
                    "Quyết định khen thưởng năm {y} không thể ban hành trước năm đó."
                ).format(y=year)
            }
        )
    existing = (
        AwardRecord.objects.select_for_update()
        .select_related("unit", "award_type")
        .filter(unit=unit, year=year, award_type=award_type)
        .first()
    )
    if existing:
        if fold(existing.decision_number) == fold(decision_number):
            return existing
        raise ValidationError(_duplicate_message(existing))
    record = AwardRecord(
        unit=unit,
        year=year,
        award_type=award_type,
        decision_number=decision_number,
        decision_date=decision_date,
        issuing_body=issuing_body,
        source=source,
        source_ref=source_ref,
        bloc=bloc,
        note=note,
    )
    try:
        with transaction.atomic():
            _attach_actor(record, actor).save()
    except IntegrityError:
        existing = AwardRecord.objects.get(unit=unit, year=year, award_type=award_type)
        raise ValidationError(_duplicate_message(existing)) from None
    return record


@transaction.atomic
def award_record_update(
    *,
    actor,
    record: AwardRecord,
    version: int,
    award_type: AwardType,
    year: int,
    decision_number: str,
    decision_date: dt.date,
    issuing_body: str,
    note: str = "",
    reason: str = "",
) -> AwardRecord:
    """Correct an entry (a typo in the decision number…); the old values stay in its history."""
    clash = (
        AwardRecord.objects.filter(unit_id=record.unit_id, year=year, award_type=award_type)
        .exclude(pk=record.pk)
        .select_related("unit", "award_type")
        .first()
    )
    if clash:
        raise ValidationError(_duplicate_message(clash))
    decision_number = _clean_decision_number(decision_number)
    if not decision_number:
        raise ValidationError({"decision_number": _("Hãy ghi số quyết định.")})
    return _versioned_update(
        AwardRecord,
        record,
        version,
        actor,
        reason=reason,
        award_type=award_type,
        year=year,
        decision_number=decision_number,
        decision_date=decision_date,
        issuing_body=clean_name(issuing_body),
        note=clean_name(note),
    )


@transaction.atomic
def unit_profile_set(*, actor, unit: Unit, armed_forces: bool) -> UnitAwardProfile:
    profile = UnitAwardProfile.objects.select_for_update().filter(unit=unit).first()
    if profile is None:
        profile = UnitAwardProfile(unit=unit)
    elif profile.armed_forces == armed_forces:
        return profile
    profile.armed_forces = armed_forces
    _attach_actor(profile, actor).save()
    return profile


# Registry import -------------------------------------------------------------------------------------

_UNREADABLE = {
    "xlsx_unreadable": gettext_noop(
        "Không đọc được tệp Excel. Hãy lưu lại dưới dạng .xlsx rồi tải lên."
    ),
    "csv_not_utf8": gettext_noop("Tệp CSV phải được lưu với bảng mã UTF-8."),
    "unknown_type": gettext_noop("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."),
    "empty": gettext_noop("Tệp không có dữ liệu."),
    "too_many_rows": gettext_noop("Tệp có quá nhiều dòng; hãy chia nhỏ."),
}


def award_key(name: str) -> str:
    """An award's name as offices vary it: "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh, thành
    phố", "Bằng khen Chủ tịch UBND tỉnh" and "bang khen chu tich ubnd tinh" are one key."""
    words = fold(name).replace("uy ban nhan dan", "ubnd").replace("_", " ").split()
    words = [w for w in words if w != "cua"]
    text = " ".join(words)
    for ending in (" tinh thanh pho", " thanh pho", " tinh"):
        if text.endswith(ending):
            text = text.removesuffix(ending)
            break
    return text


def _registry_plan(*, actor, authority: Authority, rows) -> dict:
    """Check every row against the database and the person's rights; write nothing."""
    allowed = registry_scope(actor)
    units = {}
    unit_objects = {u.pk: u for u in Unit.objects.filter(authority=authority)}
    for unit in unit_objects.values():
        units.setdefault(fold(unit.full_name), unit)
    for unit_id, name in Unit.objects.filter(authority=authority).values_list(
        "pk", "names__full_name"
    ):
        if name:
            units.setdefault(fold(name), unit_objects[unit_id])
    awards = {}
    for award in AwardType.objects.all():
        for key in (award.code, award.name, award.short_name):
            awards.setdefault(award_key(key), award)
    existing = {
        (r.unit_id, r.year, r.award_type_id): r.decision_number
        for r in AwardRecord.objects.filter(unit__authority=authority)
    }
    seen: dict[tuple, int] = {}
    actions, errors = [], []
    for row in rows:
        v = row.values
        problems = []
        unit = units.get(fold(v["unit"]))
        if not v["unit"]:
            problems.append(_("thiếu tên đơn vị"))
        elif unit is None:
            problems.append(_("không có đơn vị “{u}” ở {a}").format(u=v["unit"], a=authority))
        year = int(v["year"]) if v["year"].isdigit() else None
        if year is None or not 2000 <= year <= 2100:
            problems.append(
                _("năm “{y}” không hợp lệ (cần 4 chữ số, ví dụ 2022)").format(y=v["year"])
            )
        award = awards.get(award_key(v["award"]))
        if not v["award"]:
            problems.append(_("thiếu danh hiệu, hình thức khen thưởng"))
        elif award is None:
            problems.append(
                _("không có danh hiệu, hình thức “{a}” trong danh mục").format(a=v["award"])
            )
        number = _clean_decision_number(v["decision_number"])
        if not number:
            problems.append(_("thiếu số quyết định"))
        decided = parse_date(v["decision_date"])
        if decided is None:
            problems.append(
                _(
                    "ngày quyết định “{d}” không hợp lệ (ghi ngày/tháng/năm, ví dụ 05/01/2023)"
                ).format(d=v["decision_date"])
            )
        elif year and decided.year < year:
            problems.append(_("ngày quyết định trước năm thành tích"))
        if not v["issuing_body"]:
            problems.append(_("thiếu cơ quan ban hành"))
        if unit and year and not problems and not allowed(unit, year):
            problems.append(
                _("bạn không có quyền ghi khen thưởng của {u} năm {y}").format(u=unit, y=year)
            )
        if not problems:
            key = (unit.pk, year, award.pk)
            if key in seen:
                problems.append(_("trùng với dòng {n}").format(n=seen[key]))
            elif key in existing and fold(existing[key]) != fold(number):
                problems.append(
                    _("sổ đã ghi {a} năm {y} cho đơn vị này theo Quyết định số {n}").format(
                        a=award.name, y=year, n=existing[key]
                    )
                )
        if problems:
            message = "; ".join(str(p) for p in problems)
            errors.append({"line": row.line, "message": message[:1].upper() + message[1:] + "."})
            continue
        seen[key] = row.line
        actions.append(
            {
                "line": row.line,
                "unit_id": unit.pk,
                "unit": unit.full_name,
                "year": year,
                "award_type_id": award.pk,
                "award": award.name,
                "decision_number": number,
                "decision_date": decided.isoformat(),
                "issuing_body": clean_name(v["issuing_body"]),
                "note": clean_name(v["note"]),
                "exists": key in existing,
            }
        )
    summary = {
        "new": sum(1 for a in actions if not a["exists"]),
        "unchanged": sum(1 for a in actions if a["exists"]),
        "errors": len(errors),
    }
    return {"authority_id": authority.pk, "actions": actions, "errors": errors, "summary": summary}


@transaction.atomic
def registry_import_preview(
    *, actor, authority: Authority, filename: str, content: bytes
) -> RegistryImport:
    """Read the file, check every row, keep the plan. Nothing in the registry changes yet."""
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            {"file": _("Tệp lớn hơn {n} MB.").format(n=settings.IMPORT_MAX_BYTES // 2**20)}
        )
    try:
        rows, missing = read_registry_rows(
            filename=filename, content=content, max_rows=settings.IMPORT_MAX_ROWS
        )
    except UnreadableFile as exc:
        raise ValidationError({"file": _(_UNREADABLE[str(exc)])}) from None
    if missing:
        raise ValidationError(
            {
                "file": _("Thiếu cột: {c}. Hãy dùng tệp mẫu.").format(
                    c=", ".join(COLUMN_LABELS[m] for m in missing)
                )
            }
        )
    if not rows:
        raise ValidationError({"file": _(_UNREADABLE["empty"])})
    plan = _registry_plan(actor=actor, authority=authority, rows=rows)
    plan["rows"] = [{"line": r.line, "values": r.values} for r in rows]
    return RegistryImport.objects.create(
        authority=authority,
        created_by=actor,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        plan=plan,
    )


@transaction.atomic
def registry_import_apply(*, actor, batch: RegistryImport) -> dict:
    """Write a previewed import, all or nothing, after checking the rows again."""
    from blocs.spreadsheets import RawRow

    batch = RegistryImport.objects.select_for_update().get(pk=batch.pk)
    if batch.state != RegistryImport.State.PREVIEW:
        raise ValidationError(_("Lần nhập này đã được ghi hoặc đã hủy."))
    if batch.plan["errors"]:
        raise ValidationError(
            _("Tệp còn {n} dòng có lỗi; hãy sửa rồi tải lên lại.").format(
                n=len(batch.plan["errors"])
            )
        )
    rows = [RawRow(line=r["line"], values=r["values"]) for r in batch.plan["rows"]]
    plan = _registry_plan(actor=actor, authority=batch.authority, rows=rows)
    if plan["errors"] or plan["actions"] != batch.plan["actions"]:
        raise ValidationError(
            _("Dữ liệu đã thay đổi từ lúc xem trước. Hãy tải tệp lên lại để xem trước lần nữa.")
        )
    units = {u.pk: u for u in Unit.objects.filter(pk__in={a["unit_id"] for a in plan["actions"]})}
    awards = {a.pk: a for a in AwardType.objects.all()}
    for action in plan["actions"]:
        if action["exists"]:
            continue
        award_registry_record(
            actor=actor,
            unit=units[action["unit_id"]],
            year=action["year"],
            award_type=awards[action["award_type_id"]],
            decision_number=action["decision_number"],
            decision_date=dt.date.fromisoformat(action["decision_date"]),
            issuing_body=action["issuing_body"],
            note=action["note"],
            source=AwardRecord.Source.IMPORT,
            source_ref=f"import:{batch.pk}:{action['line']}",
        )
    batch.state = RegistryImport.State.APPLIED
    batch.applied_at = timezone.now()
    batch.save(update_fields=["state", "applied_at"])
    return plan["summary"]


def registry_import_discard(*, actor, batch: RegistryImport) -> None:
    RegistryImport.objects.filter(
        pk=batch.pk, created_by=actor, state=RegistryImport.State.PREVIEW
    ).update(state=RegistryImport.State.DISCARDED)


# Ballots -------------------------------------------------------------------------------------------

_NOT_DRAFT = gettext_noop("Cuộc bỏ phiếu đã mở: không thay đổi được danh sách và cách tính nữa.")


def _transition(ballot: Ballot, actor, to_state: str, reason: str = "") -> None:
    BallotTransition.objects.create(
        ballot=ballot, actor=actor, from_state=ballot.state, to_state=to_state, reason=reason
    )


def _ballot_values(*, mode, base, threshold, closes_at, held_on, **rest) -> dict:
    if tl.parse_ratio(threshold) is None:
        raise ValidationError(
            {
                "threshold": _(
                    "Ghi tỷ lệ phần trăm lớn hơn 0 và không quá 100 (ví dụ 50), hoặc phân số (ví dụ 2/3)."
                )
            }
        )
    if closes_at and closes_at.date() < held_on:
        raise ValidationError({"closes_at": _("Hạn bỏ phiếu phải từ ngày bình xét trở đi.")})
    return {
        "mode": mode,
        "base": base,
        "threshold": clean_name(threshold).replace(" ", ""),
        "closes_at": closes_at,
        "held_on": held_on,
        **rest,
    }


@transaction.atomic
def ballot_create(*, actor, bloc: Bloc, year: int, **fields) -> Ballot:
    values = _ballot_values(**fields)
    ballot = Ballot(bloc=bloc, year=year, created_by=actor, **values)
    _attach_actor(ballot, actor).save()
    return ballot


@transaction.atomic
def ballot_update(*, actor, ballot: Ballot, version: int, **fields) -> Ballot:
    values = _ballot_values(**fields)
    values["title"] = clean_name(values["title"])
    updated = update_with_history(
        Ballot.objects.filter(pk=ballot.pk, version=version, state=Ballot.State.DRAFT),
        actor=actor,
        **values,
        version=F("version") + 1,
    )
    if not updated:
        current = Ballot.objects.get(pk=ballot.pk)
        if current.state != Ballot.State.DRAFT:
            raise ValidationError(_(_NOT_DRAFT))
        raise ConflictError(_(_CONFLICT))
    return Ballot.objects.get(pk=ballot.pk)


def _locked_draft(ballot: Ballot) -> Ballot:
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.state != Ballot.State.DRAFT:
        raise ValidationError(_(_NOT_DRAFT))
    return ballot


@transaction.atomic
def ballot_item_add(
    *, actor, ballot: Ballot, award_type: AwardType, max_choices: int
) -> BallotItem:
    ballot = _locked_draft(ballot)
    if BallotItem.objects.filter(ballot=ballot, award_type=award_type).exists():
        raise ValidationError({"award_type": _("{a} đã có trong phiếu.").format(a=award_type.name)})
    last = BallotItem.objects.filter(ballot=ballot).order_by("-order").first()
    item = BallotItem(
        ballot=ballot,
        award_type=award_type,
        max_choices=max_choices,
        order=(last.order + 1) if last else 1,
    )
    _attach_actor(item, actor).save()
    return item


@transaction.atomic
def ballot_item_remove(*, actor, item: BallotItem) -> None:
    _locked_draft(item.ballot)
    for candidate in item.candidates.all():
        _attach_actor(candidate, actor).delete()
    _attach_actor(item, actor).delete()


@transaction.atomic
def ballot_candidates_set(*, actor, item: BallotItem, units: list[Unit]) -> list[Candidate]:
    """The candidates of one award on the ballot: member units of the bloc-year, in member order."""
    ballot = _locked_draft(item.ballot)
    members = list(
        Membership.objects.filter(bloc_id=ballot.bloc_id, year=ballot.year)
        .order_by("position", "unit__full_name")
        .values_list("unit_id", flat=True)
    )
    wanted = {u.pk for u in units}
    if wanted - set(members):
        raise ValidationError(
            _("Chỉ chọn đơn vị thành viên của khối năm {y}.").format(y=ballot.year)
        )
    barred = vetoes_in_force(unit_ids=wanted, year=ballot.year, on=ballot.held_on)
    if barred:
        names = {u.pk: u for u in units}
        raise ValidationError(
            [
                _("{u} chưa được xét khen thưởng: {why} ({source}).").format(
                    u=names[unit_id], why=v.label.lower(), source=v.source
                )
                for unit_id, found in barred.items()
                for v in found
            ]
        )
    current = {c.unit_id: c for c in Candidate.objects.filter(item=item)}
    for unit_id, candidate in current.items():
        if unit_id not in wanted:
            _attach_actor(candidate, actor).delete()
    kept = []
    for position, unit_id in enumerate(u for u in members if u in wanted):
        candidate = current.get(unit_id)
        if candidate is None:
            candidate = Candidate(item=item, unit_id=unit_id, order=position)
            _attach_actor(candidate, actor).save()
        elif candidate.order != position:
            candidate.order = position
            _attach_actor(candidate, actor).save()
        kept.append(candidate)
    return kept


@transaction.atomic
def ballot_open(*, actor, ballot: Ballot) -> Ballot:
    """Open the vote. Each candidate keeps the eligibility shown at this moment, with its reasons."""
    ballot = _locked_draft(ballot)
    items = list(
        BallotItem.objects.filter(ballot=ballot)
        .select_related("award_type")
        .prefetch_related("candidates")
    )
    if not items or not all(item.candidates.all() for item in items):
        raise ValidationError(
            _("Mỗi danh hiệu, hình thức trong phiếu cần ít nhất một đơn vị được giới thiệu.")
        )
    if ballot.closes_at and ballot.closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("Hạn bỏ phiếu đã qua; hãy sửa hạn trước khi mở.")})
    units = list(
        Unit.objects.filter(pk__in={c.unit_id for item in items for c in item.candidates.all()})
    )
    verdicts = selectors.evaluate_units(
        authority_id=ballot.bloc.authority_id,
        units=units,
        year=ballot.year,
        on=ballot.held_on,
        awards=[item.award_type for item in items],
        ranking=selectors.ranking_for(bloc=ballot.bloc, year=ballot.year),
    )
    for item in items:
        for candidate in item.candidates.all():
            candidate.eligibility = selectors.verdict_json(
                verdicts[(candidate.unit_id, item.award_type.code)]
            )
            _attach_actor(candidate, actor).save(update_fields=["eligibility"])
    _transition(ballot, actor, Ballot.State.OPEN)
    ballot.state = Ballot.State.OPEN
    ballot.version += 1
    _attach_actor(ballot, actor).save()
    return ballot


def _items_for_tally(ballot: Ballot) -> list[tl.Item]:
    items = (
        BallotItem.objects.filter(ballot=ballot)
        .prefetch_related("candidates")
        .order_by("order", "pk")
    )
    return [
        tl.Item(
            id=item.pk,
            max_choices=item.max_choices,
            candidate_ids=tuple(c.pk for c in item.candidates.all()),
        )
        for item in items
    ]


def _open_for(ballot: Ballot, unit: Unit) -> Ballot:
    """The ballot, locked so votes and closing take turns, if it accepts the unit's vote."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.state != Ballot.State.OPEN:
        raise ValidationError(_("Cuộc bỏ phiếu không mở."))
    if not Membership.objects.filter(bloc_id=ballot.bloc_id, year=ballot.year, unit=unit).exists():
        raise ValidationError(
            _("{u} không phải thành viên của khối năm {y}.").format(u=unit, y=ballot.year)
        )
    return ballot


_RANDOM = random.SystemRandom()


@transaction.atomic
def ballot_cast(*, actor, ballot: Ballot, unit: Unit, choices: dict) -> None:
    """One ballot for ``unit``: a line on the voter roll and the choices in the box, in one
    transaction, with nothing that links them.

    The roll's unique constraint refuses a second ballot (concurrent clicks included: the ballot
    row is locked first and the insert is guarded). The box of this ballot is then rewritten in a
    random order with fresh random ids, so its row order, SQLite rowids or PostgreSQL xmin
    (all box rows share the last voter's transaction) say nothing about who voted what.
    """
    ballot = _open_for(ballot, unit)
    if ballot.mode != Ballot.Mode.ONLINE:
        raise ValidationError(_("Cuộc bỏ phiếu này dùng phiếu giấy."))
    now = timezone.now()
    if ballot.closes_at and now > ballot.closes_at:
        raise ValidationError(
            _("Đã hết hạn bỏ phiếu lúc {t}.").format(
                t=timezone.localtime(ballot.closes_at).strftime("%H:%M ngày %d/%m/%Y")
            )
        )
    clean = tl.normalise_choices(choices, _items_for_tally(ballot))
    if clean is None:
        raise ValidationError(
            _("Phiếu không hợp lệ: mỗi danh hiệu chỉ đồng ý tối đa số đơn vị được đề nghị.")
        )
    existing = VoterRollEntry.objects.filter(ballot=ballot, unit=unit).first()
    if existing:
        raise ValidationError(_already_voted(existing, unit))
    try:
        with transaction.atomic():
            VoterRollEntry.objects.create(
                ballot=ballot, unit=unit, kind=VoterRollEntry.Kind.VOTED, at=now, recorded_by=actor
            )
    except IntegrityError:
        existing = VoterRollEntry.objects.get(ballot=ballot, unit=unit)
        raise ValidationError(_already_voted(existing, unit)) from None
    box = list(BallotBoxEntry.objects.filter(ballot=ballot).values_list("choices", flat=True))
    box.append(clean)
    _RANDOM.shuffle(box)
    BallotBoxEntry.objects.filter(ballot=ballot).delete()
    BallotBoxEntry.objects.bulk_create([BallotBoxEntry(ballot=ballot, choices=c) for c in box])


def _already_voted(entry: VoterRollEntry, unit: Unit) -> str:
    if entry.kind == VoterRollEntry.Kind.ABSENT:
        return _("{u} đã được ghi vắng mặt trong cuộc bỏ phiếu này.").format(u=unit)
    return _("{u} đã bỏ phiếu lúc {t}; mỗi đơn vị chỉ bỏ một phiếu.").format(
        u=unit, t=timezone.localtime(entry.at).strftime("%H:%M ngày %d/%m/%Y")
    )


@transaction.atomic
def ballot_record_absent(
    *,
    actor,
    ballot: Ballot,
    unit: Unit,
    written_opinion: str = "",
    written_choices: dict | None = None,
) -> VoterRollEntry:
    """An absent member unit, with its written opinion. When ``written_choices`` is given (the
    candidates its letter agrees with), it counts beside the box: it is not a secret ballot."""
    ballot = _open_for(ballot, unit)
    chosen = None
    if written_choices is not None:
        clean = tl.normalise_choices(written_choices, _items_for_tally(ballot))
        if clean is None:
            raise ValidationError(
                {"written_choices": _("Ý kiến đồng ý nhiều hơn số đơn vị được đề nghị.")}
            )
        chosen = sorted(c for agreed in clean.values() for c in agreed)
        if not clean_name(written_opinion):
            raise ValidationError(
                {"written_opinion": _("Hãy ghi ý kiến bằng văn bản mà đơn vị gửi.")}
            )
    existing = VoterRollEntry.objects.filter(ballot=ballot, unit=unit).first()
    if existing:
        raise ValidationError(_already_voted(existing, unit))
    entry = VoterRollEntry(
        ballot=ballot,
        unit=unit,
        kind=VoterRollEntry.Kind.ABSENT,
        at=timezone.now(),
        recorded_by=actor,
        written_opinion=written_opinion,
        written_choices=chosen,
    )
    try:
        with transaction.atomic():
            _attach_actor(entry, actor).save()
    except IntegrityError:
        raise ValidationError(
            _already_voted(VoterRollEntry.objects.get(ballot=ballot, unit=unit), unit)
        ) from None
    return entry


PAPER_PROBLEMS = {
    tl.Problem.ISSUED_ABOVE_PRESENT: gettext_noop(
        "Số phiếu phát ra ({issued}) nhiều hơn số đơn vị có mặt ({present})."
    ),
    tl.Problem.RETURNED_ABOVE_ISSUED: gettext_noop(
        "Số phiếu thu về ({returned}) nhiều hơn số phiếu phát ra ({issued})."
    ),
    tl.Problem.VALID_INVALID_NOT_RETURNED: gettext_noop(
        "Số phiếu hợp lệ và không hợp lệ ({valid} + {invalid}) phải bằng số phiếu thu về ({returned})."
    ),
    tl.Problem.VOTES_MISSING: gettext_noop("Hãy nhập số phiếu đồng ý của từng đơn vị."),
    tl.Problem.VOTES_ABOVE_VALID: gettext_noop(
        "Số phiếu đồng ý của một đơn vị không thể nhiều hơn số phiếu hợp lệ ({valid})."
    ),
    tl.Problem.ITEM_VOTES_ABOVE_LIMIT: gettext_noop(
        "Tổng số phiếu đồng ý của một danh hiệu vượt số phiếu hợp lệ nhân số đơn vị được đề nghị."
    ),
    tl.Problem.BASE_ZERO: gettext_noop("Không có đơn vị nào để tính tỷ lệ."),
}


def tally_json(result: tl.Tally) -> dict:
    return {
        "members": result.members,
        "present": result.present,
        "base": result.base,
        "issued": result.issued,
        "returned": result.returned,
        "valid": result.valid,
        "invalid": result.invalid,
        "written_opinions": result.written_opinions,
        "problems": [str(p) for p in result.problems],
        "items": [
            {
                "item_id": item.item_id,
                "max_choices": item.max_choices,
                "needs_runoff": item.needs_runoff,
                "candidates": [
                    {
                        "candidate_id": c.candidate_id,
                        "votes": c.votes,
                        "written": c.written,
                        "total": c.total,
                        "percent": str(c.percent),
                        "passed": c.passed,
                        "selected": c.selected,
                        "tied": c.tied,
                    }
                    for c in item.candidates
                ],
            }
            for item in result.items
        ],
    }


@transaction.atomic
def ballot_close(
    *,
    actor,
    ballot: Ballot,
    paper: dict | None = None,
    paper_votes: dict[int, int | None] | None = None,
) -> Ballot:
    """Close the vote and keep its tally. Online, the box is counted; on paper, the counting
    committee's totals (``paper``: issued, returned, valid, invalid; ``paper_votes``: candidate
    id → votes) are checked first and refused, field by field, when they do not add up."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.state != Ballot.State.OPEN:
        raise ValidationError(_("Chỉ kết thúc được cuộc bỏ phiếu đang mở."))
    items = _items_for_tally(ballot)
    members = Membership.objects.filter(bloc_id=ballot.bloc_id, year=ballot.year).count()
    roll = list(VoterRollEntry.objects.filter(ballot=ballot))
    absent = [e for e in roll if e.kind == VoterRollEntry.Kind.ABSENT]
    written = [e.written_choices for e in absent if e.written_choices is not None]
    if ballot.mode == Ballot.Mode.ONLINE:
        valid, invalid, votes = tl.count_box(selectors.ballot_box_choices(ballot=ballot), items)
        returned = valid + invalid
        counts = {
            "present": returned,
            "issued": members - len(absent),
            "returned": returned,
            "valid": valid,
            "invalid": invalid,
        }
    else:
        paper = paper or {}
        paper_votes = paper_votes or {}
        counts = {
            "present": members - len(absent),
            "issued": paper.get("issued"),
            "returned": paper.get("returned"),
            "valid": paper.get("valid"),
            "invalid": paper.get("invalid"),
        }
        missing = [k for k in ("issued", "returned", "valid", "invalid") if counts[k] is None]
        if missing:
            raise ValidationError({k: _("Hãy nhập số phiếu.") for k in missing})
        votes = {c: paper_votes.get(c) for item in items for c in item.candidate_ids}
        problems = tl.paper_problems(items=items, votes=votes, **counts)
        if problems:
            raise ValidationError([_(PAPER_PROBLEMS[p]).format(**counts) for p in problems])
        ballot.paper_issued = counts["issued"]
        ballot.paper_returned = counts["returned"]
        ballot.paper_valid = counts["valid"]
        ballot.paper_invalid = counts["invalid"]
        for candidate in Candidate.objects.filter(item__ballot=ballot):
            candidate.paper_votes = votes[candidate.pk]
            _attach_actor(candidate, actor).save(update_fields=["paper_votes"])
    result = tl.tally(
        items=items,
        threshold=selectors.ballot_threshold(ballot),
        members=members,
        votes=votes,
        written=written,
        **counts,
    )
    ballot.tally = tally_json(result)
    _transition(ballot, actor, Ballot.State.CLOSED)
    ballot.state = Ballot.State.CLOSED
    ballot.version += 1
    _attach_actor(ballot, actor).save()
    return ballot


# Proposals ---------------------------------------------------------------------------------------

_PROPOSAL_NOT_EDITABLE = gettext_noop(
    "Đề nghị đã trình Khối trưởng: chỉ sửa được khi còn là dự thảo hoặc bị trả lại."
)


def _proposal_transition(proposal: Proposal, actor, to_state: str, reason: str = "") -> None:
    ProposalTransition.objects.create(
        proposal=proposal, actor=actor, from_state=proposal.state, to_state=to_state, reason=reason
    )
    proposal.state = to_state
    proposal.version += 1
    _attach_actor(proposal, actor, reason).save()


def _locked_proposal(proposal: Proposal, *states) -> Proposal:
    proposal = Proposal.objects.select_for_update().select_related("bloc").get(pk=proposal.pk)
    if states and proposal.state not in states:
        raise ValidationError(
            _("Đề nghị đang ở bước “{s}”: không làm được việc này.").format(
                s=proposal.get_state_display()
            )
        )
    return proposal


def _line_problems(proposal: Proposal, unit: Unit, award_type: AwardType) -> list[str]:
    """Why this line may not be added: not a member, barred, or over the bloc's quota. (The
    province-wide quota of the Government flag is checked on the authority's selection, when the
    council's decision is recorded: DESIGN §7.7.) Empty when it may."""
    bloc, year = proposal.bloc, proposal.year
    if not Membership.objects.filter(bloc=bloc, year=year, unit=unit).exists():
        return [_("{u} không phải thành viên của khối năm {y}.").format(u=unit, y=year)]
    on = selectors.review_date(bloc=bloc, year=year)
    problems = [
        _("{u} chưa được xét khen thưởng: {why} ({source}).").format(
            u=unit, why=v.label.lower(), source=v.source
        )
        for v in vetoes_in_force(unit_ids=[unit.pk], year=year, on=on).get(unit.pk, [])
    ]
    if ProposalLine.objects.filter(proposal=proposal, unit=unit, award_type=award_type).exists():
        problems.append(_("{u} đã có trong đề nghị {a}.").format(u=unit, a=award_type.name))
    quotas = selectors.bloc_quota_map(bloc=bloc, year=year)
    proposed = ProposalLine.objects.filter(proposal=proposal, award_type=award_type).count() + 1
    for overrun in el.bloc_quota_overruns(proposed={award_type.code: proposed}, quotas=quotas):
        problems.append(
            _("Năm {y} khối được đề nghị tối đa {n} {a}.").format(
                y=year, n=overrun.allowed, a=award_type.name
            )
        )
    return problems


def province_quota_problems(*, proposal: Proposal, adding=()) -> list[str]:
    """The authority-wide quotas (the Government flag: a share of the bloc leaders) on the
    selection of the year: the awards already recorded for it, plus ``adding`` ((award code,
    unit id) pairs). One message per quota exceeded."""
    bloc, year = proposal.bloc, proposal.year
    selection = defaultdict(set)
    for code, unit_id in AwardRecord.objects.filter(
        unit__authority_id=bloc.authority_id, year=year
    ).values_list("award_type__code", "unit_id"):
        selection[code].add(unit_id)
    for code, unit_id in adding:
        selection[code].add(unit_id)
    on = selectors.review_date(bloc=bloc, year=year)
    problems = []
    for check in selectors.selection_quota_checks(
        authority=bloc.authority, year=year, on=on, selection=selection
    ):
        if not check.within:
            award = AwardType.objects.get(code=check.award_code)
            problems.append(
                _(
                    # xgettext:no-python-format
                    "{a}: cả {auth} được tặng tối đa {n} đơn vị năm {y} ({p}% của {b} đơn vị dẫn "
                    "đầu khối, cụm; {c}); danh sách đang có {s}."
                ).format(
                    a=award.name,
                    auth=bloc.authority.name,
                    n=check.allowed,
                    y=year,
                    p=formats.number_format(check.percent),
                    b=check.base,
                    c=check.citation,
                    s=check.selected,
                )
            )
    return problems


def _eligibility_for(proposal: Proposal, units, award_types) -> dict:
    verdicts = selectors.evaluate_units(
        authority_id=proposal.bloc.authority_id,
        units=list(units),
        year=proposal.year,
        on=selectors.review_date(bloc=proposal.bloc, year=proposal.year),
        awards=list(award_types),
        ranking=selectors.ranking_for(bloc=proposal.bloc, year=proposal.year),
    )
    return {key: selectors.verdict_json(verdict) for key, verdict in verdicts.items()}


def _add_line(
    proposal,
    *,
    actor,
    unit,
    award_type,
    reason="",
    rank=None,
    total=None,
    votes=None,
    percent=None,
    eligibility=None,
) -> ProposalLine:
    problems = _line_problems(proposal, unit, award_type)
    if problems:
        raise ValidationError(problems)
    if eligibility is None:
        eligibility = _eligibility_for(proposal, [unit], [award_type])[(unit.pk, award_type.code)]
    last = ProposalLine.objects.filter(proposal=proposal).order_by("-order").first()
    line = ProposalLine(
        proposal=proposal,
        unit=unit,
        award_type=award_type,
        order=(last.order + 1) if last else 1,
        rank=rank,
        total=total,
        votes=votes,
        votes_percent=percent,
        eligibility=eligibility,
        added_reason=clean_name(reason),
    )
    _attach_actor(line, actor, reason).save()
    return line


@transaction.atomic
def proposal_build(*, actor, bloc: Bloc, year: int) -> tuple[Proposal, list[str]]:
    """The bloc-year's proposal, drafted from the closed ballot (the units it selected for each
    award) or, without a ballot, from the ranking (the leader → the provincial flag, the others
    → the Chủ tịch's Bằng khen). Returns the proposal and why some units were left out."""
    from scoring.selectors import ranking_latest

    if Proposal.objects.filter(bloc=bloc, year=year).exists():
        raise ValidationError(_("Năm {y} khối đã có đề nghị khen thưởng.").format(y=year))
    Bloc.objects.select_for_update().get(pk=bloc.pk)
    run = ranking_latest(bloc=bloc, year=year)
    ballot = (
        Ballot.objects.filter(bloc=bloc, year=year, state=Ballot.State.CLOSED)
        .order_by("-held_on", "-pk")
        .first()
    )
    proposal = Proposal(
        bloc=bloc,
        year=year,
        created_by=actor,
        ballot=ballot,
        ranking_run_id=run.run.pk if run else None,
    )
    _attach_actor(proposal, actor).save()
    ranked = {e.unit_id: e for e in run.entries} if run else {}
    wanted = []  # (unit id, award type, votes, percent)
    if ballot:
        detail = selectors.ballot_detail(ballot=ballot)
        for item in detail.items:
            for candidate in item.candidates:
                result = candidate.result or {}
                if result.get("selected"):
                    wanted.append(
                        (
                            candidate.candidate.unit_id,
                            item.item.award_type,
                            result.get("total"),
                            Decimal(str(result.get("percent", "0"))),
                        )
                    )
    elif run:
        flag = AwardType.objects.get(code="co_thi_dua_tinh")
        merit = AwardType.objects.get(code="bang_khen_chu_tich_tinh")
        for entry in run.entries:
            if not entry.eligible:
                continue
            leads = entry.rank == 1 and not entry.shared
            wanted.append((entry.unit_id, flag if leads else merit, None, None))
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[w[0] for w in wanted])}
    verdicts = _eligibility_for(proposal, units.values(), {w[1].pk: w[1] for w in wanted}.values())
    left_out = []
    for unit_id, award_type, votes, percent in wanted:
        entry = ranked.get(unit_id)
        try:
            with transaction.atomic():
                _add_line(
                    proposal,
                    actor=actor,
                    unit=units[unit_id],
                    award_type=award_type,
                    rank=entry.rank if entry else None,
                    total=entry.total if entry else None,
                    votes=votes,
                    percent=percent,
                    eligibility=verdicts[(unit_id, award_type.code)],
                )
        except ValidationError as error:
            left_out.extend(error.messages)
    _proposal_transition_log(proposal, actor, "", Proposal.State.DRAFT)
    return proposal, left_out


def _proposal_transition_log(proposal, actor, from_state, to_state, reason=""):
    ProposalTransition.objects.create(
        proposal=proposal, actor=actor, from_state=from_state, to_state=to_state, reason=reason
    )


@transaction.atomic
def proposal_line_add(
    *, actor, proposal: Proposal, unit: Unit, award_type: AwardType, reason: str
) -> ProposalLine:
    """A line the secretariat adds by hand, with the reason it gives."""
    proposal = _locked_proposal(proposal, *Proposal.EDITABLE)
    if not clean_name(reason):
        raise ValidationError({"reason": _("Hãy ghi lý do bổ sung.")})
    from scoring.selectors import ranking_latest

    run = ranking_latest(bloc=proposal.bloc, year=proposal.year)
    entry = next((e for e in run.entries if e.unit_id == unit.pk), None) if run else None
    return _add_line(
        proposal,
        actor=actor,
        unit=unit,
        award_type=award_type,
        reason=reason,
        rank=entry.rank if entry else None,
        total=entry.total if entry else None,
    )


@transaction.atomic
def proposal_line_remove(*, actor, line: ProposalLine, reason: str) -> None:
    _locked_proposal(line.proposal, *Proposal.EDITABLE)
    if not clean_name(reason):
        raise ValidationError({"reason": _("Hãy ghi lý do bỏ đơn vị khỏi đề nghị.")})
    _attach_actor(line, actor, reason).delete()


@transaction.atomic
def proposal_update(*, actor, proposal: Proposal, version: int, summary: str) -> Proposal:
    updated = update_with_history(
        Proposal.objects.filter(pk=proposal.pk, version=version, state__in=Proposal.EDITABLE),
        actor=actor,
        summary=summary.strip(),
        version=F("version") + 1,
    )
    if not updated:
        current = Proposal.objects.get(pk=proposal.pk)
        if not current.editable:
            raise ValidationError(_(_PROPOSAL_NOT_EDITABLE))
        raise ConflictError(_(_CONFLICT))
    return Proposal.objects.get(pk=proposal.pk)


@transaction.atomic
def proposal_submit(*, actor, proposal: Proposal) -> Proposal:
    proposal = _locked_proposal(proposal, *Proposal.EDITABLE)
    if not proposal.lines.exists():
        raise ValidationError(_("Đề nghị chưa có đơn vị nào."))
    _proposal_transition(proposal, actor, Proposal.State.SUBMITTED)
    return proposal


def _require_chair_of_year(actor, proposal: Proposal) -> None:
    from awards.access import is_chair_of_year
    from blocs.access import roles_of

    if roles_of(actor).is_admin or is_chair_of_year(actor, proposal.bloc, proposal.year):
        return
    from blocs.models import ChairTerm

    term = (
        ChairTerm.objects.filter(bloc=proposal.bloc, year=proposal.year)
        .select_related("chair")
        .first()
    )
    raise ValidationError(
        _("Chỉ đại diện {chair}, đơn vị {word} năm {y}, duyệt đề nghị này.").format(
            chair=term.chair if term else _("đơn vị được bầu"),
            word=proposal.bloc.chair_word,
            y=proposal.year,
        )
        if term
        else _("Năm {y} khối chưa bầu {word}: chưa có người duyệt đề nghị.").format(
            y=proposal.year, word=proposal.bloc.chair_word
        )
    )


@transaction.atomic
def proposal_approve(*, actor, proposal: Proposal) -> Proposal:
    proposal = _locked_proposal(proposal, Proposal.State.SUBMITTED)
    _require_chair_of_year(actor, proposal)
    _proposal_transition(proposal, actor, Proposal.State.APPROVED)
    return proposal


@transaction.atomic
def proposal_return(*, actor, proposal: Proposal, reason: str) -> Proposal:
    proposal = _locked_proposal(proposal, Proposal.State.SUBMITTED)
    _require_chair_of_year(actor, proposal)
    if not clean_name(reason):
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại để thư ký biết cần sửa gì.")})
    _proposal_transition(proposal, actor, Proposal.State.RETURNED, clean_name(reason))
    return proposal


@transaction.atomic
def proposal_issue(
    *,
    actor,
    proposal: Proposal,
    number: str,
    symbol: str,
    issued_on: dt.date,
    signer_prefix: str,
    signer_title: str,
    signer_name: str,
) -> Proposal:
    """Give the approved proposal the number and date of the chair unit's register and its
    signer, then render and freeze the dossier (DESIGN §7.5)."""
    from awards import dossier

    proposal = _locked_proposal(proposal, Proposal.State.APPROVED)
    problems = {}
    if not clean_name(number):
        problems["number"] = _("Hãy ghi số văn bản do văn thư cấp.")
    if not clean_name(symbol):
        problems["symbol"] = _("Hãy ghi ký hiệu, ví dụ TTr-KTĐ8.")
    if issued_on.year < proposal.year:
        problems["issued_on"] = _("Ngày ban hành không thể trước năm {y}.").format(y=proposal.year)
    if signer_prefix and signer_prefix not in ("TM.", "KT."):
        problems["signer_prefix"] = _("Chỉ ghi TM. hoặc KT.")
    if problems:
        raise ValidationError(problems)
    proposal.number = number
    proposal.symbol = symbol
    proposal.issued_on = issued_on
    proposal.signer_prefix = signer_prefix
    proposal.signer_title = signer_title
    proposal.signer_name = signer_name
    proposal.save()
    proposal.documents.set(dossier.freeze_dossier(proposal=proposal, actor=actor))
    _proposal_transition(proposal, actor, Proposal.State.ISSUED)
    return proposal


@transaction.atomic
def proposal_send(*, actor, proposal: Proposal) -> Proposal:
    proposal = _locked_proposal(proposal, Proposal.State.ISSUED)
    _proposal_transition(proposal, actor, Proposal.State.SENT)
    return proposal


@transaction.atomic
def proposal_decide(
    *,
    actor,
    proposal: Proposal,
    decision_number: str,
    decision_date: dt.date,
    decision_body: str,
    awarded: set[int],
) -> Proposal:
    """The council's decision: which lines were awarded. Awarded lines go into the registry
    (once: a decision is recorded once, and the registry refuses a second entry)."""
    proposal = _locked_proposal(proposal, Proposal.State.SENT)
    number = _clean_decision_number(decision_number)
    if not number:
        raise ValidationError({"decision_number": _("Hãy ghi số quyết định.")})
    if decision_date < proposal.issued_on:
        raise ValidationError(
            {"decision_date": _("Ngày quyết định không thể trước ngày của Tờ trình.")}
        )
    lines = list(proposal.lines.select_related("unit", "award_type"))
    over = province_quota_problems(
        proposal=proposal,
        adding={(line.award_type.code, line.unit_id) for line in lines if line.pk in awarded},
    )
    if over:
        raise ValidationError(over)
    proposal.decision_number = number
    proposal.decision_date = decision_date
    proposal.decision_body = clean_name(decision_body)
    proposal.save()
    for line in lines:
        line.outcome = (
            ProposalLine.Outcome.AWARDED if line.pk in awarded else ProposalLine.Outcome.NOT_AWARDED
        )
        _attach_actor(line, actor).save(update_fields=["outcome"])
        if line.pk in awarded:
            award_registry_record(
                actor=actor,
                unit=line.unit,
                year=proposal.year,
                award_type=line.award_type,
                decision_number=number,
                decision_date=decision_date,
                issuing_body=proposal.decision_body,
                source=AwardRecord.Source.PROPOSAL,
                source_ref=f"proposal:{proposal.pk}:line:{line.pk}",
                bloc=proposal.bloc,
            )
    _proposal_transition(proposal, actor, Proposal.State.DECIDED)
    return proposal
