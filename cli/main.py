"""The command line, ``kpi-xa`` (or ``python -m cli``): a thin layer over the library.

Every error meant for a person (``core.errors.UserError``) becomes a Vietnamese message and
an exit code here, at the edge; anything else is a bug, logged with a reference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from cli import account as account_cli
from cli import loop
from core import formatting as fmt
from core.errors import BadInput, UserError, reference
from core.periods import Period, PeriodError, days, parse
from core.text import printable
from indicators import present
from indicators.compute import Engine, Result
from indicators.definitions import manual_indicators
from loaders.titles import commune_name
from storage.backup import backup, restore
from storage.database import connect
from storage.imports import import_files, import_history, summary, undo_import
from storage.logs import log_to_file

PROG = "kpi-xa"
log = logging.getLogger("kpi_xa")


def _date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ngày «{text}» không hợp lệ; cần dạng ngày/tháng/năm, ví dụ 31/03/2026"
        ) from None


def _month(text: str) -> dt.date:
    try:
        period = parse(text)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if period.kind != "month":
        raise argparse.ArgumentTypeError(f"«{text}» không phải một tháng; dùng dạng 2026-03")
    return period.start


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]  # Vietnamese, no usage dump
        self.exit(2, f"Lỗi tham số: {message}\nXem hướng dẫn: {PROG} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="kpi-xa: nhập dữ liệu, tính chỉ số, báo cáo.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    imp = sub.add_parser("import", help="nhập một hoặc nhiều tệp")
    imp.add_argument("files", nargs="+", metavar="FILE", help="tệp .xlsx, .xls, .csv")
    imp.add_argument("--db", help="tệp DuckDB (mặc định data/kpi.duckdb hoặc biến KPI_DB)")
    imp.add_argument("--commune", help='tên xã khi tệp không ghi, ví dụ "Xã Diễn Châu"')
    imp.add_argument("--as-of", type=_date, help="ngày chốt số liệu, dạng DD/MM/YYYY")
    imp.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="nhập các dòng đúng, ghi các dòng lỗi vào nhật ký",
    )
    imp.add_argument("--user", help="người thực hiện (ghi vào nhật ký)")
    undo = sub.add_parser("undo", help="hoàn tác một lần nhập")
    undo.add_argument("import_id", type=int)
    undo.add_argument("--db")
    undo.add_argument("--user")
    hist = sub.add_parser("history", help="xem nhật ký nhập")
    hist.add_argument("--db")
    bak = sub.add_parser(
        "backup",
        help="sao lưu cơ sở dữ liệu (khi bảng điều khiển đang chạy, "
        "dùng nút «Sao lưu» ở trang Quản trị)",
    )
    bak.add_argument("--db")
    bak.add_argument("--out", help="thư mục chứa bản sao lưu (mặc định data/backups)")
    res = sub.add_parser("restore", help="khôi phục từ một bản sao lưu (tắt bảng điều khiển trước)")
    res.add_argument("file", help="tệp .duckdb sao lưu")
    res.add_argument("--db")
    tpl = sub.add_parser("template", help="tạo tệp Excel mẫu để nhập số liệu từ nguồn khác")
    tpl.add_argument("--commune", required=True, help='tên xã, ví dụ "Xã Diễn Châu"')
    tpl.add_argument("--month", required=True, type=_month, help="tháng, dạng 2026-03")
    tpl.add_argument("--out", required=True, help="đường dẫn tệp .xlsx sẽ tạo")
    comp = sub.add_parser("compute", help="tính mọi chỉ số cho một kỳ")
    _window_args(
        comp,
        "2026-03 (tháng), 2026-03-R (kỳ báo cáo tháng 3), 2026-Q1 (quý), "
        "2026-H1 (6 tháng) hoặc 2026 (năm)",
    )
    comp.add_argument("--db")
    comp.add_argument("--commune")
    comp.add_argument("--format", choices=["json", "table"], default="table")
    rep = sub.add_parser("report", help="xuất báo cáo tháng (Word, Excel, PDF)")
    _window_args(
        rep,
        "2026-03: kỳ báo cáo tháng 3 (từ ngày sau ngày chốt tháng trước đến "
        "ngày chốt, mặc định ngày 18); cũng nhận quý, 6 tháng, năm",
    )
    rep.add_argument("--db")
    rep.add_argument("--commune")
    rep.add_argument("--out", required=True, help="thư mục ghi tệp báo cáo")
    rep.add_argument("--no-charts", action="store_true", help="không vẽ biểu đồ")
    rep.add_argument("--no-pdf", action="store_true", help="không tạo PDF")
    rep.add_argument("--end", help="đổi riêng ngày cuối kỳ báo cáo, dạng 19/01/2026")
    rep.add_argument("--issued", help="ngày ban hành ghi trên văn bản (mặc định: hôm nay)")
    snap = sub.add_parser(
        "snapshot",
        help="ảnh PNG bảng chỉ số của tháng để gửi Zalo, kèm đoạn tóm tắt in ra màn hình",
    )
    _window_args(snap, "2026-08 (cũng nhận kỳ báo cáo 2026-08-R, quý, năm)")
    snap.add_argument("--db")
    snap.add_argument("--commune")
    snap.add_argument("--out", required=True, help="tệp ảnh, ví dụ chi_so_2026-08.png")
    account_cli.add_parser(sub)  # issue 19: the way back in (cli/account.py)
    COMMANDS.update(loop.add_parsers(sub))  # meeting, ranking, reminders (cli/loop.py)
    return parser


def _window_args(p: argparse.ArgumentParser, help_period: str) -> None:
    """A window: --period, or --from and --to (both or neither)."""
    p.add_argument("--period", help=help_period)
    p.add_argument(
        "--from",
        dest="date_from",
        type=_date,
        help="ngày đầu kỳ, dạng DD/MM/YYYY (cùng với --to, thay cho --period)",
    )
    p.add_argument("--to", dest="date_to", type=_date, help="ngày cuối kỳ, dạng DD/MM/YYYY")


def _window(args: argparse.Namespace) -> Period:
    """The window the arguments name; a Vietnamese refusal when they name none or two."""
    dates = (args.date_from, args.date_to)
    if args.period and any(dates):
        raise PeriodError("dùng --period hoặc --from và --to, không dùng cả hai")
    if any(dates):
        if not all(dates):
            raise PeriodError("cần cả --from và --to (dạng DD/MM/YYYY)")
        return days(args.date_from, args.date_to)
    if not args.period:
        raise PeriodError("cần --period (ví dụ 2026-03) hoặc --from và --to")
    return parse(args.period)


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)  # reports, pictures, templates: readable by their owner only
    args = build_parser().parse_args(argv)
    log_to_file()  # a bug's traceback or a reader's panic: to the log file, not the terminal
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader stopped early (| head): nothing is wrong
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug: a reference to the log, never a traceback
        ref = reference()
        log.error("command %s failed [%s]", args.command, ref, exc_info=exc)
        print(f"Lỗi không mong đợi (mã tra cứu {ref}); gửi mã này cho quản trị.", file=sys.stderr)
        return 70


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database named by --db (or KPI_DB), closed whatever happens."""
    con = connect(args.db)
    try:
        yield con
    finally:
        con.close()


