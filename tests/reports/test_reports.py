"""The year-end report: compiled from the year's data, versioned, never overwritten."""

import io

import pdfplumber
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from blocs.models import Bloc, Membership
from core import documents, jobs
from core.models import Job
from reports import services
from reports.models import YearEndReport
from reports.rules import chunk_blocs
from tests.blocs.test_views import _queries
from tests.conftest import THIS_YEAR, make_unit
from tests.scoring.test_ranking_runs import bloc_year  # noqa: F401  (the fixture)


def compile_now(world, bloc=None, year=THIS_YEAR):
    job = services.report_compile_request(
        actor=world.users["secretariat_x"], bloc=bloc or world.bloc_x, year=year
    )
    assert jobs.run(job.pk, task_id=f"t{job.pk}") == "done", job.message
    job.refresh_from_db()
    return job


def pdf_text(report) -> str:
    with pdfplumber.open(io.BytesIO(report.pdf.file.read())) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ([], []),
        ([(1, 10), (2, 10), (3, 10), (4, 10)], [[1, 2, 3, 4]]),
        ([(1, 10), (2, 10), (3, 10), (4, 10), (5, 10)], [[1, 2, 3, 4], [5]]),
        ([(1, 50), (2, 5)], [[1], [2]]),  # a bloc larger than a task stays whole
    ],
)
def test_a_province_is_cut_into_tasks_of_tens_of_units(sizes, expected):
    assert chunk_blocs(sizes, units_per_task=40) == expected


def test_the_report_names_every_member_the_chair_and_next_years_chair(world):
    job = compile_now(world)
    report = YearEndReport.objects.get()
    assert job.result == {"reports": [report.pk]}
    text = " ".join(pdf_text(report).split())
    for name in ("Viện kiểm sát nhân dân tỉnh", "Công an tỉnh", "Tòa án nhân dân tỉnh"):
        assert name in text
    assert "I. TÌNH HÌNH CHUNG" in text and "IV. PHƯƠNG HƯỚNG" in text
    assert "Công an tỉnh là Khối trưởng" in text
    assert report.pdf.verification_code in text
    assert report.page_count >= 1
    sheet = load_workbook(io.BytesIO(report.xlsx.file.read()))["Thành viên"]
    assert [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)] == [
        "Viện kiểm sát nhân dân tỉnh",
        "Công an tỉnh",
        "Tòa án nhân dân tỉnh",
    ]


def test_compiling_again_makes_a_new_version_and_keeps_the_delivered_one(world):
    compile_now(world)
    first = YearEndReport.objects.get()
    first_bytes = first.pdf.file.read()
    compile_now(world)
    assert list(YearEndReport.objects.values_list("version", flat=True).order_by("version")) == [
        1,
        2,
    ]
    first.refresh_from_db()
    assert first.pdf.file.read() == first_bytes
    second = YearEndReport.objects.get(version=2)
    assert second.data_sha256 == first.data_sha256  # the same data


def test_a_job_that_runs_twice_yields_one_version(world):
    job = services.report_compile_request(
        actor=world.users["secretariat_x"], bloc=world.bloc_x, year=THIS_YEAR
    )
    jobs.run(job.pk, task_id="a")
    Job.objects.filter(pk=job.pk).update(state=Job.State.PENDING)  # as if the run was cut off
    jobs.run(job.pk, task_id="b")
    assert YearEndReport.objects.count() == 1


def test_asking_again_while_it_runs_returns_the_same_job(world, login):
    client = login(world.users["secretariat_x"])
    url = reverse("reports:report_compile", args=[world.bloc_x.pk, THIS_YEAR])
    client.post(url)
    client.post(url)
    assert Job.objects.filter(kind="reports.year_end").count() == 1


def test_the_secretariats_text_goes_into_the_report(world, login):
    client = login(world.users["secretariat_x"])
    response = client.post(
        reverse("reports:report_text", args=[world.bloc_x.pk, THIS_YEAR]),
        {
            "overview": "Các đơn vị đoàn kết, hoàn thành tốt nhiệm vụ.",
            "direction": "Tiếp tục đổi mới.",
        },
    )
    assert response.status_code == 302
    compile_now(world)
    text = pdf_text(YearEndReport.objects.get())
    assert "hoàn thành tốt nhiệm vụ" in text and "Tiếp tục đổi mới." in text


def test_a_stale_text_form_is_refused(world, login):
    client = login(world.users["secretariat_x"])
    url = reverse("reports:report_text", args=[world.bloc_x.pk, THIS_YEAR])
    client.post(url, {"overview": "A", "direction": ""})
    client.post(url, {"version": "1", "overview": "B", "direction": ""})
    response = client.post(url, {"version": "1", "overview": "C", "direction": ""})
    assert "Người khác vừa lưu" in response.content.decode()


