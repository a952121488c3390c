"""Accounts and roles. Passwords are stored as bcrypt hashes only; no default password
ships: the first admin comes from the first-start form or from KPI_ADMIN_USER and
KPI_ADMIN_PASSWORD. Roles nest: xem < nhap_lieu < quan_tri."""

from __future__ import annotations

import datetime as dt
import re
import secrets

import bcrypt
import duckdb
import pandas as pd

from core import settings
from core.errors import BadInput
from storage import audit
from storage.database import one, scalar, transaction

ROLES = {"xem": "Xem (thành viên Ban Chỉ đạo)", "nhap_lieu": "Nhập liệu (cán bộ một cửa)",
         "quan_tri": "Quản trị"}
RANK = {"xem": 0, "nhap_lieu": 1, "quan_tri": 2}
MIN_PASSWORD = 8


class AccountError(BadInput):
    pass


def allowed(role: str | None, needed: str) -> bool:
    return role in RANK and RANK[role] >= RANK[needed]


def has_accounts(con: duckdb.DuckDBPyConnection) -> bool:
    return scalar(con, "SELECT count(*) FROM tai_khoan WHERE hoat_dong") > 0


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def create(con: duckdb.DuckDBPyConnection, username: str, name: str, role: str,
           password: str | None, by: str) -> None:
    """A new account; password None for an OpenID Connect account (the provider checks)."""
    username = username.strip().lower()
    if not re.fullmatch(r"[a-z0-9_.@-]{3,64}", username):
        raise AccountError("Tên đăng nhập 3–64 ký tự: chữ không dấu, số, dấu chấm, gạch "
                           "dưới, @.")
    if role not in ROLES:
        raise AccountError(f"Vai trò «{role}» không có; chọn {', '.join(ROLES)}.")
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
    if not name.strip():
        raise AccountError("Cần nhập họ tên người dùng.")
    with transaction(con):
        if one(con, "SELECT 1 FROM tai_khoan WHERE ten_dang_nhap = ?", [username]):
            raise AccountError(f"Tài khoản «{username}» đã có.")
        con.execute("INSERT INTO tai_khoan VALUES (?, ?, ?, ?, ?, ?, TRUE)",
                    [username, name.strip(), role,
                     hash_password(password) if password is not None else None,
                     dt.datetime.now(), by])
        audit.record(con, by, "tai_khoan", username, {"tao": True, "vai_tro": role})


def set_role(con: duckdb.DuckDBPyConnection, username: str, role: str, by: str) -> None:
    if role not in ROLES:
        raise AccountError(f"Vai trò «{role}» không có.")
    with transaction(con):
        con.execute("UPDATE tai_khoan SET vai_tro = ? WHERE ten_dang_nhap = ?", [role, username])
        audit.record(con, by, "tai_khoan", username, {"vai_tro": role})


def deactivate(con: duckdb.DuckDBPyConnection, username: str, by: str) -> None:
    with transaction(con):
        admins = scalar(con, "SELECT count(*) FROM tai_khoan WHERE hoat_dong AND vai_tro = "
                             "'quan_tri' AND ten_dang_nhap <> ?", [username])
        if admins == 0:
            raise AccountError("Không thể khóa quản trị cuối cùng.")
        con.execute("UPDATE tai_khoan SET hoat_dong = FALSE WHERE ten_dang_nhap = ?",
                    [username])
        audit.record(con, by, "tai_khoan", username, {"hoat_dong": False})


def verify(con: duckdb.DuckDBPyConnection, username: str, password: str) -> str | None:
    """The account's role when the password matches, else None."""
    row = one(con, "SELECT mat_khau_bam, vai_tro FROM tai_khoan WHERE ten_dang_nhap = ? "
                   "AND hoat_dong", [username.strip().lower()])
    if not row or not row[0]:
        return None
    return row[1] if bcrypt.checkpw(password.encode("utf-8"), row[0].encode("ascii")) else None


def role_of(con: duckdb.DuckDBPyConnection, username: str | None) -> str | None:
    if not username:
        return None
    row = one(con, "SELECT vai_tro FROM tai_khoan WHERE ten_dang_nhap = ? AND hoat_dong",
              [username.strip().lower()])
    return row[0] if row else None


def listing(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT ten_dang_nhap, ho_ten, vai_tro, hoat_dong, tao_luc, tao_boi "
                       "FROM tai_khoan ORDER BY ten_dang_nhap").df()


def credentials(con: duckdb.DuckDBPyConnection) -> dict:
    """The accounts in the form streamlit-authenticator reads (hashes only)."""
    rows = con.execute("SELECT ten_dang_nhap, ho_ten, vai_tro, mat_khau_bam FROM tai_khoan "
                       "WHERE hoat_dong AND mat_khau_bam IS NOT NULL").fetchall()
    return {"usernames": {u: {"name": n, "first_name": n, "last_name": "", "email": "",
                              "password": h, "roles": [r], "failed_login_attempts": 0,
                              "logged_in": False}
                          for u, n, r, h in rows}}


def cookie_key(con: duckdb.DuckDBPyConnection) -> str:
    """A random secret made at first start, kept in the database (never in the code)."""
    row = one(con, "SELECT gia_tri FROM cau_hinh WHERE khoa = 'cookie_key'")
    if row:
        return row[0]
    key = secrets.token_hex(32)
    con.execute("INSERT INTO cau_hinh VALUES ('cookie_key', ?) ON CONFLICT DO NOTHING", [key])
    return scalar(con, "SELECT gia_tri FROM cau_hinh WHERE khoa = 'cookie_key'")


def bootstrap_from_env(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the first admin from KPI_ADMIN_USER / KPI_ADMIN_PASSWORD when none exists."""
    user, password = settings.text("admin_user"), settings.text("admin_password")
    if has_accounts(con) or not user or not password:
        return False
    create(con, user, user, "quan_tri", password, by="cai_dat")
    return True
