import hashlib

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST


def home(request):
    """Where everyone lands: what they have to do, and the way to their units and blocs."""
    from django.utils import timezone

    from blocs.access import roles_of
    from blocs.selectors import person_overview
    from core.todo import todo_for

    today = timezone.localdate()
    roles = roles_of(request.user)
    return render(
        request,
        "core/home.html",
        {
            "today": today,
            "overview": person_overview(user=request.user),
            "todo": todo_for(user=request.user, roles=roles, today=today),
            "roles": roles,
        },
    )


@login_not_required
@never_cache
def healthz(request):
    """For the container healthcheck: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


@requires_csrf_token
def error_403(request, exception=None):
    return render(request, "403.html", status=403)


@requires_csrf_token
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def error_500(request):
    # No context processors touching the database: the database may be why we are here.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


@login_not_required
def document_verify(request):
    """Anyone holding a printed or sent document can check it is the one the system froze.

    Shows only what is printed on the document anyway (title, issuer, date) and its SHA-256; an
    uploaded file is compared byte for byte. The document itself is never served here.
    """
    from core.forms import DocumentVerifyForm
    from core.models import FrozenDocument

    data = (
        request.POST
        if request.method == "POST"
        else (request.GET if "code" in request.GET else None)
    )
    form = DocumentVerifyForm(data, request.FILES or None)
    document = matches = None
    checked = False
    if data is not None and form.is_valid():
        checked = True
        document = FrozenDocument.objects.filter(
            verification_code=form.cleaned_data["code"]
        ).first()
        upload = form.cleaned_data.get("file")
        if document and upload:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            matches = digest.hexdigest() == document.sha256
    return render(
        request,
        "core/document_verify.html",
        {"form": form, "document": document, "checked": checked, "matches": matches},
    )


def job_status(request, pk):
    """A job's progress: the page, or (htmx polling) the bar alone until the job has ended."""
    from core.access import get_job_for_user

    job, can_retry = get_job_for_user(request.user, pk)
    template = "core/job_status.html#progress" if request.htmx else "core/job_status.html"
    response = render(request, template, {"job": job, "can_retry": can_retry})
    if request.htmx and job.state == job.State.DONE:
        # The page around the bar may show what the job made (e.g. the list of report versions).
        response["HX-Trigger"] = "jobFinished"
    return response


@require_POST
def job_retry(request, pk):
    from core import jobs
    from core.access import get_job_for_user

    job, _can = get_job_for_user(request.user, pk, write=True)
    job = jobs.job_retry(job=job, actor=request.user)
    if request.htmx:
        return render(request, "core/job_status.html#progress", {"job": job, "can_retry": True})
    return redirect("job_status", pk=job.pk)
