"""Excel files of the scoring app: the criteria table (out and in), the score grid (out), and the
officer's self-scoring sheet (out, then in as a dry-run diff).

The officer's sheet carries, on a hidden sheet, the report, the unit, the criteria table and its
version, and a row key per criterion: a sheet of another unit, another report or another version
is refused with the reason instead of being read into the wrong place.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets import FORMULA_STARTS, write_table
from core.text import clean_name
from core.uploads import check_upload
from scoring import ranking, rules
from scoring.models import Criterion
from scoring.services import points_problem_message

_KIND_LABELS = {
    Criterion.Kind.REGULAR: "điểm chuẩn",
    Criterion.Kind.BONUS: "điểm thưởng",
    Criterion.Kind.DEDUCTION: "điểm trừ",
}
_KIND_BY_LABEL = {label: kind for kind, label in _KIND_LABELS.items()} | {
    kind.value: kind for kind in Criterion.Kind
}
_INPUT = PatternFill("solid", fgColor="FFF7D6")
_MAX_ROWS = 2000


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _points(value: Decimal | None):
    return float(value) if value is not None else None


def _open(upload):
    try:
        check_upload(upload, allowed=("xlsx",))
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    try:
        return load_workbook(io.BytesIO(upload.read()), data_only=True)
    except Exception:
        raise ValidationError(
            {"file": _("Không đọc được tệp Excel; hãy lưu lại dưới dạng .xlsx rồi gửi lại.")}
        ) from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_name(str(value))


# The criteria table -------------------------------------------------------------------------------

TABLE_HEADERS = [
    "Mã tiêu chí",
    "Thuộc",
    "Số thứ tự",
    "Nội dung tiêu chí",
    "Điểm tối đa",
    "Loại điểm",
    "Bắt buộc minh chứng",
    "Hướng dẫn chấm",
]


def criteria_table_workbook(*, table, tree) -> bytes:
    """The table as offices read it: one row per node with its path, its parent's path, the
    code, the content, the maximum (leaves), the kind, evidence and guidance."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Bảng tiêu chí"
    by_id = {n.criterion.pk: n for n in tree}
    rows = []
    for node in tree:
        c = node.criterion
        parent = by_id.get(c.parent_id)
        rows.append(
            [
                node.path,
                parent.path if parent else "",
                c.code,
                c.title,
                _points(c.max_points),
                _KIND_LABELS[c.kind] if c.is_leaf else "",
                "có" if c.evidence_required else "",
                c.guidance,
            ]
        )
    write_table(
        sheet,
        heading=_("{title} — phiên bản {v}").format(title=table.title, v=table.version),
        headers=TABLE_HEADERS,
        rows=rows,
        widths=(12, 10, 8, 60, 10, 12, 10, 40),
    )
    return _save(book)


@dataclass(frozen=True)
class ImportedCriterion:
    line: int
    path: str
    parent_path: str
    code: str
    title: str
    max_points: str
    kind: str
    evidence_required: bool
    guidance: str


@dataclass
class TableImport:
    rows: list[ImportedCriterion] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "Dòng 7: …"


