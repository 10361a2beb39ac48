"""Render time of the pledge PDF (issue 3 target: ≤ 150 ms per page, warm).

    .venv/bin/python benchmarks/pledges_pdf.py

Loads the blocs and pledges demo data into a throwaway SQLite database
(/tmp/pledgesbench.sqlite3, recreated on every run), takes scenario D's pledge in force (Khối thi
đua các cơ quan của Đảng, Cần Thơ, 2021: six units, six commitments, three targets) and times,
warm, in one thread:

- rendering alone: the document built once from the database (pledges.documents.build), then
  template → HTML → WeasyPrint → PDF bytes (pledges.documents.render);
- with the database reads: the pledge read as the PDF view reads it (selectors.pledge_or_404),
  its members, targets, signatures and "Căn cứ" documents, then the same rendering;
- for comparison, scenario E's pledge (Cụm thi đua số 7, Hà Nội, 2023) with the database reads,
  and D's Word twin (python-docx, no WeasyPrint).

3 warm-up rounds (the first one parses pdf.css and loads the fonts), then 30 measured; median
and p95 (nearest rank), and the median per page. Writes nothing but the throwaway database and
its media folder.
"""

import ctypes
import math
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATABASE = Path("/tmp/pledgesbench.sqlite3")
MEDIA = Path("/tmp/pledgesbench-media")
WARM_UP = 3
RUNS = 30
TARGET_MS_PER_PAGE = 150


def setup() -> None:
    for path in (DATABASE, *DATABASE.parent.glob(DATABASE.name + "-*")):
        path.unlink(missing_ok=True)  # -wal, -shm
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "thiduea.settings"
    os.environ["MEDIA_ROOT"] = str(MEDIA)
    os.environ.pop("STATIC_MANIFEST", None)
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from blocs import demo as blocs_demo
    from pledges import demo as pledges_demo

    blocs_demo.load()
    pledges_demo.load()


def stats(values):
    ordered = sorted(values)
    return statistics.median(ordered), ordered[math.ceil(0.95 * len(ordered)) - 1]


def timed(run):
    times = []
    for index in range(WARM_UP + RUNS):
        started = time.perf_counter()
        run()
        if index >= WARM_UP:
            times.append((time.perf_counter() - started) * 1000)
    return stats(times)


def library_version(name: str, function: str) -> str:
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return "not found"
    getter = getattr(library, function)
    getter.restype = ctypes.c_char_p
    return getter().decode()


def main():
    setup()
    import weasyprint
    from weasyprint.text import ffi

    from core import documents as core_documents
    from pledges import documents, selectors
    from pledges.models import Pledge

    d = Pledge.objects.get(bloc__authority__code="can-tho", year=2021, state="in_force")
    e = Pledge.objects.get(bloc__authority__code="ha-noi", year=2023, state="in_force")

    def pages_of(pledge) -> int:
        document = documents.build(pledge, verification_code=pledge.document.verification_code)
        return core_documents.render_pdf_pages(documents.TEMPLATE, document.as_context())[1]

    built = documents.build(d, verification_code=d.document.verification_code)

    def render_only():
        return documents.render(built)

    def with_reads(pk, code):
        def run():
            pledge = selectors.pledge_or_404(pk)
            return documents.pledge_pdf(pledge, verification_code=code)

        return run

    def word_twin():
        return documents.pledge_docx(selectors.pledge_or_404(d.pk))

    d_pages, e_pages = pages_of(d), pages_of(e)
    rows = [
        ("Scenario D, rendering alone", d_pages, timed(render_only)),
        (
            "Scenario D, with the database reads",
            d_pages,
            timed(with_reads(d.pk, d.document.verification_code)),
        ),
        (
            "Scenario E, with the database reads",
            e_pages,
            timed(with_reads(e.pk, e.document.verification_code)),
        ),
    ]
    docx = timed(word_twin)

    subsetting = "yes" if getattr(ffi, "harfbuzz_subset", None) is not None else "no"
    print(
        f"WeasyPrint {weasyprint.__version__}, "
        f"HarfBuzz {library_version('libharfbuzz.so.0', 'hb_version_string')} "
        f"(subsetting: {subsetting}), "
        f"Pango {library_version('libpango-1.0.so.0', 'pango_version_string')}, "
        f"Python {sys.version.split()[0]}"
    )
    print()
    print("| Measure | Pages | Median | p95 | Median per page | Target (per page) |")
    print("|---|---|---|---|---|---|")
    for label, pages, (median, p95) in rows:
        per_page = median / pages
        verdict = "met" if per_page <= TARGET_MS_PER_PAGE else "missed"
        print(
            f"| {label} | {pages} | {median:.0f} ms | {p95:.0f} ms | {per_page:.0f} ms "
            f"| ≤ {TARGET_MS_PER_PAGE} ms: {verdict} |"
        )
    print(f"| Scenario D, Word twin (python-docx) | | {docx[0]:.0f} ms | {docx[1]:.0f} ms | | |")
    print()
    print(f"Load average: {Path('/proc/loadavg').read_text().split()[:3]}")


if __name__ == "__main__":
    main()
