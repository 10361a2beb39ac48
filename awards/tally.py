"""The count of a secret ballot (Biên bản kiểm phiếu). Pure: totals in, results out; no Django.

Online, the ballots are read from the box (``count_box``); on paper, the counting committee
(Ban kiểm phiếu) gives the totals, which ``paper_problems`` checks for consistency. ``tally``
then computes, per candidate, the votes and their percentage of the base (all member units, or
those taking part) and whether the bloc's threshold is reached (strictly above, or at least).
When more candidates pass than may be proposed, the most voted are selected; a tie at the
boundary selects none of the tied and asks for another round: never an arbitrary order.

An absent unit may send a written opinion; when the secretariat records which candidates it
agrees with, those count beside the box as ``written`` votes (they are not secret by nature).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction


class Base(StrEnum):
    ALL = "all"
    PRESENT = "present"


class Problem(StrEnum):
    ISSUED_ABOVE_PRESENT = "issued_above_present"
    RETURNED_ABOVE_ISSUED = "returned_above_issued"
    VALID_INVALID_NOT_RETURNED = "valid_invalid_not_returned"
    VOTES_MISSING = "votes_missing"
    VOTES_ABOVE_VALID = "votes_above_valid"
    ITEM_VOTES_ABOVE_LIMIT = "item_votes_above_limit"
    BASE_ZERO = "base_zero"


def parse_ratio(text) -> Fraction | None:
    """A threshold as regulations write it: a percentage ("50", "66,5", "80%") or a fraction
    ("2/3"). None when it is not one, or not above 0 and at most 1."""
    raw = str(text or "").strip().replace(" ", "").removesuffix("%").replace(",", ".")
    try:
        if "/" in raw:
            top, bottom = raw.split("/", 1)
            ratio = Fraction(int(top), int(bottom))
        else:
            ratio = Fraction(Decimal(raw)) / 100
    except (ValueError, ZeroDivisionError, ArithmeticError):
        return None
    return ratio if 0 < ratio <= 1 else None


def ratio_text(ratio: Fraction) -> str:
    """ "2/3" for a fraction that is not a round percentage, else "50%" / "66,5%"."""
    percent = ratio * 100
    if percent.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100):
        value = Decimal(percent.numerator) / Decimal(percent.denominator)
        return format(value.normalize(), "f").replace(".", ",") + "%"
    return f"{ratio.numerator}/{ratio.denominator}"


@dataclass(frozen=True)
class Threshold:
    base: str
    ratio: Fraction
    strict: bool

    def reached(self, votes: int, base: int) -> bool:
        if base <= 0:
            return False
        share = Fraction(votes, base)
        return share > self.ratio if self.strict else share >= self.ratio


@dataclass(frozen=True)
class Item:
    id: int
    max_choices: int
    candidate_ids: tuple[int, ...]


@dataclass(frozen=True)
class CandidateResult:
    candidate_id: int
    votes: int
    written: int
    total: int
    percent: Decimal
    passed: bool
    selected: bool
    tied: bool


@dataclass(frozen=True)
class ItemResult:
    item_id: int
    max_choices: int
    candidates: tuple[CandidateResult, ...]
    needs_runoff: bool

    @property
    def selected_ids(self) -> list[int]:
        return [c.candidate_id for c in self.candidates if c.selected]


@dataclass(frozen=True)
class Tally:
    members: int
    present: int
    base: int
    issued: int
    returned: int
    valid: int
    invalid: int
    written_opinions: int
    threshold: Threshold
    items: tuple[ItemResult, ...]
    problems: tuple[Problem, ...]


def normalise_choices(choices: Mapping, items: Iterable[Item]) -> dict[str, list[int]] | None:
    """A ballot's choices as stored in the box ({item id: sorted candidate ids}), or None when
    the ballot is not valid: an unknown item or candidate, a candidate twice, or more agreed
    candidates than the item allows."""
    by_id = {str(item.id): item for item in items}
    clean: dict[str, list[int]] = {key: [] for key in by_id}
    for key, chosen in (choices or {}).items():
        item = by_id.get(str(key))
        if item is None:
            return None
        chosen = list(chosen)
        if len(set(chosen)) != len(chosen) or len(chosen) > item.max_choices:
            return None
        if not set(chosen) <= set(item.candidate_ids):
            return None
        clean[str(key)] = sorted(chosen)
    return clean


def count_box(ballots: Iterable[Mapping], items: Iterable[Item]) -> tuple[int, int, dict[int, int]]:
    """(valid, invalid, votes per candidate) of the ballots in the box. An invalid ballot gives
    no vote at all, as on paper."""
    items = list(items)
    votes = {c: 0 for item in items for c in item.candidate_ids}
    valid = invalid = 0
    for ballot in ballots:
        clean = normalise_choices(ballot, items)
        if clean is None:
            invalid += 1
            continue
        valid += 1
        for chosen in clean.values():
            for candidate in chosen:
                votes[candidate] += 1
    return valid, invalid, votes


def paper_problems(
    *,
    present: int,
    issued: int,
    returned: int,
    valid: int,
    invalid: int,
    votes: Mapping[int, int | None],
    items: Iterable[Item],
) -> list[Problem]:
    """What does not add up in the counting committee's totals."""
    problems = []
    if issued > present:
        problems.append(Problem.ISSUED_ABOVE_PRESENT)
    if returned > issued:
        problems.append(Problem.RETURNED_ABOVE_ISSUED)
    if valid + invalid != returned:
        problems.append(Problem.VALID_INVALID_NOT_RETURNED)
    items = list(items)
    counts = [votes.get(c) for item in items for c in item.candidate_ids]
    if any(v is None for v in counts):
        problems.append(Problem.VOTES_MISSING)
    elif any(v > valid for v in counts):
        problems.append(Problem.VOTES_ABOVE_VALID)
    elif any(
        sum(votes[c] for c in item.candidate_ids) > valid * item.max_choices for item in items
    ):
        problems.append(Problem.ITEM_VOTES_ABOVE_LIMIT)
    return problems


