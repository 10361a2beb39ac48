"""A choice of objects already read (core.forms.ListedModelChoiceField)."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blocs.models import Unit
from core.forms import ListedModelChoiceField


class TwoUnitsForm(forms.Form):
    chair = ListedModelChoiceField(label="Khối trưởng")
    vice_chair = ListedModelChoiceField(label="Khối phó", required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].choose_from(units, Unit)
        self.fields["vice_chair"].choose_from(units, Unit)


@pytest.fixture
def units(world):
    return [world.unit_a, world.unit_b]


def test_two_fields_over_the_same_units_render_without_a_query(units):
    form = TwoUnitsForm(units=units)
    with CaptureQueriesContext(connection) as ctx:
        html = str(form["chair"]) + str(form["vice_chair"])
    assert len(ctx.captured_queries) == 0
    for unit in units:
        assert html.count(f'value="{unit.pk}"') == 2


def test_a_listed_unit_is_accepted_without_a_query(units):
    form = TwoUnitsForm({"chair": str(units[1].pk), "vice_chair": ""}, units=units)
    with CaptureQueriesContext(connection) as ctx:
        assert form.is_valid(), form.errors
    assert len(ctx.captured_queries) == 0
    assert form.cleaned_data["chair"] == units[1]
    assert form.cleaned_data["vice_chair"] is None


@pytest.mark.parametrize("value", ["0", "abc", "9999999"])
def test_a_unit_outside_the_list_is_refused_as_an_invalid_choice(units, value):
    form = TwoUnitsForm({"chair": value}, units=units)
    assert not form.is_valid()
    assert form.errors.as_data()["chair"][0].code == "invalid_choice"


def test_a_unit_that_exists_but_is_not_offered_is_refused(world, units):
    outsider = Unit.objects.exclude(pk__in=[u.pk for u in units]).first()
    assert outsider is not None
    form = TwoUnitsForm({"chair": str(outsider.pk)}, units=units)
    assert not form.is_valid()
    assert "chair" in form.errors


def test_the_required_field_says_so_when_empty(units):
    form = TwoUnitsForm({"chair": ""}, units=units)
    assert not form.is_valid()
    assert form.errors.as_data()["chair"][0].code == "required"
