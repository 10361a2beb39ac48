"""Awards pages: parse → access → service/selector → render. htmx gets the fragment."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from awards import access, selectors, services
from awards.forms import (
    AbsentForm,
    AwardRecordForm,
    BallotForm,
    BallotItemForm,
    CandidatesForm,
    PaperTotalsForm,
    ProposalDecisionForm,
    ProposalIssueForm,
    ProposalLineForm,
    ProposalSummaryForm,
    QuotaForm,
    ReasonForm,
    RegistryFilterForm,
    RegistryImportForm,
)
from awards.models import AwardType, Ballot, BallotItem, Proposal, ProposalLine
from awards.spreadsheets import registry_workbook, template_workbook
from blocs.access import (
    get_bloc_for_user,
    get_unit_for_user,
    roles_of,
    units_visible_to,
)
from blocs.models import Authority
from core import documents
from core.pages import add_errors as _add_errors
from core.pages import valid_year as _valid_year
from core.pages import xlsx_response as _xlsx
from core.uploads import file_response

# Catalogue ----------------------------------------------------------------------------------------


def catalogue(request):
    """Award types, their rules with the legal citation and dates, and the legal bases."""
    access.require_reader(request.user)
    roles = roles_of(request.user)
    return render(
        request,
        "awards/catalogue.html",
        {
            "awards": selectors.catalogue(),
            "bases": list(
                selectors.legal_bases(
                    authority_ids=None if roles.is_admin else roles.readable_authority_ids
                )
            ),
        },
    )


# Registry -----------------------------------------------------------------------------------------


@vary_on_headers("HX-Request")
def registry_list(request):
    access.require_reader(request.user)
    award_types = list(selectors.award_types(active_only=False))
    form = RegistryFilterForm(
        request.GET or None,
        years=selectors.registry_years(user=request.user),
        award_types=award_types,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    records = selectors.registry_list(
        user=request.user,
        query=filters.get("q", ""),
        year=filters.get("year"),
        award_type_id=filters.get("award_type"),
    )
    if request.GET.get("format") == "xlsx":
        rows = selectors.registry_export_rows(list(records[:5000]))
        return _xlsx(
            registry_workbook(title=_("Sổ theo dõi khen thưởng"), rows=rows), "so-khen-thuong.xlsx"
        )
    page = Paginator(records, settings.THIDUEA_PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.attach_names(page.object_list)
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query_string": query_string.urlencode(),
        "can_record": access.can_record_any(request.user),
    }
    template = "awards/registry_list.html#results" if request.htmx else "awards/registry_list.html"
    return render(request, template, context)


def _record_form(request, *, initial=None, data=None):
    return AwardRecordForm(
        data,
        initial=initial,
        units=units_visible_to(request.user).order_by("search_key"),
        award_types=selectors.award_types(),
    )


def _check_scope(request, unit, year) -> None:
    if not access.can_record_award(request.user, unit, year):
        raise PermissionDenied


def record_create(request):
    if not access.can_record_any(request.user):
        raise PermissionDenied
    form = _record_form(request, data=request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _check_scope(request, data["unit"], data["year"])
        try:
            services.award_registry_record(
                actor=request.user,
                unit=data["unit"],
                year=data["year"],
                award_type=data["award_type"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                issuing_body=data["issuing_body"],
                note=data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi vào sổ khen thưởng."))
            return redirect("awards:registry_list")
    return render(request, "awards/record_form.html", {"form": form})


def record_edit(request, pk):
    record, _w = access.get_record_for_user(request.user, pk, write=True)
    fields = ("unit", "year", "award_type", "decision_number", "decision_date", "issuing_body")
    initial = {f: getattr(record, f) for f in fields} | {
        "version": record.version,
        "note": record.note,
    }
    form = _record_form(request, data=request.POST or None, initial=initial)
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _check_scope(request, record.unit, data["year"])
        try:
            services.award_record_update(
                actor=request.user,
                record=record,
                version=data["version"] or record.version,
                award_type=data["award_type"],
                year=data["year"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                issuing_body=data["issuing_body"],
                note=data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("awards:registry_list")
    return render(request, "awards/record_form.html", {"form": form, "record": record})


def _import_authorities(user):
    if not access.can_record_any(user):
        raise PermissionDenied
    roles = roles_of(user)
    if roles.is_admin:
        return Authority.objects.all()
    return Authority.objects.filter(
        Q(pk__in=roles.readable_authority_ids) | Q(blocs__pk__in=list(roles.bloc_secretariat))
    ).distinct()


def registry_import(request):
    authorities = _import_authorities(request.user)
    form = RegistryImportForm(request.POST or None, request.FILES or None, authorities=authorities)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.registry_import_preview(
                actor=request.user,
                authority=form.cleaned_data["authority"],
                filename=upload.name,
                content=upload.read(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("awards:registry_import_preview", pk=batch.pk)
    return render(request, "awards/registry_import.html", {"form": form})


def registry_import_template(request):
    _import_authorities(request.user)
    return _xlsx(template_workbook(), "mau-so-khen-thuong.xlsx")


def registry_import_preview(request, pk):
    batch = access.get_import_for_user(request.user, pk)
    error = None
    if request.method == "POST":
        if "discard" in request.POST:
            services.registry_import_discard(actor=request.user, batch=batch)
            messages.info(request, _("Đã hủy lần nhập; không có dữ liệu nào được ghi."))
            return redirect("awards:registry_import")
        try:
            summary = services.registry_import_apply(actor=request.user, batch=batch)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Đã ghi {n} khen thưởng vào sổ.").format(n=summary["new"]))
            return redirect("awards:registry_list")
    return render(
        request,
        "awards/registry_import_preview.html",
        {"batch": batch, "plan": batch.plan, "error": error},
    )


def unit_awards(request, pk):
    """The unit page's section: what the unit received, year by year."""
    unit, _w = get_unit_for_user(request.user, pk)
    context = {
        "unit": unit,
        "records": selectors.unit_awards(unit=unit),
        "can_record": access.can_record_any(request.user),
    }
    template = "awards/unit_awards.html#panel" if request.htmx else "awards/unit_awards.html"
    return render(request, template, context)


