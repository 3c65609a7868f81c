# Clientela: `make run` and `make test` work from a fresh clone (SPEC §12).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
export CLIENTELA_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test lint format messages bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	mkdir -p "$(CLIENTELA_VAR_DIR)"
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py demo_setup
	@echo "Clientela: http://127.0.0.1:$(PORT)/"
	@# The task worker (imports, reminders) runs beside the web server and stops with it.
	DEBUG=1 $(BIN)/python manage.py db_worker --queue-name '*' --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The whole suite, browser tests included; DATABASE_URL selects PostgreSQL.
test: $(STAMP)
	CLIENTELA_TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run
	CLIENTELA_TESTING=1 $(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	CLIENTELA_TESTING=1 $(BIN)/mypy .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# One Spanish catalog for the whole product (clientela/locale): extract, then compile.
messages: $(STAMP)
	cd clientela && CLIENTELA_TESTING=1 ../$(BIN)/python ../manage.py makemessages -l es --no-obsolete --add-location file
	cd clientela && CLIENTELA_TESTING=1 ../$(BIN)/python ../manage.py compilemessages -l es

# schemathesis against a live server with demo data (issue 8); FUZZ_EXAMPLES, FUZZ_SECONDS.
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz/run_schemathesis.py

# HTTP benchmark (issue 12): BENCH_ACCOUNTS (1,000,000), BENCH_LOAD_SECONDS, BENCH_CLIENTS,
# BENCH_REPEAT, BENCH_VAR_DIR; DATABASE_URL selects PostgreSQL. Exits 1 on a broken
# query budget. See bench/run.py and docs/performance.md.
bench: $(STAMP)
	$(BIN)/python bench/run.py

# Import rate (100,000 rows) and export memory (1,000,000 accounts): issue 13.
.PHONY: bench-imports
bench-imports: $(STAMP)
	CLIENTELA_TESTING=1 $(BIN)/python bench/imports.py
	CLIENTELA_TESTING=1 $(BIN)/python bench/exports.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
