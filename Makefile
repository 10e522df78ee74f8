# Rekindle: `make run` serves the app with a demo account; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
THREADS ?= 32
export FLASK_APP := app

PYBABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2

.PHONY: translations extract-words run test lint format bench lighthouse screenshots plotly-bundle install install-dev chromium nginx migrate demo clean

$(VENV)/.runtime: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

migrate: $(VENV)/.runtime
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask demo

# gunicorn.conf.py keeps partner invite tokens out of the access and error logs.
# Memory rate-limit counters are per process: one worker with threads keeps limits exact.
# With a shared store (RATELIMIT_STORAGE_URI=redis://...) it serves WORKERS processes.
# Each process has THREADS threads, and a client that sends or reads slowly holds one until
# it is done: THREADS - 1 such clients at once still leave one thread for everyone else
# (README, "Two commands"; tests/db/test_slow_clients.py). Past that, serve behind nginx.
run: demo translations
	@echo "Rekindle on http://$(HOST):$(PORT)  (stop with Ctrl+C)"
	@if [ -n "$$RATELIMIT_STORAGE_URI" ] && [ "$${RATELIMIT_STORAGE_URI%%:*}" != "memory" ]; then \
	  exec $(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers $(WORKERS) --threads $(THREADS) --access-logfile - 'app:create_app()'; \
	else \
	  exec $(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers 1 --threads $(THREADS) --access-logfile - 'app:create_app()'; \
	fi

# The interface's words: each translations/<lang>/LC_MESSAGES/messages.po compiled to the .mo
# Flask-Babel reads (compiled files are not committed; README, "Adding a language").
translations: $(VENV)/.runtime
	$(BIN)/pybabel -q compile -d translations

# After changing the interface's words: collect them again and add the new ones to each
# language's catalog, never guessing a translation from a similar one (no fuzzy matching).
extract-words: $(VENV)/.runtime
	$(BIN)/pybabel -q extract -F babel.cfg -c NOTE: $(PYBABEL_KEYWORDS) --no-location \
	  --project Rekindle --copyright-holder "Rekindle's authors" -o translations/messages.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching
	for language in $$(ls questionnaires/i18n); do $(BIN)/python -m questionnaires $$language; done

chromium:
	@scripts/ensure-chromium

# The deployment test (tests/deploy) runs the shipped nginx site: Debian's nginx package.
nginx:
	@scripts/ensure-nginx

# Without PYTEST_ARGS: every test, on both cores (pytest-xdist). Each file that starts
# servers, browsers or nginx stays whole on one worker and starts first; the short unit and
# web tests fill both cores to the end (tests/conftest.py: pytest_collection_modifyitems).
PARALLEL := -n 2 --dist loadgroup
test: $(VENV)/.dev chromium nginx translations
ifeq ($(strip $(PYTEST_ARGS)),)
	$(BIN)/python -m pytest $(PARALLEL) tests
else
	$(BIN)/python -m pytest $(PYTEST_ARGS)
endif

# Figures, not tests: prints one table and writes bench/RESULTS.md (about 12 minutes).
# The page section runs Lighthouse, so bench (and only bench) needs Node and npm.
bench: $(VENV)/.dev lighthouse chromium nginx
	$(BIN)/python -m bench $(BENCH_ARGS)

lighthouse:
	cd tools/lighthouse && npm ci --no-audit --no-fund

# Rebuilds static/vendor/plotly-rekindle.min.js (plotly.js core: scatter) from the pinned recipe.
# Needs Node and npm; the built file is committed, so `make run` and `make test` do not.
plotly-bundle:
	cd tools/plotly-bundle && npm ci --no-audit --no-fund && npm run build
	cp tools/plotly-bundle/node_modules/plotly.js/LICENSE static/vendor/plotly.js-LICENSE.txt

# Pictures of the questionnaire, a result and History (desktop and phone) for the README.
screenshots: $(VENV)/.dev chromium
	$(BIN)/python scripts/screenshots.py

# mypy reads its files and rules (strict on every package) from pyproject.toml.
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
