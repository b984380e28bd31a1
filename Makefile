# SIGAP: the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install demo test test-sqlite test-postgres lint bench messages clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@PY=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV) with $$PY"; $$PY -m venv $(VENV) || exit 1; fi
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

demo: install
	@$(BIN)/sigap demo

lint: install
	$(BIN)/ruff check sigap tests bench tools
	$(BIN)/mypy sigap

test-sqlite: install
	$(BIN)/pytest

test-postgres: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

test: lint test-sqlite
	@if [ "$${SIGAP_TEST_POSTGRES:-}" = "1" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "PostgreSQL run skipped (set SIGAP_TEST_POSTGRES=1 to run the suite on PostgreSQL too)."; fi

bench: install
	@$(BIN)/python bench/run.py

messages: install
	cd sigap && ../$(BIN)/sigap makemessages -l id --no-obsolete && ../$(BIN)/sigap compilemessages

clean:
	rm -rf $(VENV) var/*.sqlite3*
