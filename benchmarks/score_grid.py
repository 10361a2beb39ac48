"""The secretariat's score grid (12 units × 60 criteria) against the admin changelist of the same
score rows (issue 4 targets).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thiduea_bench_scoring \
        .venv/bin/python benchmarks/score_grid.py [--duration 30] [--rounds 2] [--help]

On the data of scoring_seed.py (run it first):

- ``score_grid``: ``scoring:score_grid`` (``/periods/<pk>/grid/``) of the year-end period of bloc
  LUOI12 (12 units × 60 leaves, self and verified), as bench-secretariat. While the page is not in
  the code (the URL name does not resolve), it is left out and only the baseline is measured.
- ``admin_selfscore`` (the baseline): ``/admin/scoring/selfscore/?report__in=<the period's 12
  reports>``, the SelfScore changelist of the same period's rows (720; 100 a page, Django's
  default ordering), as bench-admin.

1. In process (django.test.Client with force_login, CaptureQueriesContext, as run.py): the
   queries of each page at two data sizes, bloc LUOI06 (6 units) and LUOI12 (12 units), which
   must be equal (BEGIN/COMMIT not counted); a 10-unit bloc as a third size; and the service
   time, the median of ``--repeats`` sequential requests without HTTP.
2. gunicorn as run.py starts it (``--workers 2 --threads 1`` by default: sync workers, as
   deployed), real-HTTP logins, a warm-up, then Locust closed-loop users (benchmarks/locustfile.py,
   ``ClosedLoopUser``: no think time), ``--clients`` (20) at a time, one page at a time, the grid
   then the admin, ``--rounds`` times: median, p95, p99 from every request's own timing, req/s,
   failures, the CPU of each process group, and the ratio grid / admin. A request fails unless it
   answers 200 with the page's marker (for the grid: the name of the bloc's last unit, so every
   row was rendered) and without a login form.

Output: the tables on stdout, benchmarks/.out/score_grid.json (everything, with the SQL) and
.out/score_grid.md. Targets: queries equal at 6 and 12 units; grid p95 ≤ admin p95; p95 ≤ 100 ms.
"""

import argparse
import html
import json
import os
import signal
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchconf
import run
import scoring_seed

GRID, ADMIN = "score_grid", "admin_selfscore"
P95_TARGET_MS = 100


