# MoveHub developer commands. `make run` and `make test` work on a fresh Debian machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
# DATABASE_URL / REDIS_URL from the environment win; otherwise the project-local services.
SERVICES_ENV = eval "$$(scripts/bootstrap env)"
PYTEST_ARGS ?=
WEB_PORT := $(or $(MOVEHUB_WEB_PORT),8000)

.PHONY: help bootstrap run test lint format stop bench migrate seed

help:
	@echo "make run    - install what is missing, start local PostgreSQL/Redis, migrate, seed, serve"
	@echo "make test   - the same bootstrap, lint, then the whole test suite"
	@echo "make lint   - ruff, ruff format --check, mypy, makemigrations --check, check --deploy"
	@echo "make bench  - run every benchmark in bench/"
	@echo "make stop   - stop the project-local PostgreSQL and Redis"

bootstrap:
	@scripts/bootstrap up

migrate: bootstrap
	@$(SERVICES_ENV) && DJANGO_SETTINGS_MODULE=movehub.settings.dev $(PY) manage.py migrate --noinput -v 0

seed: migrate
	@$(SERVICES_ENV) && DJANGO_SETTINGS_MODULE=movehub.settings.dev $(PY) manage.py seed_demo

run: seed
	@echo
	@echo "MoveHub is starting on http://127.0.0.1:$(WEB_PORT)"
	@echo "  API docs   http://127.0.0.1:$(WEB_PORT)/api/docs/"
	@echo "  Admin      http://127.0.0.1:$(WEB_PORT)/admin/"
	@echo "  Dashboard  http://127.0.0.1:$(WEB_PORT)/dashboard/"
	@echo "  Health     http://127.0.0.1:$(WEB_PORT)/health/  and  /ready/"
	@echo "  Live map   http://127.0.0.1:$(WEB_PORT)/dashboard/map/  (a demo driver moves a truck)"
	@echo "Ctrl-C stops web, worker, beat and the demo driver (MOVEHUB_DEMO_DRIVER=0: no demo driver)."
	@mkdir -p var && { cat Procfile; echo 'demo-driver: $(PY) scripts/demo_driver.py'; } > var/Procfile.run
	@$(SERVICES_ENV) && DJANGO_SETTINGS_MODULE=movehub.settings.dev exec $(VENV)/bin/honcho -f var/Procfile.run -d . start

lint: bootstrap
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@$(SERVICES_ENV) && $(VENV)/bin/mypy
	@$(SERVICES_ENV) && DJANGO_SETTINGS_MODULE=movehub.settings.test $(PY) manage.py makemigrations --check --dry-run
	@$(SERVICES_ENV) && DJANGO_SETTINGS_MODULE=movehub.settings.prod DJANGO_SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" \
		DJANGO_ALLOWED_HOSTS=movehub.example $(PY) manage.py check --deploy --fail-level WARNING

format: bootstrap
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	@$(SERVICES_ENV) && $(VENV)/bin/pytest -n auto --dist loadfile $(PYTEST_ARGS)

bench: bootstrap migrate
	@$(SERVICES_ENV) && for script in bench/[!_]*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

stop:
	@scripts/bootstrap stop
