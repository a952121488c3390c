"""``python -m indicators compute --period 2026-03|2026-Q1|2026 [--db PATH] [--commune NAME]
[--format json|table]``"""

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
