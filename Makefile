# ClusterBroker: `make run` serves the app with the sample data, `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The real EU call topics, loaded into the open calls when the data set is beside the project.
EU_CALLS ?= ../shared/data/eu-calls/calls.jsonl.gz
# The JRC catalogue of Digital Innovation Hubs, loaded as support providers when it is there.
DIH_CATALOGUE ?= ../shared/data/dih-catalogue/dihs.jsonl.gz
# The Horizon 2020 participations (who worked with whom) and the names of their organisations.
CORDIS_PARTICIPATIONS ?= ../shared/data/cordis-h2020-participations
CORDIS_ORGANISATIONS ?= ../shared/data/cordis-h2020-organisations/organisations.csv.gz
# The CORDIS subject codes with their titles in six languages, a real multilingual taxonomy.
CORDIS_SUBJECTS ?= ../shared/data/cordis-subjects/subjects.csv

.PHONY: run test install install-test lint test-sqlite test-postgres test-browser-deps clean messages compile-messages

# The translation catalogues: `make messages` extracts the strings into them (for the
# translators), the .mo files Django reads are compiled from them at install.
LANGUAGE_CODES := fr de it es ca pt ro nl fi et
CATALOGUES := $(wildcard src/clusterbroker/locale/*/LC_MESSAGES/django.po)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed compile-messages

install-test: $(VENV)/.installed-test compile-messages

compile-messages: $(CATALOGUES:.po=.mo)

%.mo: %.po | $(VENV)/.installed
	$(BIN)/python scripts/compile_messages.py $<

messages: install
	cd src/clusterbroker && ../../$(BIN)/python -m django makemessages \
		--settings=clusterbroker.settings $(addprefix -l ,$(LANGUAGE_CODES)) \
		--ignore "static/*" --ignore "migrations/*" --add-location file --no-obsolete

run: install
	$(BIN)/clusterbroker migrate --no-input
	$(BIN)/clusterbroker load_sample_data --demo-users
	@if [ -f "$(EU_CALLS)" ]; then $(BIN)/clusterbroker import eu-calls "$(EU_CALLS)"; fi
	@if [ -f "$(DIH_CATALOGUE)" ]; then $(BIN)/clusterbroker import dih-catalogue "$(DIH_CATALOGUE)"; fi
	@if [ -f ../shared/data/nuts2021/nutspt_3.json ]; then $(BIN)/clusterbroker import nuts ../shared/data/nuts2021/; fi
	@if [ -f $(CORDIS_PARTICIPATIONS)/participations.csv.gz ]; then $(BIN)/clusterbroker import cordis-participations $(CORDIS_PARTICIPATIONS)/participations.csv.gz $(CORDIS_PARTICIPATIONS)/programme_parts.csv.gz; fi
	@if [ -f $(CORDIS_ORGANISATIONS) ]; then $(BIN)/clusterbroker import cordis-organisations $(CORDIS_ORGANISATIONS); fi
	@if [ -f $(CORDIS_SUBJECTS) ]; then $(BIN)/clusterbroker import cordis-subjects $(CORDIS_SUBJECTS); fi
	$(BIN)/clusterbroker regions-from-cities
	$(BIN)/clusterbroker search-index build --margin 0
	$(BIN)/clusterbroker brokering-index build
	@echo ""
	@echo "ClusterBroker is starting on http://$(HOST):$(PORT)/"
	@echo "Log in at http://$(HOST):$(PORT)/accounts/login/ with one of the demo logins above"
	@echo "(admin / demo-password is the platform admin). Stop with Ctrl-C."
	@echo "Background tasks (e-mails, scheduling runs) go to a database queue served by a worker"
	@echo "started beside the web app; e-mails are printed here, on the console, not sent."
	CLUSTERBROKER_TASK_BACKEND=django_tasks_db.DatabaseBackend sh -c '\
		$(BIN)/clusterbroker db_worker --no-reload & worker=$$!; \
		trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(BIN)/clusterbroker runserver $(HOST):$(PORT)'

lint: install-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

test-browser-deps:
	scripts/ensure-chromium.sh

test-sqlite: install-test test-browser-deps
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: install-test
	scripts/with-postgres.sh $(BIN)/pytest -m "not browser"

test: lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) var .pytest_cache
