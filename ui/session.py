"""Shared by the pages: one DuckDB connection per process, one cursor per script run, and
the computed data shared by every session until the data changes.

The engine (the monthly components over every case) is built once per database and data
version for the whole process (``st.cache_resource``); each run gets a shallow copy bound
to its own cursor, so no two runs ever use one cursor at the same moment.
"""

from __future__ import annotations

import copy
import logging
import tempfile
import threading
from pathlib import Path

import duckdb
import streamlit as st

from core import settings
from core.errors import Forbidden, UserError
from core.periods import parse
from indicators.compute import Engine
from indicators.definitions import manual_indicators
from indicators.league import commune_results
from indicators.scorecard import scorecard_table
from storage import demo, tasks
from storage.accounts import commune_of
from storage.database import connect, data_version, db_path

ALL = "Tất cả các xã"
log = logging.getLogger("kpi_xa.ui")
_run = threading.local()  # Streamlit runs each script run in its own thread


@st.cache_resource(show_spinner=False)
def _database(path: str) -> duckdb.DuckDBPyConnection:
    con = connect(path, read_only=settings.flag("read_only"))
    if not settings.flag("read_only"):
        try:
            if demo.is_empty(con) and settings.flag("demo"):
                with tempfile.TemporaryDirectory() as tmp:
                    demo.seed_demo(con, Path(tmp), manual_indicators())
            tasks.seed(con)
        except UserError as exc:
            # a full disk at the first start: the data already there can still be shown,
            # and every upload will say what is wrong
            log.warning("start-up seeding skipped: %s", exc)
    return con


def cursor() -> duckdb.DuckDBPyConnection:
    """This script run's own cursor on the shared connection."""
    path = str(db_path())
    cached = getattr(_run, "cursor", None)
    if cached is None or cached[0] != path:
        _run.cursor = (path, _database(path).cursor())
    return _run.cursor[1]


def version() -> int:
    return data_version(cursor())


@st.cache_resource(max_entries=2, show_spinner=False)
def _engine(path: str, data_version: int) -> Engine:
    # built on a cursor of its own; runs use copies bound to their cursor
    return Engine(_database(path).cursor())


def scope() -> str | None:
    """The one commune this session's account may see and write, or None for every one.
    Read from the database on each run, so a narrowed account is narrowed at once."""
    username = st.session_state.get("username")
    if not settings.flag("auth") or not username:
        return None
    return commune_of(cursor(), username)


def engine() -> Engine:
    """The shared engine, copied for this run: its own cursor and this account's scope."""
    return _scoped(_engine(str(db_path()), version()), scope())


def _scoped(shared: Engine, commune: str | None) -> Engine:
    mine = copy.copy(shared)
    mine.con = cursor()
    mine.scope = None if commune is None else frozenset([commune])
    return mine


@st.cache_data(max_entries=256, show_spinner=False)
def _scorecard(db: str, data_version: int, period_code: str, commune: str | None,
               trend_months: int = 12, only: str | None = None):
    """The scorecard table, shared by every session of the same scope until the data
    changes (``only`` is part of the key: a commune account never gets the province's)."""
    eng = _scoped(_engine(db, data_version), only)
    return scorecard_table(eng, parse(period_code), commune, trend_months=trend_months)


def scorecard_for(period, commune: str | None, trend_months: int = 12):
    return _scorecard(str(db_path()), version(), period.code, commune, trend_months, scope())


@st.cache_data(max_entries=64, show_spinner=False)
def _league(db: str, data_version: int, period_code: str, communes: tuple[str, ...]):
    return commune_results(_scoped(_engine(db, data_version), None), parse(period_code),
                           list(communes))


def league_results(period, communes: tuple[str, ...]):
    """Every commune's scorecard for the province view, shared until the data changes."""
    if scope() is not None:
        raise Forbidden("Chỉ tài khoản cấp tỉnh được so sánh các xã.")
    return _league(str(db_path()), version(), period.code, communes)


def user() -> str:
    return st.session_state.get("username") or settings.current_user()


def demo_banner() -> None:
    if demo.is_demo(cursor()):
        st.info("Đang hiển thị **Dữ liệu mẫu** (một xã giả định). Khi có dữ liệu thật, "
                "bấm «Xóa dữ liệu mẫu» ở trang Tổng quan.")
