"""Periods: a month ("2026-03"), a quarter ("2026-Q1") or a year ("2026")."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    code: str
    start: dt.date
    end: dt.date

    @property
    def kind(self) -> str:
        return "year" if len(self.code) == 4 else ("quarter" if "Q" in self.code else "month")

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.start.month:02d}/{self.start.year}"
        if self.kind == "quarter":
            return f"Quý {'I II III IV'.split()[(self.start.month - 1) // 3]}/{self.start.year}"
        return f"Năm {self.start.year}"

    def previous(self) -> Period:
        if self.kind == "month":
            d = self.start - dt.timedelta(days=1)
            return parse(f"{d.year}-{d.month:02d}")
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3 + 1
            return parse(f"{self.start.year - 1}-Q4" if q == 1 else f"{self.start.year}-Q{q - 1}")
        return parse(str(self.start.year - 1))


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse(code: str) -> Period:
    text = code.strip().upper()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            return Period(f"{y}-{mo:02d}", dt.date(y, mo, 1), month_end(y, mo))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        y, q = int(m.group(1)), int(m.group(2))
        return Period(f"{y}-Q{q}", dt.date(y, 3 * q - 2, 1), month_end(y, 3 * q))
    if m := re.fullmatch(r"(\d{4})", text):
        y = int(m.group(1))
        return Period(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31))
    raise PeriodError(f"kỳ «{code}» không hợp lệ; dùng dạng 2026-03 (tháng), 2026-Q1 (quý) "
                      "hoặc 2026 (năm)")


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from start to end, inclusive."""
    months = []
    d = start.replace(day=1)
    while d <= end:
        months.append(d)
        d = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months
