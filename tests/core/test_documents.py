"""Layout tests of the printed documents (DESIGN §7.14), on the member list of a bloc-year.

Positions come from pdfplumber, in points from the top-left corner of the page. Nghị định
30/2020/NĐ-CP: A4 portrait, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm.
"""

import datetime as dt
import io
import logging
import re
import unicodedata

import pdfplumber
import pypdf
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from fontTools.ttLib import TTFont

from blocs.models import Bloc, ChairTerm, Membership
from core import documents
from core.admin_format import NATIONAL_MOTTO, NATIONAL_NAME
from tests.conftest import THIS_YEAR, make_unit

MM = 72 / 25.4
A4_WIDTH, A4_HEIGHT = 210 * MM, 297 * MM  # 595.3 × 841.9 pt
TOP, BOTTOM, LEFT, RIGHT = 20 * MM, 20 * MM, 30 * MM, 15 * MM
TEXT_LEFT, TEXT_RIGHT = LEFT, A4_WIDTH - RIGHT
TEXT_CENTRE = (TEXT_LEFT + TEXT_RIGHT) / 2
TODAY = dt.date(2024, 2, 5)  # both leading zeros: "ngày 05 tháng 02 năm 2024"

# Unit names with every kind of Vietnamese mark, short enough to stay on one line of the table.
NAMES = [
    "Sở Tư pháp",
    "Ủy ban Mặt trận Tổ quốc",
    "Đài Phát thanh và Truyền hình",
    "Bảo hiểm xã hội",
    "Cục Thống kê",
    "Kho bạc Nhà nước",
    "Hội Nông dân",
    "Sở Giáo dục và Đào tạo",
    "Liên đoàn Lao động",
    "Hội Cựu chiến binh",
    "Ban Dân tộc",
    "Sở Văn hóa, Thể thao và Du lịch",
]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _bloc_with_members(world, count: int, *, code: str, chair: bool = True) -> Bloc:
    bloc = Bloc.objects.create(authority=world.authority, code=code, name=f"Khối thi đua {code}")
    units = [
        make_unit(world.authority, f"{NAMES[n % len(NAMES)]} {code} số {n + 1}")
        for n in range(count)
    ]
    for position, unit in enumerate(units, start=1):
        Membership.objects.create(bloc=bloc, unit=unit, year=THIS_YEAR, position=position)
    if chair:
        ChairTerm.objects.create(bloc=bloc, year=THIS_YEAR, chair=units[0], vice_chair=units[1])
    return bloc


def _get_pdf(client, bloc) -> bytes:
    response = client.get(reverse("blocs:members_pdf", args=[bloc.pk, THIS_YEAR]))
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/pdf"
    return response.content


@pytest.fixture
def client_x(world, login):
    return login(world.users["secretariat_x"])


@pytest.fixture
def short_pdf(world, client_x) -> bytes:
    """Bloc X in 2026: three members, chair Công an tỉnh; one page."""
    return _get_pdf(client_x, world.bloc_x)


@pytest.fixture
def long_bloc(world):
    return _bloc_with_members(world, 60, code="L")


@pytest.fixture
def long_pdf(world, long_bloc, login) -> bytes:
    return _get_pdf(login(world.users["secretariat_authority"]), long_bloc)


def _pages(data: bytes):
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            {
                "width": page.width,
                "height": page.height,
                "chars": page.chars,
                "edges": page.edges,
                # Borders are drawn as filled shapes: a rule is the bottom side of one of these.
                "shapes": page.rects + page.curves,
                "text": page.extract_text(),
                "search": page.search,
            }
            for page in pdf.pages
        ]


def _find(page, text: str) -> list[dict]:
    """The characters of the first (top-most) occurrence of text on the page."""
    matches = page["search"](text, regex=False, return_chars=True)
    assert matches, f"{text!r} not found"
    return min(matches, key=lambda m: (m["top"], m["x0"]))["chars"]


def _box(chars):
    return (
        min(c["x0"] for c in chars),
        min(c["top"] for c in chars),
        max(c["x1"] for c in chars),
        max(c["bottom"] for c in chars),
    )


def _centre(chars) -> float:
    x0, _top, x1, _bottom = _box(chars)
    return (x0 + x1) / 2


def _body_chars(page):
    """Every character but the page number in the top margin."""
    return [c for c in page["chars"] if c["bottom"] > TOP]


# The response ----------------------------------------------------------------------------------


def test_the_view_answers_an_inline_pdf_named_after_the_bloc(world, client_x):
    response = client_x.get(reverse("blocs:members_pdf", args=[world.bloc_x.pk, THIS_YEAR]))
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == f'inline; filename="thanh-vien-x-{THIS_YEAR}.pdf"'


