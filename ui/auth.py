"""Who is using this session, and what they may do. Checked on the server: the sign-in
token and the role are read from the database on every run (so signing out, a password
change, a reset or a role change takes effect at once), pages are offered by role, and
every page calls require() before drawing anything."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from core import settings
from core.errors import UserError
from core.text import plain_markdown
from storage import accounts
from storage import scope as commune_scope
from storage.areas import home_commune, set_home_commune
from ui.session import cursor, scope

COOKIE = "kpi_xa_phien"


def _oidc_configured() -> bool:
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # no secrets.toml at all
        return False


def _set_cookie(token: str | None) -> None:
    """The browser keeps the sign-in token for a working day (None deletes it). The cookie
    holds only a random token: the server decides on every run whether it is still valid."""
    import extra_streamlit_components as stx

    manager = stx.CookieManager(key="kpi_xa_cookie")
    if token is None:
        if _cookie() is not None:
            # the manager only deletes what its own first read saw; this run's read may
            # not have come back yet
            manager.cookies.setdefault(COOKIE, "")
            manager.delete(COOKIE, key="kpi_xa_cookie_xoa")
    else:
        st.session_state.pop("cookie_pending", None)
        st.session_state["cookie_pending"] = (token, dt.datetime.now() + accounts.SESSION)
        _keep_setting_cookie(manager)


def _keep_setting_cookie(manager=None) -> None:
    """Draw the cookie writer again on the runs after sign-in, with the same key and
    arguments, until the browser reports the cookie. The cookie reader's answer reruns the
    script at once; a writer not drawn in that run was removed before it could write, and
    the next refresh asked for the password again."""
    pending = st.session_state.get("cookie_pending")
    if not pending:
        return
    import extra_streamlit_components as stx

    token, expires = pending
    manager = manager or stx.CookieManager(key="kpi_xa_cookie")
    if manager.get(COOKIE) == token:
        st.session_state.pop("cookie_pending", None)  # the browser has it
        return
    manager.set(COOKIE, token, key="kpi_xa_cookie_dat", same_site="strict", expires_at=expires)


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser request behind this run (a test harness)
        return None
    return value if isinstance(value, str) else None


def sign_in() -> tuple[str, str] | None:
    """(username, role) of this session, or None after drawing the sign-in screen."""
    con = cursor()
    if settings.flag("read_only"):
        return _read_only(con)
    if not settings.number("auth"):
        return settings.current_user(), "quan_tri"  # single-user desktop install
    if _oidc_configured():
        return _oidc(con)
    token = st.session_state.get("phien") or _cookie()
    # a signed-in view costs one query; the rest only for the sign-in itself
    info = accounts.session_info(con, token)
    if info is None:
        accounts.bootstrap_from_env(con)
        if not accounts.has_accounts(con):
            _first_admin(con)
            return None
        st.session_state.pop("phien", None)
        username = _form(con)
        if username is None:
            return None
        role = accounts.role_of(con, username)
        must_change = accounts.must_change_password(con, username)
    else:
        username, role, must_change = info
        _keep_setting_cookie()
    if role is None:
        st.error("Tài khoản đã bị khóa. Liên hệ quản trị.")
        return None
    if must_change:
        _change_password(con, username, first=True)
        return None
    with st.sidebar:
        st.caption(f"👤 {username} · {accounts.ROLES[role]}")
        leaving = st.button("Đăng xuất", key="dang_xuat")
        if not leaving:
            with st.expander("Đổi mật khẩu"):
                _change_password(con, username, first=False)
    if leaving:
        accounts.sign_out(con, st.session_state.pop("phien", None) or token)
        _set_cookie(None)
        st.session_state["da_dang_xuat"] = True
        _form(con)
        return None
    return username, role


def _read_only(con) -> tuple[str, str] | None:
    """A copy served for viewing: nothing can be written, so a sign-in is checked against
    the copy's accounts and kept in this browser tab only (no session row, no cookie), and
    every account views ("xem") whatever its role."""
    if not settings.flag("auth"):
        return settings.current_user(), "xem"
    username = st.session_state.get("chi_xem")
    if username is None:
        st.title("kpi-xa — Đăng nhập (chế độ chỉ xem)")
        typed = _credentials("dang_nhap_chi_xem")
        if typed is None:
            return None
        name, password = typed
        try:
            found = accounts.verify_slowed(con, name, password, client=_client())
        except accounts.AccountError as exc:
            st.error(str(exc))
            return None
        if found is None:
            st.error("Sai tên đăng nhập hoặc mật khẩu.")
            return None
        username = st.session_state["chi_xem"] = name.strip().lower()
        st.rerun()
    with st.sidebar:
        st.caption(f"👤 {username} · chế độ chỉ xem")
        if st.button("Đăng xuất", key="dang_xuat_chi_xem"):
            st.session_state.pop("chi_xem", None)
            st.rerun()
    return username, "xem"


def _client() -> str | None:
    """The browser's address, so that one machine guessing many names is slowed too."""
    try:
        return st.context.ip_address
    except Exception:
        return None


def _credentials(form_key: str) -> tuple[str, str] | None:
    """The sign-in form's two fields, once submitted."""
    with st.form(form_key):
        username = st.text_input("Tên đăng nhập")
        password = st.text_input("Mật khẩu", type="password")
        submitted = st.form_submit_button("Đăng nhập", type="primary")
    return (username, password) if submitted else None


