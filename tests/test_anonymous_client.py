"""An attacker's client against a freshly started server: a raw Streamlit websocket that has
not signed in asks for every page by file name, before any session has built a navigation.
It receives the sign-in form and nothing else: no metric, table, chart, download or uploader
(the page's guard turns Streamlit's run-the-file-by-name mode off and hands the request to
app.py, which is also what keeps a bookmark working right after a restart)."""

from __future__ import annotations

import asyncio

import pytest

from storage import accounts
from storage.database import connect
from testing.server import page_once, running_server
from tests.conftest import ROOT

pytestmark = pytest.mark.browser  # a real `streamlit run`, like the browser tests
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem != "__init__")
REFUSAL = "Cần đăng nhập để xem trang này. Mở trang chủ để đăng nhập."


def elements_for(ws_url: str, page_name: str, cookie: str | None = None) -> list[tuple[str, str]]:
    """(element kind, its text) of every element the server sends for one script run of a
    new session."""
    return asyncio.run(page_once(ws_url, page_name, cookie)).drawn


MEMBER: dict[str, str] = {}


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("anonymous") / "kpi.duckdb"
    con = connect(db)
    accounts.create(con, "quantri", "Quản trị", "quan_tri", "mat-khau-quan-tri", by="test")
    accounts.create(con, "thanhvien", "Thành viên", "xem", "mat-khau-thanh-vien", by="test")
    MEMBER["token"] = accounts.sign_in(con, "thanhvien", "mat-khau-thanh-vien")
    con.close()
    with running_server(db, KPI_AUTH="1") as server:  # the demo data is there to be stolen
        yield server.ws_url


DATA_KINDS = {
    "metric",
    "dataframe",
    "arrow_data_frame",
    "plotly_chart",
    "download_button",
    "file_uploader",
    "table",
    "selectbox",
}


def test_every_page_asked_for_by_name_gets_only_the_sign_in_form(fresh_server):
    for name in PAGES:
        drawn = elements_for(fresh_server, name)
        assert ("heading", "kpi-xa — Đăng nhập") in drawn, (name, drawn)
        assert {kind for kind, _ in drawn}.isdisjoint(DATA_KINDS), (name, drawn)
        # the page's style sheet and the phone menu's script (ui.chrome) are drawn before
        # anything else, and the first run after a start says it is starting; no data in them
        shown = [
            text
            for _, text in drawn
            if not text.strip().startswith(("<style>", "<script>"))
            and "Đang khởi động bảng điều khiển" not in text
        ]
        assert all(
            text in ("kpi-xa — Đăng nhập", "Tên đăng nhập", "Mật khẩu", "Đăng nhập", "")
            for text in shown
        ), (name, drawn)


def test_the_main_script_shows_only_the_sign_in_form(fresh_server):
    drawn = elements_for(fresh_server, "")
    kinds = {kind for kind, _ in drawn}
    assert ("heading", "kpi-xa — Đăng nhập") in drawn
    assert kinds.isdisjoint(DATA_KINDS)


WRITE_PAGES = ("tai_du_lieu", "nhap_so_lieu", "quan_tri", "cuoc_hop", "nhac_viec")


def test_a_signed_in_member_asking_for_write_pages_gets_only_the_refusal(fresh_server):
    # the member's cookie works: the main script signs them in and shows the overview
    main = elements_for(fresh_server, "", MEMBER["token"])
    assert ("heading", "Tổng quan chỉ số năm 2026") in main
    for name in WRITE_PAGES:
        drawn = elements_for(fresh_server, name, MEMBER["token"])
        kinds = {kind for kind, _ in drawn}
        assert kinds.isdisjoint({"file_uploader", "form"}), (name, drawn)
        # the overview it falls back to offers only its picture for Zalo
        assert [t for k, t in drawn if k == "download_button"] in ([], ["Tải ảnh (PNG)"])
        assert not any(
            text in ("Tải dữ liệu lên", "Nhập số liệu từ nguồn khác", "Quản trị")
            for _, text in drawn
        ), (name, drawn)
