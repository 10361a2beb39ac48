"""Awards pages: what people see and do, and a fixed number of queries whatever the size."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards import services
from awards.models import AwardRecord, AwardType, Ballot, BallotBoxEntry, VoterRollEntry
from blocs.models import Bloc, Membership
from tests.blocs.test_views import _queries
from tests.conftest import THIS_YEAR, make_unit

FLAG = "co_thi_dua_tinh"


def flag():
    return AwardType.objects.get(code=FLAG)


def open_ballot(world, units=None, *, mode="online"):
    actor = world.users["secretariat_x"]
    ballot = services.ballot_create(
        actor=actor,
        bloc=world.bloc_x,
        year=THIS_YEAR,
        title="Bình xét khen thưởng năm 2026",
        mode=mode,
        base="all",
        threshold="50",
        threshold_strict=True,
        closes_at=None,
        held_on=dt.date(THIS_YEAR, 12, 16),
    )
    item = services.ballot_item_add(actor=actor, ballot=ballot, award_type=flag(), max_choices=1)
    services.ballot_candidates_set(
        actor=actor, item=item, units=units or [world.unit_a, world.unit_c]
    )
    return services.ballot_open(actor=actor, ballot=ballot), item


def test_an_officer_votes_once_and_afterwards_sees_nothing_of_the_choice(world, login):
    ballot, item = open_ballot(world)
    candidate = item.candidates.get(unit=world.unit_c)
    client = login(world.users["officer_a"])
    url = reverse("awards:ballot_vote", args=[ballot.pk])
    page = client.get(url).content.decode()
    assert "Phiếu bầu của Viện kiểm sát nhân dân tỉnh" in page and "Công an tỉnh" in page
    response = client.post(url, {"unit": world.unit_a.pk, f"item_{item.pk}": [candidate.pk]})
    assert response.status_code == 302
    after = client.get(url).content.decode()
    assert "Đơn vị đã bỏ phiếu." in after and 'type="checkbox"' not in after
    assert VoterRollEntry.objects.count() == 1 and BallotBoxEntry.objects.count() == 1
    again = client.post(url, {"unit": world.unit_a.pk, f"item_{item.pk}": [candidate.pk]})
    assert VoterRollEntry.objects.count() == 1 and BallotBoxEntry.objects.count() == 1
    assert again.status_code == 200
    # The ballot page shows who has voted, never for whom.
    detail = login(world.users["secretariat_x"]).get(
        reverse("awards:ballot_detail", args=[ballot.pk])
    )
    body = detail.content.decode()
    assert "1 đã bỏ phiếu" in body and "Phiếu đồng ý" not in body


def test_an_officer_cannot_vote_for_another_unit(world, login):
    ballot, _item = open_ballot(world)
    client = login(world.users["officer_a"])
    response = client.post(
        reverse("awards:ballot_vote", args=[ballot.pk]), {"unit": world.unit_c.pk}
    )
    assert response.status_code == 404
    assert not VoterRollEntry.objects.exists()


def test_agreeing_with_too_many_units_keeps_the_page_with_a_message(world, login):
    ballot, item = open_ballot(world)
    ids = list(item.candidates.values_list("pk", flat=True))
    client = login(world.users["officer_a"])
    response = client.post(
        reverse("awards:ballot_vote", args=[ballot.pk]),
        {"unit": world.unit_a.pk, f"item_{item.pk}": ids},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Phiếu không hợp lệ" in body
    assert body.count("checked") == 2  # what was ticked stays ticked
    assert not VoterRollEntry.objects.exists()


def test_the_secretariat_closes_the_ballot_and_sees_the_tally(world, login):
    ballot, item = open_ballot(world)
    a = item.candidates.get(unit=world.unit_a)
    for unit in (world.unit_a, world.unit_c):
        services.ballot_cast(
            actor=world.users["admin"], ballot=ballot, unit=unit, choices={str(item.pk): [a.pk]}
        )
    client = login(world.users["secretariat_x"])
    response = client.post(reverse("awards:ballot_close", args=[ballot.pk]))
    assert response.status_code == 302
    body = client.get(reverse("awards:ballot_detail", args=[ballot.pk])).content.decode()
    assert "Được đề nghị" in body and "66,67" in body


def test_a_paper_ballot_is_closed_with_the_committees_totals(world, login):
    ballot, item = open_ballot(world, mode="paper")
    a, c = item.candidates.get(unit=world.unit_a), item.candidates.get(unit=world.unit_c)
    client = login(world.users["secretariat_x"])
    url = reverse("awards:ballot_close", args=[ballot.pk])
    wrong = client.post(
        url,
        {
            "issued": 3,
            "returned": 3,
            "valid": 2,
            "invalid": 0,
            f"votes_{a.pk}": 2,
            f"votes_{c.pk}": 0,
        },
    )
    assert "phải bằng số phiếu thu về" in wrong.content.decode()
    assert Ballot.objects.get(pk=ballot.pk).state == "open"
    right = client.post(
        url,
        {
            "issued": 3,
            "returned": 3,
            "valid": 3,
            "invalid": 0,
            f"votes_{a.pk}": 3,
            f"votes_{c.pk}": 0,
        },
    )
    assert right.status_code == 302 and Ballot.objects.get(pk=ballot.pk).state == "closed"


def test_the_candidates_page_shows_each_members_eligibility_and_refuses_a_vetoed_unit(world, login):
    from blocs.models import VetoCondition

    VetoCondition.objects.create(
        unit=world.unit_d,
        year=THIS_YEAR,
        kind="discipline",
        description="Kỷ luật khiển trách",
        source="Quyết định số 3/QĐ-KL",
        recorded_on=dt.date(THIS_YEAR, 2, 1),
    )
    actor = world.users["secretariat_x"]
    ballot = services.ballot_create(
        actor=actor,
        bloc=world.bloc_x,
        year=THIS_YEAR,
        title="B",
        mode="online",
        base="all",
        threshold="50",
        threshold_strict=True,
        closes_at=None,
        held_on=dt.date(THIS_YEAR, 12, 16),
    )
    item = services.ballot_item_add(actor=actor, ballot=ballot, award_type=flag(), max_choices=1)
    client = login(actor)
    url = reverse("awards:ballot_candidates", args=[item.pk])
    page = client.get(url).content.decode()
    assert "Tòa án nhân dân tỉnh" in page and "Quyết định số 3/QĐ-KL" in page
    response = client.post(url, {"units": [world.unit_a.pk, world.unit_d.pk]})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tòa án nhân dân tỉnh chưa được xét khen thưởng" in body
    assert not item.candidates.exists()


def test_recording_an_award_by_hand_and_finding_it_unaccented(world, login):
    client = login(world.users["secretariat_authority"])
    response = client.post(
        reverse("awards:record_create"),
        {
            "unit": world.unit_a.pk,
            "year": 2024,
            "award_type": flag().pk,
            "decision_number": "Quyết định số 15/QĐ-UBND",
            "decision_date": "2025-01-10",
            "issuing_body": "Ủy ban nhân dân tỉnh Phú Thịnh",
        },
    )
    assert response.status_code == 302
    assert AwardRecord.objects.get().decision_number == "15/QĐ-UBND"
    body = client.get(reverse("awards:registry_list"), {"q": "vien kiem sat"}).content.decode()
    assert "Quyết định số 15/QĐ-UBND" in body
    export = client.get(reverse("awards:registry_list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [c for c in next(sheet.iter_rows(min_row=4, values_only=True))][
        2
    ] == "Viện kiểm sát nhân dân tỉnh"


def test_a_bad_record_form_keeps_what_was_typed(world, login):
    client = login(world.users["secretariat_authority"])
    response = client.post(
        reverse("awards:record_create"),
        {
            "unit": world.unit_a.pk,
            "year": 2024,
            "award_type": flag().pk,
            "decision_number": "15/QĐ-UBND",
            "decision_date": "2023-01-10",
            "issuing_body": "UBND tỉnh",
        },
    )
    body = response.content.decode()
    assert "không thể ban hành trước năm đó" in body and 'value="15/QĐ-UBND"' in body


def test_the_unit_panel_lists_its_awards(world, login):
    services.award_registry_record(
        actor=world.users["admin"],
        unit=world.unit_a,
        year=2023,
        award_type=flag(),
        decision_number="7/QĐ-UBND",
        decision_date=dt.date(2024, 1, 5),
        issuing_body="UBND tỉnh",
    )
    client = login(world.users["officer_a"])
    unit_page = client.get(reverse("blocs:unit_detail", args=[world.unit_a.pk])).content.decode()
    assert reverse("awards:unit_awards", args=[world.unit_a.pk]) in unit_page
    fragment = client.get(
        reverse("awards:unit_awards", args=[world.unit_a.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "Quyết định số 7/QĐ-UBND" in fragment and "<html" not in fragment


def _grow(world, n):
    """n more members of bloc X this year, each with an award, figures and a vote."""
    units = []
    for index in range(n):
        unit = make_unit(world.authority, f"Sở thêm số {index}")
        Membership.objects.create(bloc=world.bloc_x, unit=unit, year=THIS_YEAR)
        services.award_registry_record(
            actor=world.users["admin"],
            unit=unit,
            year=2024,
            award_type=flag(),
            decision_number=f"{index}/QĐ",
            decision_date=dt.date(2025, 1, 5),
            issuing_body="UBND",
        )
        units.append(unit)
    return units


@pytest.mark.parametrize(
    "page",
    [
        "bloc_year",
        "registry_list",
        "catalogue",
        "ballot_detail",
        "ballot_vote",
        "ballot_candidates",
    ],
)
def test_awards_pages_have_fixed_query_counts(world, login, page):
    ballot, _item = open_ballot(world)
    _grow(world, 1)
    draft = services.ballot_create(
        actor=world.users["admin"],
        bloc=world.bloc_x,
        year=THIS_YEAR,
        title="Nháp",
        mode="online",
        base="all",
        threshold="50",
        threshold_strict=True,
        closes_at=None,
        held_on=dt.date(THIS_YEAR, 12, 16),
    )
    draft_item = services.ballot_item_add(
        actor=world.users["admin"], ballot=draft, award_type=flag(), max_choices=2
    )
    urls = {
        "bloc_year": reverse("awards:bloc_year", args=[world.bloc_x.pk, THIS_YEAR]),
        "registry_list": reverse("awards:registry_list"),
        "catalogue": reverse("awards:catalogue"),
        "ballot_detail": reverse("awards:ballot_detail", args=[ballot.pk]),
        "ballot_vote": reverse("awards:ballot_vote", args=[ballot.pk]),
        "ballot_candidates": reverse("awards:ballot_candidates", args=[draft_item.pk]),
    }
    persona = "officer_a" if page == "ballot_vote" else "secretariat_x"
    client = login(world.users[persona])
    small = _queries(client, urls[page])
    _grow(world, 9)
    Bloc.objects.create(authority=world.authority, code="Z", name="Khối thêm")
    assert _queries(client, urls[page]) == small
    # The eligibility pages read facts, vetoes, the registry, the ranking, rules and award types.
    assert small <= (12 if page in ("bloc_year", "ballot_candidates") else 10)
