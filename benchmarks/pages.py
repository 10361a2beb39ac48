"""The five busiest pages (issue 7), each next to the Django admin changelist of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thiduea_bench_scoring \
        .venv/bin/python benchmarks/pages.py [--duration 180] [--closed-duration 25] [--help]

On the data of scoring_seed.py + pages_seed.py (run them first; make bench does), bloc LUOI12
(12 units × 60 criteria) in 2025:

| Page | URL | Account | Baseline: admin changelist of the same rows |
|---|---|---|---|
| bloc_page | ``blocs:bloc_detail`` ``/blocs/<pk>/2025/`` | secretariat | ``admin_membership``: Membership of the bloc-year (12 rows) |
| score_grid | ``scoring:score_grid`` of the year-end period | secretariat | ``admin_selfscore_period``: SelfScore of the period's 12 reports (720 rows, 100 a page) |
| ranking | ``scoring:ranking`` ``/blocs/<pk>/2025/ranking/`` (the stored run) | secretariat | ``admin_verifiedscore_period``: VerifiedScore of the period's reports, the rows the run is computed from (720, 100 a page) |
| proposal | ``awards:proposal_page`` (11 lines) | secretariat | ``admin_proposalline``: ProposalLine of the proposal (11 rows; a view-only admin) |
| unit_report | ``scoring:report_detail`` of the last unit's report | that unit's officer | ``admin_selfscore_report``: SelfScore of that report (60 rows) |

1. In process (run.measure_in_process): the queries of each page at two data sizes, LUOI06 and
   LUOI12 (6 and 12 units; a proposal of 6 and of 11 lines; for the report, another unit's
   report as its own officer), which must be equal and ≤ 10 (BEGIN/COMMIT not counted); the
   service time (median of ``--repeats`` sequential requests, no HTTP).
2. gunicorn as run.py starts it (``--workers 2 --threads 1`` by default), real-HTTP logins, a
   warm-up, then Locust (benchmarks/locustfile.py):
   a. load A: ``--users`` (50) with 1–3 s think time, the five pages in equal shares and the
      four admin baselines sharing a sixth share, ``--duration`` s;
   b. load B: ``--clients`` (10) closed-loop clients, one page at a time, ``--closed-duration`` s
      each.
   Median, p95, p99 from every request's own timing, req/s, failures, page p95 / baseline p95,
   the CPU of each process group. A request fails unless it answers 200 with the page's marker
   (the last unit's name, the proposal's last line's unit, the report's activity log) and
   without a login form.

Output: stdout, benchmarks/.out/pages.md and .out/pages.json (read by targets.py).
"""

import argparse
import html
import json
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchconf
import run
import scoring_seed

YEAR = scoring_seed.YEAR
APP_PAGES = ["bloc_page", "score_grid", "ranking", "proposal", "unit_report"]
BASELINE = {
    "bloc_page": "admin_membership",
    "score_grid": "admin_selfscore_period",
    "ranking": "admin_verifiedscore_period",
    "proposal": "admin_proposalline",
    "unit_report": "admin_selfscore_report",
}
ADMIN_PAGES = list(dict.fromkeys(BASELINE.values()))
PAGES = APP_PAGES + ADMIN_PAGES
P95_TARGET_MS = {"score_grid": 300}  # DESIGN §7.15: the score grid ≤ 300 ms, the others ≤ 100 ms
P95_DEFAULT_MS = 100
RPS_TARGET = {"bloc_page": 150}  # at 10 closed-loop clients
QUERY_TARGET = 10
# Load A: the five pages in equal shares, plus the admin baselines, which together take one share
# (as run.py's one admin page among its four): 50 users must find the app's pages, not the admin.
WEIGHTS = {**dict.fromkeys(APP_PAGES, 1.0), **dict.fromkeys(ADMIN_PAGES, 1 / len(ADMIN_PAGES))}


def p95_target(name):
    return P95_TARGET_MS.get(name, P95_DEFAULT_MS)


