"""Hand-entered figures as a file: reading back the Excel template staff fill.

The template (written by ``reports.template``) is one more kind of export
(``so_lieu_nhap_tay`` in synonyms.yaml), so it goes through the same reader, errors,
transaction, history and undo as the portal's files. Which indicators may be named is
passed in by the caller (the catalogue lives above this layer).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Protocol

import pandas as pd

from core.errors import Problem
from core.formatting import read_number
from core.text import clean, key
from core.type_enums import ImportKind
from core.validation import check_figure
from loaders.titles import commune_name
from loaders.values import parse_datetime, parse_rate

MANUAL = ImportKind.SO_LIEU_NHAP_TAY
TITLE = "SỐ LIỆU NHẬP TAY (SỐ LIỆU TỪ NGUỒN KHÁC)"
COLUMNS = [
    "Mã chỉ số",
    "Tên chỉ số",
    "Tháng",
    "Xã",
    "Giá trị",
    "Tử số",
    "Mẫu số",
    "Nguồn",
    "Ghi chú",
]
REASON = {
    "chi_so": "không có chỉ số nhập tay với mã này; chép mã từ trang «Danh mục» của mẫu",
    "thang": "không phải tháng hợp lệ; ghi dạng 03/2026",
    "gia_tri": "không phải số hợp lệ (tỷ lệ ghi dạng 97,6%, số lượng ghi dạng 12.345)",
    "thieu_gia_tri": "thiếu giá trị: ghi «Giá trị», hoặc cả «Tử số» và «Mẫu số»",
    "mau_so": "mẫu số phải lớn hơn 0",
    "nguon": "thiếu nguồn số liệu (ví dụ: Công an xã, báo cáo số ...)",
}


class ManualSpec(Protocol):
    """What the reader needs of a hand-entered indicator (an ``indicators`` Indicator)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def unit(self) -> str: ...


_MONTH_YEAR = re.compile(r"(?:tháng\s*|t)?(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[/.\-]\s*(\d{1,2})$")


def parse_month(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ "03/2026", "3-2026", "Tháng 3/2026", "2026-03", a date or a date cell -> first day."""
    out = pd.Series([None] * len(s), index=s.index, dtype=object)
    todo = []
    for i, raw in s.items():
        text = key(raw) if isinstance(raw, str) else ""
        if m := _MONTH_YEAR.fullmatch(text):
            mo, y = int(m.group(1)), int(m.group(2))
        elif m := _YEAR_MONTH.fullmatch(text):
            y, mo = int(m.group(1)), int(m.group(2))
        else:
            todo.append(i)
            continue
        out[i] = dt.date(y, mo, 1) if 1 <= mo <= 12 else None
    if todo:
        dates, _ = parse_datetime(s.loc[todo])
        for i, d in dates.items():
            out[i] = None if pd.isna(d) else d.date().replace(day=1)
    blank = s.isna() | (s.astype("string").str.strip() == "")
    return out, out.isna() & ~blank


def _number(raw: object) -> float | None:
    return read_number(clean(raw)) if isinstance(raw, str) else None


def read_figures(
    cells: pd.DataFrame,
    labels: dict[str, str],
    fields: Mapping[str, object],
    commune: str,
    sheet: str,
    manual: Mapping[str, ManualSpec],
) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows of the template -> (figures, problems). ``fields`` maps field -> column label;
    ``manual`` the indicators a row may name."""
    indicators = dict(manual)
    by_name = {key(i.name): i.id for i in indicators.values()}
    col = {f: cells[c] for f, c in fields.items()}
    filled = col["chi_so"].notna() & (col["chi_so"].astype("string").str.strip() != "")
    problems: list[Problem] = []
    out = []

    def problem(row: int, fld: str, value: object, reason: str) -> None:
        problems.append(Problem(REASON[reason], row, labels[fld], clean(value), sheet))

    months, bad_month = parse_month(col["thang"][filled])
    for row in cells.index[filled.to_numpy()]:
        raw_id = clean(col["chi_so"][row])
        ind_id = raw_id if raw_id in indicators else by_name.get(key(raw_id))
        value_raw = col["gia_tri"][row]
        num = _number(col["tu_so"][row]) if "tu_so" in col else None
        den = _number(col["mau_so"][row]) if "mau_so" in col else None
        blank_value = not clean(value_raw) if isinstance(value_raw, str) else pd.isna(value_raw)
        if blank_value and num is None and den is None:
            continue  # a template row left empty is not an error
        n_before = len(problems)
        if ind_id is None:
            problem(row, "chi_so", raw_id, "chi_so")
        if bad_month[row] or months[row] is None:
            problem(row, "thang", col["thang"][row], "thang")
        source = clean(col["nguon"][row]) if isinstance(col["nguon"][row], str) else ""
        if not source:
            problem(row, "nguon", "", "nguon")
        value = None
        unit = indicators[ind_id].unit if ind_id else "count"
        if not blank_value:
            if unit == "percent":
                parsed, bad = parse_rate(pd.Series([value_raw]))
                value = None if bad.iloc[0] else float(parsed.iloc[0])
            else:
                value = _number(value_raw)
                value = None if value is None or value != value else value
            if value is None:
                problem(row, "gia_tri", value_raw, "gia_tri")
        for fld, v in (("tu_so", num), ("mau_so", den)):
            if v is not None and v != v:
                problem(row, fld, col[fld][row], "gia_tri")
        if blank_value and (num is None or den is None):
            problem(row, "gia_tri", "", "thieu_gia_tri")
        elif blank_value and den == 0:
            problem(row, "mau_so", "0", "mau_so")
        elif blank_value and num is not None and den:
            value = num / den
        if len(problems) == n_before:
            for f in check_figure(unit, value, num, den):
                raw = value_raw if f.field == "gia_tri" else col[f.field][row]
                problems.append(Problem(f.reason, row, labels[f.field], clean(raw), sheet))
        if len(problems) > n_before:
            continue
        row_commune = col["xa"][row] if "xa" in col else None
        out.append(
            {
                "_row": int(row),
                "indicator_id": ind_id,
                "commune": commune_name(clean(row_commune))
                if isinstance(row_commune, str) and clean(row_commune)
                else commune,
                "thang": months[row],
                "gia_tri": value,
                "tu_so": num,
                "mau_so": den,
                "nguon": source,
                "ghi_chu": clean(col["ghi_chu"][row])
                if "ghi_chu" in col and isinstance(col["ghi_chu"][row], str)
                else "",
            }
        )
    frame = pd.DataFrame(
        out,
        columns=[
            "_row",
            "indicator_id",
            "commune",
            "thang",
            "gia_tri",
            "tu_so",
            "mau_so",
            "nguon",
            "ghi_chu",
        ],
    )
    return frame, problems
