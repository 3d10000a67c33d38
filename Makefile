# The README's commands. `make course` builds the course, `make test` runs every test.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
PROFILE ?= auto
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR)

.PHONY: setup system-packages course test unit golden book lesson benchmark clean

setup: system-packages $(VENV)/.installed

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

# Execute every lesson (full profile on a GPU, smoke otherwise; PROFILE=smoke|full overrides),
# then build the HTML book from the executed notebooks.
course: setup
	$(PY) scripts/course.py build --profile $(PROFILE)

# Everything: unit tests, notebook structure, golden notebooks re-executed by nbval
# with metric bounds, the book built from the golden copies and checked in Chromium.
test: setup
	$(PY) -m pytest --nbval-lax tests

unit: setup
	$(PY) -m pytest -m "not slow and not browser" tests --ignore=tests/golden

# Run one lesson: make lesson L=01_backprop [PROFILE=smoke]
lesson: setup
	$(PY) scripts/course.py execute --profile $(PROFILE) $(L)

golden: setup
	$(PY) scripts/course.py golden $(L)

book: setup
	$(PY) scripts/course.py book --from tests/golden

benchmark: setup
	$(PY) benchmarks/run_all.py

clean:
	rm -rf _build