def criteria_table_read(upload) -> TableImport:
    """Read a criteria table exported by ``criteria_table_workbook`` (or typed in its layout).
    Every problem is listed by line; nothing is written."""
    book = _open(upload)
    sheet = book.worksheets[0]
    found = TableImport()
    header_line = None
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        texts = [_cell_text(v) for v in values[:8]]
        if header_line is None:
            if texts[:1] == ["Mã tiêu chí"]:
                header_line = line
            continue
        if not any(texts):
            continue
        if len(found.rows) >= _MAX_ROWS:
            found.errors.append(_("Tệp có quá nhiều dòng (tối đa {n}).").format(n=_MAX_ROWS))
            break
        texts += [""] * (8 - len(texts))
        path, parent, code, title, max_points, kind, evidence, guidance = texts
        problems = []
        if not code or not title:
            problems.append(_("thiếu số thứ tự hoặc nội dung"))
        known = {r.path for r in found.rows}
        if parent and parent not in known:
            problems.append(_("“Thuộc” {p} chưa có ở các dòng trên").format(p=parent))
        expected = f"{parent}.{code}" if parent else code
        if path and path != expected:
            problems.append(
                _("mã {path} không khớp với {expected}").format(path=path, expected=expected)
            )
        if expected in known:
            problems.append(_("mã {p} trùng").format(p=expected))
        kind_value = _KIND_BY_LABEL.get(kind.lower(), Criterion.Kind.REGULAR if not kind else None)
        if kind_value is None:
            problems.append(
                _("loại điểm “{k}” không rõ (điểm chuẩn, điểm thưởng, điểm trừ)").format(k=kind)
            )
        if max_points:
            reading = rules.read_points(max_points, max_points=Decimal(1000), kind=ranking.REGULAR)
            if reading.problem or reading.points is None:
                problems.append(_("điểm tối đa “{v}” không phải số").format(v=max_points))
        if problems:
            found.errors.append(
                _("Dòng {line}: {what}.").format(line=line, what="; ".join(problems))
            )
            continue
        found.rows.append(
            ImportedCriterion(
                line=line,
                path=expected,
                parent_path=parent,
                code=code,
                title=title,
                max_points=max_points,
                kind=kind_value,
                evidence_required=evidence.lower() in ("có", "x", "1", "yes", "true"),
                guidance=guidance,
            )
        )
    if header_line is None:
        found.errors.append(
            _("Không thấy dòng tiêu đề bắt đầu bằng “Mã tiêu chí”; hãy dùng tệp tải từ hệ thống.")
        )
    elif not found.rows and not found.errors:
        found.errors.append(_("Tệp không có tiêu chí nào."))
    return found


# The score grid -----------------------------------------------------------------------------------


