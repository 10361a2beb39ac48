"""Word (.docx) twins of the printed documents, for offices that edit before signing.

The building blocks of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I) with
python-docx, shared by every app that prints: A4 portrait with margins top and bottom 20 mm,
left 30 mm, right 15 mm; Times New Roman 14 pt (the font every office PC has; the PDF uses its
metric twin); the two-column header table (issuing body with a short rule under it | Quốc hiệu
and the underlined Tiêu ngữ) with the "Số:" line and the italic place-and-date line; the title;
numbered paragraphs; ruled tables; a grid of signature blocks (one per signing unit, as in a
giao ước); and the closing table ("Nơi nhận:" bottom left, the signer bottom right, as in a Tờ
trình).

Text is NFC-normalised on the way in. The file's core properties carry fixed dates, so the same
data gives the same document text (the ZIP container still records its own times).

    doc = new_document()
    header_table(doc, issuer_name="KHỐI THI ĐUA VIII", place_date="…, ngày 16 tháng 12 năm 2022")
    title(doc, "TỜ TRÌNH", "Về việc đề nghị khen thưởng …")
    paragraph(doc, "Căn cứ …")
    closing(doc, recipients=["Như trên;", "Lưu: VT."], signer=Signer(...))
    data = to_bytes(doc)
"""

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.admin_format import NATIONAL_MOTTO, NATIONAL_NAME, Signer

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
SMALL_SIZE = Pt(13)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]  # 165 mm
FIXED_DATE = dt.datetime(2000, 1, 1)


def _nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text or ""))


def _set_font(run, *, size=None, bold=None, italic=None, underline=None) -> None:
    run.font.name = FONT
    # East-Asian and complex-script slots too, or Word picks another font for Vietnamese marks.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if underline is not None:
        run.underline = underline


def new_document() -> Document:
    """An empty A4 portrait document with the ND 30 margins and Times New Roman 14 pt."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    # Page numbers from page 2 on: page 1 gets its own (empty) header.
    section.different_first_page_header_footer = True
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    props = doc.core_properties
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.author = props.last_modified_by = "thiduea"
    props.revision = 1
    _page_number_header(section)
    return doc


def _field(run, instruction: str) -> None:
    """A Word field (PAGE) inside a run."""
    begin, text, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _page_number_header(section) -> None:
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _set_font(run, size=SMALL_SIZE)
    _field(run, "PAGE")


def _cell_paragraph(
    cell,
    text="",
    *,
    first=False,
    size=None,
    bold=False,
    italic=False,
    underline=False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    space_after=None,
):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0) if space_after is None else space_after
    paragraph.paragraph_format.space_before = Pt(0)
    if text:
        run = paragraph.add_run(_nfc(text))
        _set_font(run, size=size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _bottom_border(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _short_rule(cell, width_share: float = 0.4):
    """ND 30: a solid rule under the issuing body, about a third to a half of its line, centred."""
    paragraph = _cell_paragraph(cell)
    indent = int(cell.width * (1 - width_share) / 2) if cell.width else Mm(20)
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.line_spacing = Pt(2)
    _bottom_border(paragraph)
    return paragraph


def _no_borders(table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _widths(table, widths) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width


def header_table(
    doc,
    *,
    issuer_name: str,
    place_date: str,
    issuer_parent: str = "",
    reference: str = "",
    national_name: str = NATIONAL_NAME,
    national_motto: str = NATIONAL_MOTTO,
):
    """The two-column header: the issuing body (left, bold, a short rule under it) and the
    Quốc hiệu with the underlined Tiêu ngữ (right); the "Số:" line under the body and the
    italic place-and-date line under the Tiêu ngữ."""
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    left_width = int(TEXT_WIDTH * 0.40)
    _widths(table, [left_width, TEXT_WIDTH - left_width])
    issuer, nation = table.cell(0, 0), table.cell(0, 1)
    first = True
    if issuer_parent:
        _cell_paragraph(issuer, issuer_parent, first=True, size=Pt(12))
        first = False
    _cell_paragraph(issuer, issuer_name, first=first, size=SMALL_SIZE, bold=True)
    _short_rule(issuer)
    _cell_paragraph(nation, national_name, first=True, size=SMALL_SIZE, bold=True)
    _cell_paragraph(nation, national_motto, size=BODY_SIZE, bold=True, underline=True)
    _cell_paragraph(table.cell(1, 0), reference, first=True, size=SMALL_SIZE, space_after=Pt(6))
    _cell_paragraph(
        table.cell(1, 1), place_date, first=True, size=SMALL_SIZE, italic=True, space_after=Pt(6)
    )
    for cell in (table.cell(1, 0), table.cell(1, 1)):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    doc.add_paragraph()
    return table


def title(doc, text: str, subtitle: str = ""):
    """The document's name, bold and centred (with the trích yếu under it, when given)."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0 if subtitle else 12)
    _set_font(paragraph.add_run(_nfc(text)), size=BODY_SIZE, bold=True)
    if subtitle:
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sub.paragraph_format.space_after = Pt(12)
        _set_font(sub.add_run(_nfc(subtitle)), size=BODY_SIZE, bold=True)
    return paragraph