def _percent(votes: int, base: int) -> Decimal:
    if base <= 0:
        return Decimal("0.00")
    return (Decimal(votes) * 100 / Decimal(base)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _item_result(item: Item, votes, written, base: int, threshold: Threshold) -> ItemResult:
    rows = []
    for candidate in item.candidate_ids:
        box, extra = votes.get(candidate, 0) or 0, written.get(candidate, 0)
        total = box + extra
        rows.append((candidate, box, extra, total, threshold.reached(total, base)))
    passed = sorted((r for r in rows if r[4]), key=lambda r: -r[3])
    selected, tied = set(), set()
    if len(passed) <= item.max_choices:
        selected = {r[0] for r in passed}
    else:
        boundary = passed[item.max_choices - 1][3]
        above = [r for r in passed if r[3] > boundary]
        at = [r for r in passed if r[3] == boundary]
        selected = {r[0] for r in above}
        if len(above) + len(at) <= item.max_choices:
            selected |= {r[0] for r in at}
        else:
            tied = {r[0] for r in at}
    return ItemResult(
        item_id=item.id,
        max_choices=item.max_choices,
        candidates=tuple(
            CandidateResult(
                candidate_id=candidate,
                votes=box,
                written=extra,
                total=total,
                percent=_percent(total, base),
                passed=ok,
                selected=candidate in selected,
                tied=candidate in tied,
            )
            for candidate, box, extra, total, ok in rows
        ),
        needs_runoff=bool(tied),
    )


def tally(
    *,
    items: Iterable[Item],
    threshold: Threshold,
    members: int,
    present: int,
    issued: int,
    returned: int,
    valid: int,
    invalid: int,
    votes: Mapping[int, int | None],
    written: Iterable[Iterable[int]] = (),
    problems: Iterable[Problem] = (),
) -> Tally:
    """The result of a ballot. ``written`` holds, for each absent unit whose written opinion is
    counted, the candidates it agrees with."""
    written = [list(w) for w in written]
    written_votes: dict[int, int] = {}
    for opinion in written:
        for candidate in set(opinion):
            written_votes[candidate] = written_votes.get(candidate, 0) + 1
    base = members if threshold.base == Base.ALL else present + len(written)
    problems = list(problems)
    if base <= 0:
        problems.append(Problem.BASE_ZERO)
    return Tally(
        members=members,
        present=present,
        base=base,
        issued=issued,
        returned=returned,
        valid=valid,
        invalid=invalid,
        written_opinions=len(written),
        threshold=threshold,
        items=tuple(_item_result(item, votes, written_votes, base, threshold) for item in items),
        problems=tuple(problems),
    )
