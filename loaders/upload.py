"""What the upload page shows before anything is stored: how each file was read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from core.errors import ImportRejected, Problem
from core.schema import LABELS
from loaders.figures import ManualSpec
from loaders.reader import ParsedFile
from loaders.sandbox import read_isolated
from loaders.vocabulary import load

# the columns of a preview, in the words of the exports (case columns from core.schema)
PREVIEW_LABELS = {
    **LABELS, "ngay_ket_thuc": "Ngày có kết quả",
    "indicator_id": "Mã chỉ số", "thang": "Tháng", "gia_tri": "Giá trị", "tu_so": "Tử số",
    "mau_so": "Mẫu số", "nguon": "Nguồn", "commune": "Xã",
}


@dataclass
class Reading:
    """One uploaded file as read: either ``parsed`` or ``error``."""

    file_name: str
    parsed: ParsedFile | None = None
    error: ImportRejected | None = None

    @property
    def facts(self) -> dict[str, str]:
        return describe(self.parsed) if self.parsed is not None else {}

    @property
    def ok(self) -> bool:
        return self.parsed is not None

    @property
    def problems(self) -> list[Problem]:
        if self.parsed is not None:
            return self.parsed.problems
        return self.error.problems if self.error else []


def read_upload(data: bytes, file_name: str, commune: str | None = None,
                manual: Mapping[str, ManualSpec] | None = None) -> Reading:
    """An uploaded file read in a worker process with hard limits (see loaders.sandbox)."""
    try:
        parsed = read_isolated(data, file_name, commune=commune, manual=manual)
    except ImportRejected as exc:
        return Reading(file_name, error=exc)
    return Reading(file_name, parsed=parsed)


def describe(p: ParsedFile) -> dict[str, str]:
    kinds = load().kinds
    cmap = p.columns
    period = (f"{p.period_start:%d/%m/%Y} – {p.period_end:%d/%m/%Y}"
              if p.period_start and p.period_end else f"đến {p.as_of:%d/%m/%Y}")
    return {
        "Loại tệp": kinds[p.kind].label,
        "Xã": p.commune,
        "Kỳ số liệu": period,
        "Ngày chốt số liệu": f"{p.as_of:%d/%m/%Y} (theo {p.as_of_source})",
        "Trang tính": p.sheet,
        "Số dòng đọc được": f"{len(p.rows):,}".replace(",", "."),
        "Số dòng lỗi": str(len(p.bad_rows)),
        "Cột nhận ra": ", ".join(cmap.labels[c] for c in cmap.fields.values()),
        "Cột không dùng": ", ".join(cmap.ignored) or "không có",
        "Cột thông tin cá nhân đã bỏ (không lưu)": ", ".join(cmap.personal) or "không có",
    }


def preview(p: ParsedFile, rows: int = 20) -> pd.DataFrame:
    """The first rows as they will be stored, in Vietnamese column names."""
    frame = p.rows.head(rows).drop(columns=["_row"], errors="ignore")
    keep = [c for c in frame.columns if c in PREVIEW_LABELS or p.kind != "danh_sach_ho_so"]
    frame = frame[keep].rename(columns=PREVIEW_LABELS)
    frame.insert(0, "Dòng Excel", p.rows.head(rows)["_row"].to_numpy())
    return frame


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame([{"Trang": p.sheet, "Dòng": p.row, "Cột": p.column, "Giá trị": p.value,
                          "Lỗi": p.reason} for p in problems],
                        columns=["Trang", "Dòng", "Cột", "Giá trị", "Lỗi"])
