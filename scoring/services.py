"""Every write of the scoring app. Keyword-only, atomic, with history and a transition log.

The workflow lives here:

- criteria table: a draft is edited freely (its criteria added, changed, removed); it is frozen
  by the secretariat or, at the latest, when the first self score is saved against it (DESIGN
  §7.8). A frozen table never changes: a correction is a new version, with a reason, copied from
  it; the scores already made keep the version they were made against.
- reporting period: draft → open (units report and self-score) → closed (units can no longer
  change anything; verification goes on) → published (results public, everything immutable); a
  closed period may be reopened for a late unit, with a reason.
- unit report: draft → submitted (every leaf scored, every required evidence present) → returned
  (with a reason) → submitted again … → accepted. Accepting confirms, as verified by the person
  accepting, every leaf nobody has verified yet (its self score unchanged).
- scores: each cell carries a version; a save over a newer value is refused with a conflict error
  carrying both values (``CellConflict``), unless the newer value is exactly what is being saved.

Access is the caller's (scoring/access.py); the services check the state, the data, and the one
rule of access that is the domain's own: nobody verifies their own unit's scores.
"""

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from blocs import selectors as bloc_selectors
from blocs.access import roles_of
from blocs.models import Membership, UnitYearFacts
from blocs.services import ConflictError
from core.history import update_with_history
from core.text import clean_name
from core.uploads import EVIDENCE_KINDS, check_upload
from scoring import ranking, rules
from scoring.models import (
    BlocYearScoring,
    CriteriaTable,
    Criterion,
    Evidence,
    PeriodTransition,
    RankingRun,
    ReportingPeriod,
    ReportTransition,
    SelfScore,
    UnitReport,
    VerifiedScore,
)

REPORT_FILE_KINDS = ("pdf", "docx")


def _attach_actor(instance, actor, reason: str = ""):
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    return instance


def _text(value: str) -> str:
    """Keep the lines of a multi-line text, each cleaned (NFC, single spaces)."""
    return "\n".join(clean_name(line) for line in (value or "").splitlines()).strip()


def _number(value: Decimal) -> str:
    """A score as Vietnamese write it: 7,5 — 107 — 0,25."""
    return ranking.decimal_text(value).replace(".", ",")


points_text = _number


# Criteria tables ----------------------------------------------------------------------------------


def _require_draft_table(table: CriteriaTable) -> CriteriaTable:
    table = CriteriaTable.objects.select_for_update().get(pk=table.pk)
    if not table.is_draft:
        raise ValidationError(
            _(
                "Bảng tiêu chí phiên bản {version} đã chốt, không sửa được nữa. "
                "Hãy lập phiên bản mới và ghi lý do."
            ).format(version=table.version)
        )
    return table


def _table_exists_error(bloc, year):
    return ValidationError(
        _("{bloc} đã có bảng tiêu chí năm {year}; hãy sửa bảng đó hoặc lập phiên bản mới.").format(
            bloc=bloc, year=year
        )
    )


def _base_points(value) -> Decimal:
    reading = rules.read_points(value, max_points=Decimal("999999"), kind=ranking.REGULAR)
    if reading.problem or not reading.points:
        raise ValidationError({"base_points": _("Hãy ghi tổng điểm chuẩn, ví dụ 100.")})
    return reading.points


@transaction.atomic
def criteria_table_create(
    *, actor, bloc, year: int, title: str, base_points=Decimal(100), capped: bool = False
) -> CriteriaTable:
    """A new, empty draft table (version 1) for a bloc-year that has none."""
    if CriteriaTable.objects.filter(bloc=bloc, year=year).exists():
        raise _table_exists_error(bloc, year)
    if not clean_name(title):
        raise ValidationError({"title": _("Hãy ghi tên bảng tiêu chí.")})
    table = CriteriaTable(
        bloc=bloc,
        year=year,
        title=title,
        base_points=_base_points(base_points),
        capped=capped,
        created_by=actor,
    )
    _attach_actor(table, actor).save()
    return table


@transaction.atomic
def criteria_table_update(
    *, actor, table: CriteriaTable, title: str, base_points, capped: bool
) -> CriteriaTable:
    table = _require_draft_table(table)
    if not clean_name(title):
        raise ValidationError({"title": _("Hãy ghi tên bảng tiêu chí.")})
    table.title = title
    table.base_points = _base_points(base_points)
    table.capped = capped
    _attach_actor(table, actor).save()
    return table


def _copy_tree(*, actor, source: CriteriaTable, target: CriteriaTable) -> None:
    """Copy every criterion of ``source`` into ``target``, parents before children."""
    nodes = list(source.criteria.all())
    placed = rules.tree_order(
        rules.Node(n.pk, n.parent_id, n.code, n.position, n.is_leaf) for n in nodes
    )
    by_id = {n.pk: n for n in nodes}
    new_ids: dict[int, Criterion] = {}
    for place in placed:
        old = by_id[place.id]
        copy = Criterion(
            table=target,
            parent=new_ids.get(old.parent_id),
            code=old.code,
            title=old.title,
            position=old.position,
            max_points=old.max_points,
            kind=old.kind,
            evidence_required=old.evidence_required,
            guidance=old.guidance,
        )
        _attach_actor(copy, actor).save()
        new_ids[old.pk] = copy


@transaction.atomic
def criteria_table_copy(
    *, actor, source: CriteriaTable, bloc, year: int, title: str = ""
) -> CriteriaTable:
    """A draft (version 1) for a bloc-year with no table, copied from another table (last year's,
    another bloc's, a template): the same tree, maxima, kinds, evidence and guidance."""
    if CriteriaTable.objects.filter(bloc=bloc, year=year).exists():
        raise _table_exists_error(bloc, year)
    table = CriteriaTable(
        bloc=bloc,
        year=year,
        title=title or source.title.replace(str(source.year), str(year)),
        base_points=source.base_points,
        capped=source.capped,
        copied_from=source,
        created_by=actor,
    )
    _attach_actor(table, actor).save()
    _copy_tree(actor=actor, source=source, target=table)
    return table


