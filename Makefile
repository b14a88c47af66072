# The developers' front door. Every target works on a fresh machine with Python 3.11+.
PY := .venv/bin/python

.PHONY: setup site serve validate check links test golden lint format typecheck bench clean

setup:            ## create .venv with the pinned dependencies
	python3 -c "import build_site; build_site.ensure_environment(dev=True)"

site:             ## validate the data and build site/
	python3 build_site.py

serve:            ## live preview on http://127.0.0.1:8000/
	python3 build_site.py serve

validate:         ## check the data, report every problem
	python3 build_site.py validate

check:            ## internal checks: references, strict build, every link and anchor
	python3 build_site.py check

links:            ## external source URLs (needs the internet)
	python3 build_site.py links

test:             ## the whole test suite
	python3 run_tests.py

golden:           ## regenerate the golden Markdown of the generated pages
	UPRKB_UPDATE_GOLDEN=1 python3 run_tests.py tests/test_site.py -k golden

lint: setup       ## ruff lint and format check
	.venv/bin/ruff check src tests benchmarks tools build_site.py run_tests.py
	.venv/bin/ruff format --check src tests benchmarks tools build_site.py run_tests.py

format: setup
	.venv/bin/ruff format src tests benchmarks tools build_site.py run_tests.py

typecheck: setup
	.venv/bin/mypy

bench: setup      ## scale benchmarks (prints a table)
	$(PY) benchmarks/run.py

clean:
	rm -rf site site-internal docs/kb .cache test-artifacts
