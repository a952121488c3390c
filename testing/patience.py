"""How long a test waits for a condition before it calls it a failure.

Sized for a busy CI machine (2 cores, a load of 5 was seen: a page that renders in 2 s idle
took over 30 s), never a fixed sleep: every wait ends as soon as its condition holds, so an
idle machine pays nothing for the margin. ``KPI_TEST_PATIENCE`` multiplies them all (e.g. 2
on a very slow machine)."""

from __future__ import annotations

import os

FACTOR = float(os.environ.get("KPI_TEST_PATIENCE", "1") or 1)


def seconds(base: float) -> float:
    return base * FACTOR


# a server's start: import of Streamlit, pandas and DuckDB, the first connection
SERVER_START_S = seconds(240)
# one page drawn, a click answered, a websocket script run finished
PAGE_S = seconds(180)
PAGE_MS = int(PAGE_S * 1000)
# a download or a report (LibreOffice) after its button
SLOW_MS = int(seconds(360) * 1000)
