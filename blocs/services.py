"""Every write to blocs, units, memberships and chair terms. Keyword-only, atomic, with history."""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from blocs import rules
from blocs.access import roles_of
from blocs.models import (
    Authority,
    Bloc,
    ChairTerm,
    Conference,
    ImportBatch,
    Membership,
    Unit,
    UnitName,
    UnitYearFacts,
    VetoCondition,
)
from blocs.rules import Problem
from blocs.spreadsheets import COLUMN_LABELS, RawRow, UnreadableFile, read_rows
from core.history import update_with_history
from core.text import clean_name, fold


def problem_message(problem: Problem, **context) -> str:
    messages = {
        Problem.CHAIR_NOT_MEMBER: _("Đơn vị được bầu {chair} không phải thành viên năm {year}."),
        Problem.VICE_CHAIR_NOT_MEMBER: _(
            "Đơn vị được bầu {vice} không phải thành viên năm {year}."
        ),
        Problem.CHAIR_IS_VICE_CHAIR: _("{chair} và {vice} phải là hai đơn vị khác nhau."),
        Problem.TERM_EXISTS: _("Năm {year} đã có {chair}; mỗi năm chỉ có một nhiệm kỳ."),
        Problem.ALREADY_MEMBER: _("{unit} đã là thành viên của khối năm {year}."),
        Problem.MEMBER_OF_OTHER_BLOC: _(
            "{unit} đã thuộc một khối khác của {authority} năm {year}."
        ),
        Problem.UNIT_MERGED: _("{unit} đã được sáp nhập trước năm {year}."),
        Problem.OTHER_AUTHORITY: _("{unit} không thuộc {authority}."),
        Problem.HANDOVER_SAME_UNIT: _("Đơn vị trao cờ và đơn vị nhận cờ phải khác nhau."),
        Problem.HANDOVER_NOT_TO_CHAIR: _("Cờ luân lưu được trao cho đơn vị {chair} năm {year}."),
        Problem.HANDOVER_NOT_FROM_PREVIOUS_CHAIR: _(
            "Đơn vị trao cờ là đơn vị {chair} năm {previous}."
        ),
        Problem.HANDOVER_DATE_OUTSIDE_TERM: _(
            "Ngày trao cờ phải trong năm {previous} hoặc năm {year}."
        ),
        Problem.MEMBER_HOLDS_OFFICE: _(
            "{unit} đang là {chair} hoặc {vice} năm {year}: hãy bầu lại trước khi rút khỏi danh sách."
        ),
    }
    return messages[problem].format(**context)


def _offices(bloc: Bloc) -> dict:
    """The words for chair and vice-chair: Khối trưởng/Khối phó, or Cụm trưởng/Cụm phó."""
    return {"chair": bloc.chair_word, "vice": bloc.vice_chair_word}


class ConflictError(ValidationError):
    """Someone else saved the same record since the form was opened."""


_TERM_CONFLICT = gettext_noop(
    "Người khác vừa ghi nhiệm kỳ này. Trang đã tải lại dữ liệu mới nhất; hãy kiểm tra rồi lưu lại."
)


def _attach_actor(instance, actor, reason: str = ""):
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    return instance


# Blocs ----------------------------------------------------------------------------------------


@transaction.atomic
def bloc_create(
    *,
    actor,
    authority: Authority,
    kind: str,
    code: str,
    name: str,
    rotation_rule: str,
    note: str = "",
) -> Bloc:
    if Bloc.objects.filter(authority=authority, code=clean_name(code)).exists():
        raise ValidationError(
            {"code": _("Số hiệu này đã được dùng cho một khối khác của {a}.").format(a=authority)}
        )
    bloc = Bloc(
        authority=authority, kind=kind, code=code, name=name, rotation_rule=rotation_rule, note=note
    )
    _attach_actor(bloc, actor).save()
    return bloc


