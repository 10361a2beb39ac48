"""Pages of a unit's yearly figures and veto conditions."""

import datetime as dt

import pytest
from django.urls import reverse

from blocs import services
from blocs.models import Membership, UnitYearFacts, VetoCondition
from tests.blocs.test_views import _queries
from tests.conftest import THIS_YEAR, make_unit


def _facts(world, unit, year=THIS_YEAR, **values):
    return services.unit_year_facts_set(
        actor=world.users["admin"], unit=unit, year=year, version=None, **values
    )


def test_an_officer_records_the_figures_of_their_own_unit(world, login):
    client = login(world.users["officer_a"])
    url = reverse("blocs:unit_facts_edit", args=[world.unit_a.pk, THIS_YEAR])
    response = client.post(
        url, {"headcount": "42", "women": "30", "advanced_workers": "40", "source": "Báo cáo số 5"}
    )
    assert response.status_code == 302
    facts = UnitYearFacts.objects.get(unit=world.unit_a, year=THIS_YEAR)
    assert (facts.headcount, facts.women, facts.advanced_workers) == (42, 30, 40)
    assert facts.history.latest().history_user == world.users["officer_a"]
    page = client.get(reverse("blocs:unit_detail", args=[world.unit_a.pk])).content.decode()
    assert "Báo cáo số 5" in page


def test_an_officer_cannot_record_figures_of_another_unit_of_the_bloc(world, login):
    client = login(world.users["officer_a"])
    response = client.post(
        reverse("blocs:unit_facts_edit", args=[world.unit_c.pk, THIS_YEAR]), {"headcount": "9"}
    )
    assert response.status_code == 403
    assert not UnitYearFacts.objects.exists()


def test_a_count_above_the_headcount_is_shown_next_to_its_field_and_the_rest_is_kept(world, login):
    client = login(world.users["secretariat_x"])
    response = client.post(
        reverse("blocs:unit_facts_edit", args=[world.unit_a.pk, THIS_YEAR]),
        {"headcount": "20", "women": "25", "source": "Báo cáo tổng kết"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_women_error"' in body and "Lớn hơn tổng số người (20)." in body
    assert 'value="Báo cáo tổng kết"' in body and 'value="20"' in body
    assert not UnitYearFacts.objects.exists()


def test_a_stale_figures_form_reports_a_conflict_instead_of_overwriting(world, login):
    _facts(world, world.unit_a, headcount=40, women=20)
    client = login(world.users["secretariat_x"])
    url = reverse("blocs:unit_facts_edit", args=[world.unit_a.pk, THIS_YEAR])
    services.unit_year_facts_set(
        actor=world.users["officer_a"],
        unit=world.unit_a,
        year=THIS_YEAR,
        version=1,
        headcount=41,
        women=20,
    )
    response = client.post(url, {"version": "1", "headcount": "45", "women": "20"})
    body = response.content.decode()
    assert response.status_code == 200 and "Người khác vừa sửa số liệu này" in body
    assert UnitYearFacts.objects.get(unit=world.unit_a).headcount == 41


def test_the_secretariat_records_and_lifts_a_veto_condition(world, login):
    client = login(world.users["secretariat_x"])
    response = client.post(
        reverse("blocs:veto_add", args=[world.unit_a.pk, THIS_YEAR]),
        {
            "kind": "investigation",
            "description": "Đang bị thanh tra việc mua sắm",
            "source": "Quyết định số 15/QĐ-TTr ngày 02/3/2026",
            "recorded_on": f"{THIS_YEAR}-03-02",
        },
    )
    assert response.status_code == 302
    condition = VetoCondition.objects.get()
    page = client.get(reverse("blocs:unit_detail", args=[world.unit_a.pk])).content.decode()
    assert "Quyết định số 15/QĐ-TTr" in page and "đang áp dụng" in page
    response = client.post(
        reverse("blocs:veto_lift", args=[condition.pk]),
        {"lifted_on": f"{THIS_YEAR}-01-01", "reason": "Kết luận thanh tra"},
    )
    assert "Ngày chấm dứt phải sau ngày ghi nhận." in response.content.decode()
    response = client.post(
        reverse("blocs:veto_lift", args=[condition.pk]),
        {"lifted_on": f"{THIS_YEAR}-09-01", "reason": "Kết luận thanh tra"},
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.lifted_on == dt.date(THIS_YEAR, 9, 1)


def test_other_member_units_never_see_a_units_veto_conditions(world, login):
    VetoCondition.objects.create(
        unit=world.unit_a,
        year=THIS_YEAR,
        kind="complaint",
        description="Đơn thư tố cáo đang xác minh",
        source="Công văn số 9",
        recorded_on=dt.date(THIS_YEAR, 2, 1),
    )
    # The chair's representative of unit C sees unit A (same bloc), not its complaint.
    client = login(world.users["chair_this_year"])
    unit_page = client.get(reverse("blocs:unit_detail", args=[world.unit_a.pk])).content.decode()
    facts_page = client.get(
        reverse("blocs:bloc_facts", args=[world.bloc_x.pk, THIS_YEAR])
    ).content.decode()
    for body in (unit_page, facts_page):
        assert "Đơn thư tố cáo" not in body and "Có đơn thư khiếu nại" not in body
    # The unit's own officer and the secretariat do see it.
    own = login(world.users["officer_a"]).get(reverse("blocs:unit_detail", args=[world.unit_a.pk]))
    assert "Đơn thư tố cáo" in own.content.decode()
    secretariat = login(world.users["secretariat_x"]).get(
        reverse("blocs:bloc_facts", args=[world.bloc_x.pk, THIS_YEAR])
    )
    assert "Có đơn thư khiếu nại" in secretariat.content.decode()


def test_the_bloc_facts_table_shows_shares_and_has_a_fixed_query_count(world, login):
    _facts(world, world.unit_a, headcount=40, women=30, advanced_workers=36)
    client = login(world.users["secretariat_x"])
    url = reverse("blocs:bloc_facts", args=[world.bloc_x.pk, THIS_YEAR])
    body = client.get(url).content.decode()
    assert "75,0&nbsp;%" in body  # 30 of 40 women
    small = _queries(client, url)
    for n in range(12):
        unit = make_unit(world.authority, f"Đơn vị thêm số {n}")
        Membership.objects.create(bloc=world.bloc_x, unit=unit, year=THIS_YEAR)
        _facts(world, unit, headcount=10 + n, women=n)
        VetoCondition.objects.create(
            unit=unit,
            year=THIS_YEAR,
            kind="other",
            description="x",
            source="y",
            recorded_on=dt.date(THIS_YEAR, 1, 1),
        )
    assert _queries(client, url) == small
    assert small <= 10


@pytest.mark.parametrize("persona", ["officer_a", "secretariat_x", "reviewer"])
def test_the_unit_page_with_figures_keeps_a_fixed_query_count(world, login, persona):
    client = login(world.users[persona])
    url = reverse("blocs:unit_detail", args=[world.unit_a.pk])
    small = _queries(client, url)
    for year in range(THIS_YEAR - 6, THIS_YEAR - 1):
        Membership.objects.create(bloc=world.bloc_x, unit=world.unit_a, year=year)
        _facts(world, world.unit_a, year=year, headcount=30, women=10)
        VetoCondition.objects.create(
            unit=world.unit_a,
            year=year,
            kind="other",
            description="x",
            source="y",
            recorded_on=dt.date(year, 1, 1),
        )
    assert _queries(client, url) == small
    assert small <= 10
