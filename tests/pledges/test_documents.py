"""The pledge as printed: scenario D's (and E's) signed PDF, its draft, and the Word twin.

Scenario D comes from the demo (pledges.demo, on the blocs demo), with two inputs typed
decomposed (NFD), as a Vietnamese keyboard in combining mode sends them: one unit's name, stored
as it came, and one signer's name. The documents are rendered once for the module (the database
work is rolled back afterwards) and the tests read the bytes.
"""

import datetime as dt
import hashlib
import io
import subprocess
import unicodedata

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from blocs import demo as blocs_demo
from blocs.models import Unit, UnitName
from pledges import demo, documents, services
from pledges.models import Pledge
from tests.core.test_documents import BASE_FONT, BUNDLED, BUNDLED_ALL, _embedded_fonts

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
TEXT_LEFT, TEXT_RIGHT = 30 * MM, (210 - 15) * MM
D_UNITS = [
    "Ban Tuyên giáo Thành ủy",
    "Ban Nội chính Thành ủy",
    "Ban Tổ chức Thành ủy",
    "Ủy ban Kiểm tra Thành ủy",
    "Ban Dân vận Thành ủy",
    "Văn phòng Thành ủy",
]
DECOMPOSED_UNIT = "Ủy ban Kiểm tra Thành ủy"
DECOMPOSED_SIGNER = "Trương Thị Mai"
E_UNITS = [
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hóa và Thể thao",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Khoa học và Công nghệ",
    "Sở Thông tin và Truyền thông",
]


def _nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    return decomposed


def load_scenarios(*, decomposed: bool = True) -> dict:
    """Scenarios D and E as the demo builds them; D with the two decomposed inputs."""
    blocs_demo.load()
    if decomposed:
        # Stored as typed, bypassing the cleaning a form would do: the document must compose it.
        Unit.objects.filter(full_name=DECOMPOSED_UNIT).update(full_name=_nfd(DECOMPOSED_UNIT))
        UnitName.objects.filter(full_name=DECOMPOSED_UNIT).update(full_name=_nfd(DECOMPOSED_UNIT))
        signers = [
            (_nfd(name) if name == DECOMPOSED_SIGNER else name, *rest)
            for name, *rest in demo.D_SIGNERS
        ]
    else:
        signers = demo.D_SIGNERS
    secretariat = get_user_model().objects.get(username="thuky")
    original, demo.D_SIGNERS = demo.D_SIGNERS, signers
    try:
        demo._load_d(secretariat)
    finally:
        demo.D_SIGNERS = original
    demo._load_e(secretariat)
    return {
        "d": Pledge.objects.get(bloc__authority__code="can-tho", year=2021),
        "e": Pledge.objects.get(bloc__authority__code="ha-noi", year=2023),
        "secretariat": secretariat,
    }


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """The bytes of every document the tests read; nothing of it stays in the database."""
    out = {}
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        scenarios = load_scenarios()
        for key in ("d", "e"):
            pledge = scenarios[key]
            with pledge.document.file.open("rb") as stored:
                out[f"{key}_pdf"] = stored.read()
            out[f"{key}_sha256"] = pledge.document.sha256
            out[f"{key}_code"] = pledge.document.verification_code
            out[f"{key}_state"] = pledge.state
            out[f"{key}_docx"] = documents.pledge_docx(pledge)
        correction = services.pledge_correct(
            actor=scenarios["secretariat"], pledge=scenarios["d"], reason="Bổ sung chỉ tiêu"
        )
        out["d_draft_pdf"] = documents.pledge_pdf(correction)
        out["d_draft_docx"] = documents.pledge_docx(correction)
        transaction.set_rollback(True)
    return out