@transaction.atomic
def bloc_update(
    *,
    actor,
    bloc: Bloc,
    version: int,
    kind: str,
    code: str,
    name: str,
    rotation_rule: str,
    note: str,
) -> Bloc:
    """Optimistic locking: the save succeeds only when nobody changed the bloc since ``version``."""
    code, name = clean_name(code), clean_name(name)
    if Bloc.objects.filter(authority_id=bloc.authority_id, code=code).exclude(pk=bloc.pk).exists():
        raise ValidationError({"code": _("Số hiệu này đã được dùng cho một khối khác.")})
    updated = update_with_history(
        Bloc.objects.filter(pk=bloc.pk, version=version),
        actor=actor,
        kind=kind,
        code=code,
        name=name,
        rotation_rule=rotation_rule,
        note=note.strip(),
        search_key=fold(f"{name} {code}"),
        version=F("version") + 1,
    )
    if not updated:
        raise ConflictError(
            _(
                "Người khác vừa sửa khối này. Trang đã tải lại dữ liệu mới nhất; hãy kiểm tra rồi lưu lại."
            )
        )
    return Bloc.objects.get(pk=bloc.pk)


# Units ----------------------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *,
    actor,
    authority: Authority,
    full_name: str,
    short_name: str = "",
    parent_body: str = "",
    head_title: str = "",
    address: str = "",
    named_since: dt.date | None = None,
) -> Unit:
    full_name = clean_name(full_name)
    if not full_name:
        raise ValidationError({"full_name": _("Hãy nhập tên đơn vị.")})
    key = fold(full_name)
    for existing in Unit.objects.filter(authority=authority, search_key__startswith=key):
        if fold(existing.full_name) == key:
            raise ValidationError(
                {
                    "new_full_name": _(
                        "Đã có đơn vị “{u}”: hãy chọn đơn vị đó trong danh sách có sẵn."
                    ).format(u=existing)
                }
            )
    unit = Unit(
        authority=authority,
        full_name=full_name,
        short_name=short_name,
        parent_body=parent_body,
        head_title=head_title,
        address=address,
    )
    _attach_actor(unit, actor).save()
    _attach_actor(
        UnitName(
            unit=unit, full_name=unit.full_name, short_name=unit.short_name, valid_from=named_since
        ),
        actor,
    ).save()
    return unit


@transaction.atomic
def unit_update(
    *,
    actor,
    unit: Unit,
    version: int,
    short_name: str,
    parent_body: str,
    head_title: str,
    address: str,
) -> Unit:
    """Edit the unit's particulars. Its name changes only through unit_rename, which keeps dates."""
    short_name = clean_name(short_name)
    updated = update_with_history(
        Unit.objects.filter(pk=unit.pk, version=version),
        actor=actor,
        short_name=short_name,
        parent_body=clean_name(parent_body),
        head_title=clean_name(head_title),
        address=clean_name(address),
        search_key=fold(f"{unit.full_name} {short_name} {unit.former_names}")[:1000],
        version=F("version") + 1,
    )
    if not updated:
        raise ConflictError(
            _(
                "Người khác vừa sửa đơn vị này. Trang đã tải lại dữ liệu mới nhất; hãy kiểm tra rồi lưu lại."
            )
        )
    return Unit.objects.get(pk=unit.pk)


@transaction.atomic
def unit_rename(
    *,
    actor,
    unit: Unit,
    version: int,
    full_name: str,
    short_name: str,
    effective_on: dt.date,
    reason: str = "",
) -> Unit:
    """A new name from ``effective_on``; the old name stays attached to the years before it.

    Only a rename already in effect is recorded: the current name must be true today.
    """
    if effective_on > timezone.localdate():
        raise ValidationError(
            {"effective_on": _("Chỉ ghi việc đổi tên khi quyết định đã có hiệu lực.")}
        )
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.version != version:
        raise ConflictError(
            _(
                "Người khác vừa sửa đơn vị này. Trang đã tải lại dữ liệu mới nhất; hãy kiểm tra rồi lưu lại."
            )
        )
    full_name = clean_name(full_name)
    if not full_name:
        raise ValidationError({"full_name": _("Hãy nhập tên mới.")})
    current = unit.names.filter(valid_until__isnull=True).order_by("-valid_from").first()
    if current and current.valid_from and effective_on <= current.valid_from:
        raise ValidationError(
            {
                "effective_on": _(
                    "Ngày đổi tên phải sau ngày {d:%d/%m/%Y}, ngày đơn vị mang tên hiện tại."
                ).format(d=current.valid_from)
            }
        )
    if current:
        current.valid_until = effective_on - dt.timedelta(days=1)
        _attach_actor(current, actor, reason).save()
    _attach_actor(
        UnitName(unit=unit, full_name=full_name, short_name=short_name, valid_from=effective_on),
        actor,
        reason,
    ).save()
    former = " ".join(filter(None, [unit.former_names, unit.full_name, unit.short_name]))
    unit.former_names = former
    unit.full_name = full_name
    unit.short_name = short_name
    unit.version += 1
    _attach_actor(unit, actor, reason).save()
    return unit


