"""The Excel template staff fill for hand-entered figures (read back by loaders.figures)."""

from __future__ import annotations

import datetime as dt

from indicators.definitions import manual_indicators
from loaders.figures import COLUMNS, TITLE
from reports.excel import Book


def template(commune: str, month: dt.date) -> bytes:
    """An .xlsx with one pre-filled row per hand-entered indicator for the month."""
    book = Book()
    sheet = book.sheet("Số liệu")
    book.title(sheet, 0, TITLE)
    book.put(sheet, 1, 0, f"{commune} — Tháng {month:%m/%Y}", "plain")
    book.put(
        sheet,
        2,
        0,
        "Tỷ lệ ghi dạng 97,6%; số lượng ghi số (ví dụ 12.345). Có thể ghi "
        "Tử số và Mẫu số thay cho Giá trị. Cột Nguồn là bắt buộc.",
        "plain",
    )
    book.row(sheet, 4, COLUMNS, "head")
    manual = list(manual_indicators().values())
    for r, ind in enumerate(manual, start=5):
        book.row(sheet, r, [ind.id, ind.name, f"{month:%m/%Y}", commune], "text_cell")
        for c in range(4, 9):
            sheet.write_blank(r, c, None, book.formats["text_cell"])
    for first, last, width in ((0, 0, 28), (1, 1, 52), (2, 3, 14), (4, 6, 12), (7, 8, 30)):
        sheet.set_column(first, last, width)
    sheet.freeze_panes(5, 2)
    listing = book.sheet("Danh mục")
    book.row(listing, 0, ["Mã chỉ số", "Tên chỉ số", "Đơn vị tính", "Đơn vị chủ trì"], "head")
    units = {"percent": "tỷ lệ (%)", "count": "số lượng", "value": "giá trị"}
    for r, ind in enumerate(manual, start=1):
        book.row(
            listing,
            r,
            [ind.id, ind.name, ind.unit_label or units[ind.unit], ind.responsible],
            "plain",
        )
    listing.set_column(0, 0, 28)
    listing.set_column(1, 1, 60)
    listing.set_column(2, 3, 30)
    return book.close()
