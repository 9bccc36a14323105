# SEND services — developer entry points. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
UV_VERSION := 0.13.9

export CASES_PORT ?= 8000
export MATCHING_PORT ?= 8001
# The whole suite against PostgreSQL: the server is used only to create (and drop) a scratch database.
export TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres

PYTEST := $(BIN)/python -m pytest

$(STAMP): requirements.lock shared/pyproject.toml services/cases-api/pyproject.toml services/matching/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed (found $$($(PYTHON) --version))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION) 2>/dev/null \
		|| { echo "pip could not install uv $(UV_VERSION) into $(VENV)"; exit 1; }
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	@touch $(STAMP)

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}'

.PHONY: install
install: $(STAMP) ## Create .venv and install the locked dependencies (idempotent)

.PHONY: lock
lock: $(STAMP) ## Re-pin requirements.lock (development), then each service's runtime lock from it
	$(BIN)/uv pip compile requirements.in -o requirements.lock --python-version 3.11 --no-header --upgrade
	$(MAKE) --no-print-directory runtime-locks

# Each image installs only what its service needs (services/*/requirements.lock), at the versions the
# development lock pins, so the tests run what production runs. The packages themselves are left out:
# the Containerfiles install them afterwards, non-editably, with --no-deps.
RUNTIME_LOCK = grep -vE '^-e ' requirements.lock > $(VENV)/dev-constraints.txt && \
	printf '%s\n' $(2) | $(BIN)/uv pip compile - -c $(VENV)/dev-constraints.txt \
	-o services/$(1)/requirements.lock --python-version 3.11 --no-header --quiet \
	--no-emit-package send-contracts --no-emit-package $(3)

.PHONY: runtime-locks
runtime-locks: $(STAMP) ## Re-pin services/*/requirements.lock from the services' pyprojects and requirements.lock
	$(call RUNTIME_LOCK,cases-api,'./shared[http]' ./services/cases-api,cases-api)
	$(call RUNTIME_LOCK,matching,'./shared[http]' ./services/matching,send-matching)

.PHONY: migrate
migrate: $(STAMP) ## Apply database migrations (CASES_DATABASE_URL, default SQLite in var/)
	$(BIN)/cases-api migrate

.PHONY: seed
seed: migrate ## Seed demo data if the database is empty
	$(BIN)/cases-api seed

.PHONY: run
run: seed ## Set up, then start cases-api (:8000) and matching (:8001); Ctrl-C stops both
	$(BIN)/python scripts/run_all.py

.PHONY: run-cases
run-cases: seed ## Start only cases-api on CASES_PORT
	$(BIN)/cases-api serve --port $(CASES_PORT)

.PHONY: run-matching
run-matching: $(STAMP) ## Start only the matching service on MATCHING_PORT
	$(BIN)/send-matching serve --port $(MATCHING_PORT)

.PHONY: test
test: $(STAMP) ## Run every test on SQLite
	$(PYTEST)

.PHONY: test-pg
test-pg: $(STAMP) ## Run every test on PostgreSQL (TEST_POSTGRES_URL)
	CASES_TEST_DATABASE=postgresql $(PYTEST)

.PHONY: lint
lint: $(STAMP) ## Format check, lint and mypy --strict
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

.PHONY: fmt
fmt: $(STAMP) ## Format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: fuzz
fuzz: $(STAMP) ## schemathesis, longer (SCHEMATHESIS_EXAMPLES=200), on SQLite then PostgreSQL
	SCHEMATHESIS_EXAMPLES=$${SCHEMATHESIS_EXAMPLES:-200} $(PYTEST) -q services/cases-api/tests/test_openapi_schemathesis.py services/matching/tests/test_openapi_schemathesis.py
	SCHEMATHESIS_EXAMPLES=$${SCHEMATHESIS_EXAMPLES:-200} CASES_TEST_DATABASE=postgresql $(PYTEST) -q services/cases-api/tests/test_openapi_schemathesis.py

.PHONY: drill
drill: $(STAMP) ## PostgreSQL restarted and cases-api killed under write load (DRILL_CLIENTS=8 DRILL_SECONDS=20)
	$(BIN)/python scripts/drill.py --clients $(or $(DRILL_CLIENTS),8) --seconds $(or $(DRILL_SECONDS),20)

.PHONY: backup
backup: $(STAMP) ## Back up CASES_DATABASE_URL (pg_dump, or SQLite's online backup) into var/backups, checked
	$(BIN)/cases-api backup $(if $(TO),--to $(TO),)

.PHONY: restore
restore: $(STAMP) ## Restore the newest backup (or FROM=file) into a new database (or TO=url), checked
	$(BIN)/cases-api restore $(if $(FROM),--from $(FROM),) $(if $(TO),--to $(TO),)

.PHONY: bench-matching
bench-matching: $(STAMP) ## Matching engine against the baselines and the bare flow (SIZES="200 2000 20000", SMOKE=1)
	$(BIN)/python -m send_matching.bench $(if $(SIZES),--sizes $(SIZES),) $(if $(SMOKE),--smoke,)

.PHONY: bench-access
bench-access: $(STAMP) ## Reading children through scope and audit against a plain query (PG=1: PostgreSQL)
	$(BIN)/python scripts/bench_access.py $(if $(PG),--postgres,)

.PHONY: bench-api
bench-api: $(STAMP) ## cases-api under wrk (PostgreSQL, SQLite, 1 and 2 workers) beside a bare app; writes docs/api-benchmarks.md (SECONDS=15, SMOKE=1)
	$(BIN)/python scripts/bench_api.py $(if $(SMOKE),--smoke,--seconds $(or $(SECONDS),15))

.PHONY: bench-round
bench-round: $(STAMP) ## A proposal through cases-api against matching directly, on the demo county
	$(BIN)/python scripts/bench_round.py

.PHONY: bench-compliance
bench-compliance: seed ## 20-week compliance on the demo county: old Python way against the SQL aggregate
	$(BIN)/python scripts/bench_compliance.py $(if $(REPEATS),--repeats $(REPEATS),)

.PHONY: load-sqlite
load-sqlite: $(STAMP) ## SQLite under 8 writers + 8 readers for 30 s: before (old code), rollback journal, WAL
	$(BIN)/python scripts/load_sqlite.py $(if $(RUNS),--runs $(RUNS),) $(if $(SECONDS),--seconds $(SECONDS),)

.PHONY: clean
clean: ## Remove the virtual environment, caches and local data
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
