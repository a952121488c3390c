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

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core import formatting as fmt
from core.errors import DefinitionError
from core.periods import Period, months_between
from indicators.breakdowns import UNKNOWN
from indicators.compute import Engine
from indicators.overdue import returned_cases
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


UNIT_PARTS = {"tasks_on_time": "tỷ lệ nhiệm vụ hoàn thành đúng hạn",
              "reports_on_time": "tỷ lệ báo cáo tháng đúng hạn",
              "indicators_met": "tỷ lệ chỉ số đạt chỉ tiêu"}
OFFICER_PARTS = {"on_time": "tỷ lệ hồ sơ đúng hạn", "digitised": "tỷ lệ số hóa",
                 "electronic_result": "tỷ lệ kết quả điện tử",
                 "not_returned": "tỷ lệ hồ sơ không bị trả lại"}


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
        what = {"extra_forbidden": "trường không có trong lược đồ (viết sai tên trường?)",
                "missing": "thiếu trường bắt buộc"}.get(err["type"], err["msg"])
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
    return (f"Điểm = ({terms}) ÷ tổng trọng số của các phần có việc trong kỳ, × 100. Phần "
            "không có việc không được tính; không có việc nào: «" + NOTHING + "».")


def unit_formula(w: Weights | None = None) -> str:
    return _formula(UNIT_PARTS, (w or weights()).units)


def officer_formula(w: Weights | None = None) -> str:
    return _formula(OFFICER_PARTS, (w or weights()).officers)


def _score(shares: dict[str, float | None], w: BaseModel) -> float | None:
    weighted = [(getattr(w, k), s) for k, s in shares.items() if s is not None]
    total = sum(wt for wt, _ in weighted)
    if not weighted or total <= 0:
        return None
    return 100 * sum(wt * s for wt, s in weighted) / total


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank by score (ties share a rank); a row with nothing to do has no rank, last."""
    scored = frame["diem"].notna()
    frame["hang"] = pd.Series([None] * len(frame), dtype="Int64")
    frame.loc[scored, "hang"] = frame.loc[scored, "diem"].rank(
        method="min", ascending=False).astype("Int64")
    return frame.sort_values(["hang", "ten"], na_position="last", kind="stable") \
        .reset_index(drop=True)


@dataclass(frozen=True)
class Ranking:
    period: Period
    commune: str
    as_of: dt.date
    units: pd.DataFrame
    officers: pd.DataFrame
    unit_formula: str
    officer_formula: str


UNIT_COLUMNS = ["ten", "nv_den_han", "nv_dung_han", "nv_qua_han", "nv_muon", "bc_den_han",
                "bc_dung_han", "cs_co_chi_tieu", "cs_dat", "diem"]
OFFICER_COLUMNS = ["ten", "tiep_nhan", "dung_han_tu", "dung_han_mau", "so_hoa_tu",
                   "so_hoa_mau", "kq_dien_tu_tu", "kq_dien_tu_mau", "qua_han", "tra_lai", "diem"]


def unit_table(engine: Engine, period: Period, commune: str, today: dt.date,
               w: Weights | None = None) -> pd.DataFrame:
    w = w or weights()
    engine.within([commune])
    as_of = min(today, period.end)
    rows: dict[str, dict[str, int]] = {}

    def row(name: object) -> dict[str, int]:
        key = str(name).strip() if isinstance(name, str) and name.strip() else "(chưa giao)"
        return rows.setdefault(key, dict.fromkeys(UNIT_COLUMNS[1:-1], 0))

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
        reg = unit_reports.register(engine.con, commune, month, today)
        for u in reg.to_dict("records"):
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
        shares = {"tasks_on_time": _share(r["nv_dung_han"], r["nv_den_han"]),
                  "reports_on_time": _share(r["bc_dung_han"], r["bc_den_han"]),
                  "indicators_met": _share(r["cs_dat"], r["cs_co_chi_tieu"])}
        out.append({"ten": name, **r, "diem": _score(shares, w.units)})
    frame = pd.DataFrame(out, columns=UNIT_COLUMNS)
    return _ranked(frame)


def officer_table(engine: Engine, period: Period, commune: str,
                  w: Weights | None = None) -> pd.DataFrame:
    w = w or weights()
    communes = engine.within([commune])
    end = engine.period_end(period, communes) or period.end

    def split(indicator_id: str) -> pd.DataFrame:
        return engine.breakdown(indicator_id, period, "can_bo", commune).set_index("nhom")

    received = split("ho_so_tiep_nhan")
    on_time, digit = split("ty_le_dung_han"), split("ty_le_so_hoa")
    result, late = split("ty_le_ket_qua_dien_tu"), split("ty_le_qua_han")
    returned = returned_cases(engine.con, communes, period.start, end)
    back = returned.groupby("can_bo").size() if not returned.empty else pd.Series(dtype=int)
    names = set(received.index) | set(on_time.index) | set(back.index)
    names.discard(UNKNOWN)

    def n(frame: pd.DataFrame, name: str, col: str) -> int:
        if name not in frame.index:
            return 0
        value = frame.at[name, col]
        return 0 if value is None or pd.isna(value) else int(value)

    out = []
    for name in sorted(names):
        got = n(received, name, "tu_so")
        row = {"ten": name, "tiep_nhan": got,
               "dung_han_tu": n(on_time, name, "tu_so"),
               "dung_han_mau": n(on_time, name, "mau_so"),
               "so_hoa_tu": n(digit, name, "tu_so"), "so_hoa_mau": n(digit, name, "mau_so"),
               "kq_dien_tu_tu": n(result, name, "tu_so"),
               "kq_dien_tu_mau": n(result, name, "mau_so"),
               "qua_han": n(late, name, "tu_so"), "tra_lai": int(back.get(name, 0))}
        shares = {"on_time": _share(row["dung_han_tu"], row["dung_han_mau"]),
                  "digitised": _share(row["so_hoa_tu"], row["so_hoa_mau"]),
                  "electronic_result": _share(row["kq_dien_tu_tu"], row["kq_dien_tu_mau"]),
                  "not_returned": None if not got else max(0.0, 1 - row["tra_lai"] / got)}
        out.append({**row, "diem": _score(shares, w.officers)})
    return _ranked(pd.DataFrame(out, columns=OFFICER_COLUMNS))


def _with_change(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """The score and rank of the previous period beside this one's."""
    prev = before.set_index("ten")[["diem", "hang"]] if not before.empty else \
        pd.DataFrame(columns=["diem", "hang"])
    now = now.copy()
    now["diem_ky_truoc"] = [prev.at[t, "diem"] if t in prev.index else None for t in now["ten"]]
    now["hang_ky_truoc"] = [prev.at[t, "hang"] if t in prev.index else None for t in now["ten"]]
    return now


def ranking(engine: Engine, period: Period, commune: str, today: dt.date | None = None,
            w: Weights | None = None) -> Ranking:
    """Both rankings with the previous period's score and rank beside them."""
    today = today or dt.date.today()
    w = w or weights()
    units = _with_change(unit_table(engine, period, commune, today, w),
                         unit_table(engine, period.previous(), commune, today, w))
    officers = _with_change(officer_table(engine, period, commune, w),
                            officer_table(engine, period.previous(), commune, w))
    return Ranking(period, commune, min(today, period.end), units, officers,
                   unit_formula(w), officer_formula(w))