def grid_url(period_pk):
    """The grid's URL, or None while the page is not in the code."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("scoring:score_grid", kwargs={"pk": period_pk})
    except NoReverseMatch:
        return None


def admin_url(report_ids):
    return "/admin/scoring/selfscore/?report__in=" + ",".join(map(str, sorted(report_ids)))


def pick_targets():
    from blocs.models import Bloc, Membership
    from scoring.models import ReportingPeriod, UnitReport

    cases = {GRID: [], ADMIN: []}
    pages = {}
    chosen = [
        ("LUOI12", "12 units × 60 leaves"),
        ("LUOI06", "6 units × 60 leaves"),
        (Bloc.objects.order_by("pk").first().code, "10 units × 60 leaves"),
    ]
    for code, label in chosen:
        bloc = Bloc.objects.filter(code=code).order_by("pk").first()
        period = ReportingPeriod.objects.get(bloc=bloc, year=scoring_seed.YEAR, kind="year_end")
        reports = list(UnitReport.objects.filter(period=period).values_list("pk", flat=True))
        last = (
            Membership.objects.filter(bloc=bloc, year=scoring_seed.YEAR)
            .select_related("unit")
            .order_by("-position")
            .first()
            .unit
        )
        grid = grid_url(period.pk)
        if grid:
            cases[GRID].append(("app", grid, f"{code}: {label}"))
        cases[ADMIN].append(
            ("admin", admin_url(reports), f"{code}: {len(reports) * 60} rows, page 1 of 100")
        )
        if code == "LUOI12":
            if grid:
                pages[GRID] = {
                    "urls": [grid],
                    "session": "app",
                    "marker": html.escape(last.full_name),
                }
            pages[ADMIN] = {
                "urls": [admin_url(reports)],
                "session": "admin",
                "marker": 'id="changelist"',
            }
    if not cases[GRID]:
        del cases[GRID]
    return {"pages": pages, "query_cases": cases}


def constant(rows):
    """Queries at 6 and 12 units (and 10) are equal."""
    counts = [r["queries"] for r in rows]
    return len(set(counts)) == 1, counts


def report(results):
    f = results["facts"]
    q = results["queries"]
    lines = [
        f"Run {f['date']}: {f['nproc']} CPUs ({f['cpu_model']}), {f['memory']} RAM, "
        f"Linux {f['kernel']}.",
        f"Python {f['python']}, Django {f['django']}, {f['postgresql']} "
        f"({f['postgresql_settings']}), psycopg {f['psycopg']}, gunicorn {f['gunicorn']}, "
        f"Locust {f['locust']}.",
        f"Code: {f.get('revision') or 'unknown'}. Server: `{f['gunicorn_cmd']}`.",
        f"Load average before / after: {' '.join(f['loadavg_before'])} / "
        f"{' '.join(f.get('loadavg_after', []))}.",
        "",
    ]
    if GRID not in q:
        lines += [
            "**The score grid page is not in this code** (`scoring:score_grid` does not "
            "resolve): only the admin baseline is measured.",
            "",
        ]
    lines += [
        "| Page | Case | Status | Queries | Service time | Bytes |",
        "|---|---|---|---|---|---|",
    ]
    for name, rows in q.items():
        for row in rows:
            ms = f"{row['service_ms']} ms" if row["service_ms"] is not None else "-"
            lines.append(
                f"| {name} | {row['label']} | {row['status']} | {row['queries']} | {ms} | "
                f"{row['bytes']:,} |"
            )
    lines.append("")
    for name, rows in q.items():
        same, counts = constant(rows)
        lines.append(
            f"- {name}: queries {'equal' if same else '**not equal**'} at 12, 6 and 10 units "
            f"({', '.join(map(str, counts))})"
        )
    if GRID in q and ADMIN in q:
        g, d = q[GRID][0]["service_ms"], q[ADMIN][0]["service_ms"]
        if g and d:
            lines.append(f"- service time grid / admin (12 units): {g / d:.2f}")
    for round_no, runs in enumerate(results.get("rounds", []), start=1):
        lines += [
            "",
            f"Round {round_no}: {runs[0]['clients']} closed-loop "
            f"client{'s' if runs[0]['clients'] > 1 else ' (alone: no queueing)'}, "
            f"{runs[0]['duration']} s per page",
            "",
            "| Page | Requests | Failures | Median | p95 | p99 | req/s | CPU gunicorn / PostgreSQL / "
            "Locust / other |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in runs:
            st = r["stats"].get(r["page"])
            c = r["cpu"]
            if not st:
                lines.append(f"| {r['page']} | 0 | - | - | - | - | - | - |")
                continue
            lines.append(
                f"| {r['page']} | {st['requests']} | {st['failures']} | {st['median_ms']} ms | "
                f"{st['p95_ms']} ms | {st['p99_ms']} ms | {st['rps']} | {c['gunicorn']} / "
                f"{c['postgres']} / {c['locust']} / {c['other']}"
                + (
                    f" (cleanest of {len(r['attempts_other_cores'])}: other "
                    f"{r['attempts_other_cores']})"
                    if len(r.get("attempts_other_cores", [])) > 1
                    else ""
                )
                + " |"
            )
        by_page = {r["page"]: r["stats"].get(r["page"]) for r in runs}
        if by_page.get(GRID) and by_page.get(ADMIN):
            ratio = by_page[GRID]["p95_ms"] / by_page[ADMIN]["p95_ms"]
            lines += [
                "",
                f"Grid p95 / admin p95: {ratio:.2f} (median: "
                f"{by_page[GRID]['median_ms'] / by_page[ADMIN]['median_ms']:.2f}); grid p95 "
                f"≤ {P95_TARGET_MS} ms: {'met' if by_page[GRID]['p95_ms'] <= P95_TARGET_MS else '**not met**'}.",
            ]
    lines += ["", "SQL of each page (12 units; ms as logged by Django):", ""]
    for name, rows in q.items():
        lines += run.sql_listing(f"`{name}`: {rows[0]['queries']} queries", rows[0])
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30, help="s per page and round (30)")
    parser.add_argument("--clients", type=int, default=20, help="closed-loop clients (20)")
    parser.add_argument("--rounds", type=int, default=2, help="grid then admin, this many times")
    parser.add_argument(
        "--solo-duration",
        type=int,
        default=15,
        help="then one client alone per page, s: latency without queueing (15; 0 skips)",
    )
    run.add_server_arguments(parser, 8766)
    parser.add_argument("--repeats", type=int, default=15, help="in-process timings per case")
    parser.add_argument(
        "--quiet-wait", type=int, default=15, help="wait up to this for an idle machine (15 s)"
    )
    parser.add_argument(
        "--max-other",
        type=float,
        default=0.25,
        help="a run during which other processes used more cores than this is repeated (0.25)",
    )
    parser.add_argument("--attempts", type=int, default=2, help="at most this many per run (2)")
    parser.add_argument("--skip-load", action="store_true", help="in-process measures only")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", scoring_seed.DEFAULT_DATABASE_URL)
    url = benchconf.setup_django()
    db_name = urlsplit(url).path.lstrip("/")
    if scoring_seed.stored_marker() != scoring_seed.marker() or scoring_seed.check_counts():
        sys.exit("The scoring data set is not seeded for this code: run scoring_seed.py first.")
    benchconf.OUT_DIR.mkdir(exist_ok=True)
    base_url = f"http://127.0.0.1:{args.port}"
    gunicorn_cmd = run.gunicorn_command(args)
    facts = run.machine_facts(gunicorn_cmd)
    targets = pick_targets()
    print("Queries and service time, in process ...", flush=True)
    queries = run.measure_in_process(targets, args.repeats)
    for name, rows in queries.items():
        summary = ", ".join(f"{r['queries']} q/{r['service_ms']} ms ({r['status']})" for r in rows)
        print(f"  {name}: {summary}", flush=True)
    results = {"facts": facts, "args": vars(args), "queries": queries, "targets": targets["pages"]}

    if not args.skip_load:
        log = benchconf.OUT_DIR / "gunicorn-score-grid.log"
        with run.Gunicorn(gunicorn_cmd, run.server_env(url), base_url, log) as server:
            pool = 10
            print(f"Logging in over HTTP: {pool} sessions per account ...", flush=True)
            sessions = run.login_sessions(
                base_url,
                {"app": benchconf.SECRETARIAT_USERNAME, "admin": benchconf.ADMIN_USERNAME},
                pool,
            )
            plan = {
                "base_url": base_url,
                "pages": targets["pages"],
                "sessions": sessions,
            }
            plan_path = benchconf.OUT_DIR / "plan-score-grid.json"
            plan_path.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
            n, bad = run.warm_up(base_url, plan)
            print(f"Warm-up: {n} requests" + (f"; NOT 200: {bad[:5]}" if bad else ", all 200"))
            results["rounds"] = []
            plan_rounds = [(args.clients, args.duration)] * args.rounds
            if args.solo_duration:
                plan_rounds.append((1, args.solo_duration))
            for round_no, (clients, duration) in enumerate(plan_rounds, start=1):
                runs = []
                for page in [p for p in (GRID, ADMIN) if p in targets["pages"]]:
                    print(f"Round {round_no}:", flush=True)
                    attempt = run.measured_run(
                        "ClosedLoopUser",
                        clients,
                        duration,
                        page=page,
                        common={
                            "plan_path": plan_path,
                            "server": server,
                            "db_name": db_name,
                            "quiet_wait": args.quiet_wait,
                            "prefix": f"score-grid-{round_no}-",
                        },
                        max_other=args.max_other,
                        attempts=args.attempts,
                    )
                    attempt.update(
                        page=page,
                        clients=clients,
                        duration=duration,
                    )
                    st = attempt["stats"].get(page, {})
                    print(
                        f"  {page}: {st.get('requests')} requests, median {st.get('median_ms')} "
                        f"ms, p95 {st.get('p95_ms')} ms, {st.get('rps')} req/s, "
                        f"{st.get('failures')} failures; CPU {attempt['cpu']}",
                        flush=True,
                    )
                    runs.append(attempt)
                results["rounds"].append(runs)
    results["facts"]["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    benchconf.write_results(results, "score_grid.json", report(results), "score_grid.md")


if __name__ == "__main__":
    # A TERM (a timeout, say) unwinds normally, so the gunicorn started here is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
