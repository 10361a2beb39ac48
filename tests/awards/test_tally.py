"""The count of a secret ballot: thresholds table-driven, and properties."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awards.tally import (
    Item,
    Problem,
    Threshold,
    count_box,
    normalise_choices,
    paper_problems,
    parse_ratio,
    ratio_text,
    tally,
)

FLAG = Item(id=1, max_choices=1, candidate_ids=(11, 12))
MERIT = Item(id=2, max_choices=3, candidate_ids=(21, 22, 23, 24))


def run(
    votes, *, base="all", percent="50", strict=True, members=6, present=6, items=(FLAG,), written=()
):
    return tally(
        items=list(items),
        threshold=Threshold(base, parse_ratio(percent), strict),
        members=members,
        present=present,
        issued=present,
        returned=present,
        valid=present,
        invalid=0,
        votes=votes,
        written=written,
    )


THRESHOLDS = [
    # votes of 11, base, percent, strict, members, present → passed, percent shown
    (4, "all", "50", True, 6, 6, True, "66.67"),
    (3, "all", "50", True, 6, 6, False, "50.00"),  # "trên 50%": exactly half is not enough
    (3, "all", "50", False, 6, 6, True, "50.00"),  # "từ 50% trở lên"
    (4, "all", "2/3", False, 6, 6, True, "66.67"),  # "từ 2/3 trở lên"
    (4, "all", "2/3", True, 6, 6, False, "66.67"),  # "trên 2/3"
    (4, "all", "66.67", False, 6, 6, False, "66.67"),  # 4/6 = 66.666…% is below 66.67 %
    (4, "present", "50", True, 6, 5, True, "80.00"),
    (4, "all", "80", False, 6, 5, False, "66.67"),  # absent units count against the base "all"
    (6, "all", "100", False, 6, 6, True, "100.00"),
]


@pytest.mark.parametrize(
    ("votes", "base", "percent", "strict", "members", "present", "passed", "shown"), THRESHOLDS
)
def test_the_threshold_of_the_bloc_decides(
    votes, base, percent, strict, members, present, passed, shown
):
    result = run(
        {11: votes, 12: 0},
        base=base,
        percent=percent,
        strict=strict,
        members=members,
        present=present,
    )
    candidate = result.items[0].candidates[0]
    assert candidate.passed is passed
    assert str(candidate.percent) == shown
    assert candidate.selected is passed


def test_more_passing_candidates_than_places_selects_the_most_voted():
    result = run({21: 6, 22: 5, 23: 5, 24: 4}, items=[MERIT])
    item = result.items[0]
    assert item.selected_ids == [21, 22, 23] and not item.needs_runoff


def test_a_tie_at_the_boundary_selects_none_of_the_tied_and_asks_for_another_round():
    result = run({21: 6, 22: 5, 23: 5, 24: 5}, items=[MERIT])
    item = result.items[0]
    assert item.selected_ids == [21]
    assert item.needs_runoff
    assert [c.tied for c in item.candidates] == [False, True, True, True]


def test_written_opinions_of_absent_units_count_beside_the_box():
    result = run({11: 3, 12: 1}, base="present", present=4, written=[[11], [11, 12]])
    assert result.base == 6 and result.written_opinions == 2
    flag = result.items[0].candidates[0]
    assert (flag.votes, flag.written, flag.total, flag.passed) == (3, 2, 5, True)


def test_a_base_of_zero_passes_nobody_and_says_so():
    result = run({11: 0, 12: 0}, base="present", present=0)
    assert Problem.BASE_ZERO in result.problems
    assert not any(c.passed for c in result.items[0].candidates)


BOX = [
    {"1": [11], "2": [21, 22]},
    {"1": [12], "2": []},
    {"1": [11, 12]},
    {"9": [11]},
    {"2": [21, 21]},
    {},
]


def test_the_box_counts_valid_ballots_and_discards_invalid_ones_whole():
    valid, invalid, votes = count_box(BOX, [FLAG, MERIT])
    assert (valid, invalid) == (3, 3)
    assert votes == {11: 1, 12: 1, 21: 1, 22: 1, 23: 0, 24: 0}


def test_choices_are_stored_sorted_and_with_every_item():
    assert normalise_choices({"2": [23, 21]}, [FLAG, MERIT]) == {"1": [], "2": [21, 23]}
    assert normalise_choices({"1": [99]}, [FLAG]) is None


@pytest.mark.parametrize(
    ("present", "issued", "returned", "valid", "invalid", "votes", "problems"),
    [
        (6, 6, 6, 5, 1, {11: 4, 12: 1}, []),
        (5, 6, 6, 6, 0, {11: 4, 12: 1}, [Problem.ISSUED_ABOVE_PRESENT]),
        (6, 6, 7, 7, 0, {11: 4, 12: 1}, [Problem.RETURNED_ABOVE_ISSUED]),
        (6, 6, 6, 4, 1, {11: 4, 12: 0}, [Problem.VALID_INVALID_NOT_RETURNED]),
        (6, 6, 6, 6, 0, {11: 4, 12: None}, [Problem.VOTES_MISSING]),
        (6, 6, 6, 3, 3, {11: 4, 12: 0}, [Problem.VOTES_ABOVE_VALID]),
        (6, 6, 6, 3, 3, {11: 3, 12: 3}, [Problem.ITEM_VOTES_ABOVE_LIMIT]),
    ],
)
def test_paper_totals_that_do_not_add_up_are_named(
    present, issued, returned, valid, invalid, votes, problems
):
    assert (
        paper_problems(
            present=present,
            issued=issued,
            returned=returned,
            valid=valid,
            invalid=invalid,
            votes=votes,
            items=[FLAG],
        )
        == problems
    )


# Properties -------------------------------------------------------------------------------------

ballot = st.fixed_dictionaries(
    {
        "1": st.lists(st.sampled_from([11, 12]), max_size=2),
        "2": st.lists(st.sampled_from([21, 22, 23, 24, 99]), max_size=4),
    }
)


@settings(max_examples=200, deadline=None)
@given(st.lists(ballot, max_size=12), st.randoms(use_true_random=False))
def test_the_count_does_not_depend_on_the_order_of_the_box(ballots, rnd):
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert count_box(ballots, [FLAG, MERIT]) == count_box(shuffled, [FLAG, MERIT])
    valid, invalid, votes = count_box(ballots, [FLAG, MERIT])
    assert valid + invalid == len(ballots)
    assert all(v <= valid for v in votes.values())


@settings(max_examples=300, deadline=None)
@given(
    members=st.integers(1, 15),
    data=st.data(),
    strict=st.booleans(),
    percent=st.decimals(min_value=Decimal("1"), max_value=100, places=2),
    base=st.sampled_from(["all", "present"]),
)
def test_one_more_vote_never_makes_a_candidate_fail(members, data, strict, percent, base):
    present = data.draw(st.integers(0, members))
    votes = {c: data.draw(st.integers(0, present)) for c in MERIT.candidate_ids}
    ratio = parse_ratio(percent)
    before = tally(
        items=[MERIT],
        threshold=Threshold(base, ratio, strict),
        members=members,
        present=present,
        issued=present,
        returned=present,
        valid=present,
        invalid=0,
        votes=votes,
    )
    target = data.draw(st.sampled_from(MERIT.candidate_ids))
    more = {**votes, target: votes[target] + 1}
    after = tally(
        items=[MERIT],
        threshold=Threshold(base, ratio, strict),
        members=members,
        present=present,
        issued=present,
        returned=present,
        valid=present,
        invalid=0,
        votes=more,
    )
    b = {c.candidate_id: c for c in before.items[0].candidates}
    a = {c.candidate_id: c for c in after.items[0].candidates}
    if b[target].passed:
        assert a[target].passed
    selected = after.items[0].selected_ids
    assert len(selected) <= MERIT.max_choices
    assert all(a[c].passed for c in selected)


@settings(max_examples=200, deadline=None)
@given(
    votes=st.integers(0, 30),
    base=st.integers(1, 30),
    percent=st.decimals(min_value=1, max_value=100, places=2),
)
def test_non_strict_passes_whenever_strict_does_and_they_differ_only_at_the_threshold(
    votes, base, percent
):
    strict = Threshold("all", parse_ratio(percent), True).reached(votes, base)
    loose = Threshold("all", parse_ratio(percent), False).reached(votes, base)
    assert loose or not strict
    if loose != strict:
        assert Decimal(votes) * 100 == percent * base


@pytest.mark.parametrize(
    ("text", "ratio", "shown"),
    [
        ("50", "1/2", "50%"),
        ("2/3", "2/3", "2/3"),
        ("66,5%", "133/200", "66,5%"),
        ("80 %", "4/5", "80%"),
        ("0", None, None),
        ("101", None, None),
        ("3/2", None, None),
        ("hai phần ba", None, None),
        ("1/0", None, None),
    ],
)
def test_thresholds_read_as_regulations_write_them(text, ratio, shown):
    from fractions import Fraction

    parsed = parse_ratio(text)
    assert parsed == (Fraction(ratio) if ratio else None)
    if parsed is not None:
        assert ratio_text(parsed) == shown
