"""Every write of the pledges app. Keyword-only, atomic, with history and a transition log.

The workflow lives here:

- plan / regulation: draft (secretariat) → issued (the chair unit's representative: number and
  date, signer, signed scan) → superseded by a corrected revision;
- pledge: draft (secretariat edits contents and targets) → open (contents fixed; units sign) →
  in force when every member of the year has signed (the PDF is frozen with its SHA-256 then) →
  superseded when a corrected revision comes into force. Going back from open to draft voids the
  signatures already recorded (kept, marked void, with the reason).

Access is the caller's (pledges/access.py); the services check the state and the data.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from blocs.models import Membership, Role, Unit
from core import jobs
from core.history import update_with_history
from core.text import clean_name
from pledges import references, signing
from pledges.models import (
    Achievement,
    Movement,
    Pledge,
    PledgeTransition,
    Reminder,
    Signature,
    SignerPrefix,
    Target,
    YearDocument,
    YearDocumentTransition,
)


class ConflictError(ValidationError):
    """Someone else saved the same record since the form was opened."""


_PLEDGE_CONFLICT = gettext_noop(
    "Người khác vừa sửa bản giao ước này. Trang đã tải lại dữ liệu mới nhất; hãy kiểm tra rồi lưu lại."
)
_DOCUMENT_CONFLICT = gettext_noop(
    "Người khác vừa sửa văn bản này. Trang đã tải lại dữ liệu mới nhất; hãy kiểm tra rồi lưu lại."
)
_MOVEMENT_CONFLICT = gettext_noop(
    "Người khác vừa sửa phong trào này. Trang đã tải lại dữ liệu mới nhất; hãy kiểm tra rồi lưu lại."
)
_ACHIEVEMENT_CONFLICT = gettext_noop(
    "Người khác vừa ghi kết quả của đơn vị này. Trang đã tải lại dữ liệu mới nhất; hãy kiểm tra rồi lưu lại."
)


def _attach_actor(instance, actor, reason: str = ""):
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    return instance


def _paragraphs(text: str) -> str:
    """Keep paragraphs (one per line), each cleaned; drop empty lines."""
    return "\n".join(p for p in (clean_name(line) for line in (text or "").splitlines()) if p)


def _member_ids(bloc, year) -> list[int]:
    return list(
        Membership.objects.filter(bloc=bloc, year=year)
        .order_by("position", "unit__full_name")
        .values_list("unit_id", flat=True)
    )


def _store_scan(instance, scan, prefix_field="scan") -> None:
    """Put an uploaded file (already checked by core.uploads.check_upload) on ``instance``."""
    scan.seek(0)
    data = scan.read()
    kind = getattr(scan, "checked_kind", None)
    getattr(instance, prefix_field).save(scan.name, ContentFile(data), save=False)
    instance.scan_name = clean_name(scan.name)[:200]
    instance.scan_type = kind.content_type if kind else "application/octet-stream"
    instance.scan_sha256 = hashlib.sha256(data).hexdigest()


def _signer_check(prefix: str, on_behalf_of: str, field_prefix: str = "signer") -> None:
    if prefix and not clean_name(on_behalf_of):
        raise ValidationError(
            {
                f"{field_prefix}_on_behalf_of": _(
                    "Ký “{p}” thì ghi rõ thay mặt / ký thay cho ai (ví dụ: Trưởng Ban)."
                ).format(p=prefix)
            }
        )
    if not prefix and clean_name(on_behalf_of):
        raise ValidationError(
            {
                f"{field_prefix}_prefix": _(
                    "Đã ghi “thay mặt / ký thay cho”: hãy chọn hình thức ký TM. hoặc KT."
                )
            }
        )


# Plan and regulation -----------------------------------------------------------------------------


def _log_document(document, actor, from_state, to_state, reason=""):
    YearDocumentTransition.objects.create(
        document=document, actor=actor, from_state=from_state, to_state=to_state, reason=reason
    )


@transaction.atomic
def year_document_create(
    *, actor, bloc, year: int, kind: str, title: str, theme: str = "", summary: str = ""
) -> YearDocument:
    if YearDocument.objects.filter(bloc=bloc, year=year, kind=kind).exists():
        raise ValidationError(
            _(
                "Năm {y} đã có văn bản này; hãy sửa dự thảo, hoặc lập bản sửa đổi của văn bản đã ban hành."
            ).format(y=year)
        )
    title = clean_name(title)
    if not title:
        raise ValidationError({"title": _("Hãy nhập trích yếu của văn bản.")})
    document = YearDocument(
        bloc=bloc,
        year=year,
        kind=kind,
        title=title,
        theme=theme if kind == YearDocument.Kind.PLAN else "",
        summary=_paragraphs(summary),
        created_by=actor,
    )
    _attach_actor(document, actor).save()
    _log_document(document, actor, "", YearDocument.State.DRAFT)
    return document


def _next_year_title(title: str, year: int) -> str:
    return title.replace(str(year - 1), str(year))


@transaction.atomic
def year_documents_copy_previous(*, actor, bloc, year: int) -> list[YearDocument]:
    """Start the year from last year's plan and regulation: drafts with the year moved on.

    The theme is not carried over (each year has its own); the number and date are not either.
    """
    created = []
    for kind in YearDocument.Kind.values:
        if YearDocument.objects.filter(bloc=bloc, year=year, kind=kind).exists():
            continue
        previous = (
            YearDocument.objects.filter(bloc=bloc, year=year - 1, kind=kind)
            .exclude(state=YearDocument.State.SUPERSEDED)
            .order_by("-revision")
            .first()
        )
        if previous is None:
            continue
        document = YearDocument(
            bloc=bloc,
            year=year,
            kind=kind,
            title=_next_year_title(previous.title, year),
            summary=previous.summary.replace(str(year - 1), str(year)),
            created_by=actor,
        )
        _attach_actor(document, actor, _("Lấy từ văn bản năm {y}").format(y=year - 1)).save()
        _log_document(
            document,
            actor,
            "",
            YearDocument.State.DRAFT,
            _("Lấy từ văn bản năm {y}").format(y=year - 1),
        )
        created.append(document)
    return created


@transaction.atomic
def year_document_update(
    *, actor, document: YearDocument, version: int, title: str, theme: str = "", summary: str = ""
) -> YearDocument:
    title = clean_name(title)
    if not title:
        raise ValidationError({"title": _("Hãy nhập trích yếu của văn bản.")})
    current = YearDocument.objects.select_for_update().get(pk=document.pk)
    if current.state != YearDocument.State.DRAFT:
        raise ValidationError(_("Văn bản đã ban hành thì không sửa được; hãy lập bản sửa đổi."))
    updated = update_with_history(
        YearDocument.objects.filter(pk=document.pk, version=version),
        actor=actor,
        title=title,
        theme=clean_name(theme) if current.kind == YearDocument.Kind.PLAN else "",
        summary=_paragraphs(summary),
        version=F("version") + 1,
    )
    if not updated:
        raise ConflictError(_(_DOCUMENT_CONFLICT))
    return YearDocument.objects.get(pk=document.pk)


def reference_error(reference: str) -> str | None:
    problem = references.reference_problem(reference)
    messages = {
        references.Problem.EMPTY: _("Hãy nhập số, ký hiệu của văn bản."),
        references.Problem.NO_NUMBER: _("Số, ký hiệu bắt đầu bằng số văn bản, ví dụ 972/KH-CTĐ7."),
        references.Problem.NO_SYMBOL: _(
            "Thiếu ký hiệu sau dấu “/”, ví dụ 972/KH-CTĐ7 hoặc 580/QĐ-CTĐ 7."
        ),
        references.Problem.BAD_CHARACTERS: _(
            "Số, ký hiệu chỉ gồm chữ, số, dấu “/”, “-”, “.” và khoảng trắng."
        ),
        references.Problem.TOO_LONG: _("Số, ký hiệu dài quá {n} ký tự.").format(
            n=references.MAX_LENGTH
        ),
    }
    return messages[problem] if problem else None


@transaction.atomic
def year_document_issue(
    *,
    actor,
    document: YearDocument,
    version: int,
    issuer_unit: Unit,
    reference: str,
    issued_on: dt.date,
    signer_prefix: str,
    signer_on_behalf_of: str,
    signer_title: str,
    signer_name: str,
    scan,
) -> YearDocument:
    """Draft → issued: the number and date from the chair unit's register, the signer, the signed
    and stamped scan (checked by the form). Then the revision is frozen; a revision it corrects
    becomes superseded."""
    reference = references.clean_reference(reference)
    error = reference_error(reference)
    if error:
        raise ValidationError({"reference": error})
    if issued_on.year not in (document.year - 1, document.year):
        raise ValidationError(
            {
                "issued_on": _("Ngày ban hành phải trong năm {a} hoặc năm {b}.").format(
                    a=document.year - 1, b=document.year
                )
            }
        )
    _signer_check(signer_prefix, signer_on_behalf_of)
    if not clean_name(signer_name):
        raise ValidationError({"signer_name": _("Hãy nhập họ tên người ký.")})
    if not clean_name(signer_title):
        raise ValidationError({"signer_title": _("Hãy nhập chức vụ người ký.")})
    if scan is None:
        raise ValidationError(
            {"scan": _("Hãy tải lên bản chụp văn bản đã ký, đóng dấu (PDF hoặc ảnh).")}
        )
    current = YearDocument.objects.select_for_update().get(pk=document.pk)
    if current.version != version:
        raise ConflictError(_(_DOCUMENT_CONFLICT))
    if current.state != YearDocument.State.DRAFT:
        raise ValidationError(_("Văn bản này đã được ban hành."))
    previous = current.supersedes
    if previous is not None and previous.state == YearDocument.State.ISSUED:
        previous.state = YearDocument.State.SUPERSEDED
        previous.version += 1
        _attach_actor(previous, actor, current.change_reason).save()
        _log_document(
            previous,
            actor,
            YearDocument.State.ISSUED,
            YearDocument.State.SUPERSEDED,
            current.change_reason,
        )
    current.reference = reference
    current.issued_on = issued_on
    current.issuer_unit = issuer_unit
    current.signer_prefix = signer_prefix
    current.signer_on_behalf_of = signer_on_behalf_of
    current.signer_title = signer_title
    current.signer_name = signer_name
    current.issued_by = actor
    current.issued_at = timezone.now()
    current.state = YearDocument.State.ISSUED
    current.version += 1
    _store_scan(current, scan)
    _attach_actor(current, actor).save()
    _log_document(current, actor, YearDocument.State.DRAFT, YearDocument.State.ISSUED)
    return current


@transaction.atomic
def year_document_amend(*, actor, document: YearDocument, reason: str) -> YearDocument:
    """An issued plan or regulation stays as it was; its correction is a new draft revision."""
    reason = clean_name(reason)
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do sửa đổi.")})
    current = YearDocument.objects.select_for_update().get(pk=document.pk)
    if current.state != YearDocument.State.ISSUED:
        raise ValidationError(_("Chỉ lập bản sửa đổi cho văn bản đã ban hành."))
    if YearDocument.objects.filter(
        bloc_id=current.bloc_id,
        year=current.year,
        kind=current.kind,
        state=YearDocument.State.DRAFT,
    ).exists():
        raise ValidationError(_("Đã có một bản sửa đổi đang soạn."))
    draft = YearDocument(
        bloc_id=current.bloc_id,
        year=current.year,
        kind=current.kind,
        revision=current.revision + 1,
        title=current.title,
        theme=current.theme,
        summary=current.summary,
        supersedes=current,
        change_reason=reason,
        created_by=actor,
    )
    _attach_actor(draft, actor, reason).save()
    _log_document(draft, actor, "", YearDocument.State.DRAFT, reason)
    return draft


# Movements ----------------------------------------------------------------------------------------


def _movement_values(bloc, year, values: dict) -> dict:
    name = clean_name(values.get("name"))
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên phong trào.")})
    launched_by = values["launched_by"]
    unit = values.get("launched_by_unit")
    if launched_by == Movement.Launcher.UNIT:
        if unit is None:
            raise ValidationError({"launched_by_unit": _("Hãy chọn đơn vị phát động phong trào.")})
        if not Membership.objects.filter(bloc=bloc, year=year, unit=unit).exists():
            raise ValidationError(
                {
                    "launched_by_unit": _(
                        "Đơn vị phát động phải là thành viên của khối năm {y}."
                    ).format(y=year)
                }
            )
    else:
        unit = None
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    return {
        "name": name,
        "kind": values["kind"],
        "launched_by": launched_by,
        "launched_by_unit": unit,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "description": _paragraphs(values.get("description", "")),
    }


@transaction.atomic
def movement_add(*, actor, bloc, year: int, **values) -> Movement:
    movement = Movement(
        bloc=bloc, year=year, created_by=actor, **_movement_values(bloc, year, values)
    )
    _attach_actor(movement, actor).save()
    return movement


@transaction.atomic
def movement_update(*, actor, movement: Movement, version: int, **values) -> Movement:
    cleaned = _movement_values(movement.bloc, movement.year, values)
    updated = update_with_history(
        Movement.objects.filter(pk=movement.pk, version=version),
        actor=actor,
        **cleaned,
        version=F("version") + 1,
    )
    if not updated:
        raise ConflictError(_(_MOVEMENT_CONFLICT))
    return Movement.objects.get(pk=movement.pk)


# The pledge ---------------------------------------------------------------------------------------


def _log(pledge, actor, from_state, to_state, reason=""):
    PledgeTransition.objects.create(
        pledge=pledge, actor=actor, from_state=from_state, to_state=to_state, reason=reason
    )


def default_title(year: int) -> str:
    return f"Bản giao ước thi đua năm {year}"


def _copy_targets(source: Pledge, into: Pledge, *, member_ids, actor, link: bool) -> None:
    """Copy the targets; a unit's own target only while the unit is still a member."""
    position = 0
    for target in source.targets.order_by("position", "pk"):
        if target.unit_id and target.unit_id not in member_ids:
            continue
        position += 1
        _attach_actor(
            Target(
                pledge=into,
                position=position,
                text=target.text,
                unit_id=target.unit_id,
                kind=target.kind,
                comparison=target.comparison,
                value=target.value,
                measure=target.measure,
                copied_from=target if link else None,
            ),
            actor,
        ).save()


