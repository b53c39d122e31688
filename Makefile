# Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint migrate demo clean bench bench-library bench-blocks bench-schedule bench-feed bench-conflicts bench-flags bench-today bench-roster bench-flat bench-logging-load bench-activities bench-activity-import bench-http bench-load

# The venv is rebuilt when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@echo "Installing dependencies into $(VENV) (a minute or two the first time)…"
	@python=$$(bin/find-python) && echo "Using $$python" && \
	  ([ -x $(PY) ] || $$python -m venv $(VENV))
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check '.[dev]'
	@touch $@

setup: $(VENV)/.installed .env

# Local development settings; git-ignored, never used in production.
.env:
	@printf '# Local development only (git-ignored). The real environment wins over this file.\nDJANGO_DEBUG=1\n' > $@

migrate: setup
	@echo "Migrating the database…"
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	@echo "Loading the exercise library, the block templates and the demo data…"
	DJANGO_DEBUG=1 $(PY) manage.py load_library
	DJANGO_DEBUG=1 $(PY) manage.py load_templates
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo

# The web server and a background worker (bin/serve); Ctrl-C stops both.
run: demo
	@echo "Serving RunStrong on http://$(HOST):$(PORT)/  (Ctrl-C to stop; HOST=… PORT=… make run to change)"
	DJANGO_DEBUG=1 bin/serve $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 *.egg-info node_modules

bench: bench-library bench-blocks bench-schedule bench-feed bench-conflicts bench-flags bench-today bench-roster bench-activities bench-activity-import

bench-library: setup
	$(PY) -m benchmarks.library

bench-blocks: setup
	$(PY) -m benchmarks.blocks

bench-schedule: setup
	$(PY) -m benchmarks.schedule

bench-feed: setup
	$(PY) -m benchmarks.feed

bench-conflicts: setup
	$(PY) -m benchmarks.conflicts

bench-flags: setup
	$(PY) -m benchmarks.flags

bench-today: setup
	$(PY) -m benchmarks.today

bench-roster: setup
	$(PY) -m benchmarks.roster

bench-flat: setup
	$(PY) -m benchmarks.flat

bench-logging-load: setup
	$(PY) -m benchmarks.logging_load

bench-activities: setup
	$(PY) -m benchmarks.activities

bench-activity-import: setup
	$(PY) -m benchmarks.activity_import

# Every key page served by gunicorn and loaded with wrk, against a hello-world view, three
# rounds (about 5 minutes, so not part of `make bench`). DATABASE_URL=postgres://... for
# PostgreSQL (a test_ database is created and dropped); BENCH_HTTP_ARGS to change rounds.
bench-http: BENCH_HTTP_ARGS ?= --rounds 3
bench-http: setup
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian package)"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq wrk; }
	$(PY) -m benchmarks.http $(BENCH_HTTP_ARGS)

# Load test (issue #17, docs/scaling.md): 1,000 athletes and 20 coaches on PostgreSQL, a mix
# of Today, set logging, roster, builder and inbox through gunicorn (4 sync workers) with
# wrk; Redis for cache and tasks when 127.0.0.1:6379 answers. About 5 minutes, not part of
# `make bench`. DATABASE_URL=postgres://... (a test_ database is created and dropped;
# default postgres://postgres@127.0.0.1:5432/runstrong_load); BENCH_LOAD_ARGS for options.
bench-load: setup
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian package)"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq wrk; }
	$(PY) -m benchmarks.load $(BENCH_LOAD_ARGS)
