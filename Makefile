# The README's commands. `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint format bench install clean browser serve

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Error: $(PYTHON) not found; install Python 3.11"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/vigil demo --workspace demo

serve: $(STAMP)
	$(BIN)/vigil serve -c demo/vigil.yaml

browser:
	@bash scripts/ensure_chromium.sh

test: $(STAMP) browser
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/aggregate.py --events 1000000
	$(BIN)/python benchmarks/nab.py
	$(BIN)/python benchmarks/jit.py
	$(BIN)/python benchmarks/gate_cold_start.py
	$(BIN)/python benchmarks/dashboard_load.py

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache
