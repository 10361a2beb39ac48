"""Reads: the score grid and the open periods, in a fixed number of queries."""

import datetime as dt
from decimal import Decimal as D

import pytest

from blocs.models import Membership, UnitName
from scoring import selectors, services
from scoring.models import SelfScore, UnitReport, VerifiedScore
from tests.conftest import THIS_YEAR
from tests.factories import BlocFactory, UnitFactory
from tests.scoring.factories import build_table, open_period, submitted_report, wide_spec


def grid_world(world, units: int, groups: int, per_group: int):
    """A bloc with ``units`` members, a table of groups × per_group leaves, every cell self-scored
    and verified (written in bulk: the grid only reads)."""
    actor = world.users["secretariat_authority"]
    bloc = BlocFactory(authority=world.authority)
    members = [UnitFactory(authority=world.authority) for _ in range(units)]
    for position, unit in enumerate(members, start=1):
        Membership.objects.create(bloc=bloc, unit=unit, year=THIS_YEAR, position=position)
    table, leaves = build_table(actor, bloc, spec=wide_spec(groups, per_group))
    period = open_period(actor, bloc, table)
    reports = [
        UnitReport.objects.create(period=period, unit=unit, state="accepted") for unit in members
    ]
    SelfScore.objects.bulk_create(
        SelfScore(report=r, criterion=c, points=D(4), updated_by=actor)
        for r in reports
        for c in leaves.values()
    )
    VerifiedScore.objects.bulk_create(
        VerifiedScore(report=r, criterion=c, points=D("3.5"), scored_by=actor)
        for r in reports
        for c in leaves.values()
    )
    return bloc, period, members, leaves


@pytest.mark.parametrize(("units", "groups", "per_group"), [(3, 2, 5), (12, 6, 10)])
def test_the_score_grid_runs_a_fixed_number_of_queries(
    world, django_assert_num_queries, units, groups, per_group
):
    bloc, period, members, _leaves = grid_world(world, units, groups, per_group)
    with django_assert_num_queries(6):
        grid = selectors.score_grid(bloc=bloc, year=THIS_YEAR, period=period)
    assert len(grid.rows) == units and len(grid.leaves) == groups * per_group
    assert [row.unit.id for row in grid.rows] == [u.pk for u in members]
    first = grid.rows[0]
    assert first.self_total == 4 * groups * per_group
    assert first.verified_total == D("3.5") * groups * per_group
    assert all(cell.differs for cell in first.cells)


def test_the_grid_shows_self_and_verified_values_side_by_side(world):
    secretariat = world.users["secretariat_x"]
    table, leaves = build_table(secretariat, world.bloc_x)
    period = open_period(secretariat, world.bloc_x, table)
    report = submitted_report(world, world.unit_a, world.users["officer_a"], period, leaves)
    services.verified_score_save(
        actor=secretariat,
        report=report,
        criterion=leaves["IV.1"],
        points="2",
        reason="Một cán bộ bị khiển trách",
        version=None,
    )
    # The unit is shown under the name it carried that year.
    UnitName.objects.filter(unit=world.unit_a).update(valid_from=dt.date(THIS_YEAR + 1, 1, 1))
    UnitName.objects.create(
        unit=world.unit_a,
        full_name="Viện KSND tỉnh (tên cũ)",
        valid_until=dt.date(THIS_YEAR, 12, 31),
    )
    grid = selectors.score_grid(bloc=world.bloc_x, year=THIS_YEAR, period=period)
    assert [row.unit.name for row in grid.rows] == [
        "Viện KSND tỉnh (tên cũ)",
        "Công an tỉnh",
        "Tòa án nhân dân tỉnh",
    ]
    assert [node.path for node in grid.leaves] == ["I.1", "I.2", "II.1", "II.2", "III.1", "IV.1"]
    row = grid.rows[0]
    cells = dict(zip((n.path for n in grid.leaves), row.cells, strict=True))
    assert (cells["I.2"].self_points, cells["I.2"].verified) == (D("19.5"), None)
    assert (cells["IV.1"].self_points, cells["IV.1"].verified, cells["IV.1"].differs) == (
        D(0),
        D(2),
        True,
    )
    assert row.self_total == D("105.5")
    assert row.verified_total == D(-2)  # only one cell verified so far, a deduction
    assert grid.rows[1].report is None and grid.rows[1].cells[0].self_points is None


def test_open_periods_list_the_units_that_have_not_submitted(world, django_assert_num_queries):
    secretariat = world.users["secretariat_authority"]
    table_x, leaves_x = build_table(secretariat, world.bloc_x)
    period_x = open_period(secretariat, world.bloc_x, table_x)
    table_y, _ = build_table(secretariat, world.bloc_y)
    period_y = open_period(secretariat, world.bloc_y, table_y)
    services.period_update(
        actor=secretariat,
        period=period_y,
        opens_on=dt.date(THIS_YEAR, 11, 1),
        deadline=dt.date(THIS_YEAR, 11, 20),
        version=period_y.version,
    )
    submitted_report(world, world.unit_a, world.users["officer_a"], period_x, leaves_x)
    report_c = services.report_start(actor=secretariat, period=period_x, unit=world.unit_c)
    assert report_c.state == "draft"

    with django_assert_num_queries(4):
        found = selectors.periods_open(today=dt.date(THIS_YEAR, 11, 25))
    assert [(p.period.bloc, p.deadline, p.days_left, p.late) for p in found] == [
        (world.bloc_y, dt.date(THIS_YEAR, 11, 20), -5, True),
        (world.bloc_x, dt.date(THIS_YEAR, 11, 30), 5, False),
    ]
    assert [u.name for u in found[0].not_submitted] == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]
    assert [u.name for u in found[1].not_submitted] == ["Công an tỉnh", "Tòa án nhân dân tỉnh"]
    assert selectors.periods_open(today=dt.date(THIS_YEAR, 10, 31)) == []


def test_open_periods_cost_the_same_queries_with_more_blocs(world, django_assert_num_queries):
    secretariat = world.users["secretariat_authority"]
    for _ in range(5):
        bloc = BlocFactory(authority=world.authority)
        for position in range(4):
            Membership.objects.create(
                bloc=bloc,
                unit=UnitFactory(authority=world.authority),
                year=THIS_YEAR,
                position=position,
            )
        table, _ = build_table(secretariat, bloc)
        open_period(secretariat, bloc, table)
    with django_assert_num_queries(4):
        found = selectors.periods_open(today=dt.date(THIS_YEAR, 11, 2))
    assert len(found) == 5 and all(len(p.not_submitted) == 4 for p in found)
