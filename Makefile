# The README's commands. `make course` builds the course, `make test` runs every test.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
PROFILE ?= auto
# Any Python will do to check a lesson name, before the venv (and TensorFlow) is needed.
PYTHON_ANY := $(shell test -x $(PY) && echo $(PY) || echo python3)
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR)

.PHONY: setup system-packages course messages course-execute publish gpu-capped test unit golden book lesson benchmark clean colab-stack

MATHJAX_VERSION := 3.2.2
MATHJAX := $(VENV)/mathjax/node_modules/mathjax

setup: system-packages $(VENV)/.installed $(MATHJAX)/package.json

# MathJax for the book, served from the book itself so math renders without a network.
$(MATHJAX)/package.json:
	@command -v npm >/dev/null || { echo "npm is needed to install MathJax for the book: apt-get install nodejs npm"; exit 1; }
	npm install --prefix $(VENV)/mathjax --no-save --no-package-lock --no-audit --no-fund --loglevel=error mathjax@$(MATHJAX_VERSION)
	@test "$$(node -p 'require("$(abspath $@)").version')" = "$(MATHJAX_VERSION)"

# Debian's Fashion-MNIST copy and headless Chromium (for the browser test), when we are root.
system-packages:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  if ! dpkg -s dataset-fashion-mnist chromium chromium-driver fonts-nanum >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      dataset-fashion-mnist chromium chromium-driver fonts-nanum >/dev/null; \
	  fi; \
	else echo "not root: install dataset-fashion-mnist chromium chromium-driver fonts-nanum yourself, or set DLCOURSE_DATA"; fi

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	$(PIP) install -q --disable-pip-version-check --no-deps -e .
	touch $@

# Build the HTML book from the published full runs in published/ (executes nothing):
# the English edition, then the Korean one into its ko/ folder (locales/ko/ catalogs).
course: setup
	$(PY) scripts/course.py course

# After an English text changed: re-extract the messages into locales/ko/ (changed ones
# become fuzzy, new ones empty) and regenerate the Korean notebooks ko/lessons/.
messages: setup
	$(PY) scripts/course.py messages

# Execute lessons in the full profile, check their outputs and bounds, store them with
# provenance in published/: make publish [L=01_backprop]. RECHECK=1 checks the last runs
# again (after a bound was corrected); PROSE=1 copies prose-only edits into published/.
publish: setup
	$(PY) scripts/course.py publish $(if $(RECHECK),--recheck) $(if $(PROSE),--prose) $(L)

# Every lesson's gpu-profile code paths on this machine, training cut to 2 steps per fit
# by dlcourse (DLCOURSE_MAX_STEPS): proves the paper-scale settings run; numbers mean nothing.
gpu-capped: setup
	DLCOURSE_MAX_STEPS=2 $(PY) scripts/course.py execute --profile gpu --out _build/gpu-capped $(L)

# Execute lessons afresh (e.g. on a GPU: PROFILE=gpu), then build the book from that run.
course-execute: setup
	$(PY) scripts/course.py build --profile $(PROFILE) $(L)

# Everything: unit tests, notebook structure, golden notebooks re-executed by nbval
# with metric bounds, the book built from the golden copies and checked in Chromium.
test: setup
	$(PY) -m pytest --nbval-lax tests

unit: setup
	$(PY) -m pytest -m "not slow and not browser" tests --ignore=tests/golden

# Run one lesson: make lesson L=01_backprop [PROFILE=smoke]
lesson:
	@test -n "$(L)" || { echo "say which lesson: make lesson L=01_backprop (see lessons/)"; exit 2; }
	@$(PYTHON_ANY) scripts/course.py check-lessons $(L)
	@$(MAKE) --no-print-directory setup
	$(PY) scripts/course.py execute --profile $(PROFILE) $(L)

golden: setup
	$(PY) scripts/course.py golden $(if $(PROSE),--prose) $(L)

book: setup
	$(PY) scripts/course.py book --from tests/golden --out _build/golden-book

benchmark: setup
	$(PY) benchmarks/run_all.py

clean:
	rm -rf _build

# Colab's stack (TensorFlow 2.19, Keras 3.10, numpy 2.0) in its own venv, with dlcourse
# installed --no-deps as the lessons' setup cell does on Colab: the unit tests, then the
# smoke lessons. Catches code that works only with requirements.txt's newer pins.
COLAB_VENV  ?= .venv-colab
COLAB_PY    := $(COLAB_VENV)/bin/python
COLAB_STACK := tensorflow==2.19.0 keras==3.10.0 numpy==2.0.2 'matplotlib==3.10.*'
COLAB_TOOLS := pytest nbval papermill ipykernel nbformat nbclient pooch mlxtend

colab-stack: system-packages $(COLAB_VENV)/.installed
	$(COLAB_PY) -m pytest -m "not slow and not browser" tests --ignore=tests/golden
	$(COLAB_PY) scripts/course.py execute --profile smoke --out _build/colab-stack

# One resolver run for the stack and the tools, so no tool can move Colab's pins.
$(COLAB_VENV)/.installed: pyproject.toml Makefile
	test -x $(COLAB_PY) || python3 -m venv $(COLAB_VENV)
	echo '*' > $(COLAB_VENV)/.gitignore  # as Python 3.13's venv does: git never sees it
	$(COLAB_PY) -m pip install -q --disable-pip-version-check $(COLAB_STACK) $(COLAB_TOOLS)
	$(COLAB_PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@