def _import(args: argparse.Namespace) -> int:
    with _opened(args) as con:
        results = import_files(
            con,
            args.files,
            commune=args.commune,
            as_of=args.as_of,
            skip_bad_rows=args.skip_bad_rows,
            user=args.user,
            manual=manual_indicators(),
        )
    for r in results:
        print(summary(r), file=sys.stdout if r.ok else sys.stderr)
        for w in r.warnings:
            print(f"  Lưu ý: {printable(w)}")
    failed = [r for r in results if not r.ok]
    if failed:
        print(
            f"{len(failed)}/{len(results)} tệp bị từ chối: "
            + ", ".join(printable(r.file_name) for r in failed),
            file=sys.stderr,
        )
        # the messages name the page's controls; these are the same choices here
        print(
            'Trên dòng lệnh: xã là --commune "Xã Diễn Châu", ngày chốt là --as-of '
            "31/03/2026, bỏ qua dòng lỗi là --skip-bad-rows.",
            file=sys.stderr,
        )
        return 1
    return 0


def _undo(args: argparse.Namespace) -> int:
    with _opened(args) as con:
        print(undo_import(con, args.import_id, args.user))
    return 0


def _history(args: argparse.Namespace) -> int:
    with _opened(args) as con:
        history = import_history(con)
    if history.empty:
        print("Chưa có lần nhập nào.")
    for row in history.itertuples():
        state = (
            " (đã hoàn tác)" if row.undone_at is not None and str(row.undone_at) != "NaT" else ""
        )
        print(
            f"#{row.import_id} {row.imported_at:%d/%m/%Y %H:%M} {printable(row.file_name)} "
            f"{row.commune} đến {row.as_of:%d/%m/%Y}: +{row.rows_inserted} "
            f"~{row.rows_updated} ={row.rows_unchanged} lỗi {row.rows_rejected}{state}"
        )
    return 0


def _backup(args: argparse.Namespace) -> int:
    with _opened(args) as con:
        print(f"Đã sao lưu vào {backup(con, args.out)}.")
    return 0


