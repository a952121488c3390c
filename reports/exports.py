"""Downloads other than the monthly report: an indicator's figures, the task list and the
audit trail, all through the one Excel helper."""

from __future__ import annotations

import pandas as pd

from core.type_enums import Status
from indicators import present
from indicators.breakdowns import DIMENSIONS
from indicators.detail import Detail
from reports.excel import Book, frame_to_excel, value_format
from storage.tasks import COLUMNS as TASK_COLUMNS
from storage.tasks import STATUSES


def detail_to_excel(d: Detail) -> bytes:
    """The figures behind the indicator page: values as numbers with number formats."""
    book = Book()
    vf = value_format(d.indicator.unit, d.indicator.decimals)
    s = book.sheet("Chỉ số")
    book.title(s, 0, d.indicator.name)
    rows = [
        ("Kỳ", present.coverage(d.period, d.result.as_of), "text"),
        ("Xã", present.commune(d.commune), "text"),
        ("Giá trị", d.result.value, vf),
        ("Tử số", d.result.numerator, "count"),
        ("Mẫu số", d.result.denominator, "count"),
        ("Chỉ tiêu", present.target(d.result), "text"),
        ("Tiến độ cần đạt", d.result.expected, vf),
        ("Tình trạng", present.status(d.result), "text"),
        ("Đơn vị chủ trì", d.indicator.responsible, "text"),
        ("Cách tính", d.indicator.explanation, "text"),
        ("Nguồn", d.indicator.source, "text"),
        ("Chỉ tiêu theo văn bản", d.target_text, "text"),
    ]
    for r, (label, v, f) in enumerate(rows, start=2):
        book.put(s, r, 0, label, "bold")
        book.put(s, r, 1, v, f)
    s.set_column(0, 0, 24)
    s.set_column(1, 1, 80)

    t = book.sheet("Xu hướng")
    book.row(
        t,
        0,
        ["Tháng", "Giá trị", "Tử số", "Mẫu số", "Tiến độ cần đạt", "Chỉ tiêu", "Tình trạng"],
        "head",
    )
    for r, row in enumerate(d.trend.itertuples(), start=1):
        book.put(t, r, 0, f"{row.thang:%m/%Y}")
        book.put(t, r, 1, row.value, vf)
        book.put(t, r, 2, row.numerator, "count")
        book.put(t, r, 3, row.denominator, "count")
        book.put(t, r, 4, row.expected, vf)
        book.put(t, r, 5, row.target, vf)
        book.put(t, r, 6, Status(row.status).label)
    t.set_column(0, 6, 16)

    for by, label in DIMENSIONS.items():
        parts = d.breakdowns[by]
        b = book.sheet(label)
        book.row(b, 0, [label, "Giá trị", "Tử số", "Mẫu số"], "head")
        for r, row in enumerate(parts.itertuples(), start=1):
            book.put(b, r, 0, row.nhom)
            book.put(b, r, 1, row.gia_tri, vf)
            book.put(b, r, 2, row.tu_so, "count")
            book.put(b, r, 3, row.mau_so, "count")
        b.set_column(0, 0, 48)
        b.set_column(1, 3, 14)
    return book.close()


def tasks_to_excel(tasks: pd.DataFrame) -> bytes:
    out = tasks[list(TASK_COLUMNS)].copy()
    out["trang_thai"] = out["trang_thai"].map(STATUSES)
    out["ngay_hoan_thanh"] = [
        None if d is None else f"{d:%d/%m/%Y}" for d in out["ngay_hoan_thanh"]
    ]
    return frame_to_excel(out.rename(columns=TASK_COLUMNS), "Nhiệm vụ", widths=[24] * 11)


def audit_to_excel(shown: pd.DataFrame) -> bytes:
    return frame_to_excel(shown, "Nhật ký", widths=[8, 20, 20, 24, 36, 80])