@transaction.atomic
def criteria_table_copy_previous_year(*, actor, bloc, year: int) -> CriteriaTable:
    """Copy the latest version of the bloc's table of ``year - 1``."""
    source = CriteriaTable.objects.filter(bloc=bloc, year=year - 1).order_by("-version").first()
    if source is None:
        raise ValidationError(
            _("{bloc} không có bảng tiêu chí năm {year} để sao chép.").format(
                bloc=bloc, year=year - 1
            )
        )
    return criteria_table_copy(actor=actor, source=source, bloc=bloc, year=year)


@transaction.atomic
def criteria_table_new_version(*, actor, table: CriteriaTable, reason: str) -> CriteriaTable:
    """A new draft version copied from a frozen table, with the reason for the change. The
    reporting periods keep the version they use until ``period_use_table`` moves them."""
    table = CriteriaTable.objects.select_for_update().get(pk=table.pk)
    if table.is_draft:
        raise ValidationError(
            _("Phiên bản {version} vẫn là dự thảo: sửa trực tiếp, không cần phiên bản mới.").format(
                version=table.version
            )
        )
    latest = (
        CriteriaTable.objects.filter(bloc_id=table.bloc_id, year=table.year)
        .order_by("-version")
        .first()
    )
    if latest.pk != table.pk:
        raise ValidationError(
            _("Đã có phiên bản {version} mới hơn; hãy lập phiên bản mới từ phiên bản đó.").format(
                version=latest.version
            )
        )
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do ban hành phiên bản mới.")})
    new = CriteriaTable(
        bloc_id=table.bloc_id,
        year=table.year,
        version=table.version + 1,
        title=table.title,
        reason=reason,
        base_points=table.base_points,
        capped=table.capped,
        previous=table,
        created_by=actor,
    )
    _attach_actor(new, actor, reason).save()
    _copy_tree(actor=actor, source=table, target=new)
    return new


def _freeze(table_id: int, actor, reason: str) -> int:
    return update_with_history(
        CriteriaTable.objects.filter(pk=table_id, state=CriteriaTable.State.DRAFT),
        actor=actor,
        reason=reason,
        state=CriteriaTable.State.FROZEN,
        frozen_at=timezone.now(),
    )


@transaction.atomic
def criteria_table_freeze(*, actor, table: CriteriaTable) -> CriteriaTable:
    table = _require_draft_table(table)
    if not table.criteria.filter(max_points__isnull=False).exists():
        raise ValidationError(_("Bảng tiêu chí chưa có tiêu chí nào được chấm điểm."))
    _freeze(table.pk, actor, _("Chốt bảng tiêu chí"))
    table.refresh_from_db()
    return table


def _criterion_values(*, code, title, max_points, kind, evidence_required, guidance) -> dict:
    errors = {}
    if not clean_name(code):
        errors["code"] = _("Hãy ghi số thứ tự, ví dụ I, 1 hoặc a.")
    elif len(clean_name(code)) > 12 or "." in code:
        errors["code"] = _("Số thứ tự ngắn, không có dấu chấm: I, 1 hoặc a.")
    if not clean_name(title):
        errors["title"] = _("Hãy ghi nội dung tiêu chí.")
    if kind not in Criterion.Kind.values:
        errors["kind"] = _("Hãy chọn loại điểm.")
    points = None
    if max_points not in (None, ""):
        reading = rules.read_points(max_points, max_points=Decimal("999999"), kind=ranking.REGULAR)
        if reading.problem or not reading.points:
            errors["max_points"] = _("Điểm tối đa là một số lớn hơn 0, ví dụ 10 hoặc 2,5.")
        points = reading.points
    if errors:
        raise ValidationError(errors)
    return {
        "code": code,
        "title": title,
        "max_points": points,
        "kind": kind,
        "evidence_required": evidence_required and points is not None,
        "guidance": _text(guidance),
    }


def _save_criterion(criterion: Criterion, actor) -> Criterion:
    try:
        with transaction.atomic():
            _attach_actor(criterion, actor).save()
    except IntegrityError:
        raise ValidationError(
            {"code": _("Đã có tiêu chí số {code} ở cùng cấp.").format(code=criterion.code)}
        ) from None
    return criterion


@transaction.atomic
def criterion_add(
    *,
    actor,
    table: CriteriaTable,
    parent: Criterion | None,
    code: str,
    title: str,
    max_points=None,
    kind: str = Criterion.Kind.REGULAR,
    evidence_required: bool = False,
    guidance: str = "",
    position: int | None = None,
) -> Criterion:
    """A node of a draft table: a group or criterion (no ``max_points``) or a scored leaf."""
    table = _require_draft_table(table)
    if parent is not None:
        if parent.table_id != table.pk:
            raise ValidationError({"parent": _("Tiêu chí cha thuộc bảng khác.")})
        if parent.is_leaf:
            raise ValidationError(
                {
                    "parent": _(
                        "Tiêu chí {code} đang được chấm điểm trực tiếp; hãy bỏ điểm tối đa của nó "
                        "trước khi thêm tiêu chí con."
                    ).format(code=parent.code)
                }
            )
    values = _criterion_values(
        code=code,
        title=title,
        max_points=max_points,
        kind=kind,
        evidence_required=evidence_required,
        guidance=guidance,
    )
    if position is None:
        siblings = Criterion.objects.filter(table=table, parent=parent)
        position = (max(siblings.values_list("position", flat=True), default=0) or 0) + 1
    return _save_criterion(
        Criterion(table=table, parent=parent, position=position, **values), actor
    )


@transaction.atomic
def criterion_update(
    *,
    actor,
    criterion: Criterion,
    code: str,
    title: str,
    max_points=None,
    kind: str = Criterion.Kind.REGULAR,
    evidence_required: bool = False,
    guidance: str = "",
    position: int | None = None,
) -> Criterion:
    _require_draft_table(criterion.table)
    criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
    values = _criterion_values(
        code=code,
        title=title,
        max_points=max_points,
        kind=kind,
        evidence_required=evidence_required,
        guidance=guidance,
    )
    if values["max_points"] is not None and criterion.children.exists():
        raise ValidationError(
            {"max_points": _("Tiêu chí có tiêu chí con: điểm được chấm ở các tiêu chí con.")}
        )
    for name, value in values.items():
        setattr(criterion, name, value)
    if position is not None:
        criterion.position = position
    return _save_criterion(criterion, actor)


