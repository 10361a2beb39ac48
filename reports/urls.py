from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("blocs/<int:pk>/<int:year>/dashboard/", views.dashboard, name="dashboard"),
    path("blocs/<int:pk>/<int:year>/report/", views.report_list, name="report_list"),
    path("blocs/<int:pk>/<int:year>/report/compile/", views.report_compile, name="report_compile"),
    path("blocs/<int:pk>/<int:year>/report/text/", views.report_text, name="report_text"),
    path("reports/<int:pk>/<str:fmt>/", views.report_download, name="report_download"),
    path(
        "authorities/<int:pk>/<int:year>/reports/", views.province_reports, name="province_reports"
    ),
    path(
        "authorities/<int:pk>/<int:year>/reports/compile/",
        views.province_compile,
        name="province_compile",
    ),
]
