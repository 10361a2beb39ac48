# thiduea — the two commands a newcomer needs are `make run` and `make test`.
SHELL := bash
PYTHON ?= $(shell command -v python3.13 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
LOCK := requirements-dev.lock

.DEFAULT_GOAL := help
.PHONY: help install run test lint format messages lock stack bench check-deploy clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(VENV)/.installed: $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "thiduea needs Python 3.13 (found " + sys.version.split()[0] + "): install it, or run make PYTHON=/path/to/python3.13")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned packages (lock file with hashes)

run: install ## Set up the embedded database with the demo data and serve http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	bin/quickstart

test: install ## Run the whole test suite (SQLite unless DATABASE_URL is set)
	$(PY) -m pytest

lint: install ## ruff, djlint, and migrations in step with the models
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(PY) manage.py makemigrations --check --dry-run

format: install ## Format Python and templates
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djlint templates --reformat --quiet || true

messages: install ## Refresh the English catalogue from the source, then compile it
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests --ignore=benchmarks --no-location --no-obsolete
	$(PY) manage.py compilemessages -l en -l vi --ignore=.venv

lock: ## Re-pin every dependency (needs uv: pip install uv)
	uv pip compile pyproject.toml --generate-hashes --python-version 3.13 -o requirements.lock
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.13 -o requirements-dev.lock

check-deploy: install ## Django's deployment checklist with production-like settings
	DEBUG=false HTTPS=true SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=thiduea.example.gov.vn \
	  EMAIL_URL=smtp+tls://thiduea:secret@mail.example.gov.vn:587 \
	  STATIC_MANIFEST=false $(PY) manage.py check --deploy --fail-level WARNING

stack: install ## Production stack without Docker: gunicorn on 127.0.0.1:8001 + Celery worker + beat (local PostgreSQL/Redis)
	bin/stack

bench: install ## Seed, run every benchmark, check the targets; fails on a miss (QUICK=1: smoke test)
	$(PY) benchmarks/suite.py $(if $(QUICK),--quick)

clean: ## Remove the virtual environment and local data (var/)
	rm -rf $(VENV) var
