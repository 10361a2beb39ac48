"""The pure eligibility engine: table-driven cases of DOMAIN.md §5 and properties."""

import dataclasses
import datetime as dt
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awards import eligibility as el
from awards.eligibility import (
    AwardHeld,
    AwardSpec,
    RankingPosition,
    RuleSpec,
    Status,
    UnitFacts,
    VetoFact,
)

ON_2022 = dt.date(2022, 12, 16)
ON_2025 = dt.date(2025, 12, 10)
LAW = "Luật Thi đua, khen thưởng"

FLAG = AwardSpec("co_thi_dua_tinh", "Cờ thi đua của Ủy ban nhân dân tỉnh, thành phố")
GOV_FLAG = AwardSpec("co_thi_dua_chinh_phu", "Cờ thi đua của Chính phủ")
MERIT = AwardSpec("bang_khen_chu_tich_tinh", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh")
EXCELLENT = AwardSpec("tap_the_lao_dong_xuat_sac", "Tập thể lao động xuất sắc", "civil")
ADVANCED = AwardSpec("tap_the_lao_dong_tien_tien", "Tập thể lao động tiên tiến", "civil")
VICTORY = AwardSpec("don_vi_quyet_thang", "Đơn vị quyết thắng", "armed_forces", f"Điều 20 {LAW}")

OLD_END = dt.date(2023, 12, 31)
NEW = dt.date(2024, 1, 1)


def rule(id, award, kind, citation, params=None, **kw):
    clean, errors = el.clean_params(kind, params or {})
    assert not errors, errors
    return RuleSpec(id=id, award_code=award.code, kind=kind, citation=citation, params=clean, **kw)


RULES = [
    rule(1, FLAG, "no_veto", "Điều 4 Nghị định 152/2025/NĐ-CP", effective_from=dt.date(2025, 7, 1)),
    rule(2, FLAG, "no_veto", "Thông tư 12/2019/TT-BNV", effective_to=OLD_END),
    rule(3, FLAG, "leads_bloc", f"khoản 1 Điều 26 {LAW}", effective_from=NEW),
    rule(4, FLAG, "leads_bloc", f"Điều 26 {LAW}", effective_to=OLD_END),
    rule(
        5,
        FLAG,
        "women_share",
        "khoản 6 Điều 4 Nghị định 152/2025/NĐ-CP",
        {"percent": "70"},
        effect="priority",
    ),
    rule(10, GOV_FLAG, "leads_bloc", f"Điều 25 {LAW}"),
    rule(
        11,
        GOV_FLAG,
        "quota_share",
        "Điều 11 Nghị định 91/2017/NĐ-CP",
        {"percent": "20", "base": "bloc_leaders"},
    ),
    rule(
        20,
        MERIT,
        "held_award",
        f"Điều 74 {LAW}",
        {"award_codes": [EXCELLENT.code], "years": 2},
        group="thanh_tich",
    ),
    rule(21, MERIT, "rank_at_most", "Quy chế của tỉnh", {"rank": 6}, group="thanh_tich"),
    rule(22, MERIT, "no_veto", "Điều 4 Nghị định 152/2025/NĐ-CP"),
    rule(30, EXCELLENT, "all_completed", f"khoản 1 Điều 27 {LAW}"),
    rule(31, EXCELLENT, "advanced_share", f"khoản 1 Điều 27 {LAW}", {"percent": "70"}),
    rule(32, EXCELLENT, "emulation_fighters", f"khoản 1 Điều 27 {LAW}", {"at_least": 1}),
    rule(
        40,
        ADVANCED,
        "advanced_share",
        f"điểm c khoản 1 Điều 28 {LAW}",
        {"percent": "50", "strict": True},
        effective_to=OLD_END,
    ),
    rule(41, ADVANCED, "no_discipline", f"điểm c khoản 1 Điều 28 {LAW}", effective_to=OLD_END),
    rule(
        42,
        ADVANCED,
        "advanced_share",
        f"khoản 1 Điều 28 {LAW}",
        {"percent": "70"},
        effective_from=NEW,
    ),
    rule(43, ADVANCED, "no_discipline", f"khoản 1 Điều 28 {LAW}", effective_from=NEW),
    rule(50, VICTORY, "advanced_share", f"Điều 27 {LAW}", {"percent": "70"}),
]
AWARDS = [FLAG, GOV_FLAG, MERIT, EXCELLENT, ADVANCED, VICTORY]

GOOD = UnitFacts(
    unit_id=1,
    headcount=100,
    women=40,
    completed_tasks=100,
    advanced_workers=80,
    emulation_fighters=3,
    disciplined_warning_or_above=0,
)


def verdict(award, facts=GOOD, *, year=2025, on=ON_2025, ranking=None, history=(), vetoes=()):
    result = el.evaluate(
        units=[facts],
        awards=AWARDS,
        rules=RULES,
        year=year,
        on=on,
        ranking=ranking,
        history=history,
        vetoes=vetoes,
    )
    return result[(facts.unit_id, award.code)]


def texts(v):
    return [r.text for r in v.reasons]


def first(rank, shared=False, unit_id=1):
    return [RankingPosition(unit_id=unit_id, rank=rank, shared=shared)]


# Cờ thi đua của UBND tỉnh: the unit leading its bloc; no veto condition --------------------------

CASES_FLAG = [
    ("leader", first(1), Status.MET, "Dẫn đầu khối (xếp hạng 1)"),
    ("runner-up", first(2), Status.NOT_MET, "Xếp hạng 2, không dẫn đầu khối"),
    ("shared first place", first(1, shared=True), Status.UNKNOWN, "Đồng hạng nhất"),
    ("no ranking yet", None, Status.UNKNOWN, "Chưa có kết quả xếp hạng của khối"),
    ("not in the ranking", first(1, unit_id=99), Status.UNKNOWN, "không có trong kết quả xếp hạng"),
    (
        "removed from the ranking",
        [RankingPosition(unit_id=1, rank=None, vetoed=True, veto_reasons=("Đang bị thanh tra",))],
        Status.NOT_MET,
        "Bị loại khỏi xếp hạng: Đang bị thanh tra",
    ),
]


@pytest.mark.parametrize(
    ("case", "ranking", "status", "text"), CASES_FLAG, ids=[c[0] for c in CASES_FLAG]
)
def test_the_provincial_flag_goes_to_the_bloc_leader(case, ranking, status, text):
    v = verdict(FLAG, ranking=ranking)
    assert v.status == status
    assert any(text in t for t in texts(v)), texts(v)
    leads = next(r for r in v.reasons if r.kind == "leads_bloc")
    assert leads.citation == "khoản 1 Điều 26 Luật Thi đua, khen thưởng"


def test_a_leader_under_a_veto_condition_is_refused_with_the_reason_and_its_source():
    veto = VetoFact(
        unit_id=1,
        label="Đang bị điều tra, thanh tra, kiểm tra có dấu hiệu vi phạm",
        description="Thanh tra việc mua sắm",
        source="Quyết định số 15/QĐ-TTr",
    )
    v = verdict(FLAG, ranking=first(1), vetoes=[veto])
    assert v.status == Status.NOT_MET and not v.eligible
    refusal = next(r for r in v.reasons if r.kind == "no_veto")
    assert refusal.status == Status.NOT_MET
    assert refusal.text == (
        "Chưa xét khen thưởng: Đang bị điều tra, thanh tra, kiểm tra có dấu hiệu vi phạm — "
        "Thanh tra việc mua sắm (Quyết định số 15/QĐ-TTr)"
    )
    assert refusal.citation == "Điều 4 Nghị định 152/2025/NĐ-CP"


def test_the_rules_of_the_year_apply_2022_cites_the_old_law():
    v = verdict(FLAG, year=2022, on=ON_2022, ranking=first(1))
    assert v.eligible
    assert {r.citation for r in v.reasons} == {
        "Thông tư 12/2019/TT-BNV",
        f"Điều 26 {LAW}",
        "khoản 6 Điều 4 Nghị định 152/2025/NĐ-CP",
    }


def test_the_women_preference_is_reported_but_decides_nothing():
    few_women = dataclasses.replace(GOOD, women=10)
    v = verdict(FLAG, few_women, ranking=first(1))
    assert v.eligible
    women = next(r for r in v.reasons if r.kind == "women_share")
    assert women.status == Status.NOT_MET and women.effect == "priority"
    assert women.text == "Nữ 10/100 người (10.0%), dưới 70%"
    many = verdict(FLAG, dataclasses.replace(GOOD, women=70), ranking=first(1))
    assert next(r for r in many.reasons if r.kind == "women_share").status == Status.MET


# Cờ thi đua của Chính phủ: among bloc leaders, at most 20 % of them --------------------------------


def test_the_government_flag_quota_is_checked_on_the_selection_not_on_one_unit():
    v = verdict(GOV_FLAG, ranking=first(1))
    assert v.eligible
    quota = next(r for r in v.reasons if r.kind == "quota_share")
    assert quota.status == Status.SELECTION


@pytest.mark.parametrize(
    ("leaders", "selected", "allowed", "within"),
    [
        (10, 2, 2, True),
        (10, 3, 2, False),
        (69, 13, 13, True),
        (69, 14, 13, False),
        (4, 1, 0, False),
    ],
)
def test_the_government_flag_quota_is_twenty_percent_of_bloc_leaders(
    leaders, selected, allowed, within
):
    [check] = el.check_selection(
        rules=RULES,
        on=ON_2025,
        selection={GOV_FLAG.code: range(selected)},
        bases={"bloc_leaders": leaders},
    )
    assert (check.allowed, check.within, check.base) == (allowed, within, leaders)
    assert check.excess == max(0, selected - allowed)
    assert check.citation == "Điều 11 Nghị định 91/2017/NĐ-CP"


# Bằng khen: the bloc's runners-up, or 2 consecutive years of Tập thể lao động xuất sắc -------------


@pytest.mark.parametrize(
    ("years_held", "ranking", "status"),
    [
        ((2023, 2024), None, Status.MET),
        ((2024,), None, Status.UNKNOWN),  # registry short; the rank alternative is not known yet
        ((2024,), first(7), Status.NOT_MET),
        ((2022, 2024), first(3), Status.MET),  # the rank alternative suffices
        ((2025, 2024), first(9), Status.NOT_MET),  # this year's title is not one of the two years
    ],
)
def test_the_certificate_of_merit_takes_either_alternative(years_held, ranking, status):
    history = [AwardHeld(1, y, EXCELLENT.code) for y in years_held]
    v = verdict(MERIT, ranking=ranking, history=history)
    assert v.status == status, texts(v)


def test_the_registry_reason_names_the_missing_year():
    v = verdict(MERIT, ranking=first(8), history=[AwardHeld(1, 2024, EXCELLENT.code)])
    held = next(r for r in v.reasons if r.kind == "held_award")
    assert held.text == (
        "Sổ khen thưởng chưa ghi Tập thể lao động xuất sắc năm 2023 (cần 2 năm liên tục: 2023, 2024)"
    )


def test_another_units_awards_do_not_count():
    v = verdict(
        MERIT,
        ranking=first(8),
        history=[AwardHeld(2, 2023, EXCELLENT.code), AwardHeld(2, 2024, EXCELLENT.code)],
    )
    assert v.status == Status.NOT_MET


# Tập thể lao động xuất sắc and tiên tiến: figures of the unit --------------------------------------

EXCELLENT_CASES = [
    ("all standards", {}, Status.MET),
    ("one person did not complete", {"completed_tasks": 99}, Status.NOT_MET),
    ("69 % advanced workers", {"advanced_workers": 69}, Status.NOT_MET),
    ("exactly 70 %", {"advanced_workers": 70}, Status.MET),
    ("no emulation fighter", {"emulation_fighters": 0}, Status.NOT_MET),
    ("figures not reported", {"advanced_workers": None}, Status.UNKNOWN),
    ("no headcount", {"headcount": None}, Status.UNKNOWN),
    ("a blank and a failure", {"advanced_workers": None, "emulation_fighters": 0}, Status.NOT_MET),
]


@pytest.mark.parametrize(
    ("case", "change", "status"), EXCELLENT_CASES, ids=[c[0] for c in EXCELLENT_CASES]
)
def test_collective_labour_excellence(case, change, status):
    assert verdict(EXCELLENT, dataclasses.replace(GOOD, **change)).status == status


def test_a_blank_figure_says_not_enough_data_never_guesses():
    v = verdict(EXCELLENT, dataclasses.replace(GOOD, advanced_workers=None))
    reason = next(r for r in v.reasons if r.kind == "advanced_share")
    assert reason.status == Status.UNKNOWN
    assert reason.text == "Chưa đủ số liệu: chưa có số người đạt Lao động tiên tiến"


@pytest.mark.parametrize(
    ("year", "on", "advanced", "disciplined", "status"),
    [
        (2022, ON_2022, 60, 0, Status.MET),  # 2003 law: above 50 %
        (2022, ON_2022, 50, 0, Status.NOT_MET),  # exactly 50 % is not above
        (2025, ON_2025, 60, 0, Status.NOT_MET),  # 2022 law: at least 70 %
        (2025, ON_2025, 70, 0, Status.MET),
        (2025, ON_2025, 90, 1, Status.NOT_MET),  # somebody disciplined at cảnh cáo or above
        (2025, ON_2025, 90, None, Status.UNKNOWN),
    ],
)
def test_collective_advanced_labour_by_the_law_of_its_year(year, on, advanced, disciplined, status):
    facts = dataclasses.replace(
        GOOD, advanced_workers=advanced, disciplined_warning_or_above=disciplined
    )
    assert verdict(ADVANCED, facts, year=year, on=on).status == status


def test_the_strict_threshold_reads_above_and_the_other_at_least():
    v = verdict(ADVANCED, dataclasses.replace(GOOD, advanced_workers=50), year=2022, on=ON_2022)
    assert texts(v)[0] == "Lao động tiên tiến 50/100 người (50.0%), cần trên 50%"
    v = verdict(ADVANCED, dataclasses.replace(GOOD, advanced_workers=70))
    assert texts(v)[0] == "Lao động tiên tiến 70/100 người (70.0%), từ 70% trở lên"


def test_armed_forces_titles_are_for_armed_forces_units():
    civil = verdict(VICTORY, GOOD)
    assert civil.status == Status.NOT_MET
    assert civil.reasons[0].text == "Chỉ xét tặng cho đơn vị thuộc lực lượng vũ trang nhân dân"
    assert civil.reasons[0].citation == f"Điều 20 {LAW}"
    army = dataclasses.replace(GOOD, armed_forces=True)
    assert verdict(VICTORY, army).eligible
    assert verdict(EXCELLENT, army).status == Status.NOT_MET
    assert verdict(VICTORY, dataclasses.replace(GOOD, armed_forces=None)).status == Status.UNKNOWN


def test_no_rule_in_force_is_not_enough_data():
    lonely = AwardSpec("giay_khen", "Giấy khen")
    [v] = el.evaluate(units=[GOOD], awards=[lonely], rules=RULES, year=2025, on=ON_2025).values()
    assert v.status == Status.UNKNOWN
    assert v.reasons[0].text == "Chưa có tiêu chuẩn của Giấy khen áp dụng vào ngày 10/12/2025"


# Parameters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "raw", "errors"),
    [
        ("advanced_share", {"percent": "0"}, {"percent"}),
        ("advanced_share", {"percent": "101"}, {"percent"}),
        ("advanced_share", {"percent": "70,5"}, set()),
        ("rank_at_most", {"rank": "x"}, {"rank"}),
        ("held_award", {"award_codes": [], "years": 2}, {"award_codes"}),
        ("held_award", {"award_codes": ["nope"], "years": 2}, {"award_codes"}),
        ("held_award", {"award_codes": ["giay_khen"], "years": 0}, {"years"}),
        ("quota_share", {"percent": "20", "rounding": "random"}, {"rounding"}),
        ("leads_bloc", {"ignored": 1}, set()),
        ("teleport", {}, {"kind"}),
    ],
)
def test_parameters_are_validated_per_kind(kind, raw, errors):
    clean, problems = el.clean_params(kind, raw, award_codes=["giay_khen"])
    assert set(problems) == errors
    if kind == "leads_bloc":
        assert clean == {}
    if kind == "advanced_share" and not errors:
        assert clean == {"percent": "70.5", "strict": False}