@transaction.atomic
def criterion_remove(*, actor, criterion: Criterion) -> None:
    """Remove a node of a draft table with everything under it."""
    _require_draft_table(criterion.table)
    ids = [criterion.pk]
    frontier = [criterion.pk]
    while frontier:
        frontier = list(
            Criterion.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    for node in Criterion.objects.filter(pk__in=ids).order_by("-pk"):
        _attach_actor(node, actor).delete()


# Bloc-year settings -------------------------------------------------------------------------------

_SETTINGS_CONFLICT = gettext_noop(
    "Người khác vừa sửa cách chấm điểm của khối năm này. Trang đã tải lại dữ liệu mới nhất; "
    "hãy kiểm tra rồi lưu lại."
)


def scoring_settings_of(*, bloc, year: int) -> BlocYearScoring:
    """The bloc-year's settings, or the defaults (unsaved) when none are recorded."""
    # One per bloc-year; by pk, not the model's ordering (that joins the bloc and its authority).
    found = BlocYearScoring.objects.filter(bloc=bloc, year=year).order_by("pk").first()
    return found or BlocYearScoring(bloc=bloc, year=year, version=0)


@transaction.atomic
def scoring_settings_set(
    *,
    actor,
    bloc,
    year: int,
    cross_scoring: bool,
    vetoed_units: str,
    tie_break: list[str],
    version: int | None,
) -> BlocYearScoring:
    """Record how the bloc scores and ranks in ``year``. ``version``: the one the form showed
    (None or 0: nothing was recorded yet)."""
    errors = {}
    if vetoed_units not in BlocYearScoring.VetoedUnits.values:
        errors["vetoed_units"] = _("Hãy chọn cách xử lý đơn vị chưa đủ điều kiện.")
    tie_break = [clean_name(rule) for rule in tie_break if clean_name(rule)]
    if ranking.rule_problems(tie_break):
        errors["tie_break"] = _(
            "Thứ tự tiêu chí phụ chỉ gồm: điểm một nhóm tiêu chí (group:I), ít điểm trừ hơn "
            "(fewer_deductions), tập thể có từ 70% nữ trở lên (women_70); mỗi tiêu chí một lần."
        )
    if errors:
        raise ValidationError(errors)
    values = {"cross_scoring": cross_scoring, "vetoed_units": vetoed_units, "tie_break": tie_break}
    if not version:
        if BlocYearScoring.objects.filter(bloc=bloc, year=year).exists():
            raise ConflictError(_(_SETTINGS_CONFLICT))
        setting = BlocYearScoring(bloc=bloc, year=year, **values)
        _attach_actor(setting, actor).save()
        return setting
    if not update_with_history(
        BlocYearScoring.objects.filter(bloc=bloc, year=year, version=version),
        actor=actor,
        **values,
        version=F("version") + 1,
    ):
        raise ConflictError(_(_SETTINGS_CONFLICT))
    return BlocYearScoring.objects.get(bloc=bloc, year=year)


# Reporting periods --------------------------------------------------------------------------------


def _period_table(bloc, year, table: CriteriaTable | None) -> CriteriaTable:
    if table is None:
        table = CriteriaTable.objects.filter(bloc=bloc, year=year).order_by("-version").first()
        if table is None:
            raise ValidationError(
                _("Hãy lập bảng tiêu chí năm {year} trước khi lập kỳ báo cáo.").format(year=year)
            )
    elif table.bloc_id != bloc.pk or table.year != year:
        raise ValidationError(
            {
                "criteria_table": _("Bảng tiêu chí này không phải của khối năm {year}.").format(
                    year=year
                )
            }
        )
    return table


@transaction.atomic
def period_create(
    *,
    actor,
    bloc,
    year: int,
    kind: str,
    opens_on: dt.date,
    deadline: dt.date,
    criteria_table: CriteriaTable | None = None,
    self_scoring: bool = True,
) -> ReportingPeriod:
    """A draft period of the bloc-year, using ``criteria_table`` (default: its latest version).
    ``self_scoring`` False: the units send written reports only (no scores, no table freeze)."""
    if kind not in ReportingPeriod.Kind.values:
        raise ValidationError({"kind": _("Hãy chọn kỳ báo cáo.")})
    if deadline < opens_on:
        raise ValidationError({"deadline": _("Hạn nộp phải từ ngày bắt đầu nhận trở đi.")})
    if ReportingPeriod.objects.filter(bloc=bloc, year=year, kind=kind).exists():
        raise ValidationError(
            _("Khối đã có kỳ {kind} năm {year}.").format(
                kind=ReportingPeriod.Kind(kind).label, year=year
            )
        )
    period = ReportingPeriod(
        bloc=bloc,
        year=year,
        kind=kind,
        opens_on=opens_on,
        deadline=deadline,
        criteria_table=_period_table(bloc, year, criteria_table),
        self_scoring=self_scoring,
    )
    _attach_actor(period, actor).save()
    PeriodTransition.objects.create(
        period=period, actor=actor, from_state="", to_state=ReportingPeriod.State.DRAFT
    )
    return period


@transaction.atomic
def period_update(
    *, actor, period: ReportingPeriod, opens_on: dt.date, deadline: dt.date, version: int
) -> ReportingPeriod:
    """Change the dates of a period that is not published (a deadline is often extended)."""
    if deadline < opens_on:
        raise ValidationError({"deadline": _("Hạn nộp phải từ ngày bắt đầu nhận trở đi.")})
    if not update_with_history(
        ReportingPeriod.objects.filter(pk=period.pk, version=version).exclude(
            state=ReportingPeriod.State.PUBLISHED
        ),
        actor=actor,
        opens_on=opens_on,
        deadline=deadline,
        version=F("version") + 1,
    ):
        raise ConflictError(
            _("Kỳ báo cáo vừa được người khác sửa hoặc đã công bố; hãy tải lại trang.")
        )
    return ReportingPeriod.objects.get(pk=period.pk)


@transaction.atomic
def period_use_table(*, actor, period: ReportingPeriod, table: CriteriaTable) -> ReportingPeriod:
    """Move a period that is not closed to another version of its bloc-year's table. Scores
    already made stay with the version they were made against (and in its history)."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.state not in (ReportingPeriod.State.DRAFT, ReportingPeriod.State.OPEN):
        raise ValidationError(_("Kỳ báo cáo đã khóa sổ: không đổi bảng tiêu chí được nữa."))
    _period_table(period.bloc, period.year, table)
    update_with_history(
        ReportingPeriod.objects.filter(pk=period.pk),
        actor=actor,
        reason=_("Áp dụng bảng tiêu chí phiên bản {version}").format(version=table.version),
        criteria_table=table,
        version=F("version") + 1,
    )
    return ReportingPeriod.objects.get(pk=period.pk)


_PERIOD_MOVE_REFUSED = {
    ReportingPeriod.State.OPEN: gettext_noop(
        "Kỳ báo cáo đang ở trạng thái “{state}”: không mở được."
    ),
    ReportingPeriod.State.CLOSED: gettext_noop(
        "Kỳ báo cáo đang ở trạng thái “{state}”: không khóa sổ được."
    ),
    ReportingPeriod.State.PUBLISHED: gettext_noop(
        "Kỳ báo cáo đang ở trạng thái “{state}”: hãy khóa sổ trước khi công bố."
    ),
}


def _period_move(period, actor, to_state, reason="") -> ReportingPeriod:
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not rules.may_move(rules.PERIOD_TRANSITIONS, period.state, to_state):
        raise ValidationError(
            _(_PERIOD_MOVE_REFUSED[to_state]).format(state=period.get_state_display())
        )
    update_with_history(
        ReportingPeriod.objects.filter(pk=period.pk),
        actor=actor,
        reason=reason,
        state=to_state,
        version=F("version") + 1,
    )
    PeriodTransition.objects.create(
        period=period, actor=actor, from_state=period.state, to_state=to_state, reason=reason
    )
    return ReportingPeriod.objects.select_related("criteria_table").get(pk=period.pk)


@transaction.atomic
def period_open(*, actor, period: ReportingPeriod) -> ReportingPeriod:
    """Open the period to the units' reports (draft → open)."""
    if not period.criteria_table.criteria.filter(max_points__isnull=False).exists():
        raise ValidationError(_("Bảng tiêu chí của kỳ chưa có tiêu chí nào được chấm điểm."))
    return _period_move(period, actor, ReportingPeriod.State.OPEN)


@transaction.atomic
def period_close(*, actor, period: ReportingPeriod) -> ReportingPeriod:
    """Stop the units' changes (open → closed); verification goes on."""
    return _period_move(period, actor, ReportingPeriod.State.CLOSED)


@transaction.atomic
def period_reopen(*, actor, period: ReportingPeriod, reason: str) -> ReportingPeriod:
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại kỳ báo cáo.")})
    return _period_move(period, actor, ReportingPeriod.State.OPEN, reason)


@transaction.atomic
def period_publish(*, actor, period: ReportingPeriod) -> ReportingPeriod:
    """Publish the results (closed → published): nothing of the period changes afterwards.
    Refused while a submitted report waits for the secretariat's decision."""
    waiting = list(
        UnitReport.objects.filter(period=period, state=UnitReport.State.SUBMITTED)
        .order_by("unit__full_name")
        .values_list("unit__full_name", flat=True)
    )
    if waiting:
        raise ValidationError(
            _("Còn báo cáo chờ chấp nhận hoặc trả lại: {units}.").format(units="; ".join(waiting))
        )
    return _period_move(period, actor, ReportingPeriod.State.PUBLISHED)


# Unit reports -------------------------------------------------------------------------------------


def _require_open(period: ReportingPeriod) -> None:
    if period.state != ReportingPeriod.State.OPEN:
        raise ValidationError(
            _("Kỳ báo cáo đang ở trạng thái “{state}”: đơn vị không sửa được báo cáo.").format(
                state=period.get_state_display()
            )
        )


def _require_editable(report: UnitReport) -> None:
    _require_open(report.period)
    if not report.is_editable:
        raise ValidationError(
            _("Báo cáo đang ở trạng thái “{state}”: không sửa được.").format(
                state=report.get_state_display()
            )
        )


def _locked_report(report: UnitReport) -> UnitReport:
    return (
        UnitReport.objects.select_for_update(of=("self",))
        .select_related("period__criteria_table", "unit")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_start(*, actor, period: ReportingPeriod, unit) -> UnitReport:
    """The unit's report for the period, created as a draft the first time."""
    found = UnitReport.objects.filter(period=period, unit=unit).first()
    if found:
        return found
    period = ReportingPeriod.objects.get(pk=period.pk)  # its state now, not the caller's copy
    _require_open(period)
    if not Membership.objects.filter(bloc_id=period.bloc_id, year=period.year, unit=unit).exists():
        raise ValidationError(
            _("{unit} không phải thành viên của khối năm {year}.").format(
                unit=unit, year=period.year
            )
        )
    report = UnitReport(period=period, unit=unit)
    try:
        with transaction.atomic():
            _attach_actor(report, actor).save()
    except IntegrityError:  # the unit's other tab was quicker
        return UnitReport.objects.get(period=period, unit=unit)
    ReportTransition.objects.create(
        report=report, actor=actor, from_state="", to_state=UnitReport.State.DRAFT
    )
    return report


_REPORT_CONFLICT = gettext_noop(
    "Người khác vừa sửa báo cáo này. Trang đã tải lại dữ liệu mới nhất; hãy kiểm tra rồi lưu lại."
)


@transaction.atomic
def report_update(
    *,
    actor,
    report: UnitReport,
    version: int,
    text: str,
    upload=None,
    remove_file: bool = False,
) -> UnitReport:
    """The written report: its text and, optionally, a file (PDF or Word, checked by content)."""
    report = _locked_report(report)
    _require_editable(report)
    changes = {"text": unicodedata.normalize("NFC", text or "").strip()}
    if upload is not None:
        try:
            kind = check_upload(upload, allowed=REPORT_FILE_KINDS)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
        report.file.save(upload.name, upload, save=False)
        changes |= {
            "file": report.file.name,
            "file_name": clean_name(upload.name)[:255],
            "file_type": kind.content_type,
        }
    elif remove_file:
        changes |= {"file": "", "file_name": "", "file_type": ""}
    if not update_with_history(
        UnitReport.objects.filter(pk=report.pk, version=version),
        actor=actor,
        **changes,
        version=F("version") + 1,
    ):
        if upload is not None:
            report.file.storage.delete(changes["file"])  # the file of a refused save
        raise ConflictError(_(_REPORT_CONFLICT))
    return UnitReport.objects.get(pk=report.pk)


def _report_move(report, actor, to_state, reason="", **changes) -> UnitReport:
    if not rules.may_move(rules.REPORT_TRANSITIONS, report.state, to_state):
        raise ValidationError(
            _("Báo cáo đang ở trạng thái “{state}”: không chuyển sang “{to}” được.").format(
                state=report.get_state_display(), to=UnitReport.State(to_state).label
            )
        )
    update_with_history(
        UnitReport.objects.filter(pk=report.pk, state=report.state),
        actor=actor,
        reason=reason,
        state=to_state,
        version=F("version") + 1,
        **changes,
    )
    ReportTransition.objects.create(
        report=report, actor=actor, from_state=report.state, to_state=to_state, reason=reason
    )
    return UnitReport.objects.select_related("period__criteria_table", "unit").get(pk=report.pk)


class _LeafRow(NamedTuple):
    """What the services need of a leaf criterion (rows, not model instances: a ranking or a
    submission reads a whole table)."""

    pk: int
    kind: str
    evidence_required: bool
    title: str


def _leaves(table_id: int) -> list[tuple[_LeafRow, rules.PlacedNode]]:
    """The leaves of a table in reading order, each with its place (path, group). One query."""
    rows = Criterion.objects.filter(table_id=table_id).order_by()  # tree_order sorts
    nodes = []
    by_id = {}
    for pk, parent_id, code, position, max_points, kind, evidence, title in rows.values_list(
        "pk", "parent_id", "code", "position", "max_points", "kind", "evidence_required", "title"
    ):
        # A leaf is a criterion with a maximum (Criterion.is_leaf).
        nodes.append(rules.Node(pk, parent_id, code, position, max_points is not None))
        by_id[pk] = _LeafRow(pk, kind, evidence, title)
    return [(by_id[p.id], p) for p in rules.tree_order(nodes) if p.is_leaf]


class ReportIncomplete(ValidationError):
    """A report sent incomplete: without its written report (``missing_text``), with leaves
    unscored or required evidence missing; both lists are (path, title) so a page can point at
    each."""

    def __init__(self, message, *, missing_text=False, unscored=(), evidence_missing=()):
        super().__init__(message, code="incomplete")
        self.missing_text = missing_text
        self.unscored = list(unscored)
        self.evidence_missing = list(evidence_missing)


def _titled(paths, titles) -> str:
    return "; ".join(f"{path} ({titles[path]})" for path in paths)


@transaction.atomic
def report_submit(*, actor, report: UnitReport) -> UnitReport:
    """Send the report to the secretariat. Refused, saying exactly which leaves are unscored and
    which required evidence is missing, until it is complete."""
    report = _locked_report(report)
    _require_editable(report)
    missing_text = not (report.text.strip() or report.file)
    no_text = _("Chưa có nội dung báo cáo: hãy viết báo cáo hoặc đính kèm tệp báo cáo.")
    if not report.period.self_scoring:
        if missing_text:
            raise ReportIncomplete(no_text, missing_text=True)
        return _report_move(report, actor, UnitReport.State.SUBMITTED, submitted_at=timezone.now())
    leaves = _leaves(report.period.criteria_table_id)
    if not leaves:
        raise ValidationError(_("Bảng tiêu chí của kỳ chưa có tiêu chí nào được chấm điểm."))
    scored_ids = set(
        SelfScore.objects.filter(report=report, points__isnull=False).values_list(
            "criterion_id", flat=True
        )
    )
    evidence_ids = set(
        Evidence.objects.filter(report=report, self_score__isnull=False).values_list(
            "self_score__criterion_id", flat=True
        )
    )
    gaps = rules.report_gaps(
        (rules.Leaf(c.pk, p.path, c.evidence_required) for c, p in leaves),
        scored_ids=scored_ids,
        evidence_ids=evidence_ids,
    )
    if gaps or missing_text:
        titles = {p.path: c.title for c, p in leaves}
        parts = [no_text] if missing_text else []
        if gaps.unscored:
            parts.append(
                _("Chưa chấm điểm {n} tiêu chí: {items}.").format(
                    n=len(gaps.unscored), items=_titled(gaps.unscored, titles)
                )
            )
        if gaps.evidence_missing:
            parts.append(
                _("Chưa có minh chứng bắt buộc cho {n} tiêu chí: {items}.").format(
                    n=len(gaps.evidence_missing), items=_titled(gaps.evidence_missing, titles)
                )
            )
        raise ReportIncomplete(
            " ".join(parts),
            missing_text=missing_text,
            unscored=[(path, titles[path]) for path in gaps.unscored],
            evidence_missing=[(path, titles[path]) for path in gaps.evidence_missing],
        )
    return _report_move(report, actor, UnitReport.State.SUBMITTED, submitted_at=timezone.now())


def _require_not_published(period: ReportingPeriod) -> None:
    if period.state == ReportingPeriod.State.PUBLISHED:
        raise ValidationError(_("Kết quả kỳ báo cáo đã công bố: không thay đổi được nữa."))


@transaction.atomic
def report_return(*, actor, report: UnitReport, reason: str) -> UnitReport:
    """Send a submitted (or accepted) report back to the unit, saying why."""
    report = _locked_report(report)
    _require_not_published(report.period)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại để đơn vị biết cần bổ sung gì.")})
    return _report_move(report, actor, UnitReport.State.RETURNED, reason)


@transaction.atomic
def report_accept(*, actor, report: UnitReport) -> UnitReport:
    """Accept a submitted report. Every leaf nobody has verified yet gets a verified score equal
    to its self score, set by the person accepting: what the ranking reads is then complete."""
    report = _locked_report(report)
    _require_not_published(report.period)
    _refuse_own_unit(actor, report)
    if report.state != UnitReport.State.SUBMITTED:
        raise ValidationError(
            _("Báo cáo đang ở trạng thái “{state}”: chỉ chấp nhận được báo cáo đã gửi.").format(
                state=report.get_state_display()
            )
        )
    verified = set(
        VerifiedScore.objects.filter(report=report).values_list("criterion_id", flat=True)
    )
    for score in SelfScore.objects.filter(
        report=report,
        points__isnull=False,
        criterion__table_id=report.period.criteria_table_id,
    ).exclude(criterion_id__in=verified):
        confirmed = VerifiedScore(
            report=report, criterion_id=score.criterion_id, points=score.points, scored_by=actor
        )
        _attach_actor(confirmed, actor, _("Xác nhận điểm tự chấm khi chấp nhận báo cáo")).save()
    return _report_move(report, actor, UnitReport.State.ACCEPTED)


# Score cells --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellValue:
    points: Decimal | None
    comment: str
    version: int | None = None
    by: str = ""
    at: dt.datetime | None = None


class CellConflict(ConflictError):
    """The cell changed since the form showed it: ``theirs`` is what is saved now, ``mine`` what
    was being saved; nothing was written."""

    def __init__(self, message, *, mine: CellValue, theirs: CellValue):
        super().__init__(message, code="conflict")
        self.mine = mine
        self.theirs = theirs


def points_problem_message(problem: rules.PointsProblem, criterion: Criterion) -> str:
    """What to tell the person who typed points the criterion does not take."""
    messages = {
        rules.PointsProblem.NOT_A_NUMBER: _("“Điểm” phải là một số, ví dụ 8 hoặc 7,5."),
        rules.PointsProblem.TOO_MANY_DECIMALS: _(
            "Điểm ghi tối đa hai chữ số sau dấu phẩy (ví dụ 7,25); không dùng dấu chấm ngăn cách "
            "hàng nghìn."
        ),
        rules.PointsProblem.NEGATIVE: _(
            "Điểm không được âm: chỉ các tiêu chí điểm trừ mới ghi điểm bị trừ."
        ),
        rules.PointsProblem.ABOVE_MAX: _("Điểm vượt mức tối đa {max} của tiêu chí {code}.").format(
            max=_number(criterion.max_points), code=criterion.code
        ),
    }
    return messages[problem]


def _points_error(problem: rules.PointsProblem, criterion: Criterion) -> ValidationError:
    return ValidationError(
        {"points": points_problem_message(problem, criterion)}, code=str(problem)
    )


def _require_self_scoring(period: ReportingPeriod) -> None:
    if not period.self_scoring:
        raise ValidationError(_("Kỳ báo cáo này chỉ nhận báo cáo viết, đơn vị không tự chấm điểm."))


def _leaf_of(report: UnitReport, criterion: Criterion) -> Criterion:
    if criterion.table_id != report.period.criteria_table_id:
        raise ValidationError(
            _("Tiêu chí {code} không thuộc bảng tiêu chí của kỳ báo cáo này.").format(
                code=criterion.code
            )
        )
    if not criterion.is_leaf:
        raise ValidationError(
            _("Tiêu chí {code} được chấm ở các tiêu chí con.").format(code=criterion.code)
        )
    return criterion


def _who(user) -> str:
    return str(user) if user else ""


def _cell_conflict(theirs: CellValue, points, text, what) -> CellConflict:
    shown = _number(theirs.points) if theirs.points is not None else _("(để trống)")
    return CellConflict(
        _(
            "{who} vừa ghi {what} tiêu chí này là {theirs}; điểm bạn nhập ({mine}) chưa được lưu. "
            "Hãy xem lại rồi lưu lại."
        ).format(
            who=theirs.by or _("Người khác"),
            what=what,
            theirs=shown,
            mine=_number(points) if points is not None else _("để trống"),
        ),
        mine=CellValue(points=points, comment=text),
        theirs=theirs,
    )


def _self_cell(score: SelfScore) -> CellValue:
    return CellValue(
        score.points, score.comment, score.version, _who(score.updated_by), score.updated_at
    )


def _verified_cell(score: VerifiedScore) -> CellValue:
    return CellValue(
        score.points, score.justification, score.version, _who(score.scored_by), score.scored_at
    )


@transaction.atomic
def self_score_save(
    *, actor, report: UnitReport, criterion: Criterion, points, comment: str, version: int | None
) -> SelfScore:
    """Save one self-score cell (an autosave from the page, or a form).

    ``points`` is what was typed (text, a number, or blank for "not scored yet"); ``version`` the
    cell's version the page showed (None when the cell was empty). A save over a newer value is
    refused with ``CellConflict`` carrying both values; when the newer value is the same as the
    one being saved, the save simply succeeds. The first self score against a draft criteria
    table freezes it.
    """
    report = _locked_report(report)
    _require_editable(report)
    _require_self_scoring(report.period)
    criterion = _leaf_of(report, criterion)
    reading = rules.read_points(points, max_points=criterion.max_points, kind=criterion.kind)
    if reading.problem:
        raise _points_error(reading.problem, criterion)
    comment = _text(comment)
    points = reading.points
    table = report.period.criteria_table
    if table.is_draft:
        _freeze(table.pk, actor, _("Chốt khi đơn vị bắt đầu tự chấm điểm"))

    current = (
        SelfScore.objects.select_related("updated_by")
        .filter(report=report, criterion=criterion)
        .first()
    )
    if current is not None and current.points == points and current.comment == comment:
        return current  # already what is being saved (a second tab, a retried request)
    if current is not None and version is None and current.points is None and not current.comment:
        version = current.version  # a blank cell made to hold evidence: its value has not changed
    if current is None:
        if version is not None:
            raise ValidationError(_("Ô điểm này không còn; hãy tải lại trang."))
        score = SelfScore(
            report=report, criterion=criterion, points=points, comment=comment, updated_by=actor
        )
        try:
            with transaction.atomic():
                _attach_actor(score, actor).save()
        except IntegrityError:  # created meanwhile by another tab
            current = SelfScore.objects.select_related("updated_by").get(
                report=report, criterion=criterion
            )
            raise _cell_conflict(_self_cell(current), points, comment, _("điểm tự chấm")) from None
        return score
    if version is None or not update_with_history(
        SelfScore.objects.filter(pk=current.pk, version=version),
        actor=actor,
        points=points,
        comment=comment,
        updated_by=actor,
        updated_at=timezone.now(),
        version=F("version") + 1,
    ):
        raise _cell_conflict(_self_cell(current), points, comment, _("điểm tự chấm"))
    return SelfScore.objects.get(pk=current.pk)


@transaction.atomic
def evidence_add(
    *, actor, report: UnitReport, upload, criterion: Criterion | None = None
) -> Evidence:
    """Attach a minh chứng file to one leaf of the report (or to the report as a whole), after
    checking it by its content (core.uploads.check_upload)."""
    report = _locked_report(report)
    _require_editable(report)
    try:
        kind = check_upload(upload, allowed=EVIDENCE_KINDS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    self_score = None
    if criterion is not None:
        _require_self_scoring(report.period)
        criterion = _leaf_of(report, criterion)
        self_score = SelfScore.objects.filter(report=report, criterion=criterion).first()
        if self_score is None:  # evidence may come before the points
            self_score = SelfScore(report=report, criterion=criterion, updated_by=actor)
            _attach_actor(self_score, actor).save()
    upload.seek(0)
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    evidence = Evidence(
        report=report,
        self_score=self_score,
        original_name=clean_name(upload.name)[:255],
        content_type=kind.content_type,
        size=upload.size,
        sha256=digest,
        uploaded_by=actor,
    )
    evidence.file.save(upload.name, upload, save=False)
    _attach_actor(evidence, actor).save()
    return evidence


@transaction.atomic
def evidence_remove(*, actor, evidence: Evidence) -> None:
    """Remove an evidence file while the report can still be changed; the file goes after commit
    (its record stays in the history)."""
    report = _locked_report(evidence.report)
    _require_editable(report)
    stored = evidence.file.name
    storage = evidence.file.storage
    _attach_actor(evidence, actor).delete()
    transaction.on_commit(lambda: storage.delete(stored))


def _refuse_own_unit(actor, report: UnitReport) -> None:
    roles = roles_of(actor)
    if report.unit_id in roles.member_unit_ids:
        raise ValidationError(_("Không ai thẩm định điểm của chính đơn vị mình."))


@transaction.atomic
def verified_score_save(
    *,
    actor,
    report: UnitReport,
    criterion: Criterion,
    points,
    reason: str,
    version: int | None,
    scorer_unit=None,
) -> VerifiedScore:
    """The verified score of one leaf: by the secretariat (``scorer_unit`` None) or, where the
    bloc-year has cross-scoring, by another member unit. Never by the unit itself (nor by a person
    of that unit acting as secretariat). A value different from the self score needs a reason.
    Optimistic locking per cell, as for self scores."""
    report = _locked_report(report)
    _require_not_published(report.period)
    if report.state not in (UnitReport.State.SUBMITTED, UnitReport.State.ACCEPTED):
        raise ValidationError(
            _("Báo cáo đang ở trạng thái “{state}”: chưa thẩm định được.").format(
                state=report.get_state_display()
            )
        )
    _refuse_own_unit(actor, report)
    if scorer_unit is not None:
        if scorer_unit.pk == report.unit_id:
            raise ValidationError(_("Không ai thẩm định điểm của chính đơn vị mình."))
        if not scoring_settings_of(bloc=report.period.bloc, year=report.period.year).cross_scoring:
            raise ValidationError(_("Khối không chấm chéo năm nay."))
        if not Membership.objects.filter(
            bloc_id=report.period.bloc_id, year=report.period.year, unit=scorer_unit
        ).exists():
            raise ValidationError(
                _("{unit} không phải thành viên của khối năm {year}.").format(
                    unit=scorer_unit, year=report.period.year
                )
            )
    criterion = _leaf_of(report, criterion)
    reading = rules.read_points(points, max_points=criterion.max_points, kind=criterion.kind)
    if reading.problem:
        raise _points_error(reading.problem, criterion)
    if reading.points is None:
        raise ValidationError({"points": _("Hãy ghi điểm thẩm định.")})
    points = reading.points
    reason = _text(reason)
    self_points = (
        SelfScore.objects.filter(report=report, criterion=criterion)
        .values_list("points", flat=True)
        .first()
    )
    if rules.needs_reason(points, self_points) and not reason:
        raise ValidationError(
            {
                "reason": _("Điểm thẩm định khác điểm tự chấm ({self}): hãy ghi lý do.").format(
                    self=_number(self_points) if self_points is not None else _("chưa chấm")
                )
            }
        )
    cell = VerifiedScore.objects.select_related("scored_by").filter(
        report=report, criterion=criterion
    )
    cell = cell.filter(scorer_unit=scorer_unit) if scorer_unit else cell.filter(scorer_unit=None)
    current = cell.first()
    if current is not None and current.points == points and current.justification == reason:
        return current
    if current is None:
        if version is not None:
            raise ValidationError(_("Ô điểm này không còn; hãy tải lại trang."))
        score = VerifiedScore(
            report=report,
            criterion=criterion,
            points=points,
            justification=reason,
            scorer_unit=scorer_unit,
            scored_by=actor,
        )
        try:
            with transaction.atomic():
                _attach_actor(score, actor, reason).save()
        except IntegrityError:
            raise _cell_conflict(
                _verified_cell(cell.get()), points, reason, _("điểm thẩm định")
            ) from None
        return score
    if version is None or not update_with_history(
        VerifiedScore.objects.filter(pk=current.pk, version=version),
        actor=actor,
        reason=reason,
        points=points,
        justification=reason,
        scored_by=actor,
        scored_at=timezone.now(),
        version=F("version") + 1,
    ):
        raise _cell_conflict(_verified_cell(current), points, reason, _("điểm thẩm định"))
    return VerifiedScore.objects.get(pk=current.pk)


# Ranking ------------------------------------------------------------------------------------------


def _veto_reason(veto) -> str:
    text = f"{veto.label}: {veto.description}" if veto.description else veto.label
    return f"{text} ({veto.source})" if veto.source else text


@transaction.atomic
def ranking_compute(*, actor, bloc, year: int, today: dt.date) -> RankingRun:
    """Rank the bloc's units for ``year`` and store the run.

    What it reads — and only this:
    - the bloc-year's year-end period (tổng kết) and the criteria table version it uses;
    - the **verified scores of the accepted reports** of that period. Self scores are never used
      directly: accepting a report confirms the self scores nobody changed as verified ones
      (``report_accept``). Per leaf, the secretariat's verified score counts; where only member
      units cross-scored, the mean of their scores (rules.verified_points). Member units without
      an accepted report are not ranked and are listed as such with their report's state;
    - the veto conditions in force on ``today`` (blocs.selectors.vetoes_in_force) and the women
      share from the unit-year facts (UnitYearFacts: women and headcount);
    - the bloc-year's settings (tie-break chain, how vetoed units are treated) and the table's
      cap.

    The same inputs give the same result and the same SHA-256, whenever computed.
    """
    period = (
        ReportingPeriod.objects.select_related("criteria_table")
        .filter(bloc=bloc, year=year, kind=ReportingPeriod.Kind.YEAR_END)
        # One per bloc-year and kind; the model's ordering would join the bloc and its authority.
        .order_by("pk")
        .first()
    )
    if period is None:
        raise ValidationError(
            _("Khối chưa có kỳ tổng kết năm {year}: chưa xếp hạng được.").format(year=year)
        )
    table = period.criteria_table
    settings = scoring_settings_of(bloc=bloc, year=year)
    leaves = _leaves(table.pk)
    # (unit id, the name it carried that year, women, headcount): rows, not instances — the
    # ranking needs nothing else of a unit.
    facts = UnitYearFacts.objects.filter(unit=OuterRef("unit_id"), year=year).order_by()
    members = list(
        Membership.objects.filter(bloc=bloc, year=year)
        .annotate(
            name=Coalesce(bloc_selectors.name_in_year(year), F("unit__full_name")),
            women=Subquery(facts.values("women")[:1]),
            headcount=Subquery(facts.values("headcount")[:1]),
        )
        .order_by("position", "unit__full_name")
        .values_list("unit_id", "name", "women", "headcount")
    )
    unit_ids = [row[0] for row in members]

    # .order_by(): the models' default orderings join through report → period → bloc to sort
    # rows that only go into dicts (a fifth of the time of a ranking, benchmarks/RESULTS.md).
    # unit id → (report id, state); the report's text and file are not read.
    reports = {
        unit_id: (report_id, state)
        for unit_id, report_id, state in UnitReport.objects.filter(
            period=period, unit_id__in=unit_ids
        )
        .order_by()
        .values_list("unit_id", "pk", "state")
    }
    accepted = {
        unit_id: report_id
        for unit_id, (report_id, state) in reports.items()
        if state == UnitReport.State.ACCEPTED
    }
    secretariat: dict[tuple[int, int], Decimal] = {}
    cross: dict[tuple[int, int], list[Decimal]] = {}
    for report_id, criterion_id, unit_id, points in (
        VerifiedScore.objects.filter(report_id__in=list(accepted.values()), criterion__table=table)
        .order_by()
        .values_list("report_id", "criterion_id", "scorer_unit_id", "points")
    ):
        if unit_id is None:
            secretariat[(report_id, criterion_id)] = points
        else:
            cross.setdefault((report_id, criterion_id), []).append(points)

    vetoes = bloc_selectors.vetoes_in_force(unit_ids=list(accepted), year=year, on=today)
    units = []
    missing = []
    for unit_id, name, women, headcount in members:
        report_id = accepted.get(unit_id)
        if report_id is None:
            state = reports[unit_id][1] if unit_id in reports else "none"
            missing.append((unit_id, name, state))
            continue
        scores = []
        for criterion, place in leaves:
            key = (report_id, criterion.pk)
            points = rules.verified_points(secretariat.get(key), cross.get(key, ()))
            if points is None:
                raise ValidationError(
                    _("{unit}: tiêu chí {path} chưa có điểm thẩm định.").format(
                        unit=name, path=place.path
                    )
                )
            scores.append(ranking.LeafScore(place.path, place.group, criterion.kind, points))
        units.append(
            ranking.UnitScores(
                unit_id=unit_id,
                name=name,
                leaves=tuple(scores),
                women_share=ranking.women_share(women, headcount),
                veto_reasons=tuple(_veto_reason(v) for v in vetoes.get(unit_id, [])),
            )
        )
    if not units:
        raise ValidationError(_("Chưa có báo cáo tổng kết nào được chấp nhận: chưa xếp hạng được."))
    record = ranking.rank_bloc(
        units,
        tie_break=list(settings.tie_break),
        vetoed_mode=settings.vetoed_units,
        capped=table.capped,
        base_points=table.base_points,
        not_ranked=missing,
        about={
            "bloc_id": bloc.pk,
            "year": year,
            "period_id": period.pk,
            "criteria_table_id": table.pk,
            "criteria_table_version": table.version,
        },
    )
    return RankingRun.objects.create(
        bloc=bloc,
        year=year,
        period=period,
        criteria_table=table,
        computed_on=today,
        inputs=record.inputs,
        rules=record.rules,
        result=record.result,
        sha256=record.sha256,
        created_by=actor,
    )


# Spreadsheets -------------------------------------------------------------------------------------


@transaction.atomic
def criteria_table_fill(*, actor, table: CriteriaTable, rows) -> int:
    """Replace the criteria of a draft table with ``rows`` (scoring.spreadsheets.ImportedCriterion,
    parents before children). A draft has no scores (the first self score freezes it), so nothing
    is lost. All rows or none: one refused row refuses the file."""
    table = _require_draft_table(table)
    Criterion.objects.filter(table=table).delete()
    made: dict[str, Criterion] = {}
    for position, row in enumerate(rows, start=1):
        try:
            made[row.path] = criterion_add(
                actor=actor,
                table=table,
                parent=made.get(row.parent_path) if row.parent_path else None,
                code=row.code,
                title=row.title,
                max_points=row.max_points or None,
                kind=row.kind,
                evidence_required=row.evidence_required,
                guidance=row.guidance,
                position=position,
            )
        except ValidationError as error:
            raise ValidationError(
                _("Dòng {line}: {what}").format(line=row.line, what=" ".join(error.messages))
            ) from None
    return len(made)


def self_scores_apply(*, actor, report: UnitReport, changes) -> tuple[int, list[str]]:
    """Save the changed cells of an uploaded sheet (scoring.spreadsheets.CellChange), each as
    its own save with its conflict check: a cell somebody changed since the sheet was read is
    left as it is and reported. Returns the number saved and the messages of those refused."""
    saved, refused = 0, []
    leaves = {
        c.pk: c
        for c in Criterion.objects.filter(
            table_id=report.period.criteria_table_id, pk__in=[ch.criterion_id for ch in changes]
        )
    }
    for change in changes:
        try:
            self_score_save(
                actor=actor,
                report=report,
                criterion=leaves[change.criterion_id],
                points=change.points,
                comment=change.comment,
                version=change.version,
            )
        except ValidationError as error:
            refused.append(f"{change.path}: {' '.join(error.messages)}")
        else:
            saved += 1
    return saved, refused
