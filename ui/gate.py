"""The doors Streamlit 1.67 leaves open, closed in this one module (issue 19).

Streamlit, as shipped, accepts a websocket whose Origin is any port of the same host, so a
page served by another local web app can drive a signed-in browser's session; lets a session
that never signed in send ``clear_cache`` (every shared cache emptied for every viewer) and
PUT files into memory; serves ``/_stcore/metrics`` to anyone; and serves ``/media/<id>``
download URLs without a cookie. This module patches the few Streamlit internals involved:

- the websocket's Origin must be the app's own: the configured public address
  (``KPI_PUBLIC_URL``), else exactly the scheme, host and port the browser asked for (the
  Host header); a missing Origin (no browser) is refused too;
- control messages other than running the script, stopping it and the heartbeat change
  nothing unless the session has signed in; ``clear_cache`` needs an admin;
- an upload needs the app's own Origin and a session signed in with the role that uploads
  (``nhap_lieu``), and one session holds at most ``KPI_SESSION_UPLOAD_MB`` of files;
- ``/_stcore/metrics`` is not served; ``/media/...`` only with a valid sign-in cookie;
- Streamlit's old «pages/ folder» mode is off from the start, so no page file name is sent
  to a browser before its account's navigation exists.

:func:`install` patches what can be patched in a running server (the websocket check, the
control messages, the upload store, the pages mode); it is called by app.py on every run
(once in effect). The HTTP checks are an ASGI middleware added when the server is built, so
the dashboard is started through this module: ``python -m ui.gate run app.py ...``
(scripts/run.sh does), which installs everything before the first request.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from core import settings

log = logging.getLogger("kpi_xa.gate")
Scope = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]
]

# what a session may send before signing in: run the script (the sign-in form itself), stop
# its own run, keep the connection alive
HARMLESS = {"rerun_script", "stop_script", "app_heartbeat"}
ADMIN_ONLY = {"clear_cache"}
UPLOADER = "nhap_lieu"
_installed: set[str] = set()


# --- the rules -------------------------------------------------------------------------
def own_origin(origin: str | None, host: str | None) -> bool:
    """True when ``origin`` is the dashboard's own address: the configured public address,
    else exactly the host and port the request was sent to."""
    if not origin:
        return False
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        return False
    public = settings.text("public_url").strip().rstrip("/")
    if public:
        wanted = urlsplit(public)
        return (parts.scheme, parts.netloc.lower()) == (wanted.scheme, wanted.netloc.lower())
    return bool(host) and parts.netloc.lower() == str(host).strip().lower()


def _role_of_session(session: Any) -> str | None:
    """The role app.py recorded for a Streamlit session after its sign-in, or None."""
    try:
        state = session.session_state
        return state["role"] if "role" in state else None  # noqa: SIM401 - no .get there
    except Exception:
        return None


def _session_manager() -> Any:
    """Streamlit's session manager, or None without a server (AppTest mocks the runtime)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return None
    manager = getattr(Runtime.instance(), "_session_mgr", None)
    return manager if hasattr(manager, "get_active_session_info") else None


def _active_session(session_id: str) -> Any:
    info = _session_manager().get_active_session_info(session_id)
    return info.session if info is not None else None


def may_send(message_type: str | None, role: str | None) -> bool:
    """Whether a session with this role (None: not signed in) may send this control
    message."""
    from storage.accounts import allowed

    if message_type in HARMLESS:
        return True
    if message_type in ADMIN_ONLY:
        return allowed(role, "quan_tri")
    return role is not None


def may_upload(session_id: str, incoming: int) -> str | None:
    """Why an upload into this session is refused, or None when it may go ahead."""
    from storage.accounts import allowed

    if _session_manager() is None:
        return None  # no server behind this upload (a test harness): nothing to guard
    session = _active_session(session_id)
    if session is None:
        return "no such session"
    if settings.flag("auth") and not allowed(_role_of_session(session), UPLOADER):
        return "session not signed in with an uploading role"
    held = _held_bytes(session_id)
    cap = settings.number("session_upload_mb") * 1024 * 1024
    if held + max(incoming, 0) > cap:
        return f"session holds {held} bytes of uploads (cap {cap})"
    return None


def _held_bytes(session_id: str) -> int:
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0
    manager = Runtime.instance().uploaded_file_mgr
    files = getattr(manager, "file_storage", {}).get(session_id, {})
    return sum(len(f.data) for f in files.values())


def signed_in_cookie(cookie_header: str | None) -> bool:
    """A request carrying a valid, unexpired, unrevoked sign-in cookie."""
    from http.cookies import SimpleCookie

    from storage import accounts
    from ui.auth import COOKIE, _oidc_configured
    from ui.session import cursor

    if not settings.flag("auth"):
        return True
    if _oidc_configured():
        # signed in through the organisation's provider: Streamlit's own signed cookie (its
        # signature is checked by Streamlit when the websocket opens, not here)
        return "_streamlit_user" in (cookie_header or "")
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except Exception:
        return False
    token = jar[COOKIE].value if COOKIE in jar else None
    return token is not None and accounts.session_info(cursor(), token) is not None


