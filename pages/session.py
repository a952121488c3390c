"""Shared by the pages: one DuckDB connection per process, a cursor per session, the period
and commune choice kept in the URL, and data cached by the database's data version."""

from __future__ import annotations

import tempfile

import streamlit as st

from indicators.compute import Engine
from indicators.periods import Period, PeriodError, parse
from loaders import demo, settings
from loaders.database import connect, data_version, db_path

ALL = "Tất cả các xã"


@st.cache_resource
def _database(path: str):
    con = connect(path)
    if demo.is_empty(con) and int(settings.get("demo")):
        with tempfile.TemporaryDirectory() as tmp:
            demo.seed_demo(con, tmp)
    from indicators.tasks import seed

    seed(con)
    return con


def cursor():
    """This session's own cursor on the shared connection (never shared across threads)."""
    path = str(db_path())
    if st.session_state.get("cursor_path") != path:
        st.session_state["cursor"] = _database(path).cursor()
        st.session_state["cursor_path"] = path
        st.session_state.pop("engine", None)
    return st.session_state["cursor"]


def version() -> int:
    return data_version(cursor())


def engine() -> Engine:
    cur = cursor()
    current = data_version(cur)
    cached = st.session_state.get("engine")
    if cached is None or cached[0] != current:
        st.session_state["engine"] = (current, Engine(cur))
    return st.session_state["engine"][1]


@st.cache_data(max_entries=256, show_spinner=False)
def scorecard(_eng: Engine, db: str, data_version: int, period_code: str,
              commune: str | None, trend_months: int = 12):
    """The scorecard table, shared by every session until the data changes (the key is the
    database and its data version; the engine itself is not hashed)."""
    from indicators.scorecard import scorecard_table

    return scorecard_table(_eng, parse(period_code), commune, trend_months=trend_months)


def scorecard_for(period: Period, commune: str | None, trend_months: int = 12):
    return scorecard(engine(), str(db_path()), version(), period.code, commune, trend_months)


def user() -> str:
    return st.session_state.get("username") or settings.current_user()


def demo_banner() -> None:
    if demo.is_demo(cursor()):
        st.info("Đang hiển thị **Dữ liệu mẫu** (một xã giả định). Khi có dữ liệu thật, "
                "bấm «Xóa dữ liệu mẫu» ở trang Tổng quan.")


def page_start(title: str) -> tuple[Engine, Period, str | None]:
    """Title, demo label, period and commune: the top of every page about one period.
    Stops the page when there is no data yet."""
    st.title(title)
    demo_banner()
    eng = engine()
    picked = period_picker(eng)
    if picked is None:
        st.stop()
    return eng, *picked


def period_picker(eng: Engine, *, with_commune: bool = True) -> tuple[Period, str | None] | None:
    """Period and commune selectors that remember the choice in the URL (?ky=&xa=)."""
    communes = eng.communes()
    if not communes:
        st.warning("Chưa có dữ liệu. Hãy tải tệp xuất từ Cổng dịch vụ công lên ở trang "
                   "«Tải dữ liệu».")
        return None
    latest = max(eng.cap.values())
    choices = [f"{latest.year}-{m:02d}" for m in range(latest.month, 0, -1)] + \
        [f"{latest.year}-Q{q}" for q in range((latest.month - 1) // 3 + 1, 0, -1)] + \
        [str(latest.year)]
    params = st.query_params
    # the URL wins (a shared link); else this session's last choice (the sidebar drops it)
    wanted = params.get("ky") or st.session_state.get("ky") or choices[0]
    if wanted not in choices:
        try:
            parse(wanted)
            choices.append(wanted)
        except PeriodError:
            wanted = choices[0]
    cols = st.columns(2)
    code = cols[0].selectbox("Kỳ báo cáo", choices, index=choices.index(wanted),
                             format_func=lambda c: parse(c).label)
    commune = None
    if with_commune:
        options = [ALL, *communes]
        chosen = params.get("xa") or st.session_state.get("xa") or \
            (communes[0] if len(communes) == 1 else ALL)
        label = cols[1].selectbox("Xã", options,
                                  index=options.index(chosen) if chosen in options else 0)
        commune = None if label == ALL else label
        st.query_params.update({"ky": code, "xa": label})
        st.session_state["xa"] = label
    else:
        st.query_params.update({"ky": code})
    st.session_state["ky"] = code
    return parse(code), commune