# Bloc-year: eligibility, quotas, ballots ------------------------------------------------------------


def bloc_year(request, pk, year):
    year = _valid_year(year)
    bloc, can_write = get_bloc_for_user(request.user, pk, year=year)
    table = selectors.bloc_year_eligibility(bloc=bloc, year=year)
    for row in table.rows:
        row.cells = [row.verdicts.get(a.code) for a in table.awards]
    return render(
        request,
        "awards/bloc_year.html",
        {
            "bloc": bloc,
            "year": year,
            "can_write": can_write,
            "table": table,
            "quotas": [
                (a, q)
                for a, q in selectors.bloc_quotas(bloc=bloc, year=year, awards=table.awards)
                if q
            ],
            "ballots": list(selectors.ballots_of_bloc_year(bloc=bloc, year=year)),
        },
    )


def quotas_edit(request, pk, year):
    year = _valid_year(year)
    bloc, _w = get_bloc_for_user(request.user, pk, year=year, write=True)
    form = QuotaForm(request.POST or None, quotas=selectors.bloc_quotas(bloc=bloc, year=year))
    if request.method == "POST" and form.is_valid():
        services.bloc_quotas_set(actor=request.user, bloc=bloc, year=year, quotas=form.quotas())
        messages.success(request, _("Đã lưu số lượng được đề nghị."))
        return redirect("awards:bloc_year", pk=bloc.pk, year=year)
    return render(request, "awards/quotas_form.html", {"bloc": bloc, "year": year, "form": form})


