"""Facts of a unit-year and veto conditions: what the award rules will read."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from blocs import rules, selectors, services
from blocs.models import UnitYearFacts, VetoCondition
from tests.conftest import THIS_YEAR


@pytest.mark.parametrize(
    ("headcount", "counts", "expected"),
    [
        (40, {"women": 30, "advanced_workers": 40}, {}),
        (40, {"women": 41}, {"women": rules.FactsProblem.COUNT_ABOVE_HEADCOUNT}),
        (None, {"women": 3}, {"women": rules.FactsProblem.COUNT_WITHOUT_HEADCOUNT}),
        (None, {"women": None}, {}),
        (0, {"emulation_fighters": 0}, {}),
    ],
)
def test_facts_problems(headcount, counts, expected):
    assert rules.facts_problems(headcount=headcount, **counts) == expected


D = dt.date


@pytest.mark.parametrize(
    ("recorded_on", "lifted_on", "on", "in_force"),
    [
        (D(2022, 3, 2), None, D(2022, 12, 16), True),
        (D(2022, 3, 2), D(2022, 9, 1), D(2022, 12, 16), False),  # lifted before the review
        (D(2022, 3, 2), D(2022, 12, 17), D(2022, 12, 16), True),  # lifted the day after
        (D(2022, 12, 16), D(2022, 12, 16), D(2022, 12, 16), False),  # lifted on the day
        (D(2022, 12, 20), None, D(2022, 12, 16), False),  # recorded after the review
    ],
)
def test_a_veto_is_in_force_from_recording_until_lifting(recorded_on, lifted_on, on, in_force):
    assert rules.veto_in_force(recorded_on=recorded_on, lifted_on=lifted_on, on=on) is in_force


def test_facts_are_recorded_with_history_and_guarded_by_version(world):
    actor = world.users["secretariat_x"]
    facts = services.unit_year_facts_set(
        actor=actor, unit=world.unit_a, year=THIS_YEAR, version=None, headcount=40, women=29
    )
    assert facts.version == 1
    again = services.unit_year_facts_set(
        actor=actor, unit=world.unit_a, year=THIS_YEAR, version=1, headcount=41, women=29
    )
    assert again.version == 2 and again.headcount == 41
    assert [h.headcount for h in again.history.order_by("history_date")] == [40, 41]
    assert again.history.latest().history_user == actor
    with pytest.raises(services.ConflictError):
        services.unit_year_facts_set(
            actor=actor, unit=world.unit_a, year=THIS_YEAR, version=1, headcount=50
        )
    with pytest.raises(services.ConflictError):
        services.unit_year_facts_set(
            actor=actor, unit=world.unit_a, year=THIS_YEAR, version=None, headcount=50
        )


def test_a_count_above_the_headcount_is_refused_on_its_field(world):
    with pytest.raises(ValidationError) as error:
        services.unit_year_facts_set(
            actor=world.users["secretariat_x"],
            unit=world.unit_a,
            year=THIS_YEAR,
            version=None,
            headcount=10,
            advanced_workers=11,
        )
    assert error.value.message_dict == {"advanced_workers": ["Lớn hơn tổng số người (10)."]}
    assert not UnitYearFacts.objects.exists()


def test_vetoes_in_force_are_read_for_a_day_and_lifted_ones_drop_out(
    world, django_assert_num_queries
):
    actor = world.users["secretariat_x"]
    condition = services.veto_condition_record(
        actor=actor,
        unit=world.unit_a,
        year=THIS_YEAR,
        kind=VetoCondition.Kind.INVESTIGATION,
        description="Đang bị thanh tra việc quản lý tài chính",
        source="Quyết định số 15/QĐ-TTr ngày 02/3/2026",
        recorded_on=D(THIS_YEAR, 3, 2),
    )
    review = D(THIS_YEAR, 12, 16)
    with django_assert_num_queries(1):
        found = selectors.vetoes_in_force(
            unit_ids=[world.unit_a.pk, world.unit_c.pk], year=THIS_YEAR, on=review
        )
    assert list(found) == [world.unit_a.pk]
    assert found[world.unit_a.pk][0].source.startswith("Quyết định số 15")

    services.veto_condition_lift(
        actor=actor, condition=condition, lifted_on=D(THIS_YEAR, 9, 1), reason="Kết luận thanh tra"
    )
    assert selectors.vetoes_in_force(unit_ids=[world.unit_a.pk], year=THIS_YEAR, on=review) == {}
    # Still in force for a question asked before it was lifted.
    assert selectors.vetoes_in_force(
        unit_ids=[world.unit_a.pk], year=THIS_YEAR, on=D(THIS_YEAR, 6, 1)
    )
    with pytest.raises(ValidationError):
        services.veto_condition_lift(
            actor=actor, condition=condition, lifted_on=D(THIS_YEAR, 10, 1), reason="Lần nữa"
        )


def test_a_veto_needs_its_source(world):
    with pytest.raises(ValidationError) as error:
        services.veto_condition_record(
            actor=world.users["secretariat_x"],
            unit=world.unit_a,
            year=THIS_YEAR,
            kind=VetoCondition.Kind.DISCIPLINE,
            description="Kỷ luật khiển trách tập thể",
            source="  ",
            recorded_on=D(THIS_YEAR, 1, 5),
        )
    assert "source" in error.value.message_dict
