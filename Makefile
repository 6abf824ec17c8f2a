# The commands people type. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/inventory
export DJANGO_DEBUG ?= 1

COMPANY ?= Demo Outfitters

.PHONY: run test key lint format bench fuzz clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 ($(PYTHON)) is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo
	@echo "Serving http://127.0.0.1:8000/admin/ (API docs: http://127.0.0.1:8000/docs/)"
	$(VENV)/bin/gunicorn inventory_site.wsgi

test: $(VENV)/.installed
	./scripts/test.sh

key: $(VENV)/.installed
	@$(PY) manage.py create_api_key --company "$(COMPANY)"

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(VENV)/.installed
	$(PY) -m bench $(ARGS)

# Schemathesis over the running service (`make run` in another shell; KEY from `make key`),
# longer than the suite's bounded run; settings in schemathesis.toml.
FUZZ_URL ?= http://127.0.0.1:8000
FUZZ_TIME ?= 900
fuzz: $(VENV)/.installed
	@test -n "$(KEY)" || { echo "KEY=<api key> is required (make key)"; exit 1; }
	$(VENV)/bin/schemathesis run $(FUZZ_URL)/openapi.json --max-time $(FUZZ_TIME) \
		-H "api_key: $(KEY)" -H "Authorization: Bearer $(KEY)" $(ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
