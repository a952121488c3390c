"""The doors of issue 19, attacked against a real server started like scripts/run.sh does
(``python -m ui.gate run app.py``): a page on another local port driving a signed-in
browser, raw websockets with a foreign or missing Origin, an anonymous client's control
messages and uploads, the metrics, the page names and /media without a cookie."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.exceptions import InvalidStatus

from storage import accounts
from storage.database import connect
from testing.browser import CHROMIUM
from testing.server import free_port, streamlit_server
from tests.conftest import ROOT
from ui import gate

PAGE_NAMES = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem != "__init__")
TOKENS: dict[str, str] = {}
LOGS: dict[str, Path] = {}


# --- the rules, without a server ----------------------------------------------------------
def test_only_the_apps_own_origin_is_its_own(monkeypatch):
    monkeypatch.delenv("KPI_PUBLIC_URL", raising=False)
    assert gate.own_origin("http://127.0.0.1:8701", "127.0.0.1:8701")
    for foreign in (
        "http://127.0.0.1:8798",
        "http://localhost:8701",
        "http://0.0.0.0:8701",
        "null",
        "",
        None,
        "file://",
        "http://127.0.0.1:8701/x",
        "javascript://127.0.0.1:8701",
    ):
        assert not gate.own_origin(foreign, "127.0.0.1:8701"), foreign
    monkeypatch.setenv("KPI_PUBLIC_URL", "https://kpi.example.vn/")
    assert gate.own_origin("https://kpi.example.vn", "10.0.0.5:8501")
    assert not gate.own_origin("http://kpi.example.vn", "kpi.example.vn")
    assert not gate.own_origin("https://10.0.0.5:8501", "10.0.0.5:8501")


def test_control_messages_of_a_session_that_has_not_signed_in_change_nothing():
    gate.install()
    from streamlit.runtime.app_session import AppSession

    cleared: list[str] = []
    for role, expected in ((None, []), ("xem", []), ("nhap_lieu", []), ("quan_tri", ["cleared"])):
        cleared.clear()
        fake = SimpleNamespace(
            id="phien-thu",
            session_state={"role": role} if role else {},
            _handle_clear_cache_request=lambda: cleared.append("cleared"),
            _handle_set_run_on_save_request=lambda v: cleared.append("save"),
            _handle_app_heartbeat_request=lambda: cleared.append("beat"),
        )
        msg = BackMsg()
        msg.clear_cache = True
        AppSession.handle_backmsg(fake, msg)
        assert cleared == expected, role
    anonymous = SimpleNamespace(
        id="x",
        session_state={},
        _handle_set_run_on_save_request=lambda v: cleared.append("save"),
        _handle_app_heartbeat_request=lambda: cleared.append("beat"),
    )
    cleared.clear()
    msg = BackMsg()
    msg.set_run_on_save = True
    AppSession.handle_backmsg(anonymous, msg)
    msg = BackMsg()
    msg.app_heartbeat = True
    AppSession.handle_backmsg(anonymous, msg)
    assert cleared == ["beat"]


# --- against a real server ------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("gate") / "kpi.duckdb"
    con = connect(db)
    accounts.create(con, "quantri", "Quản trị", "quan_tri", "mat-khau-quan-tri", by="test")
    accounts.create(con, "canbo", "Cán bộ", "nhap_lieu", "mat-khau-can-bo-1", by="test")
    accounts.create(con, "thanhvien", "Thành viên", "xem", "mat-khau-thanh-vien", by="test")
    TOKENS["canbo"] = accounts.sign_in(con, "canbo", "mat-khau-can-bo-1")
    TOKENS["thanhvien"] = accounts.sign_in(con, "thanhvien", "mat-khau-thanh-vien")
    con.close()
    LOGS["dir"] = db.parent / "logs"
    with streamlit_server(
        db, KPI_AUTH="1", KPI_SESSION_UPLOAD_MB="1", KPI_LOG_DIR=str(LOGS["dir"])
    ) as url:
        yield url


async def _messages(
    url: str, origin: str | None, cookie: str | None = None, page_name: str = ""
) -> list[ForwardMsg]:
    """Every message of one script run over a raw websocket (after it signed in, if the
    cookie is valid), or the refusal websockets raises."""
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    headers = {"Cookie": f"kpi_xa_phien={cookie}"} if cookie else None
    got: list[ForwardMsg] = []
    async with websockets.connect(
        ws_url, subprotocols=["streamlit"], max_size=None, origin=origin, additional_headers=headers
    ) as ws:
        ask = BackMsg()
        ask.rerun_script.query_string = ""
        ask.rerun_script.page_name = page_name
        await ws.send(ask.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
            got.append(msg)
            if (
                msg.WhichOneof("type") == "script_finished"
                and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
            ):
                return got


def test_a_websocket_from_another_origin_or_without_one_is_refused(server):
    port = server.rsplit(":", 1)[1]
    for origin in (f"http://127.0.0.1:{free_port()}", f"http://localhost:{port}", None):
        with pytest.raises(InvalidStatus) as refused:
            asyncio.run(_messages(server, origin))
        assert refused.value.response.status_code == 403, origin
    # its own origin opens a session (and gets only the sign-in form)
    assert asyncio.run(_messages(server, server))


def test_no_page_name_is_sent_before_sign_in(server):
    for page in ("", "quan_tri", "tai_du_lieu"):
        msgs = asyncio.run(_messages(server, server, page_name=page))
        sent = " ".join(
            str(m)
            for m in msgs
            if m.WhichOneof("type") in ("new_session", "navigation", "pages_changed")
        )
        # the name asked for is echoed back as the address; no other page is named
        for name in (n for n in PAGE_NAMES if n != page):
            assert name not in sent, (page, name)
    # signed in, the account's own pages come
    msgs = asyncio.run(_messages(server, server, TOKENS["canbo"]))
    assert "tai_du_lieu" in " ".join(str(m) for m in msgs)


def _http(
    url: str, method: str = "GET", headers: dict | None = None, data: bytes | None = None
) -> int:
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_metrics_and_media_are_not_served_without_a_sign_in(server):
    assert _http(f"{server}/_stcore/metrics") == 404
    assert _http(f"{server}/_stcore/health") == 200  # the health check stays
    assert _http(f"{server}/media/abc123.bin") == 403
    # a valid sign-in cookie passes the gate (and meets Streamlit's own «not found»)
    assert (
        _http(f"{server}/media/abc123.bin", headers={"Cookie": f"kpi_xa_phien={TOKENS['canbo']}"})
        == 404
    )
    assert _http(f"{server}/media/abc123.bin", headers={"Cookie": "kpi_xa_phien=forged"}) == 403


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----kpixa"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _put(url: str, headers: dict[str, str], body: bytes) -> int:
    """A PUT sent as a careful client sends a large body, with «Expect: 100-continue»: the
    body goes only after the server's «100 Continue»; a refusal comes in its place, before
    any of the body is sent. (Sent straight after the headers, a body the gate refuses
    unread races the server closing the connection: the client may get a broken pipe
    instead of the 403, as a busy machine showed.) The final status."""
    parts = urllib.parse.urlsplit(url)
    head = [
        f"PUT {parts.path} HTTP/1.1",
        f"Host: {parts.netloc}",
        f"Content-Length: {len(body)}",
        "Expect: 100-continue",
        *(f"{k}: {v}" for k, v in headers.items()),
        "",
        "",
    ]
    with (
        socket.create_connection((parts.hostname, parts.port), timeout=60) as sock,
        sock.makefile("rb") as reply,
    ):
        sock.sendall("\r\n".join(head).encode("latin-1"))
        status = _status(reply)
        if status != 100:
            return status  # refused: not a byte of the body was sent
        sock.sendall(body)
        return _status(reply)


def _status(reply) -> int:
    """The status of the next response on the connection (its head read, the body left)."""
    code = int(reply.readline().split()[1])
    while reply.readline() not in (b"\r\n", b"\n", b""):
        pass
    return code


def _xsrf(url: str) -> str:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=60) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
    return next(
        c.split(";", 1)[0].split("=", 1)[1] for c in cookies if c.startswith("_streamlit_xsrf=")
    )


async def _session_and_upload(
    url: str, cookie: str | None, payloads: list[bytes], origin: str
) -> list[int]:
    """Open a session (signed in when the cookie is valid), then PUT each payload into it
    while it is connected; the HTTP status of each."""
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    headers = {"Cookie": f"kpi_xa_phien={cookie}"} if cookie else None
    statuses = []
    async with websockets.connect(
        ws_url, subprotocols=["streamlit"], max_size=None, origin=url, additional_headers=headers
    ) as ws:
        ask = BackMsg()
        ask.rerun_script.query_string = ""
        await ws.send(ask.SerializeToString())
        session_id = None
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
            if msg.WhichOneof("type") == "new_session":
                session_id = msg.new_session.initialize.session_id
            if (
                msg.WhichOneof("type") == "script_finished"
                and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
            ):
                break
        assert session_id
        xsrf = _xsrf(url)  # Streamlit's own XSRF pair, as its page holds it
        for n, payload in enumerate(payloads):
            body, kind = _multipart(f"tep_{n}.csv", payload)
            jar = f"_streamlit_xsrf={xsrf}" + (f"; kpi_xa_phien={cookie}" if cookie else "")
            statuses.append(
                await asyncio.to_thread(
                    _put,
                    f"{url}/_stcore/upload_file/{session_id}/tep{n}",
                    {"Content-Type": kind, "Origin": origin, "X-Xsrftoken": xsrf, "Cookie": jar},
                    body,
                )
            )
    return statuses


def test_uploads_need_a_signed_in_uploader_its_own_origin_and_a_cap(server):
    small = b"a,b\n1,2\n" * 1000
    anonymous = asyncio.run(_session_and_upload(server, None, [small], server))
    assert anonymous == [403]
    viewer = asyncio.run(_session_and_upload(server, TOKENS["thanhvien"], [small], server))
    assert viewer == [403]  # signed in, but a role that does not upload
    foreign = asyncio.run(
        _session_and_upload(server, TOKENS["canbo"], [small], f"http://127.0.0.1:{free_port()}")
    )
    assert foreign == [403]
    # signed in with the uploading role: stored; past the per-session cap (1 MB here) the
    # gate refuses before reading the body
    signed = asyncio.run(
        _session_and_upload(server, TOKENS["canbo"], [small, small, b"x" * (1024 * 1024)], server)
    )
    assert signed == [204, 204, 403]


# --- a page on another local port drives a signed-in browser ------------------------------
EVIL_PAGE = """<!doctype html><html><body><pre id="log"></pre><script>
const log = (t) => { document.getElementById('log').textContent += t + '\\n'; };
const ws = new WebSocket('%s', ['streamlit']);
ws.binaryType = 'arraybuffer';
ws.onopen = () => log('open');
ws.onmessage = () => log('message');
ws.onerror = () => log('error');
ws.onclose = (e) => log('close ' + e.code);
</script></body></html>"""


@contextlib.contextmanager
def evil_site(target: str):
    """A page on another port of the same host, as any other local web app could serve."""
    page = (EVIL_PAGE % (target.replace("http://", "ws://") + "/_stcore/stream")).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def test_a_page_on_another_port_cannot_drive_a_signed_in_browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(server)
            page.get_by_label("Tên đăng nhập").fill("quantri")
            page.get_by_label("Mật khẩu").fill("mat-khau-quan-tri")
            page.get_by_role("button", name="Đăng nhập").click()
            page.get_by_text("Tổng quan chỉ số").first.wait_for(timeout=120_000)
            page.wait_for_function("document.cookie.includes('kpi_xa_phien=')", timeout=60_000)
            # the same browser, a page of another local web app
            with evil_site(server) as evil:
                other = context.new_page()
                other.goto(evil)
                # refused: closed without a word; let in: Streamlit's first message comes
                other.wait_for_function(
                    "/close|message/.test(document.getElementById('log').textContent)",
                    timeout=60_000,
                )
                log = other.locator("#log").text_content() or ""
                assert "message" not in log and "open" not in log, log
            # its own page still works
            page.reload()
            page.get_by_text("Tổng quan chỉ số").first.wait_for(timeout=120_000)
        finally:
            browser.close()


async def _anonymous_clear_cache(url: str) -> None:
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(ws_url, subprotocols=["streamlit"], origin=url) as ws:
        msg = BackMsg()
        msg.clear_cache = True
        await ws.send(msg.SerializeToString())
        beat = BackMsg()
        beat.app_heartbeat = True
        await ws.send(beat.SerializeToString())
        while True:  # the heartbeat's answer: the clear_cache before it was handled
            got = ForwardMsg()
            got.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
            if got.WhichOneof("type") == "heartbeat_ack":
                return


def test_an_anonymous_clear_cache_is_dropped_by_the_running_server(server):
    asyncio.run(_anonymous_clear_cache(server))
    log = LOGS["dir"] / "kpi_xa.log"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the log line is written by another thread
        if log.exists() and "control message clear_cache dropped" in log.read_text():
            break
        time.sleep(0.2)
    assert "control message clear_cache dropped" in log.read_text()
    assert oct(log.stat().st_mode & 0o777) == "0o600"
