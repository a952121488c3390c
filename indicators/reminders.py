"""Reminders per unit (002: the Tổ Giúp việc «theo dõi, đôn đốc»): for each unit of a commune,
what falls due in the next days and what is late — its tasks, the assignments of the
meetings' conclusions (tasks like the others) and its monthly report due by the 18th."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from storage import tasks, unit_reports

HORIZON_DAYS = 7


@dataclass(frozen=True)
class Item:
    kind: str  # "nhiem_vu" | "viec_giao" | "bao_cao"
    ref: str  # the task's TT, or the report's month «10/2026»
    text: str
    due: dt.date
    late: bool

    def days(self, today: dt.date) -> int:
        return (today - self.due).days if self.late else (self.due - today).days


@dataclass
class UnitReminder:
    unit: str
    late: list[Item] = field(default_factory=list)
    due_soon: list[Item] = field(default_factory=list)


def reminders(
    con: duckdb.DuckDBPyConnection, commune: str, today: dt.date, days: int = HORIZON_DAYS
) -> dict[str, UnitReminder]:
    """Per unit (only units with something late or due within ``days`` days), late items
    oldest first, then items due soonest first. A recurring task without a date is not a
    reminder; a done one never is."""
    out: dict[str, UnitReminder] = {}
    horizon = today + dt.timedelta(days=days)

    def add(unit: object, item: Item) -> None:
        name = str(unit).strip() if isinstance(unit, str) and unit.strip() else "(chưa giao)"
        entry = out.setdefault(name, UnitReminder(name))
        (entry.late if item.late else entry.due_soon).append(item)

    listed = tasks.list_tasks(con, [commune], today)
    for t in listed.to_dict("records") if not listed.empty else []:
        due = t["han"]
        if t["trang_thai"] == "hoan_thanh" or due is None or due > horizon:
            continue
        kind = "viec_giao" if pd.notna(t.get("cuoc_hop_id")) else "nhiem_vu"
        add(t["chu_tri"], Item(kind, str(t["tt"]), str(t["noi_dung"]), due, due < today))
    months = sorted({today.replace(day=1), (today - dt.timedelta(days=28)).replace(day=1)})
    for month in months:
        due = unit_reports.due_date(month)
        if due > horizon:
            continue
        reg = unit_reports.register(con, commune, month, today)
        for u in reg.to_dict("records"):
            if u["ngay_nhan"] is None:
                add(
                    u["don_vi"],
                    Item(
                        "bao_cao",
                        f"{month:%m/%Y}",
                        f"Báo cáo kết quả thực hiện tháng {month:%m/%Y}",
                        due,
                        due < today,
                    ),
                )
    for entry in out.values():
        entry.late.sort(key=lambda i: (i.due, i.ref))
        entry.due_soon.sort(key=lambda i: (i.due, i.ref))
    return dict(sorted(out.items()))
