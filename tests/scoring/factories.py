"""Building criteria tables, periods and reports for the tests through the services, as the pages
will."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from scoring import services
from tests.conftest import THIS_YEAR

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

# (group code, title, [(leaf code, title, max points, kind, evidence required)])
SPEC = [
    (
        "I",
        "Thực hiện nhiệm vụ chính trị",
        [
            ("1", "Hoàn thành các chỉ tiêu, nhiệm vụ được giao", "40", "regular", True),
            ("2", "Cải cách hành chính, chuyển đổi số", "20", "regular", False),
        ],
    ),
    (
        "II",
        "Công tác xây dựng Đảng, đoàn thể",
        [
            ("1", "Tổ chức đảng đạt trong sạch vững mạnh", "20", "regular", False),
            ("2", "Công đoàn, Đoàn thanh niên vững mạnh", "20", "regular", False),
        ],
    ),
    ("III", "Điểm thưởng", [("1", "Được tặng Cờ thi đua của UBND", "10", "bonus", True)]),
    ("IV", "Điểm trừ", [("1", "Có cán bộ bị kỷ luật", "5", "deduction", False)]),
]


def evidence_file(name="minh-chung.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, "application/pdf")


def build_table(actor, bloc, year=THIS_YEAR, spec=SPEC, **table_options):
    """A draft table; returns it and its leaves by path ("I.1")."""
    table = services.criteria_table_create(
        actor=actor,
        bloc=bloc,
        year=year,
        title=f"Bảng tiêu chí chấm điểm thi đua năm {year}",
        **table_options,
    )
    leaves = {}
    for position, (code, title, children) in enumerate(spec, start=1):
        group = services.criterion_add(
            actor=actor, table=table, parent=None, code=code, title=title, position=position
        )
        for leaf_code, leaf_title, max_points, kind, evidence in children:
            leaves[f"{code}.{leaf_code}"] = services.criterion_add(
                actor=actor,
                table=table,
                parent=group,
                code=leaf_code,
                title=leaf_title,
                max_points=max_points,
                kind=kind,
                evidence_required=evidence,
            )
    return table, leaves


def wide_spec(groups: int, leaves_per_group: int):
    return [
        (
            str(g),
            f"Nhóm tiêu chí {g}",
            [
                (str(i), f"Tiêu chí {g}.{i}", "5", "regular", False)
                for i in range(1, leaves_per_group + 1)
            ],
        )
        for g in range(1, groups + 1)
    ]


def open_period(actor, bloc, table, year=THIS_YEAR, kind="year_end"):
    period = services.period_create(
        actor=actor,
        bloc=bloc,
        year=year,
        kind=kind,
        opens_on=dt.date(year, 11, 1),
        deadline=dt.date(year, 11, 30),
        criteria_table=table,
    )
    return services.period_open(actor=actor, period=period)


def write(actor, report, text="Đơn vị hoàn thành tốt các nhiệm vụ được giao trong năm."):
    report.refresh_from_db()
    return services.report_update(actor=actor, report=report, version=report.version, text=text)


def fill(actor, report, leaves, points: dict[str, str], *, evidence=True, text=True):
    """Self-score the given leaves (path → points), attach evidence where it is required, and
    write the report's text."""
    if text:
        write(actor, report)
    for path, value in points.items():
        criterion = leaves[path]
        score = services.self_score_save(
            actor=actor, report=report, criterion=criterion, points=value, comment="", version=None
        )
        if evidence and criterion.evidence_required:
            services.evidence_add(
                actor=actor, report=report, upload=evidence_file(), criterion=criterion
            )
        assert score.points is not None
    return report


FULL = {"I.1": "38", "I.2": "19,5", "II.1": "20", "II.2": "18", "III.1": "10", "IV.1": "0"}


def submitted_report(world, unit, officer, period, leaves, points=None):
    report = services.report_start(actor=officer, period=period, unit=unit)
    fill(officer, report, leaves, points or FULL)
    return services.report_submit(actor=officer, report=report)
