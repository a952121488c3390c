"""The last guard between a bug and a user: a short Vietnamese message with a reference to
the log line, never a traceback. Errors meant for users (core.errors.UserError) are shown
as they are. The log file lives in the data folder, readable by its owner only, and holds
no personal data (no cell values: the exception type, message and stack)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st

from core.errors import UserError, reference
from core.text import plain_markdown
from storage.logs import log_to_file

T = TypeVar("T")
log = logging.getLogger("kpi_xa")


def _log_file() -> Path | None:
    return log_to_file()


def guarded(action: Callable[[], T]) -> T | None:
    """Run the action; a UserError is shown, anything else logged with a reference."""
    try:
        return action()
    except UserError as exc:  # its text may name a file, a commune, a cell: shown as text
        st.error(plain_markdown(str(exc)))
    except Exception as exc:
        _log_file()
        ref = reference()
        log.error("unexpected error [%s]: %s", ref, type(exc).__name__, exc_info=exc)
        st.error(
            f"Đã xảy ra lỗi không mong đợi; thao tác chưa hoàn tất. Báo quản trị mã tra "
            f"cứu **{ref}** (ghi trong nhật ký lỗi của máy chủ)."
        )
    return None
