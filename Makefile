# caravane — `make run` serves the site on the embedded default, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
CATALOGS := $(wildcard caravane/translations/*/LC_MESSAGES/messages.po)

.PHONY: run dev test test-fast test-browser system-packages lint bench translations extract clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

# Catalogs are compiled here, never committed as binaries.
translations: $(VENV)/.run
	$(BIN)/pybabel compile --use-fuzzy -d caravane/translations -D messages --statistics 2>&1 | grep -v '^$$' || true

extract: $(VENV)/.run
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -o caravane/translations/messages.pot --no-location --omit-header .
	$(BIN)/pybabel update -i caravane/translations/messages.pot -d caravane/translations --no-fuzzy-matching

run: $(VENV)/.run translations
	$(BIN)/flask --app caravane db upgrade
	$(BIN)/flask --app caravane tour load
	$(BIN)/caravane serve --host $(HOST) --port $(PORT)

dev: $(VENV)/.run translations
	$(BIN)/flask --app caravane db upgrade
	$(BIN)/flask --app caravane tour load
	$(BIN)/flask --app caravane run --debug --host $(HOST) --port $(PORT)

lint: $(VENV)/.test
	$(BIN)/ruff check .

# The whole suite: on SQLite, then again on a throwaway PostgreSQL cluster (browser tests run
# their own SQLite server whatever the database: once is enough). pytest exits 5 when it
# collected nothing: that must fail loudly, never pass.
PYTEST := $(BIN)/python -m pytest
define run_pytest
	$(1); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no test: failing"; exit 1; fi; exit $$status
endef

test: system-packages $(VENV)/.test translations lint
	$(call run_pytest,$(PYTEST) $(PYTEST_ARGS))
	$(call run_pytest,scripts/with-postgres.sh $(PYTEST) -m "not browser" $(PYTEST_ARGS))

# The inner loop: no browser, no server processes, no services, no long runs (about a minute).
test-fast: $(VENV)/.test translations
	$(call run_pytest,$(PYTEST) -m "not browser and not live and not slow" $(PYTEST_ARGS))

test-browser: system-packages $(VENV)/.test translations
	$(call run_pytest,$(PYTEST) -m browser $(PYTEST_ARGS))

# Installs Chromium, Redis, nginx and PostgreSQL when missing (as root), or says how.
system-packages:
	scripts/system-packages.sh

# Each benchmark starts its own servers on 127.0.0.1 and prints a table and a JSON line; npm
# installs the Node.js reference once. `make bench BENCH_ARGS=--quick` for the default sizes only.
bench: $(VENV)/.test translations
	$(BIN)/python bench/assistant.py
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find caravane/translations -name '*.mo' -delete