@transaction.atomic
def pledge_create(*, actor, bloc, year: int, copy_previous: bool = False) -> Pledge:
    """A first draft for the bloc-year, empty or from last year's pledge (contents and targets)."""
    if Pledge.objects.filter(bloc=bloc, year=year).exists():
        raise ValidationError(_("Năm {y} đã có bản giao ước.").format(y=year))
    previous = None
    if copy_previous:
        previous = (
            Pledge.objects.filter(bloc=bloc, year=year - 1)
            .exclude(state=Pledge.State.SUPERSEDED)
            .order_by("-revision")
            .first()
        )
        if previous is None:
            raise ValidationError(_("Năm {y} chưa có bản giao ước để lấy lại.").format(y=year - 1))
    from blocs.models import Conference

    conferences = list(
        Conference.objects.filter(bloc=bloc, year=year, kind=Conference.Kind.START_OF_YEAR)
    )
    conference = conferences[0] if len(conferences) == 1 else None
    pledge = Pledge(
        bloc=bloc,
        year=year,
        title=default_title(year),
        created_by=actor,
        conference=conference,
        signing_on=conference.held_on if conference else None,
        signing_place=conference.place if conference else "",
        presiding_unit=conference.presiding_unit if conference else None,
    )
    if previous is not None:
        pledge.commitments = [c.replace(str(year - 1), str(year)) for c in previous.commitments]
        pledge.preamble = previous.preamble.replace(str(year - 1), str(year))
        pledge.closing = previous.closing.replace(str(year - 1), str(year))
        pledge.contents_source = _("Lấy từ bản giao ước năm {y}").format(y=year - 1)
    _attach_actor(pledge, actor).save()
    if previous is not None:
        _copy_targets(
            previous, pledge, member_ids=set(_member_ids(bloc, year)), actor=actor, link=False
        )
    _log(pledge, actor, "", Pledge.State.DRAFT)
    return pledge


