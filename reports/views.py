"""Year-end report pages: parse → access → service/selector → render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from blocs.access import get_bloc_for_user
from core.pages import valid_year as _valid_year
from core.uploads import file_response
from reports import access, selectors, services
from reports.forms import ReportTextForm


@vary_on_headers("HX-Request")
def report_list(request, pk, year):
    year = _valid_year(year)
    bloc, can_write = get_bloc_for_user(request.user, pk, year=year)
    context = {"bloc": bloc, "year": year, "can_write": can_write}
    context.update(selectors.report_page(bloc=bloc, year=year))
    template = "reports/report_list.html#versions" if request.htmx else "reports/report_list.html"
    return render(request, template, context)


@require_POST
def report_compile(request, pk, year):
    year = _valid_year(year)
    bloc, _w = get_bloc_for_user(request.user, pk, year=year, write=True)
    job = services.report_compile_request(actor=request.user, bloc=bloc, year=year)
    if request.htmx:
        return render(request, "core/job_status.html#progress", {"job": job, "can_retry": True})
    messages.success(request, _("Đã ghi nhận yêu cầu lập báo cáo; trang tự cập nhật tiến độ."))
    return redirect("reports:report_list", pk=bloc.pk, year=year)


def report_text(request, pk, year):
    year = _valid_year(year)
    bloc, _w = get_bloc_for_user(request.user, pk, year=year, write=True)
    current = selectors.report_page(bloc=bloc, year=year)["text"]
    initial = (
        {"version": current.version, "overview": current.overview, "direction": current.direction}
        if current
        else {}
    )
    form = ReportTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_text_save(actor=request.user, bloc=bloc, year=year, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Đã lưu nội dung báo cáo."))
            return redirect("reports:report_list", pk=bloc.pk, year=year)
    return render(request, "reports/report_text.html", {"bloc": bloc, "year": year, "form": form})


def report_download(request, pk, fmt):
    report = access.get_report_for_user(request.user, pk)
    document = {"pdf": report.pdf, "xlsx": report.xlsx, "docx": report.docx}.get(fmt)
    if document is None:
        raise Http404
    return file_response(
        document.file,
        filename=document.filename,
        content_type=document.content_type,
        inline=fmt == "pdf",
    )


def province_reports(request, pk, year):
    year = _valid_year(year)
    authority, can_write = access.get_authority_for_batch(request.user, pk)
    context = {"authority": authority, "year": year, "can_write": can_write}
    context.update(selectors.province_page(authority=authority, year=year))
    return render(request, "reports/province_reports.html", context)


@require_POST
def province_compile(request, pk, year):
    year = _valid_year(year)
    authority, _w = access.get_authority_for_batch(request.user, pk, write=True)
    try:
        services.report_province_request(actor=request.user, authority=authority, year=year)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Đã ghi nhận yêu cầu lập báo cáo cho các khối, cụm."))
    return redirect("reports:province_reports", pk=authority.pk, year=year)


def dashboard(request, pk, year):
    """Where every step of the bloc-year stands, who is late, what is due next."""
    from reports.dashboard import bloc_year_steps

    year = _valid_year(year)
    bloc, can_write = get_bloc_for_user(request.user, pk, year=year)
    steps = bloc_year_steps(bloc=bloc, year=year)
    return render(
        request,
        "reports/dashboard.html",
        {"bloc": bloc, "year": year, "steps": steps, "can_write": can_write},
    )
