"""Sign-in in a real browser: a staff member signs in, uploads and downloads the month's
report with the right numbers; a committee member cannot reach the upload page by URL."""

from __future__ import annotations

import pytest
from docx import Document

from storage import accounts
from storage.database import connect
from testing.browser import new_context, new_page
from testing.patience import PAGE_MS, SLOW_MS
from testing.server import streamlit_server
from tests.conftest import DIEN_CHAU
from tests.test_browser import SCREENS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser_roles") / "kpi.duckdb"
    con = connect(db)
    accounts.create(con, "canbo", "Cán bộ một cửa", "nhap_lieu", "mat-khau-can-bo", by="test")
    accounts.create(con, "thanhvien", "Thành viên", "xem", "mat-khau-thanh-vien", by="test")
    accounts.create(con, "quantri", "Quản trị", "quan_tri", "mat-khau-quan-tri", by="test")
    con.close()
    with streamlit_server(db, KPI_DEMO="0", KPI_AUTH="1", KPI_COMMUNE="Xã Diễn Châu") as url:
        yield url


def sign_in(page, server, username, password):
    page.goto(server)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Tổng quan chỉ số năm 2026").first.wait_for(timeout=PAGE_MS)
    # sign-in reruns the script (the cookie is set): until that run ends the previous run's
    # elements can stand beside the new ones, so wait for the page to settle on one overview
    page.wait_for_function(
        "document.querySelectorAll('h1#tong-quan-chi-so-nam-2026').length === 1", timeout=PAGE_MS
    )


def test_staff_signs_in_uploads_and_downloads_the_report(server, browser, tmp_path):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = new_page(browser, viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    page.goto(server)
    page.get_by_role("heading", name="kpi-xa — Đăng nhập").wait_for(timeout=PAGE_MS)
    page.screenshot(path=str(SCREENS / "dang_nhap.png"), full_page=True)
    sign_in(page, server, "canbo", "mat-khau-can-bo")
    page.get_by_role("link", name="Tải dữ liệu").click()
    page.get_by_role("heading", name="Tải dữ liệu lên").wait_for(timeout=PAGE_MS)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx"), str(DIEN_CHAU / "bieu_06a_2026-03.xlsx")]
    )
    page.get_by_role("button", name="Nhập 2 tệp").first.click()
    page.get_by_text("1.220 dòng mới").wait_for(timeout=PAGE_MS)
    assert (
        "quan_tri" not in page.content()
        and "Quản trị" not in page.locator('[data-testid="stSidebar"]').inner_text()
    )
    page.get_by_role("link", name="Báo cáo").click()
    page.get_by_role("heading", name="Báo cáo tháng").wait_for(timeout=PAGE_MS)
    page.get_by_text("Kèm biểu đồ").click()  # faster without the chart images
    page.get_by_role("button", name="Tạo báo cáo").click()
    with page.expect_download(timeout=SLOW_MS) as info:
        page.get_by_role("button", name="Tải báo cáo (Word)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    text = "\n".join(p.text for p in Document(path).paragraphs)
    # the report covers March's reporting window by default, 19/02-18/03 (units report
    # before the 18th; the next window starts the day after): only March's list is here, so
    # the count is a hand count of that list over 01-18/03
    assert "(từ 19/02/2026 đến 18/03/2026): 624 hồ sơ" in text
    assert "Số lượng hồ sơ trực tuyến: 517 hồ sơ, tỷ lệ: 82,9%" in text
    page.screenshot(path=str(SCREENS / "bao_cao.png"), full_page=True)
    page.close()


def test_a_member_cannot_reach_the_upload_page_by_url(server, browser):
    page = new_page(browser, viewport={"width": 1600, "height": 1000})
    sign_in(page, server, "thanhvien", "mat-khau-thanh-vien")
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Tổng quan").wait_for(
        timeout=PAGE_MS
    )
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Tổng quan" in sidebar and "Tải dữ liệu" not in sidebar
    page.goto(f"{server}/tai_du_lieu")
    # a fresh load: either the cookie signs the member in again or the form asks; in
    # both cases the upload page never appears: its address says the role may not open it
    login = page.get_by_label("Tên đăng nhập")
    refused = page.get_by_text("Tài khoản của bạn không mở được trang «Tải dữ liệu»")
    login.or_(refused).first.wait_for(timeout=PAGE_MS)
    if login.is_visible():
        sign_in(page, server, "thanhvien", "mat-khau-thanh-vien")
        page.goto(f"{server}/tai_du_lieu")
        login.or_(refused).first.wait_for(timeout=PAGE_MS)
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Tải dữ liệu lên").count() == 0
    assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0
    page.screenshot(path=str(SCREENS / "thanh_vien_khong_vao_tai_du_lieu.png"), full_page=True)
    page.close()


