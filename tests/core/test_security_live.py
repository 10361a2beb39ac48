"""Security headers as a browser receives them from a running server (issue 7, S1)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)


def _get(url, headers=None):
    with urllib.request.urlopen(
        urllib.request.Request(url, headers=headers or {}), timeout=10
    ) as r:
        return r.status, r.headers


def test_a_live_server_sends_an_enforced_csp_nosniff_and_no_framing(live_server):
    status, headers = _get(f"{live_server.url}/accounts/login/")
    assert status == 200
    csp = headers["Content-Security-Policy"]  # enforced, not Report-Only
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_behind_a_tls_proxy_gunicorn_sends_hsts_and_redirects_plain_http(tmp_path):
    """The production configuration (HTTPS=true) in a real gunicorn, requests over loopback."""
    port = _free_port()
    env = {
        **os.environ,
        "HTTPS": "true",
        "DEBUG": "false",
        "SECRET_KEY": "live-header-test-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "thiduea.wsgi", "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(f"{base}/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        status, headers = _get(f"{base}/accounts/login/", {"X-Forwarded-Proto": "https"})
        assert status == 200
        hsts = headers["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
        assert "Secure" in headers["Set-Cookie"]
        plain = urllib.request.build_opener(_NoRedirect).open(f"{base}/accounts/login/", timeout=10)
        assert plain.status == 301 and plain.headers["Location"].startswith("https://")
    finally:
        server.terminate()
        server.wait(timeout=30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_301(self, request, response, code, message, headers):
        return response


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
