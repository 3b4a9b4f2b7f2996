# The README's two commands: `make demo` and `make test`. Everything installs from uv.lock.
SHELL := /bin/bash
PYTHON ?= python3
UV = $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
RUN = $(UV) run --frozen

.PHONY: help install test-servers demo test test-distributed faults airflow lint bench clean

help:
	@echo "make demo     run the whole pipeline through Airflow on the bundled demo board"
	@echo "make test     run the test suite"
	@echo "make test-distributed  the demo on Celery workers, Postgres, Redis and S3 (local processes)"
	@echo "make faults   the fault suite (also part of make test), with its fault/expected/observed table"
	@echo "make airflow  start local Airflow (UI on http://127.0.0.1:8080) and the demo board"
	@echo "make lint     ruff"
	@echo "make bench    parser, crawl and digest throughput, one BENCH line each (a few minutes)"
	@echo "make clean    remove data/ and .airflow/"

install:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 \
		|| $(PYTHON) -m pip install --quiet uv
	@$(UV) sync --frozen

demo: install
	$(RUN) stepback demo

# Debian's PostgreSQL and Redis: the tests run the lake on a Postgres catalog, and the
# distributed test runs Airflow's Celery workers on Redis (CI runs as root).
APT_INSTALL = apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
test-servers:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| ($(APT_INSTALL) postgresql >/dev/null)
	@command -v redis-server >/dev/null 2>&1 || ($(APT_INSTALL) redis-server >/dev/null)

test: install test-servers
	$(RUN) pytest

faults: install test-servers
	$(RUN) pytest tests/faults

test-distributed: install test-servers
	$(RUN) pytest -m distributed -s tests/distributed

airflow: install
	$(RUN) stepback airflow

lint: install
	$(RUN) ruff check .

# stdout is only the BENCH lines; progress goes to stderr.
bench: install test-servers
	@$(RUN) python -m bench

clean:
	rm -rf data .airflow