def test_positions_from_a_stored_ranking_keep_shared_ranks_and_vetoes():
    entries = [
        {"unit_id": 5, "rank": 1, "shared": True, "total": Decimal("97.5"), "vetoed": False},
        {"unit_id": 6, "rank": 1, "shared": True, "total": Decimal("97.5"), "vetoed": False},
        {"unit_id": 7, "rank": 3, "vetoed": True, "veto_reasons": ["Kỷ luật"]},
    ]
    positions = el.positions_from_entries(entries)
    assert [(p.unit_id, p.rank, p.shared) for p in positions] == [
        (5, 1, True),
        (6, 1, True),
        (7, None, False),
    ]
    assert positions[2].veto_reasons == ("Kỷ luật",)


def test_bloc_quota_overruns_name_the_award_and_the_numbers():
    over = el.bloc_quota_overruns(
        proposed={"co_thi_dua_tinh": 2, "bang_khen_chu_tich_tinh": 3},
        quotas={"co_thi_dua_tinh": 1, "bang_khen_chu_tich_tinh": 3},
    )
    assert over == [el.QuotaOverrun("co_thi_dua_tinh", allowed=1, proposed=2)]


# Properties -----------------------------------------------------------------------------------------

counts = st.one_of(st.none(), st.integers(min_value=0, max_value=60))