def test_a_sign_in_survives_a_reload_and_dies_with_sign_out(server, browser):
    context = new_context(browser, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, server, "quantri", "mat-khau-quan-tri")
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Đăng xuất").wait_for(
        timeout=PAGE_MS
    )
    # the cookie component writes the cookie after the page has drawn: wait for it
    page.wait_for_function("document.cookie.includes('kpi_xa_phien=')", timeout=PAGE_MS)
    cookie = next(c for c in context.cookies() if c["name"] == "kpi_xa_phien")
    assert cookie["sameSite"] == "Strict"
    page.reload()
    page.get_by_role("heading", name="Tổng quan chỉ số năm 2026").first.wait_for(timeout=PAGE_MS)
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_text("Đã đăng xuất.").wait_for(timeout=PAGE_MS)
    # the old cookie, replayed from another browser, and a made-up one: both get the form
    for value in (cookie["value"], "gia-mao-" + "x" * 40):
        thief = new_context(browser)
        thief.add_cookies([{"name": "kpi_xa_phien", "value": value, "url": server}])
        other = thief.new_page()
        other.goto(server)
        other.get_by_label("Tên đăng nhập").wait_for(timeout=PAGE_MS)
        assert other.get_by_role("heading", name="Tổng quan chỉ số năm 2026").count() == 0
        thief.close()
    context.close()


PAGE_HEADINGS = {  # address: the heading that says the right page opened
    "": "Tổng quan chỉ số năm 2026",  # the default page lives at the root
    "chi_so": "Chi tiết chỉ số",
    "ho_so_qua_han": "Hồ sơ quá hạn, bị từ chối hoặc trả lại",
    "nhiem_vu": "Nhiệm vụ chuyển đổi số năm 2026",
    "bao_cao": "Báo cáo tháng",
    "tai_du_lieu": "Tải dữ liệu lên",
    "nhap_so_lieu": "Nhập số liệu từ nguồn khác",
    "chat_luong": "Chất lượng dữ liệu",
    "quan_tri": "Quản trị",
}


def test_a_bookmark_right_after_a_restart_and_a_refresh_keep_the_page(
    samples_db, tmp_path, browser
):
    import shutil

    db = tmp_path / "kpi.duckdb"
    shutil.copy(samples_db, db)
    con = connect(db)
    accounts.create(con, "quantri", "Quản trị", "quan_tri", "mat-khau-quan-tri", by="test")
    con.close()
    # a fresh server: no session has built the navigation yet
    with streamlit_server(db, KPI_AUTH="1") as url:
        page = new_page(browser, viewport={"width": 1366, "height": 768})
        page.goto(f"{url}/ho_so_qua_han?ky=2026-03")
        page.get_by_label("Tên đăng nhập").fill("quantri")
        page.get_by_label("Mật khẩu").fill("mat-khau-quan-tri")
        page.get_by_role("button", name="Đăng nhập").click()
        # the bookmarked page, not the overview, with its period
        page.get_by_role("heading", name=PAGE_HEADINGS["ho_so_qua_han"]).first.wait_for(
            timeout=PAGE_MS
        )
        assert "ky=2026-03" in page.url
        # a click in the sidebar straight after sign-in is not lost
        page.get_by_role("link", name="Nhiệm vụ").click()
        page.get_by_role("heading", name=PAGE_HEADINGS["nhiem_vu"]).first.wait_for(timeout=PAGE_MS)
        # the sign-in cookie (set by a component in the browser) before any reload
        page.wait_for_function("document.cookie.includes('kpi_xa_phien=')", timeout=PAGE_MS)
        for slug, heading in PAGE_HEADINGS.items():
            page.goto(f"{url}/{slug}")
            page.get_by_role("heading", name=heading).first.wait_for(timeout=PAGE_MS)
            page.reload()  # F5 keeps the page and the sign-in
            page.get_by_role("heading", name=heading).first.wait_for(timeout=PAGE_MS)
            assert page.url.split("?")[0].rstrip("/").endswith(f"/{slug}".rstrip("/")), (
                slug,
                page.url,
            )
            assert "Traceback" not in page.content()
        page.close()