def _reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def _page_texts(data: bytes) -> list[str]:
    """Text of each page, by poppler's pdftotext in reading order (column by column), what a
    reader copying from the PDF gets."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8").split("\f")[: len(_reader(data).pages)]


def _flat(text: str) -> str:
    """Lines joined with single spaces, so a name is found even where a line wraps."""
    return " ".join(text.split())


def test_the_demo_pledges_are_in_force(rendered):
    assert (rendered["d_state"], rendered["e_state"]) == ("in_force", "in_force")


@pytest.mark.parametrize("document", ["d_pdf", "e_pdf", "d_draft_pdf"])
def test_every_page_is_a4_portrait(rendered, document):
    pages = _reader(rendered[document]).pages
    assert len(pages) >= 2
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 0.5 and abs(height - A4[1]) < 0.5


@pytest.mark.parametrize("document", ["d_pdf", "e_pdf", "d_draft_pdf"])
def test_only_the_bundled_font_is_embedded(rendered, document):
    fonts = _embedded_fonts(rendered[document])
    assert fonts
    for base_font, program in fonts:
        assert BASE_FONT.fullmatch(base_font), base_font
        assert program in BUNDLED_ALL, program
    assert {program for _base, program in fonts} >= BUNDLED


def test_pdffonts_lists_only_the_bundled_family_embedded_and_subset(rendered):
    listing = subprocess.run(
        ["pdffonts", "-"], input=rendered["d_pdf"], capture_output=True, check=True
    ).stdout.decode()
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        assert BASE_FONT.fullmatch(row[0]), row
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # embedded, subset, with a ToUnicode map


@pytest.mark.parametrize(("document", "names"), [("d_pdf", D_UNITS), ("e_pdf", E_UNITS)])
def test_the_text_holds_every_unit_name_exactly_as_entered_in_nfc(rendered, document, names):
    text = "\n".join(_page_texts(rendered[document]))
    assert unicodedata.is_normalized("NFC", text)
    flat = _flat(text)
    for name in names:
        # Once in the list of signing units (as entered) and once in its signature block.
        assert f". {name}" in flat, name
        assert name.upper() in flat, name


def test_decomposed_input_prints_composed(rendered):
    flat = _flat("\n".join(_page_texts(rendered["d_pdf"])))
    assert DECOMPOSED_UNIT in flat and DECOMPOSED_SIGNER in flat
    assert unicodedata.normalize("NFD", DECOMPOSED_UNIT) not in flat
    # And pypdf, reading the ToUnicode maps, gets the same composed letters.
    extracted = " ".join(page.extract_text() for page in _reader(rendered["d_pdf"]).pages)
    assert DECOMPOSED_UNIT in _flat(extracted)


def test_scenario_d_prints_the_signing_day_the_target_and_the_signers(rendered):
    flat = _flat("\n".join(_page_texts(rendered["d_pdf"])))
    assert "Cần Thơ, ngày 14 tháng 4 năm 2021" in flat
    assert "BẢN GIAO ƯỚC THI ĐUA NĂM 2021" in flat
    assert "≥ 90 %" in flat and "lao động tiên tiến" in flat
    for name, *_rest in demo.D_SIGNERS:
        assert name in flat, name
    assert "KT. TRƯỞNG BAN" in flat and "(Đã ký ngày 14/4/2021)" in flat


def test_scenario_e_cites_nothing_issued_after_its_signing_day_and_prints_the_theme(rendered):
    # The plan (972/KH-CTĐ7) and the regulation (580/QĐ-CTĐ 7) are of 04/4/2023; the units
    # signed on 31/3/2023, so the pledge cannot have been made "Căn cứ" them.
    flat = _flat("\n".join(_page_texts(rendered["e_pdf"])))
    assert "Hà Nội, ngày 31 tháng 3 năm 2023" in flat
    assert "Căn cứ" not in flat and "972/KH-CTĐ7" not in flat
    assert "“Kỷ cương, trách nhiệm, hành động, sáng tạo, phát triển”" in flat


@pytest.mark.parametrize("key", ["d", "e"])
def test_the_verification_code_is_on_every_page_of_the_frozen_copy(rendered, key):
    code = rendered[f"{key}_code"]
    pages = _page_texts(rendered[f"{key}_pdf"])
    for number, text in enumerate(pages, start=1):
        assert f"Mã kiểm tra: {code}" in text, number
        assert "DỰ THẢO" not in text


def test_the_draft_mark_is_on_every_page_of_a_draft(rendered):
    pages = _page_texts(rendered["d_draft_pdf"])
    assert "(DỰ THẢO)" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert "DỰ THẢO — bản giao ước chưa có hiệu lực" in text, number
        assert "Mã kiểm tra" not in text


def test_the_frozen_copys_digest_is_the_digest_of_its_bytes(rendered):
    for key in ("d", "e"):
        assert hashlib.sha256(rendered[f"{key}_pdf"]).hexdigest() == rendered[f"{key}_sha256"]


@pytest.mark.parametrize("document", ["d_pdf", "e_pdf", "d_draft_pdf"])
def test_no_text_runs_into_the_side_margins(rendered, document):
    """Every glyph lies between the 30 mm left and 15 mm right margins (the signature grid's
    padded cells once pushed the right column 4 mm into the margin)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(rendered[document])) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            chars = [c for c in page.chars if c["text"].strip()]
            left = min(c["x0"] for c in chars)
            right = max(c["x1"] for c in chars)
            assert left >= TEXT_LEFT - 0.5, (number, left)
            assert right <= TEXT_RIGHT + 1, (number, right)


