# Two commands for users (see README):
#   make book   - set up, fetch and verify the data, run the study (profile PROFILE, default
#                 full) with papermill, build the book into _build/$(PROFILE)/_build/html
#   make test   - set up and run the test suite
# Both create (or reuse) the virtual environment .venv and install requirements.txt into it.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PROFILE ?= full
STAMP := $(VENV)/.installed

.PHONY: book test setup data clean browser check-book open linkcheck benchmark
.DEFAULT_GOAL := book

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

setup: $(STAMP)

data: $(STAMP)
	$(PY) -m kdd_utils fetch

book: data
	OMP_NUM_THREADS=$${OMP_NUM_THREADS:-2} TF_CPP_MIN_LOG_LEVEL=3 $(PY) -m kdd_utils study $(PROFILE)

# Debian's Chromium for the browser check of the book (root or sudo; nothing is downloaded
# by the test itself).
browser:
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" || { $$(command -v sudo) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$(command -v sudo) apt-get install -y -qq chromium chromium-driver; }

# Open every page of the built book in headless Chromium; screenshots go to runs/$(PROFILE)/screenshots.
check-book: $(STAMP) browser
	$(PY) -m kdd_utils check-book $(PROFILE)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf _build

# Time preprocessing, training and inference of the LSTM and the baselines on this machine
# (runs/benchmark/); the next `make book` shows the results on the book's Efficiency page.
benchmark: $(STAMP)
	$(PY) -m kdd_utils benchmark

# Check the external links of the book (Sphinx linkcheck, execution off; needs the network,
# so it is not part of CI). Uses the results of an earlier `make book`.
linkcheck: $(STAMP)
	$(PY) -m kdd_utils study $(PROFILE) --book-only --linkcheck

# Open the built book in the default browser (or print its path).
open: 
	@$(PY) -m webbrowser -t "file://$(CURDIR)/_build/$(PROFILE)/_build/html/index.html" || true
