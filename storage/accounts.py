"""Accounts, roles and sign-in sessions. Passwords are stored as bcrypt hashes only; no
default password ships: the first admin comes from the first-start form or from
KPI_ADMIN_USER and KPI_ADMIN_PASSWORD. Roles nest: xem < nhap_lieu < quan_tri.

Guessing is slowed, never locked out: every failed attempt costs a bcrypt check and a short
pause, for known and unknown names alike, and after a few failures each further attempt for
that name, and from that client, waits a delay that doubles with every failure (up to a
minute). Nobody can lock another person out for long by typing wrong passwords in their
name, and the answer is the same whether the name exists or not. ``python -m cli account``
lifts an older version's lock, reactivates or resets an account.

A sign-in is a random token whose SHA-256 is stored; signing out, a password change or a
reset revokes it on the server, and it lasts a working day."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import secrets
import threading
import time
import unicodedata
from functools import lru_cache
from pathlib import Path

import bcrypt
import duckdb
import pandas as pd

from core import settings
from core.errors import BadInput
from core.type_enums import Role
from storage import audit
from storage.database import one, scalar, transaction

ROLES = {r.value: r.label for r in Role}  # one vocabulary: core.type_enums.Role
RANK = {r.value: r.rank for r in Role}
MIN_PASSWORD = 10
FREE_TRIES = 3  # failures before any wait
FIRST_WAIT = 2.0  # seconds after the first failure beyond the free ones, then doubled
NAME_CAP = 30.0  # the longest wait for one name: an aimed «lock» costs its owner seconds
CLIENT_CAP = 60.0  # the longest wait for one client (address) guessing many names
SESSION = dt.timedelta(hours=10)  # a working day; then sign in again
FAILURE_PAUSE = 0.5  # seconds added to every failed attempt
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")
# compared against for unknown names, so they cost the same bcrypt work as known ones
_DUMMY_HASH = bcrypt.hashpw(b"khong-phai-mat-khau", bcrypt.gensalt()).decode("ascii")


class AccountError(BadInput):
    pass


def wait_after(failures: int, cap: float) -> float:
    """Seconds to wait before the next attempt after this many failures in a row."""
    if failures < FREE_TRIES:
        return 0.0
    return min(FIRST_WAIT * 2 ** (failures - FREE_TRIES), cap)


class Throttle:
    """Failures per key («ten:NAME», «may:ADDRESS») in this process, with the time of the
    last one. Kept in memory: a wait lasts a minute at most, so there is nothing to keep
    over a restart, and a wrong password never costs a database write."""

    LIMIT = 10_000  # keys kept; a flood of made-up names cannot grow it without bound

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[int, dt.datetime]] = {}

    def left(self, key: str, now: dt.datetime, cap: float) -> float:
        with self._lock:
            failures, last = self._seen.get(key, (0, now))
        wait = wait_after(failures, cap)
        return max(0.0, (last + dt.timedelta(seconds=wait) - now).total_seconds())

    def failed(self, key: str, now: dt.datetime) -> None:
        with self._lock:
            if len(self._seen) >= self.LIMIT:
                oldest = sorted(self._seen, key=lambda k: self._seen[k][1])
                for k in oldest[: self.LIMIT // 2]:
                    del self._seen[k]
            failures = self._seen.get(key, (0, now))[0]
            self._seen[key] = (failures + 1, now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)


THROTTLE = Throttle()


def _keys(name: str, client: str | None) -> list[tuple[str, float]]:
    keys = [(f"ten:{name}", NAME_CAP)]
    if client:
        keys.append((f"may:{client}", CLIENT_CAP))
    return keys


def allowed(role: str | None, needed: str) -> bool:
    return role in RANK and RANK[role] >= RANK[needed]


def has_accounts(con: duckdb.DuckDBPyConnection) -> bool:
    return scalar(con, "SELECT count(*) FROM tai_khoan WHERE hoat_dong") > 0


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def create(
    con: duckdb.DuckDBPyConnection,
    username: str,
    name: str,
    role: str,
    password: str | None,
    by: str,
    commune: str | None = None,
) -> None:
    """A new account; password None for an OpenID Connect account (the provider checks).
    ``commune`` ties it to one commune (it sees and uploads only that one); None is the
    province's view of every commune."""
    username = username.strip().lower()
    if not re.fullmatch(r"[a-z0-9_.@-]{3,64}", username):
        raise AccountError("Tên đăng nhập 3–64 ký tự: chữ không dấu, số, dấu chấm, gạch dưới, @.")
    if role not in ROLES:
        raise AccountError(f"Vai trò «{role}» không có; chọn {', '.join(ROLES)}.")
    if password is not None:
        check_password(username, password)
    if not name.strip():
        raise AccountError("Cần nhập họ tên người dùng.")
    commune = _commune_scope(role, commune)
    with transaction(con):
        if one(con, "SELECT 1 FROM tai_khoan WHERE ten_dang_nhap = ?", [username]):
            raise AccountError(f"Tài khoản «{username}» đã có.")
        con.execute(
            "INSERT INTO tai_khoan (ten_dang_nhap, ho_ten, vai_tro, mat_khau_bam, "
            "tao_luc, tao_boi, hoat_dong, xa) VALUES (?, ?, ?, ?, ?, ?, TRUE, ?)",
            [
                username,
                name.strip(),
                role,
                hash_password(password) if password is not None else None,
                dt.datetime.now(),
                by,
                commune,
            ],
        )
        audit.record(
            con,
            by,
            "tai_khoan",
            username,
            f"Tạo tài khoản, vai trò «{ROLES[role]}», "
            + (f"chỉ xã «{commune}»" if commune else "mọi xã"),
        )


