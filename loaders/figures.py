"""Hand-entered figures as a file: the Excel template staff fill, and reading it back.

The template is one more kind of export (``so_lieu_nhap_tay`` in synonyms.yaml), so it goes
through the same reader, errors, transaction, history and undo as the portal's files. Its
"Danh mục" sheet lists the indicators that are entered by hand, with their codes.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd

from .errors import Problem
from .text import clean, key
from .values import parse_datetime, parse_rate

MANUAL = "so_lieu_nhap_tay"
TITLE = "SỐ LIỆU NHẬP TAY (SỐ LIỆU TỪ NGUỒN KHÁC)"
COLUMNS = ["Mã chỉ số", "Tên chỉ số", "Tháng", "Xã", "Giá trị", "Tử số", "Mẫu số", "Nguồn",
           "Ghi chú"]
REASON = {
    "chi_so": "không có chỉ số nhập tay với mã này; chép mã từ trang «Danh mục» của mẫu",
    "thang": "không phải tháng hợp lệ; ghi dạng 03/2026",
    "gia_tri": "không phải số hợp lệ (tỷ lệ ghi dạng 97,6%, số lượng ghi dạng 12.345)",
    "thieu_gia_tri": "thiếu giá trị: ghi «Giá trị», hoặc cả «Tử số» và «Mẫu số»",
    "mau_so": "mẫu số phải lớn hơn 0",
    "ty_le": "tỷ lệ phải từ 0% đến 150%",
    "nguon": "thiếu nguồn số liệu (ví dụ: Công an xã, báo cáo số ...)",
}


def add_figure(con, indicator_id: str, commune: str, month: dt.date, value: float | None,
               numerator: float | None, denominator: float | None, source: str, user: str,
               note: str, import_id: int | None = None) -> int | None:
    """Add a version of a figure; None when it equals the current one (nothing is added,
    so re-importing a filled template does not pile up copies)."""
    current = con.execute(
        """SELECT gia_tri, tu_so, mau_so, phien_ban FROM so_lieu_nhap_tay
           WHERE indicator_id = ? AND commune = ? AND thang = ?
           ORDER BY phien_ban DESC LIMIT 1""", [indicator_id, commune, month]).fetchall()
    if current:
        old = current[0]
        same = all((a is None and b is None) or (a is not None and b is not None
                                                  and abs(a - b) < 1e-9)
                   for a, b in zip(old[:3], (value, numerator, denominator), strict=True))
        if same:
            return None
    version = (current[0][3] if current else 0) + 1
    con.execute(
        """INSERT INTO so_lieu_nhap_tay (id, indicator_id, commune, thang, gia_tri, tu_so,
               mau_so, nguon, nguoi_nhap, thoi_diem, ghi_chu, phien_ban, import_id)
           VALUES (nextval('so_lieu_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [indicator_id, commune, month, value, numerator, denominator, source, user,
         dt.datetime.now(), note, version, import_id])
    return version


def manual_indicators() -> list:
    # imported here: the indicator catalogue depends on loaders, not the other way round
    from indicators.definitions import load_catalog

    return [i for i in load_catalog().indicators.values() if i.manual]


def template(commune: str, month: dt.date) -> bytes:
    """An .xlsx with one pre-filled row per hand-entered indicator for the month."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "text_wrap": True, "border": 1, "bg_color": "#DDEBF7",
                            "valign": "vcenter"})
    text = book.add_format({"num_format": "@", "border": 1})
    sheet = book.add_worksheet("Số liệu")
    sheet.write(0, 0, TITLE, bold)
    sheet.write(1, 0, f"{commune} — Tháng {month:%m/%Y}")
    sheet.write(2, 0, "Tỷ lệ ghi dạng 97,6%; số lượng ghi số (ví dụ 12.345). Có thể ghi "
                      "Tử số và Mẫu số thay cho Giá trị. Cột Nguồn là bắt buộc.")
    for c, name in enumerate(COLUMNS):
        sheet.write(4, c, name, head)
    for r, ind in enumerate(manual_indicators(), start=5):
        sheet.write_string(r, 0, ind.id, text)
        sheet.write_string(r, 1, ind.name, text)
        sheet.write_string(r, 2, f"{month:%m/%Y}", text)
        sheet.write_string(r, 3, commune, text)
        for c in range(4, 9):
            sheet.write_blank(r, c, None, text)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 52)
    sheet.set_column(2, 3, 14)
    sheet.set_column(4, 6, 12)
    sheet.set_column(7, 8, 30)
    sheet.freeze_panes(5, 2)
    listing = book.add_worksheet("Danh mục")
    for c, name in enumerate(["Mã chỉ số", "Tên chỉ số", "Đơn vị tính", "Đơn vị chủ trì"]):
        listing.write(0, c, name, head)
    units = {"percent": "tỷ lệ (%)", "count": "số lượng", "value": "giá trị"}
    for r, ind in enumerate(manual_indicators(), start=1):
        listing.write_row(r, 0, [ind.id, ind.name, ind.unit_label or units[ind.unit],
                                 ind.responsible])
    listing.set_column(0, 0, 28)
    listing.set_column(1, 1, 60)
    listing.set_column(2, 3, 30)
    book.close()
    return buf.getvalue()


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
    """ "12.345" and "12345" are counts; "75,5" is seventy-five and a half."""
    text = clean(raw).replace(" ", "") if isinstance(raw, str) else ""
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        return float(text.replace(".", ""))
    text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return float("nan")


def read_figures(cells: pd.DataFrame, labels: dict[str, str], fields: dict[str, object],
                 commune: str, sheet: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows of the template -> (figures, problems). ``fields`` maps field -> column label."""
    from .titles import commune_name

    indicators = {i.id: i for i in manual_indicators()}
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
        if unit == "percent" and value is not None and not 0 <= value <= 1.5:
            problem(row, "gia_tri", value_raw, "ty_le")
        if len(problems) > n_before:
            continue
        row_commune = col["xa"][row] if "xa" in col else None
        out.append({
            "_row": int(row), "indicator_id": ind_id,
            "commune": commune_name(clean(row_commune)) if isinstance(row_commune, str)
            and clean(row_commune) else commune,
            "thang": months[row], "gia_tri": value, "tu_so": num, "mau_so": den,
            "nguon": source,
            "ghi_chu": clean(col["ghi_chu"][row]) if "ghi_chu" in col
            and isinstance(col["ghi_chu"][row], str) else "",
        })
    frame = pd.DataFrame(out, columns=["_row", "indicator_id", "commune", "thang", "gia_tri",
                                       "tu_so", "mau_so", "nguon", "ghi_chu"])
    return frame, problems
