"""PostgreSQL restarted under load: gunicorn keeps serving once it is back, and every write it
acknowledged is in the database (DESIGN §6; §7.16: a throwaway cluster, never the shared one).

A private PostgreSQL cluster is created with initdb on a spare port, the app is migrated into it
and served by a real gunicorn. Writers keep posting a unit's yearly figures while the cluster is
restarted (``pg_ctl restart -m fast``, which drops every connection). Requests during the outage
may fail; afterwards the same gunicorn (never restarted) answers again, and every POST that was
answered with a redirect (the acknowledgement) left its row.
"""

import glob
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import need

PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1:] or [""]
PG_BIN = Path(PG_BIN[0])
PASSWORD = "mat-khau-thu-nghiem-2026"
UNITS = 600


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args, **kwargs):
    """initdb and pg_ctl refuse to run as root: run them as the postgres system user then."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


class Cluster:
    def __init__(self, root: Path):
        self.data = root / "pgdata"
        self.port = _free_port()
        self.log = root / "postgres.log"

    def init(self):
        self.data.parent.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres")
        _as_postgres(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
            ]
        )

    def ctl(self, *args):
        _as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1",
                "-w",
                *args,
            ]
        )

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/thiduea_fault"


@pytest.fixture
def cluster(tmp_path):
    need(PG_BIN.joinpath("initdb").exists(), "PostgreSQL's initdb is not installed")
    root = Path("/tmp") / f"thiduea-pg-fault-{os.getpid()}"
    shutil.rmtree(root, ignore_errors=True)
    server = Cluster(root)
    server.init()
    server.ctl("start")
    _as_postgres(
        [
            str(PG_BIN.parent / "bin" / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(server.port),
            "-U",
            "postgres",
            "thiduea_fault",
        ]
    )
    yield server
    try:
        server.ctl("stop", "-m", "immediate")
    finally:
        shutil.rmtree(root, ignore_errors=True)


SETUP = """
from blocs.models import Authority, Bloc, Membership, Role, Unit, UnitName
from core.models import User
a = Authority.objects.create(code="f", name="Tỉnh Thử Nghiệm", people_committee_name="UBND",
    council_name="Hội đồng", tdkt_office_name="Ban")
b = Bloc.objects.create(authority=a, code="F", name="Khối thử nghiệm")
u = User.objects.create_user("thu-ky-loi", password="{password}")
Role.objects.create(user=u, kind="secretariat", authority=a)
for n in range({units}):
    unit = Unit.objects.create(authority=a, full_name=f"Đơn vị số {{n}}")
    Membership.objects.create(bloc=b, unit=unit, year=2025)
print(",".join(str(pk) for pk in Unit.objects.order_by("pk").values_list("pk", flat=True)))
"""


def _env(cluster):
    return {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "CELERY_BROKER_URL": "memory://",
        "AXES_ENABLED": "false",
        "DEBUG": "false",
        "SECRET_KEY": "fault-test-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CONN_MAX_AGE": "60",
    }


class Browser:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def _csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path, data=None):
        body = None
        headers = {"Referer": self.base + path}
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self._csrf()}).encode()
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, body, headers), timeout=10
            ) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except (urllib.error.URLError, OSError):
            return 0, ""

    def login(self):
        # Four writers sign in at once on a loaded machine; a sign-in refused then (seen once as a
        # 500 with the cluster just started) is not what this test is about: try again briefly.
        for _attempt in range(5):
            self.request("/accounts/login/")
            status, _body = self.request(
                "/accounts/login/", {"username": "thu-ky-loi", "password": PASSWORD}
            )
            if status == 302:
                return
            time.sleep(0.5)
        raise AssertionError(f"could not sign in: {status}")


def test_the_app_recovers_from_a_postgresql_restart_and_keeps_every_acknowledged_write(cluster):
    env = _env(cluster)
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput"],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
    )
    out = subprocess.run(
        [*manage, "shell", "-c", SETUP.format(password=PASSWORD, units=UNITS)],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    unit_ids = [int(pk) for pk in re.findall(r"\d+", out.strip().splitlines()[-1])]
    port = _free_port()
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "thiduea.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while Browser(base).request("/healthz")[0] != 200:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        acknowledged, failed = [], []
        lock = threading.Lock()
        queue = list(unit_ids)

        def writer():
            browser = Browser(base)
            browser.login()
            while True:
                with lock:
                    if not queue:
                        return
                    unit_id = queue.pop()
                status, _body = browser.request(
                    f"/units/{unit_id}/2025/facts/", {"headcount": "30", "women": "21"}
                )
                with lock:
                    (acknowledged if status == 302 else failed).append(
                        (unit_id, status, time.monotonic())
                    )
                if status in (0, 500, 502, 503):
                    time.sleep(0.1)

        threads = [threading.Thread(target=writer) for _ in range(4)]
        for thread in threads:
            thread.start()
        # Restart once writing is well under way (on a loaded machine that takes a while).
        deadline = time.monotonic() + 60
        while len(acknowledged) < 20:
            assert time.monotonic() < deadline, f"writes do not get through: {failed[:5]}"
            time.sleep(0.05)
        restart_began = time.monotonic()
        cluster.ctl("restart", "-m", "fast")
        restart_ended = time.monotonic()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads)
        # The same gunicorn answers again, without a restart.
        assert Browser(base).request("/healthz")[0] == 200
        assert web.poll() is None
        rows = subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from blocs.models import UnitYearFacts as F; print(list(F.objects.values_list('unit_id', flat=True)))",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        saved = {int(pk) for pk in re.findall(r"\d+", rows.strip().splitlines()[-1])}
        assert acknowledged, "no write got through"
        missing = {unit_id for unit_id, _status, _at in acknowledged} - saved
        assert missing == set(), f"acknowledged writes lost: {sorted(missing)[:10]}"
        # The restart fell in the middle of the load, and writing went on after it.
        assert any(at < restart_began for _u, _s, at in acknowledged)
        assert any(at > restart_ended for _u, _s, at in acknowledged), (
            f"nothing was written after the restart; {len(queue)} left, failures {failed[:5]}"
        )
        assert len(acknowledged) > len(unit_ids) // 2, f"{len(failed)} failed: {failed[:5]}"
    finally:
        web.terminate()
        web.wait(timeout=30)
