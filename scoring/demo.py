"""Criteria tables, reports, scores and a ranking for the seed blocs (SCENARIOS.md A and E).

INVENTED — the articles give no criteria, reports or scores — and marked as such here:

- Scenario A (Khối thi đua VIII, Thành phố Hồ Chí Minh, 2022): the whole 100-point criteria table
  (its groups, 13 lines, maxima, a bonus and a deduction line), the six units' year-end reports
  and self scores, the one adjustment the secretariat makes, every unit's yearly figures
  (headcount, women, Lao động tiên tiến, Chiến sĩ thi đua cơ sở, discipline), the bloc's
  tie-break chain, and the dates of the period. They are set so that the ranking agrees with the
  article's outcome: Bộ Tư lệnh Thành phố first (proposed for the Cờ thi đua of the city), the
  five others after it; three of them share a total and the tie-break chain places them.
  Công an Thành phố's deduction matches the discipline case of the pledges demo. The evidence
  files are one-page PDFs that say they are demo placeholders.
- Scenario E (Cụm thi đua số 7, Thành phố Hà Nội, 2023): the draft 2023 criteria table discussed
  at the mid-year review of 08/9/2023 (its content is invented), and a mid-year period of
  written reports (no scoring on a draft table), closed after the review, with the reports of
  three units (invented text).

Idempotent: a bloc-year that already has a criteria table is left alone.
"""

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from blocs import services as bloc_services
from blocs.models import Bloc, Membership, UnitYearFacts
from scoring import services
from scoring.models import CriteriaTable, ReportTransition, UnitReport

# (group code, title, [(code, title, max points, kind, evidence required, guidance)])
A_TABLE = [
    (
        "I",
        "Thực hiện nhiệm vụ chính trị",
        [
            (
                "1",
                "Hoàn thành các chỉ tiêu, nhiệm vụ chính trị được giao trong năm",
                "25",
                "regular",
                True,
                "Căn cứ báo cáo tổng kết năm của đơn vị và đánh giá của cơ quan cấp trên.",
            ),
            ("2", "Thực hiện cải cách hành chính, chuyển đổi số", "10", "regular", False, ""),
            (
                "3",
                "Công tác phòng, chống tham nhũng, tiêu cực, thực hành tiết kiệm, chống lãng phí",
                "8",
                "regular",
                False,
                "",
            ),
            ("4", "Thực hiện Quy chế dân chủ ở cơ sở", "7", "regular", False, ""),
        ],
    ),
    (
        "II",
        "Công tác xây dựng Đảng, đoàn thể",
        [
            (
                "1",
                "Tổ chức cơ sở đảng được xếp loại “Hoàn thành tốt nhiệm vụ” trở lên",
                "10",
                "regular",
                True,
                "Minh chứng: quyết định hoặc thông báo xếp loại của cấp ủy cấp trên.",
            ),
            (
                "2",
                "Công đoàn, Đoàn Thanh niên, Hội Phụ nữ (nếu có) đạt vững mạnh",
                "8",
                "regular",
                False,
                "",
            ),
            (
                "3",
                "Chăm lo đời sống vật chất, tinh thần cho cán bộ, chiến sĩ, người lao động",
                "7",
                "regular",
                False,
                "",
            ),
        ],
    ),
    (
        "III",
        "Thực hiện phong trào thi đua",
        [
            (
                "1",
                "Xây dựng kế hoạch, phát động phong trào thi đua; ký kết giao ước thi đua",
                "8",
                "regular",
                False,
                "",
            ),
            ("2", "Tham gia đầy đủ các hoạt động chung của Khối", "7", "regular", False, ""),
            (
                "3",
                "Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến",
                "5",
                "regular",
                False,
                "",
            ),
            (
                "4",
                "Gửi báo cáo sơ kết, tổng kết đúng thời hạn",
                "5",
                "regular",
                False,
                "Trừ 1 điểm cho mỗi báo cáo gửi trễ hạn.",
            ),
        ],
    ),
    (
        "IV",
        "Điểm thưởng",
        [
            (
                "1",
                "Được tặng Cờ thi đua, Bằng khen từ cấp Bộ, Thành phố trở lên trong năm",
                "10",
                "bonus",
                True,
                "Cờ thi đua: 5 điểm; Bằng khen: 3 điểm; cộng không quá 10 điểm.",
            ),
        ],
    ),
    (
        "V",
        "Điểm trừ",
        [
            (
                "1",
                "Có tập thể, cá nhân vi phạm bị xử lý kỷ luật từ khiển trách trở lên",
                "10",
                "deduction",
                False,
                "Trừ 2 điểm cho mỗi trường hợp.",
            ),
        ],
    ),
]

