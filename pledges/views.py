"""Pages of the plan, regulation, movements and pledge: parse → access → service/selector → render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from core.pages import add_errors as _add_errors
from core.pages import valid_year as _valid_year
from core.uploads import file_response
from pledges import access, documents, selectors, services
from pledges.forms import (
    AchievementsForm,
    CommitmentFormSet,
    MovementForm,
    PledgeForm,
    ReasonForm,
    SignatureForm,
    TargetFormSet,
    YearDocumentForm,
    YearDocumentIssueForm,
)
from pledges.models import Movement, Pledge, Signature, YearDocument
from pledges.targets import format_number

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _conflict(form, error, posted, current: dict) -> dict:
    """What the person typed beside what is saved now, for the fields that differ, by label."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in posted or name not in current:
            continue
        mine, theirs = posted.get(name, ""), current.get(name)
        theirs = "" if theirs is None else theirs
        if str(mine).strip() != str(theirs).strip():
            choices = dict(getattr(field, "choices", []) or [])
            rows.append(
                {
                    "label": field.label,
                    "mine": choices.get(mine, mine),
                    "theirs": choices.get(str(theirs), theirs),
                }
            )
    return {"message": error.messages[0], "rows": rows}


class BlocYear:
    """The bloc-year a page is about, its members that year, and the person's rights there."""

    def __init__(self, request, bloc, year):
        self.bloc = bloc
        self.year = year
        self.members = selectors.members_of_year(bloc=bloc, year=year)
        self.member_ids = [m.pk for m in self.members]
        self.chair_id = selectors.chair_id(self.members)
        self.rights = access.bloc_year_access(
            request.user, bloc, year, self.member_ids, self.chair_id
        )

    def member(self, unit_id: int):
        access.require_member(unit_id, self.member_ids)
        return next(m for m in self.members if m.pk == unit_id)

    @property
    def units(self):
        """The member units as a queryset-like list for choice fields (in the year's order)."""
        from blocs.models import Unit

        return Unit.objects.filter(pk__in=self.member_ids)

    def context(self, **extra) -> dict:
        return {
            "bloc": self.bloc,
            "year": self.year,
            "members": self.members,
            "rights": self.rights,
            "can_write": self.rights.can_write,
            **extra,
        }


def _bloc_year(request, pk, year) -> BlocYear:
    return BlocYear(request, selectors.bloc_or_404(pk), _valid_year(year))


def _of(request, obj) -> BlocYear:
    return BlocYear(request, obj.bloc, obj.year)


# Plan, regulation, movements --------------------------------------------------------------------


def plan_page(request, pk, year):
    here = _bloc_year(request, pk, year)
    page = selectors.plan_page(bloc=here.bloc, year=here.year, members=here.members)
    documents_shown = [
        (kind, label, page.current(kind), page.draft(kind), page.older(kind))
        for kind, label in YearDocument.Kind.choices
    ]
    return render(request, "pledges/plan.html", here.context(page=page, documents=documents_shown))


@require_POST
def plan_copy(request, pk, year):
    here = _bloc_year(request, pk, year)
    access.require(here.rights.can_write)
    created = services.year_documents_copy_previous(
        actor=request.user, bloc=here.bloc, year=here.year
    )
    if created:
        messages.success(
            request,
            _("Đã tạo {n} dự thảo từ văn bản năm {y}.").format(n=len(created), y=here.year - 1),
        )
    else:
        messages.info(
            request, _("Không có văn bản nào của năm {y} để lấy lại.").format(y=here.year - 1)
        )
    return redirect("pledges:plan_page", pk=here.bloc.pk, year=here.year)


