"""The monthly report while the committee waits: Word with its five charts, the Excel
scorecard and the PDF, built by a warm app (engine and fonts loaded, as in the running
dashboard), against the baseline of one cold LibreOffice conversion of the same document.
Prints medians of several runs and the ratios; asserts nothing.

    .venv/bin/python benchmarks/bench_report.py [--runs 5]

The database holds the Diễn Châu samples (built once under benchmarks/out/).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from core.periods import parse
from indicators.compute import Engine
from reports.report import build, charts
from storage.database import connect
from storage.imports import import_files

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
SAMPLES = ROOT / "tests" / "data" / "dien_chau"
COMMUNE = "Xã Diễn Châu"
PERIOD = "2026-03"


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold_conversion(docx: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        raise SystemExit("Cần LibreOffice để đo (apt-get install libreoffice-writer).")
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [
                office,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                out,
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / "report_samples.duckdb"
    if not path.exists():
        con = connect(path)
        import_files(con, sorted(SAMPLES.iterdir()), commune=COMMUNE, user="do_bao_cao")
        con.close()
    con = connect(path)
    engine = Engine(con)  # the running app holds it already
    period = parse(PERIOD)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        build(engine, period, COMMUNE, work / "khoi_dong")  # warm-up: fonts, imports
        t_charts = median_time(lambda: charts(engine, period, COMMUNE, work), args.runs)
        t_files = median_time(
            lambda: build(engine, period, COMMUNE, work / "tep", with_pdf=False), args.runs
        )
        t_all = median_time(lambda: build(engine, period, COMMUNE, work / "du"), args.runs)
        docx = next((work / "du").glob("*.docx"))
        t_cold = median_time(lambda: cold_conversion(docx), args.runs)
    con.close()
    print(f"Báo cáo tháng {PERIOD}, {COMMUNE} — trung vị của {args.runs} lần, ứng dụng đã chạy:")
    print(f"  5 biểu đồ (vẽ bằng Pillow, không cần trình duyệt)   {t_charts:6.2f} s")
    print(f"  Word + Excel + biểu đồ, chưa có PDF                 {t_files:6.2f} s")
    print(f"  Trọn bộ: Word, Excel, biểu đồ và PDF                {t_all:6.2f} s")
    print(
        f"  Mốc so sánh: một lần LibreOffice khởi động lạnh chuyển đúng tệp Word này "
        f"sang PDF  {t_cold:6.2f} s"
    )
    print(
        f"  → trọn bộ / chuyển đổi lạnh: {t_all / t_cold:4.2f} lần; phần ngoài LibreOffice: "
        f"{max(t_all - t_cold, 0):.2f} s; mục tiêu < 5 s: "
        f"{'đạt' if t_all < 5 else 'CHƯA ĐẠT'}"
    )


if __name__ == "__main__":
    main()