def _commune_scope(role: str, commune: str | None) -> str | None:
    commune = (commune or "").strip() or None
    if commune and role == "quan_tri":
        # an admin manages every account and target: tying one to a commune would be a
        # boundary it could cross by editing its own account
        raise AccountError("Tài khoản quản trị dùng cho mọi xã; không gắn với một xã.")
    return commune


def commune_of(con: duckdb.DuckDBPyConnection, username: str | None) -> str | None:
    """The commune an account is tied to, or None when it sees every commune."""
    if not username:
        return None
    row = one(con, "SELECT xa FROM tai_khoan WHERE ten_dang_nhap = ?", [username.strip().lower()])
    return row[0] if row else None


def set_commune(
    con: duckdb.DuckDBPyConnection, username: str, commune: str | None, by: str
) -> None:
    name = username.strip().lower()
    role = role_of(con, name)
    if role is None:
        raise AccountError(f"Không có tài khoản «{name}».")
    commune = _commune_scope(role, commune)
    with transaction(con):
        con.execute("UPDATE tai_khoan SET xa = ? WHERE ten_dang_nhap = ?", [commune, name])
        _revoke_all(con, name)  # a narrowed account signs in again under its new scope
        audit.record(
            con,
            by,
            "tai_khoan",
            name,
            f"Phạm vi: chỉ xã «{commune}»" if commune else "Phạm vi: mọi xã",
        )


def set_role(con: duckdb.DuckDBPyConnection, username: str, role: str, by: str) -> None:
    if role not in ROLES:
        raise AccountError(f"Vai trò «{role}» không có.")
    _commune_scope(role, commune_of(con, username))
    with transaction(con):
        con.execute("UPDATE tai_khoan SET vai_tro = ? WHERE ten_dang_nhap = ?", [role, username])
        _revoke_all(con, username)  # the next sign-in carries the new role
        audit.record(con, by, "tai_khoan", username, f"Đổi vai trò thành «{ROLES[role]}»")


def deactivate(con: duckdb.DuckDBPyConnection, username: str, by: str) -> None:
    with transaction(con):
        admins = scalar(
            con,
            "SELECT count(*) FROM tai_khoan WHERE hoat_dong AND vai_tro = "
            "'quan_tri' AND ten_dang_nhap <> ?",
            [username],
        )
        if admins == 0:
            raise AccountError("Không thể khóa quản trị cuối cùng.")
        con.execute("UPDATE tai_khoan SET hoat_dong = FALSE WHERE ten_dang_nhap = ?", [username])
        _revoke_all(con, username)
        audit.record(con, by, "tai_khoan", username, {"hoat_dong": False})


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(_fold(x) for x in lines if x.strip() and not x.startswith("#"))


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold().replace(" ", "")