@transaction.atomic
def unit_merge(*, actor, unit: Unit, into: Unit, effective_on: dt.date, reason: str = "") -> Unit:
    """Record that ``unit`` was merged into ``into``. Its past years keep its own name and history."""
    if unit.pk == into.pk:
        raise ValidationError({"into": _("Không thể sáp nhập một đơn vị vào chính nó.")})
    if unit.authority_id != into.authority_id:
        raise ValidationError({"into": _("Hai đơn vị phải cùng một tỉnh / thành phố.")})
    if into.merged_into_id:
        raise ValidationError({"into": _("{u} cũng đã được sáp nhập.").format(u=into)})
    if unit.merged_into_id:
        raise ValidationError(
            {"into": _("{u} đã được sáp nhập vào {v}.").format(u=unit, v=unit.merged_into)}
        )
    current = unit.names.filter(valid_until__isnull=True).exclude(valid_from__isnull=True).first()
    if current and effective_on <= current.valid_from:
        raise ValidationError(
            {
                "effective_on": _(
                    "Ngày sáp nhập phải sau ngày {d:%d/%m/%Y}, ngày đơn vị mang tên hiện tại."
                ).format(d=current.valid_from)
            }
        )
    later = Membership.objects.filter(unit=unit, year__gt=effective_on.year).select_related("bloc")
    if later.exists():
        years = sorted({m.year for m in later})
        raise ValidationError(
            {
                "effective_on": _(
                    "Đơn vị còn là thành viên khối các năm {y} sau ngày sáp nhập."
                ).format(y=", ".join(map(str, years)))
            }
        )
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    unit.merged_into = into
    unit.merged_on = effective_on
    unit.version += 1
    _attach_actor(unit, actor, reason).save()
    update_with_history(
        unit.names.filter(valid_until__isnull=True),
        actor=actor,
        reason=reason,
        valid_until=effective_on - dt.timedelta(days=1),
    )
    return unit


# Memberships ----------------------------------------------------------------------------------


def _membership_check(*, bloc: Bloc, year: int, unit: Unit) -> None:
    other_blocs = list(
        Membership.objects.filter(unit=unit, year=year, bloc__authority_id=bloc.authority_id)
        .exclude(bloc=bloc)
        .values_list("bloc_id", flat=True)
    )
    problems = rules.membership_problems(
        unit_authority=unit.authority_id,
        bloc_authority=bloc.authority_id,
        already_member=Membership.objects.filter(bloc=bloc, unit=unit, year=year).exists(),
        other_blocs_same_authority=other_blocs,
        authority_allows_multiple=bloc.authority.allows_multiple_blocs,
        unit_merged_before_year=bool(unit.merged_on and unit.merged_on <= dt.date(year, 1, 1)),
    )
    if problems:
        raise ValidationError(
            [problem_message(p, unit=unit, year=year, authority=bloc.authority) for p in problems]
        )


@transaction.atomic
def membership_add(*, actor, bloc: Bloc, year: int, unit: Unit) -> Membership:
    # Lock the unit so two secretaries adding it to two blocs at once cannot both pass the check.
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _membership_check(bloc=bloc, year=year, unit=unit)
    last = Membership.objects.filter(bloc=bloc, year=year).order_by("-position").first()
    membership = Membership(
        bloc=bloc, unit=unit, year=year, position=(last.position + 1) if last else 1
    )
    try:
        with transaction.atomic():
            _attach_actor(membership, actor).save()
    except IntegrityError:
        raise ValidationError(
            problem_message(Problem.ALREADY_MEMBER, unit=unit, year=year)
        ) from None
    return membership


@transaction.atomic
def membership_add_new_unit(
    *, actor, bloc: Bloc, year: int, full_name: str, short_name: str = ""
) -> Membership:
    unit = unit_create(
        actor=actor, authority=bloc.authority, full_name=full_name, short_name=short_name
    )
    return membership_add(actor=actor, bloc=bloc, year=year, unit=unit)


