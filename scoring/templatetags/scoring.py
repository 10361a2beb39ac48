"""Points as Vietnamese write them in a page (7,5 — 107 — 0,25, no trailing zeros) and the
tie-break rules in words."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from scoring.ranking import FEWER_DEDUCTIONS, GROUP_PREFIX, WOMEN_70, decimal_text

register = template.Library()


@register.filter
def points(value, empty: str = "") -> str:
    if value is None or value == "":
        return empty
    return decimal_text(Decimal(value)).replace(".", ",")


@register.filter
def tie_rule(rule: str) -> str:
    """A tie-break rule of the bloc's chain as a person reads it."""
    if rule.startswith(GROUP_PREFIX):
        return _("điểm nhóm tiêu chí {g} cao hơn").format(g=rule[len(GROUP_PREFIX) :])
    labels = {
        FEWER_DEDUCTIONS: _("ít điểm trừ hơn"),
        WOMEN_70: _("tập thể có từ 70% nữ trở lên (Nghị định 152/2025/NĐ-CP, Điều 4)"),
    }
    return labels.get(rule, rule)
