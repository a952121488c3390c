"""A person's path in headless Chromium against `streamlit run` on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser
SCREENS = ROOT / "tests" / "artifacts" / "screens"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(samples_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "kpi.duckdb"
    shutil.copy(samples_db, db)
    port = free_port()
    env = {**os.environ, "KPI_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait for the port, not a fixed sleep
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not start")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        yield page
        browser.close()


def test_overview_in_a_real_browser(server, page):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{server}/?ky=2026-01&xa=X%C3%A3+Di%E1%BB%85n+Ch%C3%A2u")
    page.get_by_text("Tổng quan chỉ số năm 2026").wait_for(timeout=60_000)
    page.get_by_text("Tháng 01/2026 — số liệu đến ngày 31/01/2026").wait_for(timeout=60_000)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible", timeout=60_000)
    page.locator('[data-testid="stMetricValue"]').first.wait_for(state="visible", timeout=60_000)
    page.screenshot(path=str(SCREENS / "tong_quan_2026-01.png"), full_page=True)
    # switch the period by the selector; the URL follows
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Quý III/2026").click()
    page.get_by_text("Quý III/2026 — số liệu đến ngày 30/09/2026").wait_for(timeout=60_000)
    page.wait_for_url("**ky=2026-Q3**", timeout=30_000)
    page.screenshot(path=str(SCREENS / "tong_quan_2026-Q3.png"), full_page=True)
    assert Path(SCREENS / "tong_quan_2026-Q3.png").stat().st_size > 10_000