@transaction.atomic
def membership_remove(*, actor, bloc: Bloc, year: int, unit: Unit, reason: str = "") -> None:
    membership = (
        Membership.objects.select_for_update().filter(bloc=bloc, year=year, unit=unit).first()
    )
    if membership is None:
        return
    term = ChairTerm.objects.filter(bloc=bloc, year=year).first()
    problems = rules.removal_problems(
        unit=unit.pk,
        chair=term.chair_id if term else None,
        vice_chair=term.vice_chair_id if term else None,
    )
    if problems:
        raise ValidationError(
            [problem_message(p, unit=unit, year=year, **_offices(bloc)) for p in problems]
        )
    _attach_actor(membership, actor, reason).delete()


@transaction.atomic
def membership_copy_previous_year(*, actor, bloc: Bloc, year: int) -> list[Membership]:
    """Start a year with last year's members, skipping units merged away or already placed."""
    added = []
    previous = (
        Membership.objects.filter(bloc=bloc, year=year - 1)
        .select_related("unit")
        .order_by("position")
    )
    for old in previous:
        try:
            added.append(membership_add(actor=actor, bloc=bloc, year=year, unit=old.unit))
        except ValidationError:
            continue
    return added


# Chair terms ----------------------------------------------------------------------------------


@transaction.atomic
def chair_term_elect(
    *,
    actor,
    bloc: Bloc,
    year: int,
    chair: Unit,
    vice_chair: Unit | None,
    elected_on: dt.date | None,
    elected_at: str = "",
    term: ChairTerm | None = None,
    version: int | None = None,
    reason: str = "",
) -> ChairTerm:
    """Record (or correct, when ``term`` and its ``version`` are given) the chair and vice-chair."""
    members = set(Membership.objects.filter(bloc=bloc, year=year).values_list("unit_id", flat=True))
    if not members:
        # Next year's chair is elected at this year's year-end conference, before next year's
        # member list is drawn up: the members carry over, as they usually do.
        members = {
            m.unit_id for m in membership_copy_previous_year(actor=actor, bloc=bloc, year=year)
        }
    existing = ChairTerm.objects.select_for_update().filter(bloc=bloc, year=year).first()
    if (
        term is not None
        and existing is not None
        and existing.pk == term.pk
        and existing.version != version
    ):
        raise ConflictError(_(_TERM_CONFLICT))
    problems = rules.chair_term_problems(
        chair=chair.pk,
        vice_chair=vice_chair.pk if vice_chair else None,
        members=members,
        term_exists=existing is not None and (term is None or existing.pk != term.pk),
    )
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            field = {
                Problem.CHAIR_NOT_MEMBER: "chair",
                Problem.VICE_CHAIR_NOT_MEMBER: "vice_chair",
                Problem.CHAIR_IS_VICE_CHAIR: "vice_chair",
            }.get(problem, "__all__")
            errors.setdefault(field, []).append(
                problem_message(problem, year=year, **_offices(bloc))
            )
        raise ValidationError(errors)
    term = existing or ChairTerm(bloc=bloc, year=year)
    term.chair = chair
    term.vice_chair = vice_chair
    term.elected_on = elected_on
    term.elected_at = clean_name(elected_at)
    term.version = (term.version or 0) + 1 if term.pk else 1
    try:
        with transaction.atomic():
            _attach_actor(term, actor, reason).save()
    except IntegrityError:
        raise ValidationError(
            problem_message(Problem.TERM_EXISTS, year=year, **_offices(bloc))
        ) from None
    return term


@transaction.atomic
def chair_term_record_handover(
    *,
    actor,
    term: ChairTerm,
    version: int,
    handover_on: dt.date,
    from_unit: Unit | None,
    to_unit: Unit,
) -> ChairTerm:
    """The rotating flag handed to this term's chair unit (usually at the previous year-end)."""
    previous = ChairTerm.objects.filter(bloc_id=term.bloc_id, year=term.year - 1).first()
    problems = rules.handover_problems(
        from_unit=from_unit.pk if from_unit else None,
        to_unit=to_unit.pk,
        chair=term.chair_id,
        previous_chair=previous.chair_id if previous else None,
        handover_year=handover_on.year,
        term_year=term.year,
    )
    if problems:
        context = {"year": term.year, "previous": term.year - 1, **_offices(term.bloc)}
        field = {
            Problem.HANDOVER_NOT_FROM_PREVIOUS_CHAIR: "from_unit",
            Problem.HANDOVER_DATE_OUTSIDE_TERM: "handover_on",
        }
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(field.get(problem, "to_unit"), []).append(
                problem_message(problem, **context)
            )
        raise ValidationError(errors)
    term = ChairTerm.objects.select_for_update().get(pk=term.pk)
    if term.version != version:
        raise ConflictError(_(_TERM_CONFLICT))
    term.version += 1
    term.handover_on = handover_on
    term.handover_from = from_unit
    term.handover_to = to_unit
    _attach_actor(term, actor).save()
    return term


