"""Scenario A's year-end report compiled by a real Celery worker on Redis and PostgreSQL.

The worker is a separate process (as in production): it reads the demo data the test loaded,
renders the three files and freezes them. Needs PostgreSQL and redis-server (CI has both).
"""

import io
import time

import pdfplumber
import pytest
from django.db import transaction
from docx import Document
from openpyxl import load_workbook

from blocs.models import Bloc
from core.models import Job, User
from reports import services
from reports.models import YearEndReport
from tests.core.test_job_faults import processes, redis  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_real_worker_compiles_scenario_a_and_the_three_files_open(processes, redis, law):  # noqa: F811
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    bloc = Bloc.objects.get(code="VIII", authority__code="hcm")
    processes.worker()
    with transaction.atomic():
        job = services.report_compile_request(
            actor=User.objects.get(username="thuky"), bloc=bloc, year=2022
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in (Job.State.DONE, Job.State.FAILED):
            break
        time.sleep(0.3)
    assert job.state == Job.State.DONE, f"{job.state} {job.message}\n{processes.logs()}"
    report = YearEndReport.objects.get(bloc=bloc, year=2022)

    with report.pdf.file.open("rb") as handle, pdfplumber.open(io.BytesIO(handle.read())) as pdf:
        assert len(pdf.pages) >= 3
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "BÁO CÁO Tổng kết công tác thi đua, khen thưởng năm 2022 của Khối thi đua VIII" in text
    # The pledged-versus-achieved table: every unit met the first target; Công an Thành phố had
    # one disciplinary case against a pledge of none.
    assert "6/6 đơn vị đạt" in text
    assert "Công an Thành phố 1 vụ Không đạt" in text
    assert "1 Bộ Tư lệnh Thành phố 104,5" in text  # the ranking
    assert report.pdf.verification_code in text

    with report.docx.file.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    assert any("II. KẾT QUẢ THỰC HIỆN" in p.text for p in document.paragraphs)
    with report.xlsx.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    assert {"Thành viên", "Chỉ tiêu giao ước", "Bảng điểm", "Đề nghị khen thưởng"} <= set(
        book.sheetnames
    )