def check_password(username: str, password: str) -> None:
    """At least 10 characters, not the user name, not a common or trivial password."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
    folded = _fold(password)
    if folded == _fold(username.strip()) or (
        _fold(username.strip()) in folded and len(folded) - len(_fold(username.strip())) < 4
    ):
        raise AccountError("Mật khẩu không được giống tên đăng nhập.")
    if (
        folded in _common()
        or len(set(folded)) <= 2
        or folded in "01234567890123456789"
        or folded in "abcdefghijklmnopqrstuvwxyz"
    ):
        raise AccountError(
            "Mật khẩu quá phổ biến hoặc quá đơn giản, dễ bị đoán; hãy chọn "
            "một cụm từ dài hơn mà chỉ bạn biết."
        )


def verify(con: duckdb.DuckDBPyConnection, username: str, password: str) -> str | None:
    """The account's role when the password matches, else None (no lockout bookkeeping;
    sign-in goes through :func:`sign_in`)."""
    row = one(
        con,
        "SELECT mat_khau_bam, vai_tro FROM tai_khoan WHERE ten_dang_nhap = ? AND hoat_dong",
        [username.strip().lower()],
    )
    stored = row[0] if row and row[0] else _DUMMY_HASH
    ok = bcrypt.checkpw(password.encode("utf-8"), stored.encode("ascii"))
    return row[1] if ok and row and row[0] else None


def sign_in(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    now: dt.datetime | None = None,
    client: str | None = None,
) -> str:
    """A new sign-in token for the account, or AccountError. The same work, the same answers
    and the same waits for an unknown name as for a known one; ``client`` (the browser's
    address) is slowed on its own as well."""
    now = now or dt.datetime.now()
    name = username.strip().lower()
    checked = verify_slowed(con, name, password, now, client)
    if checked is None:
        raise AccountError("Sai tên đăng nhập hoặc mật khẩu.")
    token = secrets.token_urlsafe(32)
    with transaction(con):
        con.execute(
            "UPDATE tai_khoan SET so_lan_sai = 0, khoa_den = NULL WHERE ten_dang_nhap = ?", [name]
        )
        con.execute(
            "INSERT INTO phien_dang_nhap VALUES (?, ?, ?, ?, NULL)",
            [_digest(token), name, now, now + SESSION],
        )
    return token


def verify_slowed(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    now: dt.datetime | None = None,
    client: str | None = None,
) -> str | None:
    """:func:`verify` behind the growing waits: AccountError while this name or client must
    wait; the role when the password matches; None (after the pause) when it does not."""
    now = now or dt.datetime.now()
    name = username.strip().lower()
    keys = _keys(name, client)
    left = max(THROTTLE.left(key, now, cap) for key, cap in keys)
    if left > 0:
        time.sleep(FAILURE_PAUSE)
        raise AccountError(f"Đã nhập sai nhiều lần: đợi {math.ceil(left)} giây rồi thử lại.")
    role = verify(con, name, password)
    if role is None:
        for key, _ in keys:
            THROTTLE.failed(key, now)
        time.sleep(FAILURE_PAUSE)
        return None
    for key, _ in keys:
        THROTTLE.clear(key)
    return role


def unlock(con: duckdb.DuckDBPyConnection, username: str, by: str) -> None:
    """Reactivate an account and lift any wait or old lock on it (the command line's
    «account unlock»)."""
    name = username.strip().lower()
    with transaction(con):
        found = con.execute(
            "UPDATE tai_khoan SET hoat_dong = TRUE, so_lan_sai = 0, "
            "khoa_den = NULL WHERE ten_dang_nhap = ? RETURNING 1",
            [name],
        ).fetchall()
        if not found:
            raise AccountError(f"Không có tài khoản «{name}».")
        audit.record(con, by, "tai_khoan", name, "Mở khóa tài khoản (dòng lệnh)")
    THROTTLE.clear(f"ten:{name}")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", errors="replace")).hexdigest()


def session_user(
    con: duckdb.DuckDBPyConnection, token: str | None, now: dt.datetime | None = None
) -> str | None:
    """The account a sign-in token belongs to, while it is neither expired nor revoked."""
    if not isinstance(token, str) or not token:
        return None
    row = one(
        con,
        "SELECT p.ten_dang_nhap FROM phien_dang_nhap p JOIN tai_khoan t "
        "USING (ten_dang_nhap) WHERE p.token_bam = ? AND p.thu_hoi_luc IS NULL "
        "AND p.het_han > ? AND t.hoat_dong",
        [_digest(token), now or dt.datetime.now()],
    )
    return row[0] if row else None


def session_info(
    con: duckdb.DuckDBPyConnection, token: str | None, now: dt.datetime | None = None
) -> tuple[str, str, bool] | None:
    """(user name, role, must change password) of a valid sign-in token, in one query:
    every page view of a signed-in user asks this."""
    if not isinstance(token, str) or not token:
        return None
    row = one(
        con,
        "SELECT t.ten_dang_nhap, t.vai_tro, coalesce(t.phai_doi_mat_khau, FALSE) "
        "FROM phien_dang_nhap p JOIN tai_khoan t USING (ten_dang_nhap) "
        "WHERE p.token_bam = ? AND p.thu_hoi_luc IS NULL AND p.het_han > ? "
        "AND t.hoat_dong",
        [_digest(token), now or dt.datetime.now()],
    )
    return (row[0], row[1], bool(row[2])) if row else None


def sign_out(con: duckdb.DuckDBPyConnection, token: str | None) -> None:
    if token:
        with transaction(con):
            con.execute(
                "UPDATE phien_dang_nhap SET thu_hoi_luc = ? WHERE token_bam = ?",
                [dt.datetime.now(), _digest(token)],
            )


def _revoke_all(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute(
        "UPDATE phien_dang_nhap SET thu_hoi_luc = ? WHERE ten_dang_nhap = ? "
        "AND thu_hoi_luc IS NULL",
        [dt.datetime.now(), name],
    )


def must_change_password(con: duckdb.DuckDBPyConnection, username: str) -> bool:
    row = one(
        con,
        "SELECT phai_doi_mat_khau FROM tai_khoan WHERE ten_dang_nhap = ?",
        [username.strip().lower()],
    )
    return bool(row and row[0])


def change_password(con: duckdb.DuckDBPyConnection, username: str, old: str, new: str) -> str:
    """The user's own change: the old password is checked, every other sign-in revoked.
    Returns a fresh token for this browser."""
    name = username.strip().lower()
    if verify(con, name, old) is None:
        time.sleep(FAILURE_PAUSE)
        raise AccountError("Mật khẩu hiện tại không đúng.")
    check_password(name, new)
    if new == old:
        raise AccountError("Mật khẩu mới phải khác mật khẩu hiện tại.")
    token = secrets.token_urlsafe(32)
    now = dt.datetime.now()
    with transaction(con):
        con.execute(
            "UPDATE tai_khoan SET mat_khau_bam = ?, phai_doi_mat_khau = FALSE "
            "WHERE ten_dang_nhap = ?",
            [hash_password(new), name],
        )
        _revoke_all(con, name)
        con.execute(
            "INSERT INTO phien_dang_nhap VALUES (?, ?, ?, ?, NULL)",
            [_digest(token), name, now, now + SESSION],
        )
        audit.record(con, name, "tai_khoan", name, "Đổi mật khẩu")
    return token


def reset_password(con: duckdb.DuckDBPyConnection, username: str, by: str) -> str:
    """An admin's reset: a temporary password (shown once) that must be changed at the next
    sign-in; the account's sign-ins are revoked and a lockout lifted."""
    name = username.strip().lower()
    temporary = "-".join(secrets.token_hex(3) for _ in range(3))
    with transaction(con):
        found = con.execute(
            "UPDATE tai_khoan SET mat_khau_bam = ?, phai_doi_mat_khau = TRUE, "
            "so_lan_sai = 0, khoa_den = NULL WHERE ten_dang_nhap = ? "
            "RETURNING 1",
            [hash_password(temporary), name],
        ).fetchall()
        if not found:
            raise AccountError(f"Không có tài khoản «{name}».")
        _revoke_all(con, name)
        audit.record(
            con, by, "tai_khoan", name, "Đặt lại mật khẩu (người dùng phải đổi khi đăng nhập)"
        )
    return temporary


def role_of(con: duckdb.DuckDBPyConnection, username: str | None) -> str | None:
    if not username:
        return None
    row = one(
        con,
        "SELECT vai_tro FROM tai_khoan WHERE ten_dang_nhap = ? AND hoat_dong",
        [username.strip().lower()],
    )
    return row[0] if row else None


def listing(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT ten_dang_nhap, ho_ten, vai_tro, coalesce(xa, 'Mọi xã') AS xa, "
        "hoat_dong, tao_luc, tao_boi FROM tai_khoan ORDER BY ten_dang_nhap"
    ).df()


def bootstrap_from_env(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the first admin from KPI_ADMIN_USER / KPI_ADMIN_PASSWORD when none exists."""
    user, password = settings.text("admin_user"), settings.text("admin_password")
    if not user or not password or has_accounts(con):
        return False
    create(con, user, user, "quan_tri", password, by="cai_dat")
    return True
