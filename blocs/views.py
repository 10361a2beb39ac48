"""Bloc and unit pages: parse → access → service/selector → render. htmx gets the fragment."""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from blocs import access, selectors, services
from blocs.forms import (
    BlocEditForm,
    BlocFilterForm,
    BlocForm,
    ChairTermForm,
    ConferenceForm,
    HandoverForm,
    ImportUploadForm,
    MemberAddForm,
    MemberRemoveForm,
    UnitEditForm,
    UnitMergeForm,
    UnitRenameForm,
    UnitYearFactsForm,
    VetoConditionForm,
    VetoLiftForm,
)
from blocs.models import Authority, ChairTerm, ImportBatch
from blocs.spreadsheets import members_workbook, template_workbook
from core import admin_format, documents
from core.pages import add_errors as _add_errors
from core.pages import valid_year as _valid_year
from core.pages import xlsx_response as _xlsx
from core.text import fold


def _conflict(form, error, posted, current) -> dict:
    """What the person typed beside what is saved now, for the fields that differ, by label."""

    def shown(field, value):
        choices = dict(getattr(field, "choices", []) or [])
        return choices.get(value, value) if choices else value

    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in posted:
            continue
        mine, theirs = posted.get(name, ""), getattr(current, name, "")
        if str(mine).strip() != str(theirs or "").strip():
            rows.append(
                {"label": field.label, "mine": shown(field, mine), "theirs": shown(field, theirs)}
            )
    return {"message": error.messages[0], "rows": rows}


# Bloc list ----------------------------------------------------------------------------------------


