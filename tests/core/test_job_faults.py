"""Fault tests of the year-end report job with real processes (DESIGN §6, §7.16).

Each test starts its own throwaway redis-server on a spare port (never the shared one) and real
Celery worker (and beat) processes against the test's PostgreSQL database. Every test ends by
asserting that the reports were finished exactly once: one DONE job, one version per bloc.

Needs PostgreSQL (the worker must see the test's committed rows) and redis-server; under CI=true
their absence is a failure.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from blocs.models import Authority, Bloc, Membership
from core.models import Job, User
from reports.models import YearEndReport
from reports.services import report_province_request
from tests.conftest import make_unit, need

pytestmark = pytest.mark.django_db(transaction=True)

STALE_SECONDS = 4
SWEEP_SECONDS = 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    def __init__(self, tmp_path):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis(tmp_path, monkeypatch):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = Redis(tmp_path)
    server.start()
    from core.tasks import run_job
    from thiduea.celery import app

    publish = run_job.apply_async

    def to_throwaway_broker(*args, **kwargs):
        # core.jobs.enqueue publishes as in production, only to this test's broker.
        with app.connection_for_write(server.url, connect_timeout=1) as conn:
            conn.transport_options.update(settings.REDIS_BROKER_TRANSPORT_OPTIONS)
            return publish(*args, connection=conn, **kwargs)

    monkeypatch.setattr(run_job, "apply_async", to_throwaway_broker)
    yield server
    server.stop()


def _env(redis_url: str) -> dict:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}@{host}:{port}/{db['NAME']}",
        "CELERY_BROKER_URL": redis_url,
        "CELERY_VISIBILITY_TIMEOUT": "20",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "JOBS_STALE_SECONDS": str(STALE_SECONDS),
        "JOBS_SWEEP_SECONDS": str(SWEEP_SECONDS),
        "PYTHONUNBUFFERED": "1",
    }


class Processes:
    def __init__(self, tmp_path, redis):
        self.tmp_path = tmp_path
        self.redis = redis
        self.running = []

    def _start(self, args, name):
        log = open(self.tmp_path / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "thiduea", *args],
            env=_env(self.redis.url),
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log_path = self.tmp_path / f"{name}.log"
        self.running.append(process)
        return process

    def worker(self, name="w1"):
        return self._start(
            [
                "worker",
                "-P",
                "prefork",
                "-c",
                "1",
                "-n",
                f"{name}-{os.getpid()}@localhost",
                "-l",
                "info",
                "--without-mingle",
                "--without-gossip",
            ],
            name,
        )

    def beat(self):
        return self._start(
            ["beat", "-l", "info", "-s", str(self.tmp_path / "beat-schedule")], "beat"
        )

    def kill(self, process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self):
        for process in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    def logs(self) -> str:
        return "\n".join(p.log_path.read_text(errors="replace")[-3000:] for p in self.running)


@pytest.fixture
def processes(tmp_path, redis):
    procs = Processes(tmp_path, redis)
    yield procs
    procs.stop_all()


@pytest.fixture
def province(db):
    """Ten blocs of four units: one task of 40 units that takes seconds, so it can be cut."""
    authority = Authority.objects.create(
        code="f",
        name="Tỉnh Thử Nghiệm",
        people_committee_name="Ủy ban nhân dân tỉnh Thử Nghiệm",
        council_name="Hội đồng Thi đua - Khen thưởng tỉnh Thử Nghiệm",
        tdkt_office_name="Phòng Thi đua - Khen thưởng, Sở Nội vụ",
    )
    blocs = []
    for n in range(10):
        bloc = Bloc.objects.create(
            authority=authority, code=f"K{n}", name=f"Khối thi đua số {n + 1}"
        )
        for m in range(4):
            unit = make_unit(authority, f"Sở số {n + 1}.{m + 1}")
            Membership.objects.create(bloc=bloc, unit=unit, year=YEAR, position=m)
        blocs.append(bloc)
    return authority, blocs


YEAR = 2025


def _batch(authority) -> Job:
    with transaction.atomic():
        group = report_province_request(actor=None, authority=authority, year=YEAR)
    (child,) = group.children.all()
    return child


def _wait(job, condition, timeout, processes, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return job
        time.sleep(0.2)
    raise AssertionError(
        f"{what} within {timeout} s; job is {job.state} {job.progress}%\n{processes.logs()}"
    )


def _assert_one_version_per_bloc(blocs):
    assert sorted(YearEndReport.objects.values_list("bloc_id", "version")) == sorted(
        (bloc.pk, 1) for bloc in blocs
    )


def _started(job) -> bool:
    return job.state == "running" and job.progress >= 10  # at least one bloc's report made


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]


def test_a_report_job_whose_pool_child_is_killed_runs_again_and_finishes_once(processes, province):
    authority, blocs = province
    worker = processes.worker()
    job = _batch(authority)
    _wait(job, _started, 90, processes, "no progress")
    children = _children(worker.pid)
    assert children, "the prefork worker has no pool child"
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    _wait(
        job, lambda j: j.state == "done", 90, processes, "not finished after the child was killed"
    )
    assert job.attempts == 2
    _assert_one_version_per_bloc(blocs)
    assert Job.objects.get(pk=job.parent_id).state == Job.State.DONE


def test_a_report_job_whose_whole_worker_is_killed_finishes_once_after_a_restart(
    processes, province
):
    authority, blocs = province
    worker = processes.worker("w1")
    processes.beat()
    job = _batch(authority)
    _wait(job, _started, 90, processes, "no progress")
    processes.kill(worker)
    started = time.monotonic()
    processes.worker("w2")
    _wait(
        job, lambda j: j.state == "done", 120, processes, "not finished after the worker was killed"
    )
    assert job.attempts == 2
    _assert_one_version_per_bloc(blocs)
    # Revived by the sweep once the heartbeat went stale, not after the visibility timeout.
    assert time.monotonic() - started < 90


def test_a_report_requested_while_redis_is_down_is_kept_and_made_when_redis_is_back(
    processes, redis, province, client
):
    _authority, blocs = province
    admin = User.objects.create_superuser("quan-tri-loi", password="x")
    client.force_login(admin)
    # The worker and beat run throughout: they must reconnect by themselves.
    processes.worker()
    processes.beat()
    time.sleep(3)
    redis.stop()
    started = time.monotonic()
    response = client.post(reverse("reports:report_compile", args=[blocs[0].pk, YEAR]))
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    job = Job.objects.get(kind="reports.year_end")
    assert job.state == Job.State.PENDING and job.queued_at is None
    assert elapsed < 1.0, f"the request waited {elapsed:.1f} s for the broker"
    page = client.get(reverse("reports:report_list", args=[blocs[0].pk, YEAR])).content.decode()
    assert "Đang chờ" in page
    time.sleep(2)
    redis.start()
    _wait(job, lambda j: j.state == "done", 90, processes, "not finished after Redis came back")
    _assert_one_version_per_bloc(blocs[:1])