def heading(doc, text: str):
    """A section heading of the body ("I. NỘI DUNG GIAO ƯỚC"): bold, left."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    _set_font(paragraph.add_run(_nfc(text)), size=BODY_SIZE, bold=True)
    return paragraph


def paragraph(doc, text: str, *, italic: bool = False, bold: bool = False, indent: bool = True):
    """A justified body paragraph, first line indented as offices write."""
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        para.paragraph_format.first_line_indent = Mm(10)
    _set_font(para.add_run(_nfc(text)), size=BODY_SIZE, italic=italic, bold=bold)
    return para


def table(doc, headers: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float]):
    """A ruled table (13 pt) whose header row repeats on every page."""
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        _cell_paragraph(cell, text, first=True, size=SMALL_SIZE, bold=True)
    header_row = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    for values in rows:
        cells = grid.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell_paragraph(
                cell,
                text,
                first=True,
                size=SMALL_SIZE,
                align=WD_ALIGN_PARAGRAPH.CENTER if index == 0 else WD_ALIGN_PARAGRAPH.LEFT,
            )
    _widths(grid, [Mm(w) for w in widths_mm])
    doc.add_paragraph()
    return grid


@dataclass(frozen=True)
class SignatureBlock:
    """One block of a signature grid: the unit's name (upper case), the signer's bold lines
    ("KT. TRƯỞNG BAN" / "PHÓ TRƯỞNG BAN"), room to sign (with an optional note such as
    "(Đã ký ngày 14/4/2021)") and the signer's name."""

    heading: str
    lines: Sequence[str] = field(default_factory=list)
    name: str = ""
    note: str = ""

    @classmethod
    def for_signer(cls, heading: str, signer: Signer | None, note: str = "") -> "SignatureBlock":
        if signer is None:
            return cls(heading=heading, note=note)
        return cls(heading=heading, lines=signer.lines, name=signer.name, note=note)


def signature_grid(doc, blocks: Sequence[SignatureBlock], *, columns: int = 2, heading_text=""):
    """Signature blocks side by side, ``columns`` to a row, kept on one page each row."""
    if heading_text:
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.keep_with_next = True
        _set_font(para.add_run(_nfc(heading_text)), size=BODY_SIZE, bold=True)
    rows = (len(blocks) + columns - 1) // columns
    grid = doc.add_table(rows=rows, cols=columns)
    _no_borders(grid)
    _widths(grid, [int(TEXT_WIDTH / columns)] * columns)
    for index, block in enumerate(blocks):
        cell = grid.cell(index // columns, index % columns)
        first = True
        for line in [block.heading, *block.lines]:
            _cell_paragraph(cell, line, first=first, size=SMALL_SIZE, bold=True)
            first = False
        space = _cell_paragraph(cell, block.note, size=Pt(11), italic=True)
        space.paragraph_format.space_before = Pt(18)
        space.paragraph_format.space_after = Pt(36)
        _cell_paragraph(cell, block.name, size=SMALL_SIZE, bold=True, space_after=Pt(12))
    for row in grid.rows:
        properties = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        properties.append(cant_split)
    return grid


def closing(doc, *, recipients: Sequence[str] = (), signer: Signer | None = None):
    """ "Nơi nhận:" bottom left (italic bold label, 11 pt lines), the signer bottom right."""
    grid = doc.add_table(rows=1, cols=2)
    _no_borders(grid)
    left = int(TEXT_WIDTH * 0.45)
    _widths(grid, [left, TEXT_WIDTH - left])
    recipients_cell, signer_cell = grid.cell(0, 0), grid.cell(0, 1)
    if recipients:
        _cell_paragraph(
            recipients_cell,
            "Nơi nhận:",
            first=True,
            size=Pt(12),
            bold=True,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.LEFT,
        )
        for line in recipients:
            _cell_paragraph(
                recipients_cell, f"- {line}", size=Pt(11), align=WD_ALIGN_PARAGRAPH.LEFT
            )
    if signer:
        first = True
        for line in signer.lines:
            _cell_paragraph(signer_cell, line, first=first, size=BODY_SIZE, bold=True)
            first = False
        space = _cell_paragraph(signer_cell)
        space.paragraph_format.space_after = Pt(60)
        _cell_paragraph(signer_cell, signer.name, size=BODY_SIZE, bold=True)
    return grid


def footer_text(doc, text: str) -> None:
    """A small line at the bottom of every page (e.g. the verification code)."""
    section = doc.sections[0]
    for footer in (section.footer, section.first_page_footer):
        para = footer.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(para.add_run(_nfc(text)), size=Pt(10), italic=True)


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
