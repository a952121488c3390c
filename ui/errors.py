"""The last guard between a bug and a user: a short Vietnamese message with a reference to
the log line, never a traceback. Errors meant for users (core.errors.UserError) are shown
as they are. The log file lives in the data folder, readable by its owner only, and holds
no personal data (no cell values: the exception type, message and stack)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TypeVar

import streamlit as st

from core import settings
from core.errors import UserError, reference
from core.text import plain_markdown
from storage.database import private_dir

T = TypeVar("T")
log = logging.getLogger("kpi_xa")


@st.cache_resource(show_spinner=False)
def _log_file() -> Path | None:
    try:
        folder = private_dir(Path(settings.text("log_dir")))
        path = folder / "kpi_xa.log"
        path.touch(mode=0o600, exist_ok=True)
        path.chmod(0o600)
        handler = RotatingFileHandler(path, maxBytes=5_000_000, backupCount=3,
                                      encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        return path
    except OSError:
        return None


def guarded(action: Callable[[], T]) -> T | None:
    """Run the action; a UserError is shown, anything else logged with a reference."""
    try:
        return action()
    except UserError as exc:  # its text may name a file, a commune, a cell: shown as text
        st.error(plain_markdown(str(exc)))
    except Exception as exc:  # noqa: BLE001 - the last guard before a user
        _log_file()
        ref = reference()
        log.error("unexpected error [%s]: %s", ref, type(exc).__name__, exc_info=exc)
        st.error(f"Đã xảy ra lỗi không mong đợi; thao tác chưa hoàn tất. Báo quản trị mã tra "
                 f"cứu **{ref}** (ghi trong nhật ký lỗi của máy chủ).")
    return None
