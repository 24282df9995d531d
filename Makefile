# Two commands for a fresh clone: `make run` and `make test` (see README.md).
PYTHON := $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
# WeasyPrint draws PDFs with Pango; the CJK font is embedded in them.
RUN_SYSTEM_PACKAGES := fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0
TEST_SYSTEM_PACKAGES := $(RUN_SYSTEM_PACKAGES) chromium poppler-utils gettext dovecot-imapd

.PHONY: run test lint lock messages clean bench

$(BIN)/.installed: requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || exit 1
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock
	@$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	@touch $@

run: $(BIN)/.installed
	@-scripts/system-deps $(RUN_SYSTEM_PACKAGES)
	$(BIN)/tierdesk migrate --no-input
	$(BIN)/tierdesk demo
	@# The scheduler and a worker send the mail and webhooks; they stop with the web server.
	trap 'kill 0' EXIT; $(BIN)/tierdesk scheduler & $(BIN)/tierdesk worker & \
		$(BIN)/tierdesk runserver 127.0.0.1:8000

test: $(BIN)/.installed
	@scripts/system-deps $(TEST_SYSTEM_PACKAGES)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n auto --maxprocesses=4 $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(BIN)/.installed
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.12 -q -o requirements.lock

messages: $(BIN)/.installed
	cd tierdesk && ../$(BIN)/tierdesk makemessages -l zh_Hans -l en --no-obsolete && ../$(BIN)/tierdesk compilemessages

clean:
	rm -rf $(VENV) data

# The benchmark suite (not part of `make test`): 1,000,000 cases on the local PostgreSQL,
# gunicorn behind nginx, locust in its own venv. See docs/benchmarks.md; override with
# BENCH_DATABASE_URL, BENCH_CASES, BENCH_ARTICLES, BENCH_SECONDS, BENCH_WORKERS.
BENCH_VENV := .venv-bench
$(BENCH_VENV)/.installed: bench/requirements.lock $(BIN)/.installed
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	@$(BIN)/uv pip install -q --python $(BENCH_VENV)/bin/python -r bench/requirements.lock
	@touch $@

bench: $(BIN)/.installed $(BENCH_VENV)/.installed
	@scripts/system-deps nginx-light
	$(BIN)/python bench/run.py
