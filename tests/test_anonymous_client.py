"""An attacker's client against a freshly started server: a raw Streamlit websocket that has
not signed in asks for every page by file name, before any session has built a navigation.
It receives the sign-in form and nothing else: no metric, table, chart, download or uploader
(the page's guard turns Streamlit's run-the-file-by-name mode off and hands the request to
app.py, which is also what keeps a bookmark working right after a restart)."""

from __future__ import annotations

import asyncio

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from storage import accounts
from storage.database import connect
from tests.conftest import ROOT
from tests.test_browser import streamlit_server

pytestmark = pytest.mark.browser  # a real `streamlit run`, like the browser tests
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem != "__init__")
REFUSAL = "Cần đăng nhập để xem trang này. Mở trang chủ để đăng nhập."


async def elements_for(url: str, page_name: str, cookie: str | None = None
                       ) -> list[tuple[str, str]]:
    """(element kind, its text) of every element the server sends for one script run."""
    drawn: list[tuple[str, str]] = []
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    headers = {"Cookie": f"kpi_xa_phien={cookie}"} if cookie else None
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                  additional_headers=headers) as ws:
        ask = BackMsg()
        ask.rerun_script.query_string = ""
        ask.rerun_script.page_name = page_name
        await ws.send(ask.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
            kind = msg.WhichOneof("type")
            if kind == "delta" and (el := msg.delta.new_element).WhichOneof("type"):
                body = getattr(el, el.WhichOneof("type"))
                drawn.append((el.WhichOneof("type"),
                              str(getattr(body, "body", "") or getattr(body, "label", ""))))
            # a run that ended to start another (the guard handing over to app.py) is
            # followed by that run; its elements are read too
            if kind == "script_finished" and \
                    msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return drawn


MEMBER: dict[str, str] = {}


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("anonymous") / "kpi.duckdb"
    con = connect(db)
    accounts.create(con, "quantri", "Quản trị", "quan_tri", "mat-khau-quan-tri", by="test")
    accounts.create(con, "thanhvien", "Thành viên", "xem", "mat-khau-thanh-vien", by="test")
    MEMBER["token"] = accounts.sign_in(con, "thanhvien", "mat-khau-thanh-vien")
    con.close()
    with streamlit_server(db, KPI_AUTH="1") as url:  # the demo data is there to be stolen
        yield url


DATA_KINDS = {"metric", "dataframe", "arrow_data_frame", "plotly_chart", "download_button",
              "file_uploader", "table", "selectbox"}


def test_every_page_asked_for_by_name_gets_only_the_sign_in_form(fresh_server):
    for name in PAGES:
        drawn = asyncio.run(elements_for(fresh_server, name))
        assert ("heading", "kpi-xa — Đăng nhập") in drawn, (name, drawn)
        assert {kind for kind, _ in drawn}.isdisjoint(DATA_KINDS), (name, drawn)
        # the page's style sheet (ui.chrome) is drawn before anything else; no data in it
        shown = [text for _, text in drawn if not text.startswith("<style>")]
        assert all(text in ("kpi-xa — Đăng nhập", "Tên đăng nhập", "Mật khẩu", "Đăng nhập", "")
                   for text in shown), (name, drawn)


def test_the_main_script_shows_only_the_sign_in_form(fresh_server):
    drawn = asyncio.run(elements_for(fresh_server, ""))
    kinds = {kind for kind, _ in drawn}
    assert ("heading", "kpi-xa — Đăng nhập") in drawn
    assert kinds.isdisjoint(DATA_KINDS)


WRITE_PAGES = ("tai_du_lieu", "nhap_so_lieu", "quan_tri", "cuoc_hop", "nhac_viec")


def test_a_signed_in_member_asking_for_write_pages_gets_only_the_refusal(fresh_server):
    # the member's cookie works: the main script signs them in and shows the overview
    main = asyncio.run(elements_for(fresh_server, "", MEMBER["token"]))
    assert ("heading", "Tổng quan chỉ số năm 2026") in main
    for name in WRITE_PAGES:
        drawn = asyncio.run(elements_for(fresh_server, name, MEMBER["token"]))
        kinds = {kind for kind, _ in drawn}
        assert kinds.isdisjoint({"file_uploader", "form"}), (name, drawn)
        # the overview it falls back to offers only its picture for Zalo
        assert [t for k, t in drawn if k == "download_button"] in ([], ["Tải ảnh (PNG)"])
        assert not any(text in ("Tải dữ liệu lên", "Nhập số liệu từ nguồn khác", "Quản trị")
                       for _, text in drawn), (name, drawn)
