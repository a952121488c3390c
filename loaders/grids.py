"""Turn the bytes of any supported export into sheets of text cells.

Every format ends as a :class:`Sheet`: a DataFrame of strings (None for empty cells)
whose index is the row number the user sees in Excel, plus any text found above the
table (HTML titles). Values are NFC-normalised here, once.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.errors import ImportRejected
from loaders import sniff as sniffing

if TYPE_CHECKING:  # lxml itself is imported only when an HTML file comes
    from lxml.html import HtmlElement


@dataclass
class Sheet:
    name: str
    cells: pd.DataFrame  # object dtype, str or None; index = Excel row number (1-based)
    preamble: list[str] = field(default_factory=list)  # title text outside the table


def _nfc_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Arrow-backed text columns, NFC-normalised in C++ (no per-cell Python work)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for col in df.columns:
        values = df[col]
        if values.dtype == object:
            values = values.where(values.notna(), None)
        arr = pa.array(values, type=pa.large_string(), from_pandas=True)
        # only text with combining marks (U+0300..U+036F, as Windows-1258 writes tones)
        # changes under NFC; finding none is far cheaper than normalising everything
        if pc.any(pc.match_substring_regex(arr, "[\u0300-\u036f]")).as_py():
            arr = pc.utf8_normalize(arr, "NFC")
        columns.append(arr)
    table = pa.table(columns, names=[str(i) for i in range(len(columns))])
    frame = table.to_pandas(types_mapper=lambda t: pd.StringDtype("pyarrow", na_value=np.nan))
    frame.columns = range(frame.shape[1])
    frame.index = df.index
    return frame


def read_sheets(data: bytes, file_name: str, fmt: str, max_rows: int) -> list[Sheet]:
    """All sheets of the file as text grids, or ImportRejected with a Vietnamese reason."""
    try:
        if fmt in (sniffing.XLSX, sniffing.XLS):
            return _read_excel(data, fmt, max_rows)
        if fmt == sniffing.HTML:
            return _read_html(_decode(data), max_rows)
        if fmt == sniffing.SPREADSHEETML:
            return _read_spreadsheetml(data, max_rows)
        return [_read_text(_decode(data), max_rows)]
    except (ImportRejected, MemoryError):  # a memory limit is the worker's to report
        raise
    except Exception as exc:  # a library's own error must not reach the user as a traceback
        text = f"{type(exc).__name__} {exc}".lower()
        if "memory" in text or "alloc" in text:  # a library hitting the worker's memory cap
            raise MemoryError(str(exc)[:200]) from exc
        if "password" in text:
            reason, hint = sniffing.REASONS["password"]
            raise ImportRejected(file_name, reason, hint=hint) from exc
        raise ImportRejected(
            file_name,
            "không đọc được nội dung tệp (tệp hỏng hoặc sai định dạng).",
            hint="Mở tệp bằng Excel, lưu lại dưới dạng .xlsx rồi tải lên lại.",
        ) from exc


def _too_many(max_rows: int) -> ImportRejected:
    return ImportRejected(
        "",
        f"trang tính có hơn {max_rows:,} dòng dữ liệu.".replace(",", "."),
        hint="Xuất dữ liệu theo từng tháng, hoặc xóa các dòng trống thừa ở cuối trang tính.",
    )


# --- Excel (xlsx, BIFF xls) -------------------------------------------------------------


def _read_excel(data: bytes, fmt: str, max_rows: int) -> list[Sheet]:
    import fastexcel

    reader = fastexcel.read_excel(data)
    offsets = _xlsx_first_rows(data) if fmt == sniffing.XLSX else {}
    sheets = []
    for name in reader.sheet_names:
        sheet = reader.load_sheet(
            name,
            header_row=None,
            dtypes="string",
            schema_sample_rows=None,
            n_rows=max_rows + 1,
            skip_whitespace_tail_rows=True,
            whitespace_as_null=True,
        )
        df = sheet.to_arrow().to_pandas()
        if len(df) > max_rows:
            raise _too_many(max_rows)
        first_row = _xls_first_row(data, name) if fmt == sniffing.XLS else offsets.get(name, 1)
        frame = _nfc_frame(df)
        frame.index = range(first_row, first_row + len(frame))
        sheets.append(Sheet(name, frame))
    return sheets


_CELL_WITH_VALUE = re.compile(rb'<(?:\w+:)?c r="[A-Z]+(\d+)"[^>]*?(?<!/)>\s*<(?:\w+:)?(?:v|is|f)\b')


def _xlsx_first_rows(data: bytes) -> dict[str, int]:
    """Row number of the first non-empty cell of each sheet (fastexcel drops leading
    empty rows; error messages must name the row the user sees)."""
    result: dict[str, int] = {}
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        workbook = zf.read("xl/workbook.xml").decode("utf-8", "ignore")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "ignore")
        targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
        targets.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
        for name, rid in re.findall(
            r'<(?:\w+:)?sheet\b[^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook
        ):
            target = targets.get(rid, "")
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            with zf.open(path) as fh:
                head = fh.read(256 * 1024)
            match = _CELL_WITH_VALUE.search(head)
            import html

            result[html.unescape(name)] = int(match.group(1)) if match else 1
    except Exception:  # offsets are a nicety for messages, never a reason to fail
        return result
    return result


def _xls_first_row(data: bytes, name: str) -> int:
    try:
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_name(name)
        return int(sheet.start[0]) + 1 if sheet.start else 1
    except Exception:
        return 1


# --- Text (CSV / TSV) -------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258; always NFC."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)


def _read_text(text: str, max_rows: int) -> Sheet:
    sample = "\n".join(text.splitlines()[:50])
    delimiter = max((";", ",", "\t", "|"), key=lambda d: _delimiter_score(sample, d))
    rows = []
    for i, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
        if i >= max_rows + 60:
            raise _too_many(max_rows)
        rows.append([c if c.strip() != "" else None for c in row])
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    frame.index = range(1, len(frame) + 1)
    return Sheet("CSV", _nfc_frame(frame))


def _delimiter_score(sample: str, delimiter: str) -> float:
    try:
        counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
    except csv.Error:
        return 0
    if not counts:
        return 0
    # the delimiter that gives many columns on most lines
    common = max(set(counts), key=counts.count)
    return (common if common > 1 else 0) * counts.count(common)


# --- HTML pretending to be .xls ---------------------------------------------------------


def _read_html(text: str, max_rows: int) -> list[Sheet]:
    import lxml.html

    doc = lxml.html.fromstring(text)
    sheets = []
    tables = doc.xpath("//table")
    for n, table in enumerate(tables):
        if table.xpath("ancestor::table"):
            continue
        preamble = _text_before(doc, table)
        rows = []
        for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            rows.append(
                [
                    (_cell_text(td), int(td.get("rowspan") or 1), int(td.get("colspan") or 1))
                    for td in tr.xpath("./td|./th")
                ]
            )
            if len(rows) > max_rows + 60:
                raise _too_many(max_rows)
        frame = _expand_spans(rows)
        sheets.append(Sheet(f"Bảng {n + 1}", frame, preamble))
    return sheets


def _cell_text(td: HtmlElement) -> str | None:
    # <br> inside a header is a line break that may separate group and leaf
    for br in td.xpath(".//br"):
        br.tail = "\n" + (br.tail or "")
    text = "".join(td.itertext()).strip()
    return text or None


def _text_before(doc: HtmlElement, table: HtmlElement) -> list[str]:
    lines: list[str] = []
    for el in doc.iter("h1", "h2", "h3", "h4", "p", "div", "title", "span", "b"):
        if el is table or table in el.iterancestors():
            break
        if el.xpath("ancestor::table") or el.xpath(".//table"):
            continue
        text = " ".join("".join(el.itertext()).split())
        if text and text not in lines:
            lines.append(text)
    return lines


def _expand_spans(rows: list[list[tuple[str | None, int, int]]]) -> pd.DataFrame:
    """A grid where a merged cell's text fills every cell it spans (as a person reads it)."""
    grid: dict[tuple[int, int], str | None] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(min(rowspan, 1000)):
                for dc in range(min(colspan, 1000)):
                    grid[(r + dr, c + dc)] = text
            c += colspan
        width = max(width, c)
    height = max((r for r, _ in grid), default=-1) + 1
    data = [[grid.get((r, c)) for c in range(width)] for r in range(height)]
    frame = pd.DataFrame(data, dtype=object)
    frame.index = range(1, len(frame) + 1)
    return _nfc_frame(frame)