def test_a_province_batch_compiles_every_bloc_in_chunks_once(world):
    for n in range(5):
        bloc = Bloc.objects.create(
            authority=world.authority, code=f"Z{n}", name=f"Cụm thi đua số {n}"
        )
        for m in range(10):
            unit = make_unit(world.authority, f"Phường {n}-{m}")
            Membership.objects.create(bloc=bloc, unit=unit, year=THIS_YEAR)
    group = services.report_province_request(
        actor=world.users["secretariat_authority"], authority=world.authority, year=THIS_YEAR
    )
    # 7 blocs (3 + 2 + 5 × 10 members) in tasks of at most 40 units: 3+2+10+10+10, then 10+10.
    children = list(group.children.order_by("pk"))
    assert [len(c.params["bloc_ids"]) for c in children] == [5, 2]
    again = services.report_province_request(
        actor=world.users["secretariat_authority"], authority=world.authority, year=THIS_YEAR
    )
    assert again == group and group.children.count() == 2
    for child in children:
        jobs.run(child.pk, task_id=f"c{child.pk}")
    group.refresh_from_db()
    assert group.state == Job.State.DONE
    assert YearEndReport.objects.count() == 7
    assert set(YearEndReport.objects.values_list("version", flat=True)) == {1}


def test_report_pages_have_fixed_query_counts(world, login):
    client = login(world.users["secretariat_authority"])
    page = reverse("reports:report_list", args=[world.bloc_x.pk, THIS_YEAR])
    province = reverse("reports:province_reports", args=[world.authority.pk, THIS_YEAR])
    compile_now(world)
    before = (_queries(client, page), _queries(client, province))
    for _n in range(3):
        compile_now(world)
    for n in range(6):
        bloc = Bloc.objects.create(authority=world.authority, code=f"Q{n}", name=f"Khối {n}")
        Membership.objects.create(
            bloc=bloc, unit=make_unit(world.authority, f"Sở {n}"), year=THIS_YEAR
        )
        compile_now(world, bloc=bloc)
    assert (_queries(client, page), _queries(client, province)) == before
    assert max(before) <= 10


