#!/usr/bin/env bash
# Set up everything the tests need (Python packages; Chromium, fonts, LibreOffice and
# poppler from Debian when missing) and run lint, the layer check (import-linter), the type
# checker (mypy) and the whole test suite, browser tests included.
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
.venv/bin/lint-imports
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