# Conferences ----------------------------------------------------------------------------------


@transaction.atomic
def conference_add(
    *,
    actor,
    bloc: Bloc,
    year: int,
    kind: str,
    held_on: dt.date,
    place: str = "",
    presiding_unit: Unit | None = None,
    presiding_person: str = "",
    attendance: str = "",
    note: str = "",
) -> Conference:
    if (
        presiding_unit
        and not Membership.objects.filter(bloc=bloc, year=year, unit=presiding_unit).exists()
    ):
        raise ValidationError(
            {
                "presiding_unit": _("Đơn vị chủ trì phải là thành viên của khối năm {y}.").format(
                    y=year
                )
            }
        )
    conference = Conference(
        bloc=bloc,
        year=year,
        kind=kind,
        held_on=held_on,
        place=place,
        presiding_unit=presiding_unit,
        presiding_person=presiding_person,
        attendance=clean_name(attendance),
        note=note.strip(),
    )
    _attach_actor(conference, actor).save()
    return conference


# Import -----------------------------------------------------------------------------------------

_UNREADABLE = {
    "xlsx_unreadable": gettext_noop(
        "Không đọc được tệp Excel. Hãy lưu lại dưới dạng .xlsx rồi tải lên."
    ),
    "csv_not_utf8": gettext_noop("Tệp CSV phải được lưu với bảng mã UTF-8."),
    "unknown_type": gettext_noop("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."),
    "empty": gettext_noop("Tệp không có dữ liệu."),
    "too_many_rows": gettext_noop("Tệp có quá nhiều dòng; hãy chia nhỏ."),
}
_UNIT_FIELDS = ("short_name", "parent_body", "head_title", "address")


def _import_plan(*, actor, authority: Authority, rows) -> dict:
    """Validate every row against the database and the person's rights; plan, write nothing."""

    roles = roles_of(actor)
    blocs = {
        fold(b.code): b
        for b in Bloc.objects.filter(authority=authority).select_related("authority")
    }
    units = {}
    for unit in Unit.objects.filter(authority=authority):
        units.setdefault(fold(unit.full_name), unit)
    years = {int(r.values["year"]) for r in rows if r.values["year"].isdigit()}
    existing = {
        (m.unit_id, m.year): m.bloc_id
        for m in Membership.objects.filter(bloc__authority=authority, year__in=years)
    }
    planned: dict[tuple[str, int], tuple[int, int]] = {}
    actions, errors = [], []
    for row in rows:
        v = row.values
        problems = []
        bloc = blocs.get(fold(v["bloc_code"]))
        if not v["bloc_code"]:
            problems.append(_("thiếu mã khối"))
        elif bloc is None:
            problems.append(_("không có khối mã “{c}” ở {a}").format(c=v["bloc_code"], a=authority))
        year = int(v["year"]) if v["year"].isdigit() else None
        if year is None or not 2000 <= year <= 2100:
            problems.append(
                _("năm “{y}” không hợp lệ (cần 4 chữ số, ví dụ 2024)").format(y=v["year"])
            )
        if not v["full_name"]:
            problems.append(_("thiếu tên đơn vị"))
        if bloc and year and not roles.can_write_bloc(bloc, year):
            problems.append(_("bạn không có quyền cập nhật {b} năm {y}").format(b=bloc, y=year))
        key = fold(v["full_name"])
        unit = units.get(key)
        if not problems:
            if unit and unit.merged_on and unit.merged_on.year < year:
                problems.append(_("{u} đã được sáp nhập trước năm {y}").format(u=unit, y=year))
            previous = planned.get((key, year))
            if previous and previous[0] == bloc.pk:
                problems.append(_("trùng với dòng {n}").format(n=previous[1]))
            other_bloc = existing.get((unit.pk, year)) if unit else None
            if previous and previous[0] != bloc.pk and not authority.allows_multiple_blocs:
                problems.append(
                    _("đơn vị đã được xếp vào khối khác ở dòng {n}").format(n=previous[1])
                )
            elif other_bloc and other_bloc != bloc.pk and not authority.allows_multiple_blocs:
                problems.append(
                    _("đơn vị đã thuộc một khối khác của {a} năm {y}").format(a=authority, y=year)
                )
        if problems:
            message = "; ".join(str(p) for p in problems)
            errors.append({"line": row.line, "message": message[:1].upper() + message[1:] + "."})
            continue
        planned[(key, year)] = (bloc.pk, row.line)
        changes = {}
        if unit:
            changes = {f: v[f] for f in _UNIT_FIELDS if v[f] and v[f] != getattr(unit, f)}
        member = bool(unit and existing.get((unit.pk, year)) == bloc.pk)
        actions.append(
            {
                "line": row.line,
                "bloc_id": bloc.pk,
                "bloc": str(bloc),
                "year": year,
                "unit_id": unit.pk if unit else None,
                "full_name": unit.full_name if unit else v["full_name"],
                "fields": {f: v[f] for f in _UNIT_FIELDS},
                "create_unit": unit is None,
                "unit_changes": changes,
                "change_labels": [
                    {"label": COLUMN_LABELS[f], "value": v} for f, v in changes.items()
                ],
                "add_membership": not member,
            }
        )
    summary = {
        "units_created": len({a["full_name"] for a in actions if a["create_unit"]}),
        "units_changed": len({a["unit_id"] for a in actions if a["unit_changes"]}),
        "memberships_added": sum(1 for a in actions if a["add_membership"]),
        "unchanged": sum(
            1 for a in actions if not (a["create_unit"] or a["unit_changes"] or a["add_membership"])
        ),
        "errors": len(errors),
    }
    return {"authority_id": authority.pk, "actions": actions, "errors": errors, "summary": summary}


