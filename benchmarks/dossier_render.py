"""Render time of the award dossier (issue 5 targets), against plain WeasyPrint.

    .venv/bin/python benchmarks/dossier_render.py

Loads the demo data into a throwaway SQLite database (/tmp/dossierbench.sqlite3), takes scenario
A's proposal (1 Cờ thi đua + 5 Bằng khen, Khối thi đua VIII, 2022) and times, warm, in one
thread:

- the Tờ trình as the app renders it: context from the database, template, WeasyPrint (target
  median ≤ 150 ms);
- the four documents of the dossier (Tờ trình, Danh sách, Biên bản họp bình xét, Biên bản kiểm
  phiếu) as the app renders them;
- the same four HTML strings rendered by plain WeasyPrint without the application around it
  (``HTML(string=…).write_pdf(stylesheets=[CSS(filename=pdf.css)])``, the usual call), and the
  ratio of the app's time to it (target ≤ 1.3).

3 warm-up rounds, then 20 measured (``--runs``); median and p95 (nearest rank). Writes
benchmarks/.out/dossier_render.json (read by targets.py).
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATABASE = Path("/tmp/dossierbench.sqlite3")
WARM_UP = 3
RUNS = 20


def setup():
    for path in (DATABASE, *DATABASE.parent.glob(DATABASE.name + "-*")):
        path.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "thiduea.settings"
    os.environ["MEDIA_ROOT"] = "/tmp/dossierbench-media"
    os.environ.pop("STATIC_MANIFEST", None)
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def stats(values):
    ordered = sorted(values)
    return statistics.median(ordered), ordered[math.ceil(0.95 * len(ordered)) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS, help=f"measured rounds ({RUNS})")
    args = parser.parse_args()
    setup()
    from weasyprint import CSS, HTML

    from awards import dossier
    from awards.models import Proposal
    from core import documents

    proposal = Proposal.objects.select_related("bloc__authority").get(bloc__code="VIII", year=2022)
    builders = [
        dossier.to_trinh,
        dossier.danh_sach,
        dossier.bien_ban_hop,
        dossier.bien_ban_kiem_phieu,
    ]

    def app_one():
        item = dossier.to_trinh(proposal)
        return dossier.render(item, verification_code="BENCH00000")

    def app_four():
        return [
            dossier.render(build(proposal), verification_code="BENCH00000") for build in builders
        ]

    htmls = [
        documents.render_html(item.template, {**item.context, "verification_code": "BENCH00000"})
        for item in (build(proposal) for build in builders)
    ]
    stylesheet = documents.static_dir() / documents.STYLESHEET
    base_url = documents.static_dir().as_uri() + "/"

    def plain_four():
        return [
            HTML(string=html, base_url=base_url).write_pdf(
                stylesheets=[CSS(filename=str(stylesheet))]
            )
            for html in htmls
        ]

    results = {}
    for name, run in (("to_trinh", app_one), ("app_four", app_four), ("plain_four", plain_four)):
        times = []
        for index in range(WARM_UP + args.runs):
            started = time.perf_counter()
            run()
            if index >= WARM_UP:
                times.append((time.perf_counter() - started) * 1000)
        results[name] = stats(times)
    pages = [len(HTML(string=h, base_url=base_url).render().pages) for h in htmls]
    ratio = results["app_four"][0] / results["plain_four"][0]
    print("| Measure | Median | p95 | Target |")
    print("|---|---|---|---|")
    print(
        f"| Tờ trình (app: data + template + WeasyPrint) | {results['to_trinh'][0]:.0f} ms | {results['to_trinh'][1]:.0f} ms | ≤ 150 ms median |"
    )
    print(
        f"| 4-document dossier, app ({sum(pages)} pages) | {results['app_four'][0]:.0f} ms | {results['app_four'][1]:.0f} ms | |"
    )
    print(
        f"| Same 4 HTML, plain WeasyPrint | {results['plain_four'][0]:.0f} ms | {results['plain_four'][1]:.0f} ms | |"
    )
    print(f"| Ratio app / plain (medians) | {ratio:.2f} | | ≤ 1.3 |")
    print(f"Load average: {Path('/proc/loadavg').read_text().split()[:3]}")
    out = PROJECT_DIR / "benchmarks" / ".out"  # as benchconf.OUT_DIR (not imported: no bench DB)
    out.mkdir(exist_ok=True)
    (out / "dossier_render.json").write_text(
        json.dumps(
            {
                "runs": args.runs,
                "pages": sum(pages),
                **{
                    f"{name}_{stat}_ms": round(value, 1)
                    for name, (median, p95) in results.items()
                    for stat, value in (("median", median), ("p95", p95))
                },
                "ratio_app_plain": round(ratio, 3),
            },
            indent=1,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