@dataclass
class TargetInput:
    """One row of the targets form: ``pk`` None for a new target."""

    pk: int | None
    text: str
    unit: Unit | None
    kind: str
    comparison: str
    value: Decimal | None
    measure: str


def _target_problems(row: TargetInput) -> dict:
    if row.kind == Target.Kind.QUANTITATIVE:
        problems = {}
        if not row.comparison:
            problems["comparison"] = _("Chỉ tiêu định lượng cần phép so sánh (≥, ≤ hoặc =).")
        if row.value is None:
            problems["value"] = _("Chỉ tiêu định lượng cần mức chỉ tiêu, ví dụ 90.")
        return problems
    return {}


@transaction.atomic
def pledge_update(
    *,
    actor,
    pledge: Pledge,
    version: int,
    title: str,
    preamble: str,
    closing: str,
    contents_source: str,
    conference,
    signing_on: dt.date | None,
    signing_place: str,
    presiding_unit: Unit | None,
    commitments: list[str],
    targets: list[TargetInput],
) -> Pledge:
    """Save the draft's particulars, contents and targets in one go (optimistic lock on the pledge)."""
    current = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if current.version != version:
        raise ConflictError(_(_PLEDGE_CONFLICT))
    if current.state != Pledge.State.DRAFT:
        raise ValidationError(
            _("Bản giao ước đã mở ký hoặc đã có hiệu lực: nội dung không sửa được nữa.")
        )
    title = clean_name(title)
    if not title:
        raise ValidationError({"title": _("Hãy nhập tên văn bản.")})
    members = set(_member_ids(current.bloc, current.year))
    if presiding_unit is not None and presiding_unit.pk not in members:
        raise ValidationError(
            {
                "presiding_unit": _("Đơn vị chủ trì phải là thành viên năm {y}.").format(
                    y=current.year
                )
            }
        )
    if signing_on and signing_on.year not in (current.year - 1, current.year):
        raise ValidationError(
            {
                "signing_on": _("Ngày ký kết phải trong năm {a} hoặc năm {b}.").format(
                    a=current.year - 1, b=current.year
                )
            }
        )
    if conference is not None:
        signing_on = signing_on or conference.held_on
        signing_place = signing_place or conference.place
        presiding_unit = presiding_unit or conference.presiding_unit
    for row in targets:
        if row.unit is not None and row.unit.pk not in members:
            raise ValidationError(
                _("Chỉ tiêu riêng của {u}: đơn vị này không phải thành viên năm {y}.").format(
                    u=row.unit, y=current.year
                )
            )
        problems = _target_problems(row)
        if problems or not clean_name(row.text):
            raise ValidationError(
                _("Chỉ tiêu “{t}” chưa đủ: {p}").format(
                    t=clean_name(row.text) or "…",
                    p=" ".join(problems.values()) or _("hãy nhập nội dung chỉ tiêu."),
                )
            )
    existing = {t.pk: t for t in current.targets.all()}
    kept = set()
    for position, row in enumerate(targets, start=1):
        values = {
            "position": position,
            "text": clean_name(row.text),
            "unit": row.unit,
            "kind": row.kind,
            "comparison": row.comparison if row.kind == Target.Kind.QUANTITATIVE else "",
            "value": row.value if row.kind == Target.Kind.QUANTITATIVE else None,
            "measure": clean_name(row.measure) if row.kind == Target.Kind.QUANTITATIVE else "",
        }
        target = existing.get(row.pk) if row.pk else None
        if target is None:
            target = Target(pledge=current, **values)
        else:
            kept.add(target.pk)
            changed = any(getattr(target, k) != v for k, v in values.items())
            if not changed:
                continue
            for key, value in values.items():
                setattr(target, key, value)
        _attach_actor(target, actor).save()
    for pk, target in existing.items():
        if pk not in kept:
            _attach_actor(target, actor)
            target.delete()
    current.title = title
    current.preamble = _paragraphs(preamble)
    current.closing = _paragraphs(closing)
    current.contents_source = contents_source
    current.conference = conference
    current.signing_on = signing_on
    current.signing_place = signing_place
    current.presiding_unit = presiding_unit
    current.commitments = [c for c in (_paragraphs(text) for text in commitments) if c]
    current.version += 1
    _attach_actor(current, actor).save()
    return current