def bloc_case(code):
    """The URLs and markers of one bloc's pages, and who may open the report page."""
    from django.urls import reverse

    from awards.models import Proposal
    from blocs.models import Bloc, Membership, Role
    from scoring.models import RankingRun, ReportingPeriod, UnitReport

    bloc = Bloc.objects.get(code=code)
    members = list(
        Membership.objects.filter(bloc=bloc, year=YEAR).select_related("unit").order_by("position")
    )
    last = members[-1].unit
    period = ReportingPeriod.objects.get(bloc=bloc, year=YEAR, kind="year_end")
    reports = sorted(UnitReport.objects.filter(period=period).values_list("pk", flat=True))
    report = UnitReport.objects.get(period=period, unit=last)
    officer = Role.objects.filter(kind="officer", unit=last).select_related("user").first()
    proposal = Proposal.objects.filter(bloc=bloc, year=YEAR).first()
    if proposal is None or not RankingRun.objects.filter(bloc=bloc, year=YEAR).exists():
        sys.exit(f"{code} has no ranking run or no proposal: run benchmarks/pages_seed.py first.")
    lines = list(proposal.lines.select_related("unit").order_by("award_type__order", "order", "pk"))
    report_ids = ",".join(map(str, reports))
    return {
        "code": code,
        "units": len(members),
        "lines": len(lines),
        "officer": officer.user.username,
        "urls": {
            "bloc_page": reverse("blocs:bloc_detail", kwargs={"pk": bloc.pk, "year": YEAR}),
            "score_grid": reverse("scoring:score_grid", kwargs={"pk": period.pk}),
            "ranking": reverse("scoring:ranking", kwargs={"pk": bloc.pk, "year": YEAR}),
            "proposal": reverse("awards:proposal_page", kwargs={"pk": bloc.pk, "year": YEAR}),
            "unit_report": reverse("scoring:report_detail", kwargs={"pk": report.pk}),
            "admin_membership": f"/admin/blocs/membership/?bloc={bloc.pk}&year={YEAR}",
            "admin_selfscore_period": f"/admin/scoring/selfscore/?report__in={report_ids}",
            "admin_verifiedscore_period": f"/admin/scoring/verifiedscore/?report__in={report_ids}",
            "admin_selfscore_report": f"/admin/scoring/selfscore/?report__id__exact={report.pk}",
            "admin_proposalline": f"/admin/awards/proposalline/?proposal__id__exact={proposal.pk}",
        },
        "markers": {
            "bloc_page": html.escape(last.full_name),
            "score_grid": html.escape(last.full_name),
            "ranking": html.escape(last.full_name),
            "proposal": html.escape(lines[-1].unit.full_name) if lines else "<h1",
            "unit_report": 'id="log-heading"',
            **dict.fromkeys(ADMIN_PAGES, 'id="changelist"'),
        },
    }


def session_of(name, size):
    if name.startswith("admin_"):
        return "admin"
    return f"officer-{size}" if name == "unit_report" else "app"


def pick_targets():
    big, small = bloc_case("LUOI12"), bloc_case("LUOI06")
    pages = {
        name: {
            "urls": [big["urls"][name]],
            "session": "officer" if name == "unit_report" else session_of(name, "big"),
            "marker": big["markers"][name],
        }
        for name in PAGES
    }

    def label(case, name):
        if name == "proposal":
            return f"{case['code']}: {case['lines']} lines"
        if name == "unit_report":
            return f"{case['code']}: a report of 60 leaves, as {case['officer']}"
        if name == "admin_selfscore_report":
            return f"{case['code']}: one report, 60 rows"
        if name in ("admin_selfscore_period", "admin_verifiedscore_period"):
            return f"{case['code']}: {case['units'] * 60} rows, page 1 of 100 a page"
        return f"{case['code']}: {case['units']} units"

    query_cases = {
        name: [
            (session_of(name, size), case["urls"][name], label(case, name))
            for size, case in (("big", big), ("small", small))
        ]
        for name in PAGES
    }
    accounts = {
        "app": benchconf.SECRETARIAT_USERNAME,
        "admin": benchconf.ADMIN_USERNAME,
        "officer-big": big["officer"],
        "officer-small": small["officer"],
    }
    return {
        "pages": pages,
        "query_cases": query_cases,
        "accounts": accounts,
        "officer": big["officer"],
    }


