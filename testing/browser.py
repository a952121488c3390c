"""Headless Chromium from Debian (never ``playwright install``), with pages whose every wait,
click and navigation defaults to a timeout sized for a busy machine."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from typing import Any

from testing.patience import PAGE_MS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def patient(target: Any) -> Any:
    """A page or a context whose default timeouts (clicks, waits, navigation) are PAGE_MS
    instead of Playwright's 30 s."""
    target.set_default_timeout(PAGE_MS)
    target.set_default_navigation_timeout(PAGE_MS)
    return target


def new_page(browser: Any, **options: Any) -> Any:
    return patient(browser.new_page(**options))


def new_context(browser: Any, **options: Any) -> Any:
    return patient(browser.new_context(**options))
