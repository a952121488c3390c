"""Read one export into canonical rows: detect the format, the sheet, the header, the kind,
the commune and the as-of date; parse and validate values. Nothing is stored here.

``read_file`` is the one entry point; it raises :class:`ImportRejected` for a file that
cannot be read at all, and returns a :class:`ParsedFile` whose ``problems`` list the bad
rows otherwise (the store decides whether they reject the file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core import settings
from core.errors import ImportRejected, Problem
from core.formatting import number, percent
from core.periods import month_end
from core.schema import CASE_FIELDS
from core.text import clean, key
from loaders import sniff as sniffing
from loaders.figures import MANUAL, ManualSpec, read_figures
from loaders.grids import Sheet, read_sheets
from loaders.headers import ColumnMap, find_header
from loaders.titles import commune_from_text, commune_name, period_from_name, period_from_text
from loaders.values import (
    as_text,
    parse_amount,
    parse_bool,
    parse_datetime,
    parse_level,
    parse_rate,
    parse_words,
)
from loaders.vocabulary import AGGREGATE_KINDS, CASE_LIST, KindSpec, Vocabulary, load

REASON = {
    "date": "không phải ngày hợp lệ; cần dạng ngày/tháng/năm, ví dụ 05/01/2026 08:30",
    "kenh": "không nhận ra kênh nộp; cần «Trực tuyến», «Trực tiếp» hoặc «Bưu chính công ích»",
    "bool": "không hiểu giá trị; cần «Có» hoặc «Không»",
    "danh_gia": "không nhận ra mức đánh giá; cần «Hài lòng» hoặc «Không hài lòng»",
    "trang_thai": "không nhận ra trạng thái hồ sơ (ví dụ «Đã trả kết quả», «Đang xử lý»)",
    "phi": "không phải số tiền hợp lệ (ví dụ 75.000)",
    "number": "không phải số hợp lệ",
    "rate": "không phải tỷ lệ hợp lệ (ví dụ 97,6%)",
    "no_key": "thiếu mã hồ sơ",
    "no_received": "thiếu ngày tiếp nhận",
    "duplicate": "mã hồ sơ trùng với dòng {row} nhưng nội dung khác; hãy giữ một dòng đúng",
}


@dataclass
class ParsedFile:
    file_name: str
    sha256: str
    fmt: str
    kind: str
    sheet: str
    commune: str
    as_of: dt.date
    period_start: dt.date | None
    period_end: dt.date | None
    as_of_source: str
    columns: ColumnMap
    rows: pd.DataFrame  # canonical columns + "_row" (Excel row number)
    problems: list[Problem] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)  # Excel row numbers with a problem
    warnings: list[str] = field(default_factory=list)
    totals: dict[str, float] = field(default_factory=dict)  # an aggregate's "Tổng cộng" row

    @property
    def good_rows(self) -> pd.DataFrame:
        if not self.bad_rows:
            return self.rows
        return self.rows[~self.rows["_row"].isin(self.bad_rows)]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_file(
    source: str | Path | bytes,
    file_name: str | None = None,
    *,
    commune: str | None = None,
    as_of: dt.date | None = None,
    vocab: Vocabulary | None = None,
    manual: Mapping[str, ManualSpec] | None = None,
) -> ParsedFile:
    """One file, read: raises ImportRejected for a file that cannot be read at all.
    ``manual`` names the hand-entered indicators a filled template may carry."""
    vocab = vocab or load()
    data, file_name = load_bytes(source, file_name)
    fmt = sniffing.sniff(data)
    problem = fmt if fmt in sniffing.REASONS else sniffing.structure(data, fmt)
    if problem:
        reason, hint = sniffing.REASONS[problem]
        raise ImportRejected(file_name, reason, hint=hint)
    try:
        sheets = read_sheets(data, file_name, fmt, settings.number("max_rows"))
    except ImportRejected as exc:
        exc.file_name = file_name
        raise
    sheets = [s for s in sheets if s.cells.shape[0] and s.cells.notna().to_numpy().any()]
    if not sheets:
        raise ImportRejected(
            file_name,
            "tệp không có dữ liệu (mọi trang tính đều trống).",
            hint="Kiểm tra lại tệp đã xuất từ hệ thống.",
        )

    best: tuple[Sheet, ColumnMap] | None = None
    partial: tuple[Sheet, ColumnMap] | None = None
    for sheet in sheets:
        cmap, near = find_header(sheet.cells, vocab, " ".join([*sheet.preamble, sheet.name]))
        if cmap and (best is None or len(cmap.fields) > len(best[1].fields)):
            best = (sheet, cmap)
        if near and (partial is None or len(near.fields) > len(partial[1].fields)):
            partial = (sheet, near)
    if best is None:
        raise _no_header(file_name, vocab, partial)
    sheet, cmap = best
    spec = vocab.kinds[cmap.kind]
    first_header = cmap.header_rows[0]
    # one line per title cell: a row often holds two titles side by side
    title_lines = sheet.preamble + [
        v
        for row in sheet.cells.loc[: first_header - 1].itertuples(index=False, name=None)
        for v in row
        if isinstance(v, str)
    ]
    title_lines = [line for line in title_lines if line.strip()]

    # the commune: title, else what the user said, else the installation's default
    commune_raw = commune_from_text(title_lines) or commune or settings.text("default_commune")
    if not commune_raw:
        raise ImportRejected(
            file_name,
            "tệp không ghi tên xã và chưa chọn xã.",
            hint="Chọn xã ở ô «Xã» khi tải lên, hoặc nhờ "
            "quản trị đặt xã của bảng điều khiển ở trang Quản trị.",
        )

    data_cells = sheet.cells.loc[cmap.data_start :]
    parsed = ParsedFile(
        file_name=file_name,
        sha256=sha256(data),
        fmt=fmt,
        kind=cmap.kind,
        sheet=sheet.name,
        commune=commune_name(commune_raw),
        as_of=dt.date.min,
        period_start=None,
        period_end=None,
        as_of_source="",
        columns=cmap,
        rows=pd.DataFrame(),
    )
    if cmap.kind == CASE_LIST:
        _read_cases(parsed, data_cells, vocab)
    elif cmap.kind == MANUAL:
        _read_manual(parsed, data_cells, spec, manual or {})
        return parsed
    else:
        _read_aggregate(parsed, data_cells, spec)
    _settle_period(parsed, title_lines, as_of)
    return parsed


def load_bytes(source: str | Path | bytes, file_name: str | None = None) -> tuple[bytes, str]:
    """A file's bytes and its name, refused when missing or over the upload limit (checked
    on disk before anything is read into memory)."""
    max_bytes = settings.number("max_file_mb") * 1024 * 1024
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = file_name or path.name
        if not path.is_file():
            raise ImportRejected(name, "không tìm thấy tệp.", hint="Kiểm tra lại đường dẫn.")
        if path.stat().st_size > max_bytes:
            raise _too_big(name, path.stat().st_size, max_bytes)
        return path.read_bytes(), name
    name = file_name or "tệp tải lên"
    if len(source) > max_bytes:
        raise _too_big(name, len(source), max_bytes)
    return source, name


def _too_big(file_name: str, size: int, limit: int) -> ImportRejected:
    return ImportRejected(
        file_name,
        f"tệp nặng {size / 1048576:.1f} MB, vượt giới hạn {limit // 1048576} MB.".replace(".", ","),
        hint="Xuất dữ liệu theo từng tháng, hoặc nhờ quản trị tăng giới hạn (KPI_MAX_FILE_MB).",
    )


def _no_header(
    file_name: str, vocab: Vocabulary, partial: tuple[Sheet, ColumnMap] | None
) -> ImportRejected:
    if partial:
        sheet, cmap = partial
        spec = vocab.kinds[cmap.kind]
        missing = [spec.display.get(f, f) for f in spec.required if f not in cmap.fields]
        return ImportRejected(
            file_name,
            f"trang «{sheet.name}» giống {spec.label} nhưng thiếu cột bắt buộc: "
            + ", ".join(f"«{m}»" for m in missing)
            + f" (dòng tiêu đề {cmap.header_rows[0]}).",
            hint="Xuất lại đầy đủ các cột từ hệ thống, hoặc sửa tên cột cho đúng.",
        )
    labels = [k.label for k in vocab.kinds.values()]
    return ImportRejected(
        file_name,
        "không tìm thấy dòng tiêu đề của " + ", ".join(labels[:-1]) + f" hay {labels[-1]}.",
        hint="Tệp cần có dòng tiêu đề như «Mã hồ sơ», «Ngày tiếp nhận», «Trạng thái»... "
        "Kiểm tra đã chọn đúng tệp xuất từ Cổng dịch vụ công / hệ thống một cửa.",
    )


def _numbering_row(values: pd.DataFrame) -> np.ndarray:
    """The "(1) (2) (3)" row just under the header (only the first rows are looked at)."""
    result = np.zeros(len(values), dtype=bool)
    for i, row in enumerate(values.iloc[:3].itertuples(index=False, name=None)):
        present = [str(v) for v in row if isinstance(v, str)]
        result[i] = len(present) >= 3 and all(
            re.fullmatch(r"\(?\d{1,2}\)?", v.strip()) for v in present
        )
    return result


def _read_cases(parsed: ParsedFile, cells: pd.DataFrame, vocab: Vocabulary) -> None:
    cmap = parsed.columns
    sub = cells[[cmap.fields[f] for f in cmap.fields]].copy()
    sub.columns = list(cmap.fields)
    keep = ~(sub.isna().to_numpy().all(axis=1) | _numbering_row(sub))
    sub = sub[keep]
    frame = pd.DataFrame(index=sub.index)
    frame["_row"] = sub.index.to_numpy()
    problems: list[Problem] = []

    def flag(mask: pd.Series, fld: str, reason: str) -> None:
        if mask.any():
            label = cmap.labels[cmap.fields[fld]] if fld in cmap.fields else fld
            for row in mask[mask].index:
                problems.append(
                    Problem(
                        reason,
                        int(row),
                        label,
                        clean(sub.at[row, fld]) if fld in sub else None,
                        parsed.sheet,
                    )
                )

    ma = as_text(sub["ma_ho_so"])
    has_digit = ma.str.contains(r"\d", regex=True, na=False).astype(bool)
    filled = sub.notna().sum(axis=1)
    # group rows ("I", "Lĩnh vực Hộ tịch"), totals and the signature block have no code
    structural = ~has_digit & (filled < 3)
    sub, ma, frame = sub[~structural], ma[~structural], frame[~structural]
    no_key = ~ma.str.contains(r"\d", regex=True, na=False).astype(bool)
    flag(no_key, "ma_ho_so", REASON["no_key"])
    frame["ma_ho_so"] = ma

    for declared in CASE_FIELDS[1:]:  # each column parsed by the kind core.schema gives it
        fld = declared.name
        col = sub[fld] if fld in sub else pd.Series(None, index=sub.index, dtype=object)
        if declared.kind == "date":
            frame[fld], bad = parse_datetime(col)
            flag(bad, fld, REASON["date"])
        elif declared.kind == "bool":
            frame[fld], bad = parse_bool(col, vocab)
            flag(bad, fld, REASON["bool"])
        elif fld == "kenh":
            frame[fld], bad = parse_words(col, vocab.values["kenh"], blank_as="truc_tiep")
            flag(bad, fld, REASON["kenh"])
        elif fld == "muc_do":
            frame[fld], _ = parse_level(col, vocab)
        elif fld == "danh_gia":
            codes, bad = parse_words(col, vocab.values["danh_gia"], blank_as=None)
            frame[fld] = codes.where(codes != "chua_danh_gia", None)
            flag(bad, fld, REASON["danh_gia"])
        elif fld == "trang_thai":
            codes, bad = parse_words(col, vocab.values["trang_thai"], blank_as=None)
            flag(bad, fld, REASON["trang_thai"])
            frame[fld] = codes
        elif declared.kind == "amount":
            frame[fld], bad = parse_amount(col)
            flag(bad, fld, REASON["phi"])
        else:
            frame[fld] = as_text(col)
    flag(
        frame["ngay_tiep_nhan"].isna()
        & ~no_key
        & sub.get("ngay_tiep_nhan", sub["ma_ho_so"]).isna(),
        "ngay_tiep_nhan",
        REASON["no_received"],
    )
    # a blank status is read from the completion date
    blank_status = frame["trang_thai"].isna()
    frame.loc[blank_status, "trang_thai"] = np.where(
        frame.loc[blank_status, "ngay_ket_thuc"].notna(), "da_tra_ket_qua", "dang_xu_ly"
    )
    # fee paid online only means something when there is a fee
    frame["thanh_toan_truc_tuyen"] = frame["thanh_toan_truc_tuyen"].where(frame["phi"] > 0, False)

    # the same code twice: identical rows are one case, different contents are an error
    dup = frame.duplicated("ma_ho_so", keep=False) & frame["ma_ho_so"].notna()
    if dup.any():
        rows = frame[dup]
        # blanks as one marker: a NaN or NA cell must compare, not break the join
        content = (
            rows.drop(columns=["_row"]).astype(object).fillna("~").astype(str).agg("|".join, axis=1)
        )
        first_row = rows.groupby("ma_ho_so")["_row"].transform("min")
        distinct = content.groupby(rows["ma_ho_so"]).transform("nunique") > 1
        conflicting = rows[distinct & (rows["_row"] != first_row)]
        for idx, row in conflicting.iterrows():
            problems.append(
                Problem(
                    REASON["duplicate"].format(row=int(first_row[idx])),
                    int(row["_row"]),
                    cmap.labels[cmap.fields["ma_ho_so"]],
                    row["ma_ho_so"],
                    parsed.sheet,
                )
            )
        frame = frame.drop_duplicates("ma_ho_so", keep="first")
    parsed.rows = frame.reset_index(drop=True)
    parsed.problems = sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
    parsed.bad_rows = {p.row for p in problems if p.row is not None}
    # every row of a conflicting code is bad, not only the later copies
    if dup.any():
        bad_codes = {p.value for p in problems if p.reason.startswith("mã hồ sơ trùng")}
        parsed.bad_rows |= set(parsed.rows.loc[parsed.rows["ma_ho_so"].isin(bad_codes), "_row"])


def _read_aggregate(parsed: ParsedFile, cells: pd.DataFrame, spec: KindSpec) -> None:
    cmap = parsed.columns
    printed = [f for f in spec.rates if f in cmap.fields]
    measures = [
        f for f in spec.fields if f != "linh_vuc" and f in cmap.fields and f not in spec.rates
    ]
    raw_rows = cells.astype(object)
    row_text = raw_rows.apply(lambda r: " ".join(key(v) for v in r if isinstance(v, str)), axis=1)
    total = row_text.str.contains(r"(?:^|\s)(?:tổng cộng|tổng số|cộng)(?:\s|:|$)", regex=True)
    sub = cells[[cmap.fields[f] for f in ["linh_vuc", *measures, *printed]]].copy()
    sub.columns = ["linh_vuc", *measures, *printed]
    keep = ~(sub.isna().to_numpy().all(axis=1) | _numbering_row(sub))
    sub, total = sub[keep], total[keep]
    numbers = {}
    problems = []
    for fld in measures:
        values, bad = parse_amount(sub[fld])
        numbers[fld] = values
        for row in bad[bad].index:
            problems.append(
                Problem(
                    REASON["number"],
                    int(row),
                    cmap.labels[cmap.fields[fld]],
                    clean(sub.at[row, fld]),
                    parsed.sheet,
                )
            )
    for fld in printed:
        values, bad = parse_rate(sub[fld])
        numbers[fld] = values
        for row in bad[bad].index:
            problems.append(
                Problem(
                    REASON["rate"],
                    int(row),
                    cmap.labels[cmap.fields[fld]],
                    clean(sub.at[row, fld]),
                    parsed.sheet,
                )
            )
    frame = pd.DataFrame(numbers, index=sub.index)
    frame.insert(0, "linh_vuc", as_text(sub["linh_vuc"]))
    frame.insert(0, "_row", sub.index.to_numpy())
    has_numbers = sub[measures].notna().any(axis=1)
    if total.any():
        parsed.totals = {f: float(frame.loc[total, f].iloc[-1]) for f in measures}
    # Roman-numeral group rows and signature lines have no figures
    frame = frame[has_numbers & ~total & frame["linh_vuc"].notna()]
    parsed.rows = frame.reset_index(drop=True)
    parsed.problems = problems
    parsed.bad_rows = {p.row for p in problems if p.row is not None}
    parsed.warnings.extend(_rate_warnings(frame, spec, cmap))
    if parsed.totals:
        for fld in measures:
            summed = float(frame[fld].sum())
            if abs(summed - parsed.totals[fld]) > 0.5:
                said, added = number(parsed.totals[fld]), number(summed)
                parsed.warnings.append(
                    f"Dòng «Tổng cộng» cột «{cmap.labels[cmap.fields[fld]]}» ghi {said} nhưng "
                    f"cộng các lĩnh vực được {added}."
                )


RATE_TOLERANCE = 0.0015  # a rate printed with one decimal is off by at most 0,05 point


@dataclass(frozen=True)
class RateMismatch:
    index: Any  # the frame's row label (a tuple for a report's multi-index)
    field: str
    printed: float
    numerator: float
    denominator: float

    @property
    def own(self) -> float:
        return self.numerator / self.denominator

    def describe(self) -> str:
        return (
            f"ghi {percent(self.printed)} nhưng tính từ chính các cột số liệu được "
            f"{self.numerator:.0f} / {self.denominator:.0f} = {percent(self.own)}"
        )


def rate_mismatches(
    frame: pd.DataFrame, rates: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
) -> list[RateMismatch]:
    """Rows of a report whose printed rate disagrees with the report's own counts."""
    out = []
    for fld, (num_fields, den_fields) in rates.items():
        if fld not in frame.columns or not all(f in frame.columns for f in num_fields + den_fields):
            continue
        num = frame[list(num_fields)].sum(axis=1)
        den = frame[list(den_fields)].sum(axis=1)
        off = ((frame[fld] - num / den.where(den > 0)).abs() > RATE_TOLERANCE).fillna(False)
        out += [
            RateMismatch(i, fld, float(frame.at[i, fld]), float(num[i]), float(den[i]))
            for i in frame.index[off.to_numpy()]
        ]
    return out


