"""Job handlers used by the job tests only; a test worker imports them with --include."""

import time

from core import documents, jobs
from core.models import FrozenDocument


@jobs.job_handler("test.steps")
def steps(job, progress):
    """Takes params["steps"] × params["pause"] seconds; leaves one frozen document per job."""
    for step in range(job.params.get("steps", 3)):
        progress(100 * step // job.params.get("steps", 3), f"Bước {step + 1}")
        time.sleep(job.params.get("pause", 0))
    kind = f"test:{job.pk}"
    existing = FrozenDocument.objects.filter(kind=kind).first()
    document = existing or documents.freeze(
        kind=kind, title=job.title, content=b"%PDF-1.7\n%%EOF\n", filename="t.pdf"
    )
    return {"document": document.pk}


@jobs.job_handler("test.refuses")
def refuses(job, progress):
    raise jobs.JobError("Chưa có bảng điểm đã thẩm định.")


@jobs.job_handler("test.crashes")
def crashes(job, progress):
    raise RuntimeError("boom")