def refuse_foreign_page() -> None:
    """Stop this script run, drawing nothing, when the browser page behind it is not the
    app's own (a second fence behind the websocket check, for a server started with plain
    ``streamlit run``). A run with no request behind it (a test harness) goes on."""
    import streamlit as st

    try:
        headers = dict(st.context.headers)
    except Exception:
        return
    if not headers:
        return
    lowered = {k.lower(): v for k, v in headers.items()}
    if not own_origin(lowered.get("origin"), lowered.get("host")):
        log.warning("script run refused: foreign origin %r", lowered.get("origin"))
        st.stop()


# --- the patches ---------------------------------------------------------------------------
def install() -> None:
    """Patch Streamlit's websocket check, control messages, upload store and pages mode.
    Idempotent; safe to call on every script run."""
    if "runtime" in _installed:
        return
    from storage.database import owner_only
    from storage.logs import log_to_file

    owner_only()  # the server's logs, temporaries and the database's .wal: owner only
    log_to_file()  # warnings (a worker's panic, a refused request) to the log, not a terminal
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web.server.starlette import starlette_websocket

    starlette_websocket._is_origin_allowed = own_origin  # type: ignore[assignment]

    handle = AppSession.handle_backmsg

    def handle_backmsg(self: AppSession, msg: Any) -> None:
        kind = msg.WhichOneof("type")
        if not may_send(kind, _role_of_session(self)):
            log.warning("control message %s dropped: session %s may not send it", kind, self.id[:8])
            return
        handle(self, msg)

    AppSession.handle_backmsg = handle_backmsg  # type: ignore[method-assign]

    add_file = MemoryUploadedFileManager.add_file

    def guarded_add_file(self: Any, session_id: str, file: Any) -> None:
        why = may_upload(session_id, len(file.data))
        if why is not None:
            log.warning("upload refused: %s", why)
            raise PermissionError("upload refused")
        add_file(self, session_id, file)

    MemoryUploadedFileManager.add_file = guarded_add_file  # type: ignore[method-assign]
    # never run a page file by name without app.py (Streamlit's pages/ folder mode): that
    # mode sends every page's file name to the browser before anyone has signed in
    PagesManager.uses_pages_directory = False
    _installed.add("runtime")


class Gate:
    """ASGI middleware in front of Streamlit's routes: the HTTP doors."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            refusal = await self._refusal(scope)
            if refusal is not None:
                status, why = refusal
                log.warning("%s %s refused: %s", scope.get("method"), scope.get("path"), why)
                await send(
                    {
                        "type": "http.response.start",
                        "status": status,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                )
                await send({"type": "http.response.body", "body": b"Forbidden"})
                return
        await self.app(scope, receive, send)

    async def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        path: str = scope.get("path", "")
        headers = {
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])
        }
        if path.endswith("/_stcore/metrics"):
            return 404, "metrics are not served"
        if "/_stcore/upload_file/" in path and scope.get("method") in ("PUT", "DELETE"):
            if not own_origin(headers.get("origin"), headers.get("host")):
                return 403, f"upload from a foreign origin {headers.get('origin')!r}"
            if scope.get("method") == "DELETE":
                return None
            session_id = path.split("/_stcore/upload_file/", 1)[1].split("/", 1)[0]
            try:
                incoming = int(headers.get("content-length") or 0)
            except ValueError:
                return 400, "bad content-length"
            why = may_upload(session_id, incoming)
            return (403, why) if why is not None else None
        if "/media/" in path and settings.flag("auth") and not settings.flag("read_only"):
            cookie = headers.get("cookie")
            if not await asyncio.to_thread(signed_in_cookie, cookie):
                return 403, "media without a valid sign-in cookie"
        return None


def _install_middleware() -> None:
    if "middleware" in _installed:
        return
    from starlette.middleware import Middleware
    from streamlit.web.server.starlette import starlette_app

    build = starlette_app.create_streamlit_middleware

    def with_gate() -> list[Any]:
        return [Middleware(Gate), *build()]

    starlette_app.create_streamlit_middleware = with_gate  # type: ignore[assignment]
    _installed.add("middleware")


def main(argv: list[str] | None = None) -> None:
    """``python -m ui.gate run app.py [streamlit options]``: the dashboard with every door
    closed from its first request."""
    install()  # first: umask 077 for every file the server writes
    _install_middleware()
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *(argv if argv is not None else sys.argv[1:])]
    streamlit_main()


if __name__ == "__main__":
    from ui.gate import main as _main  # the importable module, not this __main__ copy

    _main()
