"""The one way kpi-xa writes Excel: every download (indicator detail, scorecard, tasks,
audit trail, hand-entry template) goes through :class:`Book`, so text that looks like a
formula (``= + - @``) is always neutralised and the formats are the same everywhere.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_COLOUR = "#DDEBF7"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(text: object) -> str:
    """Text a spreadsheet will never run as a formula ("=HYPERLINK(...)" -> "'=...")."""
    s = "" if text is None else str(text)
    return "'" + s if s.startswith(FORMULA_START) else s


class Book:
    """An xlsxwriter workbook with kpi-xa's formats; in memory unless given a path."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._buf = io.BytesIO() if path is None else None
        options = {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": path is None,
        }
        self.book = xlsxwriter.Workbook(self._buf if path is None else str(path), options)
        add = self.book.add_format
        self.formats = {
            "title": add({"bold": True, "font_size": 14}),
            "bold": add({"bold": True}),
            "head": add(
                {
                    "bold": True,
                    "bg_color": HEADER_COLOUR,
                    "border": 1,
                    "text_wrap": True,
                    "valign": "vcenter",
                }
            ),
            "text": add({"border": 1}),
            "plain": add({}),
            "text_cell": add({"num_format": "@", "border": 1}),
            "percent": add({"num_format": "0.0%", "border": 1}),
            "count": add({"num_format": "#,##0", "border": 1}),
            "decimal": add({"num_format": "#,##0.00", "border": 1}),
            "decimal1": add({"num_format": "#,##0.0", "border": 1}),
        }

    def sheet(self, name: str) -> Any:
        # Excel allows 31 characters and no []:*?/\ in a sheet name
        clean = "".join(c for c in name if c not in "[]:*?/\\")[:31] or "Trang"
        return self.book.add_worksheet(clean)

    def put(self, sheet: Any, row: int, col: int, value: object, fmt: str = "text") -> None:
        """A value as a number, a blank or text (never a formula)."""
        f = self.formats[fmt]
        if value is None or (not isinstance(value, (str, bytes)) and bool(pd.isna(value))):
            sheet.write_blank(row, col, None, f)
        elif isinstance(value, bool):
            sheet.write_string(row, col, "Có" if value else "Không", f)
        elif isinstance(value, (int, float)):
            sheet.write_number(row, col, float(value), f)
        else:
            sheet.write_string(row, col, safe_text(value), f)

    def row(
        self, sheet: Any, row: int, values: Iterable[object], fmt: str = "text", start: int = 0
    ) -> None:
        for col, value in enumerate(values, start=start):
            self.put(sheet, row, col, value, fmt)

    def title(self, sheet: Any, row: int, text: str) -> None:
        sheet.write_string(row, 0, safe_text(text), self.formats["title"])

    def table(
        self,
        sheet: Any,
        frame: pd.DataFrame,
        *,
        start_row: int = 0,
        formats: dict[str, str] | None = None,
        widths: Sequence[int] | None = None,
    ) -> None:
        """A frame as a header row and data rows, each column in its format."""
        formats = formats or {}
        self.row(sheet, start_row, [str(c) for c in frame.columns], "head")
        for r, values in enumerate(frame.itertuples(index=False, name=None), start=start_row + 1):
            for c, (name, value) in enumerate(zip(frame.columns, values, strict=True)):
                self.put(sheet, r, c, value, formats.get(str(name), "text"))
        for c, width in enumerate(widths or [18] * len(frame.columns)):
            sheet.set_column(c, c, width)

    def close(self) -> bytes:
        self.book.close()
        return self._buf.getvalue() if self._buf is not None else b""


def frame_to_excel(
    frame: pd.DataFrame,
    sheet_name: str,
    *,
    formats: dict[str, str] | None = None,
    widths: Sequence[int] | None = None,
) -> bytes:
    """One table, one sheet: the audit trail, the task list and other plain downloads."""
    book = Book()
    sheet = book.sheet(sheet_name)
    book.table(sheet, frame, formats=formats, widths=widths)
    sheet.freeze_panes(1, 0)
    return book.close()


def value_format(unit: str, decimals: int) -> str:
    return "percent" if unit == "percent" else ("count" if decimals == 0 else "decimal")
