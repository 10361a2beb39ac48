"""Concurrent requests on PostgreSQL: duplicates leave one row, two edits of one cell leave one
success and one conflict (never a silent overwrite)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from scoring import services
from scoring.models import ReportTransition, SelfScore, UnitReport
from tests.conftest import need
from tests.scoring.factories import build_table, open_period

pytestmark = pytest.mark.django_db(transaction=True)


def _year(world):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    secretariat = world.users["secretariat_x"]
    table, leaves = build_table(secretariat, world.bloc_x)
    return open_period(secretariat, world.bloc_x, table), leaves


def _run(calls: int, workers: int, work):
    start = threading.Barrier(workers)
    local = threading.local()

    def one(_index):
        if not getattr(local, "waited", False):
            local.waited = True
            start.wait()
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, range(calls)))


def test_a_hundred_duplicate_starts_of_a_report_leave_exactly_one(world):
    period, _leaves = _year(world)
    officer = world.users["officer_a"]
    reports = _run(
        100, 20, lambda: services.report_start(actor=officer, period=period, unit=world.unit_a).pk
    )
    assert len(set(reports)) == 1
    assert UnitReport.objects.filter(period=period, unit=world.unit_a).count() == 1
    assert ReportTransition.objects.filter(report_id=reports[0]).count() == 1


def test_a_hundred_duplicate_saves_of_one_cell_leave_one_row_with_that_value(world):
    period, leaves = _year(world)
    officer = world.users["officer_a"]
    report = services.report_start(actor=officer, period=period, unit=world.unit_a)

    def save():
        return services.self_score_save(
            actor=officer,
            report=report,
            criterion=leaves["I.2"],
            points="17,5",
            comment="",
            version=None,
        ).points

    assert set(_run(100, 20, save)) == {D("17.5")}
    assert SelfScore.objects.filter(report=report).count() == 1


def test_two_people_editing_one_cell_at_once_get_one_success_and_one_conflict(world):
    period, leaves = _year(world)
    officer = world.users["officer_a"]
    report = services.report_start(actor=officer, period=period, unit=world.unit_a)
    first = services.self_score_save(
        actor=officer, report=report, criterion=leaves["I.2"], points="10", comment="", version=None
    )
    values = iter(["15", "18"])
    lock = threading.Lock()

    def edit():
        with lock:
            points = next(values)
        try:
            services.self_score_save(
                actor=officer,
                report=report,
                criterion=leaves["I.2"],
                points=points,
                comment="",
                version=first.version,
            )
            return ("saved", points)
        except services.CellConflict as conflict:
            return ("conflict", conflict.theirs.points)
        except ValidationError as error:  # pragma: no cover - would be a failure below
            return ("error", error.messages)

    outcomes = sorted(_run(2, 2, edit))
    assert [kind for kind, _ in outcomes] == ["conflict", "saved"]
    saved_points = D(outcomes[1][1])
    assert outcomes[0][1] == saved_points  # the conflict shows what the other saved
    assert SelfScore.objects.get(pk=first.pk).points == saved_points
