"""Tell the real format of an export from its bytes, never from its extension."""

from __future__ import annotations

import io
import re
import struct
import zipfile

XLSX, XLS, HTML, SPREADSHEETML, TEXT = "xlsx", "xls", "html", "spreadsheetml", "text"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # an OOXML file with a password
# Cheap checks before any parsing: an xlsx is a zip, and a zip can be a bomb.
MAX_UNCOMPRESSED = 600 * 1024 * 1024
MAX_RATIO = 150
MAX_CELLS = 30_000_000  # a sheet's declared dimension (the reader allocates for all of it)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension[^>]*ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def sniff(data: bytes) -> str:
    """One of xlsx, xls, html, spreadsheetml, text; or a Vietnamese reason it is none."""
    if not data:
        return "empty"
    if data.startswith(_OLE):
        if _ENCRYPTED in data[: 1 << 20]:
            return "password"
        return "huge_sheet" if xls_declared_cells(data) > MAX_XLS_CELLS else XLS
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if data.startswith(b"PK"):
        return "broken_zip"
    if data.startswith(b"%PDF"):
        return "pdf"
    head = _decode_head(data[:4096]).lstrip("\ufeff \t\r\n").lower()
    if head.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in head:
        return SPREADSHEETML
    if head.startswith(("<html", "<!doctype html", "<table", "<meta", "<head", "<body")) or (
        head.startswith("<") and "<table" in _decode_head(data[:200_000]).lower()
    ):
        return HTML
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return TEXT


def precheck(data: bytes) -> str | None:
    """The reason key of every refusal that needs no parser (format, bombs, declared sizes),
    or None. Cheap enough to run before a worker process is started for the file."""
    fmt = sniff(data)
    return fmt if fmt in REASONS else structure(data, fmt)


# --- an .xls (BIFF in an OLE compound file): the sheets' declared size -------------------
# The reader allocates for a sheet's DIMENSIONS record before reading a cell: a 41 KB file
# declaring 65,536 × 256 cells cost 2.4 GB. About 140 bytes a cell: 4 million cells stay
# under 600 MB; a real .xls export (at most 65,536 rows of a few dozen columns) is far below.
MAX_XLS_CELLS = 4_000_000
_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE


def xls_declared_cells(data: bytes) -> int:
    """The largest sheet a BIFF workbook declares (rows × columns of its DIMENSIONS
    records), read from the OLE container without any parser; 0 when it cannot tell."""
    try:
        stream = _ole_stream(data, ("workbook", "book"))
    except (struct.error, IndexError, ValueError):
        return 0
    if stream is None:
        return 0
    largest, pos = 0, 0
    while pos + 4 <= len(stream):
        rid, size = struct.unpack_from("<HH", stream, pos)
        if rid == 0x0200 and size >= 14:  # BIFF8: first row, last row + 1, columns likewise
            r0, r1, c0, c1 = struct.unpack_from("<IIHH", stream, pos + 4)
            largest = max(largest, max(r1 - r0, 0) * max(c1 - c0, 0))
        elif rid == 0x0200 and size >= 8:  # BIFF5
            r0, r1, c0, c1 = struct.unpack_from("<HHHH", stream, pos + 4)
            largest = max(largest, max(r1 - r0, 0) * max(c1 - c0, 0))
        pos += 4 + size
    return largest


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """One stream of an OLE compound file by name (case folded), or None."""
    shift, mini_shift = struct.unpack_from("<HH", data, 30)
    if not 7 <= shift <= 16 or not 2 <= mini_shift < shift:
        return None
    size = 1 << shift
    n_fat, first_dir = struct.unpack_from("<II", data, 44)
    cutoff, first_minifat, _, first_difat, n_difat = struct.unpack_from("<IIIII", data, 56)
    fat_sectors = [x for x in struct.unpack_from("<109I", data, 76) if x < _END]
    sector, hops = first_difat, 0
    while sector < _END and hops < n_difat and hops < 1000:  # the DIFAT beyond 109 entries
        at = (sector + 1) * size
        difat = struct.unpack_from(f"<{size // 4}I", data, at)
        fat_sectors += [x for x in difat[:-1] if x < _END]
        sector, hops = difat[-1], hops + 1
    fat: list[int] = []
    for fs in fat_sectors[:n_fat]:
        fat.extend(struct.unpack_from(f"<{size // 4}I", data, (fs + 1) * size))

    def chain(start: int, limit: int) -> bytes:
        out, sector, seen = bytearray(), start, 0
        while sector < _END and len(out) < limit and seen <= len(fat):
            out += data[(sector + 1) * size : (sector + 2) * size]
            sector, seen = fat[sector], seen + 1
        return bytes(out[:limit])

    directory = chain(first_dir, 128 * 4096)
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        return None
    root = entries[0]
    for entry in entries:
        name_len = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(name_len - 2, 0)].decode("utf-16-le", errors="ignore").casefold()
        if entry[66] != 2 or name not in names:
            continue
        start, length = struct.unpack_from("<II", entry, 116)
        length = min(length, len(data) * 2)
        if length >= cutoff:
            return chain(start, length)
        # a small stream lives in the mini stream, itself held by the root entry
        mini = chain(struct.unpack_from("<I", root, 116)[0], struct.unpack_from("<I", root, 120)[0])
        minifat_bytes = chain(first_minifat, len(data))
        minifat = list(struct.unpack_from(f"<{len(minifat_bytes) // 4}I", minifat_bytes))
        out, sector, seen, small = bytearray(), start, 0, 1 << mini_shift
        while sector < _END and len(out) < length and seen <= len(minifat):
            out += mini[sector * small : (sector + 1) * small]
            sector, seen = minifat[sector], seen + 1
        return bytes(out[:length])
    return None


