"""The layout audit: every page and every meeting slide drawn in headless Chromium at a
projector's 1366x768 and 1024x768 and a phone's 390x844, on a fresh install that still holds
the demo commune beside the real Diễn Châu data. Fails on text cut by CSS, sideways
scrolling, a slide taller than the screen, English words, «None», «nan» or raw codes, and the
demo banner beside the real commune. Screenshots (first screen and whole page) are kept in
tests/artifacts/layout/."""

from __future__ import annotations

import re
import shutil

import pytest

from testing.browser import CHROMIUM
from testing.server import streamlit_server
from tests.conftest import COMMUNE, ROOT, sample_files
from tests.layout_checks import (
    CHART_TEXT,
    CUT_TEXT,
    DEMO_BANNER,
    MORE_ENGLISH,
    SCROLL,
    SIDEWAYS,
    VISIBLE_TEXT,
)
from tests.test_vietnamese_ui import offending

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "artifacts" / "layout"
SIZES = [(1366, 768), (1024, 768), (390, 844)]
XA = "X%C3%A3+Di%E1%BB%85n+Ch%C3%A2u"
PAGES = [
    ("", "Tổng quan chỉ số năm 2026"),
    ("chi_so", "Chi tiết chỉ số"),
    # an indicator with cases behind it: its trend and the four breakdowns
    ("chi_so&chi_so=ty_le_so_hoa", "Chi tiết chỉ số"),
    ("ho_so_qua_han", "Hồ sơ quá hạn, bị từ chối hoặc trả lại"),
    ("nhiem_vu", "Nhiệm vụ chuyển đổi số năm 2026"),
    ("bao_cao", "Báo cáo tháng"),
    ("so_sanh_xa", "So sánh các xã"),
    ("tai_du_lieu", "Tải dữ liệu lên"),
    ("nhap_so_lieu", "Nhập số liệu từ nguồn khác"),
    ("chat_luong", "Chất lượng dữ liệu"),
    ("quan_tri", "Quản trị"),
]
# Streamlit's link for keyboard users, off-screen until it has the focus (README lists it)
ALLOWED = {"Skip to main content"}
READY = """() => { const app = document.querySelector('[data-testid="stApp"]');
  return app && app.dataset.testScriptState === 'notRunning' &&
         !document.querySelector('[data-testid="stSkeleton"]'); }"""