def test_the_bloc_page_links_to_the_pdf(world, client_x):
    page = client_x.get(reverse("blocs:bloc_detail", args=[world.bloc_x.pk, THIS_YEAR]))
    assert reverse("blocs:members_pdf", args=[world.bloc_x.pk, THIS_YEAR]) in page.content.decode()


def test_the_same_data_gives_the_same_bytes(short_pdf, client_x, world):
    # Documents are frozen with their SHA-256 (DESIGN §4): a rerun must not differ.
    again = _get_pdf(client_x, world.bloc_x)
    assert documents.sha256_hex(again) == documents.sha256_hex(short_pdf)
    assert re.fullmatch(r"[0-9a-f]{64}", documents.sha256_hex(short_pdf))


def test_query_count_does_not_grow_with_members(world, login):
    client = login(world.users["secretariat_authority"])
    few = _bloc_with_members(world, 5, code="F")
    many = _bloc_with_members(world, 15, code="M")
    counts = []
    for bloc in (few, many):
        with CaptureQueriesContext(connection) as ctx:
            _get_pdf(client, bloc)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 10


# Page and margins ------------------------------------------------------------------------------


def test_every_page_is_a4_portrait(short_pdf, long_pdf):
    for data in (short_pdf, long_pdf):
        for page in _pages(data):
            assert page["width"] == pytest.approx(A4_WIDTH, abs=1)
            assert page["height"] == pytest.approx(A4_HEIGHT, abs=1)


def test_margins_from_text_positions(short_pdf):
    (page,) = _pages(short_pdf)
    x0, top, x1, bottom = _box(page["chars"])
    assert x0 == pytest.approx(LEFT, abs=3)  # "Nơi nhận:" starts the text line
    assert top == pytest.approx(TOP, abs=3)  # the header's first line
    assert x1 <= TEXT_RIGHT + 0.5
    # The member table spans the whole text width: left 30 mm, right 15 mm.
    assert min(e["x0"] for e in page["edges"]) == pytest.approx(TEXT_LEFT, abs=1)
    assert max(e["x1"] for e in page["edges"]) == pytest.approx(TEXT_RIGHT, abs=1)
    assert bottom < A4_HEIGHT - BOTTOM


def test_a_long_list_fills_the_page_down_to_the_bottom_margin(long_pdf):
    pages = _pages(long_pdf)
    assert len(pages) >= 2
    for index, page in enumerate(pages):
        body = _body_chars(page)
        x0, top, x1, bottom = _box(body)
        assert x0 >= TEXT_LEFT - 0.5 and x1 <= TEXT_RIGHT + 0.5
        assert bottom <= A4_HEIGHT - BOTTOM + 0.5
        if index == 0:
            assert top == pytest.approx(TOP, abs=3)
        else:
            # The repeated table header starts at the top margin; its text sits inside the cell.
            assert min(e["top"] for e in page["edges"]) == pytest.approx(TOP, abs=1)
            assert TOP < top < TOP + 10
        edges_bottom = max(e["bottom"] for e in page["edges"])
        assert edges_bottom <= A4_HEIGHT - BOTTOM + 0.5
    # A full page stops within one table row of the bottom margin.
    first_bottom = max(e["bottom"] for e in pages[0]["edges"])
    assert first_bottom == pytest.approx(A4_HEIGHT - BOTTOM, abs=30)


# Header ----------------------------------------------------------------------------------------


def test_two_column_header(short_pdf):
    (page,) = _pages(short_pdf)
    parent = _find(page, "KHỐI THI ĐUA NỘI CHÍNH")
    issuer = _find(page, "CÔNG AN TỈNH")  # the chair unit of 2026, bold
    nation = _find(page, NATIONAL_NAME)
    motto = _find(page, NATIONAL_MOTTO)
    # Left column and right column, side by side on the same first line.
    assert max(_box(parent)[2], _box(issuer)[2]) < _box(nation)[0]
    assert _centre(parent) < TEXT_CENTRE < _centre(nation)
    assert _box(parent)[1] == pytest.approx(_box(nation)[1], abs=1.5)
    # Each column centres its lines on one axis.
    assert _centre(issuer) == pytest.approx(_centre(parent), abs=1.5)
    assert _centre(motto) == pytest.approx(_centre(nation), abs=1.5)
    assert _box(motto)[1] > _box(nation)[3] - 1
    # Issuing body and Quốc hiệu bold, the body above the issuer regular.
    assert all("Bold" in c["fontname"] for c in issuer + nation + motto)
    assert not any("Bold" in c["fontname"] for c in parent)


