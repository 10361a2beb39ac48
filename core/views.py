import hashlib

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token


def home(request):
    return redirect("blocs:bloc_list")


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
