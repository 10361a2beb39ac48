"""The real services: PostgreSQL as the database and a Celery worker on Redis.

Locally these skip when the service is not configured; under CI=true they fail instead.
"""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import need


def test_the_suite_runs_on_postgresql_when_configured(db):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


def test_unaccented_search_works_the_same_on_postgresql(world, login):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    client = login(world.users["secretariat_authority"])
    body = client.get("/blocs/", {"q": "TOA AN nhan dan"}).content.decode()
    assert "Khối thi đua Nội chính" in body


@pytest.fixture
def redis_broker():
    url = settings.CELERY_BROKER_URL
    need(url.startswith("redis://"), "CELERY_BROKER_URL does not point at Redis")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        need(False, f"Redis at {url} does not answer: {error}")
    return url


def test_a_real_celery_worker_consumes_from_redis(redis_broker):
    from thiduea.celery import app

    env = {**os.environ, "CELERY_BROKER_URL": redis_broker}
    name = f"test-{os.getpid()}@localhost"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "thiduea",
            "worker",
            "-P",
            "solo",
            "-n",
            name,
            "-l",
            "warning",
            "--without-mingle",
            "--without-gossip",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        replies = []
        while time.monotonic() < deadline and not replies:
            replies = app.control.ping(destination=[name], timeout=1.0)
        assert replies, "the worker never answered"
        assert replies[0][name] == {"ok": "pong"}
    finally:
        worker.terminate()
        worker.wait(timeout=30)
