"""Indicators over a window of days, such as a monthly report running from the 1st to the
18th (report 004 covers 01-19/01): case-list indicators counted straight from the cases in the
window; everything else (aggregate reports, hand-entered figures) as of the window's month."""

from __future__ import annotations

import dataclasses
import datetime as dt

from core.periods import Period, months_between, parse
from indicators.compute import Engine, Result
from indicators.definitions import Indicator, Term
from indicators.status import evaluate

_DATE = {"received": "ngay_tiep_nhan", "ended": "ngay_ket_thuc"}


def _count_sql(terms: tuple[Term, ...], end: dt.date) -> str:
    parts = []
    for t in terms:
        cond = t.condition().replace(":end", f"DATE '{end.isoformat()}'")
        if t.family == "open":
            when = ("CAST(ngay_tiep_nhan AS DATE) <= $end AND (ngay_ket_thuc IS NULL OR "
                    "CAST(ngay_ket_thuc AS DATE) > $end)")
        else:
            when = f"CAST({_DATE[t.family]} AS DATE) BETWEEN $start AND $end"
        parts.append(f"count(*) FILTER (WHERE ({when}) AND ({cond}))")
    return " + ".join(parts) if parts else "0"


def month_of(start: dt.date) -> Period:
    return parse(f"{start.year}-{start.month:02d}")


def window_scorecard(engine: Engine, start: dt.date, end: dt.date, commune: str | None
                     ) -> dict[str, Result]:
    """Every indicator (and report figure) for the days ``start``..``end`` of one month.
    Where case lists cover every month of the window, case indicators are counted from the
    cases of those days; otherwise the month's values stand (and the report says so)."""
    if end < start:
        raise ValueError("end before start")
    period = month_of(start)
    communes = [commune] if commune else engine.communes()
    out = {ind.id: engine.compute_one(ind, period, communes)
           for ind in engine.catalog.indicators.values()}
    if covers(engine, start, end, commune):
        for ind in engine.catalog.indicators.values():
            if not ind.manual:
                out[ind.id] = _from_cases(engine, ind, start, end, communes, out[ind.id])
    return out


def covers(engine: Engine, start: dt.date, end: dt.date, commune: str | None) -> bool:
    """Whether case lists cover every month of the window (else only whole months count)."""
    communes = [commune] if commune else engine.communes()
    months = months_between(start.replace(day=1), end)
    return bool(communes) and all((c, m) in engine.covered for c in communes for m in months)


def _from_cases(engine: Engine, ind: Indicator, start: dt.date, end: dt.date,
                communes: list[str], month_result: Result) -> Result:
    num, den = engine.con.execute(
        f"""SELECT {_count_sql(ind.numerator, end)}, {_count_sql(ind.denominator, end)}
            FROM ho_so WHERE list_contains($communes, commune)""",
        {"start": start, "end": end, "communes": communes}).fetchall()[0]
    num, den = float(num), float(den)
    if ind.denominator:
        value = num / den if den else None
        den_out: float | None = den
    else:
        value, den_out = num, None
    commune = communes[0] if len(communes) == 1 else None
    target = engine.catalog.target_for(ind.id, start.year, commune)
    ev = evaluate(ind, target, value, end, month_result.baseline)
    return dataclasses.replace(month_result, value=value, numerator=num, denominator=den_out,
                               target=ev.target, expected=ev.expected, status=ev.status,
                               note=ev.note, source="ho_so")
