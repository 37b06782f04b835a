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

# axe-core (the accessibility checker of tests/a11y.py), pinned, from the npm registry by `npm pack`;
# only its single axe.min.js is kept, in tests/vendor/ (not committed).
AXE_VERSION := 4.14.1
AXE := tests/vendor/axe.min.js
$(AXE):
	@command -v npm >/dev/null || ($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm)
	@mkdir -p tests/vendor && tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && \
		tar -xzf axe-core-$(AXE_VERSION).tgz package/axe.min.js && cp package/axe.min.js $(CURDIR)/$(AXE) && rm -rf $$tmp
axe: $(AXE)

# Debian's PostgreSQL 15 for the second test pass (the whole suite on PostgreSQL): installed when missing,
# started, with a role and an empty database for the tests (each test gets its own schema in it).
PGRUN := $(if $(SUDO),sudo -u postgres,runuser -u postgres --)
TEST_PG ?= postgresql://matcher:matcher@127.0.0.1:5432/matcher_test
postgres:
	@command -v pg_ctlcluster >/dev/null || ($(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql)
	@$(SUDO) service postgresql start >/dev/null
	@for i in $$(seq 30); do $(PGRUN) psql -qtAc 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
	@$(PGRUN) psql -qtAc "SELECT 1 FROM pg_roles WHERE rolname = 'matcher'" | grep -q 1 || \
		$(PGRUN) psql -qc "CREATE ROLE matcher LOGIN CREATEDB PASSWORD 'matcher'"
	@$(PGRUN) psql -qtAc "SELECT 1 FROM pg_database WHERE datname = 'matcher_test'" | grep -q 1 || \
		$(PGRUN) createdb -O matcher matcher_test

.PHONY: install run test bench browser postgres axe fuzz soak clean
install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/matcher demo

test: $(STAMP) browser postgres $(AXE)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -q
	MATCHER_TEST_PG=$(TEST_PG) $(VENV)/bin/pytest -q

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/scale.py
	$(PY) benchmarks/batch.py
	$(PY) benchmarks/threads.py
	$(PY) benchmarks/api_load.py
	$(PY) benchmarks/fair_plan.py

# The longer runs behind notes/server.md: schemathesis (100 examples), the 10-minute soak, faults, slow clients.
fuzz: $(STAMP)
	$(PY) benchmarks/fuzz_api.py --max-examples 100
soak: $(STAMP) postgres
	$(PY) benchmarks/soak.py --minutes 10
	$(PY) benchmarks/fault.py
	$(PY) benchmarks/slow_clients.py

clean:
	rm -rf $(VENV) var
