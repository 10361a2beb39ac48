"""The ranking as an SVG bar chart. Pure: plain values in, SVG markup out; no Django import.

The same markup goes into a web page and into a WeasyPrint PDF, so it uses no script, no
external resource and no CSS beyond presentation attributes. Text is escaped; numbers are written
as Vietnamese documents write them (decimal comma).
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    note: str = ""  # "đồng hạng", "chưa xét khen thưởng"
    highlight: bool = False


def _number(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _value_text(bar: Bar) -> str:
    return _number(bar.value) + (f" ({bar.note})" if bar.note else "")


def ranking_bars(
    bars: list[Bar],
    *,
    width: int = 640,
    bar_height: int = 18,
    gap: int = 8,
    label_width: int = 250,
    font_family: str = "inherit",
    font_size: int = 11,
) -> str:
    """Horizontal bars, best first, each labelled with its unit and its total."""
    if not bars:
        return ""
    top = max(max(bar.value for bar in bars), Decimal(1))
    # Room right of the longest bar for the longest value text ("98,5 (đồng hạng)"), at about
    # 0.6 em a character, so the text is not cut off at the chart's edge.
    room = max(70, int(max(len(_value_text(bar)) for bar in bars) * font_size * 0.6) + 10)
    plot = max(40, width - label_width - room)
    height = len(bars) * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="{escape(font_family)}" '
        f'font-size="{font_size}">'
    ]
    for index, bar in enumerate(bars):
        y = gap + index * (bar_height + gap)
        length = max(1, int(plot * max(bar.value, Decimal(0)) / top))
        fill = "#1f4e8c" if bar.highlight else "#8aa4c8"
        label = escape(bar.label)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end">{label}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="{fill}"/>'
        )
        value = escape(_value_text(bar))
        parts.append(
            f'<text x="{label_width + length + 5}" y="{y + bar_height - 5}">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