def _form(con) -> str | None:
    """The sign-in form; the user name once the password is right (and the cookie set)."""
    box = st.empty()
    with box.container():
        st.title("kpi-xa — Đăng nhập")
        if st.session_state.get("da_dang_xuat"):  # kept over the cookie component's rerun
            st.info("Đã đăng xuất.")
        if first := st.session_state.get("first_admin_note"):
            st.success(
                f"Đã tạo tài khoản quản trị «{first}». Đăng nhập bằng tài khoản này để bắt đầu."
            )
        typed = _credentials("dang_nhap")
        if typed is None:
            return None
        username, password = typed
        try:
            token = accounts.sign_in(con, username, password, client=_client())
        except accounts.AccountError as exc:
            st.error(str(exc))
            return None
    box.empty()
    st.session_state.pop("da_dang_xuat", None)
    st.session_state.pop("first_admin_note", None)
    st.session_state["phien"] = token
    _set_cookie(token)
    return username.strip().lower()


def _change_password(con, username: str, *, first: bool) -> None:
    if first:
        st.title("kpi-xa — Đổi mật khẩu")
        st.info(
            "Mật khẩu của bạn vừa được quản trị đặt lại. Hãy đặt mật khẩu mới (ít nhất "
            f"{accounts.MIN_PASSWORD} ký tự) trước khi tiếp tục."
        )
    with st.form("doi_mat_khau" if first else "doi_mat_khau_thanh_ben"):
        old = st.text_input("Mật khẩu hiện tại", type="password")
        new = st.text_input("Mật khẩu mới", type="password")
        again = st.text_input("Nhập lại mật khẩu mới", type="password")
        if not st.form_submit_button("Đổi mật khẩu", type="primary" if first else "secondary"):
            return
    if new != again:
        st.error("Hai lần nhập mật khẩu mới không khớp.")
        return
    try:
        token = accounts.change_password(con, username, old, new)
    except accounts.AccountError as exc:
        st.error(str(exc))
        return
    st.session_state["phien"] = token  # every other sign-in of this account is revoked
    _set_cookie(token)
    st.success("Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản này đã bị đăng xuất.")
    if first:
        st.rerun()


def _oidc(con) -> tuple[str, str] | None:
    if not st.user.is_logged_in:
        st.title("kpi-xa — Đăng nhập")
        st.button("Đăng nhập bằng tài khoản của cơ quan", on_click=st.login, type="primary")
        return None
    email = str(st.user.get("email", "")).lower()
    role = accounts.role_of(con, email)
    if role is None:
        st.error(f"Tài khoản {plain_markdown(email)} chưa được quản trị cấp quyền trong kpi-xa.")
        st.button("Đăng xuất", on_click=st.logout)
        return None
    with st.sidebar:
        st.caption(f"👤 {email} · {accounts.ROLES[role]}")
        st.button("Đăng xuất", on_click=st.logout)
    return email, role


def _first_admin(con) -> None:
    st.title("kpi-xa — Tạo tài khoản quản trị đầu tiên")
    st.write(
        "Chưa có tài khoản nào. Tạo tài khoản quản trị để bắt đầu; quản trị sẽ tạo tài "
        "khoản cho các thành viên khác."
    )
    with st.form("quan_tri_dau_tien"):
        username = st.text_input("Tên đăng nhập")
        name = st.text_input("Họ tên")
        password = st.text_input("Mật khẩu", type="password")
        again = st.text_input("Nhập lại mật khẩu", type="password")
        commune = st.text_input(
            "Xã của bảng điều khiển",
            value=home_commune(con),
            placeholder="Ví dụ: Xã Diễn Châu (có thể đặt sau ở trang Quản trị)",
            help="Tệp tải lên không ghi tên xã sẽ được tính cho xã này; tệp của xã khác phải "
            "được xác nhận trước khi nhập.",
        )
        if st.form_submit_button("Tạo tài khoản", type="primary"):
            if password != again:
                st.error("Hai lần nhập mật khẩu không khớp.")
                return
            try:
                accounts.create(con, username, name, "quan_tri", password, by=username or "?")
                if commune.strip() and commune.strip() != home_commune(con):
                    set_home_commune(con, commune, by=username.strip().lower())
            except UserError as exc:
                st.error(str(exc))
                return
            st.session_state["first_admin_note"] = username.strip().lower()
            st.rerun()


def _before_any_navigation() -> bool:
    return bool(PagesManager.uses_pages_directory)


def require(needed: str) -> str:
    """Stop the page before it draws anything unless this session is signed in with a role
    that allows it. Every page calls this first: a page file run directly (by name, before
    any navigation exists) draws only the refusal. The role is read from the database again,
    so a revoked account stops at once. Returns the user name."""
    role = st.session_state.get("role")
    username = st.session_state.get("username")
    if role is None:
        if _before_any_navigation():
            # Right after a restart, Streamlit runs a page asked for by name (a bookmark, a
            # refresh) without app.py until some session has built the navigation. Turn that
            # off and run again: app.py then asks for the sign-in and opens this same page.
            PagesManager.uses_pages_directory = False
            st.rerun()
        st.error("Cần đăng nhập để xem trang này. Mở trang chủ để đăng nhập.")
        st.stop()
    if settings.flag("read_only"):
        role = "xem"  # a copy for viewing: no page that writes
    elif settings.number("auth") and not _oidc_configured():
        role = accounts.role_of(cursor(), username)
    if not accounts.allowed(role, needed):
        st.error(f"Bạn không có quyền dùng trang này (cần vai trò «{accounts.ROLES[needed]}»).")
        st.stop()
    # the commune wall for everything this run reads or writes below (storage.scope)
    commune_scope.act_as(scope())
    return username or settings.current_user()
