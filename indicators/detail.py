"""One indicator in depth: its value, the trend, the breakdowns and the figures as Excel."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

from . import formatting as fmt
from .breakdowns import DIMENSIONS
from .compute import Engine, Result
from .definitions import Indicator
from .periods import Period
from .status import STATUS_LABELS


@dataclass
class Detail:
    indicator: Indicator
    period: Period
    commune: str | None
    result: Result
    previous: Result
    trend: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    target_text: str


def detail(engine: Engine, indicator_id: str, period: Period, commune: str | None) -> Detail:
    ind = engine.catalog.indicators[indicator_id]
    communes = [commune] if commune else engine.communes()
    result = engine.compute_one(ind, period, communes)
    previous = engine.compute_one(ind, period.previous(), communes)
    trend = engine.trend(indicator_id, period, commune)
    parts = {by: engine.breakdown(indicator_id, period, by, commune) for by in DIMENSIONS}
    target = engine.catalog.target_for(ind.id, period.start.year, commune)
    return Detail(ind, period, commune, result, previous, trend, parts, target_text(ind, target))


def target_text(ind: Indicator, target) -> str:
    if target is None:
        return "Chương trình năm 2026 không đặt chỉ tiêu bằng số cho chỉ số này."
    v = lambda x: fmt.value(x, ind.unit, ind.decimals)  # noqa: E731
    if target.kind == "range":
        text = f"từ {v(target.low)} đến {v(target.high)}"
    elif target.kind == "growth":
        text = (f"tăng {fmt.percent(target.low, 0)} đến {fmt.percent(target.high, 0)} so với "
                f"năm {target.baseline_year}")
    elif target.kind == "max":
        text = f"không quá {v(target.value)}"
    elif target.kind == "deadline":
        text = f"{v(target.value)} trước ngày {fmt.date(target.due)}"
    else:
        text = f"tối thiểu {v(target.value)}"
    if target.prorate:
        text += " (tiến độ chia đều theo tháng)"
    return f"Chỉ tiêu {target.year}: {text} — {target.document}, {target.source}."


def to_excel(d: Detail) -> bytes:
    """The figures behind the page: values as numbers with number formats, not text."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    pct = book.add_format({"num_format": "0.0%", "border": 1})
    num = book.add_format({"num_format": "#,##0", "border": 1})
    dec = book.add_format({"num_format": "#,##0.0", "border": 1})
    cell = book.add_format({"border": 1})
    value_fmt = pct if d.indicator.unit == "percent" else (num if d.indicator.decimals == 0
                                                            else dec)

    def put(sheet, r, c, v, f=cell):
        if v is None or (isinstance(v, float) and pd.isna(v)):
            sheet.write_blank(r, c, None, f)
        elif isinstance(v, (int, float)):
            sheet.write_number(r, c, float(v), f)
        else:
            sheet.write_string(r, c, str(v), f)  # text stays text, never a formula

    s = book.add_worksheet("Chỉ số")
    s.write(0, 0, d.indicator.name, book.add_format({"bold": True, "font_size": 14}))
    rows = [
        ("Kỳ", d.period.label), ("Xã", d.commune or "Tất cả các xã"),
        ("Giá trị", d.result.value), ("Tử số", d.result.numerator),
        ("Mẫu số", d.result.denominator), ("Chỉ tiêu", d.result.target),
        ("Tình trạng", STATUS_LABELS[d.result.status]), ("Đơn vị chủ trì", d.indicator.responsible),
        ("Cách tính", d.indicator.explanation), ("Nguồn", d.indicator.source),
        ("Chỉ tiêu theo văn bản", d.target_text),
    ]
    for r, (label, v) in enumerate(rows, start=2):
        s.write(r, 0, label, bold)
        put(s, r, 1, v, value_fmt if label in ("Giá trị", "Chỉ tiêu") else
            (num if label in ("Tử số", "Mẫu số") else cell))
    s.set_column(0, 0, 24)
    s.set_column(1, 1, 80)

    t = book.add_worksheet("Xu hướng")
    heads = ["Tháng", "Giá trị", "Tử số", "Mẫu số", "Tiến độ cần đạt", "Chỉ tiêu", "Tình trạng"]
    t.write_row(0, 0, heads, head)
    for r, row in enumerate(d.trend.itertuples(), start=1):
        put(t, r, 0, f"{row.thang:%m/%Y}")
        put(t, r, 1, row.value, value_fmt)
        put(t, r, 2, row.numerator, num)
        put(t, r, 3, row.denominator, num)
        put(t, r, 4, row.expected, value_fmt)
        put(t, r, 5, row.target, value_fmt)
        put(t, r, 6, STATUS_LABELS[row.status])
    t.set_column(0, 6, 16)

    for by, label in DIMENSIONS.items():
        parts = d.breakdowns[by]
        b = book.add_worksheet(label[:31])
        b.write_row(0, 0, [label, "Giá trị", "Tử số", "Mẫu số"], head)
        for r, row in enumerate(parts.itertuples(), start=1):
            put(b, r, 0, row.nhom)
            put(b, r, 1, row.gia_tri, value_fmt)
            put(b, r, 2, row.tu_so, num)
            put(b, r, 3, row.mau_so, num)
        b.set_column(0, 0, 48)
        b.set_column(1, 3, 14)
    book.close()
    return buf.getvalue()
