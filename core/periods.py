"""Periods: a month ("2026-03"), a quarter ("2026-Q1"), a half-year ("2026-H1") or a
year ("2026")."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from core.errors import BadInput
from core.formatting import quarter_numeral

# Years a period may name: the programme's horizon with room either side (a URL with
# ?ky=0000 must be a refusal, not a crash in datetime).
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodError(BadInput):
    exit_code = 2  # a wrong argument, like argparse's own errors


@dataclass(frozen=True)
class Period:
    code: str
    start: dt.date
    end: dt.date

    @property
    def kind(self) -> str:
        if len(self.code) == 4:
            return "year"
        return {"Q": "quarter", "H": "half"}.get(self.code[5], "month")

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.start.month:02d}/{self.start.year}"
        if self.kind == "quarter":
            return f"Quý {quarter_numeral((self.start.month + 2) // 3)}/{self.start.year}"
        if self.kind == "half":
            first = self.start.month == 1
            return f"6 tháng {'đầu' if first else 'cuối'} năm {self.start.year}"
        return f"Năm {self.start.year}"

    def previous(self) -> Period:
        if self.kind == "month":
            d = self.start - dt.timedelta(days=1)
            return parse(f"{d.year}-{d.month:02d}")
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3 + 1
            return parse(f"{self.start.year - 1}-Q4" if q == 1 else f"{self.start.year}-Q{q - 1}")
        if self.kind == "half":
            y = self.start.year
            return parse(f"{y - 1}-H2" if self.start.month == 1 else f"{y}-H1")
        return parse(str(self.start.year - 1))


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse(code: str) -> Period:
    text = str(code).strip().upper()
    if (m := re.match(r"(\d{4})", text)) and not FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR:
        raise PeriodError(f"kỳ «{code}» không hợp lệ: năm phải từ {FIRST_YEAR} đến {LAST_YEAR}")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            return Period(f"{y}-{mo:02d}", dt.date(y, mo, 1), month_end(y, mo))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        y, q = int(m.group(1)), int(m.group(2))
        return Period(f"{y}-Q{q}", dt.date(y, 3 * q - 2, 1), month_end(y, 3 * q))
    if m := re.fullmatch(r"(\d{4})-H([12])", text):
        y, h = int(m.group(1)), int(m.group(2))
        return Period(f"{y}-H{h}", dt.date(y, 6 * h - 5, 1), month_end(y, 6 * h))
    if m := re.fullmatch(r"(\d{4})", text):
        y = int(m.group(1))
        return Period(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31))
    raise PeriodError(f"kỳ «{code}» không hợp lệ; dùng dạng 2026-03 (tháng), 2026-Q1 (quý), "
                      "2026-H1 (6 tháng) hoặc 2026 (năm)")


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from start to end, inclusive."""
    months = []
    d = start.replace(day=1)
    while d <= end:
        months.append(d)
        d = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months