A_LEAVES = [
    "I.1",
    "I.2",
    "I.3",
    "I.4",
    "II.1",
    "II.2",
    "II.3",
    "III.1",
    "III.2",
    "III.3",
    "III.4",
    "IV.1",
    "V.1",
]

# Self scores in the order of A_LEAVES, in the members' order (Bộ Tư lệnh first).
# Verified totals: Bộ Tư lệnh 104,5; Công an 101,5; Biên phòng 101; Viện kiểm sát, Tòa án and Thi
# hành án 98,5 each, placed by group I (48,5 > 48 > 47,5), the first rule of the chain.
A_SCORES = [
    # Bộ Tư lệnh Thành phố: 99,5 + 5 = 104,5
    ["25", "9,5", "8", "7", "10", "8", "7", "8", "7", "5", "5", "5", "0"],
    # Bộ Chỉ huy Bộ đội Biên phòng: 98 + 5 (the secretariat verifies 3) = 101
    ["24,5", "9,5", "8", "7", "10", "8", "6,5", "8", "7", "4,5", "5", "5", "0"],
    # Cục Thi hành án dân sự: 95,5 + 3 = 98,5 (group I: 47,5)
    ["24", "9", "7,5", "7", "10", "7,5", "7", "7,5", "6,5", "4,5", "5", "3", "0"],
    # Viện kiểm sát nhân dân: 96,5 + 2 = 98,5 (group I: 48,5)
    ["24,5", "9,5", "8", "6,5", "10", "7,5", "7", "7,5", "7", "4,5", "4,5", "2", "0"],
    # Công an Thành phố: 98,5 + 5 − 2 = 101,5
    ["24,5", "9,5", "7,5", "7", "10", "8", "7", "8", "7", "5", "5", "5", "2"],
    # Tòa án nhân dân: 95,5 + 3 = 98,5 (group I: 48)
    ["24", "9", "8", "7", "10", "7,5", "6,5", "7,5", "7", "4,5", "4,5", "3", "0"],
]

A_COMMENTS = {
    "IV.1": [
        "Cờ thi đua của Bộ Quốc phòng năm 2022.",
        "Cờ thi đua của Bộ Tư lệnh Bộ đội Biên phòng năm 2022.",
        "Bằng khen của Bộ trưởng Bộ Tư pháp.",
        "Bằng khen của Viện trưởng VKSND tối cao (2 điểm theo quy chế Khối).",
        "Cờ thi đua của Bộ Công an.",
        "Bằng khen của Chánh án TAND tối cao.",
    ],
    "V.1": ["", "", "", "", "Một cán bộ bị kỷ luật khiển trách.", ""],
}

A_ADJUSTMENT = (
    1,
    "IV.1",
    "3",
    "Cờ thi đua đã được tính điểm thưởng năm 2021; năm 2022 tính Bằng khen của Bộ Tư lệnh "
    "Bộ đội Biên phòng (3 điểm).",
)

# (headcount, women, completed tasks, Lao động tiên tiến, Chiến sĩ thi đua cơ sở, disciplined)
A_FACTS = [
    (1240, 99, 1236, 1010, 118, 0),
    (960, 67, 955, 790, 92, 0),
    (415, 187, 412, 350, 41, 0),
    (612, 306, 610, 530, 60, 0),
    (5200, 780, 5180, 4300, 510, 1),
    (384, 211, 383, 330, 38, 0),
]

E_TABLE = [
    (
        "I",
        "Thực hiện nhiệm vụ chuyên môn",
        [
            (
                "1",
                "Hoàn thành các chỉ tiêu, nhiệm vụ UBND Thành phố giao năm 2023",
                "30",
                "regular",
                True,
                "",
            ),
            (
                "2",
                "Thực hiện chủ đề năm “Kỷ cương, trách nhiệm, hành động, sáng tạo, phát triển”",
                "15",
                "regular",
                False,
                "",
            ),
            ("3", "Cải cách hành chính, chuyển đổi số", "15", "regular", False, ""),
        ],
    ),
    (
        "II",
        "Công tác xây dựng Đảng, đoàn thể",
        [
            ("1", "Xây dựng tổ chức đảng trong sạch, vững mạnh", "10", "regular", False, ""),
            ("2", "Hoạt động của Công đoàn, Đoàn Thanh niên", "5", "regular", False, ""),
        ],
    ),
    (
        "III",
        "Thực hiện phong trào thi đua của Cụm",
        [
            (
                "1",
                "Thực hiện Kế hoạch số 972/KH-CTĐ7 ngày 04/4/2023 của Cụm",
                "15",
                "regular",
                False,
                "",
            ),
            ("2", "Tham gia hoạt động chung của Cụm", "10", "regular", False, ""),
        ],
    ),
    ("IV", "Điểm thưởng", [("1", "Sáng kiến, mô hình mới được nhân rộng", "5", "bonus", True, "")]),
    ("V", "Điểm trừ", [("1", "Gửi báo cáo chậm so với thời hạn", "5", "deduction", False, "")]),
]

