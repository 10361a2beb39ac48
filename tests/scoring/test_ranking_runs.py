"""Computing and storing a bloc-year's ranking from the database."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from blocs import services as bloc_services
from blocs.models import Role, UnitName
from scoring import ranking, selectors, services
from scoring.models import RankingRun, VerifiedScore
from tests.conftest import THIS_YEAR, make_user
from tests.scoring.factories import build_table, open_period, submitted_report

TODAY = dt.date(THIS_YEAR, 12, 20)


@pytest.fixture
def bloc_year(world):
    """Bloc X 2026: A and C accepted, D submitted but not yet accepted."""
    secretariat = world.users["secretariat_x"]
    table, leaves = build_table(secretariat, world.bloc_x)
    period = open_period(secretariat, world.bloc_x, table)
    officers = {"a": world.users["officer_a"]}
    for key, unit in (("c", world.unit_c), ("d", world.unit_d)):
        officers[key] = make_user(f"officer-{key}", full_name=f"Cán bộ {key.upper()}")
        Role.objects.create(user=officers[key], kind=Role.Kind.OFFICER, unit=unit)
    points = {
        # 38 + 19,5 + 20 + 18 + 10 − 0 = 105,5 (not capped)
        "a": {"I.1": "38", "I.2": "19,5", "II.1": "20", "II.2": "18", "III.1": "10", "IV.1": "0"},
        # 40 + 20 + 20 + 20 + 0 − 2 = 98
        "c": {"I.1": "40", "I.2": "20", "II.1": "20", "II.2": "20", "III.1": "0", "IV.1": "2"},
        "d": {"I.1": "40", "I.2": "20", "II.1": "20", "II.2": "20", "III.1": "10", "IV.1": "0"},
    }
    reports = {}
    for key, unit in (("a", world.unit_a), ("c", world.unit_c), ("d", world.unit_d)):
        reports[key] = submitted_report(world, unit, officers[key], period, leaves, points[key])
    for key in ("a", "c"):
        reports[key] = services.report_accept(actor=secretariat, report=reports[key])
    return secretariat, table, leaves, period, reports


def compute(world, secretariat, today=TODAY):
    return services.ranking_compute(
        actor=secretariat, bloc=world.bloc_x, year=THIS_YEAR, today=today
    )


def test_the_ranking_reads_only_the_verified_scores_of_accepted_reports(world, bloc_year):
    secretariat, _table, leaves, _period, reports = bloc_year
    # The secretariat lowers A's bonus: the verified value counts, not the self score.
    verified = VerifiedScore.objects.get(report=reports["a"], criterion=leaves["III.1"])
    services.verified_score_save(
        actor=secretariat,
        report=reports["a"],
        criterion=leaves["III.1"],
        points="5",
        reason="Cờ thi đua năm trước, không tính năm nay",
        version=verified.version,
    )
    run = compute(world, secretariat)
    latest = selectors.ranking_latest(bloc=world.bloc_x, year=THIS_YEAR)
    assert latest.run == run
    assert [(e.unit_name, e.rank, e.shared, e.total, e.vetoed) for e in latest.entries] == [
        ("Viện kiểm sát nhân dân tỉnh", 1, False, D("100.5"), False),
        ("Công an tỉnh", 2, False, D(98), False),
    ]
    # D's report is submitted, not accepted: not ranked, and said so.
    assert [(u.unit_name, u.why) for u in latest.not_ranked] == [
        ("Tòa án nhân dân tỉnh", "submitted")
    ]
    assert run.criteria_table.version == 1 and run.computed_on == TODAY
    assert run.inputs["about"]["criteria_table_version"] == 1
    leaves_of_a = {leaf["code"]: leaf["points"] for leaf in run.inputs["units"][0]["leaves"]}
    assert leaves_of_a["III.1"] == "5"


def test_a_total_above_the_nominal_maximum_is_kept_unless_the_table_caps_it(world, bloc_year):
    secretariat, table, _leaves, _period, _reports = bloc_year
    run = compute(world, secretariat)
    totals = {e["name"]: e["total"] for e in run.result["entries"]}
    assert totals["Viện kiểm sát nhân dân tỉnh"] == "105.5"
    table.capped = True
    table.save()
    capped = compute(world, secretariat)
    totals = {e["name"]: e["total"] for e in capped.result["entries"]}
    assert totals["Viện kiểm sát nhân dân tỉnh"] == "100"
    assert capped.sha256 != run.sha256


def test_a_veto_in_force_flags_the_unit_or_removes_it_as_the_bloc_decides(world, bloc_year):
    secretariat, *_ = bloc_year
    bloc_services.veto_condition_record(
        actor=secretariat,
        unit=world.unit_a,
        year=THIS_YEAR,
        kind="investigation",
        description="Thanh tra việc quản lý tài sản công",
        source="Quyết định số 15/QĐ-TTr ngày 02/3/2026",
        recorded_on=dt.date(THIS_YEAR, 3, 2),
    )
    # Before it was recorded, nothing is in force.
    early = compute(world, secretariat, today=dt.date(THIS_YEAR, 3, 1))
    assert not any(e["vetoed"] for e in early.result["entries"])
    compute(world, secretariat)
    flagged = selectors.ranking_latest(bloc=world.bloc_x, year=THIS_YEAR)
    first = flagged.entries[0]
    assert (first.unit_name, first.rank, first.vetoed, first.eligible) == (
        "Viện kiểm sát nhân dân tỉnh",
        1,
        True,
        False,
    )
    assert first.veto_reasons == (
        "Đang bị điều tra, thanh tra, kiểm tra có dấu hiệu vi phạm: Thanh tra việc quản lý tài "
        "sản công (Quyết định số 15/QĐ-TTr ngày 02/3/2026)",
    )
    services.scoring_settings_set(
        actor=secretariat,
        bloc=world.bloc_x,
        year=THIS_YEAR,
        cross_scoring=False,
        vetoed_units="remove",
        tie_break=["fewer_deductions", "women_70"],
        version=None,
    )
    compute(world, secretariat)
    removed = selectors.ranking_latest(bloc=world.bloc_x, year=THIS_YEAR)
    assert [(e.unit_name, e.rank) for e in removed.entries] == [("Công an tỉnh", 1)]
    assert [(u.unit_name, u.total) for u in removed.removed] == [
        ("Viện kiểm sát nhân dân tỉnh", D("105.5"))
    ]


def test_equal_totals_follow_the_chain_to_women_70_then_share_the_rank(world, bloc_year):
    secretariat, _table, leaves, _period, reports = bloc_year
    # Bring A down to C's 98 with the same deductions: equal on total and on fewer_deductions.
    for path, points in (
        ("III.1", "0"),
        ("II.2", "20"),
        ("I.1", "40"),
        ("I.2", "20"),
        ("IV.1", "2"),
    ):
        cell = VerifiedScore.objects.get(report=reports["a"], criterion=leaves[path])
        services.verified_score_save(
            actor=secretariat,
            report=reports["a"],
            criterion=leaves[path],
            points=points,
            reason="Điều chỉnh theo kết quả kiểm tra",
            version=cell.version,
        )
    services.scoring_settings_set(
        actor=secretariat,
        bloc=world.bloc_x,
        year=THIS_YEAR,
        cross_scoring=False,
        vetoed_units="rank_with_flag",
        tie_break=["fewer_deductions", "women_70"],
        version=None,
    )
    compute(world, secretariat)
    shared = selectors.ranking_latest(bloc=world.bloc_x, year=THIS_YEAR)
    assert [(e.rank, e.shared) for e in shared.entries] == [(1, True), (1, True)]
    # C has 72 % women (unit-year facts): the statutory preference decides.
    bloc_services.unit_year_facts_set(
        actor=secretariat, unit=world.unit_c, year=THIS_YEAR, version=None, headcount=50, women=36
    )
    bloc_services.unit_year_facts_set(
        actor=secretariat, unit=world.unit_a, year=THIS_YEAR, version=None, headcount=40, women=20
    )
    compute(world, secretariat)
    decided = selectors.ranking_latest(bloc=world.bloc_x, year=THIS_YEAR)
    assert [(e.unit_name, e.rank, e.shared, e.decided_by) for e in decided.entries] == [
        ("Công an tỉnh", 1, False, None),
        ("Viện kiểm sát nhân dân tỉnh", 2, False, "women_70"),
    ]


def test_recomputing_the_same_inputs_gives_the_same_bytes_and_hash(world, bloc_year):
    secretariat, *_ = bloc_year
    first = compute(world, secretariat)
    second = compute(world, secretariat, today=TODAY + dt.timedelta(days=3))
    assert first.pk != second.pk and first.sha256 == second.sha256
    stored = RankingRun.objects.get(
        pk=first.pk
    )  # as the database gives it back (jsonb on PostgreSQL)
    assert ranking.canonical(stored.result) == ranking.canonical(second.result)
    assert ranking.digest(stored.inputs, stored.rules, stored.result) == first.sha256
    assert ranking.rerank(stored.inputs, stored.rules).sha256 == first.sha256


def test_ranking_needs_a_year_end_period_and_an_accepted_report(world):
    secretariat = world.users["secretariat_x"]
    with pytest.raises(ValidationError, match="chưa có kỳ tổng kết năm 2026"):
        compute(world, secretariat)
    table, _ = build_table(secretariat, world.bloc_x)
    open_period(secretariat, world.bloc_x, table)
    with pytest.raises(ValidationError, match="Chưa có báo cáo tổng kết nào được chấp nhận"):
        compute(world, secretariat)


def test_the_latest_ranking_is_one_query_and_none_before_any_run(
    world, bloc_year, django_assert_num_queries
):
    secretariat, *_ = bloc_year
    with django_assert_num_queries(1):
        assert selectors.ranking_latest(bloc=world.bloc_x, year=THIS_YEAR) is None
    compute(world, secretariat)
    with django_assert_num_queries(1):
        latest = selectors.ranking_latest(bloc=world.bloc_x, year=THIS_YEAR)
    assert latest.criteria_table_version == 1
    assert latest.tie_break == tuple(ranking.DEFAULT_TIE_BREAK)


def test_a_unit_renamed_since_is_ranked_under_the_name_it_carried_that_year(world, bloc_year):
    secretariat, *_ = bloc_year
    UnitName.objects.filter(unit=world.unit_a).update(valid_from=dt.date(THIS_YEAR + 1, 1, 1))
    UnitName.objects.create(
        unit=world.unit_a,
        full_name="Viện KSND tỉnh (tên cũ)",
        valid_until=dt.date(THIS_YEAR, 12, 31),
    )
    run = compute(world, secretariat)
    names = {u["unit_id"]: u["name"] for u in run.inputs["units"]}
    assert names[world.unit_a.pk] == "Viện KSND tỉnh (tên cũ)"
    assert names[world.unit_c.pk] == "Công an tỉnh"
    # D has no accepted report: listed apart, under its own name, with its report's state.
    assert run.inputs["not_ranked"] == [
        {"unit_id": world.unit_d.pk, "name": "Tòa án nhân dân tỉnh", "why": "submitted"}
    ]


def test_a_ranking_costs_the_same_queries_whatever_the_number_of_units(
    world, bloc_year, django_assert_num_queries
):
    secretariat, _table, _leaves, _period, reports = bloc_year
    # Two ranked units and one not ranked; then three ranked, with facts and a veto on record.
    # 7 reads and the INSERT, in the service's own transaction (a savepoint and its release).
    with django_assert_num_queries(10):
        compute(world, secretariat)
    services.report_accept(actor=secretariat, report=reports["d"])
    for unit in (world.unit_a, world.unit_c, world.unit_d):
        bloc_services.unit_year_facts_set(
            actor=secretariat, unit=unit, year=THIS_YEAR, version=None, headcount=40, women=30
        )
    with django_assert_num_queries(10):
        run = compute(world, secretariat)
    assert len(run.result["entries"]) == 3
    assert {e["unit_id"] for e in run.result["entries"]} == {
        world.unit_a.pk,
        world.unit_c.pk,
        world.unit_d.pk,
    }