@transaction.atomic
def pledge_open(*, actor, pledge: Pledge) -> Pledge:
    """Draft → open: the contents are fixed and the member units may sign."""
    current = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if current.state != Pledge.State.DRAFT:
        raise ValidationError(_("Chỉ mở ký một bản giao ước đang là dự thảo."))
    if not current.commitments and not current.targets.exists():
        raise ValidationError(
            _("Bản giao ước chưa có nội dung hay chỉ tiêu nào: hãy soạn trước khi mở ký.")
        )
    if not _member_ids(current.bloc, current.year):
        raise ValidationError(_("Năm {y} khối chưa có thành viên.").format(y=current.year))
    current.state = Pledge.State.OPEN
    current.version += 1
    _attach_actor(current, actor).save()
    _log(current, actor, Pledge.State.DRAFT, Pledge.State.OPEN)
    return current


@transaction.atomic
def pledge_reopen(*, actor, pledge: Pledge, reason: str) -> Pledge:
    """Open → draft to change the contents; the signatures recorded so far are voided (kept)."""
    reason = clean_name(reason)
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do trả về dự thảo.")})
    current = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if current.state != Pledge.State.OPEN:
        raise ValidationError(_("Chỉ trả về dự thảo một bản giao ước đang ký kết."))
    update_with_history(
        Signature.objects.filter(pledge=current, voided_at__isnull=True),
        actor=actor,
        reason=reason,
        voided_at=timezone.now(),
        voided_reason=reason,
    )
    current.state = Pledge.State.DRAFT
    current.version += 1
    _attach_actor(current, actor, reason).save()
    _log(current, actor, Pledge.State.OPEN, Pledge.State.DRAFT, reason)
    return current