@pytest.fixture(scope="module")
def server(demo_template, tmp_path_factory):
    """A fresh install's demo data with the real commune's samples imported beside it."""
    from storage.database import connect
    from storage.imports import import_files

    db = tmp_path_factory.mktemp("layout") / "kpi.duckdb"
    shutil.copy(demo_template, db)
    con = connect(db)
    results = import_files(con, sample_files(), commune=COMMUNE, user="canbo")
    assert all(r.ok for r in results)
    con.close()
    with streamlit_server(db, KPI_AUTH="0", KPI_USER="canbo", KPI_COMMUNE=COMMUNE) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def settle(page) -> None:
    """The script has finished and nothing is still loading (conditions, not a sleep)."""
    page.wait_for_function(READY, timeout=120_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(READY, timeout=120_000)


def english(text: str) -> list[str]:
    words = [w for w in re.findall(r"\w+", text) if w.isascii() and w.lower() in MORE_ENGLISH]
    return offending(text) + words


def audit(page, *, slide: bool = False) -> dict[str, list[str]]:
    """What is wrong with the page as drawn now."""
    found: dict[str, list[str]] = {}
    cut = [c for c in page.evaluate(CUT_TEXT) if not any(a in c for a in ALLOWED)]
    if cut:
        found["chữ bị cắt"] = cut
    if chart := page.evaluate(CHART_TEXT):
        found["chữ trên biểu đồ bị cắt hoặc chồng nhau"] = chart
    if side := page.evaluate(SIDEWAYS):
        found["cuộn ngang"] = side
    texts = [t for t in page.evaluate(VISIBLE_TEXT) if t not in ALLOWED]
    if bad := [f"{t[:60]} → {english(t)}" for t in texts if english(t)]:
        found["tiếng Anh, None, nan hoặc mã"] = bad
    # a count of a thousand or more without its thousands dot («1092 dòng mới»); years,
    # dates, codes and file names are not counts
    undotted = [
        t[:60]
        for t in texts
        if any(
            not 2000 <= int(n) <= 2099
            for n in re.findall(r"(?<![\w./:-])[1-9]\d{3,}(?![\w./:-])", t)
        )
    ]
    if undotted:
        found["số thiếu dấu chấm hàng nghìn"] = undotted
    if any(DEMO_BANNER in t.replace("**", "") for t in [" ".join(texts)]):
        found["biển Dữ liệu mẫu cạnh xã thật"] = [DEMO_BANNER]
    if slide:
        height, room = page.evaluate(SCROLL)
        if height > room + 2:
            found["trang chiếu dài hơn màn hình"] = [f"{height} > {room}"]
    return found


def shoot(page, name: str, size: tuple[int, int]) -> None:
    """The first screen as seen, and the whole page (the viewport stretched to it)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}_{size[0]}.png"))
    height = page.evaluate(SCROLL)[0]
    if height > size[1]:
        page.set_viewport_size({"width": size[0], "height": min(height, 8000)})
        page.wait_for_function(f"({SCROLL})()[1] >= {min(height, 8000) - 2}", timeout=30_000)
        page.screenshot(path=str(SHOTS / f"{name}_{size[0]}_ca_trang.png"))
        page.set_viewport_size({"width": size[0], "height": size[1]})


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_page_fits_and_speaks_vietnamese(server, browser, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    problems = {}
    for slug, heading in PAGES:
        path, _, more = slug.partition("&")
        page.goto(f"{server}/{path}?ky=2026-10&xa={XA}" + (f"&{more}" if more else ""))
        page.get_by_role("heading", name=heading).first.wait_for(timeout=120_000)
        settle(page)
        name = (slug or "tong_quan").replace("&chi_so=", "_")
        if found := audit(page):
            problems[name] = found
        shoot(page, name, size)
    page.close()
    assert problems == {}


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_meeting_slide_fits_the_screen(server, browser, size):
    projector = size[0] >= 1024
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server}/che_do_hop?ky=2026-10&xa={XA}")
    page.get_by_text("Trang 1/").wait_for(timeout=120_000)
    total = int(page.get_by_text("Trang 1/").inner_text().split("/")[1].split()[0])
    assert total >= 5
    problems = {}
    for n in range(1, total + 1):
        page.get_by_text(f"Trang {n}/{total}").wait_for(timeout=120_000)
        settle(page)
        if found := audit(page, slide=projector):
            problems[n] = found
        shoot(page, f"che_do_hop_trang_{n}", size)
        if n < total:
            page.get_by_role("button", name="Sau ▶").click()
    page.close()
    assert problems == {}


def test_the_clerks_preview_of_many_files_is_short_and_in_words(server, browser):
    """Several files at once: a summary line and the button on the first screen, one line per
    good file, labels and dd/mm/yyyy dates in an opened preview, nothing cut at 1024."""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(f"{server}/tai_du_lieu")
    page.get_by_role("heading", name="Tải dữ liệu lên").wait_for(timeout=120_000)
    files = [
        p
        for p in sample_files()
        if p.name.startswith(("danh_sach_ho_so_2026-0", "bieu_06a_2026-0"))
    ][:6]
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(f) for f in files]
    )
    summary = page.get_by_text(f"Đã đọc {len(files)} tệp:")
    summary.wait_for(timeout=120_000)
    settle(page)
    button = page.get_by_role("button", name=f"Nhập {len(files)} tệp").first
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768  # on the first screen
    # every file already imported reads as one closed line
    assert page.locator('[data-testid="stExpander"] details[open]').count() == 0
    page.locator('[data-testid="stExpander"] summary').first.click()
    page.get_by_text("20 dòng đầu, như sẽ được lưu:").first.wait_for(timeout=60_000)
    settle(page)
    found = audit(page)
    shoot(page, "tai_du_lieu_xem_truoc", (1024, 768))
    page.close()
    assert found == {}


def test_one_history_entry_per_page_visit(server, browser):
    """Each page keeps its period and commune in the address; the links carry them, so a
    visit is one entry and Back is one press (it took 2-3)."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/?ky=2026-09&xa={XA}")
    page.get_by_role("heading", name="Tổng quan chỉ số năm 2026").wait_for(timeout=120_000)
    settle(page)
    start = page.evaluate("history.length")
    visits = [
        ("Chỉ số", "Chi tiết chỉ số"),
        ("Nhiệm vụ", "Nhiệm vụ chuyển đổi số năm 2026"),
        ("Hồ sơ quá hạn", "Hồ sơ quá hạn, bị từ chối hoặc trả lại"),
        ("Báo cáo", "Báo cáo tháng"),
    ]
    for link, heading in visits:
        page.locator('[data-testid="stSidebar"]').get_by_role("link", name=link).click()
        page.get_by_role("heading", name=heading).first.wait_for(timeout=120_000)
        settle(page)
        assert "ky=2026-09" in page.url  # the period chosen on the first page goes along
    assert page.evaluate("history.length") - start == len(visits)
    page.go_back()  # one press, one page back
    page.get_by_role("heading", name="Hồ sơ quá hạn, bị từ chối hoặc trả lại").first.wait_for(
        timeout=60_000
    )
    page.close()


