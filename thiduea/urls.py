from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("core.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("blocs.urls")),
    path("", include("pledges.urls")),
    path("", include("scoring.urls")),
    path("", include("awards.urls")),
    path("", include("reports.urls")),
    path("verify/", core_views.document_verify, name="document_verify"),
    path("jobs/<int:pk>/", core_views.job_status, name="job_status"),
    path("jobs/<int:pk>/retry/", core_views.job_retry, name="job_retry"),
    path("admin/", admin.site.urls),
]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