def _rate_warnings(frame: pd.DataFrame, spec: KindSpec, cmap: ColumnMap) -> list[str]:
    return [
        f"Dòng {int(frame.at[m.index, '_row'])} ({frame.at[m.index, 'linh_vuc']}): cột "
        f"«{cmap.labels[cmap.fields[m.field]]}» {m.describe()}."
        for m in rate_mismatches(frame, spec.rates)
    ]


def _read_manual(
    parsed: ParsedFile, cells: pd.DataFrame, spec: KindSpec, manual: Mapping[str, ManualSpec]
) -> None:
    """The hand-entered figures template: each row carries its own month (and commune)."""
    cmap = parsed.columns
    fields = {f: cmap.fields[f] for f in spec.fields if f in cmap.fields}
    labels = {f: cmap.labels[c] for f, c in fields.items()}
    frame, problems = read_figures(cells, labels, fields, parsed.commune, parsed.sheet, manual)
    parsed.rows, parsed.problems = frame, problems
    parsed.bad_rows = {p.row for p in problems if p.row is not None}
    if frame.empty:
        parsed.as_of = dt.date.today()
        return
    first, last = min(frame["thang"]), max(frame["thang"])
    parsed.period_start = first
    parsed.period_end = parsed.as_of = month_end(last.year, last.month)
    parsed.as_of_source = "cột «Tháng» của tệp"
    communes = sorted(set(frame["commune"]))
    parsed.commune = communes[0] if len(communes) == 1 else parsed.commune


