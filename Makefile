# factframe: `make demo` and `make test` each set everything up from scratch, idempotently.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
OUT ?= out/demo
STAMP := $(VENV)/.installed

.PHONY: setup system-deps system-deps-tests demo test lint typecheck pytest bench gallery clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[fonts,dev,llm,speed,dist,ml,cv]'
	touch $(STAMP)

system-deps:
	bash scripts/system-deps.sh

system-deps-tests:
	bash scripts/system-deps.sh --tests

setup: system-deps $(STAMP)

demo: setup
	$(VENV)/bin/factframe demo -o $(OUT)

lint: $(STAMP)
	$(VENV)/bin/ruff check factframe tests benchmarks
	$(VENV)/bin/ruff format --check factframe tests benchmarks

typecheck: $(STAMP)
	$(VENV)/bin/mypy factframe

pytest: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider tests --doctest-modules factframe --nbmake notebooks

test: system-deps-tests $(STAMP) lint typecheck pytest

bench: setup
	$(PY) benchmarks/render_card.py

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .hypothesis

# The README's gallery: the offline demo specs at their first size, PNG level 9 (each < 300 KB).
gallery: setup
	$(PY) -c "import factframe.templates as t, factframe as f; [f.render(i.spec.with_canvas(s), offline=True).save(f'docs/gallery/{i.name}-{s}.png', compress_level=9) for i in t.gallery() if not i.online for s in i.sizes[:1]]"
