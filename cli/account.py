"""``kpi-xa account``: the way back in when no admin can sign in (or an old lock remains).

    kpi-xa account list                 # accounts, roles, communes
    kpi-xa account unlock TÊN           # reactivate, lift any wait or old lock
    kpi-xa account reset TÊN            # a temporary password, to change at the next sign-in

Run on the server by whoever runs the dashboard (the database file is theirs); each change
is in the audit trail. While the dashboard holds the database, stop it first (DuckDB lets
one process write).
"""

from __future__ import annotations

import argparse

from core import settings
from core.text import printable
from storage import accounts
from storage.database import connect


def add_parser(sub: argparse._SubParsersAction) -> None:
    acc = sub.add_parser("account", help="tài khoản: liệt kê, mở khóa, đặt lại mật khẩu")
    acc.add_argument(
        "action",
        choices=["list", "unlock", "reset"],
        help="list: liệt kê; unlock: mở khóa; reset: đặt lại mật khẩu",
    )
    acc.add_argument("username", nargs="?", help="tên đăng nhập (với unlock, reset)")
    acc.add_argument("--db")
    acc.add_argument("--user", help="người thực hiện (ghi vào nhật ký)")


def run(args: argparse.Namespace) -> int:
    if args.action != "list" and not args.username:
        raise accounts.AccountError(f"Cần tên đăng nhập: kpi-xa account {args.action} TÊN")
    by = args.user or settings.current_user()
    con = connect(args.db)
    try:
        if args.action == "list":
            for r in accounts.listing(con).itertuples():
                state = "" if r.hoat_dong else " (đã khóa)"
                print(
                    f"{printable(r.ten_dang_nhap)} · {accounts.ROLES[r.vai_tro]} · "
                    f"{printable(r.xa)}{state}"
                )
        elif args.action == "unlock":
            accounts.unlock(con, args.username, by)
            print(f"Đã mở khóa tài khoản «{printable(args.username.strip().lower())}».")
        else:
            temporary = accounts.reset_password(con, args.username, by)
            print(f"Mật khẩu tạm của «{printable(args.username.strip().lower())}»: {temporary}")
            print("Người dùng phải đổi mật khẩu ngay khi đăng nhập.")
    finally:
        con.close()
    return 0
