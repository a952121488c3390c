"""Vectorised parsers for cell values. Each returns the parsed column and a mask of the
non-empty cells that could not be parsed, so the caller can name every bad cell."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from core.text import key
from loaders.vocabulary import Vocabulary

# Day first, always. Real date cells arrive as ISO text from the Excel reader.
DATE_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%H:%M:%S %d/%m/%Y",
    "%H:%M %d/%m/%Y",
)
_DAY_FIRST_SEP = re.compile(r"^(\d{1,2})[-.](\d{1,2})[-.](\d{4})")


def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | (s.astype("string").str.strip() == "")


def _strptime(text: pd.Series, fmt: str) -> pd.Series:
    """One format over a column, in Arrow's C++ strptime (ten times pandas' speed)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if "%f" in fmt:  # Arrow has no fractional seconds directive
        return pd.to_datetime(text, format=fmt, errors="coerce")
    arr = pa.array(text.astype(object).where(text.notna(), None), type=pa.string())
    out = pc.strptime(arr, format=fmt, unit="s", error_is_null=True)
    return pd.Series(out.to_numpy(zero_copy_only=False), index=text.index).astype("datetime64[ns]")


def parse_datetime(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = s.astype("string").str.strip()
    blank = (text.isna() | (text == "")).to_numpy(dtype=bool)
    result = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    todo = pd.Series(~blank, index=s.index)
    for attempt in range(2):
        if attempt == 1 and todo.any():
            # "05-01-2026" and "05.01.2026" are day-first too
            text = text.where(~todo, text.str.replace(_DAY_FIRST_SEP, r"\1/\2/\3", regex=True))
        for fmt in DATE_FORMATS:
            if not todo.any():
                break
            parsed = _strptime(text[todo], fmt)
            ok = parsed.notna()
            if ok.any():
                result.loc[ok[ok].index] = parsed[ok]
                todo = todo & result.isna()
    # a date cell without a date format arrives as an Excel serial number
    if todo.any():
        serial = pd.to_numeric(text[todo], errors="coerce")
        plausible = serial.between(20000, 80000)
        if plausible.any():
            days = serial[plausible]
            result.loc[days.index] = pd.Timestamp("1899-12-30") + pd.to_timedelta(days, "D")
            todo = todo & result.isna()
    return result, todo


def _map_uniques(s: pd.Series, mapping: Callable[[Any], object]) -> np.ndarray:
    """Map a column through a function of its distinct values: a column of 100,000 cells
    holds a handful of words, so the work is per word, not per cell."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    table = np.array([mapping(u) for u in uniques] + [None], dtype=object)
    mapped: np.ndarray = table[codes]  # code -1 (missing) takes the trailing None
    return mapped


def parse_words(
    s: pd.Series, index: dict[str, str], blank_as: str | None
) -> tuple[pd.Series, pd.Series]:
    """Map words to codes through a synonym index (case and spacing folded)."""
    mapped = pd.Series(_map_uniques(s, lambda u: index.get(key(u))), index=s.index, dtype=object)
    blank = _blank(s)
    bad = ~blank & mapped.isna()
    if blank_as is not None:
        mapped = mapped.where(~blank, blank_as)
    return mapped.where(mapped.notna(), None), bad


def parse_level(s: pd.Series, vocab: Vocabulary) -> tuple[pd.Series, pd.Series]:
    """Service level: text containing "toàn trình" / "một phần", or the old 4 / 3."""
    mapping: dict[str, str | None] = {}
    for u in s.dropna().unique():
        k = key(u)
        mapping[u] = None
        for code, words in vocab.level_words.items():
            if any((w == k) if w.isdigit() or w.startswith("mức") else (w in k) for w in words):
                mapping[u] = code
                break
    mapped = pd.Series(_map_uniques(s, mapping.get), index=s.index, dtype=object)
    # an unknown level word is kept blank rather than failing the row: the level only
    # refines the online rate, and vendors name many levels ("Cung cấp thông tin"...)
    return mapped.where(mapped.notna(), None), pd.Series(False, index=s.index)


def parse_bool(s: pd.Series, vocab: Vocabulary) -> tuple[pd.Series, pd.Series]:
    codes, bad = parse_words(s, vocab.values["bool"], blank_as="false")
    return pd.Series(codes.to_numpy() == "true", index=s.index), bad


_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")
_PLAIN = re.compile(r"^\d+([.,]\d+)?$")


def parse_amount(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Money or counts: "75.000" is seventy-five thousand; "75000" and 75000.0 too."""
    text = (
        s.astype("string")
        .str.strip()
        .str.replace(r"(?i)\s*(đồng|vnđ|vnd|đ)$", "", regex=True)
        .str.replace(" ", "", regex=False)
    )
    blank = text.isna() | (text == "")
    thousands = text.str.match(_THOUSANDS).fillna(False)
    cleaned = text.where(~thousands, text.str.replace(r"[.,]", "", regex=True))
    plain = cleaned.str.match(_PLAIN).fillna(False)
    numbers = pd.to_numeric(
        cleaned.where(plain).str.replace(",", ".", regex=False), errors="coerce"
    )
    bad = ~blank & numbers.isna()
    values = numbers.fillna(0).round().astype("int64")
    return values, bad


def parse_rate(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A printed rate as a fraction: "97,6%", "97.6", 97.6 and 0.976 all give 0.976.

    A number above 1.5 without a percent sign is read as a percentage: nobody prints a
    rate of 150% as a fraction, while "97,6" in a rate column is common."""
    text = s.astype("string").str.strip().str.replace(" ", "", regex=False)
    blank = text.isna() | (text == "")
    percent = text.str.endswith("%").fillna(False)
    digits = text.str.rstrip("%").str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(
        digits.where(digits.str.match(r"^\d+(\.\d+)?$").fillna(False)), errors="coerce"
    ).astype("float64")
    as_percent = percent | (numbers > 1.5)
    values = numbers.where(~as_percent, numbers / 100)
    bad = ~blank & values.isna()
    return values, bad


def as_text(s: pd.Series) -> pd.Series:
    """Text kept as written, spacing collapsed (formula-like text is data, never evaluated)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(s.astype("string"), type=pa.large_string(), from_pandas=True)
    arr = pc.utf8_trim_whitespace(pc.replace_substring_regex(arr, r"\s+", " "))
    text = pd.Series(arr, index=s.index, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    return text.where(text != "")
