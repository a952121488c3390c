"""«Đánh giá, xếp hạng» for emulation (002 III.5, 001 §1): units and officers of one commune
ranked over a month, quarter, half-year or year, from real data only.

- A unit: tasks and assignments due in the period done on time, overdue or late; monthly
  reports in by the 18th; the indicators it leads met (or on track). A part in which the
  unit had nothing to do is left out of its score, and a unit with nothing at all is shown
  as such, never as 100%.
- An officer: from the case lists, split by «cán bộ xử lý» with the indicators' own
  definitions (the same numbers as the indicator page's breakdown): cases received, on-time
  share, digitised and electronic-result shares, cases ended late, cases returned.

The weights are data (``ranking_weights.yaml``, validated, unknown keys refused) and the
formula is said in words next to the table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core import formatting as fmt
from core.errors import DefinitionError
from core.periods import Period, months_between
from indicators.breakdowns import sum_sql
from indicators.compute import Engine
from indicators.overdue import RETURNED
from indicators.status import CHUA_CO_CHI_TIEU, DAT, KHONG_CO_DU_LIEU, THIEU_GOC
from storage import tasks, unit_reports

WEIGHTS_FILE = Path(__file__).with_name("ranking_weights.yaml")
NOTHING = "Không có việc phải làm trong kỳ"
# statuses that count as met: «Đạt», and «Đúng tiến độ» once the vocabulary has it
MET = {DAT, "dung_tien_do"}
UNJUDGED = {CHUA_CO_CHI_TIEU, KHONG_CO_DU_LIEU, THIEU_GOC}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitWeights(_Strict):
    tasks_on_time: float = Field(ge=0)
    reports_on_time: float = Field(ge=0)
    indicators_met: float = Field(ge=0)


class OfficerWeights(_Strict):
    on_time: float = Field(ge=0)
    digitised: float = Field(ge=0)
    electronic_result: float = Field(ge=0)
    not_returned: float = Field(ge=0)


class Weights(_Strict):
    units: UnitWeights
    officers: OfficerWeights


UNIT_PARTS = {
    "tasks_on_time": "tỷ lệ nhiệm vụ hoàn thành đúng hạn",
    "reports_on_time": "tỷ lệ báo cáo tháng đúng hạn",
    "indicators_met": "tỷ lệ chỉ số đạt chỉ tiêu",
}
OFFICER_PARTS = {
    "on_time": "tỷ lệ hồ sơ đúng hạn",
    "digitised": "tỷ lệ số hóa",
    "electronic_result": "tỷ lệ kết quả điện tử",
    "not_returned": "tỷ lệ hồ sơ không bị trả lại",
}


def load_weights(path: Path = WEIGHTS_FILE) -> Weights:
    """The weights, or a DefinitionError naming the file and the field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        weights = Weights.model_validate(raw)
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path.name}: YAML sai cú pháp: {exc}") from None
    except ValidationError as exc:
        # a misspelt name is both unknown and missing: say the misspelling
        err = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")[0]
        where = ".".join(str(x) for x in err["loc"])
        what = {
            "extra_forbidden": "trường không có trong lược đồ (viết sai tên trường?)",
            "missing": "thiếu trường bắt buộc",
        }.get(err["type"], err["msg"])
        raise DefinitionError(f"{path.name}: {where}: {what}") from None
    for part in (weights.units, weights.officers):
        if sum(part.model_dump().values()) <= 0:
            raise DefinitionError(f"{path.name}: tổng trọng số phải lớn hơn 0")
    return weights


@cache
def weights() -> Weights:
    return load_weights()


def _formula(parts: dict[str, str], w: BaseModel) -> str:
    terms = " + ".join(f"{fmt.number(v, 2)} × {parts[k]}" for k, v in w.model_dump().items())
    return (
        f"Điểm = ({terms}) ÷ tổng trọng số của các phần có việc trong kỳ, × 100. Phần "
        "không có việc không được tính; không có việc nào: «" + NOTHING + "»."
    )


def unit_formula(w: Weights | None = None) -> str:
    return _formula(UNIT_PARTS, (w or weights()).units)


def officer_formula(w: Weights | None = None) -> str:
    return _formula(OFFICER_PARTS, (w or weights()).officers)