MAX_FIELDS = 2_000  # columns in one line of a CSV; an export has a few dozen
_TAG = re.compile(rb"<t[dh]\b[^>]*>", re.I)
_SPAN = re.compile(rb"(row|col)span\s*=\s*[\"']?\s*(\d{1,9})", re.I)
_SSML_CELL = re.compile(rb"<(?:ss:)?(Row|Cell)\b[^>]*>")
_SSML_ATTR = re.compile(rb"ss:(Index|MergeAcross|MergeDown)\s*=\s*\"(\d{1,9})\"")


def structure(data: bytes, fmt: str) -> str | None:
    """A cheap look at what a file would expand to, before any parser runs: the reason key
    when spans, merges, indexes or fields would blow up, else None."""
    if fmt == HTML:
        cells = 0
        for tag in _TAG.finditer(data):
            spans = {k.lower(): int(v) for k, v in _SPAN.findall(tag.group(0))}
            cells += max(spans.get(b"row", 1), 1) * max(spans.get(b"col", 1), 1)
            if cells > MAX_CELLS:
                return "span_bomb"
    elif fmt == SPREADSHEETML:
        cells = rows = cols = 0
        for tag in _SSML_CELL.finditer(data):
            attrs = {k: int(v) for k, v in _SSML_ATTR.findall(tag.group(0))}
            if tag.group(1) == b"Row":
                rows = max(rows + 1, attrs.get(b"Index", 0))
            else:
                cols = max(cols, attrs.get(b"Index", 0))
                cells += (attrs.get(b"MergeAcross", 0) + 1) * (attrs.get(b"MergeDown", 0) + 1)
            if cells > MAX_CELLS or rows * max(cols, 1) > MAX_CELLS:
                return "span_bomb"
    elif fmt == TEXT:
        widest = max((len(line) for line in data.split(b"\n")), default=0)
        if widest > 200 * MAX_FIELDS:  # only a very long line is worth counting
            line = max(data.split(b"\n"), key=len)
            if max(line.count(sep) for sep in (b",", b";", b"\t", b"|")) > MAX_FIELDS:
                return "too_many_fields"
    return None


