# Everyday commands. `make install` first; everything runs from the project's .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test test-pg lint typecheck format migrations-check bench ci

install:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -e '.[test]'

run:
	$(BIN)/relaydesk serve --demo

test:
	$(BIN)/pytest -n auto

test-pg:
	RELAYDESK_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test $(BIN)/pytest -n auto

# ruff (rules and reasons in pyproject.toml), the rooms' one-way doors (import-linter, same
# file), and no function in relaydesk/ over 80 lines.
lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/python scripts/check_function_length.py

# mypy with django-stubs over relaydesk/ and scripts/ ([tool.mypy] in pyproject.toml).
typecheck:
	$(BIN)/mypy

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check:
	$(BIN)/python manage.py makemigrations --check --dry-run

# bench/ holds the benchmarks (each prints its figures); `python -m bench` runs them all.
bench:
	@if [ -f bench/__main__.py ]; then $(BIN)/python -m bench; \
	else echo "no benchmarks yet (bench/__main__.py is missing)"; fi

ci:
	bash .ci/run
