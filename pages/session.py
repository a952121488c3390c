"""Shared by the pages: one DuckDB connection per process, a cursor per session."""

from __future__ import annotations

import tempfile

import streamlit as st

from indicators.compute import Engine
from loaders import demo
from loaders.database import connect, data_version, db_path


@st.cache_resource
def _database(path: str):
    con = connect(path)
    if demo.is_empty(con):
        with tempfile.TemporaryDirectory() as tmp:
            demo.seed_demo(con, tmp)
    return con


def cursor():
    path = str(db_path())
    if st.session_state.get("cursor_path") != path:
        st.session_state["cursor"] = _database(path).cursor()
        st.session_state["cursor_path"] = path
        st.session_state.pop("engine", None)
    return st.session_state["cursor"]


def engine() -> Engine:
    cur = cursor()
    version = data_version(cur)
    cached = st.session_state.get("engine")
    if cached is None or cached[0] != version:
        st.session_state["engine"] = (version, Engine(cur))
    return st.session_state["engine"][1]