def _sniff_zip(data: bytes) -> str:
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        infos = book.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "broken_zip"
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNCOMPRESSED or (total > 50 * 1024 * 1024 and total / packed > MAX_RATIO):
        return "zip_bomb"
    # writers differ: backslashes, upper case, a minimal package with other part names
    names = {i.filename.replace("\\", "/").lower().lstrip("/"): i for i in infos}
    if any(n.endswith("mimetype") for n in names) and b"opendocument" in _read_part(
        book, names.get("mimetype"), 200
    ):
        return "ods"
    types = _read_part(book, names.get("[content_types].xml"), 200_000)
    if any(n.startswith("xl/") for n in names) or b"spreadsheetml" in types:
        for name, info in names.items():
            if (
                "worksheets/" in name
                and name.endswith(".xml")
                and _declared_cells(_read_part(book, info, 4096)) > MAX_CELLS
            ):
                return "huge_sheet"
        return XLSX
    return "zip"


def _read_part(book: zipfile.ZipFile, info: zipfile.ZipInfo | None, limit: int) -> bytes:
    if info is None:
        return b""
    try:
        with book.open(info) as part:
            return part.read(limit)
    except Exception:  # an unreadable part: the reader will say so
        return b""


def _column_number(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + (c - 64)
    return n


def _declared_cells(head: bytes) -> int:
    m = _DIMENSION.search(head)
    if not m or not m.group(3):
        return 0
    rows = int(m.group(4)) - int(m.group(2)) + 1
    cols = _column_number(m.group(3)) - _column_number(m.group(1)) + 1
    return max(rows, 0) * max(cols, 0)


def _decode_head(chunk: bytes) -> str:
    if chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
        return chunk.decode("utf-16", errors="ignore")
    return chunk.decode("utf-8", errors="ignore")


REASONS = {
    "empty": ("tệp rỗng (0 byte).", "Tải lại tệp từ hệ thống rồi thử lại."),
    "broken_zip": (
        "tệp Excel bị hỏng, không mở được.",
        "Mở tệp bằng Excel để kiểm tra, hoặc tải lại tệp từ hệ thống.",
    ),
    "zip": (
        "tệp nén ZIP không phải sổ tính Excel.",
        "Giải nén và chọn đúng tệp Excel (.xlsx, .xls) hoặc CSV bên trong.",
    ),
    "pdf": (
        "đây là tệp PDF, không phải bảng tính.",
        "Trên hệ thống, chọn xuất ra Excel (.xlsx/.xls) hoặc CSV thay vì PDF.",
    ),
    "password": (
        "tệp có mật khẩu.",
        "Mở bằng Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc) rồi lưu lại "
        "và tải lên lại.",
    ),
    "zip_bomb": (
        "tệp nén bất thường: khi giải nén lớn hơn nhiều lần giới hạn cho phép.",
        "Mở tệp bằng Excel, xóa các trang thừa, lưu lại rồi tải lên; hoặc xuất lại "
        "từ hệ thống theo từng tháng.",
    ),
    "huge_sheet": (
        "trang tính khai báo kích thước quá lớn (hàng triệu dòng hoặc hàng nghìn "
        "cột), không thể là tệp xuất số liệu của xã.",
        "Mở tệp bằng Excel, chép vùng dữ liệu sang sổ mới, lưu lại rồi tải lên.",
    ),
    "span_bomb": (
        "tệp có ô gộp, chỉ số dòng / cột khai báo quá lớn (bung ra hàng chục triệu "
        "ô), không thể là tệp xuất số liệu của xã.",
        "Mở tệp bằng Excel, bỏ gộp ô, chép vùng dữ liệu sang sổ mới rồi lưu .xlsx.",
    ),
    "too_many_fields": (
        f"một dòng của tệp có hơn {MAX_FIELDS:,} cột.".replace(",", "."),
        "Kiểm tra tệp có đúng là CSV xuất từ hệ thống (mỗi dòng một hồ sơ) rồi xuất lại.",
    ),
    "ods": (
        "đây là tệp OpenDocument (.ods), chưa được hỗ trợ.",
        "Mở bằng LibreOffice hoặc Excel và «Lưu thành» .xlsx rồi tải lên lại.",
    ),
    "binary": (
        "không nhận ra định dạng tệp.",
        "Chỉ nhận tệp Excel (.xlsx, .xls), HTML xuất từ hệ thống hoặc CSV.",
    ),
}