def test_the_signature_grid_is_two_centred_columns(rendered):
    """Each signer's name is centred in its half of the text width."""
    import pdfplumber

    half = (TEXT_RIGHT - TEXT_LEFT) / 2
    centres = (TEXT_LEFT + half / 2, TEXT_LEFT + 1.5 * half)
    with pdfplumber.open(io.BytesIO(rendered["d_pdf"])) as pdf:
        for name, *_rest in demo.D_SIGNERS:
            found = [hit for page in pdf.pages for hit in page.search(name)]
            assert found, name
            middle = (found[-1]["x0"] + found[-1]["x1"]) / 2
            assert min(abs(middle - c) for c in centres) < 3, (name, middle)


def test_the_word_twin_opens_and_holds_every_unit_name(rendered):
    import docx

    for key, names in (("d", D_UNITS), ("e", E_UNITS)):
        doc = docx.Document(io.BytesIO(rendered[f"{key}_docx"]))
        text = "\n".join(p.text for p in doc.paragraphs)
        cells = "\n".join(
            cell.text for table in doc.tables for row in table.rows for cell in row.cells
        )
        everything = f"{text}\n{cells}"
        assert unicodedata.is_normalized("NFC", everything)
        for name in names:
            assert name in text, name  # the list of signing units
            assert name.upper() in cells, name  # its signature block
        section = doc.sections[0]
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_verify_recognises_the_frozen_pledges_code(db, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    pledge = load_scenarios(decomposed=False)["d"]
    frozen = pledge.document
    page = client.get(reverse("document_verify"), {"code": frozen.verification_code})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Bản giao ước thi đua năm 2021" in body and frozen.sha256 in body
    with frozen.file.open("rb") as stored:
        data = stored.read()
    checked = client.post(
        reverse("document_verify"),
        {
            "code": frozen.verification_code,
            "file": _upload("giao-uoc.pdf", data),
        },
    )
    assert checked.context["matches"] is True
    tampered = client.post(
        reverse("document_verify"),
        {"code": frozen.verification_code, "file": _upload("giao-uoc.pdf", data + b"\n")},
    )
    assert tampered.context["matches"] is False
    # The download of the pledge in force is those very bytes.
    client.force_login(get_user_model().objects.get(username="thuky"))
    response = client.get(reverse("pledges:pledge_pdf", args=[pledge.pk]))
    assert b"".join(response.streaming_content) == data
    assert pledge.in_force_on == dt.date(2021, 4, 14)


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, "application/pdf")


def _footers(data: bytes) -> list[str]:
    import docx

    section = docx.Document(io.BytesIO(data)).sections[0]
    return [
        "\n".join(p.text for p in footer.paragraphs)
        for footer in (section.first_page_footer, section.footer)
    ]


@pytest.mark.parametrize("key", ["d", "e"])
def test_the_word_twin_of_a_pledge_in_force_carries_the_frozen_pdfs_code(rendered, key):
    code = rendered[f"{key}_code"]
    for footer in _footers(rendered[f"{key}_docx"]):  # page 1 has its own footer
        assert f"Mã kiểm tra: {code}" in footer
        assert "DỰ THẢO" not in footer


def test_the_word_twin_of_a_draft_says_it_is_a_draft(rendered):
    for footer in _footers(rendered["d_draft_docx"]):
        assert footer == "DỰ THẢO — bản giao ước chưa có hiệu lực"
