import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blocs.rules import (
    ChairProposal,
    Problem,
    chair_term_problems,
    handover_problems,
    membership_problems,
    name_for_year,
    propose_next_chair,
    removal_problems,
)


@pytest.mark.parametrize(
    ("chair", "vice", "members", "exists", "expected"),
    [
        (1, 2, {1, 2, 3}, False, []),
        (1, None, {1, 2}, False, []),
        (1, 1, {1, 2}, False, [Problem.CHAIR_IS_VICE_CHAIR]),
        (9, 2, {1, 2}, False, [Problem.CHAIR_NOT_MEMBER]),
        (1, 9, {1, 2}, False, [Problem.VICE_CHAIR_NOT_MEMBER]),
        (1, 2, {1, 2}, True, [Problem.TERM_EXISTS]),
        (
            9,
            9,
            set(),
            True,
            [Problem.TERM_EXISTS, Problem.CHAIR_NOT_MEMBER, Problem.CHAIR_IS_VICE_CHAIR],
        ),
    ],
)
def test_chair_term_problems(chair, vice, members, exists, expected):
    assert (
        chair_term_problems(chair=chair, vice_chair=vice, members=members, term_exists=exists)
        == expected
    )


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, []),
        ({"other_blocs_same_authority": [7]}, [Problem.MEMBER_OF_OTHER_BLOC]),
        ({"other_blocs_same_authority": [7], "authority_allows_multiple": True}, []),
        ({"already_member": True}, [Problem.ALREADY_MEMBER]),
        ({"unit_authority": 2}, [Problem.OTHER_AUTHORITY]),
        ({"unit_merged_before_year": True}, [Problem.UNIT_MERGED]),
    ],
)
def test_membership_problems(kwargs, expected):
    base = {
        "unit_authority": 1,
        "bloc_authority": 1,
        "already_member": False,
        "other_blocs_same_authority": [],
        "authority_allows_multiple": False,
        "unit_merged_before_year": False,
    }
    assert membership_problems(**(base | kwargs)) == expected


def test_a_chair_cannot_leave_without_a_new_election():
    assert removal_problems(unit=1, chair=1, vice_chair=2) == [Problem.MEMBER_HOLDS_OFFICE]
    assert removal_problems(unit=2, chair=1, vice_chair=2) == [Problem.MEMBER_HOLDS_OFFICE]
    assert removal_problems(unit=3, chair=1, vice_chair=2) == []


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, []),
        ({"from_unit": 2}, [Problem.HANDOVER_SAME_UNIT, Problem.HANDOVER_NOT_FROM_PREVIOUS_CHAIR]),
        ({"to_unit": 3}, [Problem.HANDOVER_NOT_TO_CHAIR]),
        ({"from_unit": 4}, [Problem.HANDOVER_NOT_FROM_PREVIOUS_CHAIR]),
        ({"from_unit": None}, []),
        ({"previous_chair": None, "from_unit": 4}, []),
        ({"handover_year": 2024}, []),
        ({"handover_year": 2023}, [Problem.HANDOVER_DATE_OUTSIDE_TERM]),
        ({"handover_year": 2026}, [Problem.HANDOVER_DATE_OUTSIDE_TERM]),
    ],
)
def test_handover_problems(kwargs, expected):
    base = {
        "from_unit": 1,
        "to_unit": 2,
        "chair": 2,
        "previous_chair": 1,
        "handover_year": 2025,
        "term_year": 2025,
    }
    assert handover_problems(**(base | kwargs)) == expected


@pytest.mark.parametrize(
    ("rule", "chair", "vice", "members", "expected"),
    [
        ("vice_chair", 1, 2, [1, 2, 3], ChairProposal(2, 3)),
        ("vice_chair", 1, 3, [1, 2, 3], ChairProposal(3, 1)),
        ("vice_chair", 1, None, [1, 2, 3], ChairProposal(2, 3)),
        ("vice_chair", 1, 9, [1, 2, 3], ChairProposal(2, 3)),  # vice-chair left the bloc
        ("member_order", 1, 3, [1, 2, 3], ChairProposal(2, 3)),
        ("member_order", 3, 1, [1, 2, 3], ChairProposal(1, 2)),
        ("election", 1, 2, [1, 2, 3], ChairProposal(None, None)),
        ("vice_chair", 1, 2, [], ChairProposal(None, None)),
        ("vice_chair", 1, 2, [2], ChairProposal(2, None)),
        ("vice_chair", None, None, [4, 5], ChairProposal(None, None)),
        ("member_order", None, None, [4, 5], ChairProposal(None, None)),
        ("vice_chair", None, 5, [4, 5], ChairProposal(5, 4)),
    ],
)
def test_propose_next_chair(rule, chair, vice, members, expected):
    assert (
        propose_next_chair(rule=rule, chair=chair, vice_chair=vice, next_members=members)
        == expected
    )


def test_unknown_rotation_rule_is_an_error():
    with pytest.raises(ValueError):
        propose_next_chair(rule="lottery", chair=1, vice_chair=2, next_members=[1, 2])


@given(
    rule=st.sampled_from(["vice_chair", "member_order"]),
    members=st.lists(st.integers(1, 50), min_size=1, max_size=12, unique=True),
    chair=st.integers(1, 50),
    vice=st.one_of(st.none(), st.integers(1, 50)),
)
def test_proposals_are_distinct_members_of_next_year(rule, members, chair, vice):
    proposal = propose_next_chair(rule=rule, chair=chair, vice_chair=vice, next_members=members)
    assert proposal.chair in members
    assert proposal.vice_chair is None or proposal.vice_chair in members
    assert proposal.chair != proposal.vice_chair
    if len(members) > 1:
        assert proposal.vice_chair is not None


NAMES = [
    ("Sở Lao động - Thương binh và Xã hội", "", None, dt.date(2025, 2, 28)),
    ("Sở Nội vụ", "", dt.date(2025, 3, 1), None),
]


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2023, "Sở Lao động - Thương binh và Xã hội"), (2025, "Sở Nội vụ"), (2026, "Sở Nội vụ")],
)
def test_name_for_year_keeps_the_old_name_for_old_years(year, expected):
    assert name_for_year(NAMES, year, "fallback") == expected


def test_name_for_year_falls_back_without_names():
    assert name_for_year([], 2023, "Tên hiện tại") == "Tên hiện tại"
