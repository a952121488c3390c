#!/usr/bin/env bash
# Set up and start the dashboard. With an empty database the app shows its demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m ui.gate run app.py --server.address "${KPI_ADDRESS:-127.0.0.1}" \
  --server.port "${KPI_PORT:-8501}" --server.headless true --browser.gatherUsageStats false "$@"
