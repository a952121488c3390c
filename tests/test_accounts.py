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


def seconds(n: float) -> dt.timedelta:
    return dt.timedelta(seconds=n)


@pytest.fixture(autouse=True)
def fresh_throttle(monkeypatch):
    monkeypatch.setattr(accounts, "THROTTLE", accounts.Throttle())


def answers(
    con, name: str, tries: int, start: dt.datetime = NOW, client: str | None = None
) -> list[str]:
    """The message of each wrong attempt, one second apart."""
    out = []
    for n in range(tries):
        with pytest.raises(accounts.AccountError) as refused:
            accounts.sign_in(con, name, f"doan-thu-{n}", now=start + seconds(n), client=client)
        out.append(str(refused.value))
    return out


def test_wrong_passwords_slow_the_name_down_and_never_lock_it(canbo):
    got = answers(canbo, "canbo", 4)
    assert got[:3] == ["Sai tên đăng nhập hoặc mật khẩu."] * 3
    # the 4th comes one second after the 3rd failure, inside its 2-second wait
    assert got[3] == "Đã nhập sai nhiều lần: đợi 1 giây rồi thử lại."
    # even the right password waits; once the wait is over it works (no 15-minute lock)
    with pytest.raises(accounts.AccountError, match="đợi"):
        accounts.sign_in(canbo, "canbo", "mat-khau-can-bo", now=NOW + seconds(3.5))
    token = accounts.sign_in(canbo, "canbo", "mat-khau-can-bo", now=NOW + seconds(4))
    assert accounts.session_user(canbo, token, now=NOW + seconds(5)) == "canbo"
    assert trail(canbo).empty or "Tạm khóa" not in " ".join(trail(canbo)["chi_tiet"])


def test_the_wait_doubles_up_to_its_cap():
    assert [accounts.wait_after(n, 30) for n in range(9)] == [0, 0, 0, 2, 4, 8, 16, 30, 30]
    throttle = accounts.Throttle()
    for _ in range(50):  # an attacker hammering one name all day
        throttle.failed("ten:quantri", NOW)
    assert throttle.left("ten:quantri", NOW, accounts.NAME_CAP) == accounts.NAME_CAP
    assert throttle.left("ten:quantri", NOW + seconds(31), accounts.NAME_CAP) == 0


def test_known_and_unknown_names_get_the_same_answers(canbo):
    known = answers(canbo, "canbo", 8)
    unknown = answers(canbo, "khong_co_ai", 8)
    assert known == unknown


def test_one_client_guessing_many_names_is_slowed_on_its_own(canbo):
    for n, name in enumerate(["an", "binh", "chi", "dung"]):
        with pytest.raises(accounts.AccountError) as refused:
            accounts.sign_in(
                canbo, name, "sai-mat-khau-roi", now=NOW + seconds(n * 0.1), client="10.0.0.9"
            )
    assert "đợi" in str(refused.value)
    # another machine signs in at once: the wait is not aimed at everyone
    assert accounts.sign_in(
        canbo, "canbo", "mat-khau-can-bo", now=NOW + seconds(1), client="10.0.0.7"
    )


def test_the_command_line_unlocks_and_resets_an_account(canbo, db_path, capsys):
    from cli.main import main

    canbo.execute(
        "UPDATE tai_khoan SET hoat_dong = FALSE, khoa_den = ? WHERE ten_dang_nhap = 'canbo'",
        [NOW + dt.timedelta(days=1)],
    )
    canbo.close()
    assert main(["account", "unlock", "canbo", "--db", str(db_path)]) == 0
    assert "Đã mở khóa tài khoản «canbo»" in capsys.readouterr().out
    assert main(["account", "reset", "canbo", "--db", str(db_path)]) == 0
    temporary = capsys.readouterr().out.split(": ", 1)[1].split()[0]
    assert main(["account", "list", "--db", str(db_path)]) == 0
    assert "canbo · Nhập liệu" in capsys.readouterr().out
    assert main(["account", "unlock", "khong_co_ai", "--db", str(db_path)]) == 1
    assert "Không có tài khoản «khong_co_ai»" in capsys.readouterr().err
    from storage.database import connect

    con = connect(db_path)
    assert accounts.verify(con, "canbo", temporary) == "nhap_lieu"
    assert accounts.must_change_password(con, "canbo")
    con.close()


def test_an_unknown_name_costs_a_bcrypt_check_like_a_known_one(canbo, monkeypatch):
    calls = []
    real = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda p, h: calls.append(1) or real(p, h))
    for name in ("canbo", "khong_co_ai"):
        with pytest.raises(accounts.AccountError, match=r"^Sai tên đăng nhập hoặc mật khẩu\.$"):
            accounts.sign_in(canbo, name, "sai-mat-khau-roi")
    assert len(calls) == 2


@pytest.mark.parametrize(
    "password, reason",
    [
        ("ngan-qua", "ít nhất 10"),
        ("password123", "phổ biến"),
        ("Mật khẩu 123", "phổ biến"),  # «matkhau123» once the diacritics and spaces go
        ("aaaaaaaaaaaa", "đơn giản"),
        ("1234567890", "phổ biến"),
        ("nguyenvana1", "giống tên đăng nhập"),
    ],
)
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
        canbo.execute("SELECT * FROM cau_hinh").fetchall()
    )
    assert token not in dump and "cookie_key" not in dump
