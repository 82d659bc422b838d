# Safe Passage — the two commands are `make run` and `make test` (see README.md).
# Everything else here is what they are made of. Nothing needs installing by hand: Python
# packages come from uv.lock, front-end packages from package-lock.json, and the browser and
# fonts the tests need from Debian's packages.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
MANAGE := $(PY) manage.py

# Keep every cache inside the checkout, so nothing leaks into ~ and CI starts clean.
export UV_PYTHON_DOWNLOADS := never
export UV_CACHE_DIR := $(CURDIR)/.cache/uv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export npm_config_cache := $(CURDIR)/.cache/npm
export npm_config_update_notifier := false
export npm_config_fund := false
export npm_config_audit := false
export XDG_CACHE_HOME := $(CURDIR)/.cache
export XDG_CONFIG_HOME := $(CURDIR)/.config
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

ASSETS := build/static
VENDOR := $(ASSETS)/vendor
SASS := node_modules/.bin/sass
RTLCSS := node_modules/.bin/rtlcss
DEBIAN_PACKAGES := chromium fonts-hosny-amiri fonts-sil-abyssinica poppler-utils gettext

.PHONY: help run test install python-deps node-deps assets messages translations system-deps migrate seed \
        serve lint format typecheck pytest clean

help:
	@echo "make run   – install everything, migrate, load demo data and serve on http://127.0.0.1:8000"
	@echo "make test  – lint, format check, types and every test (browser tests included)"

## ---- the two commands ------------------------------------------------------------------

run: install migrate seed
	@bin/serve

test: install system-deps lint typecheck pytest

## ---- set-up --------------------------------------------------------------------------------

install: python-deps node-deps assets messages

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

python-deps: $(UV)
	$(UV) sync --frozen --quiet

node-deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# GOV.UK Frontend and MoJ Frontend, compiled with our settings (system fonts, relative asset
# paths), plus a right-to-left copy made by rtlcss for Arabic, Persian and Pashto pages.
assets: $(ASSETS)/css/app.css $(ASSETS)/css/app.rtl.css $(VENDOR)/.copied

$(ASSETS)/css/app.css: frontend/*.scss node_modules/.package-lock.json
	@mkdir -p $(ASSETS)/css
	$(SASS) --pkg-importer=node --load-path=. --no-source-map --style=compressed --quiet \
		frontend/app.scss $@

$(ASSETS)/css/app.rtl.css: $(ASSETS)/css/app.css
	$(RTLCSS) --silent $< $@

$(VENDOR)/.copied: node_modules/.package-lock.json
	@rm -rf $(VENDOR) && mkdir -p $(VENDOR)/govuk $(VENDOR)/moj $(VENDOR)/assets
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js* $(VENDOR)/govuk/
	cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js* $(VENDOR)/moj/
	cp -r node_modules/govuk-frontend/dist/govuk/assets/. $(VENDOR)/assets/
	cp -r node_modules/@ministryofjustice/frontend/moj/assets/. $(VENDOR)/assets/
	@touch $@

# Refresh the .po catalogues from the source; then translate what is new (README: Translating).
translations: python-deps
	$(MANAGE) makemessages $(foreach lang,$(shell $(PY) -c "from django.utils.translation import to_locale; from safepassage.settings import LANGUAGES; print(' '.join(to_locale(c) for c, _ in LANGUAGES if c != 'en'))" 2>/dev/null),-l $(lang)) \
		--add-location file --no-obsolete --ignore=.venv --ignore=node_modules --ignore=build \
		--ignore=staticfiles --ignore=tests --ignore=benchmarks --ignore=scripts

messages: python-deps
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

# Debian's chromium for the browser tests, fonts for every script in PDFs, pdftoppm, msgfmt.
system-deps:
	@missing=""; \
	for pkg in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

migrate: python-deps
	$(MANAGE) migrate --no-input -v 0

seed: python-deps
	$(MANAGE) seed_demo

## ---- checks ----------------------------------------------------------------------------

lint: python-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: python-deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: python-deps
	$(VENV)/bin/mypy safepassage tests benchmarks scripts

pytest: python-deps assets messages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

clean:
	rm -rf build staticfiles .pytest_cache .mypy_cache .ruff_cache
