"""Reading import files and writing member lists. Pure: bytes in, rows out (and back)."""

import csv
import io
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheets import write_table
from core.text import clean_name, fold

# Folded header -> field. Several spellings are accepted because offices write them differently.
IMPORT_COLUMNS = {
    "ma khoi": "bloc_code",
    "so hieu khoi": "bloc_code",
    "khoi": "bloc_code",
    "nam": "year",
    "ten don vi": "full_name",
    "ten day du": "full_name",
    "ten viet tat": "short_name",
    "co quan chu quan": "parent_body",
    "chuc danh thu truong": "head_title",
    "dia chi": "address",
}
REQUIRED_FIELDS = ("bloc_code", "year", "full_name")
COLUMN_LABELS = {
    "bloc_code": "Mã khối",
    "year": "Năm",
    "full_name": "Tên đơn vị",
    "short_name": "Tên viết tắt",
    "parent_body": "Cơ quan chủ quản",
    "head_title": "Chức danh thủ trưởng",
    "address": "Địa chỉ",
}
TEMPLATE_HEADERS = list(COLUMN_LABELS.values())


MAX_UNPACKED_BYTES = 50 * 2**20


class UnreadableFile(Exception):
    """The file is not a spreadsheet we can read; the message says why (a code)."""


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, str]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_name(str(value))


def read_rows(
    *,
    filename: str,
    content: bytes,
    max_rows: int,
    columns: dict[str, str] = IMPORT_COLUMNS,
    required: tuple[str, ...] = REQUIRED_FIELDS,
) -> tuple[list[RawRow], list[str]]:
    """Rows keyed by field, with the spreadsheet line number; and the required columns missing.

    ``columns`` maps a folded header to a field (several spellings may name one field)."""
    name = filename.lower()
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                unpacked = sum(item.file_size for item in archive.infolist())
        except zipfile.BadZipFile as exc:
            raise UnreadableFile("xlsx_unreadable") from exc
        if unpacked > MAX_UNPACKED_BYTES:
            raise UnreadableFile("too_many_rows")
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:
            raise UnreadableFile("xlsx_unreadable") from exc
        table = ([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True))
    elif name.endswith(".csv") or name.endswith(".txt"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("csv_not_utf8") from exc
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel  # one column, or nothing to tell by: plain commas
        table = ([_cell(v) for v in row] for row in csv.reader(io.StringIO(text), dialect))
    else:
        raise UnreadableFile("unknown_type")

    header = next(table, None)
    if header is None:
        raise UnreadableFile("empty")
    by_index = {index: columns.get(fold(title)) for index, title in enumerate(header)}
    missing = [f for f in required if f not in by_index.values()]
    rows = []
    for line, values in enumerate(table, start=2):
        if not any(values):
            continue
        if len(rows) >= max_rows:
            raise UnreadableFile("too_many_rows")
        record = {field: "" for field in columns.values()}
        for index, value in enumerate(values):
            field = by_index.get(index)
            if field and value:
                record[field] = value
        rows.append(RawRow(line=line, values=record))
    return rows, missing


def members_workbook(*, title: str, year: int, headers: list[str], rows: list[list]) -> bytes:
    """A plain, printable member list: a title line, a bold header, one row per member."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(year)
    write_table(
        sheet, heading=title, headers=headers, rows=rows, widths=[6, 50, 16, 30, 22, 40, 14]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(TEMPLATE_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate([10, 8, 50, 16, 30, 22, 40], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
