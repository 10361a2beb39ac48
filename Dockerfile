# syntax=docker/dockerfile:1
#
# Production image of thiduea: gunicorn by default; the same image runs the Celery worker and
# beat (see docker-compose.yml). Build:  docker build -t thiduea .
#
# Stages: "base" holds what runs (Python, WeasyPrint's system libraries, the unprivileged user);
# "build" adds the locked dependencies, compiles translations and collects static files;
# the final stage copies only the virtualenv and the application from "build".

ARG PYTHON_IMAGE=python:3.13-slim-bookworm

FROM ${PYTHON_IMAGE} AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=thiduea.settings

# WeasyPrint loads Pango and HarfBuzz through cffi at import time; shared-mime-info lets it
# sniff image types. fonts-liberation2 (Times/Arial-metric, Vietnamese coverage) is only the
# fallback: documents use the font bundled under static/fonts/.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        shared-mime-info \
        fontconfig \
        fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

# Fixed ids so volume ownership stays stable across rebuilds. A home directory is needed for
# fontconfig's cache.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home \
        --shell /usr/sbin/nologin app

WORKDIR /app


FROM base AS build

# gettext only for compilemessages; it stays out of the final image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first so code changes do not reinstall them. Every wheel is checked against the
# hash in the lock; --no-deps because the lock already lists the whole closure.
RUN python -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
RUN pip install --require-hashes --no-deps -r /tmp/requirements.lock

COPY . /app

# Throwaway values so importing settings has no side effects: no SQLite file and no filesystem
# broker folders under var/ in the image. Translations are compiled here because .mo files
# are build output; collectstatic writes hashed, compressed files to var/staticfiles.
RUN export DATABASE_URL=sqlite:////tmp/build.sqlite3 CELERY_BROKER_URL=memory:// \
        STATIC_MANIFEST=true \
    && if find . -name '*.po' | grep -q .; then python manage.py compilemessages; fi \
    && python manage.py collectstatic --noinput \
    && python -m compileall -q -j 0 /app


FROM base AS runtime

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

# The code stays owned by root (read-only for the app user); only var/ is writable: uploads
# (MEDIA_ROOT) and the beat schedule. Named volumes mounted there inherit this ownership.
RUN install -d -o app -g app /app/var /app/var/media /app/var/beat

ENV STATIC_MANIFEST=true \
    MEDIA_ROOT=/app/var/media \
    WEB_CONCURRENCY=3

USER app:app
EXPOSE 8000

# /healthz also runs SELECT 1, so this checks the database too. The Host header is the first
# ALLOWED_HOSTS entry, otherwise Django would answer 400 to "127.0.0.1" in production.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import json, os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.').replace('*', 'localhost') or 'localhost'; r = u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4); raise SystemExit(0 if json.load(r).get('ok') is True else 1)"]

# Workers come from WEB_CONCURRENCY (gunicorn reads it; 2-3 on 2 cores). Sync workers: each
# request is taken from the shared socket by whichever worker is free, where gthread with
# keep-alive pinned clients to one busy worker (benchmarks/RESULTS.md: p95 under the 50-user
# load fell from 247-380 ms to 124-166 ms). Slow clients are the reverse proxy's job; long work
# (PDF batches, reports) runs in Celery, so 60 s is ample for a request. Workers recycle after ~1000 requests to bound memory
# (WeasyPrint, openpyxl). The heartbeat file lives in /dev/shm, not on the overlay filesystem.
CMD ["gunicorn", "thiduea.wsgi", \
     "--bind", "0.0.0.0:8000", \
     "--worker-class", "sync", \
     "--timeout", "60", "--graceful-timeout", "30", \
     "--max-requests", "1000", "--max-requests-jitter", "100", \
     "--worker-tmp-dir", "/dev/shm", \
     "--no-control-socket", \
     "--access-logfile", "-", "--error-logfile", "-", \
     "--access-logformat", "%({x-forwarded-for}i)s %(h)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\" %(M)sms"]
