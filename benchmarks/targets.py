"""Every target of DESIGN §7.15 / issue 7 the suite measured: MET or MISSED, with the value.

    .venv/bin/python benchmarks/targets.py [--quick]

Reads what the scripts wrote into benchmarks/.out/ (no database, no Django):

- pages.json (pages.py, the five busiest pages): per page, p95 under load A ≤ 100 ms (the score
  grid ≤ 300 ms); p95 no higher than its admin baseline's, under load A and under load B; queries
  ≤ 10 and equal at both data sizes; 0 failed requests (both loads, every page, and every
  in-process request a 200); the bloc page ≥ 150 req/s at 10 closed-loop clients;
- results.json (run.py, bloc list, search and bloc page on the 40-bloc province): the same;
- score_grid.json (score_grid.py): the grid's queries equal at 6, 10 and 12 units;
- ranking.json (ranking.py): ≤ 20 ms per bloc, ≤ 1 s per province (p95);
- dossier_render.json (dossier_render.py): the Tờ trình ≤ 150 ms (median), app / plain
  WeasyPrint ≤ 1.3;
- reports_batch.json (reports_batch.py): a 12-unit bloc's year-end report ≤ 10 s, 40 blocs
  ≤ 180 s, time per bloc flat (40 against 10 ≤ 1.25 ×), a worker process ≤ 400 MB.

A result file that is missing makes its targets NOT MEASURED, which counts as a miss, except with
``--quick`` (a smoke test that skips the long runs). Exits 1 when any target is missed, so
``make bench`` fails loudly. Writes the table to benchmarks/.out/targets.md as well.
"""

import argparse
import json
import sys
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / ".out"

RESULTS_DIR = [OUT_DIR]  # --out changes it
MET, MISSED, NOT_MEASURED = "MET", "MISSED", "NOT MEASURED"


class Table:
    def __init__(self):
        self.rows = []

    def add(self, source, name, value, target, ok):
        status = NOT_MEASURED if ok is None else (MET if ok else MISSED)
        self.rows.append((source, name, value, target, status))

    def missing(self, source, names):
        for name, target in names:
            self.add(source, name, "-", target, None)


def load(name):
    path = RESULTS_DIR[0] / name
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def merged_stats(runs):
    stats = {}
    for run in runs or []:
        stats.update(run.get("stats") or {})
    return stats


def page_targets(table, source, data, *, app_pages, baseline, p95_targets, rps_targets, labels):
    """The page targets of pages.json or results.json."""
    queries = data["queries"]
    think = merged_stats(data.get("think"))
    closed = merged_stats(data.get("closed"))
    for name in app_pages:
        # Queries at every size; run.py also shows the page to a read-only reviewer, who gets no
        # edit form (fewer queries): not a data size.
        rows = [r for r in queries.get(name, []) if r["user"] != "reviewer"]
        counts = [r["queries"] for r in rows]
        ok = bool(counts) and min(counts) >= 0 and max(counts) <= 10 and len(set(counts)) == 1
        table.add(
            source,
            f"{name}: queries ≤ 10, equal at {labels}",
            ", ".join(map(str, counts)),
            "≤ 10, equal",
            ok,
        )
        target = p95_targets[name]
        st = think.get(name)
        table.add(
            source,
            f"{name}: p95, load A",
            f"{st['p95_ms']} ms" if st else "-",
            f"≤ {target} ms",
            (st["p95_ms"] <= target) if st else None,
        )
        for load_name, stats in (("A", think), ("B", closed)):
            st, base = stats.get(name), stats.get(baseline[name])
            table.add(
                source,
                f"{name}: p95 / {baseline[name]} p95, load {load_name}",
                f"{st['p95_ms'] / base['p95_ms']:.3f} ({st['p95_ms']} / {base['p95_ms']} ms)"
                if st and base
                else "-",
                "≤ 1.00",
                (st["p95_ms"] <= base["p95_ms"]) if st and base else None,
            )
    for name, target in rps_targets.items():
        st = closed.get(name)
        table.add(
            source,
            f"{name}: throughput, load B ({data['args']['clients']} closed-loop clients)",
            f"{st['rps']} req/s" if st else "-",
            f"≥ {target} req/s",
            (st["rps"] >= target) if st else None,
        )
    failures, requests = 0, 0
    for stats in (think, closed):
        for st in stats.values():
            failures += st["failures"]
            requests += st["requests"]
    bad_status = [
        f"{name} {r['status']}"
        for name, rows in queries.items()
        for r in rows
        if r["status"] != 200
    ]
    table.add(
        source,
        "errors: failed requests (both loads, every page) and in-process non-200s",
        f"{failures} of {requests}" + (f"; {', '.join(bad_status)}" if bad_status else ""),
        "0",
        (failures == 0 and not bad_status) if requests else None,
    )