@transaction.atomic
def import_preview(*, actor, authority: Authority, filename: str, content: bytes):
    """Read the file, check every row, store the plan. Nothing in the organisation changes yet."""
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            {"file": _("Tệp lớn hơn {n} MB.").format(n=settings.IMPORT_MAX_BYTES // 2**20)}
        )
    try:
        rows, missing = read_rows(
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
    plan = _import_plan(actor=actor, authority=authority, rows=rows)
    plan["rows"] = [{"line": r.line, "values": r.values} for r in rows]
    return ImportBatch.objects.create(
        created_by=actor,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        plan=plan,
    )


@transaction.atomic
def import_apply(*, actor, batch) -> dict:
    """Apply a previewed import, all or nothing. The rows are checked again: the data may have moved."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != ImportBatch.State.PREVIEW:
        raise ValidationError(_("Lần nhập này đã được ghi hoặc đã hủy."))
    authority = Authority.objects.get(pk=batch.plan["authority_id"])
    rows = [RawRow(line=r["line"], values=r["values"]) for r in batch.plan["rows"]]
    if batch.plan["errors"]:
        raise ValidationError(
            _("Tệp còn {n} dòng có lỗi; hãy sửa rồi tải lên lại.").format(
                n=len(batch.plan["errors"])
            )
        )
    plan = _import_plan(actor=actor, authority=authority, rows=rows)
    if plan["errors"] or plan["actions"] != batch.plan["actions"]:
        # What would be written now is not what the person saw and confirmed.
        raise ValidationError(
            _("Dữ liệu đã thay đổi từ lúc xem trước. Hãy tải tệp lên lại để xem trước lần nữa.")
        )
    created: dict[str, Unit] = {}
    blocs = {b.pk: b for b in Bloc.objects.filter(authority=authority).select_related("authority")}
    for action in plan["actions"]:
        if action["create_unit"]:
            unit = created.get(fold(action["full_name"]))
            if unit is None:
                unit = unit_create(
                    actor=actor,
                    authority=authority,
                    full_name=action["full_name"],
                    **action["fields"],
                )
                created[fold(action["full_name"])] = unit
        else:
            unit = Unit.objects.get(pk=action["unit_id"])
            if action["unit_changes"]:
                for field, value in action["unit_changes"].items():
                    setattr(unit, field, value)
                unit.version += 1
                _attach_actor(unit, actor, _("Nhập từ tệp {f}").format(f=batch.filename)).save()
        if action["add_membership"]:
            membership_add(
                actor=actor, bloc=blocs[action["bloc_id"]], year=action["year"], unit=unit
            )
    batch.state = ImportBatch.State.APPLIED
    batch.applied_at = timezone.now()
    batch.plan = {**batch.plan, "applied_summary": plan["summary"]}
    batch.save()
    return plan["summary"]


def import_discard(*, actor, batch) -> None:

    ImportBatch.objects.filter(
        pk=batch.pk, created_by=actor, state=ImportBatch.State.PREVIEW
    ).update(state=ImportBatch.State.DISCARDED)


# Facts of a unit-year and veto conditions ---------------------------------------------------------

_FACTS_CONFLICT = gettext_noop(
    "Người khác vừa sửa số liệu này. Trang đã tải lại dữ liệu mới nhất; hãy kiểm tra rồi lưu lại."
)


def _facts_check(headcount, counts: dict) -> None:
    problems = rules.facts_problems(headcount=headcount, **counts)
    if problems:
        raise ValidationError(
            {
                field: _("Lớn hơn tổng số người ({n}).").format(n=headcount)
                if problem == rules.FactsProblem.COUNT_ABOVE_HEADCOUNT
                else _("Hãy nhập tổng số người trước.")
                for field, problem in problems.items()
            }
        )


@transaction.atomic
def unit_year_facts_set(
    *,
    actor,
    unit: Unit,
    year: int,
    version: int | None,
    headcount: int | None,
    women: int | None = None,
    completed_tasks: int | None = None,
    advanced_workers: int | None = None,
    emulation_fighters: int | None = None,
    disciplined_warning_or_above: int | None = None,
    source: str = "",
) -> UnitYearFacts:
    """Record a unit's figures for a year. ``version`` is the one the form showed (None: no row
    existed yet); a save over someone else's newer figures is refused."""
    counts = {
        "women": women,
        "completed_tasks": completed_tasks,
        "advanced_workers": advanced_workers,
        "emulation_fighters": emulation_fighters,
        "disciplined_warning_or_above": disciplined_warning_or_above,
    }
    _facts_check(headcount, counts)
    values = {"headcount": headcount, **counts, "source": clean_name(source)}
    if version is None:
        if UnitYearFacts.objects.filter(unit=unit, year=year).exists():
            raise ConflictError(_(_FACTS_CONFLICT))
        facts = UnitYearFacts(unit=unit, year=year, **values)
        _attach_actor(facts, actor).save()
        return facts
    updated = update_with_history(
        UnitYearFacts.objects.filter(unit=unit, year=year, version=version),
        actor=actor,
        **values,
        version=F("version") + 1,
    )
    if not updated:
        raise ConflictError(_(_FACTS_CONFLICT))
    return UnitYearFacts.objects.get(unit=unit, year=year)


@transaction.atomic
def veto_condition_record(
    *,
    actor,
    unit: Unit,
    year: int,
    kind: str,
    description: str,
    source: str,
    recorded_on: dt.date,
) -> VetoCondition:
    if not clean_name(source):
        raise ValidationError({"source": _("Hãy ghi văn bản làm căn cứ.")})
    condition = VetoCondition(
        unit=unit,
        year=year,
        kind=kind,
        description=description,
        source=source,
        recorded_on=recorded_on,
    )
    _attach_actor(condition, actor).save()
    return condition


@transaction.atomic
def veto_condition_lift(
    *, actor, condition: VetoCondition, lifted_on: dt.date, reason: str
) -> VetoCondition:
    condition = VetoCondition.objects.select_for_update().get(pk=condition.pk)
    if condition.lifted_on:
        raise ValidationError(
            _("Trường hợp này đã chấm dứt từ ngày {d:%d/%m/%Y}.").format(d=condition.lifted_on)
        )
    if lifted_on < condition.recorded_on:
        raise ValidationError({"lifted_on": _("Ngày chấm dứt phải sau ngày ghi nhận.")})
    if not clean_name(reason):
        raise ValidationError({"reason": _("Hãy ghi lý do chấm dứt.")})
    condition.lifted_on = lifted_on
    condition.lifted_reason = reason
    _attach_actor(condition, actor, reason).save()
    return condition
