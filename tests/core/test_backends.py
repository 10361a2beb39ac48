"""The sign-in backend reads the person and their roles together (core.backends)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from blocs.access import roles_of
from blocs.models import Role
from core.backends import UserWithRolesBackend, parse_role_rows


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("", []),
        ("admin::::", [("admin", None, None, None, None)]),
        ("secretariat:3:::", [("secretariat", 3, None, None, None)]),
        ("secretariat::7::2026", [("secretariat", None, 7, None, 2026)]),
        (
            "officer:::12:;chair_rep:::4:",
            [("officer", None, None, 12, None), ("chair_rep", None, None, 4, None)],
        ),
    ],
)
def test_role_rows_are_read_back_as_written(text, rows):
    assert list(parse_role_rows(text)) == rows


_ids = st.one_of(st.none(), st.integers(min_value=1, max_value=2**40))


@given(
    st.lists(st.tuples(st.sampled_from([k for k, _ in Role.Kind.choices]), _ids, _ids, _ids, _ids))
)
def test_any_role_rows_survive_the_round_trip(rows):
    text = ";".join(":".join("" if v is None else str(v) for v in row) for row in rows)
    assert list(parse_role_rows(text)) == rows


def test_the_backend_gives_the_same_roles_as_a_separate_read(world):
    for user in world.users.values():
        if user is None:
            continue
        loaded = UserWithRolesBackend().get_user(user.pk)
        fresh = type(user).objects.get(pk=user.pk)
        assert roles_of(loaded) == roles_of(fresh), user.username


def test_a_signed_in_page_reads_the_person_and_their_roles_in_one_query(world, login):
    client = login(world.users["secretariat_x"])
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not any('FROM "django_session"' in q for q in sql), "the session comes from the cache"
    assert sum('FROM "blocs_role"' in q for q in sql) == 0
    assert sum('FROM "core_user"' in q for q in sql) == 1


def test_a_role_granted_reaches_the_next_page(world, login):
    client = login(world.users["officer_b"])
    url = reverse("blocs:bloc_detail", args=[world.bloc_x.pk, 2026])
    assert client.get(url).status_code == 404
    Role.objects.create(
        user=world.users["officer_b"], kind=Role.Kind.REVIEWER, authority=world.authority
    )
    assert client.get(url).status_code == 200


def test_a_deactivated_person_is_signed_out_on_the_next_page(world, login):
    user = world.users["officer_a"]
    client = login(user)
    assert client.get(reverse("home")).status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("session_id", ["999999999", "abc", None, "", str(2**63), str(-(2**64))])
def test_a_session_naming_nobody_gives_no_person(db, session_id):
    assert UserWithRolesBackend().get_user(session_id) is None


def test_the_person_read_is_the_same_user_with_every_field(world):
    user = world.users["officer_a"]
    read = UserWithRolesBackend().get_user(str(user.pk))
    assert read == user
    assert (read.username, read.email, read.is_active, read.password) == (
        user.username,
        user.email,
        user.is_active,
        user.password,
    )
