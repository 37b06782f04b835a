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
	$(PY) -m pip install --quiet -e '.[st,dev]'
	touch $(STAMP)

.PHONY: install run test bench clean
install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/matcher demo

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q

bench: $(STAMP)
	$(PY) benchmarks/match_latency.py

clean:
	rm -rf $(VENV) var
