"""Scoring pages: parse → access → service/selector → render. htmx gets the fragment; every
action also works as a plain form post."""

import base64
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from blocs.access import get_bloc_for_user, get_unit_for_user, roles_of
from blocs.models import Membership, Unit
from blocs.services import ConflictError
from core.pages import add_errors as _add_errors
from core.pages import valid_year as _valid_year
from core.pages import xlsx_response as _xlsx
from core.uploads import file_response
from scoring import access, chart, selectors, services, spreadsheets
from scoring.forms import (
    CellForm,
    CriteriaTableForm,
    CriterionForm,
    PeriodDatesForm,
    PeriodForm,
    ReasonForm,
    ReportTextForm,
    SettingsForm,
    UploadForm,
    VerifiedCellForm,
)
from scoring.models import Criterion, ReportingPeriod, UnitReport


def _flash(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _bloc_year(request, pk, year, *, write=False):
    year = _valid_year(year)
    bloc, can_write = get_bloc_for_user(request.user, pk, year=year, write=write)
    if not access.bloc_year_readable(request.user, bloc, year):
        raise Http404
    return bloc, year, can_write


# The bloc-year ------------------------------------------------------------------------------------


def bloc_year(request, pk, year):
    """The year's criteria tables, reporting periods, settings and the latest ranking."""
    bloc, year, can_write = _bloc_year(request, pk, year)
    overview = selectors.bloc_year_overview(bloc=bloc, year=year)
    roles = roles_of(request.user)
    sources = []
    if can_write and not overview.tables:
        sources = selectors.tables_to_copy(authority=bloc.authority, before_year=year + 1)
    return render(
        request,
        "scoring/bloc_year.html",
        {
            "bloc": bloc,
            "year": year,
            "can_write": can_write,
            "overview": overview,
            "sources": sources,
            "own_unit_ids": roles.officer_unit_ids,
            "today": timezone.localdate(),
        },
    )


def settings_edit(request, pk, year):
    bloc, year, _w = _bloc_year(request, pk, year, write=True)
    current = services.scoring_settings_of(bloc=bloc, year=year)
    form = SettingsForm(
        request.POST or None,
        initial={
            "version": current.version,
            "cross_scoring": current.cross_scoring,
            "vetoed_units": current.vetoed_units,
            "tie_break": "\n".join(current.tie_break),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.scoring_settings_set(
                actor=request.user,
                bloc=bloc,
                year=year,
                cross_scoring=form.cleaned_data["cross_scoring"],
                vetoed_units=form.cleaned_data["vetoed_units"],
                tie_break=form.rules(),
                version=form.cleaned_data["version"],
            )
        except ConflictError as error:
            form.add_error(None, error.messages)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu cách chấm điểm, xếp hạng."))
            return redirect("scoring:bloc_year", pk=bloc.pk, year=year)
    return render(request, "scoring/settings_form.html", {"bloc": bloc, "year": year, "form": form})


# Criteria tables ----------------------------------------------------------------------------------


def table_create(request, pk, year):
    bloc, year, _w = _bloc_year(request, pk, year, write=True)
    form = CriteriaTableForm(
        request.POST or None,
        initial={"title": _("Bảng tiêu chí chấm điểm thi đua năm {y}").format(y=year)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            table = services.criteria_table_create(
                actor=request.user, bloc=bloc, year=year, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lập dự thảo bảng tiêu chí; hãy thêm các tiêu chí."))
            return redirect("scoring:table_detail", pk=table.pk)
    return render(
        request,
        "scoring/table_form.html",
        {"bloc": bloc, "year": year, "form": form, "creating": True},
    )


@require_POST
def table_copy_previous(request, pk, year):
    bloc, year, _w = _bloc_year(request, pk, year, write=True)
    try:
        table = services.criteria_table_copy_previous_year(actor=request.user, bloc=bloc, year=year)
    except ValidationError as error:
        _flash(request, error)
        return redirect("scoring:bloc_year", pk=bloc.pk, year=year)
    messages.success(
        request, _("Đã sao chép bảng tiêu chí năm {y}; hãy xem lại và sửa.").format(y=year - 1)
    )
    return redirect("scoring:table_detail", pk=table.pk)


@require_POST
def table_copy(request, pk, year):
    """A draft for the bloc-year copied from a table the person can read: another bloc's, an
    older year's, a template kept as a table."""
    bloc, year, _w = _bloc_year(request, pk, year, write=True)
    source, _r = access.get_table_for_user(request.user, request.POST.get("source"))
    try:
        table = services.criteria_table_copy(
            actor=request.user, source=source, bloc=bloc, year=year
        )
    except ValidationError as error:
        _flash(request, error)
        return redirect("scoring:bloc_year", pk=bloc.pk, year=year)
    messages.success(
        request, _("Đã sao chép bảng “{t}”; hãy xem lại và sửa.").format(t=source.title)
    )
    return redirect("scoring:table_detail", pk=table.pk)


def _table_context(request, table, can_write, **extra):
    tree = selectors.criteria_tree(table=table)
    versions = list(
        table.__class__.objects.filter(bloc_id=table.bloc_id, year=table.year).order_by("-version")
    )
    context = {
        "table": table,
        "bloc": table.bloc,
        "year": table.year,
        "tree": tree,
        "versions": versions,
        "is_latest": versions[0].pk == table.pk,
        "can_write": can_write,
        "leaf_total": sum(
            (n.criterion.max_points for n in tree if n.is_leaf and n.criterion.kind == "regular"),
            Decimal(0),
        ),
    }
    if can_write and table.is_draft and "form" not in extra:
        context["form"] = CriterionForm(parents=[n for n in tree if not n.is_leaf])
    context.update(extra)
    return context


def table_detail(request, pk):
    table, can_write = access.get_table_for_user(request.user, pk)
    if request.GET.get("format") == "xlsx":
        tree = selectors.criteria_tree(table=table)
        return _xlsx(
            spreadsheets.criteria_table_workbook(table=table, tree=tree),
            f"bang-tieu-chi-{table.year}-v{table.version}.xlsx",
        )
    return render(request, "scoring/table.html", _table_context(request, table, can_write))


def table_edit(request, pk):
    table, _w = access.get_table_for_user(request.user, pk, write=True)
    form = CriteriaTableForm(
        request.POST or None,
        initial={
            "title": table.title,
            "base_points": services.points_text(table.base_points),
            "capped": table.capped,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.criteria_table_update(actor=request.user, table=table, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("scoring:table_detail", pk=table.pk)
    return render(
        request,
        "scoring/table_form.html",
        {"bloc": table.bloc, "year": table.year, "form": form, "table": table},
    )


def _criterion_values(form) -> dict:
    data = dict(form.cleaned_data)
    data["max_points"] = data["max_points"] or None
    return data


def criterion_add(request, pk):
    table, _w = access.get_table_for_user(request.user, pk, write=True)
    if request.method != "POST":
        return redirect("scoring:table_detail", pk=table.pk)
    tree = selectors.criteria_tree(table=table)
    form = CriterionForm(request.POST, parents=[n for n in tree if not n.is_leaf])
    if form.is_valid():
        values = _criterion_values(form)
        parent_id = values.pop("parent")
        parent = next((n.criterion for n in tree if n.criterion.pk == parent_id), None)
        try:
            criterion = services.criterion_add(
                actor=request.user, table=table, parent=parent, **values
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã thêm tiêu chí {code}.").format(code=criterion.code))
            return redirect(f"{reverse('scoring:table_detail', args=[table.pk])}#add")
    return render(request, "scoring/table.html", _table_context(request, table, True, form=form))


def criterion_edit(request, pk):
    criterion = get_object_or_404(Criterion.objects.select_related("table"), pk=pk)
    table, _w = access.get_table_for_user(request.user, criterion.table_id, write=True)
    tree = selectors.criteria_tree(table=table)
    below = {criterion.pk}
    for node in tree:  # a node cannot move under itself or its descendants
        if node.criterion.parent_id in below:
            below.add(node.criterion.pk)
    parents = [n for n in tree if not n.is_leaf and n.criterion.pk not in below]
    form = CriterionForm(
        request.POST or None,
        parents=parents,
        initial={
            "parent": criterion.parent_id,
            "code": criterion.code,
            "title": criterion.title,
            "max_points": services.points_text(criterion.max_points)
            if criterion.max_points is not None
            else "",
            "kind": criterion.kind,
            "evidence_required": criterion.evidence_required,
            "guidance": criterion.guidance,
        },
    )
    if request.method == "POST" and form.is_valid():
        values = _criterion_values(form)
        parent_id = values.pop("parent")
        parent = next((n.criterion for n in parents if n.criterion.pk == parent_id), None)
        try:
            services.criterion_update(
                actor=request.user, criterion=criterion, parent=parent, **values
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Đã lưu tiêu chí {code}.").format(code=form["code"].value())
            )
            return redirect("scoring:table_detail", pk=table.pk)
    return render(
        request,
        "scoring/criterion_form.html",
        {"table": table, "bloc": table.bloc, "criterion": criterion, "form": form},
    )


@require_POST
def criterion_remove(request, pk):
    criterion = get_object_or_404(Criterion, pk=pk)
    table, _w = access.get_table_for_user(request.user, criterion.table_id, write=True)
    try:
        services.criterion_remove(actor=request.user, criterion=criterion)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Đã xóa tiêu chí {code}.").format(code=criterion.code))
    return redirect("scoring:table_detail", pk=table.pk)


@require_POST
def table_freeze(request, pk):
    table, _w = access.get_table_for_user(request.user, pk, write=True)
    try:
        services.criteria_table_freeze(actor=request.user, table=table)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Đã chốt bảng tiêu chí."))
    return redirect("scoring:table_detail", pk=table.pk)


def table_new_version(request, pk):
    table, _w = access.get_table_for_user(request.user, pk, write=True)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.criteria_table_new_version(
                actor=request.user, table=table, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Đã lập dự thảo phiên bản {v}. Các kỳ báo cáo vẫn dùng phiên bản cũ cho đến "
                    "khi được chuyển sang phiên bản mới."
                ).format(v=new.version),
            )
            return redirect("scoring:table_detail", pk=new.pk)
    return render(
        request,
        "scoring/table_new_version.html",
        {"table": table, "bloc": table.bloc, "form": form},
    )


def _stash(request, key: str, upload) -> None:
    """Keep an uploaded spreadsheet for the step after its dry run (the browser does not send a
    file twice). Small files only: the upload check has already capped the size."""
    upload.seek(0)
    request.session[key] = base64.b64encode(upload.read()).decode()


def _unstash(request, key: str):
    content = request.session.get(key)
    if not content:
        return None
    return SimpleUploadedFile("stashed.xlsx", base64.b64decode(content))


def table_import(request, pk):
    """Fill a draft table from an XLSX file: a dry run lists what would be added, then apply."""
    table, _w = access.get_table_for_user(request.user, pk, write=True)
    key = f"scoring:table-import:{table.pk}"
    form = UploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and request.POST.get("apply"):
        upload = _unstash(request, key)
        if upload is None:
            form = UploadForm()
            form.add_error(None, _("Hãy chọn lại tệp và đọc thử trước khi nhập."))
        else:
            preview = spreadsheets.criteria_table_read(upload)
            if not preview.errors:
                try:
                    count = services.criteria_table_fill(
                        actor=request.user, table=table, rows=preview.rows
                    )
                except ValidationError as error:
                    form = UploadForm()
                    _add_errors(form, error)
                else:
                    request.session.pop(key, None)
                    messages.success(request, _("Đã nhập {n} tiêu chí.").format(n=count))
                    return redirect("scoring:table_detail", pk=table.pk)
    elif request.method == "POST" and form.is_valid():
        try:
            preview = spreadsheets.criteria_table_read(form.cleaned_data["file"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _stash(request, key, form.cleaned_data["file"])
    return render(
        request,
        "scoring/table_import.html",
        {"table": table, "bloc": table.bloc, "form": form, "preview": preview},
    )


# Periods ------------------------------------------------------------------------------------------


def period_create(request, pk, year):
    bloc, year, _w = _bloc_year(request, pk, year, write=True)
    form = PeriodForm(request.POST or None, initial={"kind": ReportingPeriod.Kind.YEAR_END})
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(
                actor=request.user, bloc=bloc, year=year, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lập kỳ báo cáo (dự thảo)."))
            return redirect("scoring:period_detail", pk=period.pk)
    return render(request, "scoring/period_form.html", {"bloc": bloc, "year": year, "form": form})


def period_detail(request, pk):
    """The period's dashboard: who has sent, who is late, the countdown."""
    period, can_write = access.get_period_for_user(request.user, pk)
    today = timezone.localdate()
    dashboard = selectors.period_dashboard(period=period, today=today)
    roles = roles_of(request.user)
    return render(
        request,
        "scoring/period.html",
        {
            "period": period,
            "bloc": period.bloc,
            "year": period.year,
            "dashboard": dashboard,
            "can_write": can_write,
            "own_unit_ids": roles.officer_unit_ids,
            "newer_table": selectors.newer_table(period=period) if can_write else None,
            "reads_all": can_write
            or access.can_read_results(
                request.user,
                bloc=period.bloc,
                year=period.year,
                member_ids=[r.unit.id for r in dashboard.rows],
                published=False,
            ),
            "dates_form": PeriodDatesForm(
                initial={
                    "version": period.version,
                    "opens_on": period.opens_on,
                    "deadline": period.deadline,
                }
            )
            if can_write and period.state != ReportingPeriod.State.PUBLISHED
            else None,
        },
    )


@require_POST
def period_use_table(request, pk):
    period, _w = access.get_period_for_user(request.user, pk, write=True)
    table, _r = access.get_table_for_user(request.user, request.POST.get("table"))
    try:
        services.period_use_table(actor=request.user, period=period, table=table)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(
            request, _("Kỳ báo cáo chấm theo bảng tiêu chí phiên bản {v}.").format(v=table.version)
        )
    return redirect("scoring:period_detail", pk=period.pk)


@require_POST
def period_dates(request, pk):
    period, _w = access.get_period_for_user(request.user, pk, write=True)
    form = PeriodDatesForm(request.POST)
    if form.is_valid():
        try:
            services.period_update(actor=request.user, period=period, **form.cleaned_data)
        except (ConflictError, ValidationError) as error:
            _flash(request, error)
        else:
            messages.success(request, _("Đã lưu thời hạn."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("scoring:period_detail", pk=period.pk)


_PERIOD_MOVES = {
    "open": (
        services.period_open,
        gettext_noop("Đã mở kỳ báo cáo: các đơn vị có thể gửi báo cáo."),
    ),
    "close": (services.period_close, gettext_noop("Đã khóa sổ kỳ báo cáo.")),
    "publish": (services.period_publish, gettext_noop("Đã công bố kết quả kỳ báo cáo.")),
}


@require_POST
def period_move(request, pk, action):
    period, _w = access.get_period_for_user(request.user, pk, write=True)
    if action == "reopen":
        reason = request.POST.get("reason", "")
        try:
            services.period_reopen(actor=request.user, period=period, reason=reason)
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("Đã mở lại kỳ báo cáo."))
        return redirect("scoring:period_detail", pk=period.pk)
    if action not in _PERIOD_MOVES:
        raise Http404
    move, done = _PERIOD_MOVES[action]
    try:
        move(actor=request.user, period=period)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _(done))
    return redirect("scoring:period_detail", pk=period.pk)


def report_for_unit(request, pk, unit):
    """The unit's report of the period: opened when it exists; started (POST) otherwise."""
    period, _w = access.get_period_for_user(request.user, pk)
    if not access.may_open_report(request.user, period, unit):
        raise Http404
    found = UnitReport.objects.filter(period=period, unit_id=unit).first()
    if found:
        return redirect("scoring:report_detail", pk=found.pk)
    if request.method != "POST":
        return redirect("scoring:period_detail", pk=period.pk)
    unit_obj = get_object_or_404(Unit, pk=unit)
    try:
        report = services.report_start(actor=request.user, period=period, unit=unit_obj)
    except ValidationError as error:
        _flash(request, error)
        return redirect("scoring:period_detail", pk=period.pk)
    return redirect("scoring:report_detail", pk=report.pk)


def score_grid(request, pk):
    """Units × leaves, self and verified side by side, totals; sortable; XLSX."""
    period, can_write = access.get_period_for_user(request.user, pk)
    # The grid reads the members anyway: their ids decide who may see it (nothing is shown before).
    grid = selectors.score_grid(bloc=period.bloc, year=period.year, period=period)
    if not access.can_read_results(
        request.user,
        bloc=period.bloc,
        year=period.year,
        member_ids=[row.unit.id for row in grid.rows],
        published=period.state == ReportingPeriod.State.PUBLISHED,
    ):
        raise PermissionDenied
    sort = request.GET.get("sort", "")
    keys = {
        "verified": lambda r: (-r.verified_total, r.unit.name),
        "self": lambda r: (-r.self_total, r.unit.name),
        "name": lambda r: r.unit.name,
    }
    if sort in keys:
        grid.rows.sort(key=keys[sort])
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            spreadsheets.score_grid_workbook(grid=grid),
            f"bang-diem-{period.year}-{period.kind}.xlsx",
        )
    cross_scorers = sorted({u for row in grid.rows for c in row.cells for u in c.cross})
    return render(
        request,
        "scoring/grid.html",
        {
            "period": period,
            "bloc": period.bloc,
            "year": period.year,
            "grid": grid,
            "sort": sort,
            "cross": bool(cross_scorers),
            "can_write": can_write,
        },
    )


# The unit report ----------------------------------------------------------------------------------


class _Here:
    """A report with what the person may do on it, read once per request."""

    def __init__(self, request, pk, *, write=False):
        self.report, _w = access.get_report_for_user(request.user, pk, write=write)
        self.period = self.report.period
        settings = services.scoring_settings_of(bloc=self.period.bloc, year=self.period.year)
        self.cross_scoring = settings.cross_scoring
        member_ids = ()
        if self.cross_scoring:
            member_ids = list(
                Membership.objects.filter(bloc=self.period.bloc, year=self.period.year).values_list(
                    "unit_id", flat=True
                )
            )
        self.rights = access.report_rights(
            request.user, self.report, cross_scoring=self.cross_scoring, member_ids=member_ids
        )
        period_open = self.period.state == ReportingPeriod.State.OPEN
        editable = self.report.state in UnitReport.EDITABLE
        self.can_edit = (
            (self.rights.own_unit or self.rights.secretariat) and editable and period_open
        )
        sent = self.report.state in (UnitReport.State.SUBMITTED, UnitReport.State.ACCEPTED)
        published = self.period.state == ReportingPeriod.State.PUBLISHED
        self.can_verify = self.rights.secretariat and sent and not published
        self.cross_unit_id = (
            min(self.rights.cross_scorer_unit_ids)
            if self.rights.cross_scorer_unit_ids and sent and not published
            else None
        )

    def context(self, **extra):
        return {
            "report": self.report,
            "period": self.period,
            "bloc": self.period.bloc,
            "year": self.period.year,
            "rights": self.rights,
            "can_edit": self.can_edit,
            "can_verify": self.can_verify,
            "cross_unit_id": self.cross_unit_id,
            "self_scoring": self.period.self_scoring,
            **extra,
        }


def _unit_name(report) -> str:
    return selectors.unit_name_in_year(unit=report.unit, year=report.period.year)


def _report_page(
    request, here, *, status=200, cell_errors=None, typed=None, evidence_errors=None, **extra
):
    sheet = selectors.report_sheet(report=here.report)
    for row in sheet.rows:
        pk = row.node.criterion.pk
        if cell_errors and pk in cell_errors:
            row.error = cell_errors[pk]
            row.typed_points, row.typed_comment = typed[pk]
        if evidence_errors and pk in evidence_errors:
            row.evidence_error = evidence_errors[pk]
    context = here.context(
        sheet=sheet,
        unit_name=_unit_name(here.report),
        text_form=extra.pop("text_form", None)
        or ReportTextForm(initial={"version": here.report.version, "text": here.report.text}),
        today=timezone.localdate(),
        show_verified=here.can_verify
        or here.cross_unit_id
        or here.report.state != UnitReport.State.DRAFT,
        **extra,
    )
    return render(request, "scoring/report.html", context, status=status)


def report_detail(request, pk):
    here = _Here(request, pk)
    return _report_page(request, here)


def report_text(request, pk):
    """The written report: autosaved text (htmx) or the form with a file."""
    here = _Here(request, pk, write=True)
    if request.method != "POST":
        return redirect("scoring:report_detail", pk=here.report.pk)
    if not here.can_edit:
        raise PermissionDenied
    form = ReportTextForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report = services.report_update(
                actor=request.user,
                report=here.report,
                version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
                upload=form.cleaned_data["file"],
                remove_file=form.cleaned_data["remove_file"],
            )
        except ConflictError as error:
            if request.htmx:
                return _fragment(request, "text-status", here, conflict=error.messages[0])
            messages.error(request, error.messages[0])
            return redirect("scoring:report_detail", pk=here.report.pk)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if request.htmx:
                here.report = report
                return _fragment(request, "text-status", here, saved_at=timezone.now())
            messages.success(request, _("Đã lưu báo cáo."))
            return redirect("scoring:report_detail", pk=report.pk)
    if request.htmx:
        return _fragment(request, "text-status", here, errors=form.errors)
    return _report_page(request, here, status=422, text_form=form)


def report_file(request, pk):
    here = _Here(request, pk)
    if not here.report.file:
        raise Http404
    return file_response(
        here.report.file, filename=here.report.file_name, content_type=here.report.file_type
    )


def _fragment(request, name, here, **extra):
    return render(request, f"scoring/_report_fragments.html#{name}", here.context(**extra))


def _leaf(here, criterion_pk) -> Criterion:
    try:
        return Criterion.objects.get(pk=criterion_pk, table_id=here.period.criteria_table_id)
    except (Criterion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _cell_response(request, here, criterion, *, state, **extra):
    sheet = selectors.report_sheet(report=here.report)
    row = sheet.row_of(criterion.pk)
    response = render(
        request,
        "scoring/_report_fragments.html#cell-status",
        here.context(row=row, sheet=sheet, oob=state == "saved", **extra),
    )
    response["X-Cell-State"] = state
    return response


def cell_save(request, pk, criterion):
    """One self-score cell. GET (htmx): the cell as saved now, to take the saved value after a
    conflict."""
    here = _Here(request, pk, write=True)
    leaf = _leaf(here, criterion)
    if request.method != "POST":
        sheet = selectors.report_sheet(report=here.report)
        return render(
            request,
            "scoring/report.html#cell",
            here.context(row=sheet.row_of(leaf.pk), sheet=sheet),
        )
    if not here.can_edit:
        raise PermissionDenied
    form = CellForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.self_score_save(
            actor=request.user,
            report=here.report,
            criterion=leaf,
            points=data.get("points", ""),
            comment=data.get("comment", ""),
            version=data.get("version"),
        )
    except services.CellConflict as conflict:
        if not request.htmx:
            messages.error(request, conflict.messages[0])
            return redirect(_cell_url(here.report, leaf))
        return _cell_response(request, here, leaf, state="conflict", conflict=conflict)
    except ValidationError as error:
        message = " ".join(error.messages)
        if not request.htmx:
            return _report_page(
                request,
                here,
                status=422,
                cell_errors={leaf.pk: message},
                typed={leaf.pk: (data.get("points", ""), data.get("comment", ""))},
            )
        return _cell_response(request, here, leaf, state="error", error=message)
    if not request.htmx:
        messages.success(request, _("Đã lưu điểm tiêu chí {code}.").format(code=leaf.code))
        return redirect(_cell_url(here.report, leaf))
    return _cell_response(request, here, leaf, state="saved", saved_at=timezone.now())


def _cell_url(report, criterion) -> str:
    return f"{reverse('scoring:report_detail', args=[report.pk])}#c{criterion.pk}"


def verified_save(request, pk, criterion):
    """One verified cell, by the secretariat or a cross-scoring member unit."""
    here = _Here(request, pk)
    leaf = _leaf(here, criterion)
    if request.method != "POST":
        return redirect(_cell_url(here.report, leaf))
    form = VerifiedCellForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    scorer = None
    if data.get("scorer_unit"):
        if data["scorer_unit"] != here.cross_unit_id:
            raise PermissionDenied
        scorer = get_object_or_404(Unit, pk=here.cross_unit_id)
    elif not here.can_verify:
        raise PermissionDenied
    error_message, conflict = "", None
    try:
        services.verified_score_save(
            actor=request.user,
            report=here.report,
            criterion=leaf,
            points=data.get("points", ""),
            reason=data.get("reason", ""),
            version=data.get("version"),
            scorer_unit=scorer,
        )
    except services.CellConflict as error:
        conflict = error
    except ValidationError as error:
        error_message = " ".join(error.messages)
    if not request.htmx:
        if conflict or error_message:
            messages.error(request, conflict.messages[0] if conflict else error_message)
        else:
            messages.success(request, _("Đã lưu điểm thẩm định tiêu chí {c}.").format(c=leaf.code))
        return redirect(_cell_url(here.report, leaf))
    sheet = selectors.report_sheet(report=here.report)
    response = render(
        request,
        "scoring/report.html#verify",
        here.context(
            row=sheet.row_of(leaf.pk),
            sheet=sheet,
            verify_error=error_message,
            conflict=conflict,
            typed=(data.get("points", ""), data.get("reason", "")),
            saved=not (conflict or error_message),
        ),
    )
    if not (conflict or error_message):
        # The header's verified total follows the saved cell (out of band).
        response.content += render_to_string(
            "scoring/_report_fragments.html#verified-total", {"sheet": sheet}, request=request
        ).encode()
    response["X-Cell-State"] = "conflict" if conflict else "error" if error_message else "saved"
    return response


@require_POST
def evidence_add(request, pk):
    here = _Here(request, pk, write=True)
    if not here.can_edit:
        raise PermissionDenied
    criterion = None
    if request.POST.get("criterion"):
        criterion = _leaf(here, request.POST["criterion"])
    form = UploadForm(request.POST, request.FILES)
    back = (
        _cell_url(here.report, criterion)
        if criterion
        else reverse("scoring:report_detail", args=[here.report.pk])
    )
    if not form.is_valid():
        messages.error(request, _("Hãy chọn tệp minh chứng."))
        return redirect(back)
    try:
        services.evidence_add(
            actor=request.user,
            report=here.report,
            upload=form.cleaned_data["file"],
            criterion=criterion,
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        if criterion is None:
            messages.error(request, message)
            return redirect(back)
        return _report_page(request, here, status=422, evidence_errors={criterion.pk: message})
    messages.success(request, _("Đã đính kèm minh chứng."))
    return redirect(back)


def evidence_download(request, pk):
    evidence, _w = access.get_evidence_for_user(request.user, pk)
    return file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


@require_POST
def evidence_remove(request, pk):
    evidence, _w = access.get_evidence_for_user(request.user, pk, write=True)
    here = _Here(request, evidence.report_id, write=True)
    if not here.can_edit:
        raise PermissionDenied
    try:
        services.evidence_remove(actor=request.user, evidence=evidence)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Đã gỡ tệp {name}.").format(name=evidence.original_name))
    return redirect("scoring:report_detail", pk=here.report.pk)


@require_POST
def report_submit(request, pk):
    here = _Here(request, pk, write=True)
    if not (here.rights.own_unit or here.rights.secretariat):
        raise PermissionDenied
    try:
        services.report_submit(actor=request.user, report=here.report)
    except services.ReportIncomplete as incomplete:
        return _report_page(request, here, status=422, incomplete=incomplete)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Đã gửi báo cáo đến thường trực khối."))
    return redirect("scoring:report_detail", pk=here.report.pk)


def report_return(request, pk):
    here = _Here(request, pk, write=True)
    if not here.rights.secretariat:
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_return(
                actor=request.user, report=here.report, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã trả lại báo cáo cho đơn vị."))
            return redirect("scoring:report_detail", pk=here.report.pk)
    return render(
        request,
        "scoring/report_return.html",
        here.context(form=form, unit_name=_unit_name(here.report)),
    )


@require_POST
def report_accept(request, pk):
    here = _Here(request, pk, write=True)
    if not here.rights.secretariat:
        raise PermissionDenied
    try:
        services.report_accept(actor=request.user, report=here.report)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("Đã chấp nhận báo cáo."))
    return redirect("scoring:report_detail", pk=here.report.pk)


# The officer's spreadsheet ------------------------------------------------------------------------


def report_sheet_download(request, pk):
    here = _Here(request, pk)
    if not here.period.self_scoring:
        raise Http404
    sheet = selectors.report_sheet(report=here.report)
    return _xlsx(
        spreadsheets.report_workbook(sheet=sheet, unit_name=_unit_name(here.report)),
        f"tu-cham-diem-{here.period.year}-{here.report.unit_id}.xlsx",
    )


def report_sheet_upload(request, pk):
    """Upload the filled sheet: a dry run shows what will change and every error by cell;
    applying saves the changed cells (each with its conflict check)."""
    here = _Here(request, pk, write=True)
    if not (here.can_edit and here.period.self_scoring):
        raise PermissionDenied
    key = f"scoring:sheet:{here.report.pk}"
    form = UploadForm(request.POST or None, request.FILES or None)
    diff = None
    upload = None
    if request.method == "POST" and request.POST.get("apply"):
        upload = _unstash(request, key)
        if upload is None:
            form = UploadForm()
            form.add_error(None, _("Hãy chọn lại tệp và đọc thử trước khi lưu."))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
    if upload is not None:
        sheet = selectors.report_sheet(report=here.report)
        try:
            diff = spreadsheets.report_sheet_diff(upload=upload, sheet=sheet)
        except ValidationError as error:
            form = form if form.is_bound else UploadForm()
            _add_errors(form, error)
        else:
            if request.POST.get("apply") and not diff.errors:
                saved, refused = services.self_scores_apply(
                    actor=request.user, report=here.report, changes=diff.changes
                )
                request.session.pop(key, None)
                for message in refused:
                    messages.error(request, message)
                messages.success(request, _("Đã lưu {n} ô điểm từ tệp.").format(n=saved))
                return redirect("scoring:report_detail", pk=here.report.pk)
            _stash(request, key, upload)
    return render(
        request,
        "scoring/report_upload.html",
        here.context(form=form, diff=diff, unit_name=_unit_name(here.report)),
    )


# The ranking --------------------------------------------------------------------------------------


def ranking(request, pk, year):
    bloc, year, can_write = _bloc_year(request, pk, year)
    member_ids = list(
        Membership.objects.filter(bloc=bloc, year=year).order_by().values_list("unit_id", flat=True)
    )
    # One per kind; .order_by("pk"), as the model's ordering joins the bloc and its authority.
    period = (
        ReportingPeriod.objects.filter(bloc=bloc, year=year, kind=ReportingPeriod.Kind.YEAR_END)
        .order_by("pk")
        .first()
    )
    published = period is not None and period.state == ReportingPeriod.State.PUBLISHED
    if not access.can_read_results(
        request.user, bloc=bloc, year=year, member_ids=member_ids, published=published
    ):
        raise PermissionDenied
    latest = selectors.ranking_latest(bloc=bloc, year=year)
    svg = ""
    if latest and latest.entries:
        svg = chart.ranking_bars(
            [
                chart.Bar(
                    label=e.unit_name,
                    value=e.total,
                    note=_("chưa xét khen thưởng")
                    if e.vetoed
                    else (_("đồng hạng") if e.shared else ""),
                    highlight=e.rank == 1,
                )
                for e in latest.entries
            ]
        )
    return render(
        request,
        "scoring/ranking.html",
        {
            "bloc": bloc,
            "year": year,
            "can_write": can_write,
            "period": period,
            "latest": latest,
            "svg": svg,
        },
    )


@require_POST
def ranking_compute(request, pk, year):
    bloc, year, _w = _bloc_year(request, pk, year, write=True)
    try:
        run = services.ranking_compute(
            actor=request.user, bloc=bloc, year=year, today=timezone.localdate()
        )
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(
            request,
            _("Đã tính xếp hạng. Mã băm SHA-256 của lần tính: {sha}.").format(sha=run.sha256[:16]),
        )
    return redirect("scoring:ranking", pk=bloc.pk, year=year)


# The unit page's panel ----------------------------------------------------------------------------


def unit_reports(request, pk):
    unit, _w = get_unit_for_user(request.user, pk)
    reports = selectors.unit_reports(unit=unit, visible=access.reports_visible_to(request.user))
    return render(request, "scoring/unit_reports.html", {"unit": unit, "reports": reports})
