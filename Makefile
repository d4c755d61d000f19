# 邻里 Linli — developer commands. `make help` lists them.
#
# Everything runs from the virtualenv in .venv, created on first use with python3.11 (or
# python3). Packages are (re)installed only when requirements.txt is newer than the stamp file.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.requirements-installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.DEFAULT_GOAL := help
.PHONY: help venv run test lint bench clean distclean

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

venv: $(STAMP)  ## create .venv and install requirements.txt (only when it changed)

run: $(STAMP)  ## migrate, seed the demo town, serve on 127.0.0.1:5000 (HOST=, PORT=; Ctrl-C stops)
	$(BIN)/python scripts/devserver.py --host $(HOST) --port $(PORT)

test: $(STAMP)  ## ruff, then pytest on SQLite, then on PostgreSQL (TEST_DATABASE_URL)
	@VENV=$(VENV) bash scripts/test.sh

lint: $(STAMP)  ## ruff check
	$(BIN)/ruff check .

bench: $(STAMP)  ## GET /api/v1/me vs a bare Flask endpoint under gunicorn (BENCH_ARGS=...)
	$(BIN)/python bench/me_bench.py $(BENCH_ARGS)

clean:  ## remove caches and test/bench results (keeps .venv and instance/)
	rm -rf .pytest_cache .ruff_cache .test-results bench/results
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean  ## also remove .venv and the development database in instance/
	rm -rf $(VENV) instance
