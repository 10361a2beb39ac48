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
