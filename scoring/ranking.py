"""How the units of a bloc-year rank: totals, the tie-break chain, veto conditions, and a
reproducible record of it all.

Pure: no Django, no clock, no database. Plain dataclasses in, plain dataclasses out, ``Decimal``
throughout (never ``float``).

- **Totals** (DOMAIN §3): base (regular leaves) + bonus (điểm thưởng) − deductions (điểm trừ).
  The total may exceed the nominal maximum — 97 + 10 bonus = 107 is valid — and is capped at the
  table's ``base_points`` only when the table says so (``capped``). Deduction points are the
  number of points taken off, never negative.
- **Order**: by total, highest first; then by the bloc's tie-break chain, a list of rule codes
  stored as data:

  * ``group:<code>`` — the higher score in that top-level group of the table (the group's
    contribution to the total: its regular and bonus points less its deductions);
  * ``fewer_deductions`` — fewer points deducted;
  * ``women_70`` — the statutory preference for a collective with at least 70 % women
    (Nghị định 152/2025/NĐ-CP, Điều 4); an unknown share gets no preference.

  Units still equal after the whole chain **share a rank** (đồng hạng), which the ballot settles:
  never alphabetical order, never the unit's id. Ranks are competition ranks: two units sharing
  rank 2 are followed by rank 4. Within a shared rank the list is in unit-id order only so that
  the bytes are stable; that order means nothing and the ``shared`` flag says so.
- **Veto conditions** (discipline, investigation, a complaint being handled): a unit with reasons
  is either ranked with a flag and not eligible for awards (``rank_with_flag``) or left out of the
  ranks and listed apart with its reasons (``remove``), as the bloc-year's setting says.
- **Record**: ``rank_bloc`` returns the inputs, the rules and the result as plain JSON documents and
  a SHA-256 over their canonical serialisation (sorted keys, no spaces, decimals as normalised
  strings, units in id order): the same inputs in any order give the same bytes and the same hash.
  ``rerank`` recomputes a record from its stored documents.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import ROUND_FLOOR, Decimal

REGULAR = "regular"
BONUS = "bonus"
DEDUCTION = "deduction"
KINDS = (REGULAR, BONUS, DEDUCTION)

RANK_WITH_FLAG = "rank_with_flag"
REMOVE = "remove"
VETOED_MODES = (RANK_WITH_FLAG, REMOVE)

GROUP_PREFIX = "group:"
FEWER_DEDUCTIONS = "fewer_deductions"
WOMEN_70 = "women_70"
WOMEN_PREFERENCE_SHARE = Decimal(70)
DEFAULT_TIE_BREAK = (FEWER_DEDUCTIONS, WOMEN_70)

ZERO = Decimal(0)


# Totals -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeafScore:
    """The points one unit has on one leaf of the criteria table."""

    code: str  # the leaf's path in the table, e.g. "I.1.a": unique within the table
    group: str  # the code of the top-level group it belongs to, e.g. "I"
    kind: str  # REGULAR, BONUS or DEDUCTION
    points: Decimal  # for a deduction: the points taken off (>= 0)


@dataclass(frozen=True)
class Totals:
    base: Decimal
    bonus: Decimal
    deductions: Decimal
    total: Decimal
    groups: dict[str, Decimal] = field(default_factory=dict)
    capped: bool = False  # True when the cap actually lowered the total


def unit_totals(
    scores: Iterable[LeafScore], *, capped: bool = False, base_points: Decimal | None = None
) -> Totals:
    """base + bonus − deductions, and each group's contribution; capped at ``base_points`` only
    when ``capped`` is set."""
    base = bonus = deductions = ZERO
    groups: dict[str, Decimal] = {}
    for score in scores:
        points = Decimal(score.points)
        if score.kind == REGULAR:
            base += points
            signed = points
        elif score.kind == BONUS:
            bonus += points
            signed = points
        elif score.kind == DEDUCTION:
            if points < 0:
                raise ValueError(f"deduction points must be >= 0, got {points} on {score.code}")
            deductions += points
            signed = -points
        else:
            raise ValueError(f"unknown kind {score.kind!r} on {score.code}")
        groups[score.group] = groups.get(score.group, ZERO) + signed
    total = base + bonus - deductions
    lowered = False
    if capped:
        if base_points is None:
            raise ValueError("a capped table needs its base_points")
        if total > base_points:
            total, lowered = Decimal(base_points), True
    return Totals(base, bonus, deductions, total, groups, lowered)


def women_share(women: int | None, headcount: int | None) -> Decimal | None:
    """Women as a percentage of the headcount, rounded DOWN to 0.01 (so rounding can never earn
    the 70 % preference); None when either figure is missing or the headcount is 0."""
    if women is None or not headcount:
        return None
    return (Decimal(women) * 100 / Decimal(headcount)).quantize(
        Decimal("0.01"), rounding=ROUND_FLOOR
    )


# Ranking ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitInput:
    unit_id: int
    name: str
    total: Decimal
    groups: dict[str, Decimal] = field(default_factory=dict)
    deductions: Decimal = ZERO
    women_share: Decimal | None = None  # percent, 0–100
    veto_reasons: tuple[str, ...] = ()

    @property
    def vetoed(self) -> bool:
        return bool(self.veto_reasons)


@dataclass(frozen=True)
class RankedUnit:
    unit_id: int
    name: str
    rank: int
    shared: bool  # đồng hạng: another unit has the same rank
    total: Decimal
    vetoed: bool
    veto_reasons: tuple[str, ...]
    eligible: bool  # may be proposed for an award (not vetoed)
    # The rule that put this unit below the one listed before it, when their totals are equal
    # (None when the total decided, or for the first unit, or within a shared rank).
    decided_by: str | None = None


@dataclass(frozen=True)
class RemovedUnit:
    unit_id: int
    name: str
    total: Decimal
    veto_reasons: tuple[str, ...]


@dataclass(frozen=True)
class RankingResult:
    entries: tuple[RankedUnit, ...]
    removed: tuple[RemovedUnit, ...] = ()


def rule_problems(rules: Iterable[str]) -> list[str]:
    """What is wrong with a tie-break chain (codes, in English, for the caller to word): unknown
    rules, empty group codes, repeated rules. An empty list when the chain is usable."""
    problems = []
    seen = set()
    for rule in rules:
        if not isinstance(rule, str):
            problems.append(f"not a rule code: {rule!r}")
            continue
        if rule in seen:
            problems.append(f"repeated: {rule}")
        seen.add(rule)
        if rule.startswith(GROUP_PREFIX):
            if not rule[len(GROUP_PREFIX) :].strip():
                problems.append(f"group without a code: {rule}")
        elif rule not in (FEWER_DEDUCTIONS, WOMEN_70):
            problems.append(f"unknown: {rule}")
    return problems


def _rule_key(rule: str, unit: UnitInput) -> Decimal:
    """Higher is better."""
    if rule.startswith(GROUP_PREFIX):
        return Decimal(unit.groups.get(rule[len(GROUP_PREFIX) :], ZERO))
    if rule == FEWER_DEDUCTIONS:
        return -Decimal(unit.deductions)
    if rule == WOMEN_70:
        share = unit.women_share
        return Decimal(1) if share is not None and share >= WOMEN_PREFERENCE_SHARE else ZERO
    raise ValueError(f"unknown tie-break rule {rule!r}")


def rank_units(
    units: Iterable[UnitInput], rules: Iterable[str], vetoed_mode: str = RANK_WITH_FLAG
) -> RankingResult:
    """The ranked units (and those removed for a veto condition, when the mode says so)."""
    units = list(units)
    rules = tuple(rules)
    if problems := rule_problems(rules):
        raise ValueError("; ".join(problems))
    if vetoed_mode not in VETOED_MODES:
        raise ValueError(f"unknown vetoed mode {vetoed_mode!r}")
    if len({u.unit_id for u in units}) != len(units):
        raise ValueError("a unit appears twice")
    removed = ()
    if vetoed_mode == REMOVE:
        removed = tuple(
            RemovedUnit(u.unit_id, u.name, Decimal(u.total), tuple(u.veto_reasons))
            for u in sorted((u for u in units if u.vetoed), key=lambda u: u.unit_id)
        )
        units = [u for u in units if not u.vetoed]

    keys = {u.unit_id: (Decimal(u.total), *(_rule_key(rule, u) for rule in rules)) for u in units}
    # Best key first; the unit id orders a shared rank for stable bytes only.
    ordered = sorted(units, key=lambda u: u.unit_id)
    ordered.sort(key=lambda u: keys[u.unit_id], reverse=True)
    count_of_key: dict[tuple, int] = {}
    for key in keys.values():
        count_of_key[key] = count_of_key.get(key, 0) + 1

    entries = []
    rank = 0
    above = None  # the key of the unit listed before
    for position, unit in enumerate(ordered, start=1):
        key = keys[unit.unit_id]
        decided_by = None
        if key != above:
            rank = position
            if above is not None and key[0] == above[0]:
                decided_by = next(rules[i - 1] for i in range(1, len(key)) if key[i] != above[i])
        entries.append(
            RankedUnit(
                unit_id=unit.unit_id,
                name=unit.name,
                rank=rank,
                shared=count_of_key[key] > 1,
                total=Decimal(unit.total),
                vetoed=unit.vetoed,
                veto_reasons=tuple(unit.veto_reasons),
                eligible=not unit.vetoed,
                decided_by=decided_by,
            )
        )
        above = key
    return RankingResult(entries=tuple(entries), removed=removed)


# The whole computation, recorded ------------------------------------------------------------------


@dataclass(frozen=True)
class UnitScores:
    """What the ranking knows of one unit: its leaf scores, its women share, its veto reasons."""

    unit_id: int
    name: str
    leaves: tuple[LeafScore, ...]
    women_share: Decimal | None = None
    veto_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class RankingRecord:
    inputs: dict
    rules: dict
    result: dict
    sha256: str
    ranking: RankingResult


def rank_bloc(
    units: Iterable[UnitScores],
    *,
    tie_break: Iterable[str],
    vetoed_mode: str,
    capped: bool = False,
    base_points: Decimal | None = None,
    not_ranked: Iterable[tuple[int, str, str]] = (),
    about: dict | None = None,
) -> RankingRecord:
    """Totals, ranking and the canonical record of both, from the units' leaf scores.

    ``not_ranked``: (unit id, name, why) of the members that could not be ranked (no accepted
    report), carried into the record; ``about``: what the ranking is of (bloc, year, table
    version …), recorded with the inputs and covered by the hash."""
    units = sorted(units, key=lambda u: u.unit_id)
    tie_break = list(tie_break)
    inputs_of_rank = []
    for unit in units:
        totals = unit_totals(unit.leaves, capped=capped, base_points=base_points)
        inputs_of_rank.append(
            UnitInput(
                unit_id=unit.unit_id,
                name=unit.name,
                total=totals.total,
                groups=totals.groups,
                deductions=totals.deductions,
                women_share=unit.women_share,
                veto_reasons=tuple(unit.veto_reasons),
            )
        )
    ranking = rank_units(inputs_of_rank, tie_break, vetoed_mode)
    totals_by_unit = {u.unit_id: u for u in inputs_of_rank}

    not_ranked = [
        {"unit_id": unit_id, "name": name, "why": why}
        for unit_id, name, why in sorted(not_ranked, key=lambda row: row[0])
    ]
    inputs = {
        "about": about or {},
        "not_ranked": not_ranked,
        "units": [
            {
                "unit_id": unit.unit_id,
                "name": unit.name,
                "leaves": sorted(
                    (
                        {"code": s.code, "group": s.group, "kind": s.kind, "points": s.points}
                        for s in unit.leaves
                    ),
                    key=lambda leaf: leaf["code"],
                ),
                "women_share": unit.women_share,
                "veto_reasons": list(unit.veto_reasons),
            }
            for unit in units
        ],
    }
    rules = {
        "tie_break": tie_break,
        "vetoed_mode": vetoed_mode,
        "capped": capped,
        "base_points": base_points,
    }
    result = {
        "entries": [
            {
                **_plain(entry),
                "groups": totals_by_unit[entry.unit_id].groups,
                "deductions": totals_by_unit[entry.unit_id].deductions,
            }
            for entry in ranking.entries
        ],
        "removed": [_plain(removed) for removed in ranking.removed],
        "not_ranked": not_ranked,
    }
    # The plain documents are what is stored: the same values as their canonical texts read back.
    inputs, rules, result = (_plain(doc) for doc in (inputs, rules, result))
    texts = [_canonical_of_plain(doc) for doc in (inputs, rules, result)]
    return RankingRecord(inputs, rules, result, _digest_of_texts(*texts), ranking)


def rerank(inputs: dict, rules: dict) -> RankingRecord:
    """Recompute a record from its stored documents (to check a stored run)."""
    units = [
        UnitScores(
            unit_id=unit["unit_id"],
            name=unit["name"],
            leaves=tuple(
                LeafScore(leaf["code"], leaf["group"], leaf["kind"], Decimal(leaf["points"]))
                for leaf in unit["leaves"]
            ),
            women_share=None if unit["women_share"] is None else Decimal(unit["women_share"]),
            veto_reasons=tuple(unit["veto_reasons"]),
        )
        for unit in inputs["units"]
    ]
    base_points = rules.get("base_points")
    return rank_bloc(
        units,
        tie_break=rules["tie_break"],
        vetoed_mode=rules["vetoed_mode"],
        capped=rules["capped"],
        base_points=None if base_points is None else Decimal(base_points),
        not_ranked=[(u["unit_id"], u["name"], u["why"]) for u in inputs.get("not_ranked", [])],
        about=inputs.get("about"),
    )


# Canonical serialisation --------------------------------------------------------------------------


def decimal_text(value: Decimal) -> str:
    """The shortest exact text of a decimal: 107, 97.5, 0 (never 1E+2, 97.50 or -0)."""
    if type(value) is not Decimal:
        value = Decimal(value)
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def _plain(value):
    # The exact built-in types first, by identity: a record holds thousands of them, and the
    # isinstance chain below was most of the time of a ranking. Subclasses take the full path.
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is Decimal:
        return decimal_text(value)
    if kind is dict:
        return {str(k): _plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_plain(v) for v in value]
    return _plain_any(value)


def _plain_any(value):
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, float):
        raise TypeError("floats have no place in a ranking: use Decimal")
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    raise TypeError(f"cannot serialise {type(value).__name__}")


def canonical(value) -> bytes:
    """UTF-8 JSON with sorted keys and no spaces: the same value always gives the same bytes."""
    return _canonical_of_plain(_plain(value))


def _canonical_of_plain(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(inputs: dict, rules: dict, result: dict) -> str:
    return hashlib.sha256(
        canonical({"inputs": inputs, "rules": rules, "result": result})
    ).hexdigest()


def _digest_of_texts(inputs: bytes, rules: bytes, result: bytes) -> str:
    """``digest`` from the documents' canonical texts, without serialising them again: the
    canonical text of the dict is the three texts under their sorted keys."""
    return hashlib.sha256(
        b'{"inputs":' + inputs + b',"result":' + result + b',"rules":' + rules + b"}"
    ).hexdigest()
