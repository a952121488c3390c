"""The committee's loop on the command line: ``kpi-xa meeting`` (list the meetings, write a
meeting's «Thông báo kết luận»), ``kpi-xa ranking`` (print or export the ranking) and
``kpi-xa reminders`` (print a unit's reminders). Registered by ``cli.main`` in a few lines;
errors are ``UserError`` and become exit codes there."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from core import formatting as fmt
from core import settings
from core.errors import BadInput
from core.periods import PeriodError, parse
from indicators.compute import Engine
from loaders.titles import commune_name
from storage import meetings, tasks
from storage.areas import home_commune
from storage.database import connect


def _day(text: str | None, flag: str) -> dt.date | None:
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise PeriodError(f"{flag} «{text}» không phải ngày; ghi dạng 19/01/2026")


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(args.db)
    try:
        yield con
    finally:
        con.close()


def _commune(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> str:
    """--commune, else the installation's commune, else the only commune with tasks."""
    if args.commune:
        return commune_name(args.commune)
    home = home_commune(con)
    if home:
        return home
    known = tasks.communes_with_tasks(con)
    if len(known) == 1:
        return known[0]
    raise BadInput(
        'cần ghi --commune (ví dụ --commune "Xã Diễn Châu"); các xã có nhiệm vụ: '
        + (", ".join(known) or "chưa có")
    )


def _meeting(args: argparse.Namespace) -> int:
    from reports.notice import NoticeHead, build, default_head

    with _opened(args) as con:
        commune = _commune(con, args)
        if args.id is None:
            listed = meetings.listing(con, [commune])
            if not listed:
                print(f"{commune} chưa có cuộc họp nào được ghi.")
                return 0
            for m in listed:
                assigned = sum(len(c.assignments) for c in meetings.conclusions(con, m))
                print(
                    f"{m.id:>4}  {m.day:%d/%m/%Y}  {m.kind.label:<20} {m.chair[:40]:<40} "
                    f"{assigned} việc giao{'  (đã khóa)' if m.locked else ''}"
                )
            return 0
        if not args.out:
            raise BadInput("cần --out THƯ_MỤC để ghi thông báo kết luận")
        meeting = meetings.get(con, args.id, [commune])
        base = default_head(meeting, _day(args.issued, "--issued"))
        head = NoticeHead(
            base.issuer,
            args.number or base.number,
            base.place,
            base.issued,
            base.authority,
            args.signer or base.signer,
            base.recipients,
        )
        files = build(meeting, meetings.conclusions(con, meeting), head, with_pdf=not args.no_pdf)
        version = meetings.save_notice(
            con,
            meeting.id,
            [commune],
            files.docx,
            f"{files.stem}.docx",
            head.issued,
            args.user or settings.current_user(),
            head.number,
            head.signer,
        )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    docx = out / f"{files.stem}_v{version}.docx"
    docx.write_bytes(files.docx)
    print(f"Đã ghi {docx} (phiên bản {version})")
    if files.pdf:
        pdf = docx.with_suffix(".pdf")
        pdf.write_bytes(files.pdf)
        print(f"Đã ghi {pdf}")
    elif not args.no_pdf:
        print("Lưu ý: không có LibreOffice nên không tạo được PDF.", file=sys.stderr)
    return 0


def _ranking(args: argparse.Namespace) -> int:
    from indicators.ranking import ranking
    from reports.ranking_excel import (
        OFFICER_HEADERS,
        UNIT_HEADERS,
        officer_rows,
        shown,
        to_excel,
        unit_rows,
    )

    period = parse(args.period)
    with _opened(args) as con:
        commune = _commune(con, args)
        r = ranking(Engine(con), period, commune, _day(args.today, "--today"))
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() != ".xlsx":
            raise BadInput(f"«{out.name}»: tệp cần đuôi .xlsx, ví dụ xep_hang_{period.code}.xlsx")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(to_excel(r))
        print(f"Đã ghi {out}")
        return 0
    print(f"Đánh giá, xếp hạng — {period.label} — {commune} (số liệu đến {fmt.date(r.as_of)})")
    for title, frame, formula in (
        ("ĐƠN VỊ", shown(unit_rows(r), UNIT_HEADERS), r.unit_formula),
        ("CÁN BỘ", shown(officer_rows(r), OFFICER_HEADERS), r.officer_formula),
    ):
        print(f"\n{title}\n{formula}")
        if frame.empty:
            print("(không có)")
            continue
        print(frame.to_string(index=False))
    return 0


def _reminders(args: argparse.Namespace) -> int:
    from indicators.reminders import reminders
    from reports.reminders import text

    today = _day(args.today, "--today") or dt.date.today()
    with _opened(args) as con:
        commune = _commune(con, args)
        found = reminders(con, commune, today)
        listed = tasks.list_tasks(con, [commune], today)
    if args.unit:
        from storage.unit_reports import units

        known = set(units()) | {u for u in listed.get("chu_tri", []) if isinstance(u, str)}
        if args.unit not in known:
            raise BadInput(
                f"không có đơn vị «{args.unit}»; các đơn vị có việc cần nhắc: "
                + (", ".join(found) or "không có")
            )
        if args.unit not in found:
            print(f"{args.unit}: không có việc quá hạn hay đến hạn trong 7 ngày tới.")
            return 0
        print(text(found[args.unit], commune, today))
        return 0
    if not found:
        print("Không có việc quá hạn hay đến hạn trong 7 ngày tới.")
    print("\n\n".join(text(r, commune, today) for r in found.values()))
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    meet = sub.add_parser(
        "meeting",
        help="liệt kê cuộc họp; --id N --out THƯ_MỤC: viết thông báo kết luận (Word, PDF)",
    )
    meet.add_argument("--db")
    meet.add_argument("--commune")
    meet.add_argument("--id", type=int, help="số cuộc họp (xem danh sách khi không ghi)")
    meet.add_argument("--out", help="thư mục ghi thông báo kết luận")
    meet.add_argument("--issued", help="ngày ban hành, dạng 22/10/2026 (mặc định: hôm nay)")
    meet.add_argument("--number", help='số, ký hiệu, ví dụ "Số: 12/TB-UBND"')
    meet.add_argument("--signer", help="họ tên người ký")
    meet.add_argument("--no-pdf", action="store_true", help="không tạo PDF")
    meet.add_argument("--user", help="người thực hiện (ghi vào nhật ký)")
    rank = sub.add_parser(
        "ranking", help="xếp hạng đơn vị và cán bộ của một kỳ (in ra hoặc --out tệp .xlsx)"
    )
    rank.add_argument("--period", required=True, help="2026-10, 2026-Q3, 2026-H1 hoặc 2026")
    rank.add_argument("--db")
    rank.add_argument("--commune")
    rank.add_argument("--out", help="tệp Excel, ví dụ xep_hang_2026-10.xlsx")
    rank.add_argument("--today", help="tính đến ngày, dạng 22/11/2026 (mặc định: hôm nay)")
    rem = sub.add_parser(
        "reminders",
        help="việc quá hạn và đến hạn trong 7 ngày tới của một đơn vị (--unit) hoặc mọi đơn vị",
    )
    rem.add_argument("--unit", help='tên đơn vị, ví dụ "Công an xã"')
    rem.add_argument("--db")
    rem.add_argument("--commune")
    rem.add_argument("--today", help="tính đến ngày, dạng 19/10/2026 (mặc định: hôm nay)")
    return {"meeting": _meeting, "ranking": _ranking, "reminders": _reminders}
