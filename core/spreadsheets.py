"""Writing tables to Excel for offices: a title line, a bold header, safe cells. Pure openpyxl."""

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# A cell that starts like a formula stays text: nothing runs when the office opens the file.
FORMULA_STARTS = ("=", "+", "-", "@")


def write_table(sheet, *, heading: str, headers: list[str], rows, widths=()) -> None:
    """Fill ``sheet``: the heading in A1, the header row on line 3 (repeated when printed), rows
    from line 4, frozen under the header."""
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value[:1] in FORMULA_STARTS:
                cell.data_type = "s"
    for index, width in enumerate(widths[: len(headers)], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