def _restore(args: argparse.Namespace) -> int:
    print(f"Đã khôi phục {restore(args.file, args.db)} từ {args.file}.")
    return 0


def _template(args: argparse.Namespace) -> int:
    from reports.template import template

    out = Path(args.out)
    out.write_bytes(template(commune_name(args.commune), args.month))
    print(
        f"Đã tạo tệp mẫu {out}. Điền cột «Giá trị» (hoặc «Tử số» và «Mẫu số») và «Nguồn», "
        f"rồi nhập bằng: {PROG} import {out}"
    )
    return 0


def _engine(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> tuple[Engine, str | None]:
    engine = Engine(con)
    commune = commune_name(args.commune) if args.commune else None
    if commune and commune not in engine.choosable():
        known = ", ".join(engine.choosable()) or "chưa có"
        raise UserError(f"không có dữ liệu của «{commune}» (các xã có dữ liệu: {known}).")
    return engine, commune


def compute_json(
    window: Period, as_of: dt.date | None, commune: str | None, results: list[Result]
) -> dict:
    """What ``compute --format json`` prints: the window, its as-of date, the commune and
    every figure with its value, target as written, status and sentence."""
    return {
        "window": {
            "from": window.start.isoformat(),
            "to": window.end.isoformat(),
            "label": window.label,
            "code": window.code,
        },
        "as_of": None if as_of is None else as_of.isoformat(),
        "commune": present.commune(commune),
        "indicators": [
            {
                **r.as_json(),
                "window": window.code,
                "text": {
                    "value": present.value(r),
                    "target": present.target(r),
                    "expected": present.expected(r),
                    "status": present.status(r),
                    "sentence": present.sentence(r),
                },
            }
            for r in results
        ],
    }


def _compute(args: argparse.Namespace) -> int:
    window = _window(args)
    with _opened(args) as con:
        engine, commune = _engine(con, args)
        results = engine.scorecard(window, commune)
        as_of = engine.period_end(window, [commune] if commune else engine.communes())
    if args.format == "json":
        print(
            json.dumps(compute_json(window, as_of, commune, results), ensure_ascii=False, indent=1)
        )
        return 0
    print(f"{present.coverage(window, as_of)} — {present.commune(commune)}")
    print(f"{'Chỉ số':<48} {'Giá trị':>10} {'Tử số':>8} {'Mẫu số':>8} {'Mục tiêu':>16}  Trạng thái")
    for r in results:
        print(
            f"{r.name[:48]:<48} {present.value(r):>10} "
            f"{fmt.number(r.numerator):>8} {fmt.number(r.denominator):>8} "
            f"{present.target(r):>16}  {present.status(r)}"
        )
    return 0


def _day(text: str | None, flag: str) -> dt.date | None:
    """A date as people write it (19/01/2026) or ISO; a Vietnamese message otherwise."""
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise PeriodError(f"{flag} «{text}» không phải ngày; ghi dạng 19/01/2026")


def _report(args: argparse.Namespace) -> int:
    from reports.report import build, window

    period = _window(args)
    end, issued = _day(args.end, "--end"), _day(args.issued, "--issued")
    with _opened(args) as con:
        engine, commune = _engine(con, args)
        # days given with --from/--to are the report's own, even when they make a month
        w = window(engine, period, commune, end or args.date_to, issued, args.date_from)
        print(f"Kỳ báo cáo: {w.period.label} ({w.period.days})")
        files = build(
            engine,
            w.period,
            commune,
            Path(args.out),
            with_charts=not args.no_charts,
            with_pdf=not args.no_pdf,
            issued=issued,
        )
    for path in [files.docx, files.xlsx, files.pdf, *files.charts]:
        if path is not None:
            print(f"Đã ghi {path}")
    for note in files.notes:
        print(f"Lưu ý: {note}", file=sys.stderr)
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    from reports.snapshot import picture, snapshot, summary_text

    period = _window(args)
    out = Path(args.out)
    if out.suffix.lower() != ".png":
        raise BadInput(f"«{out.name}»: tệp ảnh cần đuôi .png, ví dụ chi_so_{period.code}.png")
    with _opened(args) as con:
        engine, commune = _engine(con, args)
        shot = snapshot(engine, period, commune)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(picture(shot))
    print(summary_text(shot))
    print(f"Đã ghi {out}", file=sys.stderr)
    return 0


COMMANDS = {
    "import": _import,
    "undo": _undo,
    "history": _history,
    "backup": _backup,
    "restore": _restore,
    "template": _template,
    "compute": _compute,
    "report": _report,
    "snapshot": _snapshot,
    "account": account_cli.run,
}
