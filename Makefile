# The README's two commands: `make demo` and `make test`. Everything installs from uv.lock.
SHELL := /bin/bash
PYTHON ?= python3
UV = $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
RUN = $(UV) run --frozen

.PHONY: help install test-servers demo test airflow lint bench clean

help:
	@echo "make demo     run the whole pipeline through Airflow on the bundled demo board"
	@echo "make test     run the test suite"
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

# Debian's PostgreSQL: the tests run the lake on a Postgres catalog too (CI runs as root).
test-servers:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			postgresql >/dev/null)

test: install test-servers
	$(RUN) pytest

airflow: install
	$(RUN) stepback airflow

lint: install
	$(RUN) ruff check .

# stdout is only the BENCH lines; progress goes to stderr.
bench: install
	@$(RUN) python -m bench

clean:
	rm -rf data .airflow
