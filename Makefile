# Service Strategy Workbook: the two commands a user needs are `make dashboard` and `make test`.
# Both set everything up on a fresh machine: a virtualenv in .venv/ with the package installed
# editable, and (for tests) Debian's chromium for the browser tests and nginx for the proxy test.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8866

.PHONY: help install dashboard lab lint test test-fast browser benchmark benchmark-batch benchmark-serving notebooks report nightly clean

help:
	@echo "make dashboard   set up and serve the dashboards on sample data (PORT=$(PORT))"
	@echo "make test        set up, lint (ruff) and run every test (unit, notebooks, browser)"
	@echo "make lint        check the code and notebooks with ruff (configured in pyproject.toml)"
	@echo "make lab         open the notebooks in JupyterLab"
	@echo "make report      run the service-ROI notebook as a report into reports/manual"
	@echo "make nightly     run the default scenario portfolio into reports/DATE (reports/latest links it)"
	@echo "make benchmark   run the speed benchmarks side by side (see benchmarks/)"
	@echo "make notebooks   re-execute the notebooks and keep only their checked outputs"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

dashboard: install
	$(BIN)/workbook dashboard --port $(PORT)

lab: install
	$(BIN)/jupyter lab --notebook-dir=notebooks

browser:
	@scripts/ensure-chromium
	@scripts/ensure-nginx

lint: install
	$(BIN)/ruff check .

test: install browser lint
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not browser"

report: install
	$(BIN)/workbook run notebooks/01-service-roi.ipynb --out reports/manual

nightly: install
	scripts/nightly-report

benchmark: install browser
	$(BIN)/python benchmarks/bench_dashboard.py
	$(BIN)/python benchmarks/bench_responsiveness.py
	$(BIN)/python benchmarks/bench_uncertainty.py
	$(BIN)/python benchmarks/bench_staffing.py
	$(BIN)/python benchmarks/bench_summary.py  # --customers 1000000 for the full-size run
	$(BIN)/python benchmarks/bench_clv.py      # --customers 1000000 for the full-size run
	$(BIN)/python benchmarks/bench_recovery.py
	$(BIN)/python benchmarks/bench_loyalty_dashboard.py
	$(BIN)/python benchmarks/bench_redesign.py
	$(BIN)/python benchmarks/bench_kernels.py
	@echo "bench_batch.py (24 notebook runs, several minutes) runs on its own: make benchmark-batch"
	@echo "bench_serving.py (many browsers at once, about 30 minutes): make benchmark-serving"

benchmark-batch: install
	$(BIN)/python benchmarks/bench_batch.py

benchmark-serving: install browser
	$(BIN)/python benchmarks/bench_serving.py

notebooks: install
	$(BIN)/python scripts/refresh_notebooks.py notebooks/*.ipynb

clean:
	rm -rf $(VENV) reports test-artifacts
