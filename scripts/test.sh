#!/usr/bin/env bash
# Set up everything the tests need (Python packages; Chromium, fonts, LibreOffice and
# poppler from Debian when missing) and run lint, the layer check (import-linter), the type
# checker (mypy) and the whole test suite: everything but the browser tests first, then the
# browser tests once with the CPUs kept busy by a bounded background load (one busy process
# per CPU, 15 minutes at most: testing/load.py), as on a busy CI runner or a shared server.
# KPI_TEST_LOAD=N sets the number of busy processes (0: an idle machine); arguments go to
# pytest as they are, without the load.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans" \
    || ! fc-list 2>/dev/null | grep -qi "Noto Color Emoji" \
    || ! command -v libreoffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-core fonts-noto-color-emoji \
    libreoffice-writer-nogui poppler-utils >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
.venv/bin/mypy
if [ "$#" -gt 0 ]; then
  exec .venv/bin/python -m pytest "$@"
fi
.venv/bin/python -m pytest -m "not browser"
workers="${KPI_TEST_LOAD:-$(nproc)}"
if [ "$workers" = 0 ]; then
  exec .venv/bin/python -m pytest -m browser
fi
exec .venv/bin/python -m testing.load --workers "$workers" --seconds 900 -- \
  .venv/bin/python -m pytest -m browser
