"""Synthetic case data shaped like the portal's exports, for the demo, tests and benchmarks.

The generator is deterministic for a seed. It makes no real person's data: the citizen
columns of an export are filled with obviously fake values so that the tests can check
that they are dropped at read time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core import settings
from core.errors import StorageFault
from loaders.figures import ManualSpec
from storage import scope, tasks
from storage.database import one, scalar
from storage.figures import enter
from storage.imports import import_files, undo_import

PROCEDURES: tuple[tuple[str, str, int, int, bool], ...] = (
    # (thủ tục, lĩnh vực, days to due, fee VND, full-online available)
    ("Đăng ký khai sinh", "Hộ tịch", 1, 0, True),
    ("Đăng ký kết hôn", "Hộ tịch", 5, 0, False),
    ("Trích lục hộ tịch", "Hộ tịch", 1, 8000, True),
    ("Chứng thực bản sao từ bản chính", "Chứng thực", 1, 2000, False),
    ("Chứng thực chữ ký", "Chứng thực", 1, 10000, False),
    ("Đăng ký thường trú", "Đăng ký, quản lý cư trú", 7, 0, True),
    ("Hòa giải tranh chấp đất đai", "Đất đai", 45, 0, False),
    ("Cấp phép xây dựng nhà ở riêng lẻ", "Xây dựng", 15, 75000, False),
    ("Trợ cấp xã hội hằng tháng", "Bảo trợ xã hội", 20, 0, False),
    ("Xác nhận người có công", "Người có công", 10, 0, False),
    ("Tặng giấy khen", "Thi đua - Khen thưởng", 10, 0, True),
)
OFFICERS = ("Trần Văn Nam", "Lê Thị Mai", "Nguyễn Thị Hằng", "Hồ Đức Tâm", "Phan Thị Thu")
HEADERS_TOP = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Lĩnh vực",
    "Chủ hồ sơ",
    "Số CCCD",
    "Số điện thoại",
    "Địa chỉ",
    "Kênh nộp",
    "Mức độ DVC",
    "Ngày, tháng, năm",
    None,
    None,
    "Trạng thái",
    "Số hóa",
    None,
    "Tái sử dụng dữ liệu",
    "Phí, lệ phí (đồng)",
    "Thanh toán trực tuyến",
    "Xác thực VNeID",
    "Đánh giá",
    "Cán bộ xử lý",
)
HEADERS_LEAF = {
    10: "Tiếp nhận",
    11: "Hẹn trả",
    12: "Có kết quả",
    14: "Thành phần hồ sơ",
    15: "Kết quả giải quyết",
}


@dataclass(frozen=True)
class Commune:
    name: str  # as printed in a title, e.g. "XÃ DIỄN CHÂU"
    code: str  # the middle part of ma_ho_so, e.g. "000.45.17.H40"


def synthetic_cases(
    n: int,
    start: dt.date,
    end: dt.date,
    *,
    seed: int = 7,
    commune: Commune = Commune("XÃ DEMO", "000.00.00.H00"),
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """n cases received between start and end, with their state as of ``as_of``."""
    rng = np.random.default_rng(seed)
    as_of = as_of or end
    days = (end - start).days + 1
    recv_day = np.sort(rng.integers(0, days, n))
    secs = rng.integers(7 * 3600, 17 * 3600, n)
    received = pd.to_datetime(start) + pd.to_timedelta(recv_day, "D") + pd.to_timedelta(secs, "s")
    proc = rng.integers(0, len(PROCEDURES), n)
    due_days = np.array([PROCEDURES[i][2] for i in proc])
    due = received.normalize() + pd.to_timedelta(due_days, "D") + pd.Timedelta(hours=17)
    # most cases finish before the due date, a few late, some still open
    ratio = rng.uniform(0.1, 1.0, n)
    late = rng.random(n) < 0.03
    took = pd.to_timedelta(np.ceil(due_days * ratio).astype(int), "D") + pd.to_timedelta(
        np.where(late, rng.integers(1, 6, n), 0), "D"
    )
    ended = received.normalize() + took + pd.Timedelta(hours=14)
    ended = ended.where(ended <= pd.Timestamp(as_of) + pd.Timedelta(hours=23), pd.NaT)
    online = rng.random(n) < 0.8
    full = online & np.array([PROCEDURES[i][4] for i in proc]) | (online & (rng.random(n) < 0.7))
    status = np.where(
        ended.isna(), "Đang xử lý", np.where(rng.random(n) < 0.02, "Từ chối", "Đã trả kết quả")
    )
    fee = np.array([PROCEDURES[i][3] for i in proc])
    rated = rng.random(n) < 0.45
    seq = np.ones(n, dtype=int)
    day_codes = pd.Series(received.strftime("%y%m%d"))
    seq = day_codes.groupby(day_codes).cumcount().to_numpy() + 1
    codes = commune.code + "-" + day_codes + "-" + pd.Series(seq).map("{:04d}".format)

    def yes(p: float) -> np.ndarray:
        return np.where(rng.random(n) < p, "Có", "Không")

    return pd.DataFrame(
        {
            "ma_ho_so": codes,
            "ten_tthc": [PROCEDURES[i][0] for i in proc],
            "linh_vuc": [PROCEDURES[i][1] for i in proc],
            "kenh": np.where(
                online,
                "Trực tuyến",
                np.where(rng.random(n) < 0.05, "Bưu chính công ích", "Trực tiếp"),
            ),
            "muc_do": np.where(full, "Toàn trình", "Một phần"),
            "ngay_tiep_nhan": received,
            "ngay_hen_tra": due,
            "ngay_ket_thuc": ended,
            "trang_thai": status,
            "so_hoa_tphs": yes(0.965),
            "ket_qua_dien_tu": np.where(ended.isna(), "Không", yes(0.95)),
            "tai_su_dung": yes(0.9),
            "phi": fee,
            "thanh_toan_truc_tuyen": np.where(fee > 0, np.where(online, yes(0.7), "Không"), ""),
            "xac_thuc_vneid": np.where(online, yes(0.82), ""),
            "danh_gia": np.where(
                ended.notna() & rated,
                np.where(rng.random(n) < 0.97, "Hài lòng", "Không hài lòng"),
                "",
            ),
            "can_bo": [OFFICERS[i] for i in rng.integers(0, len(OFFICERS), n)],
        }
    )


def write_case_export(
    cases: pd.DataFrame, path: Path, *, commune_title: str, start: dt.date, end: dt.date
) -> Path:
    """Write cases as the portal prints them: titles, two merged header rows, a
    numbering row, fake citizen columns, a total row and a signature block."""
    import xlsxwriter

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("DanhSachHoSo")
    bold = wb.add_format({"bold": True, "align": "center", "text_wrap": True, "border": 1})
    ws.write(0, 0, f"UBND {commune_title}")
    ws.write(0, 15, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    ws.write(1, 0, "BỘ PHẬN MỘT CỬA")
    ws.write(3, 0, "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    ws.write(4, 0, f"(Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y})")
    for col, text in enumerate(HEADERS_TOP):
        if text is not None:
            ws.write(6, col, text, bold)
    for col, text in HEADERS_LEAF.items():
        ws.write(7, col, text, bold)
    for col in range(len(HEADERS_TOP)):
        ws.write(8, col, f"({col + 1})")
    fmt = "%d/%m/%Y %H:%M:%S"
    cols = {
        "tn": cases["ngay_tiep_nhan"].dt.strftime(fmt).fillna("").tolist(),
        "ht": cases["ngay_hen_tra"].dt.strftime(fmt).fillna("").tolist(),
        "kt": cases["ngay_ket_thuc"].dt.strftime(fmt).fillna("").tolist(),
    }
    records = cases.to_dict("records")
    for i, rec in enumerate(records):
        r = 9 + i
        row = [
            i + 1,
            rec["ma_ho_so"],
            rec["ten_tthc"],
            rec["linh_vuc"],
            "Nguyễn Văn Mẫu",
            "000000000000",
            "0900000000",
            "Xóm Mẫu",
            rec["kenh"],
            rec["muc_do"],
            cols["tn"][i],
            cols["ht"][i],
            cols["kt"][i],
            rec["trang_thai"],
            rec["so_hoa_tphs"],
            rec["ket_qua_dien_tu"],
            rec["tai_su_dung"],
            int(rec["phi"]),
            rec["thanh_toan_truc_tuyen"],
            rec["xac_thuc_vneid"],
            rec["danh_gia"],
            rec["can_bo"],
        ]
        for c, v in enumerate(row):
            if v != "":
                ws.write(r, c, v)
    last = 9 + len(records)
    ws.write(last + 1, 0, f"Tổng cộng: {len(records):,} hồ sơ".replace(",", "."))
    ws.write(last + 3, 18, f"{commune_title.title()}, ngày {end:%d} tháng {end:%m} năm {end:%Y}")
    ws.write(last + 4, 1, "NGƯỜI LẬP BIỂU")
    ws.write(last + 4, 18, "THỦ TRƯỞNG ĐƠN VỊ")
    wb.close()
    return path


DEMO_PREFIX = "du_lieu_mau_"
DEMO_SOURCE = "Dữ liệu mẫu"
DEMO_COMMUNE = Commune("XÃ MẪU", "000.00.00.H00")  # stored as settings.DEMO_COMMUNE


def is_demo(con) -> bool:
    row = one(
        con,
        "SELECT count(*) FROM imports WHERE undone_at IS NULL AND file_name LIKE ?",
        [DEMO_PREFIX + "%"],
    )
    return bool(row and row[0])


def is_empty(con) -> bool:
    return (
        scalar(
            con,
            "SELECT (SELECT count(*) FROM imports WHERE undone_at IS NULL) + "
            "(SELECT count(*) FROM so_lieu_nhap_tay)",
        )
        == 0
    )


def seed_demo(con, workdir: Path, manual: Mapping[str, ManualSpec], months: int = 10) -> None:
    """Ten months of a made-up commune, imported through the real import path, plus a few
    hand-entered figures. Everything is labelled «Dữ liệu mẫu» and can be cleared."""
    start = dt.date(2026, 1, 1)
    end = dt.date(2026, months, 28) + dt.timedelta(days=4)
    end = end.replace(day=1) - dt.timedelta(days=1)
    cases = synthetic_cases(1100 * months, start, end, seed=2026, commune=DEMO_COMMUNE)
    path = write_case_export(
        cases,
        Path(workdir) / f"{DEMO_PREFIX}{end:%Y-%m}.xlsx",
        commune_title=DEMO_COMMUNE.name,
        start=start,
        end=end,
    )
    results = import_files(con, [path], user=DEMO_SOURCE)
    if not results[0].ok:  # a full disk, a held file: said, and the app starts without it
        raise StorageFault(f"Không nạp được Dữ liệu mẫu: {results[0].message}")
    figures = [
        ("ty_le_asxh_khong_tien_mat", 412, 500),
        ("ty_le_can_bo_chu_ky_so", 31, 33),
        ("ty_le_vneid_muc2", 8420, 9800),
        ("phu_song_5g", 78, 100),
    ]
    for ident, num, den in figures:
        for m in (3, 6, months):
            enter(
                con,
                manual,
                ident,
                DEMO_COMMUNE.name,
                dt.date(2026, m, 1),
                numerator=round(num * (0.85 + 0.05 * m / 3)) if m != months else num,
                denominator=den,
                source=DEMO_SOURCE,
                user=DEMO_SOURCE,
            )
    # the made-up commune shows the programme's appendix as its own list
    tasks.adopt_template(con, settings.DEMO_COMMUNE, DEMO_SOURCE)


def clear_demo(con, user: str = DEMO_SOURCE) -> None:
    """Undo the demo's imports and remove its figures, in the name of the person who asked.
    Shared by every commune: an account of one commune may not remove it."""
    scope.check(None)
    ids = [
        r[0]
        for r in con.execute(
            "SELECT import_id FROM imports WHERE undone_at IS NULL AND file_name LIKE ?",
            [DEMO_PREFIX + "%"],
        ).fetchall()
    ]
    for import_id in ids:
        undo_import(con, import_id, user=user)
    con.execute("DELETE FROM so_lieu_nhap_tay WHERE nguon = ?", [DEMO_SOURCE])
    con.execute("DELETE FROM nhiem_vu WHERE commune = ?", [settings.DEMO_COMMUNE])