@st.composite
def unit_facts(draw, unit_id):
    headcount = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=60)))

    def count():
        value = draw(counts)
        return value if value is None or headcount is None else min(value, headcount)

    return UnitFacts(
        unit_id=unit_id,
        headcount=headcount,
        women=count(),
        completed_tasks=count(),
        advanced_workers=count(),
        emulation_fighters=count(),
        disciplined_warning_or_above=count(),
        armed_forces=draw(st.sampled_from([True, False, None])),
    )


@st.composite
def worlds(draw):
    ids = list(range(1, draw(st.integers(min_value=2, max_value=5)) + 1))
    units = [draw(unit_facts(i)) for i in ids]
    ranked = draw(st.booleans())
    ranking = None
    if ranked:
        ranking = [
            RankingPosition(
                unit_id=i,
                rank=draw(st.one_of(st.none(), st.integers(1, 6))),
                shared=draw(st.booleans()),
            )
            for i in ids
            if draw(st.booleans())
        ]
    history = [
        AwardHeld(
            draw(st.sampled_from(ids)),
            draw(st.integers(2019, 2025)),
            draw(st.sampled_from([EXCELLENT.code, FLAG.code])),
        )
        for _n in range(draw(st.integers(0, 6)))
    ]
    vetoes = [
        VetoFact(draw(st.sampled_from(ids)), "Kỷ luật", draw(st.sampled_from(["a", "b"])), "QĐ 1")
        for _n in range(draw(st.integers(0, 2)))
    ]
    year = draw(st.sampled_from([2022, 2025]))
    on = ON_2022 if year == 2022 else ON_2025
    return units, ranking, history, vetoes, year, on


