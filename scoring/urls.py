from django.urls import path

from scoring import views

app_name = "scoring"

urlpatterns = [
    # The bloc-year: settings, criteria tables, periods, ranking.
    path("blocs/<int:pk>/<int:year>/scoring/", views.bloc_year, name="bloc_year"),
    path("blocs/<int:pk>/<int:year>/scoring/settings/", views.settings_edit, name="settings_edit"),
    path("blocs/<int:pk>/<int:year>/scoring/tables/new/", views.table_create, name="table_create"),
    path(
        "blocs/<int:pk>/<int:year>/scoring/tables/copy/",
        views.table_copy_previous,
        name="table_copy_previous",
    ),
    path(
        "blocs/<int:pk>/<int:year>/scoring/periods/new/", views.period_create, name="period_create"
    ),
    path(
        "blocs/<int:pk>/<int:year>/scoring/tables/copy-from/", views.table_copy, name="table_copy"
    ),
    path("blocs/<int:pk>/<int:year>/ranking/", views.ranking, name="ranking"),
    path(
        "blocs/<int:pk>/<int:year>/ranking/compute/", views.ranking_compute, name="ranking_compute"
    ),
    # Criteria tables.
    path("criteria-tables/<int:pk>/", views.table_detail, name="table_detail"),
    path("criteria-tables/<int:pk>/edit/", views.table_edit, name="table_edit"),
    path("criteria-tables/<int:pk>/criteria/add/", views.criterion_add, name="criterion_add"),
    path("criteria-tables/<int:pk>/freeze/", views.table_freeze, name="table_freeze"),
    path(
        "criteria-tables/<int:pk>/new-version/", views.table_new_version, name="table_new_version"
    ),
    path("criteria-tables/<int:pk>/import/", views.table_import, name="table_import"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/remove/", views.criterion_remove, name="criterion_remove"),
    # Periods.
    path("periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("periods/<int:pk>/dates/", views.period_dates, name="period_dates"),
    path("periods/<int:pk>/use-table/", views.period_use_table, name="period_use_table"),
    *(
        path(
            f"periods/<int:pk>/{action}/",
            views.period_move,
            {"action": action},
            name=f"period_{action}",
        )
        for action in ("open", "close", "publish", "reopen")
    ),
    path("periods/<int:pk>/units/<int:unit>/", views.report_for_unit, name="report_for_unit"),
    path("periods/<int:pk>/grid/", views.score_grid, name="score_grid"),
    # Unit reports.
    path("unit-reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("unit-reports/<int:pk>/text/", views.report_text, name="report_text"),
    path("unit-reports/<int:pk>/file/", views.report_file, name="report_file"),
    path("unit-reports/<int:pk>/cells/<int:criterion>/", views.cell_save, name="cell_save"),
    path(
        "unit-reports/<int:pk>/cells/<int:criterion>/verify/",
        views.verified_save,
        name="verified_save",
    ),
    path("unit-reports/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("unit-reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("unit-reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("unit-reports/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("unit-reports/<int:pk>/sheet.xlsx", views.report_sheet_download, name="report_sheet"),
    path("unit-reports/<int:pk>/sheet/", views.report_sheet_upload, name="report_sheet_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    # The unit page's panel.
    path("units/<int:pk>/scoring/", views.unit_reports, name="unit_reports"),
]
