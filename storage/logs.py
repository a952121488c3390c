"""The program's log file: data/logs/kpi_xa.log (KPI_LOG_DIR), owner-only, rotated.

Every part of kpi-xa logs under the «kpi_xa» logger; this attaches the one file handler to
it, once per process (the dashboard when it starts, the command line for each command).
Nothing is printed to a terminal: a worker's Rust panic, a bug's traceback or a refused
request are read here, by reference, never by the person at the keyboard. No personal
data: exception types, messages and stacks, file names shown escaped.
"""

from __future__ import annotations

import logging
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

from core import settings
from storage.database import owner_only, private_dir

LOGGER = logging.getLogger("kpi_xa")
_lock = threading.Lock()
_current: dict[str, object] = {}  # the folder in use, its path and its handler


def log_to_file() -> Path | None:
    """The log file (created 0600), attached to the «kpi_xa» logger (one file at a time:
    another KPI_LOG_DIR replaces it); None when it cannot be written (a read-only place),
    and then nothing is printed either."""
    folder = settings.text("log_dir")
    with _lock:
        if _current.get("folder") == folder:
            return _current["path"]  # type: ignore[return-value]
        old = _current.pop("handler", None)
        if isinstance(old, logging.Handler):
            LOGGER.removeHandler(old)
            old.close()
        LOGGER.setLevel(logging.INFO)
        LOGGER.propagate = False  # never Python's last-resort printing to the terminal
        if not any(isinstance(h, logging.NullHandler) for h in LOGGER.handlers):
            LOGGER.addHandler(logging.NullHandler())
        path: Path | None
        try:
            owner_only()
            path = private_dir(Path(folder)) / "kpi_xa.log"
            path.touch(mode=0o600, exist_ok=True)
            path.chmod(0o600)
            handler = RotatingFileHandler(path, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
            )
            LOGGER.addHandler(handler)
            _current["handler"] = handler
        except OSError:
            path = None
        _current.update(folder=folder, path=path)
        return path
