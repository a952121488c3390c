"""Numbers as a Vietnamese reader expects them: decimal comma, dot for thousands."""

from __future__ import annotations

import datetime as dt
import math
import re

from core.errors import BadInput


def number(value: float | None, decimals: int = 0, *, trim: bool = False) -> str:
    """12345.5 -> "12.345,5"; ``trim`` drops trailing zeros (an audit line's 86,5 or 12)."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(value: float | None, decimals: int = 1) -> str:
    return "—" if value is None else number(value * 100, decimals) + "%"


def value(v: float | None, unit: str, decimals: int = 1) -> str:
    if unit == "percent":
        return percent(v, decimals)
    return number(v, decimals)


# quarters as Vietnamese documents number them: "Quý III/2026"
QUARTER_NUMERALS = ("I", "II", "III", "IV")
QUARTER_PATTERN = r"IV|III|II|I|[1-4]"  # longest first, for a regular expression


def quarter_numeral(quarter: int) -> str:
    return QUARTER_NUMERALS[quarter - 1]


def quarter_number(text: str) -> int:
    """ "III", "iii" or "3" -> 3 (text matched by QUARTER_PATTERN)."""
    word = text.strip().upper()
    return QUARTER_NUMERALS.index(word) + 1 if word in QUARTER_NUMERALS else int(word)


def date(d: dt.date | None) -> str:
    return "—" if d is None else f"{d:%d/%m/%Y}"


def read_number(text: str) -> float | None:
    """A number as a Vietnamese user writes it: "12.345" and "12345" are counts, "75,5" is
    seventy-five and a half. None for blank text, NaN for text that is not a number."""
    text = " ".join(str(text).split()).replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        return float(text.replace(".", ""))
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return float("nan")


def typed_number(
    text: str, label: str, *, low: float = 0.0, high: float | None = None
) -> float | None:
    """What a user typed in a form field, checked: a Vietnamese message names the field."""
    value = read_number(text.rstrip("% "))
    if value is None:
        return None
    if math.isnan(value):
        raise BadInput(f"«{label}»: «{text}» không phải số (ví dụ 86,5 hoặc 12.345).")
    if value < low or (high is not None and value > high):
        bound = (
            f"từ {number(low, 0)} đến {number(high, 0)}"
            if high is not None
            else f"không nhỏ hơn {number(low, 0)}"
        )
        raise BadInput(f"«{label}»: {number(value, 2)} không hợp lệ, cần {bound}.")
    return value


def exact_number(v: float, most: int = 3) -> str:
    """A number with the decimals it needs and no more (the programme's own: 98, 11,81)."""
    for d in range(most + 1):
        if abs(round(v, d) - v) < 1e-9:
            return number(v, d)
    return number(v, most)


def exact(v: float | None, unit: str) -> str:
    """A target as the programme writes it: «100%», «11,81%», «3»."""
    if v is None:
        return "—"
    return exact_number(v * 100) + "%" if unit == "percent" else exact_number(v)
