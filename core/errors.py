"""One error hierarchy. Everything a user may read derives from :class:`UserError` and
carries its Vietnamese message; the command lines turn it into an exit code at their edge,
the pages into ``st.error``. Any other exception is a bug: logged, and shown as a short
generic message with a reference to the log line.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from core.text import printable


def reference() -> str:
    """A short id that ties a message a user saw to its line in the log file."""
    return f"{dt.datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


class UserError(Exception):
    """Base of every error whose message is meant for the person using kpi-xa."""

    exit_code = 1

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.text = message

    def __str__(self) -> str:
        return self.text


class BadInput(UserError):
    """A value typed or chosen by the user is not acceptable."""


class NotFound(BadInput):
    """What was asked for does not exist (an import number, a task, an account)."""


class Forbidden(UserError):
    """The user's role does not allow this."""


class LockedMonth(UserError):
    """A change would alter a month that was locked after its meeting."""


class DatabaseBusy(UserError):
    """The database file is held by another program (DuckDB allows one writer process)."""

    exit_code = 3


class StorageFault(UserError):
    """The database could not be written or read (disk full, read-only, corrupted file)."""

    exit_code = 4


class DefinitionError(UserError):
    """An indicator, target or synonym declaration is wrong; names the file and field."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One bad cell or row: where it is as the user sees it in Excel, and why."""

    reason: str
    row: int | None = None  # 1-based row number as in Excel
    column: str | None = None  # the header as written in the file
    value: str | None = None
    sheet: str | None = None

    def describe(self) -> str:
        where = []
        if self.sheet:
            where.append(f"trang «{self.sheet}»")
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột «{self.column}»")
        text = ", ".join(where)
        value = f" giá trị «{self.value}»" if self.value not in (None, "") else ""
        return f"{text}:{value} — {self.reason}" if text else f"{self.reason}{value}"


@dataclass
class ImportRejected(UserError):
    """A file that cannot be imported. Nothing of it is stored."""

    file_name: str
    reason: str
    problems: list[Problem] = field(default_factory=list)
    hint: str = ""

    def __post_init__(self) -> None:
        UserError.__init__(self, self.reason)

    def __reduce__(self) -> tuple[type[ImportRejected], tuple[object, ...]]:
        # crosses the worker process boundary
        return (ImportRejected, (self.file_name, self.reason, self.problems, self.hint))

    def __str__(self) -> str:
        return self.message()

    def message(self, limit: int = 20) -> str:
        lines = [f"Tệp «{printable(self.file_name)}» bị từ chối: {self.reason}"]
        for problem in self.problems[:limit]:
            lines.append(f"  - {problem.describe()}")
        if len(self.problems) > limit:
            lines.append(f"  ... và {len(self.problems) - limit} lỗi khác.")
        if self.hint:
            lines.append(f"  Cách xử lý: {self.hint}")
        return "\n".join(lines)