def ballot_create(request, pk, year):
    year = _valid_year(year)
    bloc, _w = get_bloc_for_user(request.user, pk, year=year, write=True)
    form = BallotForm(
        request.POST or None,
        initial={
            "title": _("Bình xét thi đua, khen thưởng năm {y}").format(y=year),
            "held_on": selectors.review_date(bloc=bloc, year=year),
            "mode": Ballot.Mode.ONLINE,
            "base": Ballot.Base.ALL,
            "threshold": "50",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            ballot = services.ballot_create(
                actor=request.user, bloc=bloc, year=year, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("awards:ballot_detail", pk=ballot.pk)
    return render(request, "awards/ballot_form.html", {"bloc": bloc, "year": year, "form": form})


def _ballot_context(request, ballot, can_manage, **extra):
    detail = selectors.ballot_detail(ballot=ballot)
    labels = dict(Ballot.State.choices)
    for step in detail.transitions:
        step.from_label = labels.get(step.from_state, step.from_state)
        step.to_label = labels.get(step.to_state, step.to_state)
    members = [(row.unit, row.name) for row in detail.roll]
    voter_units = access.voter_unit_ids(request.user, ballot, [u.pk for u, _n in members])
    context = {
        "ballot": ballot,
        "bloc": ballot.bloc,
        "year": ballot.year,
        "detail": detail,
        "can_manage": can_manage,
        "voter_rows": [row for row in detail.roll if row.pk in voter_units],
        "item_form": extra.pop("item_form", None)
        or (
            BallotItemForm(
                award_types=AwardType.objects.filter(active=True).exclude(
                    pk__in=[i.item.award_type_id for i in detail.items]
                )
            )
            if can_manage and ballot.state == Ballot.State.DRAFT
            else None
        ),
        "absent_form": extra.pop("absent_form", None)
        or (
            AbsentForm(units=[(r.unit, r.name) for r in detail.waiting])
            if can_manage and ballot.state == Ballot.State.OPEN
            else None
        ),
    }
    context.update(extra)
    return context


@vary_on_headers("HX-Request")
def ballot_detail(request, pk):
    ballot, can_manage = access.get_ballot_for_user(request.user, pk)
    context = _ballot_context(request, ballot, can_manage)
    template = "awards/ballot_detail.html#roll" if request.htmx else "awards/ballot_detail.html"
    return render(request, template, context)


@require_POST
def ballot_item_add(request, pk):
    ballot, _m = access.get_ballot_for_user(request.user, pk, manage=True)
    form = BallotItemForm(request.POST, award_types=AwardType.objects.filter(active=True))
    if form.is_valid():
        try:
            services.ballot_item_add(actor=request.user, ballot=ballot, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("awards:ballot_detail", pk=ballot.pk)
    return render(
        request,
        "awards/ballot_detail.html",
        _ballot_context(request, ballot, True, item_form=form),
        status=200,
    )


@require_POST
def ballot_item_remove(request, pk):
    item = get_object_or_404(BallotItem.objects.select_related("ballot"), pk=pk)
    access.get_ballot_for_user(request.user, item.ballot_id, manage=True)
    try:
        services.ballot_item_remove(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("awards:ballot_detail", pk=item.ballot_id)


def ballot_candidates(request, pk):
    """Choose the candidates of one award, seeing each member's eligibility and its reasons."""
    item, _m = access.get_ballot_item_for_user(request.user, pk, manage=True)
    ballot = item.ballot
    choices = selectors.candidate_choices(ballot=ballot)
    table = choices["table"]
    members = [(row.unit, row.name) for row in table.rows]
    form = CandidatesForm(
        request.POST or None,
        members=members,
        initial={"units": [str(u) for u in choices["chosen"].get(item.pk, ())]},
    )
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["units"]}
        try:
            services.ballot_candidates_set(
                actor=request.user, item=item, units=[u for u, _n in members if u.pk in chosen]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu danh sách giới thiệu."))
            return redirect("awards:ballot_detail", pk=ballot.pk)
    rows = [
        {
            "unit": row.unit,
            "name": row.name,
            "checked": str(row.pk) in (form["units"].value() or []),
            "verdict": row.verdicts.get(item.award_type.code),
        }
        for row in table.rows
    ]
    return render(
        request,
        "awards/ballot_candidates.html",
        {"ballot": ballot, "item": item, "form": form, "rows": rows, "table": table},
    )


@require_POST
def ballot_open(request, pk):
    ballot, _m = access.get_ballot_for_user(request.user, pk, manage=True)
    try:
        services.ballot_open(actor=request.user, ballot=ballot)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Đã mở bỏ phiếu. Cán bộ của các đơn vị thành viên có thể bỏ phiếu.")
        )
    return redirect("awards:ballot_detail", pk=ballot.pk)


@require_POST
def ballot_absent(request, pk):
    ballot, _m = access.get_ballot_for_user(request.user, pk, manage=True)
    detail = selectors.ballot_detail(ballot=ballot)
    units = {row.unit.pk: row.unit for row in detail.waiting}
    form = AbsentForm(request.POST, units=[(r.unit, r.name) for r in detail.waiting])
    if form.is_valid():
        try:
            services.ballot_record_absent(
                actor=request.user,
                ballot=ballot,
                unit=units[form.cleaned_data["unit"]],
                written_opinion=form.cleaned_data["written_opinion"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi đơn vị vắng mặt."))
            return redirect("awards:ballot_detail", pk=ballot.pk)
    return render(
        request,
        "awards/ballot_detail.html",
        _ballot_context(request, ballot, True, absent_form=form),
    )


def ballot_close(request, pk):
    ballot, _m = access.get_ballot_for_user(request.user, pk, manage=True)
    if ballot.state != Ballot.State.OPEN:
        messages.error(request, _("Chỉ kết thúc được cuộc bỏ phiếu đang mở."))
        return redirect("awards:ballot_detail", pk=ballot.pk)
    detail = selectors.ballot_detail(ballot=ballot)
    paper = ballot.mode == Ballot.Mode.PAPER
    form = (
        PaperTotalsForm(
            request.POST or None,
            candidates=[(item, c) for item in detail.items for c in item.candidates],
        )
        if paper
        else None
    )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.ballot_close(
                actor=request.user,
                ballot=ballot,
                paper=form.paper() if form else None,
                paper_votes=form.votes() if form else None,
            )
        except ValidationError as error:
            if form is None:
                messages.error(request, error.messages[0])
                return redirect("awards:ballot_detail", pk=ballot.pk)
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã kết thúc bỏ phiếu và kiểm phiếu."))
            return redirect("awards:ballot_detail", pk=ballot.pk)
    return render(
        request,
        "awards/ballot_close.html",
        {"ballot": ballot, "detail": detail, "form": form, "bloc": ballot.bloc},
    )


def ballot_vote(request, pk):
    """A member unit's officer casts the unit's one ballot: calm, unmistakable, final."""
    ballot, _m = access.get_ballot_for_user(request.user, pk)
    detail = selectors.ballot_detail(ballot=ballot)
    voter_ids = access.voter_unit_ids(request.user, ballot, [row.pk for row in detail.roll])
    if not voter_ids:
        raise PermissionDenied
    rows = [row for row in detail.roll if row.pk in voter_ids]
    unit_id = int(request.POST.get("unit") or request.GET.get("unit") or rows[0].pk)
    row = next((r for r in rows if r.pk == unit_id), None)
    if row is None:
        raise Http404
    errors = []
    chosen = {}
    if request.method == "POST":
        chosen = {
            str(item.pk): [int(c) for c in request.POST.getlist(f"item_{item.pk}") if c.isdigit()]
            for item in detail.items
        }
        try:
            services.ballot_cast(actor=request.user, ballot=ballot, unit=row.unit, choices=chosen)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, _("Đã nhận phiếu của {u}. Phiếu được giữ bí mật.").format(u=row.name)
            )
            return redirect("awards:ballot_vote", pk=ballot.pk)
    return render(
        request,
        "awards/ballot_vote.html",
        {
            "ballot": ballot,
            "detail": detail,
            "row": row,
            "rows": rows,
            "errors": errors,
            "chosen": {int(k): set(v) for k, v in chosen.items()},
            "open": ballot.state == Ballot.State.OPEN
            and (ballot.closes_at is None or ballot.closes_at > timezone.now()),
        },
    )


# Proposal ---------------------------------------------------------------------------------------


def _proposal_context(request, bloc, year, proposal, rights, **extra):
    lines = []
    members = selectors.bloc_members(bloc=bloc, year=year)
    if proposal:
        lines = list(
            proposal.lines.select_related("unit", "award_type").order_by(
                "award_type__order", "order", "pk"
            )
        )
        names = {u.pk: name for u, name in members}
        for line in lines:
            line.name = names.get(line.unit_id, line.unit.full_name)
            line.verdict = selectors.shown_verdict(selectors.verdict_from_json(line.eligibility))
    quotas = selectors.bloc_quota_map(bloc=bloc, year=year)
    award_types = list(selectors.award_types())
    counts = {}
    for line in lines:
        counts[line.award_type.code] = counts.get(line.award_type.code, 0) + 1
    editable = proposal is not None and proposal.editable and rights["edit"]
    labels = dict(Proposal.State.choices)
    transitions = list(proposal.transitions.select_related("actor")) if proposal else []
    for step in transitions:
        step.from_label = labels.get(step.from_state, "")
        step.to_label = labels.get(step.to_state, step.to_state)
    context = {
        "bloc": bloc,
        "year": year,
        "proposal": proposal,
        "rights": rights,
        "lines": lines,
        "editable": editable,
        "quota_rows": [
            (a, counts.get(a.code, 0), quotas.get(a.code))
            for a in award_types
            if a.code in counts or a.code in quotas
        ],
        "transitions": transitions,
        "province_quotas": (
            selectors.province_quota_state(proposal=proposal, proposed_codes=set(counts))
            if proposal
            else []
        ),
        "documents": list(proposal.documents.order_by("pk")) if proposal else [],
        "line_form": extra.pop("line_form", None)
        or (ProposalLineForm(members=members, award_types=award_types) if editable else None),
        "summary_form": extra.pop("summary_form", None)
        or (
            ProposalSummaryForm(initial={"version": proposal.version, "summary": proposal.summary})
            if editable
            else None
        ),
        "return_form": extra.pop("return_form", None)
        or (ReasonForm() if proposal and rights["approve"] else None),
    }
    context.update(extra)
    return context


def proposal_page(request, pk, year):
    year = _valid_year(year)
    bloc, _w = get_bloc_for_user(request.user, pk, year=year)
    rights = access.proposal_rights(request.user, bloc, year)
    # One per bloc-year; by pk, as the model's ordering joins the bloc and its authority.
    proposal = Proposal.objects.filter(bloc=bloc, year=year).order_by("pk").first()
    if proposal is not None:
        proposal.bloc = bloc  # already read, with its authority
    return render(
        request, "awards/proposal.html", _proposal_context(request, bloc, year, proposal, rights)
    )


@require_POST
def proposal_build(request, pk, year):
    year = _valid_year(year)
    bloc, _w = get_bloc_for_user(request.user, pk, year=year, write=True)
    try:
        _proposal, left_out = services.proposal_build(actor=request.user, bloc=bloc, year=year)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Đã lập dự thảo đề nghị từ kết quả xếp hạng và bình xét."))
        for reason in left_out:
            messages.warning(request, reason)
    return redirect("awards:proposal_page", pk=bloc.pk, year=year)


def _back(proposal):
    return redirect("awards:proposal_page", pk=proposal.bloc_id, year=proposal.year)


def _rerender(request, proposal, rights, **forms):
    return render(
        request,
        "awards/proposal.html",
        _proposal_context(request, proposal.bloc, proposal.year, proposal, rights, **forms),
    )


@require_POST
def proposal_summary(request, pk):
    proposal, rights = access.get_proposal_for_user(request.user, pk, need="edit")
    form = ProposalSummaryForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_update(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return _back(proposal)
    return _rerender(request, proposal, rights, summary_form=form)


@require_POST
def proposal_line_add(request, pk):
    proposal, rights = access.get_proposal_for_user(request.user, pk, need="edit")
    members = selectors.bloc_members(bloc=proposal.bloc, year=proposal.year)
    form = ProposalLineForm(request.POST, members=members, award_types=selectors.award_types())
    if form.is_valid():
        units = {u.pk: u for u, _name in members}
        try:
            services.proposal_line_add(
                actor=request.user,
                proposal=proposal,
                unit=units[form.cleaned_data["unit"]],
                award_type=form.cleaned_data["award_type"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã thêm vào đề nghị."))
            return _back(proposal)
    return _rerender(request, proposal, rights, line_form=form)


@require_POST
def proposal_line_remove(request, pk):
    line = get_object_or_404(ProposalLine.objects.select_related("proposal"), pk=pk)
    proposal, _rights = access.get_proposal_for_user(request.user, line.proposal_id, need="edit")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do bỏ đơn vị khỏi đề nghị."))
        return _back(proposal)
    try:
        services.proposal_line_remove(
            actor=request.user, line=line, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _back(proposal)


def _transition_view(request, pk, *, need, action, done):
    proposal, _rights = access.get_proposal_for_user(request.user, pk, need=need)
    try:
        action(actor=request.user, proposal=proposal)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return _back(proposal)


@require_POST
def proposal_submit(request, pk):
    return _transition_view(
        request,
        pk,
        need="edit",
        action=services.proposal_submit,
        done=_("Đã trình Khối trưởng duyệt."),
    )


@require_POST
def proposal_approve(request, pk):
    return _transition_view(
        request,
        pk,
        need="approve",
        action=services.proposal_approve,
        done=_("Đã duyệt đề nghị."),
    )


@require_POST
def proposal_send(request, pk):
    return _transition_view(
        request,
        pk,
        need="issue",
        action=services.proposal_send,
        done=_("Đã ghi nhận gửi hồ sơ lên tỉnh, thành phố."),
    )


@require_POST
def proposal_return(request, pk):
    proposal, rights = access.get_proposal_for_user(request.user, pk, need="approve")
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_return(
                actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã trả lại đề nghị cho thư ký."))
            return _back(proposal)
    return _rerender(request, proposal, rights, return_form=form)


def proposal_issue(request, pk):
    proposal, _rights = access.get_proposal_for_user(request.user, pk, need="issue")
    form = ProposalIssueForm(
        request.POST or None,
        initial={"issued_on": timezone.localdate(), "signer_prefix": "TM.", "symbol": "TTr"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_issue(actor=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã ban hành và chốt hồ sơ."))
            return _back(proposal)
    return render(request, "awards/proposal_issue.html", {"proposal": proposal, "form": form})


def proposal_decide(request, pk):
    proposal, _rights = access.get_proposal_for_user(request.user, pk, need="decide")
    lines = list(proposal.lines.select_related("unit", "award_type"))
    form = ProposalDecisionForm(
        request.POST or None,
        lines=lines,
        initial={"awarded": [str(line.pk) for line in lines]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_decide(
                actor=request.user,
                proposal=proposal,
                decision_number=form.cleaned_data["decision_number"],
                decision_date=form.cleaned_data["decision_date"],
                decision_body=form.cleaned_data["decision_body"],
                awarded={int(pk) for pk in form.cleaned_data["awarded"]},
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi quyết định; sổ khen thưởng đã được cập nhật."))
            return _back(proposal)
    return render(request, "awards/proposal_decide.html", {"proposal": proposal, "form": form})


def proposal_document(request, pk, document):
    proposal, _rights = access.get_proposal_for_user(request.user, pk)
    frozen = get_object_or_404(proposal.documents, pk=document)
    return file_response(
        frozen.file,
        filename=frozen.filename,
        content_type=frozen.content_type,
        inline=frozen.content_type == "application/pdf",
    )


def proposal_preview(request, pk, kind):
    """A draft of a dossier document, marked as a draft, before the proposal is issued."""
    from awards import dossier

    proposal, _rights = access.get_proposal_for_user(request.user, pk)
    builders = {
        "to-trinh": dossier.to_trinh,
        "danh-sach": dossier.danh_sach,
        "bien-ban": dossier.bien_ban_hop,
    }
    if kind not in builders:
        raise Http404
    item = builders[kind](proposal)
    content = documents.render_pdf(
        item.template, {**item.context, "doc_footer_text": "DỰ THẢO — chưa ban hành"}
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="du-thao-{item.filename}"'
    return response


def proposal_zip(request, pk):
    from awards import dossier

    proposal, _rights = access.get_proposal_for_user(request.user, pk)
    if not proposal.documents.exists():
        raise Http404
    response = HttpResponse(dossier.dossier_zip(proposal), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="ho-so-khen-thuong-{proposal.bloc_id}-{proposal.year}.zip"'
    )
    return response
