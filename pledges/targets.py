"""Is a pledge target met, and how is it written? Pure: no Django, no clock.

A quantitative target compares what a unit achieved with the target's value (≥, ≤ or =), both
``Decimal``: ``Decimal("89.99") >= Decimal("90")`` is False, as it must be, where a float might
round. A qualitative target ("hoàn thành xuất sắc nhiệm vụ") is judged met or not by a person;
the judgement is passed in. Nothing entered yet means "not known", never "not met".
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

QUANTITATIVE = "quantitative"
QUALITATIVE = "qualitative"


class Comparison(StrEnum):
    AT_LEAST = "ge"
    AT_MOST = "le"
    EQUAL = "eq"


SIGNS = {Comparison.AT_LEAST: "≥", Comparison.AT_MOST: "≤", Comparison.EQUAL: "="}


def is_met(
    *,
    kind: str,
    comparison: str = "",
    target: Decimal | None = None,
    achieved: Decimal | None = None,
    judged_met: bool | None = None,
) -> bool | None:
    """True or False, or None while the result is not known (nothing entered)."""
    if kind == QUALITATIVE:
        return judged_met
    if achieved is None or target is None:
        return None
    match Comparison(comparison):
        case Comparison.AT_LEAST:
            return achieved >= target
        case Comparison.AT_MOST:
            return achieved <= target
        case Comparison.EQUAL:
            return achieved == target


def format_number(value: Decimal | None) -> str:
    """Vietnamese writing of a number: decimal comma, no trailing zeros, dot thousands.

    Decimal("90.000") → "90"; Decimal("2.50") → "2,5"; Decimal("1500") → "1.500".
    """
    if value is None:
        return ""
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        normalized = normalized.quantize(Decimal(1))
    sign = "-" if normalized < 0 else ""
    text = format(abs(normalized), "f")
    whole, _dot, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def parse_number(text: str) -> Decimal | None:
    """What a person types ("90", "90,5", "1.500", "1 500", "2.5") as a Decimal; None if not a number.

    A comma is the decimal sign. Dots are thousands separators when they group by three
    ("1.500", "12.345.678"), otherwise a decimal sign typed the English way ("2.5").
    """
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "").replace("%", "")
    if not cleaned:
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") >= 1:
        whole, *rest = cleaned.lstrip("+-").split(".")
        if whole[:1] not in ("", "0") and len(whole) <= 3 and all(len(part) == 3 for part in rest):
            # "1.500" reads as one thousand five hundred in Vietnamese writing.
            cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass(frozen=True)
class Level:
    """ "≥ 90 %": the comparison, the value and the unit of measure, for tables and documents."""

    comparison: str
    value: Decimal | None
    measure: str

    def __str__(self) -> str:
        if self.value is None:
            return ""
        number = format_number(self.value)
        measure = self.measure.strip()
        if measure == "%":
            number = f"{number} %"
        elif measure:
            number = f"{number} {measure}"
        sign = SIGNS.get(Comparison(self.comparison)) if self.comparison else ""
        return f"{sign} {number}".strip()


def level_text(*, kind: str, comparison: str, value: Decimal | None, measure: str) -> str:
    if kind == QUALITATIVE:
        return ""
    return str(Level(comparison, value, measure))


def applies_to(*, target_unit_id: int | None, unit_id: int) -> bool:
    """A common target (no unit) binds every member; a unit's own target binds that unit only."""
    return target_unit_id is None or target_unit_id == unit_id