def test_quoc_hieu_is_on_one_line(short_pdf, long_pdf):
    for data in (short_pdf, long_pdf):
        page = _pages(data)[0]
        nation = _find(page, NATIONAL_NAME)
        assert len({round(c["top"], 1) for c in nation}) == 1
        assert "".join(c["text"] for c in nation).replace(" ", "") == NATIONAL_NAME.replace(" ", "")


def test_the_motto_is_ruled_as_long_as_itself_and_the_issuer_has_a_short_rule(short_pdf):
    (page,) = _pages(short_pdf)
    motto = _box(_find(page, NATIONAL_MOTTO))
    under_motto = [
        s for s in page["shapes"] if 0 < s["bottom"] - motto[3] < 6 and s["x1"] > TEXT_CENTRE
    ]
    assert under_motto
    for rule in under_motto:
        assert rule["x0"] == pytest.approx(motto[0], abs=2)
        assert rule["x1"] == pytest.approx(motto[2], abs=2)
    issuer = _box(_find(page, "CÔNG AN TỈNH"))
    under_issuer = [
        s for s in page["shapes"] if 0 < s["top"] - issuer[3] < 8 and s["x1"] < TEXT_CENTRE
    ]
    assert under_issuer
    rule = under_issuer[0]
    assert rule["bottom"] - rule["top"] < 1.5
    # ND 30: one third to one half of the line, centred under it.
    assert 1 / 3 <= (rule["x1"] - rule["x0"]) / (issuer[2] - issuer[0]) <= 1 / 2
    assert (rule["x0"] + rule["x1"]) / 2 == pytest.approx((issuer[0] + issuer[2]) / 2, abs=1.5)


def test_the_place_date_line_is_italic_under_the_motto(short_pdf):
    (page,) = _pages(short_pdf)
    line = _find(page, "Phú Thịnh, ngày 05 tháng 02 năm 2024")
    assert all("Italic" in c["fontname"] for c in line if c["text"].strip())
    assert _centre(line) == pytest.approx(_centre(_find(page, NATIONAL_MOTTO)), abs=1.5)
    assert len({round(c["top"], 1) for c in line}) == 1


def test_the_title_is_centred_and_bold(short_pdf):
    (page,) = _pages(short_pdf)
    title = _find(page, f"DANH SÁCH THÀNH VIÊN KHỐI THI ĐUA NỘI CHÍNH NĂM {THIS_YEAR}")
    assert all("Bold" in c["fontname"] for c in title)
    assert _centre(title) == pytest.approx(TEXT_CENTRE, abs=1.5)


def test_the_signer_block_is_bottom_right_and_the_recipients_bottom_left(short_pdf):
    (page,) = _pages(short_pdf)
    on_behalf = _find(page, "TM. KHỐI THI ĐUA NỘI CHÍNH")
    chair = _find(page, "KHỐI TRƯỞNG")
    recipients = _find(page, "Nơi nhận:")
    table_bottom = max(e["bottom"] for e in page["edges"])
    assert _box(on_behalf)[1] > table_bottom and _box(recipients)[1] > table_bottom
    assert _centre(on_behalf) > TEXT_CENTRE > _box(recipients)[2]
    assert _centre(chair) == pytest.approx(_centre(on_behalf), abs=1.5)
    assert all("Bold" in c["fontname"] and "Italic" in c["fontname"] for c in recipients)


def test_without_a_chair_term_the_bloc_issues_it(world, login):
    bloc = _bloc_with_members(world, 3, code="N", chair=False)
    (page,) = _pages(_get_pdf(login(world.users["secretariat_authority"]), bloc))
    assert page["text"].splitlines()[0] == f"KHỐI THI ĐUA N {NATIONAL_NAME}"
    nation = _box(_find(page, NATIONAL_NAME))
    issuer = [
        c
        for c in page["chars"]
        if abs(c["top"] - nation[1]) < 1.5 and c["x1"] < nation[0] and c["text"].strip()
    ]
    assert "".join(c["text"] for c in issuer) == "KHỐITHIĐUAN"
    assert all("Bold" in c["fontname"] for c in issuer)
    assert "TM. KHỐI THI ĐUA N" in page["text"] and "KHỐI TRƯỞNG" in page["text"]


# Page numbers ----------------------------------------------------------------------------------


def test_no_page_number_on_page_1_and_one_on_page_2(long_pdf):
    pages = _pages(long_pdf)
    in_margin = [[c for c in page["chars"] if c["bottom"] <= TOP] for page in pages]
    assert in_margin[0] == []
    for number, chars in enumerate(in_margin[1:], start=2):
        assert "".join(c["text"] for c in chars) == str(number)
        assert _centre(chars) == pytest.approx(TEXT_CENTRE, abs=3)


