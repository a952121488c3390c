"""The commune wall: the one rule for which commune an account may read and write.

An account tied to a commune (``tai_khoan.xa``) sees and writes that commune only; an
account for every commune (the province, an admin), the command line and the tests are not
narrowed. The dashboard says once per script run who is acting (:func:`act_as`, called by
``ui.auth.require`` before a page draws anything); every storage function that reads or
writes a commune's data asks :func:`check`, :func:`allows` or :func:`narrowed` here, so a
page cannot forget the wall and a crafted widget value, file row or import number meets it
below every surface. ``indicators`` narrows its engine with the same value.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import pandas as pd

from core.errors import Forbidden, ImportRejected, Problem

# Streamlit runs each script run in its own thread; the command line runs in one thread
# and never narrows.
_acting = threading.local()


def act_as(commune: str | None) -> None:
    """The commune this thread's account may see and write (None: every commune)."""
    _acting.commune = commune


def current() -> str | None:
    return getattr(_acting, "commune", None)


def narrowed(explicit: str | None = None) -> str | None:
    """The commune a read or write is limited to: the caller's own limit, else the acting
    account's. Two different limits leave nothing allowed (a commune no one is called)."""
    acting = current()
    if explicit is None or acting is None or explicit == acting:
        return explicit if explicit is not None else acting
    return "\x00"  # two accounts' limits disagree: nothing matches


def allows(commune: str | None, explicit: str | None = None) -> bool:
    only = narrowed(explicit)
    return only is None or commune == only


def check(communes: str | Iterable[str] | None, explicit: str | None = None) -> None:
    """Refuse (Forbidden, in Vietnamese, naming the commune) a read or write of a commune
    outside the acting account's."""
    only = narrowed(explicit)
    if only is None:
        return
    if communes is None:  # every commune at once
        raise Forbidden(f"Tài khoản này chỉ được xem và nhập số liệu của «{_shown(only)}».")
    names = [communes] if isinstance(communes, str) else list(communes)
    outside = sorted({str(c) for c in names if c != only})
    if outside:
        raise Forbidden(
            f"Tài khoản này chỉ được xem và nhập số liệu của «{_shown(only)}», "
            f"không phải của «{', '.join(outside)}»."
        )


def only_rows(
    frame: pd.DataFrame, column: str = "commune", explicit: str | None = None
) -> pd.DataFrame:
    """The rows of a table that the acting account may see."""
    only = narrowed(explicit)
    if only is None or frame.empty:
        return frame
    return frame[frame[column] == only]


def only_names(names: Iterable[str], explicit: str | None = None) -> list[str]:
    only = narrowed(explicit)
    return [n for n in names if only is None or n == only]


def foreign_rows(
    rows: pd.DataFrame, own: str, explicit: str | None = None, column: str = "commune"
) -> list[Problem]:
    """Each row of a file that names another commune than the account's, as a problem
    saying which row and which commune (a hand-entry template has a «Xã» column)."""
    only = narrowed(explicit)
    if only is None:
        return []
    problems = []
    if own != only:
        problems.append(
            Problem(
                f"tệp là số liệu của «{own}», tài khoản này chỉ được nhập "
                f"số liệu của «{_shown(only)}»"
            )
        )
    if column in rows.columns:
        for r in rows.to_dict("records"):
            commune = r[column]
            if commune != only and commune != own:
                row = r.get("_row")
                problems.append(
                    Problem(
                        f"dòng ghi xã «{commune}», tài khoản này chỉ được nhập số liệu của "
                        f"«{_shown(only)}»",
                        int(row) if row is not None else None,
                        "Xã",
                        commune,
                    )
                )
    return problems


def refuse_foreign(
    file_name: str, own: str, rows: pd.DataFrame, explicit: str | None = None
) -> ImportRejected | None:
    """An ImportRejected naming every row of another commune, or None when all is the
    account's own."""
    problems = foreign_rows(rows, own, explicit)
    if not problems:
        return None
    return ImportRejected(
        file_name,
        "có số liệu của xã khác, tệp chưa được nhập.",
        problems,
        hint="Kiểm tra cột «Xã» và tiêu đề tệp; số liệu xã khác do cán bộ xã đó hoặc tỉnh nhập.",
    )


def _shown(name: str) -> str:
    return "" if name == "\x00" else name