def fmt_ms(value):
    return "-" if value is None else f"{value} ms"


def report(results):
    f = results["facts"]
    q = results["queries"]
    a = results["args"]
    lines = [
        f"Run {f['date']}: {f['nproc']} CPUs ({f['cpu_model']}), {f['memory']} RAM. Python "
        f"{f['python']}, Django {f['django']}, {f['postgresql']}, gunicorn {f['gunicorn']}, "
        f"Locust {f['locust']}. Code: {f.get('revision') or 'unknown'}. Server: "
        f"`{f['gunicorn_cmd']}`. Load average before / after: {' '.join(f['loadavg_before'])} / "
        f"{' '.join(f.get('loadavg_after', []))}.",
        "",
        "#### Queries and service time per page (in process, two data sizes)",
        "",
        "| Page | Case | Status | Queries | Service time | Bytes |",
        "|---|---|---|---|---|---|",
    ]
    for name, rows in q.items():
        for row in rows:
            lines.append(
                f"| {name} | {row['label']} | {row['status']} | {row['queries']} | "
                f"{fmt_ms(row['service_ms'])} | {row['bytes']:,} |"
            )
    lines.append("")
    for name in APP_PAGES:
        counts = [r["queries"] for r in q[name]]
        lines.append(
            f"- {name}: {', '.join(map(str, counts))} queries: "
            f"{'equal' if len(set(counts)) == 1 else '**not equal**'}, "
            f"≤ {QUERY_TARGET}: {run.verdict(max(counts) <= QUERY_TARGET and min(counts) >= 0)}"
        )
    sections = (
        (
            "think",
            f"Load A: {a['users']} users, 1–3 s think time, the five pages in equal shares and "
            f"the {len(ADMIN_PAGES)} admin baselines sharing a sixth, {a['duration']} s",
        ),
        (
            "closed",
            f"Load B: {a['clients']} closed-loop clients, one page at a time, "
            f"{a['closed_duration']} s each",
        ),
    )
    for key, title in sections:
        runs = results.get(key) or []
        if not runs:
            continue
        stats = {}
        for r in runs:
            stats.update(r["stats"])
        lines += [
            "",
            f"#### {title}",
            "",
            "| Page | Requests | Failures | Median | p95 | p99 | req/s | Target p95 | p95 / admin p95 |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for name in PAGES:
            st = stats.get(name)
            if not st:
                lines.append(f"| {name} | 0 | - | - | - | - | - | - | - |")
                continue
            base = stats.get(BASELINE.get(name, ""))
            ratio = f"{st['p95_ms'] / base['p95_ms']:.2f}" if base else "(baseline)"
            target = f"≤ {p95_target(name)} ms" if name in APP_PAGES else ""
            lines.append(
                f"| {name} | {st['requests']} | {st['failures']} | {st['median_ms']} ms | "
                f"{st['p95_ms']} ms | {st['p99_ms']} ms | {st['rps']} | {target} | {ratio} |"
            )
        lines += ["", "CPU (cores): gunicorn / PostgreSQL / Locust / other / machine:", ""]
        for r in runs:
            c = r["cpu"]
            lines.append(
                f"- {r['label']} ({r['window_s']} s): {c['gunicorn']} / {c['postgres']} / "
                f"{c['locust']} / {c['other']} / {c['machine']}; busy before {c['busy_before']}"
                + (f"; errors: {r['errors']}" if r["errors"] else "")
            )
    lines += ["", "#### SQL of each page (LUOI12)", ""]
    for rows in q.values():
        lines += run.sql_listing(f"`{rows[0]['url']}`: {rows[0]['queries']} queries", rows[0])
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # 180 s: each admin baseline gets a fifth of the sixth share, about 150 requests in 180 s.
    parser.add_argument("--duration", type=int, default=180, help="load A, s (180)")
    parser.add_argument("--users", type=int, default=50, help="load A users (50)")
    parser.add_argument("--closed-duration", type=int, default=25, help="load B, s per page (25)")
    parser.add_argument("--clients", type=int, default=10, help="load B clients (10)")
    run.add_server_arguments(parser, 8767)
    parser.add_argument("--repeats", type=int, default=15, help="in-process timings per case")
    parser.add_argument("--skip-load", action="store_true", help="in-process measures only")
    parser.add_argument("--quiet-wait", type=int, default=30, help="wait for an idle machine (30)")
    parser.add_argument("--max-other", type=float, default=0.25, help="repeat above (0.25)")
    parser.add_argument("--attempts", type=int, default=2, help="at most this many per run (2)")
    parser.add_argument("--budget", type=int, default=900, help="no repeat after this many s")
    args = parser.parse_args()
    budget_end = time.monotonic() + args.budget

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
    queries = run.measure_in_process(targets, args.repeats, accounts=targets["accounts"])
    for name, rows in queries.items():
        summary = ", ".join(f"{r['queries']} q/{r['service_ms']} ms ({r['status']})" for r in rows)
        print(f"  {name}: {summary}", flush=True)
    results = {
        "facts": facts,
        "args": vars(args),
        "queries": queries,
        "pages": targets["pages"],
        "baseline": BASELINE,
        "p95_targets_ms": {n: p95_target(n) for n in APP_PAGES},
        "rps_targets": RPS_TARGET,
        "weights": WEIGHTS,
    }
    if not args.skip_load:
        log = benchconf.OUT_DIR / "gunicorn-pages.log"
        with run.Gunicorn(gunicorn_cmd, run.server_env(url), base_url, log) as server:
            pool = max(args.clients, 10)
            print(f"Logging in over HTTP: {pool} sessions per account ...", flush=True)
            sessions = run.login_sessions(
                base_url,
                {
                    "app": benchconf.SECRETARIAT_USERNAME,
                    "admin": benchconf.ADMIN_USERNAME,
                    "officer": targets["officer"],
                },
                pool,
            )
            plan = {
                "base_url": base_url,
                "pages": targets["pages"],
                "sessions": sessions,
                "weights": WEIGHTS,
            }
            plan_path = benchconf.OUT_DIR / "plan-pages.json"
            plan_path.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
            n, bad = run.warm_up(base_url, plan)
            print(f"Warm-up: {n} requests" + (f"; NOT 200: {bad[:5]}" if bad else ", all 200"))
            options = {
                "common": {
                    "plan_path": plan_path,
                    "server": server,
                    "db_name": db_name,
                    "quiet_wait": args.quiet_wait,
                    "prefix": "pages-",
                },
                "max_other": args.max_other,
                "attempts": args.attempts,
                "budget_end": budget_end,
            }
            print("Load A: think time", flush=True)
            results["think"] = [
                run.measured_run("ThinkTimeUser", args.users, args.duration, names=PAGES, **options)
            ]
            print("Load B: closed loop", flush=True)
            results["closed"] = []
            for page in PAGES:
                attempt = run.measured_run(
                    "ClosedLoopUser", args.clients, args.closed_duration, page=page, **options
                )
                st = attempt["stats"].get(page, {})
                print(
                    f"  {page}: {st.get('requests')} requests, p95 {st.get('p95_ms')} ms, "
                    f"{st.get('rps')} req/s, {st.get('failures')} failures",
                    flush=True,
                )
                results["closed"].append(attempt)
    results["facts"]["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    benchconf.write_results(results, "pages.json", report(results), "pages.md")


if __name__ == "__main__":
    # A TERM (a timeout, say) unwinds normally, so the gunicorn started here is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
