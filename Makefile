# HLS Forum: two commands. `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: run test install lint check-deploy clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The checkers from npm (package.json): the Nu HTML checker, which the tests run on Java,
# and Lighthouse for bench/lighthouse.py. No install scripts: vnu-jar's only fetches a Java.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --ignore-scripts && touch $(NODE_STAMP); \
	else \
		echo "npm not found: the HTML check is skipped (install Node.js and npm to run it)"; \
	fi

install: $(STAMP) $(NODE_STAMP)

# Web app + Celery worker + Celery beat on embedded defaults (SQLite, filesystem broker,
# emails written to var/mail/), with the demo data loaded. Links in emails, CSV files and
# calendars use http://127.0.0.1:$(PORT) unless SITE_URL is set. `exec`: a SIGTERM to make
# reaches run_all itself (not only a shell), which stops the worker and beat too.
run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo
	DEBUG=$${DEBUG:-1} PORT=$(PORT) exec $(BIN)/python manage.py run_all

# The whole suite: lint, format, types, the one-way dependencies, then every test.
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	HLS_TESTING=1 $(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-key-0123456789abcdef ALLOWED_HOSTS=example.org SITE_URL=https://example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var db.sqlite3 staticfiles node_modules
