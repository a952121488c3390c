"""Data-quality findings: what a careful reader of the figures would question.

- months with neither a case list nor a report (a gap in a trend looks like a fall);
- a month covered by both a case list and a report whose counts disagree (case data wins in
  the indicators; the report is shown so the difference can be explained);
- a rate printed in a report that its own counts do not give ("903 / 961 printed as 97,6%");
- imports whose rows were rejected.

Each finding is a plain row: the pages show them, the tests and the report count them.
A commune account's engine (``Engine.scope``) gets its own commune's findings only: each
function below keeps to the engine's communes.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core import formatting as fmt
from core.periods import months_between
from indicators.compute import Engine
from indicators.definitions import Indicator
from loaders.reader import rate_mismatches
from loaders.vocabulary import load as load_vocabulary

COLUMNS = ["loai", "xa", "thang", "chi_so", "chi_tiet", "muc_do"]
KINDS = {
    "thieu_du_lieu": "Tháng không có dữ liệu",
    "lech_bao_cao": "Báo cáo tổng hợp lệch với danh sách hồ sơ",
    "ty_le_sai": "Tỷ lệ ghi trong báo cáo không khớp số liệu",
    "dong_bi_loai": "Tệp có dòng bị loại khi nhập",
}


def findings(engine: Engine, year: int | None = None) -> pd.DataFrame:
    """All findings, most serious first."""
    frames = [
        missing_months(engine, year),
        report_vs_cases(engine),
        printed_rates(engine),
        rejected_rows(engine),
    ]
    frames = [_mine(engine, f) for f in frames]
    out = pd.concat(
        [f for f in frames if not f.empty] or [pd.DataFrame(columns=COLUMNS)], ignore_index=True
    )
    return out[COLUMNS]


def missing_months(engine: Engine, year: int | None = None) -> pd.DataFrame:
    """Months from January (or the first data) to the latest as-of with no case list, no
    06a report and no 766 table."""
    have: set[tuple[str, dt.date]] = set(engine.covered)
    if not engine.reports.empty:
        have |= set(engine.reports.index)
    rows = []
    for commune, cap in engine.cap.items():
        if not _allowed(engine, commune):
            continue
        months = sorted(m for c, m in have if c == commune)
        if not months:
            continue
        first = dt.date(year or cap.year, 1, 1)
        for m in months_between(first, cap):
            if (commune, m) not in have:
                rows.append(
                    [
                        "thieu_du_lieu",
                        commune,
                        m,
                        None,
                        "Không có danh sách hồ sơ, Biểu 06a hay bảng số hóa 766 cho "
                        "tháng này: các chỉ số dịch vụ công của tháng sẽ trống.",
                        "cao",
                    ]
                )
    return pd.DataFrame(rows, columns=COLUMNS)


def report_vs_cases(engine: Engine) -> pd.DataFrame:
    """For each month with both a case list and a report, every indicator the report carries
    computed both ways; a difference in the numerator or denominator is a finding."""
    if engine.reports.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = []
    both = sorted(k for k in set(engine.reports.index) & engine.covered if _allowed(engine, k[0]))
    carried = [i for i in engine.case_indicators if i.aggregate_numerator]
    for commune, month in both:
        kinds = engine._kinds_at(commune, month)
        for ind in carried:
            measures = set(ind.aggregate_numerator) | set(ind.aggregate_denominator)
            if not all(m.split(".")[0] in kinds for m in measures):
                continue
            case, report = engine.both_sources(ind, commune, month)
            if case == report:
                continue
            rows.append(
                [
                    "lech_bao_cao",
                    commune,
                    month,
                    ind.id,
                    f"{ind.name}: danh sách hồ sơ cho {_pair(case, ind)}, báo cáo tổng hợp "
                    f"ghi {_pair(report, ind)}. Chỉ số dùng danh sách hồ sơ.",
                    "trung_binh",
                ]
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def _pair(nd: tuple[float, float], ind: Indicator) -> str:
    num, den = nd
    if not ind.denominator:
        return fmt.number(num)
    rate = f" = {fmt.percent(num / den)}" if den else ""
    return f"{fmt.number(num)} / {fmt.number(den)}{rate}"


def printed_rates(engine: Engine) -> pd.DataFrame:
    """Rates printed in the reports (kept apart from the counts at import) against the
    counts of the same row of the same file."""
    vocab = load_vocabulary()
    df = engine.con.execute(
        """SELECT b.import_id, b.commune, b.thang, b.kind, b.linh_vuc, b.chi_so, b.gia_tri,
                  i.file_name
           FROM bao_cao_tong_hop b JOIN imports i USING (import_id)
           WHERE i.undone_at IS NULL"""
    ).df()
    df = df[[_allowed(engine, c) for c in df["commune"]]]
    if df.empty:
        return pd.DataFrame(columns=COLUMNS)
    wide = df.pivot_table(
        index=["import_id", "file_name", "commune", "thang", "kind", "linh_vuc"],
        columns="chi_so",
        values="gia_tri",
        aggfunc="first",
    )
    rows = []
    for kind, spec in vocab.kinds.items():
        sub = wide[wide.index.get_level_values("kind") == kind]
        for m in rate_mismatches(sub, spec.rates):
            _, file_name, commune, month, _, field_row = m.index
            rows.append(
                [
                    "ty_le_sai",
                    commune,
                    pd.Timestamp(month).date(),
                    m.field,
                    f"Tệp «{file_name}», dòng «{field_row}»: {m.describe()}.",
                    "trung_binh",
                ]
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def rejected_rows(engine: Engine) -> pd.DataFrame:
    df = engine.con.execute(
        """SELECT commune, as_of, file_name, rows_rejected, import_id FROM imports
           WHERE undone_at IS NULL AND rows_rejected > 0 ORDER BY imported_at"""
    ).df()
    rows = [
        [
            "dong_bi_loai",
            r.commune,
            pd.Timestamp(r.as_of).date().replace(day=1),
            None,
            f"Tệp «{r.file_name}» (lần nhập số {r.import_id}): {r.rows_rejected} dòng bị loại; "
            "xem chi tiết lỗi trong lịch sử nhập và nhập lại tệp đã sửa.",
            "thap",
        ]
        for r in df.itertuples()
        if _allowed(engine, r.commune)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _allowed(engine: Engine, commune: str) -> bool:
    return engine.scope is None or commune in engine.scope


def _mine(engine: Engine, frame: pd.DataFrame) -> pd.DataFrame:
    """The findings of the engine's communes only (a second fence behind each query's)."""
    if engine.scope is None or frame.empty:
        return frame
    return frame[frame["xa"].isin(engine.scope)]
