"""The demo's scoring data for scenarios A and E."""

import datetime as dt
import io
from decimal import Decimal as D

from django.core.management import call_command

from blocs.models import Bloc
from core.models import User
from scoring import ranking, selectors, services
from scoring.models import CriteriaTable, ReportingPeriod, UnitReport


def test_scenario_a_ranks_bo_tu_lenh_first_and_its_hash_is_stable(db):
    call_command("load_demo", stdout=io.StringIO())
    viii = Bloc.objects.get(authority__code="hcm", code="VIII")
    latest = selectors.ranking_latest(bloc=viii, year=2022)
    assert [(e.unit_name, e.rank, e.shared, e.total, e.decided_by) for e in latest.entries] == [
        ("Bộ Tư lệnh Thành phố", 1, False, D("104.5"), None),
        ("Công an Thành phố", 2, False, D("101.5"), None),
        ("Bộ Chỉ huy Bộ đội Biên phòng Thành phố", 3, False, D(101), None),
        ("Viện kiểm sát nhân dân Thành phố", 4, False, D("98.5"), None),
        ("Tòa án nhân dân Thành phố", 5, False, D("98.5"), "group:I"),
        ("Cục Thi hành án dân sự Thành phố", 6, False, D("98.5"), "group:I"),
    ]
    assert all(e.eligible for e in latest.entries) and latest.not_ranked == ()
    table = latest.run.criteria_table
    assert (table.state, table.base_points, table.capped) == ("frozen", D(100), False)
    assert table.criteria.filter(max_points__isnull=False).count() == 13
    period = ReportingPeriod.objects.get(bloc=viii, year=2022, kind="year_end")
    assert period.state == "published"
    assert set(UnitReport.objects.filter(period=period).values_list("state", flat=True)) == {
        "accepted"
    }
    # Recomputing from the database gives the same bytes.
    secretariat = User.objects.get(username="thuky")
    again = services.ranking_compute(
        actor=secretariat, bloc=viii, year=2022, today=dt.date(2022, 12, 15)
    )
    assert again.sha256 == latest.run.sha256
    assert ranking.canonical(again.result) == ranking.canonical(latest.run.result)


def test_scenario_e_has_a_draft_2023_table_at_mid_year(db):
    call_command("load_demo", stdout=io.StringIO())
    cum7 = Bloc.objects.get(authority__code="ha-noi", code="7")
    table = CriteriaTable.objects.get(bloc=cum7, year=2023)
    assert table.state == "draft" and table.version == 1
    period = ReportingPeriod.objects.get(bloc=cum7, year=2023)
    assert (period.kind, period.self_scoring, period.state, period.criteria_table) == (
        "mid_year",
        False,
        "closed",
        table,
    )
    assert UnitReport.objects.filter(period=period, state="accepted").count() == 3
    assert selectors.periods_open(today=dt.date(2023, 9, 1)) == []
