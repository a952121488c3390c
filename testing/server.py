"""A real ``streamlit run app.py`` on a free port of 127.0.0.1, and a raw websocket client
that asks it for a page and reads what the script run draws (the anonymous-client test and
the load benchmark use the same client a browser would)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from testing.patience import PAGE_S, SERVER_START_S

ROOT = Path(__file__).resolve().parent.parent
COOKIE = "kpi_xa_phien"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/_stcore/stream"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


@contextlib.contextmanager
def running_server(db: Path | str, **env_extra: str) -> Iterator[Server]:
    """``streamlit run app.py`` against the database ``db``, yielded once its health check
    answers (a condition, not a sleep); stopped, and killed if it will not stop, at the end.
    The server's output goes to a log file whose tail is shown when it fails to start."""
    port = free_port()
    env = {**os.environ, "KPI_DB": str(db), **env_extra}
    log = Path(tempfile.mkstemp(prefix="streamlit_", suffix=".log")[1])
    with log.open("wb") as out:
        proc = subprocess.Popen(
            # through ui.gate, as scripts/run.sh starts it: the doors it closes are tested too
            [
                sys.executable,
                "-m",
                "ui.gate",
                "run",
                "app.py",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    timeout = SERVER_START_S
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(server.url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"streamlit did not start in {timeout:.0f} s (exit {proc.poll()}):\n"
                    + server.log_tail()
                )
            time.sleep(0.2)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        log.unlink(missing_ok=True)


@contextlib.contextmanager
def streamlit_server(db: Path | str, **env_extra: str) -> Iterator[str]:
    """As ``running_server``, yielding only its http address."""
    with running_server(db, **env_extra) as server:
        yield server.url


# ---- the websocket client ------------------------------------------------------------------


@dataclass
class Run:
    """What one script run sent: (element kind, its text) per element, and how it ended."""

    drawn: list[tuple[str, str]] = field(default_factory=list)
    finished: str = ""

    @property
    def kinds(self) -> set[str]:
        return {kind for kind, _ in self.drawn}

    @property
    def ok(self) -> bool:
        return self.finished == "FINISHED_SUCCESSFULLY"


async def open_session(ws_url: str, token: str | None = None) -> Any:
    """A Streamlit websocket session, signed in by cookie when ``token`` is given."""
    import websockets
    from websockets.typing import Subprotocol

    headers = {"Cookie": f"{COOKIE}={token}"} if token else None
    # the app's own Origin, as its page in a browser sends it (ui.gate refuses any other)
    origin = ws_url.replace("ws://", "http://", 1).split("/_stcore", 1)[0]
    return await websockets.connect(
        ws_url,
        subprotocols=[Subprotocol("streamlit")],
        max_size=None,
        origin=origin,  # type: ignore[arg-type]
        additional_headers=headers,
        open_timeout=PAGE_S,
    )


async def run_page(
    ws: Any, page_name: str, params: dict[str, str] | None = None, timeout: float = PAGE_S
) -> Run:
    """Ask an open session for a page (as a click in the sidebar does) and read every
    element until its script run ends; a run that ended to start another (the guard
    handing over to app.py) is followed by that run, whose elements are read too."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    run = Run()
    ask = BackMsg()
    ask.rerun_script.query_string = urlencode(params or {})
    ask.rerun_script.page_name = page_name
    await ws.send(ask.SerializeToString())
    deadline = time.monotonic() + timeout
    while True:
        msg = ForwardMsg()
        left = max(0.1, deadline - time.monotonic())
        msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=left))
        kind = msg.WhichOneof("type")
        el = msg.delta.new_element
        if kind == "delta" and (element := el.WhichOneof("type")):
            body = getattr(el, element)
            run.drawn.append(
                (element, str(getattr(body, "body", "") or getattr(body, "label", "")))
            )
        if kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            run.finished = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
            return run


async def page_once(
    ws_url: str, page_name: str, token: str | None = None, params: dict[str, str] | None = None
) -> Run:
    """A new session that asks for one page."""
    async with await open_session(ws_url, token) as ws:
        return await run_page(ws, page_name, params)
