"""``python -m indicators compute --period 2026-03|2026-Q1|2026 [--db PATH] [--commune NAME]
[--format json|table]`` and ``python -m indicators report --period 2026-03 [--commune NAME]
--out DIR`` (Word, Excel and, with LibreOffice, PDF)."""

from __future__ import annotations

import argparse
import json
import sys

from loaders.cli import _Parser
from loaders.database import DatabaseBusy, connect
from loaders.titles import commune_name

from . import formatting as fmt
from .compute import Engine
from .definitions import DefinitionError
from .periods import PeriodError, parse
from .status import STATUS_LABELS


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m indicators", description="Tính chỉ số so với mục tiêu.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    comp = sub.add_parser("compute", help="tính mọi chỉ số cho một kỳ")
    comp.add_argument("--period", required=True, help="2026-03, 2026-Q1 hoặc 2026")
    comp.add_argument("--db")
    comp.add_argument("--commune")
    comp.add_argument("--format", choices=["json", "table"], default="table")
    rep = sub.add_parser("report", help="xuất báo cáo tháng (Word, Excel, PDF)")
    rep.add_argument("--period", required=True, help="2026-03 (cũng nhận quý hoặc năm)")
    rep.add_argument("--db")
    rep.add_argument("--commune")
    rep.add_argument("--out", required=True, help="thư mục ghi tệp báo cáo")
    rep.add_argument("--no-charts", action="store_true", help="không vẽ biểu đồ")
    rep.add_argument("--no-pdf", action="store_true", help="không tạo PDF")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        period = parse(args.period)
        con = connect(args.db)
        engine = Engine(con)
    except (PeriodError, DefinitionError, DatabaseBusy) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    commune = commune_name(args.commune) if args.commune else None
    if commune and commune not in engine.communes():
        known = ", ".join(engine.communes()) or "chưa có"
        print(f"Lỗi: không có dữ liệu của «{commune}» (các xã có dữ liệu: {known}).",
              file=sys.stderr)
        return 2
    if args.command == "report":
        from pathlib import Path

        from .report import build

        files = build(engine, period, commune, Path(args.out), with_charts=not args.no_charts,
                      with_pdf=not args.no_pdf)
        con.close()
        for path in [files.docx, files.xlsx, files.pdf, *files.charts]:
            if path is not None:
                print(f"Đã ghi {path}")
        for note in files.notes:
            print(f"Lưu ý: {note}", file=sys.stderr)
        return 0
    results = engine.scorecard(period, commune)
    con.close()
    if args.format == "json":
        print(json.dumps({"period": period.code, "commune": commune,
                          "indicators": [r.as_json() for r in results]},
                         ensure_ascii=False, indent=1, default=str))
        return 0
    print(f"{period.label} — {commune or 'Tất cả các xã'}")
    print(f"{'Chỉ số':<48} {'Giá trị':>10} {'Tử số':>8} {'Mẫu số':>8} {'Mục tiêu':>9}  Trạng thái")
    for r in results:
        print(f"{r.name[:48]:<48} {fmt.value(r.value, r.unit, r.decimals):>10} "
              f"{fmt.number(r.numerator):>8} {fmt.number(r.denominator):>8} "
              f"{fmt.value(r.target, r.unit, r.decimals):>9}  {STATUS_LABELS[r.status]}")
    return 0
