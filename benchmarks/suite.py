"""The whole benchmark suite in sequence, then the targets check (what `make bench` runs).

    .venv/bin/python benchmarks/suite.py [--quick] [--set pages.py="--duration 30"] [--help]

Steps (each a subprocess; a step that fails does not stop the others):

1. on the province database (``BENCH_DATABASE_URL``, default thiduea_bench): seed.py, run.py
   (bloc list, search, bloc page against the admin), reports_batch.py (year-end reports with
   Celery: needs Redis);
2. on the scoring database (``BENCH_SCORING_DATABASE_URL``, default thiduea_bench_scoring):
   scoring_seed.py, pages_seed.py, ranking.py, score_grid.py, pages.py (the five busiest pages);
3. dossier_render.py (its own SQLite database with the demo data);
4. targets.py: the table of every target, MET / MISSED.

The result files of the steps about to run (benchmarks/.out/*.json) are removed first, so a step
that fails leaves its targets NOT MEASURED rather than showing old numbers (with ``--only``, the
other steps' files stay and are checked as they are). Exits 1 when a step failed or a
target was missed. ``--quick``: a smoke test of everything in a few minutes (short loads, few
repetitions, no 40-bloc report batch); its numbers are indicative only.
"""

import argparse
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / ".out"
PROVINCE_URL = "postgres://postgres@127.0.0.1:5432/thiduea_bench"
SCORING_URL = "postgres://postgres@127.0.0.1:5432/thiduea_bench_scoring"
RESULT_FILES = {  # what each script leaves in .out/ for targets.py
    "run.py": "results.json",
    "reports_batch.py": "reports_batch.json",
    "ranking.py": "ranking.json",
    "score_grid.py": "score_grid.json",
    "pages.py": "pages.json",
    "dossier_render.py": "dossier_render.json",
}

# (script, database, arguments of the full run, arguments of --quick)
STEPS = [
    ("seed.py", "province", "", ""),
    (
        "run.py",
        "province",
        "",
        "--duration 20 --closed-duration 5 --repeats 3 --quiet-wait 3 --attempts 1",
    ),
    ("reports_batch.py", "province", "", "--quick"),
    ("scoring_seed.py", "scoring", "", ""),
    ("pages_seed.py", "scoring", "", ""),
    (
        "ranking.py",
        "scoring",
        "",
        "--repeats 20 --province-repeats 3 --service-repeats 5 --service-province-repeats 1 "
        "--quiet-wait 0",
    ),
    (
        "score_grid.py",
        "scoring",
        "",
        "--duration 5 --rounds 1 --solo-duration 0 --repeats 3 --quiet-wait 3 --attempts 1",
    ),
    (
        "pages.py",
        "scoring",
        "",
        "--duration 20 --closed-duration 5 --repeats 3 --quiet-wait 3 --attempts 1",
    ),
    ("dossier_render.py", None, "", "--runs 5"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke test (a few minutes)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar='SCRIPT="ARGS"',
        help='more arguments for one script, after the defaults: --set pages.py="--duration 30"',
    )
    parser.add_argument(
        "--only", action="append", default=[], metavar="SCRIPT", help="run only these scripts"
    )
    args = parser.parse_args()
    extra = {}
    for item in args.set:
        script, _eq, rest = item.partition("=")
        extra.setdefault(script, []).extend(shlex.split(rest))
    urls = {
        "province": os.environ.get("BENCH_DATABASE_URL", PROVINCE_URL),
        "scoring": os.environ.get("BENCH_SCORING_DATABASE_URL", SCORING_URL),
    }
    OUT_DIR.mkdir(exist_ok=True)
    for script, name in RESULT_FILES.items():
        if not args.only or script in args.only:
            (OUT_DIR / name).unlink(missing_ok=True)

    done = []
    started = time.monotonic()
    for script, database, full, quick in STEPS:
        if args.only and script not in args.only:
            continue
        cmd = [
            sys.executable,
            str(BENCH_DIR / script),
            *shlex.split(quick if args.quick else full),
            *extra.get(script, []),
        ]
        env = dict(os.environ)
        env.setdefault("LOG_LEVEL", "WARNING")  # the PDF steps log every font subset at INFO
        if database:
            env["DATABASE_URL"] = urls[database]
        print(f"\n=== {script} {' '.join(cmd[2:])}".rstrip(), flush=True)
        if database:
            print(f"    on {urls[database]}", flush=True)
        t0 = time.monotonic()
        code = subprocess.run(cmd, env=env, cwd=BENCH_DIR.parent).returncode
        done.append((script, code, time.monotonic() - t0))
        print(f"=== {script}: exit {code} after {time.monotonic() - t0:.0f} s", flush=True)

    print("\n=== Steps", flush=True)
    for script, code, seconds in done:
        print(
            f"  {script:<18} {'ok' if code == 0 else f'FAILED (exit {code})':<16} {seconds:.0f} s"
        )
    print(f"  total {time.monotonic() - started:.0f} s\n", flush=True)
    print("=== Targets (DESIGN §7.15, issue 7)\n", flush=True)
    targets = subprocess.run(
        [sys.executable, str(BENCH_DIR / "targets.py"), *(["--quick"] if args.quick else [])],
        cwd=BENCH_DIR.parent,
    ).returncode
    failed_steps = [script for script, code, _s in done if code != 0]
    if failed_steps:
        print(f"Steps that failed: {', '.join(failed_steps)}.")
    if failed_steps or targets:
        print("make bench: FAILED (see above).")
        sys.exit(1)
    print("make bench: every target met.")


if __name__ == "__main__":
    main()
