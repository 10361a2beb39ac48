"""Time core.documents.render_pdf on the member list of a 12-member bloc.

    .venv/bin/python benchmarks/pdf_render.py

Uses a throwaway SQLite database (/tmp/pdfbench.sqlite3, recreated on every run), so it needs
neither PostgreSQL nor the province-scale data set. The context is built once, as the view builds
it; only the rendering (template → HTML → WeasyPrint → PDF bytes) is timed, in one thread: 3 warm-up
renders (the first one parses pdf.css and loads the fonts), then 30 measured. Prints the cold first
render, the median and p95 (nearest rank) of the measured ones, the page count and the median per
page. Writes nothing but the throwaway database.
"""

import io
import math
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATABASE = Path("/tmp/pdfbench.sqlite3")
MEMBERS = 12
WARM_UP = 3
RUNS = 30
YEAR = 2025


def setup_django() -> None:
    for path in (DATABASE, *DATABASE.parent.glob(DATABASE.name + "-*")):
        path.unlink(missing_ok=True)  # -wal, -shm
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "thiduea.settings"
    os.environ.pop("STATIC_MANIFEST", None)
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_bloc():
    from blocs.models import Authority, Bloc, ChairTerm, Membership, Unit, UnitName

    authority = Authority.objects.create(
        code="bench-pdf",
        name="Thành phố Hồ Chí Minh",
        people_committee_name="Ủy ban nhân dân Thành phố Hồ Chí Minh",
        council_name="Hội đồng Thi đua - Khen thưởng Thành phố Hồ Chí Minh",
        tdkt_office_name="Ban Thi đua - Khen thưởng Thành phố",
    )
    bloc = Bloc.objects.create(authority=authority, code="VIII", name="Khối thi đua VIII")
    names = [
        "Bộ Tư lệnh Thành phố",
        "Bộ Chỉ huy Bộ đội Biên phòng Thành phố",
        "Cục Thi hành án dân sự Thành phố",
        "Viện kiểm sát nhân dân Thành phố",
        "Công an Thành phố",
        "Tòa án nhân dân Thành phố",
        "Sở Tư pháp",
        "Thanh tra Thành phố",
        "Đoàn Luật sư Thành phố",
        "Hội Luật gia Thành phố",
        "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố",
        "Sở Lao động - Thương binh và Xã hội",
    ]
    units = []
    for position, name in enumerate(names[:MEMBERS], start=1):
        unit = Unit.objects.create(authority=authority, full_name=name)
        UnitName.objects.create(unit=unit, full_name=name)
        Membership.objects.create(bloc=bloc, unit=unit, year=YEAR, position=position)
        units.append(unit)
    ChairTerm.objects.create(bloc=bloc, year=YEAR, chair=units[0], vice_chair=units[1])
    return Bloc.objects.select_related("authority").get(pk=bloc.pk)


def main() -> None:
    setup_django()
    import pypdf

    from blocs.views import members_pdf_context
    from core.documents import render_pdf

    context = members_pdf_context(make_bloc(), YEAR)

    timings = []
    for _run in range(WARM_UP + RUNS):
        started = time.perf_counter()
        data = render_pdf("pdf/members.html", context)
        timings.append((time.perf_counter() - started) * 1000)
    cold, measured = timings[0], sorted(timings[WARM_UP:])
    median = statistics.median(measured)
    p95 = measured[math.ceil(0.95 * len(measured)) - 1]
    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)

    print(f"member list, {MEMBERS} members: {len(data):,} bytes, {pages} page(s)")
    print(f"first render (cold, parses pdf.css and loads fonts): {cold:.0f} ms")
    print(f"{RUNS} warm renders after {WARM_UP} warm-up: median {median:.0f} ms, p95 {p95:.0f} ms")
    print(f"per page: {median / pages:.0f} ms (median)")


if __name__ == "__main__":
    main()
