"""The pure ranking rules: totals, the tie-break chain, veto conditions, the canonical record."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import ranking
from scoring.ranking import (
    BONUS,
    DEDUCTION,
    FEWER_DEDUCTIONS,
    RANK_WITH_FLAG,
    REGULAR,
    REMOVE,
    WOMEN_70,
    LeafScore,
    UnitInput,
    UnitScores,
    rank_bloc,
    rank_units,
    rerank,
    unit_totals,
)


def leaf(code, kind, points, group=None):
    return LeafScore(code, group or code.split(".")[0], kind, D(points))


# Totals --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    (
        "leaves",
        "capped",
        "expected_total",
        "expected_base",
        "expected_bonus",
        "expected_deductions",
    ),
    [
        # The HCMC template: 97 points plus 10 for a city flag is 107, not 100.
        (
            [("I.1", REGULAR, "60"), ("II.1", REGULAR, "37"), ("IV.1", BONUS, "10")],
            False,
            "107",
            "97",
            "10",
            "0",
        ),
        # The same table with a cap stops at the nominal maximum.
        (
            [("I.1", REGULAR, "60"), ("II.1", REGULAR, "37"), ("IV.1", BONUS, "10")],
            True,
            "100",
            "97",
            "10",
            "0",
        ),
        # Deductions are taken off; decimals stay exact.
        (
            [("I.1", REGULAR, "45.5"), ("I.2", REGULAR, "30.25"), ("V.1", DEDUCTION, "2.5")],
            False,
            "73.25",
            "75.75",
            "0",
            "2.5",
        ),
        # A cap does not touch a total under it.
        ([("I.1", REGULAR, "90"), ("V.1", DEDUCTION, "3")], True, "87", "90", "0", "3"),
        ([], False, "0", "0", "0", "0"),
    ],
)
def test_total_is_base_plus_bonus_minus_deductions_capped_only_when_the_table_says(
    leaves, capped, expected_total, expected_base, expected_bonus, expected_deductions
):
    totals = unit_totals([leaf(*row) for row in leaves], capped=capped, base_points=D(100))
    assert totals.total == D(expected_total)
    assert (totals.base, totals.bonus, totals.deductions) == (
        D(expected_base),
        D(expected_bonus),
        D(expected_deductions),
    )


def test_group_scores_are_each_groups_contribution_to_the_total():
    totals = unit_totals(
        [
            leaf("I.1", REGULAR, "30"),
            leaf("I.2", REGULAR, "20"),
            leaf("I.3", DEDUCTION, "1.5"),
            leaf("II.1", REGULAR, "25"),
            leaf("IV.1", BONUS, "5"),
        ]
    )
    assert totals.groups == {"I": D("48.5"), "II": D(25), "IV": D(5)}
    assert sum(totals.groups.values()) == totals.total


def test_a_capped_table_needs_its_maximum_and_deductions_are_never_negative():
    with pytest.raises(ValueError):
        unit_totals([leaf("I.1", REGULAR, "1")], capped=True)
    with pytest.raises(ValueError):
        unit_totals([leaf("V.1", DEDUCTION, "-2")])


@pytest.mark.parametrize(
    ("women", "headcount", "share"),
    [
        (7, 10, "70"),
        (699, 1000, "69.9"),
        (2, 3, "66.66"),
        (1, 0, None),
        (None, 10, None),
        (3, None, None),
    ],
)
def test_women_share_rounds_down_so_rounding_never_earns_the_preference(women, headcount, share):
    assert ranking.women_share(women, headcount) == (None if share is None else D(share))


# Ranking: table-driven -----------------------------------------------------------------------


def unit(unit_id, total, groups=None, deductions="0", women=None, vetoes=()):
    return UnitInput(
        unit_id=unit_id,
        name=f"Đơn vị {unit_id}",
        total=D(total),
        groups={k: D(v) for k, v in (groups or {}).items()},
        deductions=D(deductions),
        women_share=None if women is None else D(women),
        veto_reasons=tuple(vetoes),
    )


def table(result):
    """(unit id, rank, shared) in list order."""
    return [(e.unit_id, e.rank, e.shared) for e in result.entries]


def test_units_rank_by_total_highest_first():
    result = rank_units([unit(1, "95"), unit(2, "107"), unit(3, "99.5")], [])
    assert table(result) == [(2, 1, False), (3, 2, False), (1, 3, False)]
    assert [e.decided_by for e in result.entries] == [None, None, None]


def test_a_three_way_tie_is_broken_partly_and_the_rest_share_a_rank():
    units = [
        unit(1, "98", {"I": "50"}, deductions="0"),
        unit(2, "98", {"I": "50"}, deductions="0"),
        unit(3, "98", {"I": "48"}, deductions="0"),
        unit(4, "99", {"I": "40"}),
        unit(5, "90", {"I": "50"}),
    ]
    result = rank_units(units, ["group:I", FEWER_DEDUCTIONS])
    assert table(result) == [
        (4, 1, False),
        (1, 2, True),
        (2, 2, True),
        (3, 4, False),
        (5, 5, False),
    ]
    assert [e.decided_by for e in result.entries] == [None, None, None, "group:I", None]


def test_the_chain_goes_on_to_the_next_rule_only_while_units_are_still_equal():
    units = [
        unit(1, "98", {"I": "50"}, deductions="2"),
        unit(2, "98", {"I": "50"}, deductions="0"),
        unit(3, "98", {"I": "51"}, deductions="5"),
    ]
    result = rank_units(units, ["group:I", FEWER_DEDUCTIONS])
    assert table(result) == [(3, 1, False), (2, 2, False), (1, 3, False)]
    assert [e.decided_by for e in result.entries] == [None, "group:I", FEWER_DEDUCTIONS]


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        (("70", "69.99"), [(1, 1, False), (2, 2, False)]),
        (("69.99", "70"), [(2, 1, False), (1, 2, False)]),
        (("75", "90"), [(1, 1, True), (2, 1, True)]),  # both qualify: still equal
        ((None, "10"), [(1, 1, True), (2, 1, True)]),  # unknown is no preference
        ((None, "70"), [(2, 1, False), (1, 2, False)]),
    ],
)
def test_a_collective_with_at_least_70_percent_women_comes_first_among_equals(shares, expected):
    units = [unit(1, "96", women=shares[0]), unit(2, "96", women=shares[1])]
    assert table(rank_units(units, [WOMEN_70])) == expected


def test_equal_units_share_a_rank_and_are_never_ordered_by_name_or_id():
    # Names in reverse alphabetical order of ids; the ranks are shared whatever the order.
    units = [
        UnitInput(unit_id=9, name="An Giang", total=D("97")),
        UnitInput(unit_id=3, name="Yên Bái", total=D("97")),
        UnitInput(unit_id=5, name="Bến Tre", total=D("96")),
    ]
    result = rank_units(units, [FEWER_DEDUCTIONS, WOMEN_70])
    assert [(e.rank, e.shared) for e in result.entries] == [(1, True), (1, True), (3, False)]
    assert {e.unit_id for e in result.entries if e.rank == 1} == {3, 9}


def test_a_vetoed_unit_is_ranked_with_a_flag_and_is_not_eligible():
    reason = "Đang bị thanh tra có dấu hiệu vi phạm (Quyết định số 15/QĐ-TTr)"
    result = rank_units([unit(1, "99", vetoes=[reason]), unit(2, "98")], [], RANK_WITH_FLAG)
    first, second = result.entries
    assert (first.unit_id, first.rank, first.vetoed, first.eligible) == (1, 1, True, False)
    assert first.veto_reasons == (reason,)
    assert (second.unit_id, second.rank, second.eligible) == (2, 2, True)
    assert result.removed == ()


def test_a_vetoed_unit_is_removed_from_the_ranks_with_its_reasons_when_the_bloc_says_so():
    reason = "Tập thể đang trong thời gian thi hành kỷ luật"
    result = rank_units([unit(1, "99", vetoes=[reason]), unit(2, "98"), unit(3, "97")], [], REMOVE)
    assert table(result) == [(2, 1, False), (3, 2, False)]
    assert [(r.unit_id, r.total, r.veto_reasons) for r in result.removed] == [(1, D(99), (reason,))]


@pytest.mark.parametrize(
    "rules",
    [["alphabetical"], ["group:"], [FEWER_DEDUCTIONS, FEWER_DEDUCTIONS], ["unit_id"]],
)
def test_a_chain_with_an_unknown_or_repeated_rule_is_refused(rules):
    assert ranking.rule_problems(rules)
    with pytest.raises(ValueError):
        rank_units([unit(1, "1")], rules)


def test_a_unit_given_twice_is_refused():
    with pytest.raises(ValueError):
        rank_units([unit(1, "1"), unit(1, "2")], [])


# The record ------------------------------------------------------------------------------------


def scores(unit_id, points, women=None, vetoes=()):
    regular, bonus, deduction = points
    return UnitScores(
        unit_id=unit_id,
        name=f"Đơn vị {unit_id}",
        leaves=(
            leaf("I.1", REGULAR, regular),
            leaf("IV.1", BONUS, bonus),
            leaf("V.1", DEDUCTION, deduction),
        ),
        women_share=None if women is None else D(women),
        veto_reasons=tuple(vetoes),
    )


RULES = {"tie_break": ["group:I", FEWER_DEDUCTIONS, WOMEN_70], "vetoed_mode": RANK_WITH_FLAG}


def test_the_record_is_the_same_bytes_whatever_the_input_order():
    units = [
        scores(1, ("90", "5", "0"), women="72.5"),
        scores(2, ("92.50", "3", "0.5")),
        scores(3, ("97", "10", "0"), vetoes=["Có đơn thư đang giải quyết"]),
    ]
    first = rank_bloc(units, **RULES)
    second = rank_bloc(list(reversed(units)), **RULES)
    assert ranking.canonical(first.inputs) == ranking.canonical(second.inputs)
    assert ranking.canonical(first.result) == ranking.canonical(second.result)
    assert first.sha256 == second.sha256
    # Decimals are written exactly and shortly: 92.50 + 3 − 0.5 is "95", 97 + 10 is "107".
    totals = {e["unit_id"]: e["total"] for e in first.result["entries"]}
    assert totals == {1: "95", 2: "95", 3: "107"}


def test_a_different_score_gives_a_different_hash():
    base = rank_bloc([scores(1, ("90", "5", "0")), scores(2, ("91", "0", "0"))], **RULES)
    changed = rank_bloc([scores(1, ("90", "5", "0")), scores(2, ("91.01", "0", "0"))], **RULES)
    assert base.sha256 != changed.sha256


def test_a_stored_record_recomputes_to_the_same_result_and_hash():
    record = rank_bloc(
        [scores(1, ("90", "5", "1")), scores(2, ("91", "4", "0"), women="80")],
        tie_break=["group:I", WOMEN_70],
        vetoed_mode=REMOVE,
        capped=True,
        base_points=D(100),
    )
    again = rerank(record.inputs, record.rules)
    assert again.result == record.result
    assert again.sha256 == record.sha256


def test_floats_are_refused_in_the_record():
    with pytest.raises(TypeError):
        ranking.canonical({"total": 97.5})


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("107", "107"),
        ("97.50", "97.5"),
        ("1E+2", "100"),
        ("-0", "0"),
        ("0.00", "0"),
        ("-2.50", "-2.5"),
    ],
)
def test_decimals_are_written_in_their_shortest_exact_form(value, text):
    assert ranking.decimal_text(D(value)) == text


# Properties ------------------------------------------------------------------------------------

points = st.decimals(min_value=0, max_value=120, places=2, allow_nan=False, allow_infinity=False)
shares = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2))
chains = st.lists(
    st.sampled_from(["group:I", "group:II", FEWER_DEDUCTIONS, WOMEN_70]), unique=True, max_size=4
)


@st.composite
def bloc_units(draw, min_size=1):
    count = draw(st.integers(min_value=min_size, max_value=8))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    units = []
    for unit_id in ids:
        # Few distinct values, so that ties are frequent.
        small = st.sampled_from([D(0), D(1), D("2.5"), D(3)])
        units.append(
            UnitScores(
                unit_id=unit_id,
                name=f"Đơn vị {unit_id}",
                leaves=(
                    leaf("I.1", REGULAR, draw(small)),
                    leaf("II.1", REGULAR, draw(small)),
                    leaf("IV.1", BONUS, draw(small)),
                    leaf("V.1", DEDUCTION, draw(small)),
                ),
                women_share=draw(st.sampled_from([None, D(50), D(70)])),
                veto_reasons=draw(st.sampled_from([(), (), ("Kỷ luật",)])),
            )
        )
    return units


@given(bloc_units(), chains, st.sampled_from([RANK_WITH_FLAG, REMOVE]), st.randoms())
def test_the_order_does_not_depend_on_the_input_order(units, chain, mode, rnd):
    shuffled = list(units)
    rnd.shuffle(shuffled)
    first = rank_bloc(units, tie_break=chain, vetoed_mode=mode)
    second = rank_bloc(shuffled, tie_break=chain, vetoed_mode=mode)
    assert first.result == second.result
    assert first.sha256 == second.sha256


@given(bloc_units(), chains, st.data())
def test_raising_one_units_score_never_lowers_its_rank(units, chain, data):
    index = data.draw(st.integers(0, len(units) - 1))
    leaf_index = data.draw(st.sampled_from([0, 1, 2]))  # a regular or bonus line
    extra = data.draw(st.decimals(min_value="0.01", max_value=20, places=2))
    before = rank_bloc(units, tie_break=chain, vetoed_mode=RANK_WITH_FLAG).ranking
    target = units[index]
    leaves = list(target.leaves)
    raised = leaves[leaf_index]
    leaves[leaf_index] = LeafScore(raised.code, raised.group, raised.kind, raised.points + extra)
    changed = list(units)
    changed[index] = UnitScores(
        target.unit_id, target.name, tuple(leaves), target.women_share, target.veto_reasons
    )
    after = rank_bloc(changed, tie_break=chain, vetoed_mode=RANK_WITH_FLAG).ranking
    rank_of = lambda result: next(e.rank for e in result.entries if e.unit_id == target.unit_id)  # noqa: E731
    assert rank_of(after) <= rank_of(before)


@given(st.integers(2, 6), points, points, shares, chains)
def test_equal_inputs_give_equal_outputs_and_a_shared_rank(count, regular, bonus, share, chain):
    units = [
        UnitScores(
            unit_id=unit_id,
            name=f"Đơn vị {unit_id}",
            leaves=(leaf("I.1", REGULAR, regular), leaf("IV.1", BONUS, bonus)),
            women_share=share,
        )
        for unit_id in range(1, count + 1)
    ]
    record = rank_bloc(units, tie_break=chain, vetoed_mode=RANK_WITH_FLAG)
    assert {(e.rank, e.shared, e.total) for e in record.ranking.entries} == {
        (1, True, regular + bonus)
    }
    assert record.sha256 == rank_bloc(units, tie_break=chain, vetoed_mode=RANK_WITH_FLAG).sha256


@given(bloc_units(), chains)
def test_ranks_are_competition_ranks_over_the_ranked_units(units, chain):
    entries = rank_bloc(units, tie_break=chain, vetoed_mode=REMOVE).ranking.entries
    for position, entry in enumerate(entries, start=1):
        same = [e for e in entries if e.rank == entry.rank]
        assert entry.rank == 1 + sum(1 for e in entries if e.rank < entry.rank)
        assert entry.shared == (len(same) > 1)
        assert entry.rank <= position
    assert all(not e.vetoed for e in entries)


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=100),
            st.integers(min_value=0, max_value=10),
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_record_hash_is_the_digest_of_its_stored_documents(rows):
    units = [
        ranking.UnitScores(
            unit_id=index + 1,
            name=f"Đơn vị {index + 1}",
            leaves=(
                ranking.LeafScore("I.1", "I", ranking.REGULAR, D(base)),
                ranking.LeafScore("II.1", "II", ranking.BONUS, D(bonus) / 2),
            ),
            women_share=D("0.75") if women else None,
            veto_reasons=(),
        )
        for index, (base, bonus, women) in enumerate(rows)
    ]
    record = ranking.rank_bloc(
        units, tie_break=["women_70"], vetoed_mode="rank_with_flag", capped=False, base_points=None
    )
    assert record.sha256 == ranking.digest(record.inputs, record.rules, record.result)
