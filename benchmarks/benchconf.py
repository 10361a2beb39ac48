"""Settings shared by seed.py, run.py and locustfile.py. No Django import here.

The benchmark only ever touches a database whose name contains "bench": seed.py drops and
recreates it, so pointing it at a real database by mistake must be impossible.
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / ".out"  # ignored by git (.gitignore: benchmarks/.out/)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/thiduea_bench"

# Bump when the data set below changes: seed.py reseeds when the stored version differs.
SEED_VERSION = "3"

ADMIN_USERNAME = "bench-admin"
SECRETARIAT_USERNAME = "bench-secretariat"
REVIEWER_USERNAME = "bench-reviewer"  # read-only: for the in-process comparison only
# Only for the throwaway benchmark database on loopback.
BENCH_PASSWORD = "bench-Thiduea-2025!"

YEARS = list(range(2021, 2026))  # 2021 to 2025
SEARCH_QUERY = "so giao duc"  # unaccented: must find "Sở Giáo dục và Đào tạo"


def schema_fingerprint() -> str:
    """A hash of every migration file: a rewritten migration means the database must be rebuilt."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(PROJECT_DIR.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(PROJECT_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def seed_marker() -> str:
    """What seed.py stores in the bench_seed table: the data set version and the schema."""
    return f"{SEED_VERSION}:{schema_fingerprint()}"


def database_url() -> str:
    """DATABASE_URL from the environment (default: the local bench one); only a bench database."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit(f"The benchmark needs PostgreSQL; DATABASE_URL is {url!r}.")
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(
            f"Refusing to use database {name!r}: its name must contain 'bench' (it gets wiped)."
        )
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"Refusing a non-loopback database host {parts.hostname!r}.")
    return url


# The deployed stack shares a Redis cache between its web processes, and its sessions are read
# from it (settings.py); the benchmark's server and in-process client do the same, in a Redis
# database of their own.
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/4")


def setup_django() -> str:
    """Point Django at the bench database and set it up; returns the DATABASE_URL used."""
    url = database_url()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "thiduea.settings"
    os.environ["CACHE_URL"] = CACHE_URL
    os.environ.pop("STATIC_MANIFEST", None)
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    return url


def write_results(results: dict, json_name: str, text: str, md_name: str) -> None:
    """Leave a load run's results in OUT_DIR (the JSON targets.py reads, the Markdown for
    RESULTS.md) and print the Markdown."""
    (OUT_DIR / json_name).write_text(
        json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    (OUT_DIR / md_name).write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"Written: {OUT_DIR / md_name} and {json_name}")
