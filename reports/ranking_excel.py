"""«Đánh giá, xếp hạng» as tables in words and as an Excel workbook for the emulation
council: one sheet for the units, one for the officers, the formula and the period above
each table, scores and shares as numbers."""

from __future__ import annotations

import pandas as pd

from core import formatting as fmt
from indicators.ranking import NOTHING, Ranking
from reports.excel import Book

UNIT_HEADERS = {
    "hang": "Hạng",
    "ten": "Đơn vị",
    "diem": "Điểm",
    "nv_den_han": "Nhiệm vụ đến hạn",
    "nv_dung_han": "Hoàn thành đúng hạn",
    "nv_muon": "Hoàn thành muộn",
    "nv_qua_han": "Quá hạn chưa xong",
    "bc_den_han": "Báo cáo tháng phải gửi",
    "bc_dung_han": "Gửi trước ngày 18",
    "cs_co_chi_tieu": "Chỉ số có chỉ tiêu",
    "cs_dat": "Chỉ số đạt",
    "thay_doi": "So với kỳ trước",
}
OFFICER_HEADERS = {
    "hang": "Hạng",
    "ten": "Cán bộ",
    "diem": "Điểm",
    "tiep_nhan": "Hồ sơ tiếp nhận",
    "ty_le_dung_han": "Tỷ lệ đúng hạn",
    "ty_le_so_hoa": "Tỷ lệ số hóa",
    "ty_le_kq_dien_tu": "Tỷ lệ kết quả điện tử",
    "qua_han": "Hồ sơ giải quyết quá hạn",
    "tra_lai": "Hồ sơ bị trả lại, từ chối",
    "thay_doi": "So với kỳ trước",
}


def _change(rank: object, before: object) -> str:
    if rank is None or pd.isna(rank):  # type: ignore[arg-type]
        return "—"
    if before is None or pd.isna(before):  # type: ignore[arg-type]
        return "Kỳ trước chưa xếp hạng"
    moved = int(before) - int(rank)  # type: ignore[call-overload]
    return (
        "Giữ hạng" if moved == 0 else (f"Tăng {moved} bậc" if moved > 0 else f"Giảm {-moved} bậc")
    )


def _share(num: int, den: int) -> float | None:
    return num / den if den else None


def unit_rows(r: Ranking) -> pd.DataFrame:
    """The unit table with typed values (numbers stay numbers) and the change in words."""
    u = r.units
    out = u.assign(
        thay_doi=[_change(a, b) for a, b in zip(u["hang"], u["hang_ky_truoc"], strict=True)]
    )
    return out[list(UNIT_HEADERS)]


def officer_rows(r: Ranking) -> pd.DataFrame:
    o = r.officers
    out = o.assign(
        ty_le_dung_han=[
            _share(a, b) for a, b in zip(o["dung_han_tu"], o["dung_han_mau"], strict=True)
        ],
        ty_le_so_hoa=[_share(a, b) for a, b in zip(o["so_hoa_tu"], o["so_hoa_mau"], strict=True)],
        ty_le_kq_dien_tu=[
            _share(a, b) for a, b in zip(o["kq_dien_tu_tu"], o["kq_dien_tu_mau"], strict=True)
        ],
        thay_doi=[_change(a, b) for a, b in zip(o["hang"], o["hang_ky_truoc"], strict=True)],
    )
    return out[list(OFFICER_HEADERS)]


def shown(frame: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """For a page: scores with one decimal, a share as a percent, «nothing to do» said."""
    out = frame.copy()
    out["hang"] = ["—" if pd.isna(h) else str(int(h)) for h in out["hang"]]
    out["diem"] = [NOTHING if d is None or pd.isna(d) else fmt.number(d, 1) for d in out["diem"]]
    for col in ("ty_le_dung_han", "ty_le_so_hoa", "ty_le_kq_dien_tu"):
        if col in out:
            out[col] = [
                fmt.percent(v) if v is not None and not pd.isna(v) else "—" for v in out[col]
            ]
    return out.rename(columns=headers)


def to_excel(r: Ranking) -> bytes:
    book = Book()
    for name, frame, headers, formula, percents in (
        ("Đơn vị", unit_rows(r), UNIT_HEADERS, r.unit_formula, ()),
        (
            "Cán bộ",
            officer_rows(r),
            OFFICER_HEADERS,
            r.officer_formula,
            ("Tỷ lệ đúng hạn", "Tỷ lệ số hóa", "Tỷ lệ kết quả điện tử"),
        ),
    ):
        sheet = book.sheet(name)
        book.title(
            sheet,
            0,
            f"Đánh giá, xếp hạng {name.lower()} — {r.period.label} — "
            f"{r.commune} (số liệu đến {fmt.date(r.as_of)})",
        )
        book.put(sheet, 1, 0, formula, "plain")
        table = frame.assign(
            diem=[None if pd.isna(d) else round(float(d), 1) for d in frame["diem"]],
            hang=[None if pd.isna(h) else int(h) for h in frame["hang"]],
        )
        table = table.rename(columns=headers)
        formats = (
            {h: "count" for h in table.columns}
            | {"Điểm": "decimal1"}
            | dict.fromkeys(percents, "percent")
            | {headers["ten"]: "text", "So với kỳ trước": "text"}
        )
        book.table(
            sheet,
            table,
            start_row=3,
            formats=formats,
            widths=[8, 34] + [16] * (len(table.columns) - 2),
        )
        sheet.freeze_panes(4, 2)
    return book.close()
