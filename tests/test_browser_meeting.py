"""The next meeting opens with «Kết luận kỳ trước», and that slide fits a projector at
1366x768 and 1024x768 without scrolling (headless Chromium against `streamlit run`)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from storage import meetings, tasks
from storage.database import connect
from storage.meetings import Assignment
from testing.browser import CHROMIUM
from testing.server import streamlit_server
from tests.conftest import COMMUNE
from tests.test_browser import SCREENS, SCROLL

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(samples_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("browser_meeting") / "kpi.duckdb"
    shutil.copy(samples_db, db)
    con = connect(db)
    today = dt.date.today()
    mid = meetings.create(
        con,
        COMMUNE,
        today - dt.timedelta(days=30),
        "thang",
        "Nguyễn Văn An, Chủ tịch UBND xã",
        [],
        "v",
        "2026-10",
    )
    k = meetings.add_conclusion(con, mid, [COMMUNE], "Đẩy nhanh số hóa hồ sơ", "v")
    long = "Rà soát, cập nhật toàn bộ hồ sơ chưa số hóa tại Bộ phận một cửa và báo cáo kết quả"
    for i in range(7):  # more than a slide holds, with long texts
        tt = meetings.assign(
            con,
            k,
            [COMMUNE],
            Assignment(
                "Văn phòng HĐND và UBND xã",
                f"{long} ({i + 1})",
                today + dt.timedelta(days=10 * i - 25),
            ),
            "v",
        )
        if i % 3 == 0:
            tasks.update(
                con,
                COMMUNE,
                tt,
                {
                    "trang_thai": "hoan_thanh",
                    "ngay_hoan_thanh": today - dt.timedelta(days=1),
                    "ghi_chu": "Đã hoàn thành, gửi báo cáo bằng văn bản kèm danh sách hồ sơ",
                },
                "v",
            )
    con.close()
    with streamlit_server(db, KPI_AUTH="0") as url:
        yield url


@pytest.mark.parametrize("width", [1366, 1024])
def test_the_follow_up_slide_opens_the_deck_and_fits(server, width):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = browser.new_page(viewport={"width": width, "height": 768})
        page.goto(f"{server}/che_do_hop?ky=2026-10&xa=X%C3%A3+Di%E1%BB%85n+Ch%C3%A2u&trang=1")
        page.get_by_role("heading", name="Kết luận kỳ trước").first.wait_for(timeout=60_000)
        page.wait_for_load_state("networkidle")
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"che_do_hop_{width}_ket_luan_ky_truoc.png"))
        page.wait_for_function(f"({SCROLL})()[0] <= ({SCROLL})()[1] + 2", timeout=30_000)
        page.get_by_text("Còn 3 việc khác ở trang Cuộc họp.").wait_for(timeout=30_000)
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"che_do_hop_{width}_ket_luan_ky_truoc.png"))
        browser.close()


def test_the_new_pages_on_a_leaders_phone(server):
    """390 px: each new page opens on its heading with no sideways scroll."""
    from playwright.sync_api import sync_playwright

    pages = [
        ("cuoc_hop", "Cuộc họp Ban Chỉ đạo: kết luận và giao việc"),
        ("xep_hang", "Đánh giá, xếp hạng"),
        ("nhac_viec", "Nhắc việc các đơn vị"),
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for slug, heading in pages:
            page.goto(f"{server}/{slug}?ky=2026-10&xa=X%C3%A3+Di%E1%BB%85n+Ch%C3%A2u")
            page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, slug
            page.screenshot(path=str(SCREENS / f"{slug}_390.png"))
        browser.close()
