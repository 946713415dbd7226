# The two promises: `make run` starts the whole system on SQLite, `make test` checks it.
# Both install what they need first, from nothing but a Python 3.11 interpreter.

PYTHON ?= python3.11
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin

export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(PYTHON)

.PHONY: install run demo test lint typecheck unit pytest bench openapi deploy-check clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml */*/pyproject.toml
	$(UV) sync --frozen --all-packages
	touch $@

install: $(VENV)/.synced

run: install
	$(BIN)/python tools/devstack.py

demo: install
	$(BIN)/python tools/demo.py

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy libs/service-kit/src libs/identity-stub/src services/ssm-api/src services/myhandicap-api/src

pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# `make bench BENCH_ARGS=--strict` fails on a missed target; BENCH_DATABASE_URL
# names the PostgreSQL server to use.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

openapi: install
	$(BIN)/python tools/openapi.py write

deploy-check: install
	$(BIN)/pytest tests/deploy -q

clean:
	rm -rf $(VENV) $(TOOLS) var