@transaction.atomic
def signature_record(
    *,
    actor,
    pledge: Pledge,
    unit: Unit,
    method: str,
    signer_name: str,
    signer_title: str,
    signer_prefix: str,
    signer_on_behalf_of: str,
    signed_on: dt.date,
    scan=None,
    today: dt.date,
) -> Signature:
    """Record one unit head's signature; the last one brings the pledge into force."""
    current = Pledge.objects.select_for_update().select_related("bloc__authority").get(pk=pledge.pk)
    if current.state != Pledge.State.OPEN:
        raise ValidationError(
            _("Bản giao ước không ở giai đoạn ký kết; không ghi nhận chữ ký được.")
        )
    members = _member_ids(current.bloc, current.year)
    if unit.pk not in members:
        raise ValidationError(
            _("{u} không phải thành viên năm {y}.").format(u=unit, y=current.year)
        )
    signer_name, signer_title = clean_name(signer_name), clean_name(signer_title)
    if not signer_name:
        raise ValidationError({"signer_name": _("Hãy nhập họ tên người ký.")})
    if not signer_title:
        raise ValidationError({"signer_title": _("Hãy nhập chức vụ người ký.")})
    if signer_prefix not in SignerPrefix.values:
        raise ValidationError({"signer_prefix": _("Hình thức ký không hợp lệ.")})
    _signer_check(signer_prefix, signer_on_behalf_of)
    if signed_on > today:
        raise ValidationError({"signed_on": _("Ngày ký không thể sau hôm nay.")})
    if signed_on.year not in (current.year - 1, current.year):
        raise ValidationError(
            {
                "signed_on": _("Ngày ký phải trong năm {a} hoặc năm {b}.").format(
                    a=current.year - 1, b=current.year
                )
            }
        )
    if method == Signature.Method.PAPER and scan is None:
        raise ValidationError({"scan": _("Chữ ký trên giấy cần bản chụp trang ký (PDF hoặc ảnh).")})
    signature = Signature(
        pledge=current,
        unit=unit,
        method=method,
        signer_name=signer_name,
        signer_title=signer_title,
        signer_prefix=signer_prefix,
        signer_on_behalf_of=clean_name(signer_on_behalf_of),
        signed_on=signed_on,
        recorded_by=actor,
    )
    if scan is not None:
        _store_scan(signature, scan)
    try:
        with transaction.atomic():
            _attach_actor(signature, actor).save()
    except IntegrityError:
        raise ValidationError(_("{u} đã ký bản giao ước này.").format(u=unit)) from None
    signed_on_by_unit = dict(
        Signature.objects.filter(pledge=current, voided_at__isnull=True).values_list(
            "unit_id", "signed_on"
        )
    )
    status = signing.signing_status(members=members, signed_on=signed_on_by_unit)
    if status.in_force:
        _bring_into_force(current, actor=actor, in_force_on=status.in_force_on)
    return signature


