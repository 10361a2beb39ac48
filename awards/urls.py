from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("awards/", views.catalogue, name="catalogue"),
    path("awards/registry/", views.registry_list, name="registry_list"),
    path("awards/registry/new/", views.record_create, name="record_create"),
    path("awards/registry/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("awards/registry/import/", views.registry_import, name="registry_import"),
    path(
        "awards/registry/import/template.xlsx",
        views.registry_import_template,
        name="registry_import_template",
    ),
    path(
        "awards/registry/import/<int:pk>/",
        views.registry_import_preview,
        name="registry_import_preview",
    ),
    path("units/<int:pk>/awards/", views.unit_awards, name="unit_awards"),
    path("blocs/<int:pk>/<int:year>/awards/", views.bloc_year, name="bloc_year"),
    path("blocs/<int:pk>/<int:year>/awards/quotas/", views.quotas_edit, name="quotas_edit"),
    path("blocs/<int:pk>/<int:year>/ballots/new/", views.ballot_create, name="ballot_create"),
    path("ballots/<int:pk>/", views.ballot_detail, name="ballot_detail"),
    path("ballots/<int:pk>/items/add/", views.ballot_item_add, name="ballot_item_add"),
    path("ballots/items/<int:pk>/remove/", views.ballot_item_remove, name="ballot_item_remove"),
    path("ballots/items/<int:pk>/candidates/", views.ballot_candidates, name="ballot_candidates"),
    path("ballots/<int:pk>/open/", views.ballot_open, name="ballot_open"),
    path("ballots/<int:pk>/absent/", views.ballot_absent, name="ballot_absent"),
    path("ballots/<int:pk>/close/", views.ballot_close, name="ballot_close"),
    path("ballots/<int:pk>/vote/", views.ballot_vote, name="ballot_vote"),
    path("blocs/<int:pk>/<int:year>/proposal/", views.proposal_page, name="proposal_page"),
    path("blocs/<int:pk>/<int:year>/proposal/build/", views.proposal_build, name="proposal_build"),
    path("proposals/<int:pk>/summary/", views.proposal_summary, name="proposal_summary"),
    path("proposals/<int:pk>/lines/add/", views.proposal_line_add, name="proposal_line_add"),
    path(
        "proposals/lines/<int:pk>/remove/", views.proposal_line_remove, name="proposal_line_remove"
    ),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/approve/", views.proposal_approve, name="proposal_approve"),
    path("proposals/<int:pk>/return/", views.proposal_return, name="proposal_return"),
    path("proposals/<int:pk>/issue/", views.proposal_issue, name="proposal_issue"),
    path("proposals/<int:pk>/send/", views.proposal_send, name="proposal_send"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path(
        "proposals/<int:pk>/documents/<int:document>/",
        views.proposal_document,
        name="proposal_document",
    ),
    path(
        "proposals/<int:pk>/preview/<str:kind>.pdf", views.proposal_preview, name="proposal_preview"
    ),
    path("proposals/<int:pk>/dossier.zip", views.proposal_zip, name="proposal_zip"),
]
