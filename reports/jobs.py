"""The year-end report compilation, run by the worker through core.jobs."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from blocs.models import Bloc
from core import documents, jobs
from core.uploads import DOCX, XLSX
from reports import documents as report_documents
from reports.models import YearEndReport
from reports.selectors import year_end_data


def _compile_one(job, bloc: Bloc, year: int, progress, share: tuple[int, int]) -> YearEndReport:
    """One bloc's report; idempotent: a job that runs again finds the version it made."""
    done = YearEndReport.objects.filter(job=job, bloc=bloc).first()
    if done:
        return done
    start, width = share
    name = bloc.name
    progress(start, f"{name}: thu thập số liệu")
    data = year_end_data(bloc=bloc, year=year)
    progress(start + width // 4, f"{name}: lập tệp PDF")
    code = documents.new_verification_code()
    today = timezone.localdate()
    pdf, pages = documents.render_pdf_pages(
        report_documents.PDF_TEMPLATE,
        report_documents.pdf_context(data, today=today, verification_code=code),
    )
    progress(start + width * 3 // 4, f"{name}: lập tệp Word, Excel")
    xlsx = report_documents.render_xlsx(data)
    docx = report_documents.render_docx(data, today=today)
    slug = f"bao-cao-tong-ket-{bloc.pk}-{year}"
    title = f"Báo cáo tổng kết công tác thi đua, khen thưởng năm {year} — {name}"
    with transaction.atomic():
        # The bloc row is the lock that numbers versions one after another.
        Bloc.objects.select_for_update().get(pk=bloc.pk)
        done = YearEndReport.objects.filter(job=job, bloc=bloc).first()
        if done:
            return done
        version = (
            YearEndReport.objects.filter(bloc=bloc, year=year).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        return YearEndReport.objects.create(
            bloc=bloc,
            year=year,
            version=version,
            job=job,
            pdf=documents.freeze(
                kind="reports.year_end.pdf",
                title=title,
                content=pdf,
                filename=f"{slug}-lan-{version}.pdf",
                issuer=name,
                actor=job.created_by,
                verification_code=code,
            ),
            docx=documents.freeze(
                kind="reports.year_end.docx",
                title=title,
                content=docx,
                filename=f"{slug}-lan-{version}.docx",
                content_type=DOCX.content_type,
                issuer=name,
                actor=job.created_by,
            ),
            xlsx=documents.freeze(
                kind="reports.year_end.xlsx",
                title=title,
                content=xlsx,
                filename=f"{slug}-lan-{version}.xlsx",
                content_type=XLSX.content_type,
                issuer=name,
                actor=job.created_by,
            ),
            data_sha256=data.sha256,
            page_count=pages,
            created_by=job.created_by,
        )


@jobs.job_handler("reports.year_end")
def compile_year_end(job, progress) -> dict:
    """params: {"year": 2022, "bloc_ids": [...]} — one bloc, or a chunk of a province batch."""
    year = job.params["year"]
    blocs = list(
        Bloc.objects.filter(pk__in=job.params["bloc_ids"])
        .select_related("authority")
        .order_by("pk")
    )
    if not blocs:
        raise jobs.JobError("Khối, cụm thi đua này không còn trên hệ thống.")
    made = []
    width = 100 // len(blocs)
    for index, bloc in enumerate(blocs):
        report = _compile_one(job, bloc, year, progress, (index * width, width))
        made.append(report.pk)
    return {"reports": made}
