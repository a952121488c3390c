"""Sign-in and roles: the first admin, hashed passwords, each role sees exactly its pages,
and a page refuses a role below its own even when reached directly."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from storage import accounts
from storage.areas import home_commune
from storage.database import connect
from tests.conftest import ROOT

EVERYONE = {
    "tong_quan",
    "chi_so",
    "ho_so_qua_han",
    "nhiem_vu",
    "che_do_hop",
    "bao_cao",
    "chat_luong",
    "so_sanh_xa",
    "xep_hang",
}
SEES = {
    "xem": EVERYONE,
    "nhap_lieu": EVERYONE | {"tai_du_lieu", "nhap_so_lieu", "cuoc_hop", "nhac_viec"},
    "quan_tri": EVERYONE | {"tai_du_lieu", "nhap_so_lieu", "quan_tri", "cuoc_hop", "nhac_viec"},
}
ALL_PAGES = SEES["quan_tri"]


@pytest.fixture(autouse=True)
def sign_in_on(monkeypatch):
    monkeypatch.setenv("KPI_AUTH", "1")


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def sign_in(username: str, password: str) -> AppTest:
    at = app()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    next(b for b in at.button if b.label == "Đăng nhập").click().run()
    return at


def test_first_start_asks_for_the_first_admin(db_path):
    at = app()
    assert not at.exception
    assert at.title[0].value == "kpi-xa — Tạo tài khoản quản trị đầu tiên"
    assert not at.dataframe  # nothing of the data before an account exists
    # the first screen speaks to the person installing, not of environment variables
    assert not any("KPI_" in m.value for m in at.markdown)
    for widget, value in zip(
        at.text_input,
        ["quantri", "Nguyễn Văn Quản", "mat-khau-dai-1", "mat-khau-dai-1", "xã diễn châu"],
        strict=True,
    ):
        widget.input(value)
    next(b for b in at.button if b.label == "Tạo tài khoản").click().run()
    assert not at.exception
    assert at.title[0].value == "kpi-xa — Đăng nhập"
    # said at once: the account exists and is the one to sign in with
    assert [s.value for s in at.success] == [
        "Đã tạo tài khoản quản trị «quantri». Đăng nhập bằng tài khoản này để bắt đầu."
    ]
    con = connect(db_path)
    row = con.execute("SELECT vai_tro, mat_khau_bam FROM tai_khoan").fetchall()
    con.close()
    assert row[0][0] == "quan_tri"
    assert row[0][1].startswith("$2b$") and "mat-khau-dai-1" not in row[0][1]
    con = connect(db_path)
    assert home_commune(con) == "Xã Diễn Châu"  # the installation's commune, set at once
    con.close()


def test_the_first_admin_can_come_from_the_environment(db_path, monkeypatch):
    monkeypatch.setenv("KPI_ADMIN_USER", "quantri")
    monkeypatch.setenv("KPI_ADMIN_PASSWORD", "tu-bien-moi-truong")
    at = app()
    assert at.title[0].value == "kpi-xa — Đăng nhập"
    con = connect(db_path)
    assert accounts.verify(con, "quantri", "tu-bien-moi-truong") == "quan_tri"
    assert accounts.verify(con, "quantri", "sai") is None
    con.close()


def test_a_short_password_is_refused(con):
    with pytest.raises(accounts.AccountError, match="ít nhất 10"):
        accounts.create(con, "ngan", "Người dùng", "xem", "1234", by="quantri")


@pytest.fixture
def users(db_path):
    con = connect(db_path)
    accounts.create(con, "quantri", "Quản trị", "quan_tri", "mat-khau-quan-tri", by="cai_dat")
    accounts.create(con, "canbo", "Cán bộ một cửa", "nhap_lieu", "mat-khau-can-bo", by="quantri")
    accounts.create(con, "thanhvien", "Thành viên BCĐ", "xem", "mat-khau-thanh-vien", by="quantri")
    con.close()


def test_a_wrong_password_is_refused(users):
    at = sign_in("canbo", "sai-mat-khau")
    assert [e.value for e in at.error] == ["Sai tên đăng nhập hoặc mật khẩu."]
    assert [t.value for t in at.title] == ["kpi-xa — Đăng nhập"]


@pytest.mark.parametrize(
    "username, password, role",
    [
        ("thanhvien", "mat-khau-thanh-vien", "xem"),
        ("canbo", "mat-khau-can-bo", "nhap_lieu"),
        ("quantri", "mat-khau-quan-tri", "quan_tri"),
    ],
)
def test_each_role_sees_exactly_its_pages(users, username, password, role):
    at = sign_in(username, password)
    assert not at.exception
    assert [t.value for t in at.title] == ["Tổng quan chỉ số năm 2026"]
    reachable = set()
    for page in sorted(ALL_PAGES):
        try:
            at.switch_page(f"pages/{page}.py")
        except ValueError:  # not registered in this session's navigation
            continue
        reachable.add(page)
    assert reachable == SEES[role]


def test_a_member_cannot_clear_the_demo_or_edit_tasks(users):
    at = sign_in("thanhvien", "mat-khau-thanh-vien")
    assert "Xóa dữ liệu mẫu" not in [b.label for b in at.button]
    at.switch_page("pages/nhiem_vu.py").run()
    assert not at.exception
    assert "Lưu thay đổi" not in [b.label for b in at.button]


def test_a_page_refuses_a_lower_role_on_the_server():
    def page():
        import streamlit as st

        from ui.auth import require

        st.session_state["role"] = "xem"
        require("nhap_lieu")
        st.write("không được tới đây")

    at = AppTest.from_function(page, default_timeout=30).run()
    assert [e.value for e in at.error] == [
        "Bạn không có quyền dùng trang này (cần vai trò «Nhập liệu (cán bộ một cửa)»)."
    ]
    assert not at.markdown


def test_a_locked_out_account_cannot_sign_in(users, db_path):
    con = connect(db_path)
    accounts.deactivate(con, "canbo", by="quantri")
    with pytest.raises(accounts.AccountError, match="quản trị cuối cùng"):
        accounts.deactivate(con, "quantri", by="quantri")
    con.close()
    at = sign_in("canbo", "mat-khau-can-bo")
    assert [t.value for t in at.title] == ["kpi-xa — Đăng nhập"]


@pytest.mark.parametrize(
    "page", sorted(p.name for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py")
)
def test_a_page_file_run_directly_draws_nothing_without_sign_in(page, monkeypatch):
    """What Streamlit does for a client asking for a page by name before any navigation
    exists: the file runs without app.py. It must show only the refusal."""
    monkeypatch.setenv("KPI_AUTH", "1")
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=120).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Cần đăng nhập để xem trang này. Mở trang chủ để đăng nhập."
    ]
    drawn = [
        *at.metric,
        *at.dataframe,
        *at.table,
        *at.markdown,
        *at.title,
        *at.subheader,
        *at.button,
        *at.selectbox,
        *at.get("download_button"),
        *at.get("file_uploader"),
        *at.get("plotly_chart"),
    ]
    assert drawn == []