E_MID_YEAR_REPORTS = {
    0: "Sở Giáo dục và Đào tạo báo cáo kết quả 6 tháng đầu năm 2023 và góp ý dự thảo bảng "
    "tiêu chí: đề nghị tách tiêu chí chuyển đổi số thành tiêu chí riêng.",
    1: "Sở Y tế báo cáo kết quả 6 tháng đầu năm 2023; thống nhất với dự thảo bảng tiêu chí.",
    3: "Sở Lao động - Thương binh và Xã hội báo cáo kết quả 6 tháng đầu năm 2023; đề nghị bổ "
    "sung điểm thưởng cho mô hình giảm nghèo bền vững.",
}


def _placeholder_pdf(label: str) -> SimpleUploadedFile:
    """A one-page PDF that says it is a demo placeholder, standing in for real evidence."""
    text = f"Minh chung minh hoa - du lieu mau, khong phai tai lieu that: {label}"
    text = text.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    stream = f"BT /F1 12 Tf 60 780 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return SimpleUploadedFile("minh-chung-minh-hoa.pdf", out.getvalue(), "application/pdf")


def _table(actor, bloc, year, title, spec):
    table = services.criteria_table_create(actor=actor, bloc=bloc, year=year, title=title)
    leaves = {}
    for position, (code, group_title, children) in enumerate(spec, start=1):
        group = services.criterion_add(
            actor=actor, table=table, parent=None, code=code, title=group_title, position=position
        )
        for leaf_position, (leaf, title_, points, kind, evidence, guidance) in enumerate(
            children, start=1
        ):
            leaves[f"{code}.{leaf}"] = services.criterion_add(
                actor=actor,
                table=table,
                parent=group,
                code=leaf,
                title=title_,
                max_points=points,
                kind=kind,
                evidence_required=evidence,
                guidance=guidance,
                position=leaf_position,
            )
    return table, leaves


def _members(bloc, year):
    return [
        m.unit
        for m in Membership.objects.filter(bloc=bloc, year=year)
        .select_related("unit")
        .order_by("position")
    ]


def _officers(prefix: str, count: int):
    User = get_user_model()
    officers = [
        User.objects.filter(username=f"canbo-{prefix}{n}").first() for n in range(1, count + 1)
    ]
    return officers if all(officers) else None