@vary_on_headers("HX-Request")
def bloc_list(request):
    roles = access.roles_of(request.user)
    authorities = list(
        Authority.objects.all()
        if roles.is_admin
        else Authority.objects.filter(blocs__in=access.blocs_visible_to(request.user)).distinct()
    )
    form = BlocFilterForm(
        request.GET or None,
        authorities=authorities,
        years=selectors.bloc_filter_years(user=request.user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    blocs = selectors.bloc_list(
        user=request.user,
        query=filters.get("q", ""),
        authority_id=filters.get("authority"),
        kind=filters.get("kind", ""),
        year=filters.get("year"),
    )
    page = Paginator(blocs, settings.THIDUEA_PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.bloc_list_attach_chairs(page.object_list)
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {"form": form, "page": page, "query_string": query_string.urlencode()}
    template = "blocs/bloc_list.html#results" if request.htmx else "blocs/bloc_list.html"
    return render(request, template, context)


def bloc_create(request):
    authorities = access.authorities_writable_by(request.user)
    if not authorities.exists():
        raise PermissionDenied
    form = BlocForm(request.POST or None, authorities=authorities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bloc = services.bloc_create(
                actor=request.user,
                authority=data["authority"],
                kind=data["kind"],
                code=data["code"],
                name=data["name"],
                rotation_rule=data["rotation_rule"],
                note=data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã tạo {b}.").format(b=bloc))
            year = data["first_year"] or dt.date.today().year
            return redirect("blocs:bloc_detail", pk=bloc.pk, year=year)
    return render(request, "blocs/bloc_form.html", {"form": form})


def bloc_edit(request, pk):
    bloc, _can_write = access.get_bloc_for_user(request.user, pk, write=True)
    initial = {
        f: getattr(bloc, f) for f in ("version", "kind", "code", "name", "rotation_rule", "note")
    }
    form = BlocEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            bloc = services.bloc_update(actor=request.user, bloc=bloc, **form.cleaned_data)
        except services.ConflictError as error:
            bloc.refresh_from_db()
            form = BlocEditForm(initial={f: getattr(bloc, f) for f in initial}, data=None)
            form.conflict = _conflict(form, error, request.POST, bloc)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("blocs:bloc_latest", pk=bloc.pk)
    return render(request, "blocs/bloc_edit.html", {"form": form, "bloc": bloc})


# Bloc page -----------------------------------------------------------------------------------------


def bloc_latest(request, pk):
    bloc, _can_write = access.get_bloc_for_user(request.user, pk)
    year = selectors.bloc_latest_year(bloc) or dt.date.today().year
    return redirect("blocs:bloc_detail", pk=bloc.pk, year=year)


def _bloc_page_context(request, bloc, year, can_write, **extra):
    detail = selectors.bloc_year_detail(user=request.user, bloc=bloc, year=year)
    can_elect_next = access.can_lead_election(request.user, bloc, year + 1)
    context = {
        "bloc": bloc,
        "year": year,
        "detail": detail,
        "can_write": can_write,
        "can_elect_next": can_elect_next,
        "add_form": extra.pop("add_form", None)
        or MemberAddForm(units=selectors.units_addable(bloc=bloc, year=year))
        if can_write
        else None,
    }
    context.update(extra)
    return context


def bloc_detail(request, pk, year):
    year = _valid_year(year)
    bloc, can_write = access.get_bloc_for_user(request.user, pk, year=year)
    template = "blocs/bloc_detail.html"
    return render(request, template, _bloc_page_context(request, bloc, year, can_write))


@vary_on_headers("HX-Request")
def member_add(request, pk, year):
    year = _valid_year(year)
    bloc, _w = access.get_bloc_for_user(request.user, pk, year=year, write=True)
    if request.method == "GET" and request.htmx and "q" in request.GET:
        # The bloc page's search: a short choice of matching units instead of every unit.
        units = selectors.units_addable_matching(bloc=bloc, year=year, query=request.GET["q"])
        return render(
            request,
            "blocs/member_add.html#choices",
            {"units": units, "query": request.GET["q"], "bloc": bloc, "year": year},
        )
    form = MemberAddForm(request.POST or None, units=selectors.units_addable(bloc=bloc, year=year))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["unit"]:
                services.membership_add(actor=request.user, bloc=bloc, year=year, unit=data["unit"])
            else:
                services.membership_add_new_unit(
                    actor=request.user,
                    bloc=bloc,
                    year=year,
                    full_name=data["new_full_name"],
                    short_name=data["new_short_name"],
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if request.htmx:
                return render(
                    request,
                    "blocs/bloc_detail.html#members",
                    _bloc_page_context(request, bloc, year, True),
                )
            messages.success(request, _("Đã thêm thành viên."))
            return redirect("blocs:bloc_detail", pk=bloc.pk, year=year)
    if request.htmx:
        return render(
            request,
            "blocs/bloc_detail.html#members",
            _bloc_page_context(request, bloc, year, True, add_form=form),
        )
    return render(request, "blocs/member_add.html", {"bloc": bloc, "year": year, "form": form})


@require_POST
def member_remove(request, pk, year):
    year = _valid_year(year)
    bloc, _w = access.get_bloc_for_user(request.user, pk, year=year, write=True)
    form = MemberRemoveForm(
        request.POST, units=selectors.bloc_members_of_year(bloc=bloc, year=year)
    )
    errors = []
    if form.is_valid():
        try:
            services.membership_remove(
                actor=request.user, bloc=bloc, year=year, unit=form.cleaned_data["unit"]
            )
        except ValidationError as error:
            errors = error.messages
    else:
        errors = [_("Đơn vị này không còn trong danh sách thành viên năm {y}.").format(y=year)]
    if request.htmx:
        context = _bloc_page_context(request, bloc, year, True, member_errors=errors)
        return render(request, "blocs/bloc_detail.html#members", context)
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, _("Đã rút đơn vị khỏi danh sách thành viên."))
    return redirect("blocs:bloc_detail", pk=bloc.pk, year=year)


@require_POST
def members_copy(request, pk, year):
    year = _valid_year(year)
    bloc, _w = access.get_bloc_for_user(request.user, pk, year=year, write=True)
    added = services.membership_copy_previous_year(actor=request.user, bloc=bloc, year=year)
    messages.success(
        request, _("Đã thêm {n} thành viên từ năm {y}.").format(n=len(added), y=year - 1)
    )
    return redirect("blocs:bloc_detail", pk=bloc.pk, year=year)


def members_export(request, pk, year):
    year = _valid_year(year)
    bloc, _w = access.get_bloc_for_user(request.user, pk, year=year)
    headers = [
        _("STT"),
        _("Tên đơn vị"),
        _("Tên viết tắt"),
        _("Cơ quan chủ quản"),
        _("Chức danh thủ trưởng"),
        _("Địa chỉ"),
        _("Chức vụ trong khối"),
    ]
    content = members_workbook(
        title=_("Danh sách thành viên {b} năm {y}").format(b=bloc, y=year),
        year=year,
        headers=headers,
        rows=selectors.bloc_members_export_rows(bloc=bloc, year=year),
    )
    return _xlsx(content, f"thanh-vien-{fold(bloc.code).replace(' ', '-')}-{year}.xlsx")


def members_pdf_context(bloc, year: int) -> dict:
    """What pdf/members.html shows (also timed by benchmarks/pdf_render.py)."""
    # A document is Vietnamese whatever the interface language (the office column included).
    with translation.override(documents.DOCUMENT_LANGUAGE):
        rows = selectors.bloc_members_export_rows(bloc=bloc, year=year)
        chair_word = str(bloc.chair_word)
    # The chair's row carries the chair word and the chair's name as it was that year.
    chair_name = next((row[1] for row in rows if row[6] == chair_word), "")
    bloc_name = admin_format.upper(bloc.name)
    word = "cụm" if bloc.kind == bloc.Kind.CLUSTER else "khối"
    return {
        "doc_title": f"DANH SÁCH THÀNH VIÊN {bloc_name} NĂM {year}",
        "issuer_parent": bloc_name if chair_name else "",
        "issuer_name": admin_format.upper(chair_name or bloc.name),
        "place_date": admin_format.place_date_line(
            admin_format.place_name(bloc.authority.name), timezone.localdate()
        ),
        "office_header": f"Chức vụ trong {word}",
        "rows": [(row[0], row[1], row[6]) for row in rows],
        "recipients": [f"Các đơn vị thành viên {word.capitalize()};", "Lưu: VT."],
        "signer": admin_format.Signer(
            prefix=admin_format.ON_BEHALF, on_behalf_of=bloc.name, title=chair_word
        ),
    }


def members_pdf(request, pk, year):
    """The member list as a document (ND 30/2020): issued by the year's chair unit, else the bloc."""
    year = _valid_year(year)
    bloc, _w = access.get_bloc_for_user(request.user, pk, year=year)
    content = documents.render_pdf("pdf/members.html", members_pdf_context(bloc, year))
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"thanh-vien-{fold(bloc.code).replace(' ', '-')}-{year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = documents.DOCUMENT_LANGUAGE
    return response


def chair_elect(request, pk, year):
    year = _valid_year(year)
    bloc, _w = access.get_bloc_for_user(request.user, pk, year=year)
    if not access.can_lead_election(request.user, bloc, year):
        raise PermissionDenied
    term = ChairTerm.objects.filter(bloc=bloc, year=year).order_by().first()
    members = list(selectors.bloc_members_of_year(bloc=bloc, year=year))
    carried_over = not members
    if carried_over:
        members = list(selectors.bloc_members_of_year(bloc=bloc, year=year - 1))
    initial = {}
    if term:
        initial = {
            "chair": term.chair_id,
            "vice_chair": term.vice_chair_id,
            "elected_on": term.elected_on,
            "elected_at": term.elected_at,
            "term_id": term.pk,
            "version": term.version,
        }
    else:
        proposal = selectors.chair_proposal(bloc=bloc, year=year, members=members)
        initial = {"chair": proposal.chair, "vice_chair": proposal.vice_chair}
    form = ChairTermForm(request.POST or None, initial=initial, units=members, bloc=bloc)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        editing = None
        if data["term_id"]:
            editing = ChairTerm.objects.filter(pk=data["term_id"], bloc=bloc, year=year).first()
        try:
            services.chair_term_elect(
                actor=request.user,
                bloc=bloc,
                year=year,
                chair=data["chair"],
                vice_chair=data["vice_chair"],
                elected_on=data["elected_on"],
                elected_at=data["elected_at"],
                term=editing,
                version=data["version"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Đã ghi kết quả bầu {w} năm {y}.").format(w=bloc.chair_word, y=year)
            )
            return redirect("blocs:bloc_detail", pk=bloc.pk, year=year)
    context = {
        "bloc": bloc,
        "year": year,
        "form": form,
        "term": term,
        "has_members": bool(members),
        "carried_over": carried_over,
    }
    return render(request, "blocs/chair_form.html", context)


def handover(request, pk, year):
    year = _valid_year(year)
    bloc, _w = access.get_bloc_for_user(request.user, pk, year=year)
    if not access.can_lead_election(request.user, bloc, year):
        raise PermissionDenied
    term = ChairTerm.objects.filter(bloc=bloc, year=year).select_related("chair").first()
    if term is None:
        messages.error(
            request,
            _("Hãy ghi kết quả bầu {w} năm {y} trước khi ghi việc trao cờ.").format(
                w=bloc.chair_word, y=year
            ),
        )
        return redirect("blocs:chair_elect", pk=bloc.pk, year=year)
    previous = ChairTerm.objects.filter(bloc=bloc, year=year - 1).first()
    initial = {
        "version": term.version,
        "handover_on": term.handover_on,
        "from_unit": term.handover_from_id or (previous.chair_id if previous else None),
        "to_unit": term.handover_to_id or term.chair_id,
    }
    form = HandoverForm(
        request.POST or None,
        initial=initial,
        from_units=selectors.bloc_members_of_year(bloc=bloc, year=year - 1),
        to_units=selectors.bloc_members_of_year(bloc=bloc, year=year),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.chair_term_record_handover(
                actor=request.user,
                term=term,
                version=data["version"],
                handover_on=data["handover_on"],
                from_unit=data["from_unit"],
                to_unit=data["to_unit"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi việc trao cờ luân lưu."))
            return redirect("blocs:bloc_detail", pk=bloc.pk, year=year)
    return render(
        request,
        "blocs/handover_form.html",
        {"bloc": bloc, "year": year, "form": form, "term": term},
    )


def conference_add(request, pk, year):
    year = _valid_year(year)
    bloc, _w = access.get_bloc_for_user(request.user, pk, year=year, write=True)
    form = ConferenceForm(
        request.POST or None, units=selectors.bloc_members_of_year(bloc=bloc, year=year)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_add(actor=request.user, bloc=bloc, year=year, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi hội nghị."))
            return redirect("blocs:bloc_detail", pk=bloc.pk, year=year)
    return render(request, "blocs/conference_form.html", {"bloc": bloc, "year": year, "form": form})


@vary_on_headers("HX-Request")
def bloc_history(request, pk):
    bloc, _w = access.get_bloc_for_user(request.user, pk)
    records = selectors.bloc_history(bloc=bloc)
    template = "blocs/history.html#records" if request.htmx else "blocs/history.html"
    return render(
        request,
        template,
        {"object": bloc, "records": records, "back": reverse("blocs:bloc_latest", args=[bloc.pk])},
    )


# Units ------------------------------------------------------------------------------------------------


@vary_on_headers("HX-Request")
def unit_list(request):
    query = request.GET.get("q", "")
    page = Paginator(selectors.unit_list(user=request.user, query=query), 50).get_page(
        request.GET.get("page")
    )
    template = "blocs/unit_list.html#results" if request.htmx else "blocs/unit_list.html"
    context = {"page": page, "q": query, "query_string": urlencode({"q": query}) if query else ""}
    return render(request, template, context)


def unit_detail(request, pk):
    unit = access.get_visible_unit(request.user, pk)
    detail = selectors.unit_detail(user=request.user, unit=unit)
    rights = access.unit_page_access(request.user, unit, detail.memberships)
    selectors.unit_detail_attach_facts(detail, with_vetoes=rights.can_see_vetoes)
    return render(
        request,
        "blocs/unit_detail.html",
        {
            "unit": unit,
            "detail": detail,
            "can_write": rights.can_write,
            "fact_years_writable": rights.fact_years,
            "veto_years_writable": rights.veto_years,
        },
    )


# Facts of a unit-year and veto conditions ---------------------------------------------------------


def bloc_facts(request, pk, year):
    """The members' figures of a bloc-year in one table: what the award rules will read."""
    year = _valid_year(year)
    bloc, can_write = access.get_bloc_for_user(request.user, pk, year=year)
    roles = access.roles_of(request.user)
    with_vetoes = (
        roles.is_admin
        or bloc.authority_id in roles.readable_authority_ids
        or (bloc.pk in roles.bloc_secretariat)
    )
    rows = selectors.bloc_year_facts(bloc=bloc, year=year, with_vetoes=with_vetoes)
    return render(
        request,
        "blocs/bloc_facts.html",
        {
            "bloc": bloc,
            "year": year,
            "rows": rows,
            "can_write": can_write,
            "with_vetoes": with_vetoes,
            "own_unit_ids": roles.officer_unit_ids,
        },
    )


def _facts_initial(facts) -> dict:
    if facts is None:
        return {"version": None}
    fields = UnitYearFactsForm.base_fields
    return {name: getattr(facts, name) for name in fields}


def unit_facts_edit(request, pk, year):
    year = _valid_year(year)
    unit, _w = access.get_unit_for_user(request.user, pk)
    if not access.can_write_unit_year(request.user, unit, year):
        raise PermissionDenied
    current = selectors.unit_year_facts(unit_ids=[unit.pk], year=year).get(unit.pk)
    form = UnitYearFactsForm(request.POST or None, initial=_facts_initial(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_year_facts_set(
                actor=request.user, unit=unit, year=year, **form.cleaned_data
            )
        except services.ConflictError as error:
            current = selectors.unit_year_facts(unit_ids=[unit.pk], year=year).get(unit.pk)
            form = UnitYearFactsForm(initial=_facts_initial(current))
            form.conflict = _conflict(form, error, request.POST, current)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu số liệu năm {y}.").format(y=year))
            return redirect("blocs:unit_detail", pk=unit.pk)
    return render(request, "blocs/unit_facts_form.html", {"unit": unit, "year": year, "form": form})


def veto_add(request, pk, year):
    year = _valid_year(year)
    unit, _w = access.get_unit_for_user(request.user, pk)
    if not access.can_see_vetoes(request.user, unit):
        raise Http404
    if not access.can_record_vetoes(request.user, unit, year):
        raise PermissionDenied
    form = VetoConditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.veto_condition_record(
                actor=request.user, unit=unit, year=year, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi trường hợp chưa xét khen thưởng."))
            return redirect("blocs:unit_detail", pk=unit.pk)
    return render(request, "blocs/veto_form.html", {"unit": unit, "year": year, "form": form})


def veto_lift(request, pk):
    condition = access.get_veto_condition_for_user(request.user, pk)
    form = VetoLiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.veto_condition_lift(
                actor=request.user, condition=condition, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi ngày chấm dứt."))
            return redirect("blocs:unit_detail", pk=condition.unit_id)
    return render(request, "blocs/veto_lift.html", {"condition": condition, "form": form})


def unit_edit(request, pk):
    unit, _w = access.get_unit_for_user(request.user, pk, write=True)
    fields = ("version", "short_name", "parent_body", "head_title", "address")
    form = UnitEditForm(request.POST or None, initial={f: getattr(unit, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except services.ConflictError as error:
            unit.refresh_from_db()
            form = UnitEditForm(initial={f: getattr(unit, f) for f in fields})
            form.conflict = _conflict(form, error, request.POST, unit)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("blocs:unit_detail", pk=unit.pk)
    return render(request, "blocs/unit_edit.html", {"unit": unit, "form": form})


def unit_rename(request, pk):
    unit, _w = access.get_unit_for_user(request.user, pk, write=True)
    form = UnitRenameForm(
        request.POST or None, initial={"short_name": unit.short_name, "version": unit.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_rename(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi tên mới; các năm trước vẫn giữ tên cũ."))
            return redirect("blocs:unit_detail", pk=unit.pk)
    return render(
        request, "blocs/unit_action.html", {"unit": unit, "form": form, "action": "rename"}
    )


def unit_merge(request, pk):
    unit, _w = access.get_unit_for_user(request.user, pk, write=True)
    form = UnitMergeForm(request.POST or None, units=access.units_mergeable_by(request.user, unit))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_merge(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi việc sáp nhập."))
            return redirect("blocs:unit_detail", pk=unit.pk)
    return render(
        request, "blocs/unit_action.html", {"unit": unit, "form": form, "action": "merge"}
    )


@vary_on_headers("HX-Request")
def unit_history(request, pk):
    unit, _w = access.get_unit_for_user(request.user, pk)
    records = selectors.unit_history(unit=unit)
    template = "blocs/history.html#records" if request.htmx else "blocs/history.html"
    return render(
        request,
        template,
        {"object": unit, "records": records, "back": reverse("blocs:unit_detail", args=[unit.pk])},
    )


# Import ---------------------------------------------------------------------------------------------


def _import_authorities(user):
    roles = access.roles_of(user)
    if not roles.can_import:
        raise PermissionDenied
    return Authority.objects.filter(blocs__in=access.blocs_writable_by(user)).distinct()


def import_upload(request):
    authorities = _import_authorities(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None, authorities=authorities)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_preview(
                actor=request.user,
                authority=form.cleaned_data["authority"],
                filename=upload.name,
                content=upload.read(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("blocs:import_preview", pk=batch.pk)
    return render(request, "blocs/import_upload.html", {"form": form})


def import_preview(request, pk):
    _import_authorities(request.user)
    batch = get_object_or_404(ImportBatch, pk=pk, created_by=request.user)
    error = None
    if request.method == "POST":
        if "discard" in request.POST:
            services.import_discard(actor=request.user, batch=batch)
            messages.info(request, _("Đã hủy lần nhập; không có dữ liệu nào được ghi."))
            return redirect("blocs:import_upload")
        try:
            summary = services.import_apply(actor=request.user, batch=batch)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                _("Đã ghi: {u} đơn vị mới, {c} đơn vị cập nhật, {m} lượt thành viên mới.").format(
                    u=summary["units_created"],
                    c=summary["units_changed"],
                    m=summary["memberships_added"],
                ),
            )
            return redirect("blocs:bloc_list")
    return render(
        request, "blocs/import_preview.html", {"batch": batch, "plan": batch.plan, "error": error}
    )


def import_template(request):
    _import_authorities(request.user)
    return _xlsx(template_workbook(), "mau-nhap-don-vi.xlsx")