def check(quick):
    table = Table()

    data = load("pages.json")
    five = ["bloc_page", "score_grid", "ranking", "proposal", "unit_report"]
    if data:
        page_targets(
            table,
            "pages.py",
            data,
            app_pages=five,
            baseline=data["baseline"],
            p95_targets=data["p95_targets_ms"],
            rps_targets=data["rps_targets"],
            labels="LUOI12 and LUOI06",
        )
    else:
        table.missing("pages.py", [(f"{n}: the five-page benchmark", "see pages.py") for n in five])

    data = load("results.json")
    four = ["bloc_list", "bloc_search", "bloc_detail"]
    if data:
        page_targets(
            table,
            "run.py",
            data,
            app_pages=four,
            baseline=dict.fromkeys(four, "admin_changelist"),
            p95_targets=dict.fromkeys(four, 100),
            rps_targets={"bloc_detail": 150},
            labels="every case",
        )
    else:
        table.missing("run.py", [(f"{n}: the page benchmark", "see run.py") for n in four])

    data = load("score_grid.json")
    if data and "score_grid" in data["queries"]:
        counts = [r["queries"] for r in data["queries"]["score_grid"]]
        table.add(
            "score_grid.py",
            "score_grid: queries equal at 12, 6 and 10 units",
            ", ".join(map(str, counts)),
            "≤ 10, equal",
            max(counts) <= 10 and min(counts) >= 0 and len(set(counts)) == 1,
        )
    else:
        table.missing("score_grid.py", [("score_grid: queries at three sizes", "≤ 10, equal")])

    data = load("ranking.json")
    if data:
        for part in ("pure", "service"):
            for name, t in data[part].items():
                if "province: 40" in name:
                    target = 1000
                elif "one bloc" in name and "rank_units" not in name:
                    target = 20
                else:
                    continue
                table.add(
                    "ranking.py",
                    f"{name} (p95)",
                    f"{t['p95_ms']:.1f} ms",
                    f"≤ {target} ms",
                    t["p95_ms"] <= target,
                )
        h = data["hash"]
        table.add(
            "ranking.py",
            "ranking hash stable (every run of a bloc, and rerank)",
            f"{h['runs']} runs, {len(h['unstable_blocs'])} unstable, "
            f"{len(h['rerank_differs'])} rerank differ",
            "stable",
            not h["unstable_blocs"] and not h["rerank_differs"],
        )
    else:
        table.missing(
            "ranking.py",
            [("ranking, one bloc (p95)", "≤ 20 ms"), ("ranking, province (p95)", "≤ 1000 ms")],
        )

    data = load("dossier_render.json")
    if data:
        table.add(
            "dossier_render.py",
            "Tờ trình, data + template + WeasyPrint (median)",
            f"{data['to_trinh_median_ms']} ms",
            "≤ 150 ms",
            data["to_trinh_median_ms"] <= 150,
        )
        table.add(
            "dossier_render.py",
            "4-document dossier, app / plain WeasyPrint (medians)",
            f"{data['ratio_app_plain']:.2f}",
            "≤ 1.3",
            data["ratio_app_plain"] <= 1.3,
        )
    else:
        table.missing("dossier_render.py", [("Tờ trình", "≤ 150 ms"), ("app / plain", "≤ 1.3")])

    data = load("reports_batch.json")
    if data:
        single = data.get("single_bloc_s")
        table.add(
            "reports_batch.py",
            "year-end report, one 12-unit bloc",
            f"{single} s" if single is not None else "-",
            "≤ 10 s",
            (single <= 10) if single is not None else None,
        )
        wall = data["batch_s"].get("40")
        table.add(
            "reports_batch.py",
            "year-end reports, province (40 blocs, 2 worker processes)",
            f"{wall} s" if wall is not None else "- (not run)",
            "≤ 180 s",
            (wall <= 180) if wall is not None else None,
        )
        flat = data.get("flat_ratio")
        table.add(
            "reports_batch.py",
            "time per bloc, 40 blocs against 10",
            f"{flat} ×" if flat is not None else "- (not run)",
            "≤ 1.25 ×",
            (flat <= 1.25) if flat is not None else None,
        )
        peak = data.get("peak_worker_mb")
        table.add(
            "reports_batch.py",
            "peak memory of a worker process",
            f"{peak} MB" if peak is not None else "-",
            "≤ 400 MB",
            (peak <= 400) if peak is not None else None,
        )
    else:
        table.missing(
            "reports_batch.py",
            [
                ("year-end report, one bloc", "≤ 10 s"),
                ("year-end reports, province", "≤ 180 s"),
                ("peak memory of a worker process", "≤ 400 MB"),
            ],
        )

    lines = [
        "| Source | Target | Measured | Wanted | Result |",
        "|---|---|---|---|---|",
    ]
    for source, name, value, target, status in table.rows:
        shown = status if status == MET else f"**{status}**"
        lines.append(f"| {source} | {name} | {value} | {target} | {shown} |")
    counts = {s: sum(1 for r in table.rows if r[4] == s) for s in (MET, MISSED, NOT_MEASURED)}
    failed = counts[MISSED] + (0 if quick else counts[NOT_MEASURED])
    summary = (
        f"{counts[MET]} met, {counts[MISSED]} missed, {counts[NOT_MEASURED]} not measured"
        + (" (a --quick smoke run: short loads, numbers indicative only)" if quick else "")
        + (": TARGETS MISSED" if failed else ": all targets met")
    )
    return "\n".join(lines) + "\n\n" + summary + "\n", failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: targets not measured do not fail"
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where the results are")
    args = parser.parse_args()
    RESULTS_DIR[0] = args.out
    text, failed = check(args.quick)
    args.out.mkdir(exist_ok=True)
    (args.out / "targets.md").write_text(text, encoding="utf-8")
    print(text)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
