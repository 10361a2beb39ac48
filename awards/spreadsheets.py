"""The award registry in Excel: reading an import file, the template, the export. Pure."""

import datetime as dt
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from blocs.spreadsheets import RawRow, read_rows
from core.spreadsheets import write_table

# Folded header → field. Offices name the columns in several ways.
REGISTRY_COLUMNS = {
    "don vi": "unit",
    "ten don vi": "unit",
    "tap the": "unit",
    "nam": "year",
    "nam thanh tich": "year",
    "danh hieu": "award",
    "hinh thuc": "award",
    "danh hieu hinh thuc": "award",
    "hinh thuc khen thuong": "award",
    "khen thuong": "award",
    "so quyet dinh": "decision_number",
    "so qd": "decision_number",
    "ngay quyet dinh": "decision_date",
    "ngay qd": "decision_date",
    "co quan ban hanh": "issuing_body",
    "cap quyet dinh": "issuing_body",
    "ghi chu": "note",
}
REQUIRED = ("unit", "year", "award", "decision_number", "decision_date", "issuing_body")
COLUMN_LABELS = {
    "unit": "Đơn vị",
    "year": "Năm thành tích",
    "award": "Danh hiệu, hình thức",
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "issuing_body": "Cơ quan ban hành",
    "note": "Ghi chú",
}
EXPORT_HEADERS = [
    "STT",
    "Năm thành tích",
    "Đơn vị",
    "Danh hiệu, hình thức",
    "Quyết định",
    "Ngày quyết định",
    "Cơ quan ban hành",
    "Ghi chú",
]

_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


def parse_date(text: str) -> dt.date | None:
    """A date as offices write it (05/01/2023, 5-1-2023, 05.01.2023) or as Excel stores it
    (2023-01-05 00:00:00); None when it is not a real date."""
    text = (text or "").strip()
    match = _DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(text)
        if not match:
            return None
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_registry_rows(
    *, filename: str, content: bytes, max_rows: int
) -> tuple[list[RawRow], list[str]]:
    return read_rows(
        filename=filename,
        content=content,
        max_rows=max_rows,
        columns=REGISTRY_COLUMNS,
        required=REQUIRED,
    )


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Khen thưởng"
    sheet.append(list(COLUMN_LABELS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "Bộ Tư lệnh Thành phố",
            2021,
            "Cờ thi đua của Ủy ban nhân dân tỉnh, thành phố",
            "1234/QĐ-UBND",
            "05/01/2022",
            "Ủy ban nhân dân Thành phố",
            "Dòng mẫu: xóa trước khi nhập",
        ]
    )
    for index, width in enumerate([40, 10, 44, 18, 14, 30, 30], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def registry_workbook(*, title: str, rows: list[list]) -> bytes:
    book = Workbook()
    write_table(
        book.active,
        heading=title,
        headers=EXPORT_HEADERS,
        rows=rows,
        widths=[6, 10, 44, 44, 22, 14, 30, 30],
    )
    book.active.title = "Khen thưởng"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
