"""The rules of blocs, memberships and chair terms. Pure: plain values in, findings out.

Findings are codes; services turn them into Vietnamese messages. No Django import, no clock.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Problem(StrEnum):
    CHAIR_NOT_MEMBER = "chair_not_member"
    VICE_CHAIR_NOT_MEMBER = "vice_chair_not_member"
    CHAIR_IS_VICE_CHAIR = "chair_is_vice_chair"
    TERM_EXISTS = "term_exists"
    ALREADY_MEMBER = "already_member"
    MEMBER_OF_OTHER_BLOC = "member_of_other_bloc"
    UNIT_MERGED = "unit_merged"
    OTHER_AUTHORITY = "other_authority"
    HANDOVER_SAME_UNIT = "handover_same_unit"
    HANDOVER_NOT_TO_CHAIR = "handover_not_to_chair"
    HANDOVER_NOT_FROM_PREVIOUS_CHAIR = "handover_not_from_previous_chair"
    HANDOVER_DATE_OUTSIDE_TERM = "handover_date_outside_term"
    MEMBER_HOLDS_OFFICE = "member_holds_office"


def chair_term_problems(
    *,
    chair: int,
    vice_chair: int | None,
    members: Sequence[int] | set[int],
    term_exists: bool,
) -> list[Problem]:
    """Chair and vice-chair are distinct members of that year; one term per bloc-year."""
    problems = []
    member_set = set(members)
    if term_exists:
        problems.append(Problem.TERM_EXISTS)
    if chair not in member_set:
        problems.append(Problem.CHAIR_NOT_MEMBER)
    if vice_chair is not None:
        if vice_chair == chair:
            problems.append(Problem.CHAIR_IS_VICE_CHAIR)
        elif vice_chair not in member_set:
            problems.append(Problem.VICE_CHAIR_NOT_MEMBER)
    return problems


def membership_problems(
    *,
    unit_authority: int,
    bloc_authority: int,
    already_member: bool,
    other_blocs_same_authority: Sequence[int],
    authority_allows_multiple: bool,
    unit_merged_before_year: bool,
) -> list[Problem]:
    """A unit belongs to at most one bloc per authority per year unless the authority allows more."""
    problems = []
    if unit_authority != bloc_authority:
        problems.append(Problem.OTHER_AUTHORITY)
    if already_member:
        problems.append(Problem.ALREADY_MEMBER)
    if other_blocs_same_authority and not authority_allows_multiple:
        problems.append(Problem.MEMBER_OF_OTHER_BLOC)
    if unit_merged_before_year:
        problems.append(Problem.UNIT_MERGED)
    return problems


def removal_problems(*, unit: int, chair: int | None, vice_chair: int | None) -> list[Problem]:
    """A unit that holds the chair or vice-chair that year cannot simply leave: elect anew first."""
    if unit in {chair, vice_chair}:
        return [Problem.MEMBER_HOLDS_OFFICE]
    return []


def handover_problems(
    *,
    from_unit: int | None,
    to_unit: int,
    chair: int,
    previous_chair: int | None,
    handover_year: int,
    term_year: int,
) -> list[Problem]:
    """The rotating flag passes from last year's chair to this term's chair, at the previous
    year-end conference or during the term's own year."""
    problems = []
    if from_unit is not None and from_unit == to_unit:
        problems.append(Problem.HANDOVER_SAME_UNIT)
    if to_unit != chair:
        problems.append(Problem.HANDOVER_NOT_TO_CHAIR)
    if previous_chair is not None and from_unit is not None and from_unit != previous_chair:
        problems.append(Problem.HANDOVER_NOT_FROM_PREVIOUS_CHAIR)
    if handover_year not in (term_year - 1, term_year):
        problems.append(Problem.HANDOVER_DATE_OUTSIDE_TERM)
    return problems


@dataclass(frozen=True)
class ChairProposal:
    chair: int | None
    vice_chair: int | None


def propose_next_chair(
    *,
    rule: str,
    chair: int | None,
    vice_chair: int | None,
    next_members: Sequence[int],
) -> ChairProposal:
    """Who the rotation rule proposes for next year; members are given in the bloc's order.

    - ``vice_chair``: this year's vice-chair chairs next year; the vice-chair after that is the
      member following the new chair in order.
    - ``member_order``: the chair passes to the next member in order.
    - ``election``: no proposal; the conference elects freely.
    Proposals are only ever members of next year; anything else yields None.
    """
    members = list(dict.fromkeys(next_members))
    if not members or rule == "election" or (chair is None and vice_chair is None):
        # Nothing to rotate from: a first election is the conference's free choice.
        return ChairProposal(None, None)

    def following(unit: int | None) -> int | None:
        if unit not in members:
            return members[0]
        index = members.index(unit)
        return members[(index + 1) % len(members)]

    if rule == "vice_chair":
        next_chair = vice_chair if vice_chair in members else following(chair)
    elif rule == "member_order":
        next_chair = following(chair)
    else:
        raise ValueError(f"unknown rotation rule {rule!r}")
    next_vice = following(next_chair)
    if next_vice == next_chair:
        next_vice = None
    return ChairProposal(next_chair, next_vice)


def name_for_year(
    names: Sequence[tuple[str, str, object, object]], year: int, fallback: str
) -> str:
    """The name a unit carried in a year: (full_name, short_name, valid_from, valid_until) rows.

    A name counts for a year when its validity overlaps that year; the latest-starting one wins,
    so a year that saw a rename shows the name the unit ended the year with.
    """
    best = None
    for full_name, _short, valid_from, valid_until in names:
        starts = valid_from.year if valid_from else -1
        ends = valid_until.year if valid_until else 10_000
        if starts <= year <= ends and (best is None or starts >= best[0]):
            best = (starts, full_name)
    return best[1] if best else fallback


# Facts of a unit-year ----------------------------------------------------------------------------


class FactsProblem(StrEnum):
    COUNT_ABOVE_HEADCOUNT = "count_above_headcount"
    COUNT_WITHOUT_HEADCOUNT = "count_without_headcount"


FACT_COUNTS = (
    "women",
    "completed_tasks",
    "advanced_workers",
    "emulation_fighters",
    "disciplined_warning_or_above",
)


def facts_problems(*, headcount: int | None, **counts: int | None) -> dict[str, FactsProblem]:
    """Field → problem for counts that cannot be right: more people than the unit has, or a count
    given while the headcount it is a share of is blank."""
    problems = {}
    for name, value in counts.items():
        if value is None:
            continue
        if headcount is None:
            problems[name] = FactsProblem.COUNT_WITHOUT_HEADCOUNT
        elif value > headcount:
            problems[name] = FactsProblem.COUNT_ABOVE_HEADCOUNT
    return problems


def veto_in_force(*, recorded_on, lifted_on, on) -> bool:
    """A veto condition bars commendation from the day it is recorded until the day it is lifted.

    ``on`` is the day the question is asked (the review, the proposal, the council's vote).
    """
    return recorded_on <= on and (lifted_on is None or lifted_on > on)
