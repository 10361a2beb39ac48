"""The home page: what the person has to do, their units and the blocs they run."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from blocs.models import Bloc, Membership
from core import todo
from tests.blocs.test_views import _queries
from tests.conftest import THIS_YEAR, make_unit


def test_an_officer_lands_on_their_unit_and_its_bloc_of_the_latest_year(world, login):
    body = login(world.users["officer_a"]).get(reverse("home")).content.decode()
    assert "Viện kiểm sát nhân dân tỉnh" in body
    assert reverse("blocs:bloc_detail", args=[world.bloc_x.pk, THIS_YEAR]) in body
    assert reverse("blocs:bloc_detail", args=[world.bloc_x.pk, THIS_YEAR - 1]) not in body
    assert "Hiện không có việc nào đang chờ bạn." in body


def test_the_secretariat_lands_on_the_blocs_it_runs(world, login):
    body = login(world.users["secretariat_x"]).get(reverse("home")).content.decode()
    assert "Khối, cụm tôi theo dõi" in body and "Khối thi đua Nội chính" in body
    assert "Khối thi đua Kinh tế" not in body


def test_todo_items_from_every_app_are_listed_nearest_deadline_first(world, login):
    def source(*, user, roles, today):
        return [
            todo.TodoItem(title="Ký giao ước", url="/a", due=today + dt.timedelta(days=9)),
            todo.TodoItem(
                title="Nộp báo cáo", url="/b", due=today + dt.timedelta(days=2), urgent=True
            ),
            todo.TodoItem(title="Xem hướng dẫn", url="/c"),
        ]

    with mock.patch.object(todo, "_SOURCES", [source]), mock.patch.object(todo, "_loaded", True):
        body = login(world.users["officer_a"]).get(reverse("home")).content.decode()
    assert body.index("Nộp báo cáo") < body.index("Ký giao ước") < body.index("Xem hướng dẫn")
    assert 'class="urgent"' in body


@pytest.mark.parametrize("persona", ["officer_a", "secretariat_x", "reviewer", "chair_this_year"])
def test_the_home_page_has_a_fixed_query_count(world, login, persona):
    client = login(world.users[persona])
    small = _queries(client, reverse("home"))
    for n in range(8):
        bloc = Bloc.objects.create(authority=world.authority, code=f"H{n}", name=f"Khối {n}")
        Membership.objects.create(bloc=bloc, unit=world.unit_a, year=THIS_YEAR)
        Membership.objects.create(bloc=bloc, unit=world.unit_c, year=THIS_YEAR - 3)
        Membership.objects.create(
            bloc=bloc, unit=make_unit(world.authority, f"Sở {n}"), year=THIS_YEAR
        )
    assert _queries(client, reverse("home")) == small
    assert small <= 10