def test_the_clerks_day(server, browser, tmp_path):
    """Sign in, upload a CSV whose title names no commune (it takes the installation's),
    enter a rate with a decimal comma, undo the import after confirming: no lost click,
    no traceback, the numbers as typed."""
    csv = tmp_path / "xuat_cong_khong_tieu_de.csv"
    csv.write_text(
        "Mã hồ sơ,Thủ tục,Lĩnh vực,Ngày tiếp nhận,Hạn xử lý,Ngày kết thúc,Trạng thái,Kênh\n"
        + "".join(
            f"H99.{i},Đăng ký khai sinh,Hộ tịch,0{1 + i % 8}/11/2026,"
            f"1{i % 8}/11/2026,1{i % 8}/11/2026,Đã trả kết quả,Trực tuyến\n"
            for i in range(12)
        ),
        encoding="utf-8",
    )
    page = new_page(browser, viewport={"width": 1366, "height": 768})
    sign_in(page, server, "canbo", "mat-khau-can-bo")
    page.get_by_role("link", name="Tải dữ liệu").click()
    page.get_by_role("heading", name="Tải dữ liệu lên").wait_for(timeout=PAGE_MS)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files([str(csv)])
    page.get_by_role("button", name="Nhập 1 tệp").first.click()
    page.get_by_text("12 dòng mới").wait_for(timeout=PAGE_MS)
    assert "Xã Diễn Châu" in page.get_by_text("12 dòng mới").inner_text()

    page.get_by_role("link", name="Nhập số liệu").click()
    page.get_by_role("heading", name="Nhập số liệu từ nguồn khác").wait_for(timeout=PAGE_MS)
    page.get_by_role("radio", name="Tỷ lệ (%)").check(force=True)  # enter a rate
    page.get_by_role("textbox", name="Tỷ lệ (%)").fill("86,5")
    page.get_by_label("Nguồn số liệu (bắt buộc)").fill("Công an xã, báo cáo 12/BC-CA")
    page.get_by_role("button", name="Lưu số liệu", exact=True).click()
    saved = page.locator('[data-testid="stAlert"]').filter(has_text="Đã lưu")  # by the form
    saved.wait_for(timeout=PAGE_MS)
    assert ": 86,5%," in saved.inner_text()  # as typed, not 865

    page.get_by_role("link", name="Tải dữ liệu").click()
    page.get_by_role("button", name="Hoàn tác lần nhập này").click()
    page.get_by_role("dialog").get_by_text("Hoàn tác lần nhập số").wait_for(timeout=PAGE_MS)
    page.get_by_role("button", name="Đồng ý").click()
    page.get_by_text("Đã hoàn tác lần nhập số").wait_for(timeout=PAGE_MS)
    assert "Traceback" not in page.content()
    page.close()


def test_a_shared_link_is_kept_through_sign_in(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/bao_cao?ky=2026-09")
    page.get_by_label("Tên đăng nhập").fill("thanhvien")
    page.get_by_label("Mật khẩu").fill("mat-khau-thanh-vien")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Báo cáo tháng").first.wait_for(timeout=60_000)
    page.wait_for_url("**/bao_cao?ky=2026-09**", timeout=60_000)
    page.close()


def test_a_page_the_role_may_not_open_says_so_at_its_address(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    sign_in(page, server, "canbo", "mat-khau-can-bo")
    page.wait_for_function("document.cookie.includes('kpi_xa_phien=')", timeout=120_000)
    page.goto(f"{server}/quan_tri")
    refusal = page.get_by_text("Tài khoản của bạn không mở được trang «Quản trị»")
    refusal.wait_for(timeout=60_000)
    assert "(cần vai trò «Quản trị»)" in refusal.inner_text()
    assert page.url.rstrip("/").endswith("/quan_tri")  # not moved to the overview unsaid
    assert page.get_by_text("Page not found").count() == 0  # Streamlit's English window
    page.get_by_role("link", name="Về trang Tổng quan").click()
    page.get_by_role("heading", name="Tổng quan chỉ số năm 2026").first.wait_for(timeout=60_000)
    page.close()
