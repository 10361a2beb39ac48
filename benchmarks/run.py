"""Run the page benchmark against the seeded bench database (see README.md).

    .venv/bin/python benchmarks/run.py [--duration 90] [--closed-duration 25] [--help]

1. Query count per page, in process: django.test.Client (force_login) and
   CaptureQueriesContext on the same database; each page also at other data sizes, to show the
   count is constant. The same client gives each page's single-request cost (service time).
2. gunicorn on 127.0.0.1 (DEBUG off, STATIC_MANIFEST unset, CONN_MAX_AGE as in settings).
3. Real-HTTP logins (GET the login page, POST the csrf token and credentials, keep the cookies):
   a pool of sessions for bench-secretariat (app pages) and bench-admin (admin changelist).
4. Warm-up, then Locust headless (benchmarks/locustfile.py):
   a. 50 users, 1-3 s think time, the four pages in equal shares (DESIGN §7.15);
   b. 10 closed-loop users (no think time), one page at a time, for throughput.
5. A report: benchmarks/.out/report.md (the tables for RESULTS.md) and .out/results.json
   (everything, including the SQL of each page and every request's timing file).

Everything runs on loopback; Locust, gunicorn and PostgreSQL share the machine's cores, and the
report says how much CPU each (and everything else on the machine) used during each run.
"""

import argparse
import concurrent.futures
import datetime as dt
import json
import math
import os
import platform
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchconf

PAGES = ["bloc_list", "bloc_search", "bloc_detail", "admin_changelist"]
APP_PAGES = PAGES[:3]
P95_TARGET_MS = 100
QUERY_TARGET = 10
TRANSACTION_CONTROL = re.compile(
    r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I
)


# --- helpers ----------------------------------------------------------------------------------


def percentile(values, q):
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        return ""


def machine_facts(gunicorn_cmd):
    from importlib.metadata import version

    import django
    import gunicorn
    import psycopg
    from django.db import connection

    cpu_model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": sh(["nproc"]) or str(os.cpu_count()),
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "cpu_model": cpu_model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg_version.split(" on ")[0],
        "postgresql_settings": f"shared_buffers={shared_buffers}",
        "psycopg": psycopg.__version__,
        "gunicorn": gunicorn.__version__,
        "locust": version("locust"),  # not imported here: importing it monkey-patches (gevent)
        "gunicorn_cmd": " ".join(shlex.quote(c) for c in gunicorn_cmd),
        "revision": sh(["git", "-C", str(benchconf.PROJECT_DIR), "rev-parse", "--short", "HEAD"])
        + (
            " (uncommitted changes)"
            if sh(
                [
                    "git",
                    "-C",
                    str(benchconf.PROJECT_DIR),
                    "status",
                    "--porcelain",
                    "--untracked-files=no",
                ]
            )
            else ""
        ),
        "loadavg_before": Path("/proc/loadavg").read_text().split()[:3],
    }


# --- targets, query counts, service time ------------------------------------------------------


