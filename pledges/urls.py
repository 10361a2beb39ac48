from django.urls import path

from pledges import views

app_name = "pledges"

urlpatterns = [
    # The year's plan, regulation and movements.
    path("blocs/<int:pk>/<int:year>/plan/", views.plan_page, name="plan_page"),
    path("blocs/<int:pk>/<int:year>/plan/copy/", views.plan_copy, name="plan_copy"),
    path(
        "blocs/<int:pk>/<int:year>/plan/<str:kind>/new/",
        views.year_document_create,
        name="year_document_create",
    ),
    path("plan-documents/<int:pk>/edit/", views.year_document_edit, name="year_document_edit"),
    path("plan-documents/<int:pk>/issue/", views.year_document_issue, name="year_document_issue"),
    path("plan-documents/<int:pk>/amend/", views.year_document_amend, name="year_document_amend"),
    path("plan-documents/<int:pk>/scan/", views.year_document_scan, name="year_document_scan"),
    path("blocs/<int:pk>/<int:year>/movements/add/", views.movement_add, name="movement_add"),
    path("movements/<int:pk>/edit/", views.movement_edit, name="movement_edit"),
    # The pledge.
    path("blocs/<int:pk>/<int:year>/pledge/", views.pledge_year, name="pledge_year"),
    path("blocs/<int:pk>/<int:year>/pledge/new/", views.pledge_create, name="pledge_create"),
    path(
        "blocs/<int:pk>/<int:year>/pledge/versions/", views.pledge_versions, name="pledge_versions"
    ),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pk>/edit/", views.pledge_edit, name="pledge_edit"),
    path("pledges/<int:pk>/open/", views.pledge_open, name="pledge_open"),
    path("pledges/<int:pk>/reopen/", views.pledge_reopen, name="pledge_reopen"),
    path("pledges/<int:pk>/correct/", views.pledge_correct, name="pledge_correct"),
    path("pledges/<int:pk>/sign/<int:unit>/", views.pledge_sign, name="pledge_sign"),
    path("pledges/<int:pk>/paper/<int:unit>/", views.pledge_paper, name="pledge_paper"),
    path("pledges/<int:pk>/remind/", views.pledge_remind, name="pledge_remind"),
    path(
        "pledges/<int:pk>/results/<int:unit>/",
        views.pledge_results_edit,
        name="pledge_results_edit",
    ),
    path("pledges/<int:pk>/pledge.pdf", views.pledge_pdf, name="pledge_pdf"),
    path("pledges/<int:pk>/pledge.docx", views.pledge_docx, name="pledge_docx"),
    path("signatures/<int:pk>/scan/", views.signature_scan, name="signature_scan"),
]
