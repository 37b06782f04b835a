# Two entry points: `make run` (the main job on the bundled defaults) and `make test`.
# Both create the virtualenv on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# CPU torch first, pinned; sentence-transformers would otherwise pull a CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[st,dev,scale]'
	touch $(STAMP)

# Debian's Chromium for the browser tests (tests/test_pages.py); root on CI, sudo elsewhere.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver)

.PHONY: install run test bench browser clean
install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/matcher demo

test: $(STAMP) browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -q

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/scale.py
	$(PY) benchmarks/batch.py
	$(PY) benchmarks/threads.py
	$(PY) benchmarks/api_load.py
	$(PY) benchmarks/fair_plan.py

clean:
	rm -rf $(VENV) var
