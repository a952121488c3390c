"""Shared by the pages: one DuckDB connection per process, one cursor per script run, and
the computed data shared by every session until the data changes.

The engine (the monthly components over every case) is built once per database and data
version for the whole process (``st.cache_resource``); each run gets a shallow copy bound
to its own cursor, so no two runs ever use one cursor at the same moment.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import tempfile
import threading
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core import settings
from core.errors import Forbidden, UserError
from core.periods import parse
from core.type_enums import ALL_COMMUNES
from indicators import followup, ranking
from indicators.breakdowns import DIMENSIONS
from indicators.compute import Engine
from indicators.definitions import manual_indicators
from indicators.detail import Detail, detail
from indicators.league import commune_results
from indicators.outlook import Outlook, lagging_outlooks
from indicators.overdue import OverdueView, overdue_view
from indicators.scorecard import scorecard_table
from indicators.slides import Deck, deck
from reports.charts import breakdown_figure, trend_figure
from reports.snapshot import Snapshot, snapshot
from storage import demo, tasks
from storage import scope as commune_scope
from storage.accounts import commune_of
from storage.database import connect, data_version, db_path

ALL = ALL_COMMUNES  # the commune choice that adds up every commune the account may see
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
            tasks.seed(con)  # a programme changed since the database was opened
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


def begin_run() -> None:
    """Forget what the previous run on this thread read once (the data version, the
    account's scope): called first by app.py and by every page's guard. Until the page's
    guard (ui.auth.require) says who is acting, storage is not narrowed: the first run
    seeds the demo data before anyone signs in, and no page draws before its guard."""
    _run.memo = {}
    commune_scope.act_as(None)


def _memo(key: str, read):
    memo = getattr(_run, "memo", None)
    if memo is None:
        memo = _run.memo = {}
    if key not in memo:
        memo[key] = read()
    return memo[key]


def version() -> int:
    """The data version, read once per script run: a run sees one consistent state."""
    return _memo(f"version|{db_path()}", lambda: data_version(cursor()))


@st.cache_resource(
    max_entries=2,
    show_spinner="Đang tính bộ chỉ số từ dữ liệu mới (chỉ lần đầu sau mỗi lần cập nhật) ...",
)
def _engine(path: str, data_version: int) -> Engine:
    # built on a cursor of its own; runs use copies bound to their cursor
    return Engine(_database(path).cursor())


def scope() -> str | None:
    """The one commune this session's account may see and write, or None for every one.
    Read from the database on each run, so a narrowed account is narrowed at once."""
    username = st.session_state.get("username")
    if not settings.flag("auth") or not username:
        return None
    return _memo(f"scope|{username}", lambda: commune_of(cursor(), username))


def engine() -> Engine:
    """The shared engine, copied for this run: its own cursor and this account's scope."""
    return _scoped(_engine(str(db_path()), version()), scope())


def _scoped(shared: Engine, commune: str | None) -> Engine:
    mine = copy.copy(shared)
    mine.con = cursor()
    mine.scope = None if commune is None else frozenset([commune])
    return mine


@st.cache_data(max_entries=256, show_spinner=False)
def _scorecard(
    db: str,
    data_version: int,
    period_code: str,
    commune: str | None,
    trend_months: int = 12,
    only: str | None = None,
):
    """The scorecard table, shared by every session of the same scope until the data
    changes (``only`` is part of the key: a commune account never gets the province's)."""
    eng = _scoped(_engine(db, data_version), only)
    return scorecard_table(eng, parse(period_code), commune, trend_months=trend_months)


def scorecard_for(period, commune: str | None, trend_months: int = 12):
    return _scorecard(str(db_path()), version(), period.code, commune, trend_months, scope())


@st.cache_data(max_entries=64, show_spinner=False)
def _league(db: str, data_version: int, period_code: str, communes: tuple[str, ...]):
    return commune_results(
        _scoped(_engine(db, data_version), None), parse(period_code), list(communes)
    )


def league_results(period, communes: tuple[str, ...]):
    """Every commune's scorecard for the province view, shared until the data changes."""
    if scope() is not None:
        raise Forbidden("Chỉ tài khoản cấp tỉnh được so sánh các xã.")
    return _league(str(db_path()), version(), period.code, communes)


@st.cache_data(max_entries=128, show_spinner=False)
def _detail(
    db: str,
    data_version: int,
    indicator_id: str,
    period_code: str,
    commune: str | None,
    only: str | None,
) -> Detail:
    return detail(
        _scoped(_engine(db, data_version), only), indicator_id, parse(period_code), commune
    )


def detail_for(indicator_id: str, period, commune: str | None) -> Detail:
    """One indicator in depth (trend, breakdowns), shared until the data changes."""
    return _detail(str(db_path()), version(), indicator_id, period.code, commune, scope())


@st.cache_resource(max_entries=256, show_spinner=False)
def _figures(
    db: str,
    data_version: int,
    indicator_id: str,
    period_code: str,
    commune: str | None,
    only: str | None,
) -> dict[str, go.Figure]:
    # held once per process, not copied: building a plotly figure costs more than the
    # page's own work, and st.plotly_chart only reads it
    d = _detail(db, data_version, indicator_id, period_code, commune, only)
    figures = {"xu_huong": trend_figure(d.indicator, d.trend)}
    for by, label in DIMENSIONS.items():
        if not d.breakdowns[by].empty:
            figures[by] = breakdown_figure(d.indicator, d.breakdowns[by], label)
    return figures


def figures_for(indicator_id: str, period, commune: str | None) -> dict[str, go.Figure]:
    """The indicator page's charts: the trend (key «xu_huong») and one per breakdown."""
    return _figures(str(db_path()), version(), indicator_id, period.code, commune, scope())


@st.cache_resource(max_entries=32, show_spinner=False)
def _overdue(db: str, data_version: int, communes: tuple[str, ...], start, end) -> OverdueView:
    return overdue_view(cursor(), list(communes), start, end)


def overdue_for(communes: list[str], start, end) -> OverdueView:
    """Late, overdue and returned cases with their counts, shared until the data changes
    and held once per process (a province's month has about 100 000 of them; a copy per
    view cost more than the page). Read only. The communes are checked against this
    account's scope first."""
    engine().within(communes)
    return _overdue(str(db_path()), version(), tuple(communes), start, end)


@st.cache_data(max_entries=16, show_spinner=False)
def _tasks(
    db: str, data_version: int, today, communes: tuple[str, ...]
) -> tuple[pd.DataFrame, str]:
    listed = tasks.list_tasks(cursor(), communes, today)
    return tasks.by_unit(listed), tasks.tally(listed, today).sentence()


def task_summary(today, commune: str | None) -> tuple[pd.DataFrame, str]:
    """Tasks overdue and due soon per unit, and the one-line count, for the overview: the
    commune's, or those of every commune this account may see."""
    eng = engine()
    communes = eng.within([commune] if commune else eng.communes())
    return _tasks(str(db_path()), version(), today, tuple(communes))


@st.cache_data(max_entries=16, show_spinner=False)
def _assignments(db: str, data_version: int, today, communes: tuple[str, ...]) -> pd.DataFrame:
    return followup.by_unit(cursor(), list(communes), today)


def assignments_for(today, commune: str | None) -> pd.DataFrame:
    """Open assignments of the meetings' conclusions per unit (in time, overdue)."""
    eng = engine()
    communes = eng.within([commune] if commune else eng.communes())
    return _assignments(str(db_path()), version(), today, tuple(communes))


@st.cache_data(max_entries=32, show_spinner=False)
def _ranking(
    db: str, data_version: int, period_code: str, commune: str, only: str | None, today
) -> ranking.Ranking:
    return ranking.ranking(
        _scoped(_engine(db, data_version), only), parse(period_code), commune, today
    )


def ranking_for(period, commune: str) -> ranking.Ranking:
    """The units' and officers' ranking of one commune, shared until the data changes (or
    the day does: what is overdue depends on it)."""
    return _ranking(str(db_path()), version(), period.code, commune, scope(), dt.date.today())


@st.cache_data(max_entries=64, show_spinner=False)
def _outlooks(
    db: str, data_version: int, period_code: str, commune: str | None, only: str | None
) -> dict[str, Outlook]:
    eng = _scoped(_engine(db, data_version), only)
    period = parse(period_code)
    return lagging_outlooks(eng, period, commune, eng.scorecard(period, commune))


def outlooks_for(period, commune: str | None) -> dict[str, Outlook]:
    """Gap, projection and main contributors of every lagging or close indicator."""
    return _outlooks(str(db_path()), version(), period.code, commune, scope())


@st.cache_data(max_entries=32, show_spinner=False)
def _snapshot(
    db: str, data_version: int, period_code: str, commune: str | None, only: str | None
) -> Snapshot:
    return snapshot(
        _scoped(_engine(db, data_version), only),
        parse(period_code),
        commune,
        _outlooks(db, data_version, period_code, commune, only),
    )


def snapshot_for(period, commune: str | None) -> Snapshot:
    """The month's scorecard for the Zalo picture and its text."""
    return _snapshot(str(db_path()), version(), period.code, commune, scope())


@st.cache_data(max_entries=32, show_spinner=False)
def _deck(
    db: str, data_version: int, period_code: str, commune: str | None, only: str | None, today
) -> Deck:
    return deck(
        _scoped(_engine(db, data_version), only),
        parse(period_code),
        commune,
        today,
        _outlooks(db, data_version, period_code, commune, only),
    )


def deck_for(period, commune: str | None) -> Deck:
    """Meeting mode's slides, shared until the data changes (or the day does)."""
    return _deck(str(db_path()), version(), period.code, commune, scope(), dt.date.today())


def user() -> str:
    return st.session_state.get("username") or settings.current_user()


def demo_banner(commune: str | None = None, *, shown: bool = True) -> None:
    """Say that made-up data is on screen, only when it is: ``commune`` is the one shown
    (None: every commune, which adds up the demo commune only while it is alone);
    ``shown=False`` for a page that shows no commune's figures (it says so only while
    the demo commune is the only one)."""
    if not demo.is_demo(cursor()):
        return
    eng = engine()
    real = [c for c in eng.choosable() if c != settings.DEMO_COMMUNE]
    if (
        commune == settings.DEMO_COMMUNE
        or (commune is None and not real)
        or (not shown and not real)
    ):
        st.info(
            "Đang hiển thị **Dữ liệu mẫu** (một xã giả định). Khi có dữ liệu thật, "
            "bấm «Xóa dữ liệu mẫu» ở trang Tổng quan."
        )