def _score(shares: dict[str, float | None], w: BaseModel) -> float | None:
    weighted = [(getattr(w, k), s) for k, s in shares.items() if s is not None]
    total = sum(wt for wt, _ in weighted)
    if not weighted or total <= 0:
        return None
    return float(100 * sum(wt * s for wt, s in weighted) / total)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _ranked(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """Rank by score (ties share a rank); a row with nothing to do has no rank, last."""
    scores = sorted((r["diem"] for r in rows if r["diem"] is not None), reverse=True)
    first: dict[float, int] = {}
    for i, score in enumerate(scores, start=1):
        first.setdefault(score, i)
    for r in rows:
        r["hang"] = first.get(r["diem"]) if r["diem"] is not None else None
    rows = sorted(rows, key=lambda r: (r["hang"] is None, r["hang"] or 0, r["ten"]))
    frame = pd.DataFrame(rows, columns=[*columns, "hang"])
    frame["hang"] = frame["hang"].astype("Int64")
    return frame


@dataclass(frozen=True)
class Ranking:
    period: Period
    commune: str
    as_of: dt.date
    units: pd.DataFrame
    officers: pd.DataFrame
    unit_formula: str
    officer_formula: str


UNIT_COLUMNS = [
    "ten",
    "nv_den_han",
    "nv_dung_han",
    "nv_qua_han",
    "nv_muon",
    "bc_den_han",
    "bc_dung_han",
    "cs_co_chi_tieu",
    "cs_dat",
    "diem",
]
OFFICER_COLUMNS = [
    "ten",
    "tiep_nhan",
    "dung_han_tu",
    "dung_han_mau",
    "so_hoa_tu",
    "so_hoa_mau",
    "kq_dien_tu_tu",
    "kq_dien_tu_mau",
    "qua_han",
    "tra_lai",
    "diem",
]


def unit_table(
    engine: Engine,
    period: Period,
    commune: str,
    today: dt.date,
    w: Weights | None = None,
    *,
    listed: pd.DataFrame | None = None,
    reports: dict[dt.date, dict[str, list[dict[str, Any]]]] | None = None,
) -> pd.DataFrame:
    """The units of one commune; ``listed`` (its tasks) and ``reports`` (month -> commune
    -> its register's rows) when the caller read them once for a province."""
    w = w or weights()
    engine.within([commune])
    as_of = min(today, period.end)
    rows: dict[str, dict[str, int]] = {}

    def row(name: object) -> dict[str, int]:
        key = str(name).strip() if isinstance(name, str) and name.strip() else "(chưa giao)"
        return rows.setdefault(key, dict.fromkeys(UNIT_COLUMNS[1:-1], 0))

    if listed is None:
        listed = tasks.list_tasks(engine.con, [commune], today)
    for t in listed.to_dict("records") if not listed.empty else []:
        due = t["han"]
        r = row(t["chu_tri"])  # listed even with nothing due: «nothing to do», not 100%
        if due is None or not (period.start <= due <= as_of):
            continue  # not due in the period, or not yet due
        done, finished = t["trang_thai"] == "hoan_thanh", t["ngay_hoan_thanh"]
        r["nv_den_han"] += 1
        if done and (finished is None or finished <= due):
            r["nv_dung_han"] += 1
        elif done:
            r["nv_muon"] += 1
        elif due < today:
            r["nv_qua_han"] += 1
        else:  # due today and not done yet: not judged before the day is over
            r["nv_den_han"] -= 1
    for month in months_between(period.start, period.end):
        if unit_reports.due_date(month) > as_of:
            continue
        if reports is not None and month in reports:
            reg = reports[month].get(commune, [])
        else:
            reg = unit_reports.register(engine.con, commune, month, today).to_dict("records")
        for u in reg:
            r = row(u["don_vi"])
            r["bc_den_han"] += 1
            r["bc_dung_han"] += int(u["trang_thai"] == "dung_han")
    for res in engine.scorecard(period, commune):
        if res.status in UNJUDGED:
            continue
        r = row(res.responsible)
        r["cs_co_chi_tieu"] += 1
        r["cs_dat"] += int(res.status in MET)
    out = []
    for name, r in rows.items():
        shares = {
            "tasks_on_time": _share(r["nv_dung_han"], r["nv_den_han"]),
            "reports_on_time": _share(r["bc_dung_han"], r["bc_den_han"]),
            "indicators_met": _share(r["cs_dat"], r["cs_co_chi_tieu"]),
        }
        out.append({"ten": name, **r, "diem": _score(shares, w.units)})
    return _ranked(out, UNIT_COLUMNS)


# what an officer's row counts: column prefix -> the indicator whose terms define it
OFFICER_INDICATORS = {
    "tiep_nhan": "ho_so_tiep_nhan",
    "dung_han": "ty_le_dung_han",
    "so_hoa": "ty_le_so_hoa",
    "kq_dien_tu": "ty_le_ket_qua_dien_tu",
    "qua_han": "ty_le_qua_han",
}


def _officer_counts(engine: Engine, period: Period, communes: list[str]) -> pd.DataFrame:
    """One grouped pass over the cases of the communes (per commune and officer) with the
    indicators' own terms, as the indicator page's breakdown counts them; communes whose
    data ends on different days are counted to their own last day."""
    by_end: dict[dt.date, list[str]] = {}
    for c in communes:
        by_end.setdefault(engine.period_end(period, [c]) or period.end, []).append(c)
    parts = []
    for key, ind_id in OFFICER_INDICATORS.items():
        ind = engine.catalog.indicators[ind_id]
        parts += [
            f"{sum_sql(ind.numerator)} AS {key}_tu",
            f"{sum_sql(ind.denominator)} AS {key}_mau",
        ]
    frames = []
    for end, group in by_end.items():
        frames.append(
            engine.con.execute(
                f"""SELECT commune, CAST(can_bo AS VARCHAR) AS ten, {", ".join(parts)},
                       count(*) FILTER (WHERE list_contains($states, trang_thai) AND
                           CAST(ngay_tiep_nhan AS DATE) BETWEEN $start AND $end) AS tra_lai
                FROM ho_so WHERE list_contains($communes, commune) AND can_bo IS NOT NULL
                GROUP BY ALL""",
                {"start": period.start, "end": end, "communes": group, "states": list(RETURNED)},
            ).df()
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _officer_rows(counts: pd.DataFrame, w: Weights) -> pd.DataFrame:
    out = []
    for c in counts.to_dict("records"):
        n = {
            k: 0 if v is None or pd.isna(v) else int(v)
            for k, v in c.items()
            if k not in ("commune", "ten")
        }
        if not any(n.values()):
            continue  # no case of this officer in the period
        row = {
            "ten": c["ten"],
            "tiep_nhan": n["tiep_nhan_tu"],
            "dung_han_tu": n["dung_han_tu"],
            "dung_han_mau": n["dung_han_mau"],
            "so_hoa_tu": n["so_hoa_tu"],
            "so_hoa_mau": n["so_hoa_mau"],
            "kq_dien_tu_tu": n["kq_dien_tu_tu"],
            "kq_dien_tu_mau": n["kq_dien_tu_mau"],
            "qua_han": n["qua_han_tu"],
            "tra_lai": n["tra_lai"],
        }
        got = row["tiep_nhan"]
        shares = {
            "on_time": _share(row["dung_han_tu"], row["dung_han_mau"]),
            "digitised": _share(row["so_hoa_tu"], row["so_hoa_mau"]),
            "electronic_result": _share(row["kq_dien_tu_tu"], row["kq_dien_tu_mau"]),
            "not_returned": None if not got else max(0.0, 1 - row["tra_lai"] / got),
        }
        out.append({**row, "diem": _score(shares, w.officers)})
    return _ranked(out, OFFICER_COLUMNS)


def officer_table(
    engine: Engine, period: Period, commune: str, w: Weights | None = None
) -> pd.DataFrame:
    return _officer_rows(_officer_counts(engine, period, engine.within([commune])), w or weights())


def _with_change(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """The score and rank of the previous period beside this one's."""
    prev = (
        before.set_index("ten")[["diem", "hang"]]
        if not before.empty
        else pd.DataFrame(columns=["diem", "hang"])
    )
    now = now.copy()
    now["diem_ky_truoc"] = [prev.at[t, "diem"] if t in prev.index else None for t in now["ten"]]
    now["hang_ky_truoc"] = [prev.at[t, "hang"] if t in prev.index else None for t in now["ten"]]
    return now


def ranking(
    engine: Engine,
    period: Period,
    commune: str,
    today: dt.date | None = None,
    w: Weights | None = None,
) -> Ranking:
    """Both rankings with the previous period's score and rank beside them."""
    today = today or dt.date.today()
    w = w or weights()
    units = _with_change(
        unit_table(engine, period, commune, today, w),
        unit_table(engine, period.previous(), commune, today, w),
    )
    officers = _with_change(
        officer_table(engine, period, commune, w),
        officer_table(engine, period.previous(), commune, w),
    )
    return Ranking(
        period,
        commune,
        min(today, period.end),
        units,
        officers,
        unit_formula(w),
        officer_formula(w),
    )


def province(
    engine: Engine,
    period: Period,
    communes: list[str],
    today: dt.date | None = None,
    w: Weights | None = None,
) -> dict[str, Ranking]:
    """Every commune's ranking, the officers of all of them counted in one pass a period."""
    today = today or dt.date.today()
    w = w or weights()
    communes = engine.within(communes)
    counts = {p.code: _officer_counts(engine, p, communes) for p in (period, period.previous())}

    def officers(code: str, commune: str) -> pd.DataFrame:
        frame = counts[code]
        return _officer_rows(frame[frame["commune"] == commune] if not frame.empty else frame, w)

    listed = tasks.list_tasks(engine.con, communes, today)
    by_commune = dict(tuple(listed.groupby("commune"))) if not listed.empty else {}
    reports: dict[dt.date, dict[str, list[dict[str, Any]]]] = {}
    for m in months_between(period.previous().start, period.end):
        if unit_reports.due_date(m) <= min(today, period.end):
            reg = unit_reports.registers(engine.con, communes, m, today)
            reports[m] = {c: g.to_dict("records") for c, g in reg.groupby("commune")}
    out = {}
    for c in communes:
        mine = by_commune.get(c, listed.iloc[0:0])
        units = _with_change(
            unit_table(engine, period, c, today, w, listed=mine, reports=reports),
            unit_table(engine, period.previous(), c, today, w, listed=mine, reports=reports),
        )
        people = _with_change(officers(period.code, c), officers(period.previous().code, c))
        out[c] = Ranking(
            period, c, min(today, period.end), units, people, unit_formula(w), officer_formula(w)
        )
    return out
