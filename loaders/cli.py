"""Command line: ``python -m loaders import [--db PATH] [--commune NAME] [--as-of DD/MM/YYYY]
[--skip-bad-rows] FILE...``, plus ``undo``, ``history`` and ``template`` (the Excel file for
hand-entered figures)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from .database import DatabaseBusy, connect
from .store import import_files, import_history, summary, undo_import


def _date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ngày «{text}» không hợp lệ; cần dạng ngày/tháng/năm, ví dụ 31/03/2026") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # Vietnamese, and no usage dump
        self.exit(2, f"Lỗi tham số: {message}\nXem hướng dẫn: python -m loaders --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m loaders",
                     description="Nhập tệp xuất từ Cổng dịch vụ công vào cơ sở dữ liệu kpi-xa.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    imp = sub.add_parser("import", help="nhập một hoặc nhiều tệp")
    imp.add_argument("files", nargs="+", metavar="FILE", help="tệp .xlsx, .xls, .csv")
    imp.add_argument("--db", help="tệp DuckDB (mặc định data/kpi.duckdb hoặc biến KPI_DB)")
    imp.add_argument("--commune", help="tên xã khi tệp không ghi, ví dụ \"Xã Diễn Châu\"")
    imp.add_argument("--as-of", type=_date, help="ngày chốt số liệu, dạng DD/MM/YYYY")
    imp.add_argument("--skip-bad-rows", action="store_true",
                     help="nhập các dòng đúng, ghi các dòng lỗi vào nhật ký")
    imp.add_argument("--user", help="người thực hiện (ghi vào nhật ký)")
    undo = sub.add_parser("undo", help="hoàn tác một lần nhập")
    undo.add_argument("import_id", type=int)
    undo.add_argument("--db")
    undo.add_argument("--user")
    hist = sub.add_parser("history", help="xem nhật ký nhập")
    hist.add_argument("--db")
    bak = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (khi bảng điều khiển đang chạy, "
                                        "dùng nút «Sao lưu» ở trang Quản trị)")
    bak.add_argument("--db")
    bak.add_argument("--out", help="thư mục chứa bản sao lưu (mặc định data/backups)")
    res = sub.add_parser("restore", help="khôi phục từ một bản sao lưu (tắt bảng điều khiển "
                                         "trước)")
    res.add_argument("file", help="tệp .duckdb sao lưu")
    res.add_argument("--db")
    tpl = sub.add_parser("template", help="tạo tệp Excel mẫu để nhập số liệu từ nguồn khác")
    tpl.add_argument("--commune", required=True, help="tên xã, ví dụ \"Xã Diễn Châu\"")
    tpl.add_argument("--month", required=True, type=_month, help="tháng, dạng 2026-03")
    tpl.add_argument("--out", required=True, help="đường dẫn tệp .xlsx sẽ tạo")
    return parser


def _month(text: str) -> dt.date:
    from indicators.periods import PeriodError, parse

    try:
        period = parse(text)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if period.kind != "month":
        raise argparse.ArgumentTypeError(f"«{text}» không phải một tháng; dùng dạng 2026-03")
    return period.start


def _template(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .figures import template
    from .titles import commune_name

    out = Path(args.out)
    out.write_bytes(template(commune_name(args.commune), args.month))
    print(f"Đã tạo tệp mẫu {out}. Điền cột «Giá trị» (hoặc «Tử số» và «Mẫu số») và «Nguồn», "
          f"rồi nhập bằng: python -m loaders import {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "template":
        return _template(args)
    if args.command == "restore":
        from .backup import restore

        try:
            print(f"Đã khôi phục {restore(args.file, args.db)} từ {args.file}.")
        except DatabaseBusy as exc:
            print(str(exc), file=sys.stderr)
            return 3
        return 0
    try:
        con = connect(args.db)
    except DatabaseBusy as exc:
        print(str(exc), file=sys.stderr)
        return 3
    try:
        if args.command == "import":
            results = import_files(con, args.files, commune=args.commune, as_of=args.as_of,
                                   skip_bad_rows=args.skip_bad_rows, user=args.user)
            for r in results:
                print(summary(r), file=sys.stdout if r.ok else sys.stderr)
                for w in r.warnings:
                    print(f"  Lưu ý: {w}")
            failed = [r for r in results if not r.ok]
            if failed:
                print(f"{len(failed)}/{len(results)} tệp bị từ chối: "
                      + ", ".join(r.file_name for r in failed), file=sys.stderr)
                return 1
            return 0
        if args.command == "backup":
            from .backup import backup

            print(f"Đã sao lưu vào {backup(con, args.out)}.")
            return 0
        if args.command == "undo":
            try:
                print(undo_import(con, args.import_id, args.user))
            except ValueError as exc:
                print(str(exc), file=sys.stderr)
                return 1
            return 0
        history = import_history(con)
        if history.empty:
            print("Chưa có lần nhập nào.")
        for row in history.itertuples():
            state = " (đã hoàn tác)" if row.undone_at is not None and str(row.undone_at) != "NaT" \
                else ""
            print(f"#{row.import_id} {row.imported_at:%d/%m/%Y %H:%M} {row.file_name} "
                  f"{row.commune} đến {row.as_of:%d/%m/%Y}: +{row.rows_inserted} "
                  f"~{row.rows_updated} ={row.rows_unchanged} lỗi {row.rows_rejected}{state}")
        return 0
    finally:
        con.close()
