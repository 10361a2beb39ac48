"""The ranking chart: pure SVG, escaped, proportional, usable in a page and a PDF."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from scoring.chart import Bar, ranking_bars


def test_bars_are_proportional_labelled_and_escaped():
    svg = ranking_bars(
        [
            Bar("Bộ Tư lệnh <Thành phố>", Decimal("104.5"), highlight=True),
            Bar("Công an Thành phố", Decimal("52.25"), note="đồng hạng"),
        ]
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "Bộ Tư lệnh &lt;Thành phố&gt;" in svg and "<script" not in svg
    assert "104,5" in svg and "52,25 (đồng hạng)" in svg
    widths = [int(part.split('width="')[1].split('"')[0]) for part in svg.split("<rect")[1:]]
    assert widths[0] == 2 * widths[1] or abs(widths[0] - 2 * widths[1]) <= 1


def test_no_bars_no_chart():
    assert ranking_bars([]) == ""


@given(st.lists(st.decimals(min_value=-50, max_value=1200, places=2), min_size=1, max_size=15))
def test_any_totals_give_one_bar_each_within_the_chart(values):
    svg = ranking_bars([Bar(f"Đơn vị {i}", v) for i, v in enumerate(values)], width=640)
    widths = [int(part.split('width="')[1].split('"')[0]) for part in svg.split("<rect")[1:]]
    assert len(widths) == len(values)
    assert all(1 <= w <= 640 for w in widths)


def test_the_longest_note_has_room_right_of_the_longest_bar():
    # A shared rank at the top: its "98,5 (đồng hạng)" is not cut off at the chart's edge.
    bars = [Bar("Cục Thi hành án dân sự Thành phố", Decimal("98.5"), note="đồng hạng")] * 3
    svg = ranking_bars(bars, width=640, font_size=11)
    x = int(svg.split("<text")[2].split('x="')[1].split('"')[0])
    assert x + len("98,5 (đồng hạng)") * 11 * 0.6 <= 640
