"""Computing indicators from the stored data.

DuckDB does the heavy part once, in three grouped queries generated from the definitions:
per commune and month, each term counted over the cases received that month, the cases
ended that month, and the cases open at the month's end (the stock). Any period is then a
sum of months (flows) plus the last month's stock, so months, quarters, the year and a
12-month trend all come from the same small table. Aggregate reports fill the months that
have no case list; case data wins where both exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from core import settings
from core.errors import Forbidden
from core.periods import Period, month_end, months_between, parse
from core.type_enums import Status
from indicators.breakdowns import breakdown
from indicators.definitions import (
    STOCK_MEASURES,
    Catalog,
    Indicator,
    Target,
    Term,
    load_catalog,
    with_overrides,
)
from indicators.status import PathStart, evaluate, has_path, target_label
from storage.baselines import baselines
from storage.figures import current_values
from storage.targets import overrides


@dataclass(kw_only=True)
class Result:
    """One figure: an indicator for a commune (or several) over a window, computed once and
    read by every surface (``indicators.present`` says it in words)."""

    id: str
    name: str
    short_name: str
    group: str
    responsible: str
    unit: str
    direction: str
    decimals: int
    window: Period
    as_of: dt.date | None  # the window's last day with data (its end when data runs past)
    commune: str | None
    value: float | None
    numerator: float | None
    denominator: float | None
    target: float | None  # the goal the target asks for in the end (a range's low)
    expected: float | None  # the value the path asks for at ``as_of``
    status: Status
    source: str | None
    note: str = ""  # said instead of the status label («Thiếu số liệu năm 2025»)
    target_label: str = ""  # the target as the programme writes it, short
    target_source: str = ""  # its document and section
    reading: str = ""  # how the target was read, where that needs saying (a cap, a path)
    baseline: float | None = None  # a growth target's baseline-year value
    figure_month: dt.date | None = None  # a hand-entered figure's own month
    due: dt.date | None = None  # a goal with a path: its date
    whole_months: bool = False  # a window's partial month counted from a whole month's report
    has_target: bool = False  # the programme (or an admin) sets a target for it

    @property
    def period(self) -> str:
        return self.window.code

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("window")
        d["status"] = self.status.value
        for k in ("numerator", "denominator"):
            if d[k] is not None and float(d[k]).is_integer():
                d[k] = int(d[k])
        for k in ("as_of", "figure_month", "due"):
            d[k] = None if d[k] is None else d[k].isoformat()
        return d


class Engine:
    """Monthly components for a database, computed once and reused for every period."""

    def __init__(self, con: duckdb.DuckDBPyConnection, catalog: Catalog | None = None) -> None:
        self.con = con
        # the communes this engine may speak of (a commune account's own); None: all. A
        # per-session copy of the shared engine sets it, and every computation checks it.
        self.scope: frozenset[str] | None = None
        self.catalog = with_overrides(catalog or load_catalog(), overrides(con))
        self.case_indicators = [i for i in self.catalog.indicators.values() if not i.manual]
        terms = {t.key: t for i in self.case_indicators for t in (*i.numerator, *i.denominator)}
        self.terms = list(terms.values())
        self.cap = self._caps()
        self._daily_frames: list[pd.DataFrame] = []
        self._days: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] | None = None
        self._stocks: dict[tuple[str, dt.date], dict[str, float]] = {}
        self.case_months = self._case_components()
        self.covered = self._covered_months()
        self.reports = self._report_components()
        self.manual = current_values(con)
        self.baselines = baselines(con)
        # plain dicts for the assembly loops: a pandas lookup per cell costs microseconds
        # that add up over every term, month and commune of a 12-month trend
        self._cases = {
            k: dict(zip(self.case_months.columns, row, strict=True))
            for k, row in zip(
                self.case_months.index, self.case_months.to_numpy().tolist(), strict=True
            )
        }
        self._reports = (
            {}
            if self.reports.empty
            else {
                k: dict(zip(self.reports.columns, row, strict=True))
                for k, row in zip(self.reports.index, self.reports.to_numpy().tolist(), strict=True)
            }
        )
        self._report_kinds = {
            k: {c.split(".")[0] for c, v in row.items() if v != 0}
            for k, row in self._reports.items()
        }

    # --- data from DuckDB ---------------------------------------------------------------
    def _caps(self) -> dict[str, dt.date]:
        rows = self.con.execute(
            """SELECT commune, max(as_of) FROM (
                   SELECT commune, as_of FROM imports WHERE undone_at IS NULL
                   UNION ALL SELECT commune, last_day(thang) FROM so_lieu_nhap_tay)
               GROUP BY commune"""
        ).fetchall()
        return {c: d for c, d in rows}

    def _case_components(self) -> pd.DataFrame:
        """Per commune and month, each term's count. The flows are counted per day once
        (kept for windows that cut a month, such as a reporting window ending on the 18th)
        and summed into months here, so a month costs no second scan of the cases."""
        frames = []
        for family, date_col in (("received", "ngay_tiep_nhan"), ("ended", "ngay_ket_thuc")):
            terms = [t for t in self.terms if t.family == family]
            if not terms:
                continue
            cols = ", ".join(f'count(*) FILTER (WHERE {t.condition()}) AS "{t.key}"' for t in terms)
            daily = self.con.execute(
                f"""SELECT commune, CAST({date_col} AS DATE) AS day, {cols}
                    FROM ho_so WHERE {date_col} IS NOT NULL GROUP BY ALL"""
            ).df()
            daily["day"] = pd.to_datetime(daily["day"])
            self._daily_frames.append(daily)
            monthly = (
                daily.assign(month=daily["day"].dt.to_period("M").dt.start_time)
                .drop(columns="day")
                .groupby(["commune", "month"], as_index=False)
                .sum()
            )
            frames.append(monthly)
        stock_terms = [t for t in self.terms if t.family == "open"]
        if stock_terms and self.cap:
            frames.append(self._stock_components(stock_terms))
        if not frames:
            return pd.DataFrame(columns=["commune", "month"])
        out = frames[0]
        for f in frames[1:]:
            f = f.assign(month=pd.to_datetime(f["month"]))
            out = out.assign(month=pd.to_datetime(out["month"]))
            out = out.merge(f, on=["commune", "month"], how="outer")
        out["month"] = pd.to_datetime(out["month"]).dt.date
        return out.fillna(0).set_index(["commune", "month"]).sort_index()

    def _day_sums(self) -> dict[str, tuple[np.ndarray, np.ndarray, list[str]]]:
        """Per commune, the flows' running totals by day (days, totals, columns), built on the
        first window that cuts a month (calendar periods never need them): any run of days
        is then one subtraction."""
        if self._days is None:
            days: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
            if self._daily_frames:
                frame = self._daily_frames[0]
                for other in self._daily_frames[1:]:
                    frame = frame.merge(other, on=["commune", "day"], how="outer")
                frame = frame.fillna(0).sort_values(["commune", "day"])
                cols = [c for c in frame.columns if c not in ("commune", "day")]
                for commune, part in frame.groupby("commune", sort=False):
                    days[str(commune)] = (
                        part["day"].to_numpy(dtype="datetime64[D]"),
                        part[cols].to_numpy(dtype=float).cumsum(axis=0),
                        cols,
                    )
            self._days = days
        return self._days

    def _stock_at(self, commune: str, day: dt.date) -> dict[str, float]:
        """Cases open at the end of ``day`` (a window that ends inside a month): every
        commune's stock terms counted in one scan, remembered for the engine's life."""
        if (commune, day) not in self._stocks:
            terms = [t for t in self.terms if t.family == "open"]
            found: dict[str, dict[str, float]] = {}
            if terms:
                cols = ", ".join(
                    f'count(*) FILTER (WHERE {t.condition().replace(":end", "$day")}) AS "{t.key}"'
                    for t in terms
                )
                for row in self.con.execute(
                    f"""SELECT commune, {cols} FROM ho_so
                            WHERE CAST(ngay_tiep_nhan AS DATE) <= $day AND (ngay_ket_thuc IS NULL
                                  OR CAST(ngay_ket_thuc AS DATE) > $day)
                            GROUP BY commune""",
                    {"day": day},
                ).fetchall():
                    found[row[0]] = dict(zip([t.key for t in terms], row[1:], strict=True))
            for c in self.cap:
                self._stocks[(c, day)] = found.get(c, {})
            self._stocks.setdefault((commune, day), {})
        return self._stocks[(commune, day)]

    def _stock_components(self, stock_terms: list[Term]) -> pd.DataFrame:
        """Cases open at each month's end (or at the as-of date in the last month).

        Only a case still open when its own month ends can be open at a month end, so each
        such case is expanded over the months it stays open: a few rows per long case
        instead of a join of every case with every month."""
        self.con.register(
            "month_caps", pd.DataFrame(list(self.cap.items()), columns=["commune", "cap"])
        )
        cols = ", ".join(
            f'count(*) FILTER (WHERE {t.condition().replace(":end", "end_date")}) AS "{t.key}"'
            for t in stock_terms
        )
        try:
            return self.con.execute(
                f"""WITH spans AS (
                        SELECT h.*, CAST(c.cap AS DATE) AS cap,
                               unnest(generate_series(
                                   date_trunc('month', h.ngay_tiep_nhan),
                                   date_trunc('month', least(coalesce(h.ngay_ket_thuc, c.cap),
                                                             c.cap)),
                                   INTERVAL 1 MONTH)) AS m
                        FROM ho_so h JOIN month_caps c USING (commune)
                        WHERE CAST(h.ngay_tiep_nhan AS DATE) <= CAST(c.cap AS DATE)
                          AND (h.ngay_ket_thuc IS NULL
                               OR CAST(h.ngay_ket_thuc AS DATE) > least(
                                   last_day(CAST(h.ngay_tiep_nhan AS DATE)),
                                   CAST(c.cap AS DATE)))),
                    ends AS (SELECT *, CAST(m AS DATE) AS month,
                                    least(last_day(CAST(m AS DATE)), cap) AS end_date
                             FROM spans)
                    SELECT commune, month, {cols} FROM ends
                    WHERE CAST(ngay_tiep_nhan AS DATE) <= end_date
                      AND (ngay_ket_thuc IS NULL OR CAST(ngay_ket_thuc AS DATE) > end_date)
                    GROUP BY ALL"""
            ).df()
        finally:
            self.con.unregister("month_caps")

    def _covered_months(self) -> set[tuple[str, dt.date]]:
        rows = self.con.execute(
            """SELECT commune, coalesce(period_start, as_of), as_of FROM imports
               WHERE undone_at IS NULL AND kind = 'danh_sach_ho_so'"""
        ).fetchall()
        return {(c, m) for c, s, e in rows for m in months_between(min(s, e), e)}

    def _report_components(self) -> pd.DataFrame:
        df = self.con.execute(
            """WITH winners AS (
                   SELECT commune, thang, kind, arg_max(import_id, (as_of, import_id)) AS import_id
                   FROM bao_cao_tong_hop GROUP BY ALL)
               SELECT b.commune, b.thang AS month, b.kind || '.' || b.chi_so AS measure,
                      sum(b.gia_tri) AS value
               FROM bao_cao_tong_hop b JOIN winners w USING (import_id)
               -- printed rates are checked (quality.py), never summed
               WHERE b.chi_so NOT LIKE 'ty_le_%'
               GROUP BY ALL"""
        ).df()
        if df.empty:
            return pd.DataFrame()
        df["month"] = pd.to_datetime(df["month"]).dt.date
        return df.pivot_table(
            index=["commune", "month"], columns="measure", values="value", aggfunc="sum"
        ).fillna(0)

    # --- assembling a period ------------------------------------------------------------
    def choosable(self) -> list[str]:
        """The communes this engine may show, the demo commune included."""
        names = set(self.cap)
        if self.scope is not None:
            names &= self.scope
        return sorted(names)

    def communes(self) -> list[str]:
        """The communes «every commune» adds up: the demo commune only while it is alone,
        so made-up cases never mix into real totals."""
        names = self.choosable()
        real = [c for c in names if c != settings.DEMO_COMMUNE]
        return real or names

    def within(self, communes: list[str]) -> list[str]:
        """The communes asked for, refused when one lies outside this engine's scope."""
        if self.scope is not None and not set(communes) <= self.scope:
            raise Forbidden(
                f"Tài khoản này chỉ xem được số liệu của {', '.join(sorted(self.scope))}."
            )
        return communes

    def period_end(self, period: Period, communes: list[str]) -> dt.date | None:
        caps = [self.cap[c] for c in communes if c in self.cap]
        if not caps:
            return None
        return min(period.end, max(caps))

    def _part(self, period: Period, month: dt.date) -> tuple[dt.date, dt.date] | None:
        """The days of ``month`` the window takes when it cuts the month, else None (the
        whole month; a month cut only by the data's last day is whole: no case lies later)."""
        last = month_end(month.year, month.month)
        lo, hi = max(period.start, month), min(period.end, last)
        return None if (lo, hi) == (month, last) else (lo, hi)

    def _span(self, commune: str, lo: dt.date, hi: dt.date) -> dict[str, float]:
        """The flows of the days ``lo``..``hi`` of one commune."""
        found = self._day_sums().get(commune)
        if found is None:
            return {}
        days, totals, cols = found
        upto = int(np.searchsorted(days, np.datetime64(hi, "D"), side="right"))
        before = int(np.searchsorted(days, np.datetime64(lo, "D"), side="left"))
        if upto == 0:
            return {}
        sums = totals[upto - 1] - (totals[before - 1] if before > 0 else 0.0)
        return dict(zip(cols, sums.tolist(), strict=True))

    def _stock_row(self, commune: str, last: dt.date, period: Period) -> dict[str, float]:
        """Cases open at the window's end: the month's stock when the window runs to the
        month's end (or the data's last day), else counted at the window's last day."""
        cap = self.cap.get(commune, period.end)
        at = min(period.end, cap)
        if at >= min(month_end(last.year, last.month), cap):
            return self._cases.get((commune, last)) or {}
        return self._stock_at(commune, at)

    def _case_flow(
        self,
        terms: tuple[Term, ...],
        commune: str,
        src_months: list[dt.date],
        parts: Mapping[dt.date, tuple[dt.date, dt.date] | None],
        period: Period,
        last: dt.date,
        last_is_src: bool,
    ) -> float:
        total = 0.0
        rows = [
            self._cases.get((commune, m))
            if (part := parts[m]) is None
            else self._span(commune, *part)
            for m in src_months
        ]
        for t in terms:
            if t.family == "open":
                if last_is_src:
                    total += self._stock_row(commune, last, period).get(t.key, 0.0)
                continue
            for row in rows:
                if row is not None:
                    total += row.get(t.key, 0.0)
        return total

    def _report_part(self, measures: Iterable[str], commune: str, months: list[dt.date]) -> float:
        total = 0.0
        for measure in measures:
            use = months[-1:] if measure in STOCK_MEASURES else months
            for m in use:
                row = self._reports.get((commune, m))
                if row is not None:
                    total += row.get(measure, 0.0)
        return total

    def _source_for(self, ind: Indicator, commune: str, month: dt.date) -> str | None:
        if (commune, month) in self.covered:
            return "ho_so"
        kinds = self._report_kinds.get((commune, month))
        if ind.aggregate_numerator and kinds:
            measures = set(ind.aggregate_numerator) | set(ind.aggregate_denominator)
            if any(m.split(".")[0] in kinds for m in measures):
                return "bao_cao"
        return None

    def _kinds_at(self, commune: str, month: dt.date) -> set[str]:
        return self._report_kinds.get((commune, month), set())

    def compute_one(self, ind: Indicator, period: Period, communes: list[str]) -> Result:
        self.within(communes)
        end = self.period_end(period, communes)
        num = den = 0.0
        sources: set[str] = set()
        has_data = whole_months = False
        if end is not None and end >= period.start:
            if ind.manual:
                return self._manual_result(ind, period, communes, end)
            months = months_between(period.start, end)
            parts = {m: self._part(period, m) for m in months}
            last = months[-1]
            for commune in communes:
                # flows from each month's own source; the stock from the last month's
                month_sources = {m: self._source_for(ind, commune, m) for m in months}
                for src in ("ho_so", "bao_cao"):
                    src_months = [m for m in months if month_sources[m] == src]
                    if not src_months:
                        continue
                    sources.add(src)
                    has_data = True
                    last_is_src = month_sources[last] == src
                    if src == "ho_so":
                        num += self._case_flow(
                            ind.numerator, commune, src_months, parts, period, last, last_is_src
                        )
                        den += self._case_flow(
                            ind.denominator, commune, src_months, parts, period, last, last_is_src
                        )
                    else:
                        # a report covers whole months: a cut month counts whole, and says so
                        whole_months |= any(parts[m] is not None for m in src_months)
                        num += self._report_flow(
                            ind.aggregate_numerator, commune, src_months, months, last_is_src
                        )
                        den += self._report_flow(
                            ind.aggregate_denominator, commune, src_months, months, last_is_src
                        )
        result = self._result(ind, period, communes, end, num, den, has_data, sources)
        result.whole_months = whole_months
        return result

    def both_sources(
        self, ind: Indicator, commune: str, month: dt.date
    ) -> tuple[tuple[float, float], tuple[float, float]]:
        """A month's numerator and denominator from the cases and from the report (the data
        quality check compares them)."""
        p = parse(f"{month.year}-{month.month:02d}")
        ms, parts = [month], {month: None}
        case = (
            self._case_flow(ind.numerator, commune, ms, parts, p, month, True),
            self._case_flow(ind.denominator, commune, ms, parts, p, month, True),
        )
        report = (
            self._report_flow(ind.aggregate_numerator, commune, ms, ms, True),
            self._report_flow(ind.aggregate_denominator, commune, ms, ms, True),
        )
        return case, report

    def _report_flow(
        self,
        measures: tuple[str, ...],
        commune: str,
        src_months: list[dt.date],
        months: list[dt.date],
        last_is_src: bool,
    ) -> float:
        flows = [m for m in measures if m not in STOCK_MEASURES]
        stocks = [m for m in measures if m in STOCK_MEASURES]
        total = self._report_part(flows, commune, src_months)
        if stocks and last_is_src:
            total += self._report_part(stocks, commune, months[-1:])
        return total

    def _result(
        self,
        ind: Indicator,
        period: Period,
        communes: list[str],
        end: dt.date | None,
        num: float,
        den: float,
        has_data: bool,
        sources: set[str],
    ) -> Result:
        value: float | None
        if not has_data:
            value, num_out, den_out = None, None, None
        elif ind.denominator:
            value = num / den if den else None
            num_out, den_out = num, den
        else:
            value, num_out, den_out = num, num, None
        source = "ho_so" if "ho_so" in sources else ("bao_cao" if sources else None)
        return self._figure(ind, period, communes, end, value, num_out, den_out, source)

    def _figure(
        self,
        ind: Indicator,
        period: Period,
        communes: list[str],
        end: dt.date | None,
        value: float | None,
        num: float | None,
        den: float | None,
        source: str | None,
        *,
        figure_month: dt.date | None = None,
        stale_since: dt.date | None = None,
    ) -> Result:
        """The figure with its target judged as written (``indicators.status.evaluate``)."""
        commune = communes[0] if len(communes) == 1 else None
        target = self.catalog.target_for(ind.id, period.year, commune)
        baseline = self._baseline(ind, target, communes)
        at = end or period.end
        ev = evaluate(ind, target, value, at, baseline, self._start(ind, target, communes))
        status, note = ev.status, ev.note
        if value is None and stale_since is not None:
            status = Status.CHUA_CAP_NHAT
            note = f"Chưa cập nhật (số gần nhất: tháng {stale_since:%m/%Y})"
        return Result(
            id=ind.id,
            name=ind.name,
            short_name=ind.short_name,
            group=ind.group,
            responsible=ind.responsible,
            unit=ind.unit,
            direction=ind.direction,
            decimals=ind.decimals,
            window=period,
            as_of=end,
            commune=commune,
            value=value,
            numerator=num,
            denominator=den,
            target=ev.goal,
            expected=ev.expected,
            status=status,
            source=source,
            note=note,
            target_label=target_label(ind, target, baseline),
            target_source=_cite(target),
            reading=ev.reading,
            baseline=baseline,
            figure_month=figure_month if value is not None else None,
            due=ev.due,
            has_target=target is not None,
        )

    def _baseline(self, ind: Indicator, target: Target | None, communes: list[str]) -> float | None:
        """A growth target's baseline-year value: entered as such, else the hand-entered
        figure of that year, else computed from that year's cases or reports. For several
        communes every one needs a baseline (a sum for counts, an average for rates)."""
        if target is None or target.kind != "growth" or target.baseline_year is None:
            return None
        year = target.baseline_year
        values = []
        for c in communes:
            v = self.baselines.get((ind.id, c, year))
            if v is None and ind.manual:
                v = self._manual_in_year(ind, c, year, last=True)
            if v is None and not ind.manual:  # None when that year has no data
                v = self.compute_one(ind, parse(str(year)), [c]).value
            if v is None:
                return None
            values.append(v)
        if not values:
            return None
        return sum(values) if ind.unit == "count" else sum(values) / len(values)

    def _manual_in_year(
        self, ind: Indicator, commune: str, year: int, *, last: bool
    ) -> float | None:
        found = self._manual_month(ind, commune, year, last=last)
        return None if found is None else found[1]

    def _manual_month(
        self, ind: Indicator, commune: str, year: int, *, last: bool
    ) -> tuple[dt.date, float] | None:
        """The year's last (or first) hand-entered figure of a commune, with its month."""
        df = self.manual
        if df.empty:
            return None
        rows = df[
            (df["indicator_id"] == ind.id)
            & (df["commune"] == commune)
            & (pd.to_datetime(df["thang"]).dt.year == year)
        ].sort_values("thang")
        if rows.empty:
            return None
        row = rows.iloc[-1 if last else 0]
        month = pd.Timestamp(row["thang"]).date()
        if pd.notna(row["tu_so"]) and pd.notna(row["mau_so"]) and row["mau_so"]:
            return month, float(row["tu_so"]) / float(row["mau_so"])
        return None if pd.isna(row["gia_tri"]) else (month, float(row["gia_tri"]))

    def _start(
        self, ind: Indicator, target: Target | None, communes: list[str]
    ) -> PathStart | None:
        """Where a path to a goal begins (one commune; several start from 0 on 1 January):
        an entered baseline of the year before, else that year's last figure, else the first
        figure of the year at its own month, which is then on its path."""
        if target is None or len(communes) != 1 or not ind.manual or not has_path(ind, target):
            return None
        c, year = communes[0], target.year
        jan1 = dt.date(year, 1, 1)
        entered = self.baselines.get((ind.id, c, year - 1))
        if entered is not None:
            return PathStart(jan1, entered, f"số liệu năm {year - 1} đã nhập")
        before = self._manual_month(ind, c, year - 1, last=True)
        if before is not None:
            return PathStart(jan1, before[1], f"số cuối năm {year - 1}")
        first = self._manual_month(ind, c, year, last=False)
        if first is not None:
            m, v = first
            return PathStart(
                month_end(m.year, m.month), v, f"số đầu tiên của năm (tháng {m:%m/%Y})"
            )
        return None

    def _manual_result(
        self, ind: Indicator, period: Period, communes: list[str], end: dt.date
    ) -> Result:
        df = self.manual
        rows = (
            df[
                (df["indicator_id"] == ind.id)
                & (df["commune"].isin(communes))
                & (pd.to_datetime(df["thang"]).dt.date <= end)
            ]
            if not df.empty
            else df
        )
        value = num = den = None
        figure_month: dt.date | None = None
        stale_since: dt.date | None = None
        if not rows.empty:
            latest = rows.sort_values("thang").groupby("commune").tail(1)
            months = pd.to_datetime(latest["thang"]).dt.date
            # a figure older than the definition allows is not carried into this month
            age = [(end.year - m.year) * 12 + end.month - m.month for m in months]
            fresh = [a <= ind.carry_months for a in age]
            if not all(fresh):
                stale_since = max(months)
            latest = latest[fresh]
            if not latest.empty:
                figure_month = min(pd.to_datetime(latest["thang"]).dt.date)
                stale_since = None if len(latest) == len(months) else stale_since
        if stale_since is not None and len(communes) > 1:
            latest = latest.iloc[0:0]  # one commune not updated: no total to speak of
        if not rows.empty and not latest.empty:
            if latest["mau_so"].notna().all() and latest["tu_so"].notna().all():
                num, den = float(latest["tu_so"].sum()), float(latest["mau_so"].sum())
                value = num / den if den else None
            elif ind.unit == "count":
                value = float(latest["gia_tri"].sum())
            else:
                value = float(latest["gia_tri"].mean())
        return self._figure(
            ind,
            period,
            communes,
            end,
            value,
            num,
            den,
            "nhap_tay" if value is not None else None,
            figure_month=figure_month,
            stale_since=stale_since,
        )

    def scorecard(self, period: Period, commune: str | None = None) -> list[Result]:
        communes = [commune] if commune else self.communes()
        return [
            self.compute_one(ind, period, communes)
            for ind in self.catalog.indicators.values()
            if ind.in_scorecard
        ]

    def breakdown(
        self, indicator_id: str, period: Period, by: str, commune: str | None = None
    ) -> pd.DataFrame:
        """The indicator for the period split by a case field (see breakdowns.DIMENSIONS)."""
        communes = self.within([commune] if commune else self.communes())
        end = self.period_end(period, communes) or period.end
        return breakdown(
            self.con, self.catalog.indicators[indicator_id], by, communes, period.start, end
        )

    def trend(
        self, indicator_id: str, end: Period, commune: str | None = None, months: int = 12
    ) -> pd.DataFrame:
        ind = self.catalog.indicators[indicator_id]
        communes = [commune] if commune else self.communes()
        rows = []
        last = end.end
        for m in months_between(last.replace(day=1) - dt.timedelta(days=31 * (months - 1)), last)[
            -months:
        ]:
            r = self.compute_one(ind, parse(f"{m.year}-{m.month:02d}"), communes)
            rows.append(
                {
                    "thang": m,
                    "value": r.value,
                    "numerator": r.numerator,
                    "denominator": r.denominator,
                    "expected": r.expected,
                    "target": r.target,
                    "status": r.status,
                }
            )
        return pd.DataFrame(rows)


def _cite(target: Target | None) -> str:
    if target is None:
        return ""
    return f"{target.document}, {target.source}" if target.document else target.source
