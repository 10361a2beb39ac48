"""Locust users for benchmarks/run.py (run.py starts Locust; running this file by hand also works).

Environment, written by run.py:
- BENCH_PLAN: a JSON file with the base URL, the session cookies obtained by real logins
  (secretariat sessions for the app pages, bench-admin sessions for the admin changelist) and
  the URLs of the pages;
- BENCH_PAGE: for ClosedLoopUser, the one page it requests;
- BENCH_RAW_OUT: where every request's (page, start time, response time, ok) goes as JSON, so run.py
  computes exact percentiles (Locust's own stats round above 100 ms).

ThinkTimeUser: the DESIGN §7.15 load model, 1 to 3 s think time, the plan's pages in equal shares.
ClosedLoopUser: no think time, one page, for throughput.

Each request must come back 200 with the page's marker and without the login form, otherwise it
counts as a failure (a lost session would otherwise show up as a fast 200 login page).
"""

import itertools
import json
import os
import random
import time

from locust import FastHttpUser, between, constant, events, task

with open(os.environ["BENCH_PLAN"], encoding="utf-8") as _plan:
    PLAN = json.load(_plan)
PAGES = PLAN["pages"]  # name -> {"urls": [...], "session": a key of "sessions", "marker": str}
NAMES = sorted(PAGES)
WEIGHTS = [PLAN.get("weights", {}).get(name, 1.0) for name in NAMES]
_user_numbers = itertools.count()
_samples: list[tuple] = []
_started: dict = {}


@events.test_start.add_listener
def _on_start(environment, **_kw):
    _started.setdefault("t", time.time())


@events.request.add_listener
def _record(name, response_time, exception, start_time=None, **_kw):
    _samples.append(
        (name, start_time, response_time, exception is None, repr(exception) if exception else None)
    )


@events.quitting.add_listener
def _dump(environment, **_kw):
    errors: dict[str, int] = {}
    for s in _samples:
        if s[4]:
            errors[s[4][:200]] = errors.get(s[4][:200], 0) + 1
    with open(os.environ["BENCH_RAW_OUT"], "w", encoding="utf-8") as out:
        json.dump(
            {
                "test_start": _started.get("t"),
                "samples": [s[:4] for s in _samples],
                "errors": errors,
            },
            out,
        )


class _BenchUser(FastHttpUser):
    abstract = True
    host = PLAN["base_url"]
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self):
        number = next(_user_numbers)
        self.rng = random.Random(number)
        # Cookies are sent by hand (one set per kind of page); the client's own jar would mix them.
        self.client.client.cookiejar = None
        self.cookies = {kind: pool[number % len(pool)] for kind, pool in PLAN["sessions"].items()}

    def fetch(self, name):
        page = PAGES[name]
        url = page["urls"][self.rng.randrange(len(page["urls"]))]
        headers = {"Cookie": self.cookies[page["session"]]}
        with self.client.get(
            url, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
            elif b'name="password"' in (r.content or b""):
                r.failure("login form: session lost")
            elif page["marker"].encode() not in (r.content or b""):
                r.failure(f"marker {page['marker']!r} missing")


class ThinkTimeUser(_BenchUser):
    """The plan's pages, 1 to 3 s apart, in the shares of the plan's "weights" (in expectation;
    equal shares without them)."""

    wait_time = between(1, 3)

    @task
    def any_page(self):
        self.fetch(self.rng.choices(NAMES, WEIGHTS)[0])


class ClosedLoopUser(_BenchUser):
    wait_time = constant(0)

    @task
    def one_page(self):
        self.fetch(os.environ["BENCH_PAGE"])