def score_grid_workbook(*, grid) -> bytes:
    """Units × leaves: the self score and the verified score of each cell, and the totals."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Bảng điểm"
    headers = ["Đơn vị"]
    for node in grid.leaves:
        headers += [f"{node.path} tự chấm", f"{node.path} thẩm định"]
    headers += ["Tổng tự chấm", "Tổng thẩm định"]
    rows = []
    for row in grid.rows:
        values = [row.unit.name]
        for cell in row.cells:
            values += [_points(cell.self_points), _points(cell.verified)]
        values += [_points(row.self_total), _points(row.verified_total)]
        rows.append(values)
    period = grid.period
    write_table(
        sheet,
        heading=_("Bảng điểm {kind} năm {y}").format(kind=period.get_kind_display(), y=period.year),
        headers=headers,
        rows=rows,
        widths=[40] + [11] * (len(headers) - 1),
    )
    leaves = book.create_sheet("Tiêu chí")
    write_table(
        leaves,
        heading=_("Các tiêu chí được chấm"),
        headers=["Mã", "Nội dung", "Điểm tối đa", "Loại điểm"],
        rows=[
            [
                n.path,
                n.criterion.title,
                _points(n.criterion.max_points),
                _KIND_LABELS[n.criterion.kind],
            ]
            for n in grid.leaves
        ],
        widths=(10, 70, 12, 12),
    )
    return _save(book)


# The officer's self-scoring sheet -----------------------------------------------------------------

_ABOUT = "_thiduea"
_FIRST_ROW = 4
_COLUMNS = ["Mã", "Nội dung tiêu chí", "Điểm tối đa", "Loại điểm", "Điểm tự chấm", "Giải trình"]


def report_workbook(*, sheet, unit_name: str) -> bytes:
    """The unit's sheet: one row per leaf, the points and comment cells open for typing (and
    checked by Excel against 0 … the maximum), everything else locked."""
    report = sheet.report
    period = report.period
    table = period.criteria_table
    book = Workbook()
    ws = book.active
    ws.title = "Tự chấm điểm"
    leaves = [r for r in sheet.rows if r.node.is_leaf]
    rows = []
    for row in leaves:
        c = row.node.criterion
        score = row.self_score
        rows.append(
            [
                row.node.path,
                c.title,
                _points(c.max_points),
                _KIND_LABELS[c.kind],
                _points(score.points) if score else None,
                score.comment if score else "",
            ]
        )
    write_table(
        ws,
        heading=_("{unit} — tự chấm điểm {kind} năm {y} (bảng tiêu chí phiên bản {v})").format(
            unit=unit_name, kind=period.get_kind_display(), y=period.year, v=table.version
        ),
        headers=_COLUMNS,
        rows=rows,
        widths=(10, 70, 11, 12, 12, 50),
    )
    ws.protection.sheet = True
    for index, row in enumerate(leaves):
        line = _FIRST_ROW + index
        for column in ("E", "F"):
            ws[f"{column}{line}"].protection = Protection(locked=False)
            ws[f"{column}{line}"].fill = _INPUT
        check = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=str(row.node.criterion.max_points),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Điểm không hợp lệ",
            error=f"Điểm từ 0 đến {rules_text(row.node.criterion.max_points)}.",
        )
        ws.add_data_validation(check)
        check.add(f"E{line}")
    about = book.create_sheet(_ABOUT)
    about.append(["report", report.pk])
    about.append(["unit", report.unit_id])
    about.append(["criteria_table", table.pk])
    about.append(["version", table.version])
    for index, row in enumerate(leaves):
        about.append([f"row:{_FIRST_ROW + index}", row.node.criterion.pk, row.node.path])
    about.sheet_state = "hidden"
    return _save(book)


def rules_text(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


@dataclass(frozen=True)
class CellChange:
    criterion_id: int
    path: str
    title: str
    before_points: Decimal | None
    points: str  # as typed; read again by the service
    before_comment: str
    comment: str
    version: int | None  # the cell's version when the sheet was read


@dataclass
class SheetDiff:
    changes: list[CellChange] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)  # "Ô E7: …"


def report_sheet_diff(*, upload, sheet) -> SheetDiff:
    """What the uploaded sheet would change in the report, or why it is refused. Nothing is
    written. Raises ValidationError (on ``file``) for a sheet of another unit, report or
    version."""
    book = _open(upload)
    report = sheet.report
    table = report.period.criteria_table
    if _ABOUT not in book.sheetnames:
        raise ValidationError(
            {
                "file": _(
                    "Tệp không phải phiếu tự chấm điểm tải từ hệ thống (thiếu thông tin nhận dạng)."
                )
            }
        )
    about = {}
    rows_of = {}
    for values in book[_ABOUT].iter_rows(values_only=True):
        key = str(values[0] or "")
        if key.startswith("row:"):
            rows_of[int(key[4:])] = values[1]
        elif key:
            about[key] = values[1]
    if about.get("unit") != report.unit_id or about.get("report") != report.pk:
        raise ValidationError(
            {
                "file": _(
                    "Phiếu này là của đơn vị hoặc kỳ báo cáo khác; hãy tải phiếu của chính báo cáo này."
                )
            }
        )
    if about.get("criteria_table") != table.pk or about.get("version") != table.version:
        raise ValidationError(
            {
                "file": _(
                    "Phiếu được lập theo bảng tiêu chí phiên bản {old}; kỳ báo cáo đang dùng phiên "
                    "bản {new}. Hãy tải phiếu mới."
                ).format(old=about.get("version"), new=table.version)
            }
        )
    leaves = {r.node.criterion.pk: r for r in sheet.rows if r.node.is_leaf}
    diff = SheetDiff()
    ws = book.worksheets[0]
    for line, criterion_id in sorted(rows_of.items()):
        row = leaves.get(criterion_id)
        if row is None:
            diff.errors.append(_("Dòng {line}: tiêu chí không còn trong bảng.").format(line=line))
            continue
        c = row.node.criterion
        raw_points = ws[f"E{line}"].value
        typed = (
            ""
            if raw_points is None
            else (
                rules_text(Decimal(str(raw_points)))
                if isinstance(raw_points, int | float)
                else str(raw_points)
            )
        )
        comment = clean_name(str(ws[f"F{line}"].value or ""))
        if comment[:1] in FORMULA_STARTS and comment[:1] == "=":
            diff.errors.append(
                _("Ô F{line}: giải trình không được là công thức.").format(line=line)
            )
            continue
        reading = rules.read_points(typed, max_points=c.max_points, kind=c.kind)
        if reading.problem:
            diff.errors.append(
                _("Ô E{line} (tiêu chí {path}): {problem}").format(
                    line=line,
                    path=row.node.path,
                    problem=points_problem_message(reading.problem, c),
                )
            )
            continue
        score = row.self_score
        before_points = score.points if score else None
        before_comment = score.comment if score else ""
        if reading.points == before_points and comment == before_comment:
            diff.unchanged += 1
            continue
        diff.changes.append(
            CellChange(
                criterion_id=c.pk,
                path=row.node.path,
                title=c.title,
                before_points=before_points,
                points=typed,
                before_comment=before_comment,
                comment=comment,
                version=score.version if score else None,
            )
        )
    return diff
