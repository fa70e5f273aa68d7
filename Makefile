# Two commands on a fresh clone: `make demo` (platform with demo data) and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo run test e2e test-worker lint fix messages worker beat ci clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $@

install: $(VENV)/.installed

# The e-mails' links point where the demo runs: `make demo PORT=8042` gives links on port 8042.
demo: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py seed_demo
	@echo "Platform on http://$(HOST):$(PORT)/ — stop with Ctrl-C."
	DEBUG=true SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest

# The browser journeys alone (they are part of `make test` too); needs Chromium (CHROMIUM_PATH).
e2e: install
	$(BIN)/pytest -m e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null
	git diff --exit-code -- locale/

fix: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(PY) manage.py makemessages --locale fr --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=benchmarks --no-obsolete --no-location
	$(PY) manage.py compilemessages --ignore=.venv

worker: install
	$(BIN)/celery -A odpe worker --loglevel=info

beat: install
	$(BIN)/celery -A odpe beat --loglevel=info

ci: lint test

clean:
	rm -rf $(VENV) staticfiles var odpe.sqlite3 test-artifacts
