"""Who is using this session, and what they may do. Checked on the server: the role is
read from the database on every run, pages are offered by role, and every page that
changes data calls require() before drawing anything."""

from __future__ import annotations

import streamlit as st

from core import settings
from storage import accounts
from ui.session import cursor

FIELDS = {"Form name": "Đăng nhập", "Username": "Tên đăng nhập", "Password": "Mật khẩu",
          "Login": "Đăng nhập", "Captcha": "Mã xác nhận"}


def _oidc_configured() -> bool:
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # no secrets.toml at all
        return False


def sign_in() -> tuple[str, str] | None:
    """(username, role) of this session, or None after drawing the sign-in screen."""
    con = cursor()
    if not settings.number("auth"):
        return settings.current_user(), "quan_tri"  # single-user desktop install
    if _oidc_configured():
        return _oidc(con)
    accounts.bootstrap_from_env(con)
    if not accounts.has_accounts(con):
        _first_admin(con)
        return None
    import streamlit_authenticator as stauth
    from streamlit_authenticator.utilities import LoginError

    auth = stauth.Authenticate(accounts.credentials(con), "kpi_xa_dang_nhap",
                               accounts.cookie_key(con), 7, auto_hash=False)
    heading = st.empty()
    if not st.session_state.get("authentication_status"):
        heading.title("kpi-xa — Đăng nhập")
    try:
        auth.login(location="main", fields=FIELDS, key="dang_nhap")
    except LoginError:
        st.error("Không đăng nhập được: tài khoản bị khóa hoặc đăng nhập sai quá nhiều lần. "
                 "Liên hệ quản trị.")
        return None
    status = st.session_state.get("authentication_status")
    if status:
        heading.empty()
        username = st.session_state["username"]
        role = accounts.role_of(con, username)  # fresh from the database, not the cookie
        if role is None:
            st.error("Tài khoản đã bị khóa. Liên hệ quản trị.")
            return None
        with st.sidebar:
            st.caption(f"👤 {st.session_state.get('name') or username} · "
                       f"{accounts.ROLES[role]}")
            auth.logout("Đăng xuất", location="sidebar", key="dang_xuat")
        return username, role
    if status is False:
        st.error("Sai tên đăng nhập hoặc mật khẩu.")
    return None


def _oidc(con) -> tuple[str, str] | None:
    if not st.user.is_logged_in:
        st.title("kpi-xa — Đăng nhập")
        st.button("Đăng nhập bằng tài khoản của cơ quan", on_click=st.login, type="primary")
        return None
    email = str(st.user.get("email", "")).lower()
    role = accounts.role_of(con, email)
    if role is None:
        st.error(f"Tài khoản {email} chưa được quản trị cấp quyền trong kpi-xa.")
        st.button("Đăng xuất", on_click=st.logout)
        return None
    with st.sidebar:
        st.caption(f"👤 {email} · {accounts.ROLES[role]}")
        st.button("Đăng xuất", on_click=st.logout)
    return email, role


def _first_admin(con) -> None:
    st.title("kpi-xa — Tạo tài khoản quản trị đầu tiên")
    st.write("Chưa có tài khoản nào. Tạo tài khoản quản trị để bắt đầu; quản trị sẽ tạo tài "
             "khoản cho các thành viên khác. (Có thể đặt sẵn bằng biến KPI_ADMIN_USER và "
             "KPI_ADMIN_PASSWORD.)")
    with st.form("quan_tri_dau_tien"):
        username = st.text_input("Tên đăng nhập")
        name = st.text_input("Họ tên")
        password = st.text_input("Mật khẩu", type="password")
        again = st.text_input("Nhập lại mật khẩu", type="password")
        if st.form_submit_button("Tạo tài khoản", type="primary"):
            if password != again:
                st.error("Hai lần nhập mật khẩu không khớp.")
                return
            try:
                accounts.create(con, username, name, "quan_tri", password, by=username or "?")
            except accounts.AccountError as exc:
                st.error(str(exc))
                return
            st.session_state["first_admin_note"] = username
            st.rerun()


def require(needed: str) -> str:
    """Stop the page before it draws anything unless this session is signed in with a role
    that allows it. Every page calls this first: a page file run directly (by name, before
    any navigation exists) draws only the refusal. The role is read from the database again,
    so a revoked account stops at once. Returns the user name."""
    role = st.session_state.get("role")
    username = st.session_state.get("username")
    if role is None:
        st.error("Cần đăng nhập để xem trang này. Mở trang chủ để đăng nhập.")
        st.stop()
    if settings.number("auth") and not _oidc_configured():
        role = accounts.role_of(cursor(), username)
    if not accounts.allowed(role, needed):
        st.error(f"Bạn không có quyền dùng trang này (cần vai trò "
                 f"«{accounts.ROLES[needed]}»).")
        st.stop()
    return username or settings.current_user()