def run(units, ranking, history, vetoes, year, on, rules=RULES, awards=AWARDS):
    return el.evaluate(
        units=units,
        awards=awards,
        rules=rules,
        year=year,
        on=on,
        ranking=ranking,
        history=history,
        vetoes=vetoes,
    )


@settings(max_examples=150, deadline=None)
@given(worlds(), st.data())
def test_a_units_verdicts_do_not_change_when_another_unit_changes(world, data):
    units, ranking, history, vetoes, year, on = world
    before = run(*world)
    other = data.draw(st.sampled_from([u.unit_id for u in units[1:]]))
    changed_units = [data.draw(unit_facts(other)) if u.unit_id == other else u for u in units]
    changed_history = [h for h in history if h.unit_id != other] + [
        AwardHeld(other, year - 1, EXCELLENT.code)
    ]
    changed_vetoes = [v for v in vetoes if v.unit_id != other] + [
        VetoFact(other, "Khiếu nại", "c", "")
    ]
    after = run(changed_units, ranking, changed_history, changed_vetoes, year, on)
    mine = units[0].unit_id
    for award in AWARDS:
        assert after[(mine, award.code)] == before[(mine, award.code)]


@settings(max_examples=150, deadline=None)
@given(worlds(), st.randoms(use_true_random=False))
def test_the_order_of_the_inputs_does_not_matter(world, rnd):
    units, ranking, history, vetoes, year, on = world

    def shuffled(items):
        items = list(items)
        rnd.shuffle(items)
        return items

    before = run(*world)
    after = run(
        shuffled(units),
        None if ranking is None else shuffled(ranking),
        shuffled(history),
        shuffled(vetoes),
        year,
        on,
        rules=shuffled(RULES),
        awards=shuffled(AWARDS),
    )
    assert after == before


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 200), st.data())
def test_more_advanced_workers_never_lose_a_share_that_was_met(headcount, data):
    low = data.draw(st.integers(0, headcount))
    high = data.draw(st.integers(low, headcount))
    for award, year, on in (
        (ADVANCED, 2022, ON_2022),
        (ADVANCED, 2025, ON_2025),
        (EXCELLENT, 2025, ON_2025),
    ):
        statuses = []
        for n in (low, high):
            facts = dataclasses.replace(
                GOOD, headcount=headcount, completed_tasks=headcount, advanced_workers=n
            )
            v = verdict(award, facts, year=year, on=on)
            statuses.append(next(r for r in v.reasons if r.kind == "advanced_share").status)
        if statuses[0] == Status.MET:
            assert statuses[1] == Status.MET


@given(
    st.integers(0, 500),
    st.decimals(min_value=Decimal("0.01"), max_value=100, places=2),
    st.sampled_from(["floor", "half_up", "ceil"]),
)
def test_a_quota_never_allows_more_than_its_rounding_of_the_share(base, percent, rounding):
    allowed = el.quota_allowed(base, percent, rounding)
    exact = Decimal(base) * percent / 100
    assert allowed - 1 < exact + 1 and 0 <= allowed <= base
    if rounding == "floor":
        assert allowed <= exact < allowed + 1


def test_the_engine_is_pure():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(el))
    imported = {
        (node.module or "").split(".")[0]
        if isinstance(node, ast.ImportFrom)
        else alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert "django" not in imported
    assert not {"time"} & imported
    assert random  # the property tests use hypothesis' own randomness
