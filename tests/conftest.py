"""Shared fixtures: a small world of two blocs and the personas of the permission matrix.

Authority P holds bloc X (units A, C, D) and bloc Y (units B, E) in 2025 and 2026.
Bloc X: chair 2025 = D, chair 2026 = C. Bloc Y: chair 2026 = B.
"""

import os

import pytest
from django.core.cache import cache

from blocs.models import Authority, Bloc, ChairTerm, Membership, Role, Unit, UnitName
from core.models import User

THIS_YEAR = 2026
LAST_YEAR = 2025
IN_CI = os.environ.get("CI", "").lower() == "true"


def need(condition: bool, reason: str):
    """Skip locally when a service is missing; under CI=true the same gap is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _cached_sessions(settings):
    # What the web processes run with (their cache is Redis); one process shares locmem as well.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploads and frozen documents of a test go to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def make_unit(authority, name, short=""):
    unit = Unit.objects.create(authority=authority, full_name=name, short_name=short)
    UnitName.objects.create(unit=unit, full_name=unit.full_name, short_name=unit.short_name)
    return unit


def make_user(username, **kwargs):
    return User.objects.create_user(
        username=username, password="mat-khau-thu-nghiem-2026", **kwargs
    )


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    w.authority = Authority.objects.create(
        code="p",
        name="Tỉnh Phú Thịnh",
        people_committee_name="Ủy ban nhân dân tỉnh Phú Thịnh",
        council_name="Hội đồng Thi đua - Khen thưởng tỉnh Phú Thịnh",
        tdkt_office_name="Phòng Thi đua - Khen thưởng, Sở Nội vụ",
    )
    w.other_authority = Authority.objects.create(
        code="q",
        name="Tỉnh Quảng An",
        people_committee_name="Ủy ban nhân dân tỉnh Quảng An",
        council_name="Hội đồng Thi đua - Khen thưởng tỉnh Quảng An",
        tdkt_office_name="Ban Thi đua - Khen thưởng tỉnh",
    )
    w.bloc_x = Bloc.objects.create(authority=w.authority, code="X", name="Khối thi đua Nội chính")
    w.bloc_y = Bloc.objects.create(
        authority=w.authority, code="Y", name="Khối thi đua Kinh tế", kind="cum"
    )
    w.unit_a = make_unit(w.authority, "Viện kiểm sát nhân dân tỉnh", "VKSND")
    w.unit_b = make_unit(w.authority, "Sở Tài chính")
    w.unit_c = make_unit(w.authority, "Công an tỉnh")
    w.unit_d = make_unit(w.authority, "Tòa án nhân dân tỉnh")
    w.unit_e = make_unit(w.authority, "Sở Kế hoạch và Đầu tư")
    for year in (LAST_YEAR, THIS_YEAR):
        for position, unit in enumerate((w.unit_a, w.unit_c, w.unit_d), start=1):
            Membership.objects.create(bloc=w.bloc_x, unit=unit, year=year, position=position)
        for position, unit in enumerate((w.unit_b, w.unit_e), start=1):
            Membership.objects.create(bloc=w.bloc_y, unit=unit, year=year, position=position)
    ChairTerm.objects.create(bloc=w.bloc_x, year=LAST_YEAR, chair=w.unit_d, vice_chair=w.unit_c)
    ChairTerm.objects.create(bloc=w.bloc_x, year=THIS_YEAR, chair=w.unit_c, vice_chair=w.unit_a)
    ChairTerm.objects.create(bloc=w.bloc_y, year=THIS_YEAR, chair=w.unit_b, vice_chair=w.unit_e)

    w.users = {"anonymous": None}
    w.users["officer_a"] = make_user("officer-a", full_name="Cán bộ A")
    Role.objects.create(user=w.users["officer_a"], kind=Role.Kind.OFFICER, unit=w.unit_a)
    w.users["officer_b"] = make_user("officer-b", full_name="Cán bộ B")
    Role.objects.create(user=w.users["officer_b"], kind=Role.Kind.OFFICER, unit=w.unit_b)
    w.users["secretariat_x"] = make_user("thu-ky-x", full_name="Thư ký khối X")
    Role.objects.create(user=w.users["secretariat_x"], kind=Role.Kind.SECRETARIAT, bloc=w.bloc_x)
    w.users["secretariat_y"] = make_user("thu-ky-y", full_name="Thư ký khối Y")
    Role.objects.create(user=w.users["secretariat_y"], kind=Role.Kind.SECRETARIAT, bloc=w.bloc_y)
    w.users["secretariat_authority"] = make_user("thu-ky-tinh", full_name="Chuyên viên Phòng TĐKT")
    Role.objects.create(
        user=w.users["secretariat_authority"], kind=Role.Kind.SECRETARIAT, authority=w.authority
    )
    w.users["chair_this_year"] = make_user("chu-tri-c", full_name="Giám đốc Công an tỉnh")
    Role.objects.create(user=w.users["chair_this_year"], kind=Role.Kind.CHAIR_REP, unit=w.unit_c)
    w.users["chair_last_year"] = make_user("chu-tri-d", full_name="Chánh án TAND tỉnh")
    Role.objects.create(user=w.users["chair_last_year"], kind=Role.Kind.CHAIR_REP, unit=w.unit_d)
    w.users["reviewer"] = make_user("tham-dinh", full_name="Chuyên viên thẩm định")
    Role.objects.create(user=w.users["reviewer"], kind=Role.Kind.REVIEWER, authority=w.authority)
    w.users["secretariat_x_last_year"] = make_user(
        "thu-ky-x-nam-truoc", full_name="Thư ký khối X năm trước"
    )
    Role.objects.create(
        user=w.users["secretariat_x_last_year"],
        kind=Role.Kind.SECRETARIAT,
        bloc=w.bloc_x,
        year=LAST_YEAR,
    )
    w.users["admin"] = User.objects.create_superuser(
        "quan-tri", password="mat-khau-thu-nghiem-2026"
    )
    return w


@pytest.fixture
def law(db):
    """The award types, legal bases and rules that awards' data migration seeds. A transactional
    test (``django_db(transaction=True)``) empties every table when it ends, data migrations
    included, so a transactional test that needs them after another one puts them back."""
    import importlib

    from django.apps import apps

    importlib.import_module("awards.migrations.0002_law").forwards(apps, None)


@pytest.fixture
def login(client):
    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
            # The first request of a session records its activity time; measure the steady state.
            client.get("/healthz")
        return client

    return _login


def pytest_configure(config):
    from django.conf import settings

    # Real hashing costs ~1 s per user; the suite creates hundreds. Login throttling is tested
    # with its own settings in tests/core/test_security.py.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