def in_view(locator, height: int) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_admins_refusal_is_said_where_the_eye_is(server, browser):
    """A refused new account: the reason on screen right under the form, the form kept."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/quan_tri")
    page.get_by_role("heading", name="Quản trị").first.wait_for(timeout=120_000)
    settle(page)
    form = page.locator('[data-testid="stForm"]').filter(has_text="Tạo tài khoản mới")
    form.get_by_label("Tên đăng nhập").fill("canbo2")
    form.get_by_label("Họ tên").fill("Cán bộ hai")
    form.get_by_label("Mật khẩu").fill("ngan")
    form.get_by_role("button", name="Tạo tài khoản").click()
    said = page.locator('[data-testid="stAlert"]').filter(has_text="Mật khẩu cần ít nhất")
    said.wait_for(timeout=60_000)
    settle(page)
    assert in_view(said, 768)  # not 700 px above the visible area
    assert form.get_by_label("Tên đăng nhập").input_value() == "canbo2"
    shoot(page, "quan_tri_tu_choi", (1366, 768))
    page.close()


def test_the_leaders_phone(server, browser):
    """390 px: what lags, whose it is and where to focus within two screens; the menu
    closes once a page is chosen."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server}/?ky=2026-10&xa={XA}")
    page.get_by_role("heading", name="Tổng quan chỉ số năm 2026").wait_for(timeout=120_000)
    settle(page)
    cards = page.locator('[data-testid="stMetric"]')
    assert cards.count() >= 3
    last = cards.nth(cards.count() - 1).bounding_box()
    plan = page.locator('[data-testid="stTable"]').filter(has_text="Tập trung vào")
    focus = plan.bounding_box()
    assert last is not None and focus is not None
    assert last["y"] + last["height"] <= 2 * 844  # every lagging card within two screens
    assert focus["y"] < 2 * 844  # and the plan, with whom to focus on, starts there
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    menu = page.locator('[data-testid="stSidebar"]')
    menu.get_by_role("link", name="Hồ sơ quá hạn").wait_for(timeout=60_000)
    menu.get_by_role("link", name="Hồ sơ quá hạn").click()
    page.get_by_role("heading", name="Hồ sơ quá hạn, bị từ chối hoặc trả lại").wait_for(
        timeout=120_000
    )
    page.wait_for_function(
        """() => {
      const s = document.querySelector('[data-testid="stSidebar"]');
      return !s || s.getBoundingClientRect().right <= 1 ||
             s.getAttribute('aria-expanded') === 'false'; }""",
        timeout=30_000,
    )
    settle(page)
    shoot(page, "ho_so_qua_han_sau_menu", (390, 844))
    page.close()
