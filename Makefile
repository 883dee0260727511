# The two commands of the README's quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: venv demo test check format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

venv: $(STAMP)

# Crawls the bundled offline demo site twice (with edits between) into data/demo/.
demo: venv
	$(BIN)/newsarchive demo --log-format text

check: venv
	$(BIN)/ruff check parsers scraper storage tests benchmarks
	$(BIN)/ruff format --check parsers scraper storage tests benchmarks
	$(BIN)/mypy --strict parsers scraper storage

# The storage tests start a private PostgreSQL cluster and the web tests drive Debian's
# Chromium; the scripts install them where they can (root with apt-get), else those tests
# skip saying why.
test: check
	sh scripts/install-postgres.sh
	sh scripts/install-chromium.sh
	$(BIN)/pytest

format: venv
	$(BIN)/ruff check --fix parsers scraper storage tests benchmarks
	$(BIN)/ruff format parsers scraper storage tests benchmarks

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/extraction.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache *.egg-info
