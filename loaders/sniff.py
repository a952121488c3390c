"""Tell the real format of an export from its bytes, never from its extension."""

from __future__ import annotations

import io
import zipfile

XLSX, XLS, HTML, SPREADSHEETML, TEXT = "xlsx", "xls", "html", "spreadsheetml", "text"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """One of xlsx, xls, html, spreadsheetml, text; or a Vietnamese reason it is none."""
    if not data:
        return "empty"
    if data.startswith(_OLE):
        return XLS
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "broken_zip"
        if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
            return XLSX
        return "zip"
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


def _decode_head(chunk: bytes) -> str:
    if chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
        return chunk.decode("utf-16", errors="ignore")
    return chunk.decode("utf-8", errors="ignore")


REASONS = {
    "empty": ("tệp rỗng (0 byte).", "Tải lại tệp từ hệ thống rồi thử lại."),
    "broken_zip": ("tệp Excel bị hỏng, không mở được.",
                   "Mở tệp bằng Excel để kiểm tra, hoặc tải lại tệp từ hệ thống."),
    "zip": ("tệp nén ZIP không phải sổ tính Excel.",
            "Giải nén và chọn đúng tệp Excel (.xlsx, .xls) hoặc CSV bên trong."),
    "pdf": ("đây là tệp PDF, không phải bảng tính.",
            "Trên hệ thống, chọn xuất ra Excel (.xlsx/.xls) hoặc CSV thay vì PDF."),
    "binary": ("không nhận ra định dạng tệp.",
               "Chỉ nhận tệp Excel (.xlsx, .xls), HTML xuất từ hệ thống hoặc CSV."),
}
