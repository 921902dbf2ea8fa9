# Harness CMS — the documented commands. `make run` and `make test` are all a new machine needs.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Development defaults; the environment overrides them.
export DJANGO_DEBUG ?= 1
export SITE_URL ?= http://127.0.0.1:$(PORT)

# The first Python >= 3.12 found: $(PYTHON) if given, then python3.13/3.12/python3 on the PATH,
# then pyenv's and uv's installs.
FIND_PYTHON = for c in $(PYTHON) python3.14 python3.13 python3.12 python3 \
	  $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 $$HOME/.local/share/uv/python/*3.1[2-9]*/bin/python3 \
	  /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do \
	  if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    echo "$$c"; break; fi; done

# Every package the site, its tests and tools run on, pinned with its hashes (make lock writes
# them from pyproject.toml's ranges; make install installs exactly these). The load test's
# lock adds locust to the same set.
LOCK := requirements.lock
LOAD_LOCK := requirements-load.lock
# uv resolves once for every platform and Python >= 3.12 (--universal), with every file's hash.
UV_LOCK_ARGS := --generate-hashes --universal --python-version 3.12 --no-header --no-annotate --quiet

# Prints [project] dependencies plus the optional groups named as arguments.
define REQUIREMENTS
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
extras = project.get("optional-dependencies", {})
print("\n".join(project["dependencies"] + [d for name in sys.argv[1:] for d in extras[name]]))
endef
export REQUIREMENTS

.PHONY: help
help: ## List the commands.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: $(LOCK)
	@python=$$($(FIND_PYTHON)); \
	if [ -z "$$python" ]; then \
	  echo "Harness CMS needs Python 3.12 or newer and none was found."; \
	  echo "Install one (e.g. 'apt install python3.12', 'pyenv install 3.12', 'uv python install 3.12')"; \
	  echo "or point to it: make run PYTHON=/path/to/python3.12"; exit 1; fi; \
	echo "Using $$python ($$($$python --version))"; \
	rm -rf $(VENV) && "$$python" -m venv $(VENV)
	@# An application, not a library: the locked set, each file checked against its hash.
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	@touch $@

.PHONY: install
install: $(VENV)/.installed ## Create the virtual environment and install everything, from the lock.

.PHONY: lock
lock: install ## Update requirements.lock (and the load test's) from pyproject.toml's ranges.
	$(PY) -c "$$REQUIREMENTS" dev | $(VENV)/bin/uv pip compile $(UV_LOCK_ARGS) -o $(LOCK) -
	$(PY) -c "$$REQUIREMENTS" dev load | $(VENV)/bin/uv pip compile $(UV_LOCK_ARGS) -o $(LOAD_LOCK) -
	@echo "Updated $(LOCK) and $(LOAD_LOCK): commit them; make install now installs from them."

.PHONY: setup
setup: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	@if [ "$$DJANGO_DEBUG" = "1" ]; then echo "Demo accounts for /admin/:"; $(PY) manage.py create_demo_accounts; fi

# The worker for background tasks (decision 0110) that matches DJANGO_TASKS_BACKEND's choice:
# the database's by default, RQ's when Redis is used, none when tasks run inline.
TASK_WORKER = case "$${DJANGO_TASKS_BACKEND:-$${REDIS_URL:+rq}}" in \
	  rq) echo "$(PY) manage.py rqworker --job-class django_tasks_rq.Job default";; \
	  immediate) ;; \
	  *) echo "$(PY) manage.py db_worker";; esac

.PHONY: run
run: setup ## Build everything, load the demo content and serve http://127.0.0.1:$(PORT)/.
	@echo "Serving $(SITE_URL)/  (admin: $(SITE_URL)/admin/)"
	@worker="$$($(TASK_WORKER))"; \
	if [ -n "$$worker" ]; then \
	  echo "Background tasks: $$worker (stopped with the server)"; \
	  $$worker & trap "kill $$! 2>/dev/null" EXIT INT TERM; \
	fi; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