def test_the_progress_bar_tells_the_page_when_the_report_is_ready(world, login):
    client = login(world.users["secretariat_x"])
    response = client.post(
        reverse("reports:report_compile", args=[world.bloc_x.pk, THIS_YEAR]),
        headers={"HX-Request": "true"},
    )
    assert 'hx-trigger="every 2s"' in response.content.decode()
    job = Job.objects.get()
    jobs.run(job.pk, task_id="t")
    polled = client.get(reverse("job_status", args=[job.pk]), headers={"HX-Request": "true"})
    assert polled["HX-Trigger"] == "jobFinished"
    versions = client.get(
        reverse("reports:report_list", args=[world.bloc_x.pk, THIS_YEAR]),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert versions.lstrip().startswith("<section") and "PDF" in versions


def test_the_report_sets_each_pledged_target_against_what_each_unit_achieved(world):
    from decimal import Decimal

    from pledges import services as pledge_services
    from tests.pledges.factories import in_force

    pledge = in_force(world)
    targets = {t.text: t for t in pledge.targets.all()}
    lao_dong = targets["Cán bộ, công chức đạt danh hiệu Lao động tiên tiến"]
    trong_sach = targets["Tổ chức đảng trong sạch, vững mạnh"]
    for unit, value, judged in (
        (world.unit_a, "95.5", True),
        (world.unit_c, "88", False),
    ):
        pledge_services.achievements_save(
            actor=world.users["secretariat_authority"],
            pledge=pledge,
            unit=unit,
            rows=[
                pledge_services.AchievementInput(
                    target=lao_dong, version=None, value=Decimal(value), judged_met=None, note=""
                ),
                pledge_services.AchievementInput(
                    target=trong_sach, version=None, value=None, judged_met=judged, note=""
                ),
            ],
        )
    compile_now(world)
    report = YearEndReport.objects.get()
    text = " ".join(pdf_text(report).split())
    assert "1. Kết quả thực hiện các chỉ tiêu giao ước thi đua" in text
    # ≥ 90 %: A (95,5) met, C (88) not, D nothing entered yet.
    assert "1/3 đơn vị đạt, 1 đơn vị chưa có số liệu" in text
    assert "95,5 %" in text and "88 %" in text
    sheet = load_workbook(io.BytesIO(report.xlsx.file.read()))["Chỉ tiêu giao ước"]
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert (
        "Cán bộ, công chức đạt danh hiệu Lao động tiên tiến",
        "≥ 90 %",
        "Công an tỉnh",
        "88",
        "Không đạt",
    ) in rows


def test_the_report_gives_the_ballot_result_and_the_years_commendations(world):
    import datetime as dt

    from awards import services as award_services
    from awards.models import AwardType
    from tests.awards.test_views import open_ballot

    flag = AwardType.objects.get(code="co_thi_dua_tinh")
    award_services.award_registry_record(
        actor=world.users["admin"],
        unit=world.unit_d,
        year=THIS_YEAR - 1,
        award_type=flag,
        decision_number="20/QĐ-UBND",
        decision_date=dt.date(THIS_YEAR, 1, 20),
        issuing_body="Ủy ban nhân dân tỉnh Phú Thịnh",
    )
    ballot, item = open_ballot(world)
    a = item.candidates.get(unit=world.unit_a)
    for unit in (world.unit_a, world.unit_c, world.unit_d):
        award_services.ballot_cast(
            actor=world.users["admin"], ballot=ballot, unit=unit, choices={str(item.pk): [a.pk]}
        )
    award_services.ballot_close(actor=world.users["secretariat_x"], ballot=ballot)
    compile_now(world)
    report = YearEndReport.objects.get()
    text = " ".join(pdf_text(report).split())
    assert "Kết quả bình xét, bỏ phiếu kín ngày 16/12/2026" in text
    assert "3 (100,00%) Được đề nghị" in text
    # The award as this province writes it, as in the dossier.
    assert "Tòa án nhân dân tỉnh: Cờ thi đua của Ủy ban nhân dân tỉnh Phú Thịnh" in text
    # No pledge and no movement this year: the commendations are the section's first part.
    assert "II. KẾT QUẢ THỰC HIỆN 1. Công tác khen thưởng" in text
    from docx import Document

    twin = Document(io.BytesIO(report.docx.file.read()))
    assert "1. Công tác khen thưởng" in [p.text for p in twin.paragraphs]
    assert "Quyết định số 20/QĐ-UBND ngày 20/01/2026" in text


def test_the_dashboard_shows_each_step_and_who_is_late(world, login):
    import datetime as dt

    from pledges.models import Pledge
    from tests.pledges.factories import opened, sign

    pledge = opened(world)
    Pledge.objects.filter(pk=pledge.pk).update(signing_on=dt.date(2026, 3, 1))
    sign(world, pledge, world.unit_c)
    client = login(world.users["secretariat_x"])
    url = reverse("reports:dashboard", args=[world.bloc_x.pk, THIS_YEAR])
    body = client.get(url).content.decode()
    assert "Ký kết giao ước thi đua" in body and "1/3 đơn vị đã ký" in body
    assert "Chưa xong: Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh" in body
    assert "Báo cáo tổng kết" in body
    small = _queries(client, url)
    for n in range(9):
        unit = make_unit(world.authority, f"Sở thêm {n}")
        Membership.objects.create(bloc=world.bloc_x, unit=unit, year=THIS_YEAR)
    assert _queries(client, url) == small
    assert small <= 14  # one or two per step of the year, whatever the number of units


def test_the_word_twin_says_what_the_pdf_says(world):
    from docx import Document

    compile_now(world)
    report = YearEndReport.objects.get()
    document = Document(io.BytesIO(report.docx.file.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Tổng kết công tác thi đua, khen thưởng năm 2026 của Khối thi đua Nội chính" in text
    assert "I. TÌNH HÌNH CHUNG" in text and "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027" in text
    for name in ("Viện kiểm sát nhân dân tỉnh", "Công an tỉnh", "Tòa án nhân dân tỉnh"):
        assert name in cells
    assert report.docx.sha256 == documents.sha256_hex(report.docx.file.open("rb").read())


def test_the_report_gives_the_ranking_with_its_chart_and_the_score_grid(world, bloc_year):  # noqa: F811
    import datetime as dt

    from scoring import services as scoring_services

    scoring_services.ranking_compute(
        actor=bloc_year[0], bloc=world.bloc_x, year=THIS_YEAR, today=dt.date(THIS_YEAR, 12, 20)
    )
    compile_now(world)
    report = YearEndReport.objects.get()
    text = " ".join(pdf_text(report).split())
    assert "1. Kết quả chấm điểm, xếp hạng" in text
    assert "1 Viện kiểm sát nhân dân tỉnh 105,5" in text
    assert "Tòa án nhân dân tỉnh: " in text  # submitted, not accepted: not ranked
    book = load_workbook(io.BytesIO(report.xlsx.file.read()))
    assert "Bảng điểm" in book.sheetnames
    values = [c for row in book["Bảng điểm"].iter_rows(min_row=4, values_only=True) for c in row]
    assert "105,5" in values


def test_the_report_gives_the_proposal_and_the_decision(world):
    from awards import services as award_services
    from awards.models import AwardType

    proposal, _left = award_services.proposal_build(
        actor=world.users["secretariat_x"], bloc=world.bloc_x, year=THIS_YEAR
    )
    award_services.proposal_line_add(
        actor=world.users["secretariat_x"],
        proposal=proposal,
        unit=world.unit_c,
        award_type=AwardType.objects.get(code="bang_khen_chu_tich_tinh"),
        reason="Bổ sung",
    )
    compile_now(world)
    text = " ".join(pdf_text(YearEndReport.objects.get()).split())
    assert "Đề nghị khen thưởng" in text and "tình trạng: dự thảo" in text
    assert "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Phú Thịnh: Công an tỉnh." in text
