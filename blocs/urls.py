from django.urls import path

from blocs import views

app_name = "blocs"

urlpatterns = [
    path("blocs/", views.bloc_list, name="bloc_list"),
    path("blocs/new/", views.bloc_create, name="bloc_create"),
    path("blocs/<int:pk>/", views.bloc_latest, name="bloc_latest"),
    path("blocs/<int:pk>/edit/", views.bloc_edit, name="bloc_edit"),
    path("blocs/<int:pk>/history/", views.bloc_history, name="bloc_history"),
    path("blocs/<int:pk>/<int:year>/", views.bloc_detail, name="bloc_detail"),
    path("blocs/<int:pk>/<int:year>/members/add/", views.member_add, name="member_add"),
    path("blocs/<int:pk>/<int:year>/members/remove/", views.member_remove, name="member_remove"),
    path("blocs/<int:pk>/<int:year>/members/copy/", views.members_copy, name="members_copy"),
    path("blocs/<int:pk>/<int:year>/members.xlsx", views.members_export, name="members_export"),
    path("blocs/<int:pk>/<int:year>/members.pdf", views.members_pdf, name="members_pdf"),
    path("blocs/<int:pk>/<int:year>/chair/", views.chair_elect, name="chair_elect"),
    path("blocs/<int:pk>/<int:year>/handover/", views.handover, name="handover"),
    path("blocs/<int:pk>/<int:year>/conferences/add/", views.conference_add, name="conference_add"),
    path("blocs/<int:pk>/<int:year>/facts/", views.bloc_facts, name="bloc_facts"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/<int:year>/facts/", views.unit_facts_edit, name="unit_facts_edit"),
    path("units/<int:pk>/<int:year>/vetoes/add/", views.veto_add, name="veto_add"),
    path("vetoes/<int:pk>/lift/", views.veto_lift, name="veto_lift"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/rename/", views.unit_rename, name="unit_rename"),
    path("units/<int:pk>/merge/", views.unit_merge, name="unit_merge"),
    path("units/<int:pk>/history/", views.unit_history, name="unit_history"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
]