def check_seeded():
    """The database must hold this data set on today's migrations: seed.py sees to both."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_seed')")
        stored = None
        if cursor.fetchone()[0] is not None:
            cursor.execute("SELECT version FROM bench_seed LIMIT 1")
            row = cursor.fetchone()
            stored = row[0] if row else None
    if stored != benchconf.seed_marker():
        sys.exit(
            f"The bench database is not seeded for this code (found {stored!r}, expected "
            f"{benchconf.seed_marker()!r}): run benchmarks/seed.py first (make bench does)."
        )


def pick_targets():
    """The URLs of each page: fixed URLs for the query count, a spread of URLs under load."""
    from blocs.models import Bloc

    blocs = list(
        Bloc.objects.select_related("authority").order_by("authority__name", "kind", "code", "pk")
    )
    if len(blocs) < 40:
        sys.exit("The bench database is not seeded: run benchmarks/seed.py first.")
    first, other = blocs[0], blocs[5]
    search = f"/blocs/?q={quote_plus(benchconf.SEARCH_QUERY)}"
    return {
        "pages": {
            "bloc_list": {"urls": ["/blocs/"], "session": "app", "marker": 'id="results"'},
            "bloc_search": {"urls": [search], "session": "app", "marker": 'id="results"'},
            # Under load: every bloc and year in turn (200 URLs), not one cached-looking page.
            "bloc_detail": {
                "urls": [f"/blocs/{b.pk}/{y}/" for b in blocs for y in benchconf.YEARS],
                "session": "app",
                "marker": "<h1>",
            },
            "admin_changelist": {
                "urls": ["/admin/blocs/bloc/"],
                "session": "admin",
                "marker": 'id="changelist"',
            },
        },
        # Query count: the main URL first, then the same page at other data sizes.
        "query_cases": {
            "bloc_list": [
                ("app", "/blocs/", "page 1: 25 of 40 blocs"),
                ("app", "/blocs/?page=2", "page 2: 15 blocs"),
                ("app", "/blocs/?year=2021", "year filter 2021"),
            ],
            "bloc_search": [
                ("app", search, f"q={benchconf.SEARCH_QUERY!r}"),
                ("app", "/blocs/?q=cua+lo", "q='cua lo' (fewer matches)"),
                ("app", "/blocs/?q=thong+tin", "q='thong tin' (more matches)"),
            ],
            "bloc_detail": [
                ("app", f"/blocs/{first.pk}/2024/", f"{first.code} 2024: 2 conferences"),
                ("app", f"/blocs/{first.pk}/2025/", f"{first.code} 2025: 1 conference, last year"),
                ("app", f"/blocs/{other.pk}/2021/", f"{other.code} 2021: first year"),
                ("reviewer", f"/blocs/{first.pk}/2024/", "same as first, read-only reviewer"),
            ],
            "admin_changelist": [
                ("admin", "/admin/blocs/bloc/", "page 1: 25 rows"),
                ("admin", "/admin/blocs/bloc/?p=2", "page 2: 15 rows"),
            ],
        },
    }


def measure_in_process(targets, repeats, accounts=None):
    """Per case: status, queries (CaptureQueriesContext) and the median of `repeats` timings.

    `accounts`: {kind: username}, the user of each kind of case (default: the secretariat for
    "app", bench-admin for "admin", the read-only reviewer for "reviewer")."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    User = get_user_model()
    clients = {}
    accounts = accounts or {
        "app": benchconf.SECRETARIAT_USERNAME,
        "admin": benchconf.ADMIN_USERNAME,
        "reviewer": benchconf.REVIEWER_USERNAME,
    }
    for kind, username in accounts.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[kind] = client
    results = {}
    for name, cases in targets["query_cases"].items():
        rows = []
        for kind, url, label in cases:
            client = clients[kind]
            row = {"url": url, "label": label, "user": kind}
            try:
                client.get(url)  # warm: first-request work (caches, catalogues) is not per page
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(url)
                sql = list(ctx.captured_queries)  # now: a later reconnect clears the log
                timings = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
            except Exception as error:  # a page that errors is reported, not fatal
                row.update(status=f"error: {error!r}"[:300], queries=-1, statements=-1)
                row.update(service_ms=None, bytes=0, sql=[])
                rows.append(row)
                continue
            row.update(
                status=response.status_code,
                # BEGIN/COMMIT (a session write, say) are logged too; they are not queries.
                queries=sum(1 for q in sql if not TRANSACTION_CONTROL.match(q["sql"])),
                statements=len(sql),
                service_ms=round(statistics.median(timings), 1),
                bytes=len(response.content),
                sql=[{"sql": q["sql"], "time": q["time"]} for q in sql],
            )
            rows.append(row)
        results[name] = rows
    connection.close()
    return results


# --- server and sessions ----------------------------------------------------------------------


