"""Run the page benchmark against the seeded bench database (see README.md).

    .venv/bin/python benchmarks/run.py [--duration 120] [--closed-duration 30] [--workers 2 --threads 4]

1. Query count per page, in process: django.test.Client (force_login) + CaptureQueriesContext,
   on the same database; each page also at a second data size, to show the count is constant.
2. gunicorn on 127.0.0.1 (DEBUG off, STATIC_MANIFEST unset, CONN_MAX_AGE as in settings).
3. Real-HTTP logins (GET the login page, POST csrf token + credentials, keep the cookies): a pool
   of sessions for bench-secretariat (app pages) and bench-admin (admin changelist).
4. Warm-up, then Locust headless:
   a. 50 users, 1–3 s think time, the four pages in equal shares (DESIGN §7.15);
   b. 10 closed-loop users (no think time), one page at a time, for throughput.
5. A report: benchmarks/.out/report.md (the tables for RESULTS.md) and .out/results.json
   (everything, including the SQL of each page).

Everything runs on loopback; the load generator, gunicorn and PostgreSQL share the machine.
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

PAGE_TITLES = {
    "bloc_list": "Bloc list `/blocs/`",
    "bloc_search": f"Bloc list, unaccented search `/blocs/?q={quote_plus(benchconf.SEARCH_QUERY)}`",
    "bloc_detail": "Bloc page for a year `/blocs/<pk>/<year>/`",
    "admin_changelist": "Admin changelist `/admin/blocs/bloc/` (baseline)",
}
APP_PAGES = ["bloc_list", "bloc_search", "bloc_detail"]
P95_TARGET_MS = 100
QUERY_TARGET = 10
TRANSACTION_CONTROL = re.compile(
    r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I
)


# --- helpers ------------------------------------------------------------------------------------------


def percentile(values, q):
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def sh(cmd):
    try:
        return subprocess.run(
            cmd, capture_output=True, text=True, check=False, timeout=10
        ).stdout.strip()
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
        cursor.execute("SHOW max_connections")
        max_connections = cursor.fetchone()[0]
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": sh(["nproc"]) or str(os.cpu_count()),
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "cpu_model": cpu_model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg_version.split(" on ")[0],
        "postgresql_settings": f"shared_buffers={shared_buffers}, max_connections={max_connections}",
        "psycopg": psycopg.__version__,
        "gunicorn": gunicorn.__version__,
        "locust": version("locust"),  # not imported: it monkey-patches with gevent
        "gunicorn_cmd": " ".join(shlex.quote(c) for c in gunicorn_cmd),
        "loadavg_before": Path("/proc/loadavg").read_text().split()[:3],
    }


# --- targets and query counts ---------------------------------------------------------------------


def pick_targets():
    """The URLs of each page: one fixed URL for the query count, a spread of URLs under load."""
    from blocs.models import Bloc

    blocs = list(
        Bloc.objects.select_related("authority").order_by("authority__name", "kind", "code", "pk")
    )
    if len(blocs) < 40:
        sys.exit("The bench database is not seeded: run benchmarks/seed.py first.")
    first = blocs[0]
    detail_urls = [f"/blocs/{b.pk}/{y}/" for b in blocs for y in benchconf.YEARS]
    search = f"/blocs/?q={quote_plus(benchconf.SEARCH_QUERY)}"
    return {
        "pages": {
            "bloc_list": {"urls": ["/blocs/"], "session": "app", "marker": 'id="results"'},
            "bloc_search": {"urls": [search], "session": "app", "marker": 'id="results"'},
            "bloc_detail": {"urls": detail_urls, "session": "app", "marker": "<h1>"},
            "admin_changelist": {
                "urls": ["/admin/blocs/bloc/"],
                "session": "admin",
                "marker": 'id="changelist"',
            },
        },
        # Query count: the main URL, then the same page at another data size.
        "query_cases": {
            "bloc_list": [
                ("/blocs/", "page 1: 25 of 40 blocs"),
                ("/blocs/?page=2", "page 2: 15 blocs"),
                ("/blocs/?year=2021", "year filter 2021"),
            ],
            "bloc_search": [
                (search, f"q={benchconf.SEARCH_QUERY!r}"),
                ("/blocs/?q=cua+lo", "q='cua lo' (fewer matches)"),
                ("/blocs/?q=thong+tin", "q='thong tin' (more matches)"),
            ],
            "bloc_detail": [
                (
                    f"/blocs/{first.pk}/2024/",
                    f"{first.code} {first.authority.name} 2024: 2 conferences, next year known",
                ),
                (f"/blocs/{first.pk}/2025/", f"{first.code} 2025: 1 conference, no next year"),
                (
                    f"/blocs/{blocs[5].pk}/2021/",
                    f"{blocs[5].code} 2021: first year, no handover from",
                ),
            ],
            "admin_changelist": [
                ("/admin/blocs/bloc/", "page 1: 25 rows"),
                ("/admin/blocs/bloc/?p=2", "page 2: 15 rows"),
            ],
        },
    }


def measure_queries(targets):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    User = get_user_model()
    clients = {}
    for kind, username in (
        ("app", benchconf.SECRETARIAT_USERNAME),
        ("admin", benchconf.ADMIN_USERNAME),
    ):
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[kind] = client
    results = {}
    for name, cases in targets["query_cases"].items():
        client = clients[targets["pages"][name]["session"]]
        rows = []
        for url, label in cases:
            try:
                client.get(
                    url
                )  # warm: first-request work (caches, translations) is not per-page cost
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    response = client.get(url)
                    elapsed = (time.perf_counter() - started) * 1000
            except Exception as error:  # a page that errors is reported, not fatal
                rows.append(
                    {
                        "url": url,
                        "label": label,
                        "status": f"error: {error!r}"[:300],
                        "queries": -1,
                        "statements": -1,
                        "in_process_ms": 0,
                        "bytes": 0,
                        "sql": [],
                    }
                )
                continue
            sql = [q["sql"] for q in ctx.captured_queries]
            rows.append(
                {
                    "url": url,
                    "label": label,
                    "status": response.status_code,
                    # Transaction control (the session save's BEGIN/COMMIT) is logged too; it is
                    # not a query, so the target is judged on the rest.
                    "queries": sum(1 for q in sql if not TRANSACTION_CONTROL.match(q)),
                    "statements": len(sql),
                    "in_process_ms": round(elapsed, 1),
                    "bytes": len(response.content),
                    "sql": [{"sql": q["sql"], "time": q["time"]} for q in ctx.captured_queries],
                }
            )
        results[name] = rows
    connection.close()
    return results


# --- server and sessions ----------------------------------------------------------------------------


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
                raise SystemExit(f"gunicorn exited ({self.proc.returncode}); see {self.log_path}")
            try:
                if requests.get(self.base_url + "/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /healthz within 30 s; see {self.log_path}")

    def pids(self):
        import psutil

        try:
            master = psutil.Process(self.proc.pid)
            return [master.pid] + [c.pid for c in master.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(
                signal.SIGTERM
            )  # graceful stop of this gunicorn only (its own pid)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def login(base_url, username, password):
    """Log in over real HTTP as a browser would; return the Cookie header value of the session."""
    import requests

    session = requests.Session()
    page = session.get(f"{base_url}/accounts/login/", timeout=30)
    page.raise_for_status()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not match:
        raise SystemExit("No csrf token on the login page.")
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
        raise SystemExit(f"Login of {username} failed: HTTP {response.status_code}.")
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def warm_up(base_url, plan, rounds=3):
    """Every worker process loads templates, URL resolvers and catalogues before timing starts."""
    import requests

    def one(cookie, url):
        r = requests.get(
            base_url + url, headers={"Cookie": cookie}, allow_redirects=False, timeout=30
        )
        return url, r.status_code

    jobs = []
    for name, page in plan["pages"].items():
        urls = page["urls"] if name != "bloc_detail" else page["urls"][::7]
        for cookie in plan["sessions"][page["session"]]:
            for url in urls[:rounds] if name != "bloc_detail" else urls:
                jobs.append((cookie, url))
    bad = []
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for url, status in pool.map(lambda j: one(*j), jobs):
            if status != 200:
                bad.append((url, status))
    return len(jobs), bad


# --- load runs ---------------------------------------------------------------------------------------


class CpuMeter:
    """CPU seconds used by a set of processes while a run lasts, polled so short-lived ones count.

    The groups: gunicorn (master and workers), Locust, and the PostgreSQL backends serving the
    bench database. Whatever else the machine did meanwhile is "other": on a shared machine
    (other people's test suites) that is the first thing to check when numbers look bad.
    """

    def __init__(self, server, db_name):
        import psutil

        self.psutil = psutil
        self.server = server
        self.db_name = db_name
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.started = time.time()
        self.cpu_times_start = psutil.cpu_times()
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

        def busy_of(t):  # as psutil.cpu_percent: all time but idle and iowait; guest is inside user
            total = sum(t) - getattr(t, "guest", 0) - getattr(t, "guest_nice", 0)
            return total - t.idle - getattr(t, "iowait", 0)

        busy = busy_of(end) - busy_of(self.cpu_times_start)
        per_group = {"gunicorn": 0.0, "locust": 0.0, "postgres": 0.0}
        for key, used in self.last.items():
            per_group[key[0]] += used - self.first[key]
        cores = {k: round(v / wall, 2) for k, v in per_group.items()}
        cores["machine"] = round(busy / wall, 2)
        cores["other"] = round(max(0.0, busy - sum(per_group.values())) / wall, 2)
        cores["steal"] = round(
            (getattr(end, "steal", 0) - getattr(self.cpu_times_start, "steal", 0)) / wall, 2
        )
        return cores


def wait_for_quiet(max_wait, threshold=0.35):
    """Wait (up to max_wait s) until the machine uses under `threshold` cores for 3 s running.

    The machine is shared: a test suite running next to the benchmark takes a core away from it.
    Returns the cores in use when the run starts, for the report.
    """
    import psutil

    deadline = time.monotonic() + max_wait
    ncpu = psutil.cpu_count() or 1
    while True:
        busy = psutil.cpu_percent(interval=3) / 100 * ncpu
        if busy < threshold or time.monotonic() >= deadline:
            if busy >= threshold:
                print(
                    f"  machine still busy ({busy:.2f} cores in use by others); running anyway",
                    flush=True,
                )
            return round(busy, 2)
        print(f"  waiting for the machine to be quiet ({busy:.2f} cores busy) ...", flush=True)


def run_locust(
    user_class,
    users,
    spawn_rate,
    duration,
    plan_path,
    server,
    db_name,
    quiet_wait,
    page=None,
    label="",
):
    out = benchconf.OUT_DIR / f"raw-{label}.json"
    env = dict(os.environ, BENCH_PLAN=str(plan_path), BENCH_RAW_OUT=str(out), PYTHONUNBUFFERED="1")
    if page:
        env["BENCH_PAGE"] = page
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
    print(
        f"  locust {user_class} users={users} duration={duration}s"
        + (f" page={page}" if page else ""),
        flush=True,
    )
    meter = CpuMeter(server, db_name)
    with open(benchconf.OUT_DIR / f"locust-{label}.log", "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=benchconf.PROJECT_DIR
        )
        while proc.poll() is None:
            meter.sample()
            time.sleep(0.5)
    cpu = meter.result()
    cpu["busy_before"] = busy_before
    raw = json.loads(out.read_text())
    return {"raw": raw, "cpu": cpu, "exit_code": proc.returncode}


def summarise(raw, skip_s, names):
    """Per page: samples started after the ramp-up (skip_s) count; rate over the measured window."""
    t0 = raw["test_start"] + skip_s
    samples = [s for s in raw["samples"] if s[1] is not None and s[1] >= t0]
    if not samples:
        return {}
    t_end = max(s[1] + s[2] / 1000 for s in samples)
    window = max(t_end - t0, 1e-9)
    stats = {}
    for name in names:
        times = [s[2] for s in samples if s[0] == name]
        fails = sum(1 for s in samples if s[0] == name and not s[3])
        if not times:
            continue
        stats[name] = {
            "requests": len(times),
            "failures": fails,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "p99_ms": round(percentile(times, 99), 1),
            "max_ms": round(max(times), 1),
            "rps": round(len(times) / window, 1),
        }
    stats["_window_s"] = round(window, 1)
    return stats


# --- report ----------------------------------------------------------------------------------------


def verdict(ok):
    return "met" if ok else "**not met**"


def _short_sql(sql, width=150):
    sql = re.sub(r"\s+", " ", sql)
    sql = re.sub(r'"session_data" = \'[^\']*\'', "\"session_data\" = '…'", sql)
    return sql if len(sql) <= width else sql[: width - 1] + "…"


def report(results):
    f = results["facts"]
    q = results["queries"]
    lines = [
        f"Run {f['date']} on {f['nproc']} CPUs ({f['cpu_model']}), {f['memory']} RAM, Linux {f['kernel']}.",
        f"Python {f['python']}, Django {f['django']}, {f['postgresql']} ({f['postgresql_settings']}), "
        f"psycopg {f['psycopg']}, gunicorn {f['gunicorn']}, Locust {f['locust']}.",
        f"Server: `{f['gunicorn_cmd']}`. Load average before / after: {' '.join(f['loadavg_before'])} / "
        f"{' '.join(f.get('loadavg_after', []))}.",
        "",
        "### Queries per page (in process: django.test.Client + force_login + CaptureQueriesContext)",
        "",
        "Queries = SQL statements other than BEGIN/COMMIT; statements = everything the connection logged.",
        "",
        "| Page | Case | Status | Queries | Statements | In-process time |",
        "|---|---|---|---|---|---|",
    ]
    for name, rows in q.items():
        for row in rows:
            lines.append(
                f"| {name} | {row['label']} (`{row['url']}`) | {row['status']} | {row['queries']} | "
                f"{row['statements']} | {row['in_process_ms']} ms |"
            )
    lines.append("")
    for name, rows in q.items():
        counts = {r["queries"] for r in rows}
        lines.append(
            f"- {name}: {'constant' if len(counts) == 1 else '**not constant**'} "
            f"({', '.join(str(r['queries']) for r in rows)}); ≤ {QUERY_TARGET}: "
            f"{verdict(max(counts) <= QUERY_TARGET)}"
        )

    for key, title in (
        ("think", "Load model A: 50 Locust users, 1–3 s think time, four pages in equal shares"),
        ("closed", "Load model B: 10 closed-loop clients (no think time), one page at a time"),
    ):
        section = results[key]
        if not section["stats"]:
            continue
        lines += ["", f"### {title}", ""]
        lines.append(
            "| Page | Requests | Failures | Median | p95 | p99 | req/s | Queries | p95 ≤ 100 ms |"
        )
        lines.append("|---|---|---|---|---|---|---|---|---|")
        for name in PAGE_TITLES:
            st = section["stats"].get(name)
            if not st:
                lines.append(f"| {name} | 0 | – | – | – | – | – | – | – |")
                continue
            target = (
                "(baseline)"
                if name == "admin_changelist"
                else verdict(st["p95_ms"] <= P95_TARGET_MS)
            )
            lines.append(
                f"| {name} | {st['requests']} | {st['failures']} | {st['median_ms']} ms | {st['p95_ms']} ms | "
                f"{st['p99_ms']} ms | {st['rps']} | {q[name][0]['queries']} | {target} |"
            )
        lines.append("")
        admin = section["stats"].get("admin_changelist")
        if admin:
            ratios = ", ".join(
                f"{n} {section['stats'][n]['p95_ms'] / admin['p95_ms']:.2f}×"
                for n in APP_PAGES
                if section["stats"].get(n)
            )
            lines.append(f"App page p95 ÷ admin changelist p95: {ratios}.")
            lines.append("")
        lines.append(
            "CPU during each run, in cores (of "
            + f["nproc"]
            + "): gunicorn / PostgreSQL (bench database "
            "backends) / Locust / everything else on the machine; busy = cores in use just before the run."
        )
        lines.append("")
        for run in section["runs"]:
            c = run["cpu"]
            lines.append(
                f"- {run['label']} ({run['window_s']} s measured): gunicorn {c['gunicorn']}, PostgreSQL {c['postgres']}, "
                f"Locust {c['locust']}, other {c['other']} (machine {c['machine']}, steal {c['steal']}; "
                f"busy before {c['busy_before']})"
                + (f"; errors: {run['errors']}" if run["errors"] else "")
            )

    lines += ["", "### SQL of each page (first case above; time in ms as logged by Django)", ""]
    for name, rows in q.items():
        row = rows[0]
        lines.append(f"`{row['url']}` — {row['queries']} queries:")
        lines.append("")
        for i, item in enumerate(row["sql"], 1):
            ms = float(item["time"]) * 1000
            lines.append(f"{i}. ({ms:.1f} ms) `{_short_sql(item['sql'])}`")
        lines.append("")
    return "\n".join(lines) + "\n"


# --- main --------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description="Page benchmark (DESIGN §7.15).")
    parser.add_argument(
        "--duration", type=int, default=120, help="seconds of the think-time model (default 120)"
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--closed-duration", type=int, default=30, help="seconds per page, closed loop (default 30)"
    )
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-think", action="store_true")
    parser.add_argument("--skip-closed", action="store_true")
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=45,
        help="before each run, wait up to this many seconds for the machine to be idle (default 45)",
    )
    args = parser.parse_args()

    url = benchconf.setup_django()
    db_name = urlsplit(url).path.lstrip("/")
    benchconf.OUT_DIR.mkdir(exist_ok=True)
    base_url = f"http://127.0.0.1:{args.port}"

    gunicorn_cmd = [
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
    facts = machine_facts(gunicorn_cmd)
    targets = pick_targets()
    print("Counting queries in process ...", flush=True)
    queries = measure_queries(targets)
    for name, rows in queries.items():
        print(f"  {name}: " + ", ".join(f"{r['queries']} ({r['status']})" for r in rows))
        for row in rows:
            if row["status"] != 200:
                print(f"  !! {row['url']} answered {row['status']}", flush=True)

    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="thiduea.settings",
        DEBUG="false",
        LOG_LEVEL="WARNING",
    )
    env.pop("STATIC_MANIFEST", None)

    results = {"facts": facts, "queries": queries, "targets": targets["pages"]}
    with Gunicorn(gunicorn_cmd, env, base_url, benchconf.OUT_DIR / "gunicorn.log") as server:
        pool_size = max(args.clients, 10)
        print(f"Logging in over HTTP: {pool_size} sessions per account ...", flush=True)
        jobs = [benchconf.SECRETARIAT_USERNAME] * pool_size + [benchconf.ADMIN_USERNAME] * pool_size
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            cookies = list(pool.map(lambda u: login(base_url, u, benchconf.BENCH_PASSWORD), jobs))
        plan = {
            "base_url": base_url,
            "pages": targets["pages"],
            "sessions": {"app": cookies[:pool_size], "admin": cookies[pool_size:]},
        }
        plan_path = benchconf.OUT_DIR / "plan.json"
        plan_path.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
        n, bad = warm_up(base_url, plan)
        print(
            f"Warm-up: {n} requests" + (f"; NOT 200: {bad[:5]}" if bad else ", all 200"), flush=True
        )

        if not args.skip_think:
            print("Load model A: think time", flush=True)
            ramp = 5
            run = run_locust(
                "ThinkTimeUser",
                args.users,
                max(1, args.users // ramp),
                args.duration,
                plan_path,
                server,
                db_name,
                args.quiet_wait,
                label="think",
            )
            stats = summarise(run["raw"], ramp, PAGE_TITLES)
            results["think"] = {
                "stats": stats,
                "runs": [
                    {
                        "label": "think-time run",
                        "window_s": stats.get("_window_s"),
                        "cpu": run["cpu"],
                        "errors": run["raw"]["errors"],
                    }
                ],
            }
        if not args.skip_closed:
            print("Load model B: closed loop", flush=True)
            closed = {"stats": {}, "runs": []}
            for name in PAGE_TITLES:
                run = run_locust(
                    "ClosedLoopUser",
                    args.clients,
                    args.clients,
                    args.closed_duration,
                    plan_path,
                    server,
                    db_name,
                    args.quiet_wait,
                    page=name,
                    label=f"closed-{name}",
                )
                stats = summarise(run["raw"], 2, [name])
                closed["stats"][name] = stats.get(name)
                closed["runs"].append(
                    {
                        "label": f"closed loop {name}",
                        "window_s": stats.get("_window_s"),
                        "cpu": run["cpu"],
                        "errors": run["raw"]["errors"],
                    }
                )
            results["closed"] = closed
    results["facts"]["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]

    for key in ("think", "closed"):
        results.setdefault(key, {"stats": {}, "runs": []})
    (benchconf.OUT_DIR / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    text = report(results)
    (benchconf.OUT_DIR / "report.md").write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"Written: {benchconf.OUT_DIR / 'report.md'}, {benchconf.OUT_DIR / 'results.json'}")


if __name__ == "__main__":
    main()
