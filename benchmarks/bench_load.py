"""Load on one server: a real `streamlit run` on a generated province (100 communes, 2
million cases by default) and N concurrent viewers, each a Streamlit websocket client that
signs in with its own account's cookie and loads the overview, an indicator, the overdue
cases and meeting mode. A page counts as loaded when the server says the
script run finished (every table and chart of it has been sent).

Each viewer is one browser: it opens a session (sign-in by cookie, the overview drawn),
then goes through the four pages as a click in the sidebar does, in the same session.

Prints, per number of viewers: median and p95 seconds for opening a session and for each
page, the server's CPU-seconds per page view (from /proc, so the cost of every session and
thread is in it) and its peak memory; then the ratio of p95 at the most viewers to p95 at
one viewer. Asserts nothing.

    .venv/bin/python benchmarks/bench_load.py [--cases 2000000] [--communes 100]
                                              [--viewers 1 5 10 20] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import threading
import time
from pathlib import Path

from bench_scorecard import MONTH, build

from storage import accounts
from storage.database import connect
from testing.server import open_session, run_page, running_server

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PAGES = {  # page name: what a viewer asks for (the commune is the whole province)
    "tong_quan": {"ky": MONTH, "xa": "Tất cả các xã"},
    "chi_so": {"ky": MONTH, "xa": "Tất cả các xã", "chi_so": "ty_le_dung_han"},
    "ho_so_qua_han": {"ky": MONTH, "xa": "Tất cả các xã"},
    "che_do_hop": {"ky": MONTH, "xa": "Tất cả các xã"},
}
PASSWORD = "mat-khau-do-tai-1"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


REFUSAL = "Cần đăng nhập"


async def load_page(ws, page: str, params: dict[str, str]) -> float:
    """Seconds from asking for the page to the end of its script run, in a session already
    open (as a browser asks when a sidebar link is clicked). A run that drew no table or
    chart, or a refusal, is an error: the benchmark measures real pages."""
    start = time.perf_counter()
    run = await run_page(ws, page, params, timeout=600)
    if any(REFUSAL in text for _, text in run.drawn):
        raise RuntimeError(f"{page}: the server refused the signed-in viewer")
    if not run.ok:
        raise RuntimeError(f"{page}: the script run ended {run.finished}")
    if page and not {"dataframe", "plotly_chart", "metric", "table"} & run.kinds:
        raise RuntimeError(f"{page}: nothing drawn ({sorted(run.kinds)})")
    return time.perf_counter() - start


async def viewer(
    url: str, token: str, rounds: int, times: dict[str, list[float]], first: list[float]
) -> None:
    """One browser: opens the dashboard (a new session), then goes through the pages."""
    start = time.perf_counter()
    async with await open_session(url, token) as ws:
        await load_page(ws, "", PAGES["tong_quan"])
        first.append(time.perf_counter() - start)
        for _ in range(rounds):
            for page, params in PAGES.items():
                times[page].append(await load_page(ws, page, params))


async def level(
    url: str, tokens: list[str], rounds: int
) -> tuple[dict[str, list[float]], list[float]]:
    times: dict[str, list[float]] = {p: [] for p in PAGES}
    first: list[float] = []
    await asyncio.gather(*(viewer(url, t, rounds, times, first) for t in tokens))
    return times, first


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2_000_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--viewers", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"province_{args.cases}_{args.communes}.duckdb"
    if not path.exists():
        print(f"Tạo {args.cases:,} hồ sơ giả lập của {args.communes} xã ...")
        build(path, args.cases, args.communes)
    con = connect(path)
    if not accounts.has_accounts(con):
        accounts.create(con, "quantri", "Quản trị", "quan_tri", PASSWORD, by="do_tai")
    most = max(args.viewers)
    for i in range(most):
        if accounts.role_of(con, f"xem{i}") is None:
            accounts.create(con, f"xem{i}", f"Thành viên {i}", "xem", PASSWORD, by="do_tai")
    tokens = [accounts.sign_in(con, f"xem{i}", PASSWORD) for i in range(most)]
    con.close()

    print(
        f"{args.cases:,} hồ sơ, {args.communes} xã; mỗi người xem mở {len(PAGES)} trang × "
        f"{args.rounds} lượt. Máy: {os.cpu_count()} lõi."
    )
    with running_server(path, KPI_AUTH="1", KPI_DEMO="0") as server:
        proc, url = server.proc, server.ws_url
        t0 = time.perf_counter()
        # the main script first, as a browser does: it builds the navigation (until a
        # session has, Streamlit runs a page asked for by name without app.py), the shared
        # engine and the caches
        asyncio.run(level(url, tokens[:1], 1))
        print(
            f"Lần xem đầu tiên sau khi khởi động (tính bộ chỉ số dùng chung): "
            f"{time.perf_counter() - t0:.1f} s\n"
        )
        header = f"{'người xem':>9} {'trang':<16} {'trung vị':>9} {'p95':>7}"
        print(header + f" {'CPU-giây/lượt xem':>18} {'bộ nhớ đỉnh':>12}")
        p95_by_n: dict[int, float] = {}
        for n in args.viewers:
            peak = [rss_mb(proc.pid)]
            stop = threading.Event()

            def sample(peak=peak, stop=stop) -> None:
                while not stop.wait(0.2):
                    peak.append(rss_mb(proc.pid))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            cpu0 = cpu_seconds(proc.pid)
            times, first = asyncio.run(level(url, tokens[:n], args.rounds))
            cpu = cpu_seconds(proc.pid) - cpu0
            stop.set()
            sampler.join()
            views = sum(len(v) for v in times.values())
            rows = {"mở phiên mới": first, **times}
            for page, values in rows.items():
                print(
                    f"{n:>9} {page:<16} {statistics.median(values):8.2f}s {p95(values):6.2f}s"
                    + (
                        f" {cpu / (views + len(first)):17.3f}  {max(peak):10.0f} MB"
                        if page == "mở phiên mới"
                        else ""
                    )
                )
            p95_by_n[n] = max(p95(v) for v in rows.values())
        first, last = min(p95_by_n), max(p95_by_n)
        print(
            f"\np95 (trang chậm nhất) ở {last} người xem / ở {first} người xem: "
            f"{p95_by_n[last] / p95_by_n[first]:.2f} lần"
        )


if __name__ == "__main__":
    main()