def _document_or_404(pk) -> YearDocument:
    try:
        return YearDocument.objects.select_related("bloc__authority").get(pk=pk)
    except (YearDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def year_document_create(request, pk, year, kind):
    if kind not in YearDocument.Kind.values:
        raise Http404
    here = _bloc_year(request, pk, year)
    access.require(here.rights.can_write)
    form = YearDocumentForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.year_document_create(
                actor=request.user,
                bloc=here.bloc,
                year=here.year,
                kind=kind,
                title=data["title"],
                theme=data.get("theme", ""),
                summary=data["summary"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("pledges:plan_page", pk=here.bloc.pk, year=here.year)
    return render(
        request,
        "pledges/year_document_form.html",
        here.context(form=form, kind_label=YearDocument.Kind(kind).label, document=None),
    )


def year_document_edit(request, pk):
    document = _document_or_404(pk)
    here = _of(request, document)
    access.require(here.rights.can_write)
    if not document.is_draft:
        messages.error(request, _("Văn bản đã ban hành thì không sửa được; hãy lập bản sửa đổi."))
        return redirect("pledges:plan_page", pk=here.bloc.pk, year=here.year)
    fields = ("version", "title", "theme", "summary")
    form = YearDocumentForm(
        request.POST or None,
        kind=document.kind,
        initial={f: getattr(document, f) for f in fields},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.year_document_update(
                actor=request.user,
                document=document,
                version=data["version"],
                title=data["title"],
                theme=data.get("theme", ""),
                summary=data["summary"],
            )
        except services.ConflictError as error:
            document.refresh_from_db()
            saved = {f: getattr(document, f) for f in fields}
            form = YearDocumentForm(kind=document.kind, initial=saved)
            form.conflict = _conflict(form, error, request.POST, saved)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("pledges:plan_page", pk=here.bloc.pk, year=here.year)
    return render(
        request,
        "pledges/year_document_form.html",
        here.context(form=form, kind_label=document.get_kind_display(), document=document),
    )


def year_document_issue(request, pk):
    document = _document_or_404(pk)
    here = _of(request, document)
    access.require(here.rights.may_issue)
    if not document.is_draft:
        messages.info(request, _("Văn bản này đã được ban hành."))
        return redirect("pledges:plan_page", pk=here.bloc.pk, year=here.year)
    chair = next((m for m in here.members if m.office == "chair"), None)
    initial = {
        "version": document.version,
        "issued_on": timezone.localdate(),
        "signer_prefix": "TM.",
        "signer_on_behalf_of": here.bloc.name,
        "signer_title": here.bloc.chair_word,
        "signer_name": getattr(request.user, "full_name", ""),
    }
    form = YearDocumentIssueForm(request.POST or None, request.FILES or None, initial=initial)
    if chair is None:
        form.add_error(
            None,
            _("Chưa ghi {w} năm {y}: đơn vị {w} ban hành văn bản.").format(
                w=here.bloc.chair_word, y=here.year
            ),
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.year_document_issue(
                actor=request.user,
                document=document,
                issuer_unit=chair.unit,
                **data,
            )
        except services.ConflictError as error:
            form.add_error(None, error.messages)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã ban hành {k} số {r}.").format(
                    k=document.get_kind_display(), r=data["reference"]
                ),
            )
            return redirect("pledges:plan_page", pk=here.bloc.pk, year=here.year)
    return render(
        request,
        "pledges/year_document_issue.html",
        here.context(form=form, document=document, chair=chair),
    )


def year_document_amend(request, pk):
    document = _document_or_404(pk)
    here = _of(request, document)
    access.require(here.rights.can_write)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = _("Lý do sửa đổi")
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.year_document_amend(
                actor=request.user, document=document, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lập bản sửa đổi; văn bản cũ vẫn được giữ."))
            return redirect("pledges:year_document_edit", pk=draft.pk)
    return render(
        request,
        "pledges/reason_form.html",
        here.context(
            form=form,
            action="amend_document",
            document=document,
            back=reverse("pledges:plan_page", args=[here.bloc.pk, here.year]),
        ),
    )


def year_document_scan(request, pk):
    document = _document_or_404(pk)
    _of(request, document)
    if not document.scan:
        raise Http404
    return file_response(
        document.scan, filename=document.scan_name, content_type=document.scan_type
    )


def _movement_initial(movement: Movement) -> dict:
    return {
        "version": movement.version,
        "name": movement.name,
        "kind": movement.kind,
        "launched_by": movement.launched_by,
        "launched_by_unit": movement.launched_by_unit_id,
        "starts_on": movement.starts_on,
        "ends_on": movement.ends_on,
        "description": movement.description,
    }


def movement_add(request, pk, year):
    here = _bloc_year(request, pk, year)
    access.require(here.rights.can_write)
    form = MovementForm(request.POST or None, units=here.units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            services.movement_add(actor=request.user, bloc=here.bloc, year=here.year, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã ghi phong trào."))
            return redirect(
                reverse("pledges:plan_page", args=[here.bloc.pk, here.year]) + "#movements"
            )
    return render(request, "pledges/movement_form.html", here.context(form=form, movement=None))


def movement_edit(request, pk):
    try:
        movement = Movement.objects.select_related("bloc__authority").get(pk=pk)
    except (Movement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    here = _of(request, movement)
    access.require(here.rights.can_write)
    form = MovementForm(request.POST or None, units=here.units, initial=_movement_initial(movement))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.movement_update(
                actor=request.user, movement=movement, version=version or 0, **data
            )
        except services.ConflictError as error:
            movement.refresh_from_db()
            saved = _movement_initial(movement)
            form = MovementForm(units=here.units, initial=saved)
            form.conflict = _conflict(form, error, request.POST, saved)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu phong trào."))
            return redirect(
                reverse("pledges:plan_page", args=[here.bloc.pk, here.year]) + "#movements"
            )
    return render(request, "pledges/movement_form.html", here.context(form=form, movement=movement))


# The pledge ---------------------------------------------------------------------------------------


def _pledge_context(request, here: BlocYear, versions, pledge, **extra) -> dict:
    page = selectors.pledge_page(
        bloc=here.bloc, year=here.year, members=here.members, versions=versions, pledge=pledge
    )
    own = [row for row in page.status_rows if here.rights.may_sign_for(row.member.pk)]
    return here.context(
        page=page,
        pledge=pledge,
        own_rows=own,
        today=timezone.localdate(),
        **extra,
    )


@vary_on_headers("HX-Request")
def pledge_year(request, pk, year):
    here = _bloc_year(request, pk, year)
    versions = selectors.pledges_of_year(bloc=here.bloc, year=here.year)
    pledge = selectors.current_pledge(versions)
    has_previous = (
        pledge is None
        and here.rights.can_write
        and Pledge.objects.filter(bloc=here.bloc, year=here.year - 1)
        .exclude(state=Pledge.State.SUPERSEDED)
        .exists()
    )
    context = _pledge_context(request, here, versions, pledge, has_previous=has_previous)
    template = "pledges/pledge.html#status" if request.htmx and pledge else "pledges/pledge.html"
    return render(request, template, context)


@vary_on_headers("HX-Request")
def pledge_detail(request, pk):
    pledge = selectors.pledge_or_404(pk)
    here = _of(request, pledge)
    versions = selectors.pledges_of_year(bloc=here.bloc, year=here.year)
    pledge = next(p for p in versions if p.pk == pledge.pk)
    context = _pledge_context(request, here, versions, pledge)
    template = "pledges/pledge.html#status" if request.htmx else "pledges/pledge.html"
    return render(request, template, context)


@require_POST
def pledge_create(request, pk, year):
    here = _bloc_year(request, pk, year)
    access.require(here.rights.can_write)
    try:
        pledge = services.pledge_create(
            actor=request.user,
            bloc=here.bloc,
            year=here.year,
            copy_previous=bool(request.POST.get("copy_previous")),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("pledges:pledge_year", pk=here.bloc.pk, year=here.year)
    messages.success(request, _("Đã tạo dự thảo bản giao ước."))
    return redirect("pledges:pledge_edit", pk=pledge.pk)


def pledge_versions(request, pk, year):
    here = _bloc_year(request, pk, year)
    versions = selectors.pledges_of_year(bloc=here.bloc, year=here.year)
    return render(
        request,
        "pledges/versions.html",
        here.context(versions=versions, transitions=selectors.transitions_of(versions)),
    )


def _pledge_initial(pledge: Pledge) -> dict:
    return {
        "version": pledge.version,
        "title": pledge.title,
        "preamble": pledge.preamble,
        "closing": pledge.closing,
        "conference": pledge.conference_id,
        "signing_on": pledge.signing_on,
        "signing_place": pledge.signing_place,
        "presiding_unit": pledge.presiding_unit_id,
        "contents_source": pledge.contents_source,
    }


def _pledge_forms(here, pledge, data=None):
    form = PledgeForm(
        data,
        initial=_pledge_initial(pledge),
        units=here.units,
        conferences=selectors.start_conferences(bloc=here.bloc, year=here.year),
    )
    commitments = CommitmentFormSet(
        data, prefix="commitment", initial=[{"text": text} for text in pledge.commitments]
    )
    target_list = list(pledge.targets.order_by("position", "pk"))
    target_forms = TargetFormSet(
        data,
        prefix="target",
        units=here.members,
        initial=[
            {
                "id": t.pk,
                "text": t.text,
                "unit": t.unit_id,
                "kind": t.kind,
                "comparison": t.comparison,
                "value": format_number(t.value) if t.value is not None else "",
                "measure": t.measure,
            }
            for t in target_list
        ],
    )
    return form, commitments, target_forms


def pledge_edit(request, pk):
    pledge = selectors.pledge_or_404(pk)
    here = _of(request, pledge)
    access.require(here.rights.can_write)
    if not pledge.is_draft:
        messages.error(
            request,
            _("Bản giao ước đã mở ký hoặc đã có hiệu lực: nội dung không sửa được nữa."),
        )
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    form, commitments, target_forms = _pledge_forms(here, pledge, request.POST or None)
    if request.method == "POST" and all(
        [form.is_valid(), commitments.is_valid(), target_forms.is_valid()]
    ):
        data = form.cleaned_data
        try:
            services.pledge_update(
                actor=request.user,
                pledge=pledge,
                version=data["version"],
                title=data["title"],
                preamble=data["preamble"],
                closing=data["closing"],
                contents_source=data["contents_source"],
                conference=data["conference"],
                signing_on=data["signing_on"],
                signing_place=data["signing_place"],
                presiding_unit=data["presiding_unit"],
                commitments=[f.cleaned_data.get("text", "") for f in commitments.forms],
                targets=target_forms.target_inputs(),
            )
        except services.ConflictError as error:
            # What the person typed stays in the form, beside a table of what someone else saved;
            # the version moves on, so saving again after reading it is a deliberate choice.
            pledge.refresh_from_db()
            posted = request.POST.copy()
            posted["version"] = pledge.version
            conflict = _conflict(form, error, request.POST, _pledge_initial(pledge))
            form, commitments, target_forms = _pledge_forms(here, pledge, posted)
            form.conflict = conflict
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu dự thảo bản giao ước."))
            return redirect("pledges:pledge_detail", pk=pledge.pk)
    return render(
        request,
        "pledges/pledge_edit.html",
        here.context(pledge=pledge, form=form, commitments=commitments, target_forms=target_forms),
    )


@require_POST
def pledge_open(request, pk):
    pledge = selectors.pledge_or_404(pk)
    here = _of(request, pledge)
    access.require(here.rights.can_write)
    try:
        services.pledge_open(actor=request.user, pledge=pledge)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã mở ký: các đơn vị thành viên có thể ghi nhận chữ ký."))
    return redirect("pledges:pledge_detail", pk=pledge.pk)


def _reason_page(request, pledge, here, *, action, service, success, next_url):
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = service(actor=request.user, pledge=pledge, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(next_url(result))
    return render(
        request,
        "pledges/reason_form.html",
        here.context(
            form=form,
            action=action,
            pledge=pledge,
            back=reverse("pledges:pledge_detail", args=[pledge.pk]),
        ),
    )


def pledge_reopen(request, pk):
    pledge = selectors.pledge_or_404(pk)
    here = _of(request, pledge)
    access.require(here.rights.can_write)
    return _reason_page(
        request,
        pledge,
        here,
        action="reopen",
        service=services.pledge_reopen,
        success=_("Đã trả về dự thảo; các chữ ký đã ghi được đánh dấu hủy và vẫn được giữ."),
        next_url=lambda p: reverse("pledges:pledge_edit", args=[p.pk]),
    )


def pledge_correct(request, pk):
    pledge = selectors.pledge_or_404(pk)
    here = _of(request, pledge)
    access.require(here.rights.can_write)
    return _reason_page(
        request,
        pledge,
        here,
        action="correct",
        service=services.pledge_correct,
        success=_(
            "Đã lập bản sửa đổi. Bản đang có hiệu lực vẫn giữ nguyên cho đến khi bản sửa đổi được ký đủ."
        ),
        next_url=lambda p: reverse("pledges:pledge_edit", args=[p.pk]),
    )


def _signature_page(request, pk, unit_id, *, paper: bool):
    pledge = selectors.pledge_or_404(pk)
    here = _of(request, pledge)
    member = here.member(unit_id)
    access.require_unit_visible(here.rights, unit_id)
    access.require(here.rights.can_write if paper else here.rights.may_sign_for(unit_id))
    existing = selectors.signature_of(pledge=pledge, unit_id=unit_id)
    today = timezone.localdate()
    form = None
    if existing is None and pledge.is_open:
        form = SignatureForm(
            request.POST or None,
            request.FILES or None,
            paper=paper,
            initial={"signed_on": today, "signer_title": member.unit.head_title},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.signature_record(
                    actor=request.user,
                    pledge=pledge,
                    unit=member.unit,
                    method=Signature.Method.PAPER if paper else Signature.Method.RECORDED,
                    today=today,
                    **data,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                pledge.refresh_from_db()
                if pledge.is_in_force:
                    messages.success(
                        request,
                        _(
                            "Đã ghi nhận chữ ký của {u}. Tất cả đơn vị đã ký: bản giao ước có hiệu lực từ ngày {d}."
                        ).format(u=member.name, d=pledge.in_force_on.strftime("%d/%m/%Y")),
                    )
                else:
                    messages.success(
                        request, _("Đã ghi nhận chữ ký của {u}.").format(u=member.name)
                    )
                return redirect("pledges:pledge_detail", pk=pledge.pk)
    elif request.method == "POST":
        messages.error(
            request,
            _("{u} đã ký bản giao ước này.").format(u=member.name)
            if existing
            else _("Bản giao ước không ở giai đoạn ký kết; không ghi nhận chữ ký được."),
        )
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    return render(
        request,
        "pledges/sign_form.html",
        here.context(pledge=pledge, member=member, form=form, existing=existing, paper=paper),
    )


def pledge_sign(request, pk, unit):
    """The unit's officer records that the unit's head signed (and may attach the scan)."""
    return _signature_page(request, pk, unit, paper=False)


def pledge_paper(request, pk, unit):
    """The secretariat records a signature made on paper, with the scan."""
    return _signature_page(request, pk, unit, paper=True)


@require_POST
def pledge_remind(request, pk):
    pledge = selectors.pledge_or_404(pk)
    here = _of(request, pledge)
    access.require(here.rights.can_write)
    today = timezone.localdate()
    notice = None
    try:
        reminder, created = services.reminder_request(
            actor=request.user,
            pledge=pledge,
            today=today,
            page_url=request.build_absolute_uri(
                reverse("pledges:pledge_year", args=[here.bloc.pk, here.year])
            ),
        )
    except ValidationError as error:
        notice = ("error", error.messages[0])
    else:
        if created:
            notice = ("success", _("Đã gửi yêu cầu nhắc ký tới cán bộ của các đơn vị chưa ký."))
        else:
            notice = (
                "info",
                _("Hôm nay đã nhắc lúc {t}; mỗi ngày chỉ nhắc một lần.").format(
                    t=timezone.localtime(reminder.requested_at).strftime("%H:%M")
                ),
            )
    if request.htmx:
        versions = selectors.pledges_of_year(bloc=here.bloc, year=here.year)
        pledge = next(p for p in versions if p.pk == pledge.pk)
        return render(
            request,
            "pledges/pledge.html#status",
            _pledge_context(request, here, versions, pledge, notice=notice),
        )
    getattr(messages, notice[0])(request, notice[1])
    return redirect("pledges:pledge_detail", pk=pledge.pk)


def pledge_results_edit(request, pk, unit):
    """What one unit achieved against each target binding it (its officer, or the secretariat)."""
    pledge = selectors.pledge_or_404(pk)
    here = _of(request, pledge)
    member = here.member(unit)
    access.require_unit_visible(here.rights, unit)
    access.require(here.rights.may_enter_results_for(unit))
    if not pledge.is_in_force:
        messages.error(request, _("Chỉ ghi kết quả cho bản giao ước đang có hiệu lực."))
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    rows = selectors.targets_for_unit(pledge=pledge, unit_id=unit)
    form = AchievementsForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.achievements_save(
                actor=request.user, pledge=pledge, unit=member.unit, rows=form.inputs()
            )
        except services.ConflictError as error:
            typed = request.POST
            rows = selectors.targets_for_unit(pledge=pledge, unit_id=unit)
            form = AchievementsForm(rows=rows)
            form.conflict = {
                "message": error.messages[0],
                "rows": [
                    {
                        "label": target.text,
                        "mine": typed.get(f"t{target.pk}_value") or typed.get(f"t{target.pk}_met"),
                        "theirs": form.initial.get(f"t{target.pk}_value")
                        or form.initial.get(f"t{target.pk}_met"),
                    }
                    for target, _a in rows
                ],
            }
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu kết quả của {u}.").format(u=member.name))
            return redirect(reverse("pledges:pledge_detail", args=[pledge.pk]) + "#results")
    return render(
        request,
        "pledges/results_form.html",
        here.context(pledge=pledge, member=member, form=form),
    )


def _readable_pledge(request, pk) -> tuple[Pledge, BlocYear]:
    pledge = selectors.pledge_or_404(pk)
    return pledge, _of(request, pledge)


def pledge_pdf(request, pk):
    """The frozen PDF once in force (the very bytes stored with their SHA-256); a draft otherwise."""
    pledge, here = _readable_pledge(request, pk)
    filename = documents.pledge_filename(pledge, "pdf")
    if pledge.document_id:
        return file_response(
            pledge.document.file, filename=filename, content_type="application/pdf"
        )
    response = HttpResponse(
        documents.pledge_pdf(pledge, members=here.members), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="du-thao-{filename}"'
    response["Content-Language"] = "vi"
    return response


def pledge_docx(request, pk):
    pledge, here = _readable_pledge(request, pk)
    response = HttpResponse(documents.pledge_docx(pledge, members=here.members), content_type=DOCX)
    filename = documents.pledge_filename(pledge, "docx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Language"] = "vi"
    return response


def signature_scan(request, pk):
    try:
        signature = Signature.objects.select_related("pledge__bloc__authority").get(pk=pk)
    except (Signature.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    _of(request, signature.pledge)
    if not signature.scan:
        raise Http404
    return file_response(
        signature.scan, filename=signature.scan_name, content_type=signature.scan_type
    )
