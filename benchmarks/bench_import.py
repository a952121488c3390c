"""Import speed: our full import of a 100,000-row case export against plain reads of the
same file, in one run. Prints times, ratios and peak memory; asserts nothing.

    .venv/bin/python benchmarks/bench_import.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import resource
import tempfile
import time
from pathlib import Path

from storage.database import connect
from storage.demo import Commune, synthetic_cases, write_case_export
from storage.imports import import_files

OUT = Path(__file__).resolve().parent / "out"


def _child(fn, conn) -> None:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    conn.send((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def timed(label: str, fn) -> tuple[float, float]:
    """Run fn in a forked child so each line's peak memory (RSS) is its own."""
    parent, child = mp.Pipe()
    proc = mp.get_context("fork").Process(target=_child, args=(fn, child))
    proc.start()
    seconds, peak_mb = parent.recv()
    proc.join()
    print(f"{label:<46} {seconds:7.2f} s   bộ nhớ đỉnh {peak_mb:7.0f} MB")
    return seconds, peak_mb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"danh_sach_ho_so_{args.rows}_2026-12.xlsx"
    if not path.exists():
        print(f"Tạo tệp mẫu {args.rows:,} dòng ...")
        cases = synthetic_cases(
            args.rows,
            dt.date(2026, 1, 1),
            dt.date(2026, 12, 31),
            commune=Commune("XÃ BENCH", "000.99.99.H99"),
        )
        write_case_export(
            cases,
            path,
            commune_title="XÃ BENCH",
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 12, 31),
        )
    print(f"Tệp: {path.name} ({path.stat().st_size / 2**20:.1f} MB)\n")

    import fastexcel
    import pandas as pd
    import python_calamine

    def ours() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            con = connect(Path(tmp) / "bench.duckdb")
            result = import_files(con, [path], user="bench")[0]
            assert result.ok and result.inserted == args.rows, result.message
            con.close()

    t_ours, _ = timed("kpi-xa: đọc, ánh xạ, kiểm tra, lưu DuckDB", ours)
    t_fast, _ = timed(
        "fastexcel (chỉ đọc)",
        lambda: (
            fastexcel.read_excel(str(path))
            .load_sheet(0, header_row=None, schema_sample_rows=None)
            .to_pandas()
        ),
    )
    t_cal, _ = timed(
        "python-calamine (chỉ đọc)",
        lambda: (
            python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        ),
    )
    t_open, _ = timed(
        "pandas.read_excel(engine='openpyxl')",
        lambda: pd.read_excel(path, engine="openpyxl", header=None),
    )
    print()
    print(f"openpyxl / kpi-xa      = {t_open / t_ours:5.1f} lần (mục tiêu ≥ 8)")
    print(f"kpi-xa / fastexcel     = {t_ours / t_fast:5.2f} lần (mục tiêu ≤ 2)")
    print(f"kpi-xa / calamine      = {t_ours / t_cal:5.2f} lần (mục tiêu ≤ 2)")


if __name__ == "__main__":
    main()
