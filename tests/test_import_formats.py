"""Exports from other vendors: other formats, encodings, words and orders give the same cases."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from core.schema import CASE_COLUMNS
from loaders.reader import read_file
from tests.conftest import COMMUNE, DIEN_CHAU

SOURCE = DIEN_CHAU / "danh_sach_ho_so_2026-08.csv"
N = 80


def source_rows() -> list[dict[str, str]]:
    with SOURCE.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))[:N]


def baseline() -> pd.DataFrame:
    path = Path("/tmp") / "kpi_baseline_2026-08.csv"
    with SOURCE.open(encoding="utf-8-sig") as fh:
        path.write_text("".join(fh.readlines()[: N + 1]), encoding="utf-8")
    return canonical(read_file(path, commune=COMMUNE).rows)


def canonical(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[list(CASE_COLUMNS)].sort_values("ma_ho_so").reset_index(drop=True)


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters with their hat or horn,
    tone marks as separate combining characters."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258", errors="strict")


CHANNEL_CODE = {"Trực tuyến": "2", "Trực tiếp": "1", "Bưu chính công ích": "3"}
LEVEL_CODE = {"Toàn trình": "4", "Một phần": "3"}

# vendor B: other words, codes for channel and level, "x" for yes, another column order
VENDOR_B = [
    ("Số hồ sơ", lambda r: r["Mã hồ sơ"]),
    ("Họ và tên", lambda r: r["Chủ hồ sơ"]),
    ("Ngày nộp", lambda r: r["Ngày tiếp nhận"]),
    ("Thủ tục", lambda r: r["Tên thủ tục hành chính"]),
    ("Lĩnh vực TTHC", lambda r: r["Lĩnh vực"]),
    ("Hình thức nộp", lambda r: CHANNEL_CODE.get(r["Kênh nộp"], r["Kênh nộp"])),
    ("Loại DVC", lambda r: LEVEL_CODE.get(r["Mức độ DVC"], r["Mức độ DVC"])),
    ("Hẹn trả kết quả", lambda r: r["Ngày hẹn trả"]),
    ("Ngày trả", lambda r: r["Ngày có kết quả"]),
    ("Tình trạng", lambda r: r["Trạng thái"]),
    ("Số hóa TPHS", lambda r: "x" if r["Số hóa thành phần hồ sơ"] == "Có" else ""),
    ("Kết quả điện tử", lambda r: r["Kết quả điện tử"]),
    ("Khai thác, sử dụng lại", lambda r: r["Tái sử dụng dữ liệu"]),
    ("Lệ phí", lambda r: f"{int(r['Phí, lệ phí (đồng)']):,}".replace(",", ".")),
    ("Đã thanh toán trực tuyến", lambda r: r["Thanh toán trực tuyến"]),
    ("Đăng nhập VNeID", lambda r: r["Xác thực VNeID"]),
    ("Mức độ hài lòng", lambda r: r["Đánh giá"]),
    ("Người xử lý", lambda r: r["Cán bộ xử lý"]),
    ("Điện thoại", lambda r: r["Số điện thoại"]),
]


def vendor_b_table() -> list[list[str]]:
    rows = source_rows()
    return [[h for h, _ in VENDOR_B]] + [[f(r) for _, f in VENDOR_B] for r in rows]


def test_utf16_tab_separated_from_another_vendor(tmp_path):
    path = tmp_path / "so_theo_doi_ho_so_08_2026.txt"
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t").writerows(vendor_b_table())
    path.write_bytes(buf.getvalue().encode("utf-16"))
    parsed = read_file(path, commune=COMMUNE)
    assert parsed.as_of == dt.date(2026, 8, 31)
    assert parsed.columns.personal == ["Họ và tên", "Điện thoại"]
    pd.testing.assert_frame_equal(canonical(parsed.rows), baseline())


def test_semicolon_windows_1258_with_decomposed_tone_marks(tmp_path):
    path = tmp_path / "export.csv"
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows(vendor_b_table())
    path.write_bytes(to_cp1258(buf.getvalue()))
    parsed = read_file(path, commune="UBND xã Diễn Châu", as_of=dt.date(2026, 8, 31))
    assert parsed.commune == COMMUNE
    pd.testing.assert_frame_equal(canonical(parsed.rows), baseline())


def test_html_table_with_flattened_group_headers(tmp_path):
    rows = source_rows()
    heads = [
        "STT",
        "Mã biên nhận",
        "Tên TTHC",
        "Lĩnh vực",
        "Kênh nộp",
        "Mức độ",
        "Thời gian<br>Ngày nhận",
        "Thời gian<br>Hẹn trả",
        "Thời gian<br>Ngày trả",
        "Trạng thái hồ sơ",
        "Số hóa - TPHS",
        "Số hóa - Kết quả",
        "Tái sử dụng dữ liệu",
        "Phí, lệ phí",
        "Thanh toán trực tuyến",
        "Xác thực VNeID",
        "Đánh giá",
        "Cán bộ đang xử lý",
        "Địa chỉ thường trú",
    ]
    keys = [
        None,
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Lĩnh vực",
        "Kênh nộp",
        "Mức độ DVC",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày có kết quả",
        "Trạng thái",
        "Số hóa thành phần hồ sơ",
        "Kết quả điện tử",
        "Tái sử dụng dữ liệu",
        "Phí, lệ phí (đồng)",
        "Thanh toán trực tuyến",
        "Xác thực VNeID",
        "Đánh giá",
        "Cán bộ xử lý",
        "Địa chỉ",
    ]
    body = "".join(
        "<tr>" + "".join(f"<td>{i + 1 if k is None else r[k]}</td>" for k in keys) + "</tr>"
        for i, r in enumerate(rows)
    )
    html = (
        "<html><head><meta charset='utf-8'></head><body>"
        "<h3>SỔ THEO DÕI HỒ SƠ - UBND XÃ DIỄN CHÂU</h3>"
        "<p>Từ ngày 01/08/2026 đến ngày 31/08/2026</p><table border=1><tr>"
        + "".join(f"<th>{h}</th>" for h in heads)
        + "</tr>"
        + body
        + "</table></body></html>"
    )
    path = tmp_path / "ho_so.xls"
    path.write_text(html, encoding="utf-8")
    parsed = read_file(path)
    assert parsed.fmt == "html" and parsed.commune == COMMUNE
    assert parsed.as_of == dt.date(2026, 8, 31) and parsed.as_of_source == "tiêu đề tệp"
    assert parsed.columns.personal == ["Địa chỉ thường trú"]
    pd.testing.assert_frame_equal(canonical(parsed.rows), baseline())


def test_spreadsheetml_with_merged_group_header(tmp_path):
    rows = source_rows()
    groups = [
        ("Mã hồ sơ", None),
        ("Tên thủ tục", None),
        ("Lĩnh vực", None),
        ("Kênh thực hiện", None),
        ("Cấp độ dịch vụ", None),
        ("Ngày, tháng, năm", ["Tiếp nhận", "Hẹn trả", "Trả kết quả"]),
        ("Trạng thái", None),
        ("Số hóa", ["TPHS", "Kết quả"]),
        ("Tái sử dụng dữ liệu", None),
        ("Phí", None),
        ("Thanh toán trực tuyến", None),
        ("Tài khoản VNeID", None),
        ("Kết quả đánh giá", None),
        ("Cán bộ xử lý", None),
    ]
    keys = [
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Lĩnh vực",
        "Kênh nộp",
        "Mức độ DVC",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày có kết quả",
        "Trạng thái",
        "Số hóa thành phần hồ sơ",
        "Kết quả điện tử",
        "Tái sử dụng dữ liệu",
        "Phí, lệ phí (đồng)",
        "Thanh toán trực tuyến",
        "Xác thực VNeID",
        "Đánh giá",
        "Cán bộ xử lý",
    ]

    def cell(text, extra=""):
        return f'<Cell{extra}><Data ss:Type="String">{text}</Data></Cell>'

    top = "".join(
        cell(g, f' ss:MergeAcross="{len(leaves) - 1}"') if leaves else cell(g, ' ss:MergeDown="1"')
        for g, leaves in groups
    )
    leaf_cells, col = [], 1
    for _g, leaves in groups:
        if leaves:
            for j, leaf in enumerate(leaves):
                leaf_cells.append(cell(leaf, f' ss:Index="{col + j}"'))
        col += len(leaves) if leaves else 1
    data = "".join("<Row>" + "".join(cell(r[k]) for k in keys) + "</Row>" for r in rows)
    xml = (
        '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"'
        ' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="HoSo">'
        "<Table><Row>"
        + cell("UBND XÃ DIỄN CHÂU")
        + "</Row><Row>"
        + cell("Kỳ báo cáo: Tháng 8/2026")
        + "</Row><Row>"
        + top
        + "</Row><Row>"
        + "".join(leaf_cells)
        + "</Row>"
        + data
        + "</Table></Worksheet></Workbook>"
    )
    path = tmp_path / "xuat.xml.xls"
    path.write_text(xml, encoding="utf-8")
    parsed = read_file(path)
    assert parsed.fmt == "spreadsheetml" and parsed.as_of == dt.date(2026, 8, 31)
    pd.testing.assert_frame_equal(canonical(parsed.rows), baseline())


def test_xlsx_second_sheet_real_date_cells_group_rows_and_totals(tmp_path):
    rows = source_rows()
    wb = openpyxl.Workbook()
    wb.active.title = "Hướng dẫn"
    wb.active["A1"] = "Trang này không có dữ liệu"
    ws = wb.create_sheet("Dữ liệu")
    ws["B3"] = "UBND XÃ DIỄN CHÂU"
    ws["B4"] = "(Từ ngày 01/08/2026 đến ngày 31/08/2026)"
    headers = [
        "TT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Lĩnh vực",
        "Kênh nộp",
        "Mức độ DVC",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày kết thúc xử lý",
        "Trạng thái",
        "Số hóa thành phần hồ sơ",
        "Kết quả điện tử",
        "Sử dụng lại dữ liệu số hóa",
        "Phí, lệ phí (đồng)",
        "Thanh toán trực tuyến",
        "Xác thực VNeID",
        "Đánh giá",
        "Cán bộ xử lý",
    ]
    for j, h in enumerate(headers):
        ws.cell(row=6, column=2 + j, value=h.upper() if j % 3 == 0 else h)
    r_out = 7
    ws.cell(row=r_out, column=2, value="I")
    ws.cell(row=r_out, column=3, value="Lĩnh vực tổng hợp")
    r_out += 1

    def when(text):
        return dt.datetime.strptime(text, "%d/%m/%Y %H:%M:%S") if text else None

    for i, r in enumerate(rows):
        values = [
            i + 1,
            r["Mã hồ sơ"],
            r["Tên thủ tục hành chính"],
            r["Lĩnh vực"],
            r["Kênh nộp"],
            r["Mức độ DVC"],
            when(r["Ngày tiếp nhận"]),
            when(r["Ngày hẹn trả"]),
            when(r["Ngày có kết quả"]),
            r["Trạng thái"],
            r["Số hóa thành phần hồ sơ"],
            r["Kết quả điện tử"],
            r["Tái sử dụng dữ liệu"],
            int(r["Phí, lệ phí (đồng)"]),
            r["Thanh toán trực tuyến"],
            r["Xác thực VNeID"],
            r["Đánh giá"],
            r["Cán bộ xử lý"],
        ]
        for j, v in enumerate(values):
            if v not in (None, ""):
                ws.cell(row=r_out, column=2 + j, value=v)
        r_out += 1
    ws.cell(row=r_out + 1, column=2, value=f"Tổng cộng: {len(rows)} hồ sơ")
    ws.cell(row=r_out + 3, column=10, value="NGƯỜI LẬP BIỂU")
    path = tmp_path / "bao_cao.xlsx"
    wb.save(path)
    parsed = read_file(path)
    assert parsed.sheet == "Dữ liệu" and parsed.columns.header_rows == [6]
    assert parsed.rows["_row"].min() == 8
    pd.testing.assert_frame_equal(canonical(parsed.rows), baseline())


@pytest.mark.parametrize(
    "text,expected",
    [
        ("05/01/2026", "2026-01-05 00:00:00"),
        ("5/1/2026 8:05", "2026-01-05 08:05:00"),
        ("2026-01-05T08:30:00", "2026-01-05 08:30:00"),
        ("05-01-2026", "2026-01-05 00:00:00"),
        ("46027", "2026-01-05 00:00:00"),
    ],
)
def test_dates_are_read_day_first(text, expected):
    from loaders.values import parse_datetime

    parsed, bad = parse_datetime(pd.Series([text]))
    assert not bad.iloc[0] and str(parsed.iloc[0]) == expected


@pytest.mark.parametrize(
    "text,expected",
    [("75.000", 75000), ("75000", 75000), ("1.250.000 đ", 1250000), ("", 0), ("75000.0", 75000)],
)
def test_fees(text, expected):
    from loaders.values import parse_amount

    values, bad = parse_amount(pd.Series([text]))
    assert not bad.iloc[0] and values.iloc[0] == expected