# --- SpreadsheetML 2003 -----------------------------------------------------------------


def _read_spreadsheetml(data: bytes, max_rows: int) -> list[Sheet]:
    from lxml import etree

    ns = {"ss": "urn:schemas-microsoft-com:office:spreadsheet"}
    root = etree.fromstring(
        data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    )
    sheets = []
    for ws in root.findall("ss:Worksheet", ns):
        name = ws.get(f"{{{ns['ss']}}}Name") or "Sheet"
        cells: dict[tuple[int, int], str] = {}
        r = 0
        for row in ws.findall("ss:Table/ss:Row", ns):
            idx = row.get(f"{{{ns['ss']}}}Index")
            r = int(idx) if idx else r + 1
            if r > max_rows + 60:
                raise _too_many(max_rows)
            c = 0
            for cell in row.findall("ss:Cell", ns):
                cidx = cell.get(f"{{{ns['ss']}}}Index")
                c = int(cidx) if cidx else c + 1
                data_el = cell.find("ss:Data", ns)
                text = "".join(data_el.itertext()).strip() if data_el is not None else ""
                across = int(cell.get(f"{{{ns['ss']}}}MergeAcross") or 0)
                down = int(cell.get(f"{{{ns['ss']}}}MergeDown") or 0)
                if text:
                    for dr in range(down + 1):
                        for dc in range(across + 1):
                            cells[(r + dr, c + dc)] = text
                c += across
        if not cells:
            continue
        height = max(k[0] for k in cells)
        width = max(k[1] for k in cells)
        frame = pd.DataFrame(
            [[cells.get((rr, cc)) for cc in range(1, width + 1)] for rr in range(1, height + 1)],
            dtype=object,
        )
        frame.index = range(1, height + 1)
        sheets.append(Sheet(name, _nfc_frame(frame)))
    return sheets