def _bring_into_force(pledge: Pledge, *, actor, in_force_on: dt.date) -> None:
    """Every member has signed: in force from the last signature's day; the revision it corrects
    is superseded; the PDF is rendered with its verification code and frozen."""
    from core import documents
    from pledges.documents import pledge_filename, pledge_pdf

    previous = (
        Pledge.objects.select_for_update()
        .filter(bloc_id=pledge.bloc_id, year=pledge.year, state=Pledge.State.IN_FORCE)
        .exclude(pk=pledge.pk)
        .first()
    )
    if previous is not None:
        previous.state = Pledge.State.SUPERSEDED
        previous.version += 1
        _attach_actor(previous, actor, pledge.correction_reason).save()
        _log(
            previous,
            actor,
            Pledge.State.IN_FORCE,
            Pledge.State.SUPERSEDED,
            pledge.correction_reason,
        )
        _carry_achievements(previous, pledge, actor=actor)
    pledge.state = Pledge.State.IN_FORCE
    pledge.in_force_on = in_force_on
    code = documents.new_verification_code()
    content = pledge_pdf(pledge, verification_code=code)
    pledge.document = documents.freeze(
        kind="pledges.pledge",
        title=f"{pledge.title} – {pledge.bloc.name}",
        content=content,
        filename=pledge_filename(pledge, "pdf"),
        issuer=pledge.bloc.name,
        actor=actor,
        verification_code=code,
    )
    pledge.version += 1
    _attach_actor(pledge, actor).save()
    _log(pledge, actor, Pledge.State.OPEN, Pledge.State.IN_FORCE)


