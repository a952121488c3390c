"""The first page after a cold start, timed in a real browser: `streamlit run` is started
afresh on a copy of the database, headless Chromium opens the overview, and the clock reads
when Streamlit's shell is up, when the first words of the page are drawn (what the user sees
while the shared engine is built) and when the page is complete (the script run finished,
the cards drawn). The same page opened again on the warm server is the baseline of the
same run.

Prints, per round and as medians: seconds from the request to the shell, to the first
words and to the complete page, cold and warm, and the ratios cold/warm. Asserts nothing.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_first_paint.py [--db kpi.duckdb]
                                                                   [--rounds 3]
Without --db, the Diễn Châu samples (tests/data/dien_chau) are imported into a
temporary database first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "data" / "dien_chau"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ADDRESS = "/?ky=2026-10&xa=X%C3%A3+Di%E1%BB%85n+Ch%C3%A2u"
DONE = """() => { const app = document.querySelector('[data-testid="stApp"]');
  return app && app.dataset.testScriptState === 'notRunning' &&
         document.querySelector('[data-testid="stMetric"]') &&
         !document.querySelector('[data-testid="stSkeleton"]'); }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def samples_db(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from storage.database import connect
    from storage.imports import import_files

    path = folder / "kpi.duckdb"
    con = connect(path)
    import_files(con, sorted(SAMPLES.iterdir()), commune="Xã Diễn Châu", user="do_toc_do")
    con.close()
    return path


def start(db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "KPI_DB": str(db),
        "KPI_AUTH": "0",
        "KPI_DEMO": "0",
        "KPI_COMMUNE": "Xã Diễn Châu",
        "KPI_LOG_DIR": str(db.parent / "logs"),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while True:  # the port opens before any script has run: the start of the cold clock
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, f"http://127.0.0.1:{port}"
        if proc.poll() is not None:
            raise SystemExit("streamlit did not start")
        time.sleep(0.05)


def visit(browser, url: str) -> tuple[float, float, float]:
    """Seconds to the shell, to the first words of the page, to the complete page."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    began = time.perf_counter()
    page.goto(url + ADDRESS, wait_until="commit")
    page.wait_for_selector('[data-testid="stApp"]', timeout=300_000)
    shell = time.perf_counter() - began
    page.wait_for_selector(
        '[data-testid="stMain"] h1, [data-testid="stMain"] [data-testid="stAlert"]', timeout=300_000
    )
    words = time.perf_counter() - began
    page.wait_for_function(DONE, timeout=300_000, polling=50)
    done = time.perf_counter() - began
    page.close()
    return shell, words, done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        source = args.db or samples_db(Path(tmp))
        browser = p.chromium.launch(
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
        cold, warm = [], []
        for n in range(1, args.rounds + 1):
            db = Path(tmp) / f"round_{n}" / "kpi.duckdb"
            db.parent.mkdir()
            shutil.copy(source, db)
            proc, url = start(db)
            try:
                cold.append(visit(browser, url))
                warm.append(visit(browser, url))
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            print(
                f"lượt {n}: nguội {' / '.join(f'{t:.2f}' for t in cold[-1])} s; "
                f"ấm {' / '.join(f'{t:.2f}' for t in warm[-1])} s "
                "(khung / chữ đầu tiên / trang đủ)"
            )
        browser.close()
    for i, what in enumerate(("khung Streamlit", "chữ đầu tiên", "trang đủ")):
        c = statistics.median(r[i] for r in cold)
        w = statistics.median(r[i] for r in warm)
        print(f"{what:16s} nguội {c:6.2f} s  ấm {w:6.2f} s  tỷ lệ nguội/ấm {c / w:5.2f}")


if __name__ == "__main__":
    main()