def _settle_period(parsed: ParsedFile, title_lines: list[str], as_of: dt.date | None) -> None:
    start, end = period_from_text(" ".join(title_lines))
    source = "tiêu đề tệp"
    if end is None:
        start, end = period_from_name(parsed.file_name)
        source = "tên tệp"
    if end is None and parsed.kind == CASE_LIST and len(parsed.rows):
        # the latest received or completed date; never a due date (it lies in the future)
        latest = pd.concat([parsed.rows["ngay_tiep_nhan"], parsed.rows["ngay_ket_thuc"]]).max()
        if pd.notna(latest):
            end = latest.date()
            start = end.replace(day=1)
            source = "ngày muộn nhất trong tệp"
    if as_of is not None:
        end, source = as_of, "người dùng chọn"
        start = start if start and start <= end else end.replace(day=1)
    if end is None:
        raise ImportRejected(
            parsed.file_name,
            "không xác định được kỳ báo cáo (tiêu đề và tên tệp không ghi ngày).",
            hint="Chọn ngày chốt số liệu khi tải lên.",
        )
    multi_month = start and (start.year, start.month) != (end.year, end.month)
    if parsed.kind in AGGREGATE_KINDS and multi_month:
        raise ImportRejected(
            parsed.file_name,
            f"báo cáo tổng hợp phải theo từng tháng; tệp này từ {start:%d/%m/%Y} "
            f"đến {end:%d/%m/%Y}.",
            hint="Xuất Biểu 06a / bảng 766 cho từng tháng rồi tải lên từng tệp.",
        )
    parsed.period_start, parsed.period_end, parsed.as_of = start, end, end
    parsed.as_of_source = source