class Gunicorn:
    def __init__(self, cmd, env, base_url, log_path):
        self.cmd, self.env, self.base_url, self.log_path = cmd, env, base_url, log_path
        self.proc = None

    def __enter__(self):
        import requests

        self.log = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            self.cmd,
            env=self.env,
            cwd=benchconf.PROJECT_DIR,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"gunicorn exited ({self.proc.returncode}); see {self.log_path}")
            try:
                if requests.get(self.base_url + "/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.__exit__()
        sys.exit(f"gunicorn did not answer /healthz within 30 s; see {self.log_path}")

    def pids(self):
        import psutil

        try:
            master = psutil.Process(self.proc.pid)
            return [master.pid] + [c.pid for c in master.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # graceful stop of the gunicorn we started
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def login(base_url, username, password):
    """Log in over real HTTP as a browser does; return the Cookie header of the session."""
    import requests

    session = requests.Session()
    page = session.get(f"{base_url}/accounts/login/", timeout=30)
    page.raise_for_status()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not match:
        sys.exit("No csrf token on the login page.")
    response = session.post(
        f"{base_url}/accounts/login/",
        data={
            "csrfmiddlewaretoken": match.group(1),
            "username": username,
            "password": password,
            "next": "",
        },
        headers={"Referer": f"{base_url}/accounts/login/"},
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        sys.exit(f"Login of {username} failed: HTTP {response.status_code}.")
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def warm_up(base_url, plan):
    """Every worker process loads templates, URL resolvers and catalogues before timing starts."""
    import requests

    def one(job):
        cookie, url = job
        r = requests.get(
            base_url + url, headers={"Cookie": cookie}, allow_redirects=False, timeout=30
        )
        return url, r.status_code

    jobs = []
    for page in plan["pages"].values():
        for cookie in plan["sessions"][page["session"]]:
            jobs += [(cookie, url) for url in page["urls"][:: max(1, len(page["urls"]) // 20)]]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        bad = [(url, status) for url, status in pool.map(one, jobs) if status != 200]
    return len(jobs), bad


def add_server_arguments(parser, port):
    """The gunicorn options every load script takes (sync workers by default, as deployed)."""
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="gunicorn threads per worker (1: sync workers, as the Dockerfile runs them)",
    )
    parser.add_argument("--port", type=int, default=port, help=f"gunicorn port ({port})")


def gunicorn_command(args):
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        "thiduea.wsgi",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--bind",
        f"127.0.0.1:{args.port}",
        "--log-level",
        "warning",
    ]


def server_env(url):
    """The server's environment: the project's settings, DEBUG off, no static manifest, the
    shared cache (sessions read from Redis) as deployed."""
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="thiduea.settings",
        CACHE_URL=benchconf.CACHE_URL,
        DEBUG="false",
        LOG_LEVEL="WARNING",
    )
    env.pop("STATIC_MANIFEST", None)
    return env


def login_sessions(base_url, accounts, pool):
    """Real-HTTP logins: `pool` sessions per kind of account ({kind: username or [usernames]},
    the usernames taken round robin); returns {kind: [Cookie header, ...]}."""
    jobs = []
    for kind, usernames in accounts.items():
        names = [usernames] if isinstance(usernames, str) else list(usernames)
        jobs += [(kind, names[i % len(names)]) for i in range(pool)]
    with concurrent.futures.ThreadPoolExecutor(4) as executor:
        cookies = list(
            executor.map(lambda job: login(base_url, job[1], benchconf.BENCH_PASSWORD), jobs)
        )
    sessions = {kind: [] for kind in accounts}
    for (kind, _name), cookie in zip(jobs, cookies, strict=True):
        sessions[kind].append(cookie)
    return sessions


def measured_run(*run_args, common, max_other, attempts, budget_end=None, **run_kwargs):
    """run_locust; on a busy machine (others used more than `max_other` cores) run it again,
    within `attempts` and the time budget, and keep the cleanest attempt."""
    done = []
    while True:
        attempt = run_locust(*run_args, **run_kwargs, **common)
        done.append(attempt)
        other = attempt["cpu"]["other"]
        left = (budget_end - time.monotonic()) if budget_end else math.inf
        if other <= max_other or len(done) >= attempts or left < 2 * (run_args[2] + 15):
            break
        print(f"  others used {other} cores during the run: running it again", flush=True)
    best = min(done, key=lambda a: a["cpu"]["other"])
    best["attempts_other_cores"] = [a["cpu"]["other"] for a in done]
    return best


# --- load runs --------------------------------------------------------------------------------


class CpuMeter:
    """CPU seconds used by groups of processes during a run, polled so short-lived ones count.

    The groups: gunicorn (master and workers), Locust, and the PostgreSQL backends serving the
    bench database. Whatever else the machine did meanwhile is "other": on a shared machine
    (other people's test suites) that is the first thing to look at when numbers look bad.
    """

    def __init__(self, server, db_name):
        import psutil

        self.psutil = psutil
        self.server = server
        self.db_name = db_name
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.started = time.time()
        self.cpu_start = psutil.cpu_times()
        self.sample(first=True)

    def groups(self):
        found = [("gunicorn", pid) for pid in self.server.pids()]
        for proc in self.psutil.process_iter(["pid", "name", "cmdline"]):
            try:
                cmd = " ".join(proc.info["cmdline"] or [])
                if proc.info["name"] == "postgres" and f" {self.db_name} " in f"{cmd} ":
                    found.append(("postgres", proc.info["pid"]))
                elif "locust" in cmd and "locustfile.py" in cmd:
                    found.append(("locust", proc.info["pid"]))
            except (self.psutil.NoSuchProcess, self.psutil.AccessDenied):
                continue
        return found

    def sample(self, first=False):
        for key in self.groups():
            try:
                t = self.psutil.Process(key[1]).cpu_times()
            except (self.psutil.NoSuchProcess, self.psutil.AccessDenied):
                continue
            used = t.user + t.system
            if key not in self.first:
                self.first[key] = used if first else 0.0
            self.last[key] = used

    def result(self):
        wall = time.time() - self.started
        end = self.psutil.cpu_times()

        def busy_of(t):  # as psutil.cpu_percent: all but idle and iowait; guest is inside user
            total = sum(t) - getattr(t, "guest", 0) - getattr(t, "guest_nice", 0)
            return total - t.idle - getattr(t, "iowait", 0)

        busy = busy_of(end) - busy_of(self.cpu_start)
        per_group = {"gunicorn": 0.0, "postgres": 0.0, "locust": 0.0}
        for key, used in self.last.items():
            per_group[key[0]] += used - self.first[key]
        cores = {k: round(v / wall, 2) for k, v in per_group.items()}
        cores["other"] = round(max(0.0, busy - sum(per_group.values())) / wall, 2)
        cores["machine"] = round(busy / wall, 2)
        cores["steal"] = round(
            (getattr(end, "steal", 0) - getattr(self.cpu_start, "steal", 0)) / wall, 2
        )
        return cores


def wait_for_quiet(max_wait, threshold=0.3):
    """Wait (up to max_wait s) until the machine uses under `threshold` cores over 3 s.

    The machine is shared: a test suite running next to the benchmark takes a core away from
    it. Returns the cores in use when the run starts, for the report.
    """
    import psutil

    deadline = time.monotonic() + max_wait
    ncpu = psutil.cpu_count() or 1
    while True:
        busy = psutil.cpu_percent(interval=3) / 100 * ncpu
        if busy < threshold:
            return round(busy, 2)
        if time.monotonic() >= deadline:
            print(f"  the machine is still busy ({busy:.2f} cores); running anyway", flush=True)
            return round(busy, 2)
        print(f"  waiting for the machine to be quiet ({busy:.2f} cores busy) ...", flush=True)


def run_locust(
    user_class,
    users,
    duration,
    plan_path,
    server,
    db_name,
    quiet_wait,
    page=None,
    names=None,
    prefix="",
):
    """One Locust run; `names` are the pages summarised (default: run.py's four), `prefix` keeps
    another script's raw and log files apart from run.py's."""
    label = f"closed-{page}" if page else "think"
    out = benchconf.OUT_DIR / f"raw-{prefix}{label}.json"
    env = dict(os.environ, BENCH_PLAN=str(plan_path), BENCH_RAW_OUT=str(out), PYTHONUNBUFFERED="1")
    if page:
        env["BENCH_PAGE"] = page
    spawn_rate = users if page else max(1, users // RAMP_S)
    cmd = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(benchconf.BENCH_DIR / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{duration}s",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "5",
        user_class,
    ]
    busy_before = wait_for_quiet(quiet_wait)
    print(f"  {label}: {users} Locust users for {duration} s", flush=True)
    meter = CpuMeter(server, db_name)
    with open(benchconf.OUT_DIR / f"locust-{prefix}{label}.log", "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=benchconf.PROJECT_DIR
        )
        while proc.poll() is None:
            meter.sample()
            time.sleep(0.5)
    cpu = meter.result()
    cpu["busy_before"] = busy_before
    raw = json.loads(out.read_text())
    skip = RAMP_S if not page else 2
    names = [page] if page else (names or PAGES)
    stats = summarise(raw, skip, names)
    return {
        "label": label,
        "stats": stats,
        "window_s": stats.pop("_window_s", None),
        "cpu": cpu,
        "errors": raw["errors"],
        "locust_exit_code": proc.returncode,
    }


RAMP_S = 5  # the think-time users start over 5 s; requests started before that do not count


def summarise(raw, skip_s, names):
    """Per page, over requests started after `skip_s`; req/s over the measured window."""
    t0 = raw["test_start"] + skip_s
    samples = [s for s in raw["samples"] if s[1] is not None and s[1] >= t0]
    if not samples:
        return {}
    window = max(max(s[1] + s[2] / 1000 for s in samples) - t0, 1e-9)
    stats = {"_window_s": round(window, 1)}
    for name in names:
        times = [s[2] for s in samples if s[0] == name]
        if not times:
            continue
        stats[name] = {
            "requests": len(times),
            "failures": sum(1 for s in samples if s[0] == name and not s[3]),
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "p99_ms": round(percentile(times, 99), 1),
            "max_ms": round(max(times), 1),
            "rps": round(len(times) / window, 1),
        }
    return stats


# --- report -----------------------------------------------------------------------------------


def verdict(ok):
    return "met" if ok else "**not met**"


def _short_sql(sql, width=140):
    sql = re.sub(r"\s+", " ", sql)
    sql = re.sub(r"\"session_data\" = '[^']*'", "\"session_data\" = '...'", sql)
    return sql if len(sql) <= width else sql[: width - 3] + "..."


def sql_listing(heading: str, row: dict) -> list[str]:
    """A measured case's statements, numbered, with the time Django logged for each."""
    lines = [heading, ""]
    for i, item in enumerate(row["sql"], 1):
        lines.append(f"{i}. {float(item['time']) * 1000:.1f} ms `{_short_sql(item['sql'])}`")
    return [*lines, ""]


def report(results):
    f = results["facts"]
    q = results["queries"]
    a = results["args"]
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
        "### Queries and service time per page (in process)",
        "",
        "django.test.Client with force_login, CaptureQueriesContext. Queries: SQL statements "
        "other than BEGIN/COMMIT (statements: everything logged). Service time: median of "
        f"{a['repeats']} sequential requests, one thread, no HTTP.",
        "",
        "| Page | Case | User | Status | Queries | Statements | Service time |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, rows in q.items():
        for row in rows:
            ms = f"{row['service_ms']} ms" if row["service_ms"] is not None else "-"
            lines.append(
                f"| {name} | {row['label']} `{row['url']}` | {row['user']} | {row['status']} | "
                f"{row['queries']} | {row['statements']} | {ms} |"
            )
    lines.append("")
    for name, rows in q.items():
        # Constant: the same count for the same account whatever the data; another account may
        # see a different page (the reviewer gets no edit form).
        counts = [r["queries"] for r in rows if r["user"] == rows[0]["user"]]
        same = len(set(counts)) == 1
        lines.append(
            f"- {name} ({rows[0]['user']}): {'constant' if same else '**not constant**'} "
            f"({', '.join(map(str, counts))}); <= {QUERY_TARGET}: "
            f"{verdict(max(r['queries'] for r in rows) <= QUERY_TARGET)}"
        )

    sections = (
        (
            "think",
            f"Load model A: {a['users']} Locust users, 1-3 s think time, the four pages in "
            f"equal shares, {a['duration']} s",
        ),
        (
            "closed",
            f"Load model B: {a['clients']} closed-loop clients (no think time), one page at a "
            f"time, {a['closed_duration']} s each",
        ),
    )
    for key, title in sections:
        runs = results.get(key) or []
        if not runs:
            continue
        stats = {}
        for run in runs:
            stats.update(run["stats"])
        lines += ["", f"### {title}", ""]
        lines.append(
            "| Page | Requests | Failures | Median | p95 | p99 | req/s | Queries | p95 <= 100 ms |"
        )
        lines.append("|---|---|---|---|---|---|---|---|---|")
        for name in PAGES:
            st = stats.get(name)
            if not st:
                lines.append(f"| {name} | 0 | - | - | - | - | - | - | - |")
                continue
            target = (
                "(baseline)"
                if name == "admin_changelist"
                else verdict(st["p95_ms"] <= P95_TARGET_MS)
            )
            lines.append(
                f"| {name} | {st['requests']} | {st['failures']} | {st['median_ms']} ms | "
                f"{st['p95_ms']} ms | {st['p99_ms']} ms | {st['rps']} | {q[name][0]['queries']} | "
                f"{target} |"
            )
        lines.append("")
        admin = stats.get("admin_changelist")
        if admin:
            ratios = ", ".join(
                f"{n} {stats[n]['p95_ms'] / admin['p95_ms']:.2f}" for n in APP_PAGES if stats.get(n)
            )
            lines += [f"App page p95 / admin changelist p95: {ratios}.", ""]
        lines += [
            f"CPU during each run, in cores of {f['nproc']}: gunicorn, PostgreSQL (backends of "
            "the bench database), Locust, other (everything else on the machine), machine "
            "(total busy), steal (taken by the hypervisor); busy before = cores in use by others "
            "just before the run started.",
            "",
        ]
        for run in runs:
            c = run["cpu"]
            lines.append(
                f"- {run['label']} ({run['window_s']} s measured): gunicorn {c['gunicorn']}, "
                f"PostgreSQL {c['postgres']}, Locust {c['locust']}, other {c['other']}, "
                f"machine {c['machine']}, steal {c['steal']}; busy before {c['busy_before']}"
                + (
                    f"; kept the cleanest of {len(run['attempts_other_cores'])} attempts "
                    f"(other: {run['attempts_other_cores']})"
                    if len(run.get("attempts_other_cores", [])) > 1
                    else ""
                )
                + (f"; errors: {run['errors']}" if run["errors"] else "")
            )

    lines += ["", "### SQL of each page (its first case above; ms as logged by Django)", ""]
    for rows in q.values():
        row = rows[0]
        lines += sql_listing(f"`{row['url']}` ({row['user']}): {row['queries']} queries", row)
    return "\n".join(lines) + "\n"


# --- main -------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description="Page benchmark (DESIGN §7.15).")
    parser.add_argument("--duration", type=int, default=90, help="think-time model, s (90)")
    parser.add_argument("--users", type=int, default=50, help="think-time users (50)")
    parser.add_argument("--closed-duration", type=int, default=25, help="per page, s (25)")
    parser.add_argument("--clients", type=int, default=10, help="closed-loop clients (10)")
    add_server_arguments(parser, 8765)
    parser.add_argument("--repeats", type=int, default=15, help="in-process timings per case")
    parser.add_argument("--skip-think", action="store_true")
    parser.add_argument("--skip-closed", action="store_true")
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=30,
        help="before each run, wait up to this many s for the machine to be idle (30)",
    )
    parser.add_argument(
        "--max-other",
        type=float,
        default=0.25,
        help="a run during which other processes used more cores than this is repeated (0.25)",
    )
    parser.add_argument("--attempts", type=int, default=2, help="at most this many per run (2)")
    parser.add_argument(
        "--budget", type=int, default=720, help="no repeat that would end after this many s (720)"
    )
    args = parser.parse_args()
    budget_end = time.monotonic() + args.budget

    url = benchconf.setup_django()
    db_name = urlsplit(url).path.lstrip("/")
    check_seeded()
    benchconf.OUT_DIR.mkdir(exist_ok=True)
    base_url = f"http://127.0.0.1:{args.port}"
    gunicorn_cmd = gunicorn_command(args)
    facts = machine_facts(gunicorn_cmd)
    targets = pick_targets()
    print("Queries and service time, in process ...", flush=True)
    queries = measure_in_process(targets, args.repeats)
    for name, rows in queries.items():
        summary = ", ".join(f"{r['queries']} q/{r['service_ms']} ms ({r['status']})" for r in rows)
        print(f"  {name}: {summary}", flush=True)

    env = server_env(url)
    results = {"facts": facts, "args": vars(args), "queries": queries, "targets": targets["pages"]}
    with Gunicorn(gunicorn_cmd, env, base_url, benchconf.OUT_DIR / "gunicorn.log") as server:
        pool_size = max(args.clients, 10)
        print(f"Logging in over HTTP: {pool_size} sessions per account ...", flush=True)
        sessions = login_sessions(
            base_url,
            {"app": benchconf.SECRETARIAT_USERNAME, "admin": benchconf.ADMIN_USERNAME},
            pool_size,
        )
        plan = {
            "base_url": base_url,
            "pages": targets["pages"],
            "sessions": sessions,
        }
        plan_path = benchconf.OUT_DIR / "plan.json"
        plan_path.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
        n, bad = warm_up(base_url, plan)
        print(f"Warm-up: {n} requests" + (f"; NOT 200: {bad[:5]}" if bad else ", all 200"))

        common = {
            "plan_path": plan_path,
            "server": server,
            "db_name": db_name,
            "quiet_wait": args.quiet_wait,
        }

        def measured(*run_args, **run_kwargs):
            return measured_run(
                *run_args,
                **run_kwargs,
                common=common,
                max_other=args.max_other,
                attempts=args.attempts,
                budget_end=budget_end,
            )

        if not args.skip_think:
            print("Load model A: think time", flush=True)
            results["think"] = [measured("ThinkTimeUser", args.users, args.duration)]
        if not args.skip_closed:
            print("Load model B: closed loop", flush=True)
            results["closed"] = [
                measured("ClosedLoopUser", args.clients, args.closed_duration, page=p)
                for p in PAGES
            ]
    results["facts"]["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]

    benchconf.write_results(results, "results.json", report(results), "report.md")


if __name__ == "__main__":
    main()
