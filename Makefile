# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve bench-load bench-search-full bench-import-postgres run test test-fast install messages makemessages migrate demo lint format bench check clean

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet '.[dev]'
	@touch $@

install: $(STAMP)

messages: $(STAMP)
	@$(BIN)/pybabel compile --use-fuzzy -d site/locale -D django >/dev/null

makemessages: $(STAMP)
	$(MANAGE) makemessages -l en --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*'

migrate: install messages
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo
	$(MANAGE) rebuild_index

run: demo
	$(MANAGE) runserver $(HOST):$(PORT)

# The production configuration, locally: gunicorn, hashed static files, no debug.
serve: demo
	export DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=$${SECRET_KEY:-local-serve-$$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} \
	SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 SERVE_MEDIA=true \
	GUNICORN_BIND=$(HOST):$(PORT); \
	$(MANAGE) collectstatic --noinput -v0 && exec $(BIN)/gunicorn config.wsgi -c gunicorn.conf.py

test: install messages
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install messages
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9') \
	ALLOWED_HOSTS=example.org $(MANAGE) check --deploy --fail-level WARNING

bench: install messages
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/photos.py
	$(BIN)/python bench/lookup.py  # 2,000 photos: about a minute
	$(BIN)/python bench/search.py  # 100,000 articles: about 25 minutes
	$(BIN)/python bench/relevance.py  # about 15 seconds
	$(BIN)/python bench/import.py  # 100,000 articles: about 15 minutes

# The import benchmark on PostgreSQL (a throw-away database).
bench-import-postgres: install messages
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import \
	$(BIN)/python bench/import.py --create-db

# The search benchmark at full size, on both backends (long: see bench/README.md).
bench-search-full: install messages
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search \
	$(BIN)/python bench/search.py --articles 100000 --backend all --create-db

# gunicorn + wrk on loopback (needs `apt-get install wrk`; Redis for the cached runs).
bench-load: install messages
	$(BIN)/python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
