"""Every URL × every persona has an expected status, written by hand (never derived from access.py).

A URL pattern without an entry here fails test_every_url_pattern_has_a_row, so a new page cannot
ship without deciding who may open it.

The rows of the foundation (core and blocs) are below; each later app keeps its rows beside its
tests in ``tests/<app>/matrix.py``, which defines ``MATRIX`` (same shape as here), optionally
``WRITE_ATTEMPTS`` (same shape as here) and optionally ``setup(world)``, which adds the objects its
rows need to the shared world (a pledge, a report, a proposal…).
"""

import datetime as dt
import importlib
import importlib.util

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from blocs.models import ImportBatch, VetoCondition
from core.models import Job
from tests.conftest import LAST_YEAR, THIS_YEAR

PERSONAS = [
    "anonymous",
    "officer_a",
    "officer_b",
    "secretariat_x",
    "secretariat_y",
    "secretariat_authority",
    "chair_this_year",
    "chair_last_year",
    "reviewer",
    "admin",
    "secretariat_x_last_year",  # bloc X's secretariat for last year only
]
L = "login"  # redirected to the login page

# name: (method, kwargs builder, data builder, expected statuses in PERSONAS order)
MATRIX = {
    "home": ("get", None, None, [L] + [200] * 10),
    "healthz": ("get", None, None, [200] * 11),
    # Checking a printed document's code is open to whoever holds the paper.
    "document_verify": ("get", None, None, [200] * 11),
    "login": ("get", None, None, [200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302]),
    "logout": ("post", None, None, [302] * 11),
    "set_language": ("post", None, lambda w: {"language": "vi"}, [302] * 11),
    # A job is watched by whoever sees its bloc; retried by the bloc-year's secretariat.
    "job_status": (
        "get",
        lambda w: {"pk": w.job.pk},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "job_retry": (
        "post",
        lambda w: {"pk": w.job.pk},
        None,
        [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403],
    ),
    "blocs:bloc_list": ("get", None, None, [L] + [200] * 10),
    "blocs:bloc_create": ("get", None, None, [L, 403, 403, 403, 403, 200, 403, 403, 403, 200, 403]),
    "blocs:bloc_latest": (
        "get",
        lambda w: {"pk": w.bloc_x.pk},
        None,
        [L, 302, 404, 302, 404, 302, 302, 302, 302, 302, 302],
    ),
    "blocs:bloc_edit": (
        "get",
        lambda w: {"pk": w.bloc_x.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    "blocs:bloc_history": (
        "get",
        lambda w: {"pk": w.bloc_x.pk},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "blocs:bloc_detail": (
        "get",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "blocs:member_add": (
        "get",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    "blocs:member_remove": (
        "post",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        lambda w: {"unit": w.unit_e.pk},  # not a member: a harmless no-op for those allowed
        [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403],
    ),
    "blocs:members_copy": (
        "post",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        None,
        [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403],
    ),
    "blocs:members_export": (
        "get",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "blocs:members_pdf": (
        "get",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    # Next year's election is led by this year's chair, not last year's.
    "blocs:chair_elect": (
        "get",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR + 1},
        None,
        [L, 403, 404, 200, 404, 200, 200, 403, 403, 200, 403],
    ),
    # This year's flag is handed over by last year's chair.
    "blocs:handover": (
        "get",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        None,
        [L, 403, 404, 200, 404, 200, 403, 200, 403, 200, 403],
    ),
    "blocs:conference_add": (
        "get",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    "blocs:bloc_facts": (
        "get",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    # A unit's figures: its own officer and the year's secretariat.
    "blocs:unit_facts_edit": (
        "get",
        lambda w: {"pk": w.unit_a.pk, "year": THIS_YEAR},
        None,
        [L, 200, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    # Veto conditions: recorded by the secretariat; hidden from the other member units.
    "blocs:veto_add": (
        "get",
        lambda w: {"pk": w.unit_a.pk, "year": THIS_YEAR},
        None,
        [L, 403, 404, 200, 404, 200, 404, 404, 403, 200, 403],
    ),
    "blocs:veto_lift": (
        "get",
        lambda w: {"pk": w.veto.pk},
        None,
        [L, 403, 404, 200, 404, 200, 404, 404, 403, 200, 403],
    ),
    "blocs:unit_list": ("get", None, None, [L] + [200] * 10),
    "blocs:unit_detail": (
        "get",
        lambda w: {"pk": w.unit_a.pk},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "blocs:unit_edit": (
        "get",
        lambda w: {"pk": w.unit_a.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 200],
    ),
    "blocs:unit_rename": (
        "get",
        lambda w: {"pk": w.unit_a.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 200],
    ),
    "blocs:unit_merge": (
        "get",
        lambda w: {"pk": w.unit_a.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 200],
    ),
    "blocs:unit_history": (
        "get",
        lambda w: {"pk": w.unit_a.pk},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "blocs:import_upload": (
        "get",
        None,
        None,
        [L, 403, 403, 200, 200, 200, 403, 403, 403, 200, 200],
    ),
    "blocs:import_template": (
        "get",
        None,
        None,
        [L, 403, 403, 200, 200, 200, 403, 403, 403, 200, 200],
    ),
    # A preview belongs to whoever uploaded it (here the secretariat of bloc X).
    "blocs:import_preview": (
        "get",
        lambda w: {"pk": w.import_batch.pk},
        None,
        [L, 403, 403, 200, 404, 404, 403, 403, 403, 404, 404],
    ),
}


APPS_WITH_ROWS = ("pledges", "scoring", "awards", "reports")
_APP_MODULES = [
    importlib.import_module(f"tests.{app}.matrix")
    for app in APPS_WITH_ROWS
    if importlib.util.find_spec(f"tests.{app}") and importlib.util.find_spec(f"tests.{app}.matrix")
]
for _module in _APP_MODULES:
    _overlap = set(_module.MATRIX) & set(MATRIX)
    assert not _overlap, f"{_module.__name__} repeats rows: {_overlap}"
    MATRIX.update(_module.MATRIX)


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's own admin: covered by test_admin_is_for_staff_only
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_has_a_row():
    names = set(_url_names(get_resolver().url_patterns))
    assert names - set(MATRIX) == set(), "add these URLs to the permission matrix"
    assert set(MATRIX) - names == set(), "these matrix rows name no URL"


@pytest.fixture
def matrix_world(world):
    world.import_batch = ImportBatch.objects.create(
        created_by=world.users["secretariat_x"],
        filename="danh-sach.xlsx",
        sha256="0" * 64,
        plan={
            "authority_id": world.authority.pk,
            "actions": [],
            "errors": [],
            "rows": [],
            "summary": {
                "units_created": 0,
                "units_changed": 0,
                "memberships_added": 0,
                "unchanged": 0,
                "errors": 0,
            },
        },
    )
    world.veto = VetoCondition.objects.create(
        unit=world.unit_a,
        year=THIS_YEAR,
        kind=VetoCondition.Kind.COMPLAINT,
        description="Đơn thư đang được xác minh",
        source="Công văn số 3/TTr ngày 05/01/2026",
        recorded_on=dt.date(THIS_YEAR, 1, 5),
    )
    world.job = Job.objects.create(
        kind="test.steps",
        key="matrix",
        title="Báo cáo tổng kết năm",
        created_by=world.users["secretariat_x"],
        bloc=world.bloc_x,
        year=THIS_YEAR,
    )
    for module in _APP_MODULES:
        if hasattr(module, "setup"):
            module.setup(world)
    return world


CASES = [
    pytest.param(name, persona, index, id=f"{name}-{persona}")
    for name in MATRIX
    for index, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize(("name", "persona", "index"), CASES)
def test_permission_matrix(matrix_world, client, name, persona, index):
    method, kwargs, data, expected = MATRIX[name]
    w = matrix_world
    url = reverse(name, kwargs=kwargs(w) if kwargs else None)
    user = w.users[persona]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data(w) if data else {})
    want = expected[index]
    if want == L:
        assert response.status_code == 302, response
        assert response["Location"].startswith(reverse("login")), response["Location"]
    else:
        assert response.status_code == want, (
            f"{persona} on {url}: {response.status_code}, expected {want}"
        )


def test_matrix_rows_are_complete():
    for name, (_method, _kwargs, _data, expected) in MATRIX.items():
        assert len(expected) == len(PERSONAS), name


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("anonymous", "admin")])
def test_admin_is_for_staff_only(world, client, persona):
    client.force_login(world.users[persona])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_opens_for_the_administrator(world, client):
    client.force_login(world.users["admin"])
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:blocs_bloc_changelist")).status_code == 200


def test_last_year_is_not_this_year(world):
    # The chair personas depend on the fixture's two years being distinct and adjacent.
    assert THIS_YEAR - LAST_YEAR == 1


# Read-only people who send the form anyway: refused, and nothing changes.
WRITE_ATTEMPTS = [
    (
        "blocs:bloc_edit",
        lambda w: {"pk": w.bloc_x.pk},
        lambda w: {
            "version": 1,
            "kind": "khoi",
            "code": "X",
            "name": "Đổi tên trái phép",
            "rotation_rule": "vice_chair",
        },
    ),
    (
        "blocs:member_add",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        lambda w: {"new_full_name": "Đơn vị lạ"},
    ),
    (
        "blocs:chair_elect",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR + 1},
        lambda w: {"chair": w.unit_a.pk},
    ),
    (
        "blocs:conference_add",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        lambda w: {"kind": "other", "held_on": f"{THIS_YEAR}-05-05"},
    ),
    (
        "blocs:unit_edit",
        lambda w: {"pk": w.unit_a.pk},
        lambda w: {"version": 1, "address": "Địa chỉ trái phép"},
    ),
    (
        "blocs:unit_facts_edit",
        lambda w: {"pk": w.unit_a.pk, "year": THIS_YEAR},
        lambda w: {"headcount": 40, "women": 30},
        ("reviewer", "chair_last_year", "chair_this_year", "secretariat_x_last_year"),
    ),
    (
        "blocs:veto_add",
        lambda w: {"pk": w.unit_a.pk, "year": THIS_YEAR},
        lambda w: {
            "kind": "discipline",
            "description": "Ghi trái phép",
            "source": "Không có",
            "recorded_on": f"{THIS_YEAR}-02-02",
        },
        ("officer_a", "reviewer", "secretariat_x_last_year"),
    ),
    (
        "blocs:veto_lift",
        lambda w: {"pk": w.veto.pk},
        lambda w: {"lifted_on": f"{THIS_YEAR}-03-03", "reason": "Trái phép"},
        ("officer_a", "reviewer", "secretariat_x_last_year"),
    ),
    (
        "blocs:unit_rename",
        lambda w: {"pk": w.unit_a.pk},
        lambda w: {
            "version": 1,
            "full_name": "Tên trái phép",
            "effective_on": f"{THIS_YEAR}-01-01",
        },
    ),
]

for _module in _APP_MODULES:
    WRITE_ATTEMPTS.extend(getattr(_module, "WRITE_ATTEMPTS", []))


READ_ONLY_PERSONAS = ("officer_a", "reviewer", "chair_last_year", "secretariat_x_last_year")
PROJECT_APPS = ("core", "blocs", "pledges", "scoring", "awards", "reports")

# An attempt is (url name, kwargs builder, data builder) and optionally the personas for whom the
# page is read-only (default READ_ONLY_PERSONAS).
WRITE_CASES = [
    pytest.param(persona, *attempt[:3], id=f"{attempt[0]}-{persona}")
    for attempt in WRITE_ATTEMPTS
    for persona in (attempt[3] if len(attempt) > 3 else READ_ONLY_PERSONAS)
    # A bloc's secretariat keeps the particulars of its own units (see the matrix).
    if len(attempt) > 3
    or not (persona == "secretariat_x_last_year" and attempt[0].startswith("blocs:unit_"))
]


def _row_counts():
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for config in apps.get_app_configs()
        if config.label in PROJECT_APPS
        for model in config.get_models()
    }


@pytest.mark.parametrize(("persona", "name", "kwargs", "data"), WRITE_CASES)
def test_read_only_people_cannot_write_by_posting(
    matrix_world, client, persona, name, kwargs, data
):
    w = matrix_world
    before = _row_counts()
    client.force_login(w.users[persona])
    response = client.post(reverse(name, kwargs=kwargs(w)), data(w))
    assert response.status_code == 403
    assert _row_counts() == before
