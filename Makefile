# The two commands: `make demo` and `make test`. Both start with `make install`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast e2e lint typecheck check lock clean

install: $(STAMP)

$(STAMP): requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: install
	PAINREHAB_DEBUG=1 PAINREHAB_DEMO=1 $(BIN)/painrehab demo

test: install
	DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/painrehab makemigrations --check --dry-run
	$(BIN)/python -m pytest painrehab/domain -p no:django -q -W ignore::pytest.PytestConfigWarning
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not e2e"

e2e: install tests/e2e/axe/node_modules/.package-lock.json
	$(BIN)/python -m pytest -m e2e tests/e2e

# axe-core for the accessibility scans, exactly as locked (npm registry, integrity-checked).
tests/e2e/axe/node_modules/.package-lock.json: tests/e2e/axe/package-lock.json
	npm ci --prefix tests/e2e/axe --no-audit --no-fund --loglevel=error

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy painrehab config

check: lint typecheck test

# Re-pin every dependency after editing pyproject.toml (needs `uv`, which is not a dependency).
lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/main.txt
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.txt

clean:
	rm -rf $(VENV) var/*.sqlite3 staticfiles
