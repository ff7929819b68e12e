# Uppsök: `make run` serves the app with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bootstrap test-bootstrap lint check worker messages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Uppsök kräver Python 3.11 eller senare / needs Python >= 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.runtime-installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

bootstrap: $(VENV)/.runtime-installed

run: bootstrap
	$(BIN)/uppsok migrate --noinput
	$(BIN)/uppsok demo_data
	@echo "Uppsök: http://127.0.0.1:8000  (Ctrl-C avslutar / stops)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/uppsok db_worker --interval 1 >var/worker.log 2>&1 & \
	  $(BIN)/uppsok scheduler >var/scheduler.log 2>&1 & \
	  $(BIN)/uppsok runserver --noreload 127.0.0.1:8000

worker: bootstrap
	$(BIN)/uppsok db_worker

test-bootstrap: $(VENV)/.test-installed
	bash scripts/ensure-browser-tools.sh

test: test-bootstrap
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=uppsok.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

check: bootstrap
	$(BIN)/uppsok makemigrations --check --dry-run

messages: $(VENV)/.test-installed
	cd uppsok && ../$(BIN)/uppsok makemessages -l en --no-obsolete -i "analysis/*"
	$(BIN)/python scripts/translate_en.py
	cd uppsok && ../$(BIN)/uppsok compilemessages -l en

clean:
	rm -rf $(VENV) var node_modules
