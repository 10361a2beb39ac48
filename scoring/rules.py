"""Questions about one score cell, one report and one criteria table, answered without Django.

- ``read_points``: what an officer typed in a score cell, read as a ``Decimal``. Vietnamese
  offices write a decimal comma ("7,5"); a browser's number field sends a dot ("7.5"): both are
  read. A dot with a comma ("1.000,5") is read the Vietnamese way. Blank means "not scored yet".
  On a deduction line (điểm trừ) the points taken off may be written "3" or "−3": both mean 3
  points off and are kept as 3. Elsewhere a negative number is refused.
- ``tree_order``: the criteria tree in reading order with each node's path ("I.1.a"), its
  top-level group and whether it is a leaf.
- ``report_gaps``: which leaves a report has not scored and which required evidence is missing.
- ``verified_points``: the verified value of a cell: the secretariat's, else (cross-scoring) the
  mean of the member units' scores rounded half up to 0.01.
- the allowed transitions of a reporting period and of a unit report.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from scoring.ranking import DEDUCTION

MAX_DECIMALS = 2
_MINUS_SIGNS = "−–‐‑"  # typographic minus and dashes pasted from Word


class PointsProblem(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    TOO_MANY_DECIMALS = "too_many_decimals"
    NEGATIVE = "negative"
    ABOVE_MAX = "above_max"


@dataclass(frozen=True)
class PointsReading:
    points: Decimal | None  # None: blank (not scored)
    problem: PointsProblem | None = None


def _to_decimal(raw) -> Decimal | None:
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Decimal(raw)
    if not isinstance(raw, str):
        raise InvalidOperation
    text = "".join(raw.split())  # spaces, including a non-breaking one
    for sign in _MINUS_SIGNS:
        text = text.replace(sign, "-")
    if not text:
        return None
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation
    return value


def read_points(raw, *, max_points: Decimal, kind: str) -> PointsReading:
    """The points of a cell, or the first problem with them."""
    try:
        value = _to_decimal(raw)
    except (InvalidOperation, ValueError):
        return PointsReading(None, PointsProblem.NOT_A_NUMBER)
    if value is None:
        return PointsReading(None)
    if value.as_tuple().exponent < -MAX_DECIMALS:
        return PointsReading(None, PointsProblem.TOO_MANY_DECIMALS)
    if value < 0:
        if kind != DEDUCTION:
            return PointsReading(None, PointsProblem.NEGATIVE)
        value = -value
    if value > max_points:
        return PointsReading(None, PointsProblem.ABOVE_MAX)
    return PointsReading(value + 0)  # + 0 turns -0 into 0


# The criteria tree --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    code: str
    position: int
    is_leaf: bool


@dataclass(frozen=True)
class PlacedNode:
    id: int
    path: str  # "I.1.a"
    group: str  # the top-level code, "I"
    depth: int  # 0 for a group
    is_leaf: bool


def tree_order(nodes: Iterable[Node]) -> list[PlacedNode]:
    """Depth-first, siblings by position then id. Orphans (a parent not given) are left out."""
    children: dict[int | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.position, n.id))
    placed = []

    def walk(parent_id, prefix, group, depth):
        for node in children.get(parent_id, []):
            path = f"{prefix}.{node.code}" if prefix else node.code
            top = group or node.code
            placed.append(PlacedNode(node.id, path, top, depth, node.is_leaf))
            walk(node.id, path, top, depth + 1)

    walk(None, "", "", 0)
    return placed


# A report's completeness --------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    id: int
    path: str
    evidence_required: bool


@dataclass(frozen=True)
class Gaps:
    unscored: tuple[str, ...]  # paths of the leaves without points
    evidence_missing: tuple[str, ...]  # paths of the leaves that need evidence and have none

    def __bool__(self):
        return bool(self.unscored or self.evidence_missing)


def report_gaps(leaves: Iterable[Leaf], *, scored_ids: set[int], evidence_ids: set[int]) -> Gaps:
    leaves = list(leaves)
    return Gaps(
        unscored=tuple(leaf.path for leaf in leaves if leaf.id not in scored_ids),
        evidence_missing=tuple(
            leaf.path for leaf in leaves if leaf.evidence_required and leaf.id not in evidence_ids
        ),
    )


# Verified values ----------------------------------------------------------------------------------


def verified_points(secretariat: Decimal | None, cross: Iterable[Decimal]) -> Decimal | None:
    """The secretariat's score when there is one, else the mean of the cross scores (half up,
    0.01), else None."""
    if secretariat is not None:
        return Decimal(secretariat)
    cross = [Decimal(points) for points in cross]
    if not cross:
        return None
    return (sum(cross) / len(cross)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def needs_reason(verified: Decimal, self_points: Decimal | None) -> bool:
    """A verified score different from the self score must say why."""
    return self_points is None or Decimal(verified) != Decimal(self_points)


# Workflows ----------------------------------------------------------------------------------------

PERIOD_TRANSITIONS = {
    "draft": {"open"},
    "open": {"closed"},
    "closed": {"open", "published"},  # reopened for a late unit, or published
    "published": set(),
}

REPORT_TRANSITIONS = {
    "draft": {"submitted"},
    "returned": {"submitted"},
    "submitted": {"returned", "accepted"},
    "accepted": {"returned"},
}


def may_move(transitions: dict, from_state: str, to_state: str) -> bool:
    return to_state in transitions.get(from_state, set())