.PHONY: worker
worker: install ## Run the background-task worker alone (what make run starts beside the server).
	@worker="$$($(TASK_WORKER))"; \
	if [ -z "$$worker" ]; then echo "DJANGO_TASKS_BACKEND=immediate: tasks run inline, no worker."; \
	else exec $$worker; fi

# A key for trying production mode on this machine only; git ignores the file.
LOCAL_SECRET_KEY := .local-secret-key

.PHONY: serve
serve: export DJANGO_DEBUG = 0
serve: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
# Trying production mode locally means plain HTTP: no HTTPS redirect, no HSTS, cookies without TLS.
serve: export DJANGO_SECURE_SSL_REDIRECT ?= 0
serve: export DJANGO_SECURE_COOKIES ?= 0
serve: export DJANGO_SECURE_HSTS_SECONDS ?= 0
serve: install ## Production mode on http://127.0.0.1:$(PORT)/: DEBUG off, collectstatic, gunicorn.
	@set -e; \
	if [ -z "$$DJANGO_SECRET_KEY" ]; then \
	  if [ ! -s $(LOCAL_SECRET_KEY) ]; then \
	    (umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(64))' > $(LOCAL_SECRET_KEY)); \
	  fi; \
	  echo "DJANGO_SECRET_KEY is not set: using the key generated for this checkout in $(LOCAL_SECRET_KEY)"; \
	  echo "(local trials only, ignored by git). A real deployment sets DJANGO_SECRET_KEY itself."; \
	  export DJANGO_SECRET_KEY="$$(cat $(LOCAL_SECRET_KEY))"; \
	fi; \
	$(PY) manage.py migrate --no-input; \
	$(PY) manage.py load_demo; \
	$(PY) manage.py collectstatic --no-input --verbosity 0; \
	echo "Serving $(SITE_URL)/ with gunicorn, production settings (hosts: $$DJANGO_ALLOWED_HOSTS)"; \
	exec $(VENV)/bin/gunicorn --config harness_cms/gunicorn_conf.py \
	  --bind 127.0.0.1:$(PORT) --access-logfile -

.PHONY: bench
bench: install ## Throughput benchmark: gunicorn + wrk on demo and scale data (BENCH_ARGS=--help).
	$(PY) bench/run.py $(BENCH_ARGS)

.PHONY: export
export: install ## The public site as static files for any host or CDN: make export DIR=site [FORCE=1]
	@if [ -z "$(DIR)" ]; then echo "Usage: make export DIR=path/to/site  (FORCE=1 replaces a non-empty DIR; SITE_URL sets the public origin)"; exit 2; fi
	$(PY) manage.py export_site "$(DIR)" $(if $(FORCE),--force) $(EXPORT_ARGS)

.PHONY: test
test: install ## Run the whole test suite (browser tests too when Chromium is installed).
	$(PY) -m pytest $(PYTEST_ARGS)

.PHONY: lint
lint: install ## ruff, the import layers (docs/architecture.md), Django's checks, migrations.
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

.PHONY: format
format: install ## Format the code with ruff.
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

.PHONY: demo-passwords
demo-passwords: install ## Give the demo accounts new passwords (development only).
	$(PY) manage.py create_demo_accounts --reset

.PHONY: clean
clean: ## Remove the virtual environment, the SQLite database, its uploaded images, collected static files and .run/
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media staticfiles .run

.PHONY: backup
backup: install ## Back up the database into backups/: a native copy and a portable JSON export.
	$(PY) manage.py backup_site --dir backups

.PHONY: restore
restore: install ## Replace the database's content with a backup: make restore FILE=backups/...
	@if [ -z "$(FILE)" ]; then echo "Usage: make restore FILE=backups/harness-<stamp>.json (or .sqlite3 / .pgdump)"; exit 2; fi
	$(PY) manage.py restore_site "$(FILE)"

.PHONY: load-test
load-test: install ## Load test (a few minutes): gunicorn in production mode on PostgreSQL, locust.
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOAD_LOCK)
	$(PY) bench/load/run.py
