"""Accounts that resist guessing and theft: lockout, the same work for unknown names,
password rules, change and reset, sign-ins revoked on the server, nothing in the database
(or a backup of it) that can be turned into a working cookie."""

from __future__ import annotations

import datetime as dt

import bcrypt
import pytest

from storage import accounts
from storage.audit import trail

NOW = dt.datetime(2026, 11, 22, 9, 0)


@pytest.fixture(autouse=True)
def no_pause(monkeypatch):
    monkeypatch.setattr(accounts, "FAILURE_PAUSE", 0)


@pytest.fixture
def canbo(con):
    accounts.create(con, "canbo", "Cán bộ", "nhap_lieu", "mat-khau-can-bo", by="quantri")
    return con


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(canbo):
    for n in range(5):
        with pytest.raises(accounts.AccountError, match="Sai tên đăng nhập"):
            accounts.sign_in(canbo, "canbo", f"doan-thu-{n}", now=NOW)
    with pytest.raises(accounts.AccountError, match="tạm khóa đến 09:15"):
        accounts.sign_in(canbo, "canbo", "mat-khau-can-bo", now=NOW + dt.timedelta(minutes=1))
    assert "Tạm khóa 15 phút sau 5 lần nhập sai" in trail(canbo)["chi_tiet"].iloc[0]
    token = accounts.sign_in(canbo, "canbo", "mat-khau-can-bo",
                             now=NOW + dt.timedelta(minutes=16))
    assert accounts.session_user(canbo, token, now=NOW + dt.timedelta(minutes=17)) == "canbo"


def test_an_unknown_name_costs_a_bcrypt_check_like_a_known_one(canbo, monkeypatch):
    calls = []
    real = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda p, h: calls.append(1) or real(p, h))
    for name in ("canbo", "khong_co_ai"):
        with pytest.raises(accounts.AccountError, match=r"^Sai tên đăng nhập hoặc mật khẩu\.$"):
            accounts.sign_in(canbo, name, "sai-mat-khau-roi")
    assert len(calls) == 2


@pytest.mark.parametrize("password, reason", [
    ("ngan-qua", "ít nhất 10"),
    ("password123", "phổ biến"),
    ("Mật khẩu 123", "phổ biến"),  # «matkhau123» once the diacritics and spaces go
    ("aaaaaaaaaaaa", "đơn giản"),
    ("1234567890", "phổ biến"),
    ("nguyenvana1", "giống tên đăng nhập"),
])
def test_weak_passwords_are_refused(con, password, reason):
    with pytest.raises(accounts.AccountError, match=reason):
        accounts.create(con, "nguyenvana", "Nguyễn Văn A", "xem", password, by="quantri")


def test_signing_out_revokes_the_token_on_the_server(canbo):
    token = accounts.sign_in(canbo, "canbo", "mat-khau-can-bo")
    accounts.sign_out(canbo, token)
    assert accounts.session_user(canbo, token) is None


def test_a_sign_in_lasts_a_working_day(canbo):
    token = accounts.sign_in(canbo, "canbo", "mat-khau-can-bo", now=NOW)
    assert accounts.session_user(canbo, token, now=NOW + dt.timedelta(hours=9)) == "canbo"
    assert accounts.session_user(canbo, token, now=NOW + dt.timedelta(hours=11)) is None


def test_changing_the_password_revokes_every_other_sign_in(canbo):
    phone = accounts.sign_in(canbo, "canbo", "mat-khau-can-bo")
    with pytest.raises(accounts.AccountError, match="hiện tại không đúng"):
        accounts.change_password(canbo, "canbo", "sai", "mot-cum-tu-moi-dai")
    desk = accounts.change_password(canbo, "canbo", "mat-khau-can-bo", "mot-cum-tu-moi-dai")
    assert accounts.session_user(canbo, phone) is None
    assert accounts.session_user(canbo, desk) == "canbo"
    assert accounts.verify(canbo, "canbo", "mot-cum-tu-moi-dai") == "nhap_lieu"


def test_an_admin_reset_forces_a_change_at_next_sign_in(canbo):
    old = accounts.sign_in(canbo, "canbo", "mat-khau-can-bo")
    temporary = accounts.reset_password(canbo, "canbo", by="quantri")
    assert accounts.session_user(canbo, old) is None
    assert accounts.must_change_password(canbo, "canbo")
    accounts.sign_in(canbo, "canbo", temporary)
    accounts.change_password(canbo, "canbo", temporary, "mot-cum-tu-moi-dai")
    assert not accounts.must_change_password(canbo, "canbo")
    assert trail(canbo)["chi_tiet"].str.contains("Đặt lại mật khẩu").any()


def test_the_database_holds_no_usable_token(canbo):
    token = accounts.sign_in(canbo, "canbo", "mat-khau-can-bo")
    dump = str(canbo.execute("SELECT * FROM phien_dang_nhap").fetchall()) + str(
        canbo.execute("SELECT * FROM cau_hinh").fetchall())
    assert token not in dump and "cookie_key" not in dump