def _carry_achievements(old: Pledge, new: Pledge, *, actor) -> None:
    """Achieved values entered against the superseded revision follow its copied targets."""
    copies = {t.copied_from_id: t for t in new.targets.filter(copied_from__isnull=False)}
    existing = set(
        Achievement.objects.filter(target__pledge=new).values_list("target_id", "unit_id")
    )
    for achievement in Achievement.objects.filter(target__pledge=old):
        target = copies.get(achievement.target_id)
        if target is None or (target.pk, achievement.unit_id) in existing:
            continue
        _attach_actor(
            Achievement(
                target=target,
                unit_id=achievement.unit_id,
                value=achievement.value,
                judged_met=achievement.judged_met,
                note=achievement.note,
                entered_by=achievement.entered_by,
            ),
            actor,
            _("Chuyển từ bản giao ước lần {n}").format(n=old.revision),
        ).save()


@transaction.atomic
def pledge_correct(*, actor, pledge: Pledge, reason: str) -> Pledge:
    """A pledge in force is never edited: its correction is a new revision, drafted and signed
    again; the one in force stays in force until the correction is."""
    reason = clean_name(reason)
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do sửa đổi bản giao ước.")})
    current = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if current.state != Pledge.State.IN_FORCE:
        raise ValidationError(_("Chỉ lập bản sửa đổi cho bản giao ước đang có hiệu lực."))
    if Pledge.objects.filter(
        bloc_id=current.bloc_id, year=current.year, state__in=Pledge.WORKING
    ).exists():
        raise ValidationError(_("Đã có một bản sửa đổi đang soạn hoặc đang ký."))
    draft = Pledge(
        bloc_id=current.bloc_id,
        year=current.year,
        revision=current.revision + 1,
        title=current.title,
        preamble=current.preamble,
        closing=current.closing,
        commitments=list(current.commitments),
        contents_source=current.contents_source,
        conference=current.conference,
        signing_on=current.signing_on,
        signing_place=current.signing_place,
        presiding_unit=current.presiding_unit,
        supersedes=current,
        correction_reason=reason,
        created_by=actor,
    )
    _attach_actor(draft, actor, reason).save()
    _copy_targets(
        current,
        draft,
        member_ids=set(_member_ids(current.bloc, current.year)),
        actor=actor,
        link=True,
    )
    _log(draft, actor, "", Pledge.State.DRAFT, reason)
    return draft


@dataclass
class AchievementInput:
    target: Target
    value: Decimal | None
    judged_met: bool | None
    note: str
    version: int | None  # the version the form showed; None when nothing was entered yet


@transaction.atomic
def achievements_save(*, actor, pledge: Pledge, unit: Unit, rows: list[AchievementInput]) -> int:
    """Record what a unit achieved against the targets binding it; returns the rows changed.

    Only for the pledge in force. Each row is guarded by its own version: a row someone else
    saved meanwhile is refused (ConflictError), the others are not written either.
    """
    current = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if current.state != Pledge.State.IN_FORCE:
        raise ValidationError(_("Chỉ ghi kết quả cho bản giao ước đang có hiệu lực."))
    existing = {
        a.target_id: a
        for a in Achievement.objects.select_for_update().filter(target__pledge=current, unit=unit)
    }
    changed = 0
    for row in rows:
        target = row.target
        if target.pledge_id != current.pk or (target.unit_id and target.unit_id != unit.pk):
            raise ValidationError(_("Chỉ tiêu này không áp dụng cho {u}.").format(u=unit))
        values = {
            "value": row.value if target.is_quantitative else None,
            "judged_met": row.judged_met if not target.is_quantitative else None,
            "note": clean_name(row.note),
        }
        achievement = existing.get(target.pk)
        if achievement is None:
            if row.version is not None:
                raise ConflictError(_(_ACHIEVEMENT_CONFLICT))
            if values["value"] is None and values["judged_met"] is None and not values["note"]:
                continue
            _attach_actor(
                Achievement(target=target, unit=unit, entered_by=actor, **values), actor
            ).save()
            changed += 1
            continue
        if row.version != achievement.version:
            raise ConflictError(_(_ACHIEVEMENT_CONFLICT))
        if all(getattr(achievement, k) == v for k, v in values.items()):
            continue
        update_with_history(
            Achievement.objects.filter(pk=achievement.pk, version=row.version),
            actor=actor,
            entered_by=actor,
            entered_at=timezone.now(),
            version=F("version") + 1,
            **values,
        )
        changed += 1
    return changed


# Reminders ----------------------------------------------------------------------------------------


def reminder_key(pledge: Pledge, day: dt.date) -> str:
    return f"pledges.remind:{pledge.pk}:{day.isoformat()}"


