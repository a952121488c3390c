"""The committee's loop: the unit and officer rankings of one commune and of a whole province
(100 communes, 2 million cases by default), warm, against a straightforward pandas count of
the same cases per officer in the same run; and a meeting's «Thông báo kết luận» (Word, and
Word + PDF) against one cold LibreOffice conversion. Prints medians and ratios; asserts
nothing.

    .venv/bin/python benchmarks/bench_loop.py [--cases 2000000] [--communes 100] [--runs 3]

The database of synthetic cases is the scorecard benchmark's (built once per size under
benchmarks/out/ and reused).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scorecard import AS_OF, OUT, build

from core.periods import parse
from indicators.compute import Engine
from indicators.ranking import province as every
from indicators.ranking import ranking
from reports.notice import build as notice
from reports.report import to_pdf
from storage import meetings
from storage.database import connect
from storage.meetings import Assignment

PERIOD = "2026-10"


def median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=2_000_000)
    ap.add_argument("--communes", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"bench_{args.cases}_{args.communes}.duckdb"
    if not path.exists():
        t = time.perf_counter()
        build(path, args.cases, args.communes)
        print(f"built {path.name} in {time.perf_counter() - t:.1f} s")
    work = Path(tempfile.mkdtemp()) / "loop.duckdb"
    shutil.copy(path, work)
    con = connect(work)
    try:
        engine = Engine(con)
        communes = engine.communes()
        period = parse(PERIOD)
        today = AS_OF + dt.timedelta(days=22)
        ranking(engine, period, communes[0], today)  # warm: the engine's components
        every(engine, period, communes, today)

        one = median(lambda: ranking(engine, period, communes[0], today), args.runs)
        province = median(lambda: every(engine, period, communes, today), args.runs)

        def pandas_counts() -> None:
            cases = con.execute(
                "SELECT commune, can_bo, ngay_tiep_nhan, so_hoa_tphs FROM ho_so"
            ).df()
            mask = (cases["ngay_tiep_nhan"] >= str(period.start)) & (
                cases["ngay_tiep_nhan"] < str(period.end + dt.timedelta(days=1))
            )
            cases[mask].groupby(["commune", "can_bo"])["so_hoa_tphs"].agg(["size", "sum"])

        base = median(pandas_counts, args.runs)
        print(f"cases {args.cases:,}, communes {len(communes)}")
        print(f"ranking, one commune (warm, median of {args.runs}): {one:.3f} s")
        print(
            f"ranking, every commune of the province (one pass for the officers, "
            f"median of {args.runs}): {province:.2f} s"
        )
        print(
            f"baseline, pandas count of received and digitised per officer over every case: "
            f"{base:.3f} s; ratio one commune / baseline {one / base:.2f}, province / "
            f"baseline {province / base:.2f}"
        )

        mid = meetings.create(
            con,
            communes[0],
            dt.date(2026, 10, 20),
            "thang",
            "Chủ tịch UBND",
            [f"Thành viên {i}" for i in range(12)],
            "bench",
            PERIOD,
        )
        for k in range(10):
            cid = meetings.add_conclusion(
                con, mid, [communes[0]], f"Kết luận số {k + 1} " * 8, "bench"
            )
            for j in range(3):
                meetings.assign(
                    con,
                    cid,
                    [communes[0]],
                    Assignment(
                        f"Đơn vị {j}",
                        f"Việc {k}.{j} " * 6,
                        dt.date(2026, 11, 30),
                        "Người A",
                        "Đơn vị phối hợp",
                        "Báo cáo",
                        "Trưởng Ban Chỉ đạo",
                    ),
                    "bench",
                )
        meeting = meetings.get(con, mid, None)
        found = meetings.conclusions(con, meeting)
        from reports.notice import default_head

        head = default_head(meeting, dt.date(2026, 10, 22))
        word = median(lambda: notice(meeting, found, head, with_pdf=False), args.runs)
        both = median(lambda: notice(meeting, found, head, with_pdf=True), args.runs)
        files = notice(meeting, found, head, with_pdf=False)
        with tempfile.TemporaryDirectory() as tmp:
            docx = Path(tmp) / "tb.docx"
            docx.write_bytes(files.docx)
            cold = median(lambda: to_pdf(docx, Path(tmp)), args.runs)
        print(
            f"notice of 10 conclusions, 30 assignments: Word {word:.3f} s, Word + PDF "
            f"{both:.2f} s; baseline one LibreOffice conversion {cold:.2f} s, ratio "
            f"{both / cold:.2f}"
        )
    finally:
        con.close()
        shutil.rmtree(work.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
