"""How long asking for a background job adds to a request, with Redis up and with Redis down.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thiduea_bench_jobs \
        .venv/bin/python benchmarks/jobs_enqueue.py

Times what a view does when the secretariat presses "Lập báo cáo": one transaction that writes
the core.Job row, then the on-commit send to the broker (core.jobs.job_request + enqueue), on
PostgreSQL. Redis up: the local Redis, database 9, configured as in production (flushed before
and after; no worker consumes it). Redis down: a port nothing listens on. Targets (issue 6): p99 ≤ 20 ms with Redis up, ≤ 1 s with it down.
Migrates the bench database it is given (its name must contain "bench"); writes nothing else.
"""

import math
import os
import socket
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchconf

UP_RUNS = 500
DOWN_RUNS = 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _silent_server() -> int:
    """A port that accepts connections and never answers: a hung Redis."""
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held = []

    def accept():
        while True:
            connection, _address = server.accept()
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    return server.getsockname()[1]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def measure(broker_url: str | None, runs: int, label: str) -> dict:
    """``broker_url`` None: the configured broker, through the production path (pooled
    connection); otherwise every publish goes to that URL (used for a broker that is down)."""
    from django.conf import settings
    from django.db import transaction

    from core import jobs
    from core.models import Job
    from core.tasks import run_job
    from thiduea.celery import app

    original = run_job.apply_async

    def to_broker(*args, **kwargs):
        with app.connection_for_write(broker_url, connect_timeout=1) as conn:
            conn.transport_options.update(settings.REDIS_BROKER_TRANSPORT_OPTIONS)
            return original(*args, connection=conn, **kwargs)

    if broker_url:
        run_job.apply_async = to_broker
    times = []
    try:
        for n in range(runs):
            started = time.perf_counter()
            with transaction.atomic():
                jobs.job_request(kind="bench.noop", key=f"bench:{label}:{n}", title="bench")
            times.append((time.perf_counter() - started) * 1000)
    finally:
        run_job.apply_async = original
        Job.objects.filter(kind="bench.noop").delete()
    return {
        "runs": runs,
        "median_ms": statistics.median(times),
        "p95_ms": percentile(times, 95),
        "p99_ms": percentile(times, 99),
        "max_ms": max(times),
    }


UP_URL = "redis://127.0.0.1:6379/9"


def main():
    os.environ["CELERY_BROKER_URL"] = UP_URL
    benchconf.setup_django()
    import redis
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    client = redis.Redis.from_url(UP_URL)
    client.flushdb()
    try:
        up = measure(None, UP_RUNS, "up")
    finally:
        client.flushdb()
    down = measure(f"redis://127.0.0.1:{_free_port()}/0", DOWN_RUNS, "down")
    hung = measure(f"redis://127.0.0.1:{_silent_server()}/0", 5, "hung")
    print("| Broker | Requests | Median | p95 | p99 | Max | Target (p99) |")
    print("|---|---|---|---|---|---|---|")
    for name, result, target in (
        ("Redis up", up, 20),
        ("Redis down (stopped: connection refused)", down, 1000),
        ("Redis hung (accepts, never answers)", hung, 1000),
    ):
        verdict = "met" if result["p99_ms"] <= target else "NOT MET"
        print(
            f"| {name} | {result['runs']} | {result['median_ms']:.1f} ms | {result['p95_ms']:.1f} ms "
            f"| {result['p99_ms']:.1f} ms | {result['max_ms']:.1f} ms | ≤ {target} ms: {verdict} |"
        )


if __name__ == "__main__":
    main()
