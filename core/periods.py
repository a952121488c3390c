"""Windows of days that figures are computed over: a calendar month ("2026-03"), a quarter
("2026-Q1"), a half-year ("2026-H1"), a year ("2026"), a monthly reporting window
("2026-03-R": from the day after February's cut-off to March's cut-off, the 18th by default
as Công văn 001 §7 asks; the year's first window starts on 01/01 and its last ends on 31/12,
so the year's reporting windows cover every day once), or any run of days
("2026-01-01..2026-01-19", a report with its own dates)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from core import settings
from core.errors import BadInput
from core.formatting import quarter_numeral
from core.type_enums import WindowKind, assert_values_exhausted

# Years a period may name: the programme's horizon with room either side (a URL with
# ?ky=0000 must be a refusal, not a crash in datetime).
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodError(BadInput):
    exit_code = 2  # a wrong argument, like argparse's own errors


def legal_day(d: dt.date) -> str:
    """A day or month number as Nghị định 30/2020 writes it in a date: a leading zero for
    days under 10 and for months 1 and 2 only («ngày 05 tháng 02», «ngày 18 tháng 3»)."""
    return f"{d.day:02d}"


def legal_month(month: int) -> str:
    return f"{month:02d}" if month < 3 else str(month)


def legal_date(d: dt.date) -> str:
    """«ngày 05 tháng 02 năm 2026», «ngày 18 tháng 3 năm 2026»."""
    return f"ngày {d.day:02d} tháng {legal_month(d.month)} năm {d.year}"


def cutoff_day() -> int:
    day = settings.number("report_cutoff_day")
    if not 1 <= day <= 28:
        raise PeriodError(f"KPI_REPORT_CUTOFF_DAY={day} không hợp lệ: ngày chốt phải từ 1 đến 28")
    return day


@dataclass(frozen=True)
class Period:
    """A window of days. ``code`` round-trips through ``parse`` (URLs, the command line)."""

    code: str
    start: dt.date
    end: dt.date
    kind: WindowKind

    @property
    def label(self) -> str:
        y = self.end.year
        match self.kind:
            case WindowKind.MONTH:
                return f"Tháng {self.start.month:02d}/{y}"
            case WindowKind.QUARTER:
                return f"Quý {quarter_numeral((self.start.month + 2) // 3)}/{y}"
            case WindowKind.HALF:
                return f"6 tháng {'đầu' if self.start.month == 1 else 'cuối'} năm {y}"
            case WindowKind.YEAR:
                return f"Năm {y}"
            case WindowKind.REPORT:
                return f"Kỳ báo cáo tháng {self.end.month:02d}/{y}: {self.days}"
            case WindowKind.DAYS:
                return f"Từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"
            case _:
                assert_values_exhausted(self.kind)

    @property
    def days(self) -> str:
        """The days covered, short: «19/09–18/10/2026», «01/01–31/12/2026»."""
        if self.start.year != self.end.year:
            return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"
        return f"{self.start:%d/%m}–{self.end:%d/%m/%Y}"

    @property
    def year(self) -> int:
        """The programme year the window belongs to (its last day's)."""
        return self.end.year

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        match self.kind:
            case WindowKind.MONTH:
                d = self.start - dt.timedelta(days=1)
                return month(d.year, d.month)
            case WindowKind.QUARTER:
                q = (self.start.month - 1) // 3 + 1
                return parse(
                    f"{self.start.year - 1}-Q4" if q == 1 else f"{self.start.year}-Q{q - 1}"
                )
            case WindowKind.HALF:
                y = self.start.year
                return parse(f"{y - 1}-H2" if self.start.month == 1 else f"{y}-H1")
            case WindowKind.YEAR:
                return parse(str(self.start.year - 1))
            case WindowKind.REPORT:
                d = self.end.replace(day=1) - dt.timedelta(days=1)
                return reporting(d.year, d.month)
            case WindowKind.DAYS:
                return days(
                    self.start - dt.timedelta(days=self.n_days), self.start - dt.timedelta(days=1)
                )
            case _:
                assert_values_exhausted(self.kind)


def month_end(year: int, month_: int) -> dt.date:
    return dt.date(year, month_, calendar.monthrange(year, month_)[1])


def month(year: int, month_: int) -> Period:
    return Period(
        f"{year}-{month_:02d}", dt.date(year, month_, 1), month_end(year, month_), WindowKind.MONTH
    )


def reporting(year: int, month_: int, cutoff: int | None = None) -> Period:
    """The reporting window of a month: the day after the previous month's cut-off (01/01 for
    January) to this month's cut-off (31/12 for December)."""
    c = cutoff or cutoff_day()
    start = (
        dt.date(year, 1, 1) if month_ == 1 else dt.date(year, month_ - 1, c) + dt.timedelta(days=1)
    )
    end = dt.date(year, 12, 31) if month_ == 12 else dt.date(year, month_, c)
    return Period(f"{year}-{month_:02d}-R", start, end, WindowKind.REPORT)


def reporting_windows(year: int, cutoff: int | None = None) -> list[Period]:
    return [reporting(year, m, cutoff) for m in range(1, 13)]


def days(start: dt.date, end: dt.date) -> Period:
    """Any run of days; a whole calendar month or a reporting window keeps its own kind."""
    if end < start:
        raise PeriodError(f"ngày đầu kỳ {start:%d/%m/%Y} sau ngày cuối kỳ {end:%d/%m/%Y}")
    for y in (start.year, end.year):
        if not FIRST_YEAR <= y <= LAST_YEAR:
            raise PeriodError(f"năm {y} không hợp lệ: năm phải từ {FIRST_YEAR} đến {LAST_YEAR}")
    if start.day == 1 and end == month_end(start.year, start.month):
        return month(start.year, start.month)
    rep = reporting(end.year, end.month)
    if (rep.start, rep.end) == (start, end):
        return rep
    return Period(f"{start.isoformat()}..{end.isoformat()}", start, end, WindowKind.DAYS)


def parse(code: str) -> Period:
    text = str(code).strip().upper()
    if (m := re.match(r"(\d{4})", text)) and not FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR:
        raise PeriodError(f"kỳ «{code}» không hợp lệ: năm phải từ {FIRST_YEAR} đến {LAST_YEAR}")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            return month(y, mo)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-R", text):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            return reporting(y, mo)
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
        try:
            a, b = dt.date.fromisoformat(m.group(1)), dt.date.fromisoformat(m.group(2))
        except ValueError:
            raise PeriodError(f"kỳ «{code}» có ngày không tồn tại") from None
        return days(a, b)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        y, q = int(m.group(1)), int(m.group(2))
        return Period(
            f"{y}-Q{q}", dt.date(y, 3 * q - 2, 1), month_end(y, 3 * q), WindowKind.QUARTER
        )
    if m := re.fullmatch(r"(\d{4})-H([12])", text):
        y, h = int(m.group(1)), int(m.group(2))
        return Period(f"{y}-H{h}", dt.date(y, 6 * h - 5, 1), month_end(y, 6 * h), WindowKind.HALF)
    if m := re.fullmatch(r"(\d{4})", text):
        y = int(m.group(1))
        return Period(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), WindowKind.YEAR)
    raise PeriodError(
        f"kỳ «{code}» không hợp lệ; dùng dạng 2026-03 (tháng), 2026-03-R (kỳ báo "
        "cáo tháng 3, đến ngày chốt), 2026-Q1 (quý), 2026-H1 (6 tháng), 2026 "
        "(năm) hoặc 2026-01-01..2026-01-19 (từ ngày đến ngày)"
    )


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from start to end, inclusive."""
    months = []
    d = start.replace(day=1)
    while d <= end:
        months.append(d)
        d = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months
