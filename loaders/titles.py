"""What a file says about itself: the commune and the reporting period, from its title
rows or its file name (docs/indicators.md, section 1, "Snapshots")."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from core.formatting import QUARTER_PATTERN, quarter_number
from core.text import clean, nfc

_DATE = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
_RANGE_RE = re.compile(
    rf"(?:từ(?:\s+ngày)?\s*){_DATE}\s*(?:[-–]|đến(?:\s+ngày)?)\s*{_DATE}", re.IGNORECASE
)
_TO_RE = re.compile(rf"đến(?:\s+ngày)?\s*{_DATE}", re.IGNORECASE)
_MONTH_RE = re.compile(r"tháng\s*(\d{1,2})\s*(?:/|năm|-)\s*(\d{4})", re.IGNORECASE)
_QUARTER_RE = re.compile(rf"quý\s*({QUARTER_PATTERN})\s*(?:/|năm|-)\s*(\d{{4}})", re.IGNORECASE)

_COMMUNE_RE = re.compile(
    r"(?:^|[\s(\-–:,])(xã|phường|thị trấn|đặc khu)\s+(?!hội\b)((?:[^\W\d_]+[ ]?){1,4})",
    re.IGNORECASE,
)
_STOP_WORDS = {"ngày", "tỉnh", "huyện", "thành", "từ", "kỳ", "năm", "tháng", "bộ", "báo"}


def _date(d: str, m: str, y: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_from_text(text: str) -> tuple[dt.date | None, dt.date | None]:
    """(start, end) from "Từ ngày 01/03/2026 đến ngày 31/03/2026", "Tháng 3/2026", "Quý I/2026"."""
    text = nfc(text)
    m = _RANGE_RE.search(text)
    if m:
        return _date(*m.groups()[:3]), _date(*m.groups()[3:])
    m = _TO_RE.search(text)
    if m:
        end = _date(*m.groups())
        return (end.replace(day=1) if end else None), end
    m = _MONTH_RE.search(text)
    if m and 1 <= int(m.group(1)) <= 12:
        y, mo = int(m.group(2)), int(m.group(1))
        return dt.date(y, mo, 1), _month_end(y, mo)
    m = _QUARTER_RE.search(text)
    if m:
        q = quarter_number(m.group(1))
        y = int(m.group(2))
        return dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    return None, None


_NAME_FULL_DATE = re.compile(
    r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)"
    r"|(?<!\d)(\d{2})[-_.](\d{2})[-_.](\d{4})(?!\d)"
)
_NAME_MONTH = re.compile(r"(?<!\d)(\d{4})[-_.](\d{1,2})(?!\d)|(?<!\d)(\d{1,2})[-_.](\d{4})(?!\d)")


def period_from_name(name: str) -> tuple[dt.date | None, dt.date | None]:
    """From a file name: full dates ("2026-01-01_den_2026-01-19", "01-08-2026"), else a year
    and month ("2026-08", "08_2026")."""
    dates = []
    for m in _NAME_FULL_DATE.finditer(name):
        if m.group(1):
            d = _date(m.group(3), m.group(2), m.group(1))
        else:
            d = _date(m.group(4), m.group(5), m.group(6))
        if d:
            dates.append(d)
    if dates:
        start = dates[0] if len(dates) > 1 else dates[0].replace(day=1)
        return start, dates[-1]
    for m in _NAME_MONTH.finditer(name):
        y, mo = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if 1 <= int(mo) <= 12 and 2000 <= int(y) <= 2100:
            return dt.date(int(y), int(mo), 1), _month_end(int(y), int(mo))
    return None, None


def commune_from_text(lines: list[str]) -> str | None:
    """The commune a title names ("UBND XÃ DIỄN CHÂU", "DANH SÁCH HỒ SƠ - XÃ DIỄN CHÂU")."""
    candidates = []
    for line in lines:
        line = clean(line)
        for m in _COMMUNE_RE.finditer(line):
            words = []
            for w in m.group(2).split():
                if w.casefold() in _STOP_WORDS:
                    break
                words.append(w)
            if words:
                ubnd = bool(re.search(r"(ubnd|ủy ban nhân dân)\s*$", line[: m.start(1)], re.I))
                candidates.append((not ubnd, f"{m.group(1)} {' '.join(words)}"))
    if not candidates:
        return None
    return sorted(candidates, key=lambda c: c[0])[0][1]


def commune_name(raw: str) -> str:
    """Canonical commune name: "UBND XÃ DIỄN CHÂU", "xã Diễn Châu" -> "Xã Diễn Châu"."""
    text = clean(raw)
    text = re.sub(r"^(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+", "", text, flags=re.IGNORECASE)
    if not re.match(r"(xã|phường|thị trấn|đặc khu)\b", text, re.IGNORECASE):
        text = "xã " + text
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())