@transaction.atomic
def reminder_request(
    *, actor, pledge: Pledge, today: dt.date, page_url: str
) -> tuple[Reminder, bool]:
    """Ask for today's reminder to the units that have not signed: one per pledge and day.

    Returns (reminder, created). Asking again the same day returns the first one, sends nothing.
    """
    # The state as it is now, not as the caller loaded it: the last signature may have just
    # brought the pledge into force.
    pledge = Pledge.objects.select_for_update().select_related("bloc").get(pk=pledge.pk)
    if pledge.state != Pledge.State.OPEN:
        raise ValidationError(_("Chỉ nhắc ký khi bản giao ước đang ký kết."))
    existing = Reminder.objects.filter(pledge=pledge, day=today).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(pledge=pledge, day=today, requested_by=actor)
    except IntegrityError:
        return Reminder.objects.get(pledge=pledge, day=today), False
    reminder.job = jobs.job_request(
        kind="pledges.remind",
        key=reminder_key(pledge, today),
        title=_("Nhắc ký giao ước thi đua năm {y}").format(y=pledge.year),
        params={"reminder_id": reminder.pk, "page_url": page_url},
        actor=actor,
        bloc=pledge.bloc,
        year=pledge.year,
    )
    reminder.save(update_fields=["job"])
    return reminder, True


def _officer_emails(unit_ids) -> dict[int, list[str]]:
    emails: dict[int, list[str]] = {}
    for unit_id, email in (
        Role.objects.filter(
            kind=Role.Kind.OFFICER, unit_id__in=list(unit_ids), user__is_active=True
        )
        .exclude(user__email="")
        .order_by("unit_id", "user__email")
        .values_list("unit_id", "user__email")
    ):
        emails.setdefault(unit_id, [])
        if email not in emails[unit_id]:
            emails[unit_id].append(email)
    return emails


def reminder_send(*, reminder_id: int, progress=lambda percent, step="": None) -> dict:
    """The job's work: one email per unit that has not signed, to its officers; each delivery is
    recorded as it goes, so a run cut off and run again never mails a unit twice."""
    from django.core.mail import EmailMessage
    from django.utils import translation

    from pledges import selectors

    reminder = Reminder.objects.select_related("pledge__bloc").get(pk=reminder_id)
    pledge = reminder.pledge
    if reminder.sent_at:
        return {"units": len(reminder.deliveries), "already_sent": True}
    delivered = {d["unit_id"] for d in reminder.deliveries}
    members = selectors.members_of_year(bloc=pledge.bloc, year=pledge.year)
    signed = set(
        Signature.objects.filter(pledge=pledge, voided_at__isnull=True).values_list(
            "unit_id", flat=True
        )
    )
    waiting = [m for m in members if m.pk not in signed] if pledge.is_open else []
    emails = _officer_emails(m.pk for m in waiting)
    page_url = (reminder.job.params.get("page_url", "") if reminder.job else "") or ""
    deliveries = list(reminder.deliveries)
    with translation.override("vi"):
        for index, member in enumerate(waiting, start=1):
            if member.pk in delivered:
                continue
            recipients = emails.get(member.pk, [])
            if recipients:
                EmailMessage(
                    subject=_("Nhắc ký giao ước thi đua năm {y} – {b}").format(
                        y=pledge.year, b=pledge.bloc.name
                    ),
                    body=_(
                        "Kính gửi cán bộ làm công tác thi đua, khen thưởng của {u},\n\n"
                        "{t} của {b} đang chờ chữ ký của thủ trưởng đơn vị. Sau khi thủ trưởng ký, "
                        "xin đồng chí ghi nhận chữ ký (họ tên, chức vụ, ngày ký) và tải lên bản chụp "
                        "trang ký tại:\n{url}\n\nTrân trọng.\n{office}"
                    ).format(
                        u=member.name,
                        t=pledge.title,
                        b=pledge.bloc.name,
                        url=page_url,
                        office=pledge.bloc.name,
                    ),
                    to=recipients,
                ).send()
            deliveries.append(
                {
                    "unit_id": member.pk,
                    "unit": member.name,
                    "emails": recipients,
                    "sent_at": timezone.now().isoformat(),
                }
            )
            Reminder.objects.filter(pk=reminder.pk).update(deliveries=deliveries)
            progress(100 * index // max(1, len(waiting)), member.name)
    Reminder.objects.filter(pk=reminder.pk).update(deliveries=deliveries, sent_at=timezone.now())
    return {
        "units": len(deliveries),
        "emails": sum(len(d["emails"]) for d in deliveries),
        "without_email": [d["unit"] for d in deliveries if not d["emails"]],
    }