def _load_a(secretariat) -> None:
    bloc = Bloc.objects.filter(authority__code="hcm", code="VIII").first()
    if bloc is None or CriteriaTable.objects.filter(bloc=bloc, year=2022).exists():
        return
    units = _members(bloc, 2022)
    officers = _officers("a", len(units))
    if len(units) != len(A_SCORES) or officers is None:
        return
    table, leaves = _table(
        secretariat,
        bloc,
        2022,
        "Bảng tiêu chí chấm điểm thi đua Khối thi đua VIII năm 2022",
        A_TABLE,
    )
    services.scoring_settings_set(
        actor=secretariat,
        bloc=bloc,
        year=2022,
        cross_scoring=False,
        vetoed_units="rank_with_flag",
        tie_break=["group:I", "fewer_deductions", "women_70"],
        version=None,
    )
    for unit, facts in zip(units, A_FACTS, strict=True):
        if UnitYearFacts.objects.filter(unit=unit, year=2022).exists():
            continue
        headcount, women, completed, advanced, fighters, disciplined = facts
        bloc_services.unit_year_facts_set(
            actor=secretariat,
            unit=unit,
            year=2022,
            version=None,
            headcount=headcount,
            women=women,
            completed_tasks=completed,
            advanced_workers=advanced,
            emulation_fighters=fighters,
            disciplined_warning_or_above=disciplined,
            source="Báo cáo tổng kết năm 2022 của đơn vị (số liệu minh họa)",
        )
    period = services.period_create(
        actor=secretariat,
        bloc=bloc,
        year=2022,
        kind="year_end",
        opens_on=dt.date(2022, 11, 15),
        deadline=dt.date(2022, 12, 5),
        criteria_table=table,
    )
    period = services.period_open(actor=secretariat, period=period)
    reports = []
    for index, (unit, officer) in enumerate(zip(units, officers, strict=True)):
        report = services.report_start(actor=officer, period=period, unit=unit)
        report = services.report_update(
            actor=officer,
            report=report,
            version=report.version,
            text=(
                f"Báo cáo tổng kết công tác thi đua, khen thưởng năm 2022 của {unit.full_name} "
                "(nội dung minh họa). Đơn vị hoàn thành toàn diện các chỉ tiêu, nhiệm vụ được "
                "giao; tham gia đầy đủ các hoạt động của Khối thi đua VIII."
            ),
        )
        for path, points in zip(A_LEAVES, A_SCORES[index], strict=True):
            criterion = leaves[path]
            services.self_score_save(
                actor=officer,
                report=report,
                criterion=criterion,
                points=points,
                comment=A_COMMENTS.get(path, [""] * 6)[index],
                version=None,
            )
            if criterion.evidence_required:
                services.evidence_add(
                    actor=officer,
                    report=report,
                    upload=_placeholder_pdf(f"{unit.short_name or unit.full_name} {path}"),
                    criterion=criterion,
                )
        reports.append(services.report_submit(actor=officer, report=report))
    unit_index, path, points, reason = A_ADJUSTMENT
    services.verified_score_save(
        actor=secretariat,
        report=reports[unit_index],
        criterion=leaves[path],
        points=points,
        reason=reason,
        version=None,
    )
    for report in reports:
        services.report_accept(actor=secretariat, report=report)
    _dated_as_in_the_year(reports, sent=dt.date(2022, 12, 1), accepted=dt.date(2022, 12, 9))
    period = services.period_close(actor=secretariat, period=period)
    services.ranking_compute(actor=secretariat, bloc=bloc, year=2022, today=dt.date(2022, 12, 12))
    services.period_publish(actor=secretariat, period=period)


def _load_e(secretariat) -> None:
    bloc = Bloc.objects.filter(authority__code="ha-noi", code="7").first()
    if bloc is None or CriteriaTable.objects.filter(bloc=bloc, year=2023).exists():
        return
    units = _members(bloc, 2023)
    officers = _officers("e", len(units))
    if officers is None:
        return
    table, _leaves = _table(
        secretariat,
        bloc,
        2023,
        "Dự thảo Bảng tiêu chí chấm điểm thi đua Cụm thi đua số 7 năm 2023",
        E_TABLE,
    )
    period = services.period_create(
        actor=secretariat,
        bloc=bloc,
        year=2023,
        kind="mid_year",
        opens_on=dt.date(2023, 8, 15),
        deadline=dt.date(2023, 9, 5),
        criteria_table=table,
        self_scoring=False,
    )
    period = services.period_open(actor=secretariat, period=period)
    sent = []
    for index, text in E_MID_YEAR_REPORTS.items():
        report = services.report_start(actor=officers[index], period=period, unit=units[index])
        report = services.report_update(
            actor=officers[index], report=report, version=report.version, text=text
        )
        report = services.report_submit(actor=officers[index], report=report)
        services.report_accept(actor=secretariat, report=report)
        sent.append(report)
    _dated_as_in_the_year(sent, sent=dt.date(2023, 8, 28), accepted=dt.date(2023, 9, 6))
    services.period_close(actor=secretariat, period=period)


def _dated_as_in_the_year(reports, *, sent: dt.date, accepted: dt.date) -> None:
    """The demo is loaded today but tells a past year: its reports were sent and accepted then
    (one unit a day from ``sent``, at 9:00 local time), not at the moment of loading."""
    zone = timezone.get_current_timezone()
    for index, report in enumerate(reports):
        sent_at = dt.datetime.combine(sent + dt.timedelta(days=index), dt.time(9), zone)
        UnitReport.objects.filter(pk=report.pk).update(submitted_at=sent_at)
        steps = ReportTransition.objects.filter(report=report)
        steps.filter(to_state=UnitReport.State.DRAFT).update(at=sent_at - dt.timedelta(days=3))
        steps.filter(to_state=UnitReport.State.SUBMITTED).update(at=sent_at)
        steps.filter(to_state=UnitReport.State.ACCEPTED).update(
            at=dt.datetime.combine(accepted, dt.time(15), zone)
        )


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    User = get_user_model()
    secretariat = User.objects.filter(username="thuky").first()
    if secretariat is None:
        return []
    _load_a(secretariat)
    _load_e(secretariat)
    return []
