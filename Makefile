.PHONY: setup run test lint bench docs
setup:
	bash scripts/setup.sh dev
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh
lint:
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	.venv/bin/mypy
bench:
	.venv/bin/python benchmarks/bench_import.py
	.venv/bin/python benchmarks/bench_scorecard.py
	.venv/bin/python benchmarks/bench_load.py
	.venv/bin/python benchmarks/bench_report.py
	.venv/bin/python benchmarks/bench_loop.py
docs:
	.venv/bin/python scripts/docs.py
