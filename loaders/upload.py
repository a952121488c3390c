"""What the upload page shows before anything is stored: how each file was read."""

from __future__ import annotations

import datetime as dt
import math
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
    **LABELS,
    "ngay_ket_thuc": "Ngày có kết quả",
    "indicator_id": "Mã chỉ số",
    "thang": "Tháng",
    "gia_tri": "Giá trị",
    "tu_so": "Tử số",
    "mau_so": "Mẫu số",
    "nguon": "Nguồn",
    "commune": "Xã",
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


def read_upload(
    data: bytes,
    file_name: str,
    commune: str | None = None,
    manual: Mapping[str, ManualSpec] | None = None,
) -> Reading:
    """An uploaded file read in a worker process with hard limits (see loaders.sandbox)."""
    try:
        parsed = read_isolated(data, file_name, commune=commune, manual=manual)
    except ImportRejected as exc:
        return Reading(file_name, error=exc)
    return Reading(file_name, parsed=parsed)


def describe(p: ParsedFile) -> dict[str, str]:
    kinds = load().kinds
    cmap = p.columns
    period = (
        f"{p.period_start:%d/%m/%Y} – {p.period_end:%d/%m/%Y}"
        if p.period_start and p.period_end
        else f"đến {p.as_of:%d/%m/%Y}"
    )
    return {
        "Loại tệp": kinds[p.kind].label,
        "Xã": p.commune,
        "Kỳ số liệu": period,
        "Ngày chốt số liệu": f"{p.as_of:%d/%m/%Y} (theo {p.as_of_source})",
        "Trang tính": p.sheet,
        "Số dòng đọc được": f"{len(p.rows):,}".replace(",", "."),
        "Số dòng lỗi": f"{len(p.bad_rows):,}".replace(",", "."),
        "Cột nhận ra": ", ".join(cmap.labels[c] for c in cmap.fields.values()),
        "Cột không dùng": ", ".join(cmap.ignored) or "không có",
        "Cột thông tin cá nhân đã bỏ (không lưu)": ", ".join(cmap.personal) or "không có",
    }


def _cell(
    v: object,
    field: str,
    kind: str,
    labels: Mapping[str, Mapping[str, str]],
    names: Mapping[str, str],
) -> str:
    """One preview cell as the clerk reads it: a label for a code, «Có»/«Không», a date
    dd/mm/yyyy, a count with the thousands dot, a dash for nothing."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return "—"
    if field == "indicator_id":
        return names.get(str(v), str(v))
    if isinstance(v, bool):
        return "Có" if v else "Không"
    if isinstance(v, (dt.datetime, pd.Timestamp)):
        return f"{v:%d/%m/%Y}" if (v.hour, v.minute) == (0, 0) else f"{v:%d/%m/%Y %H:%M}"
    if isinstance(v, dt.date):
        return f"{v:%m/%Y}" if field == "thang" else f"{v:%d/%m/%Y}"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        rate = field.startswith("ty_le") or (
            field == "gia_tri" and 0 < abs(v) <= 1.5 and not float(v).is_integer()
        )
        if rate and kind != "danh_sach_ho_so":
            return f"{v * 100:,.1f}%".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        text = f"{v:,.2f}".rstrip("0").rstrip(".") if not float(v).is_integer() else f"{int(v):,}"
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    label = labels.get(field, {}).get(str(v))
    return label[:1].upper() + label[1:] if label else str(v)


def preview(p: ParsedFile, rows: int = 20, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The first rows as they will be stored, in the words of the exports: Vietnamese
    column names, codes by their labels (``names``: indicator id -> name), dates
    dd/mm/yyyy, counts with the thousands dot."""
    vocabulary = load()
    head = p.rows.head(rows)
    frame = head.drop(columns=["_row"], errors="ignore")
    spec = vocabulary.kinds.get(p.kind)
    display = {**(spec.display if spec else {}), **PREVIEW_LABELS}
    keep = [c for c in frame.columns if c in display]
    out = pd.DataFrame(
        {
            display[c]: [_cell(v, c, p.kind, vocabulary.labels, names or {}) for v in frame[c]]
            for c in keep
        }
    )
    out.insert(0, "Dòng Excel", [str(r) for r in head["_row"]])
    return out


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"Trang": p.sheet, "Dòng": p.row, "Cột": p.column, "Giá trị": p.value, "Lỗi": p.reason}
            for p in problems
        ],
        columns=["Trang", "Dòng", "Cột", "Giá trị", "Lỗi"],
    )