def test_the_table_header_repeats_on_every_page(long_pdf):
    for page in _pages(long_pdf):
        assert "STT Tên đơn vị Chức vụ trong khối" in page["text"]


# Fonts and text --------------------------------------------------------------------------------

BUNDLED = {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"}
BUNDLED_ALL = BUNDLED | {"LiberationSerif-BoldItalic"}
BASE_FONT = re.compile(r"[A-Z]{6}\+thiduea-Serif(-Bold|-Italic|-Bold-Italic)?")


def _embedded_fonts(data: bytes) -> list[tuple[str, str]]:
    """(BaseFont, PostScript name of the embedded font program) for every font of every page."""
    fonts = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_data()))
            base_font = str(font["/BaseFont"]).removeprefix("/")
            fonts.append((base_font, program["name"].getDebugName(6)))
    return fonts


def test_only_the_bundled_font_is_embedded(short_pdf, long_pdf):
    # The BaseFont carries the @font-face family, which only pdf.css declares (a system Liberation
    # Serif would show as "LiberationSerif"); the font program inside is Liberation Serif.
    for data in (short_pdf, long_pdf):
        fonts = _embedded_fonts(data)
        assert fonts
        for base_font, program in fonts:
            assert BASE_FONT.fullmatch(base_font), base_font
            assert program in BUNDLED_ALL, program
        assert {program for _base, program in fonts} >= BUNDLED


def test_rendering_logs_no_warning(world, client_x, caplog):
    # A font-face that cannot load, or a missing glyph, is logged by WeasyPrint as a warning.
    documents.clear_cache()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        _get_pdf(client_x, world.bloc_x)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_every_member_name_is_extracted_exactly_as_stored(world, short_pdf, long_bloc, long_pdf):
    for bloc, data in ((world.bloc_x, short_pdf), (long_bloc, long_pdf)):
        text = unicodedata.normalize("NFC", "\n".join(page["text"] for page in _pages(data)))
        names = Membership.objects.filter(bloc=bloc, year=THIS_YEAR).values_list(
            "unit__full_name", flat=True
        )
        assert len(names) in (3, 60)
        for name in names:
            assert unicodedata.normalize("NFC", name) in text, name


def test_decomposed_text_is_composed_before_layout():
    decomposed = unicodedata.normalize("NFD", "Ủy ban Mặt trận Tổ quốc Việt Nam")
    context = {
        "doc_title": decomposed,
        "issuer_name": decomposed.upper(),
        "place_date": unicodedata.normalize("NFD", "Hà Nội, ngày 04 tháng 4 năm 2023"),
        "rows": [(1, decomposed, "")],
    }
    html = documents.render_html("pdf/members.html", context)
    assert unicodedata.is_normalized("NFC", html)
    text = "\n".join(
        page["text"] for page in _pages(documents.render_pdf("pdf/members.html", context))
    )
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam" in text
    assert text == unicodedata.normalize("NFC", text)


def test_the_document_is_vietnamese_whatever_the_interface_language(world, client_x):
    client_x.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client_x.get(reverse("blocs:members_pdf", args=[world.bloc_x.pk, THIS_YEAR]))
    text = "\n".join(page["text"] for page in _pages(response.content))
    assert "Khối trưởng" in text and "Khối phó" in text
    assert "Chair" not in text
    assert response["Content-Language"] == "vi"


# What WeasyPrint may read ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/pdf.css",
        "https://example.com/fonts/LiberationSerif-Regular.ttf",
        "ftp://example.com/x.css",
        "data:text/css,body%7Bcolor:red%7D",
        "file:///etc/passwd",
        "file://example.com/static/css/pdf.css",
        "STATIC/../manage.py",  # ".." out of the static directory
        "STATIC/css/nothing-here.css",
        "STATIC/fonts",  # a directory
    ],
)
def test_the_fetcher_refuses_anything_but_static_files(url):
    url = url.replace("STATIC", documents.static_dir().as_uri())
    with pytest.raises(documents.RefusedURL):
        documents.url_fetcher().fetch(url)


def test_the_fetcher_serves_static_files():
    url = (documents.static_dir() / "fonts" / "LiberationSerif-Regular.ttf").as_uri()
    response = documents.url_fetcher().fetch(url)
    assert response.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font


def test_a_document_that_asks_for_the_network_is_not_rendered(monkeypatch):
    from weasyprint.urls import FatalURLFetchingError

    html = '<html><body><p>x</p><img src="http://127.0.0.1:9/logo.png" alt=""></body></html>'
    monkeypatch.setattr(documents, "render_html", lambda *args: html)
    with pytest.raises(FatalURLFetchingError):
        documents.render_pdf("pdf/members.html", {})
