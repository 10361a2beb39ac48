"""Year-end reports end to end with real Celery workers (issue 6 targets).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thiduea_bench .venv/bin/python benchmarks/seed.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thiduea_bench .venv/bin/python benchmarks/reports_batch.py

On the seeded province data (2 authorities × 20 blocs × 10 units, year 2025): starts one Celery
worker with two pool processes (``-c 2``) against Redis database 8 (flushed first), then

1. one 12-unit bloc end to end: the time from asking (the request's transaction) to the job
   done, PDF + DOCX + XLSX frozen (target ≤ 10 s);
2. batches of 10, 20 and 40 blocs (chunked by the app into tasks of about 40 units): the wall
   time to the group done and the time per bloc, which should stay flat as the batch grows
   (target: 40 blocs ≤ 3 min);
3. the peak resident memory of each worker process, sampled every 0.2 s (target ≤ 400 MB).

``--quick``: one timed compilation and one batch of 10 blocs (the 40-bloc target is then not
measured). Writes benchmarks/.out/reports_batch.json (read by targets.py); exits 1 on a miss.

Each run asks through the services as the pages do, so every compilation is a new version; the
versions made here are deleted at the end (with their files), the 12-unit bloc too.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchconf

BROKER = "redis://127.0.0.1:6379/8"
SIZES = (10, 20, 40)
YEAR = 2025


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


class MemoryWatch(threading.Thread):
    def __init__(self, root_pid: int):
        super().__init__(daemon=True)
        self.root = root_pid
        self.peak: dict[int, float] = {}
        self.stopped = threading.Event()

    def pids(self):
        out = subprocess.run(["pgrep", "-P", str(self.root)], capture_output=True, text=True)
        return [self.root] + [int(p) for p in out.stdout.split()]

    def run(self):
        while not self.stopped.is_set():
            for pid in self.pids():
                self.peak[pid] = max(self.peak.get(pid, 0.0), rss_mb(pid))
            time.sleep(0.2)


def wait_done(job, timeout=600):
    from core.models import Job

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in (Job.State.DONE, Job.State.FAILED):
            return job
        time.sleep(0.1)
    raise SystemExit(f"job {job.pk} not finished in {timeout} s ({job.state} {job.progress}%)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke test: one timed 12-unit compilation, one batch of 10 blocs (no 40-bloc run)",
    )
    parser.add_argument("--broker", default=BROKER, help=f"Redis, flushed first ({BROKER})")
    args = parser.parse_args()
    os.environ["CELERY_BROKER_URL"] = args.broker
    benchconf.setup_django()
    import redis
    from django.db import transaction

    from blocs.models import Authority, Bloc, Membership, Unit, UnitName
    from core.models import FrozenDocument, User
    from reports import services
    from reports.models import YearEndReport

    redis.Redis.from_url(args.broker).flushdb()
    actor = User.objects.get(username=benchconf.SECRETARIAT_USERNAME)
    authority = Authority.objects.order_by("pk").first()
    started_reports = set(YearEndReport.objects.values_list("pk", flat=True))

    # A 12-member bloc for the single-bloc case (the seeded blocs have 10).
    big = Bloc.objects.create(authority=authority, code="BENCH12", name="Khối thi đua đo 12 đơn vị")
    units = []
    for n in range(12):
        unit = Unit.objects.create(authority=authority, full_name=f"Đơn vị đo số {n + 1}")
        UnitName.objects.create(unit=unit, full_name=unit.full_name)
        Membership.objects.create(bloc=big, unit=unit, year=YEAR, position=n)
        units.append(unit)

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "thiduea",
            "worker",
            "-c",
            "2",
            "-l",
            "warning",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"bench-{os.getpid()}@localhost",
        ],
        env={**os.environ},
        cwd=benchconf.PROJECT_DIR,
        start_new_session=True,
    )
    watch = MemoryWatch(worker.pid)
    watch.start()
    results = []
    measured = {"quick": args.quick, "batch_s": {}, "per_bloc_s": {}}
    try:
        time.sleep(6)  # the worker starts (imports, WeasyPrint warm-up happens in the first job)
        # Warm-up: one report, not measured (the first render in each process loads fonts).
        with transaction.atomic():
            warm = services.report_compile_request(actor=actor, bloc=big, year=YEAR)
        wait_done(warm)

        timings = []
        for _ in range(1 if args.quick else 3):
            t0 = time.monotonic()
            with transaction.atomic():
                job = services.report_compile_request(actor=actor, bloc=big, year=YEAR)
            wait_done(job)
            timings.append(time.monotonic() - t0)
        single = sorted(timings)[len(timings) // 2]
        measured["single_bloc_s"] = round(single, 2)
        results.append(
            (
                f"One 12-unit bloc, request to PDF + DOCX + XLSX frozen (median of {len(timings)})",
                f"{single:.2f} s",
                "≤ 10 s",
                single <= 10,
            )
        )

        blocs = list(Bloc.objects.exclude(pk=big.pk).order_by("pk"))
        per_bloc = {}
        for size in (10,) if args.quick else SIZES:
            t0 = time.monotonic()
            with transaction.atomic():
                group = services.report_batch_request(
                    actor=actor,
                    blocs=blocs[:size],
                    year=YEAR,
                    key=f"bench:{size}:{time.time()}",
                    title=f"Đo {size} khối",
                )
            group = wait_done(group, timeout=900)
            wall = time.monotonic() - t0
            per_bloc[size] = wall / size
            measured["batch_s"][size] = round(wall, 1)
            measured["per_bloc_s"][size] = round(wall / size, 2)
            ok = size != 40 or wall <= 180
            results.append(
                (
                    f"{size} blocs, 2 worker processes ({group.children.count()} tasks)",
                    f"{wall:.1f} s ({wall / size:.2f} s per bloc)",
                    "≤ 180 s" if size == 40 else "",
                    ok,
                )
            )
        if 40 in per_bloc:
            flat = per_bloc[40] <= per_bloc[10] * 1.25
            measured["flat_ratio"] = round(per_bloc[40] / per_bloc[10], 2)
            results.append(
                (
                    "Time per bloc, 40 blocs against 10",
                    f"{per_bloc[40] / per_bloc[10]:.2f} ×",
                    "flat (≤ 1.25 ×)",
                    flat,
                )
            )
    finally:
        watch.stopped.set()
        os.killpg(worker.pid, 15)
        worker.wait(timeout=60)
        made = YearEndReport.objects.exclude(pk__in=started_reports)
        files = []
        for report in made:
            files.extend(d for d in (report.pdf, report.docx, report.xlsx) if d)
        made.delete()
        for document in files:
            document.file.delete(save=False)
        FrozenDocument.objects.filter(pk__in=[d.pk for d in files]).delete()
        Membership.objects.filter(bloc=big).delete()
        big.delete()
        Unit.objects.filter(pk__in=[u.pk for u in units]).delete()
    children = {pid: mb for pid, mb in watch.peak.items() if pid != worker.pid}
    peak = max(children.values() or [0.0])
    results.append(
        (
            "Peak memory of a worker pool process",
            f"{peak:.0f} MB (main process {watch.peak.get(worker.pid, 0):.0f} MB)",
            "≤ 400 MB",
            peak <= 400,
        )
    )
    measured["peak_worker_mb"] = round(peak, 1)
    measured["table"] = [
        {"measure": n, "value": v, "target": t, "met": ok} for n, v, t, ok in results
    ]
    benchconf.OUT_DIR.mkdir(exist_ok=True)
    (benchconf.OUT_DIR / "reports_batch.json").write_text(
        json.dumps(measured, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print("| Measure | Result | Target | Met |")
    print("|---|---|---|---|")
    for name, value, target, ok in results:
        print(f"| {name} | {value} | {target} | {'yes' if ok else 'NO'} |")
    print(f"Load average after: {Path('/proc/loadavg').read_text().split()[:3]}")
    if not all(ok for *_rest, ok in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
