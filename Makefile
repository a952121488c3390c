.PHONY: setup run test lint bench
setup:
	bash scripts/setup.sh dev
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh
lint:
	.venv/bin/ruff check .
bench:
	.venv/bin/python benchmarks/bench_import.py
	.venv/bin/python benchmarks/bench_indicators.py
