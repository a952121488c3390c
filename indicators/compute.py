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
from dataclasses import asdict, dataclass

import duckdb
import pandas as pd

from core import settings
from core.errors import Forbidden
from core.periods import Period, months_between, parse
from indicators.breakdowns import breakdown
from indicators.definitions import (
    STOCK_MEASURES,
    Catalog,
    Indicator,
    load_catalog,
    with_overrides,
)
from indicators.status import evaluate, target_label
from storage.baselines import baselines
from storage.figures import current_values
from storage.targets import overrides

SOURCE_LABELS = {"ho_so": "danh sách hồ sơ", "bao_cao": "báo cáo tổng hợp",
                 "nhap_tay": "nhập tay", None: "không có"}


@dataclass
class Result:
    id: str
    name: str
    short_name: str
    group: str
    responsible: str
    unit: str
    direction: str
    decimals: int
    value: float | None
    numerator: float | None
    denominator: float | None
    target: float | None
    expected: float | None
    status: str
    source: str | None
    period: str
    commune: str | None
    note: str = ""  # said instead of the status label («Thiếu số liệu năm 2025»)
    target_label: str = ""  # the target as the programme writes it, short
    target_source: str = ""  # its document and section
    baseline: float | None = None  # a growth target's baseline-year value
    figure_month: dt.date | None = None  # a hand-entered figure's own month

    def as_json(self) -> dict:
        d = asdict(self)
        for k in ("numerator", "denominator"):
            if d[k] is not None and float(d[k]).is_integer():
                d[k] = int(d[k])
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
        self.case_months = self._case_components()
        self.covered = self._covered_months()
        self.reports = self._report_components()
        self.manual = current_values(con)
        self.baselines = baselines(con)
        # plain dicts for the assembly loops: a pandas lookup per cell costs microseconds
        # that add up over every term, month and commune of a 12-month trend
        self._cases = {k: dict(zip(self.case_months.columns, row, strict=True))
                       for k, row in zip(self.case_months.index,
                                         self.case_months.to_numpy().tolist(), strict=True)}
        self._reports = {} if self.reports.empty else {
            k: dict(zip(self.reports.columns, row, strict=True))
            for k, row in zip(self.reports.index, self.reports.to_numpy().tolist(),
                              strict=True)}
        self._report_kinds = {k: {c.split(".")[0] for c, v in row.items() if v != 0}
                              for k, row in self._reports.items()}

    # --- data from DuckDB ---------------------------------------------------------------
    def _caps(self) -> dict[str, dt.date]:
        rows = self.con.execute(
            """SELECT commune, max(as_of) FROM (
                   SELECT commune, as_of FROM imports WHERE undone_at IS NULL
                   UNION ALL SELECT commune, last_day(thang) FROM so_lieu_nhap_tay)
               GROUP BY commune""").fetchall()
        return {c: d for c, d in rows}

    def _case_components(self) -> pd.DataFrame:
        frames = []
        for family, date_col in (("received", "ngay_tiep_nhan"), ("ended", "ngay_ket_thuc")):
            terms = [t for t in self.terms if t.family == family]
            if not terms:
                continue
            cols = ", ".join(f'count(*) FILTER (WHERE {t.condition()}) AS "{t.key}"'
                             for t in terms)
            frames.append(self.con.execute(
                f"""SELECT commune, CAST(date_trunc('month', {date_col}) AS DATE) AS month, {cols}
                    FROM ho_so WHERE {date_col} IS NOT NULL GROUP BY ALL""").df())
        stock_terms = [t for t in self.terms if t.family == "open"]
        if stock_terms and self.cap:
            frames.append(self._stock_components(stock_terms))
        if not frames:
            return pd.DataFrame(columns=["commune", "month"])
        out = frames[0]
        for f in frames[1:]:
            out = out.merge(f, on=["commune", "month"], how="outer")
        out["month"] = pd.to_datetime(out["month"]).dt.date
        return out.fillna(0).set_index(["commune", "month"]).sort_index()

    def _stock_components(self, stock_terms) -> pd.DataFrame:
        """Cases open at each month's end (or at the as-of date in the last month).

        Only a case still open when its own month ends can be open at a month end, so each
        such case is expanded over the months it stays open: a few rows per long case
        instead of a join of every case with every month."""
        self.con.register("month_caps", pd.DataFrame(
            list(self.cap.items()), columns=["commune", "cap"]))
        cols = ", ".join(
            f'count(*) FILTER (WHERE {t.condition().replace(":end", "end_date")}) '
            f'AS "{t.key}"' for t in stock_terms)
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
                    GROUP BY ALL""").df()
        finally:
            self.con.unregister("month_caps")

    def _covered_months(self) -> set[tuple[str, dt.date]]:
        rows = self.con.execute(
            """SELECT commune, coalesce(period_start, as_of), as_of FROM imports
               WHERE undone_at IS NULL AND kind = 'danh_sach_ho_so'""").fetchall()
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
               GROUP BY ALL""").df()
        if df.empty:
            return pd.DataFrame()
        df["month"] = pd.to_datetime(df["month"]).dt.date
        return df.pivot_table(index=["commune", "month"], columns="measure", values="value",
                              aggfunc="sum").fillna(0)

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
            raise Forbidden("Tài khoản này chỉ xem được số liệu của "
                            f"{', '.join(sorted(self.scope))}.")
        return communes

    def period_end(self, period: Period, communes: list[str]) -> dt.date | None:
        caps = [self.cap[c] for c in communes if c in self.cap]
        if not caps:
            return None
        return min(period.end, max(caps))

    def _case_part(self, terms, commune: str, months: list[dt.date]) -> float:
        total = 0.0
        for t in terms:
            use = months[-1:] if t.family == "open" else months
            for m in use:
                row = self._cases.get((commune, m))
                if row is not None:
                    total += row[t.key]
        return total

    def _report_part(self, measures, commune: str, months: list[dt.date]) -> float:
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
        has_data = False
        if end is not None and end >= period.start:
            months = months_between(period.start, end)
            if ind.manual:
                return self._manual_result(ind, period, communes, end)
            for commune in communes:
                # flows from each month's own source; the stock from the last month's
                month_sources = {m: self._source_for(ind, commune, m) for m in months}
                for src in ("ho_so", "bao_cao"):
                    src_months = [m for m in months if month_sources[m] == src]
                    if not src_months:
                        continue
                    sources.add(src)
                    has_data = True
                    last_is_src = month_sources[months[-1]] == src
                    if src == "ho_so":
                        num += self._case_flow(ind.numerator, commune, src_months, months,
                                               last_is_src)
                        den += self._case_flow(ind.denominator, commune, src_months, months,
                                               last_is_src)
                    else:
                        num += self._report_flow(ind.aggregate_numerator, commune, src_months,
                                                 months, last_is_src)
                        den += self._report_flow(ind.aggregate_denominator, commune,
                                                 src_months, months, last_is_src)
        return self._result(ind, period, communes, end, num, den, has_data, sources)

    def _case_flow(self, terms, commune, src_months, months, last_is_src) -> float:
        flows = [t for t in terms if t.family != "open"]
        stocks = [t for t in terms if t.family == "open"]
        total = self._case_part(flows, commune, src_months)
        if stocks and last_is_src:
            total += self._case_part(stocks, commune, months)
        return total

    def _report_flow(self, measures, commune, src_months, months, last_is_src) -> float:
        flows = [m for m in measures if m not in STOCK_MEASURES]
        stocks = [m for m in measures if m in STOCK_MEASURES]
        total = self._report_part(flows, commune, src_months)
        if stocks and last_is_src:
            total += self._report_part(stocks, commune, months[-1:])
        return total

    def _result(self, ind, period, communes, end, num, den, has_data, sources) -> Result:
        value: float | None
        if not has_data:
            value, num_out, den_out = None, None, None
        elif ind.denominator:
            value = num / den if den else None
            num_out, den_out = num, den
        else:
            value, num_out, den_out = num, num, None
        commune = communes[0] if len(communes) == 1 else None
        target = self.catalog.target_for(ind.id, period.start.year, commune)
        baseline = self._baseline(ind, target, communes)
        ev = evaluate(ind, target, value, end or period.end, baseline)
        source = "ho_so" if "ho_so" in sources else ("bao_cao" if sources else None)
        return Result(ind.id, ind.name, ind.short_name, ind.group, ind.responsible, ind.unit,
                      ind.direction, ind.decimals, value, num_out, den_out, ev.target,
                      ev.expected, ev.status, source, period.code, commune, ev.note,
                      target_label(ind, target, baseline), _cite(target), baseline)

    def _baseline(self, ind: Indicator, target, communes: list[str]) -> float | None:
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

    def _manual_in_year(self, ind: Indicator, commune: str, year: int, *, last: bool
                        ) -> float | None:
        df = self.manual
        if df.empty:
            return None
        rows = df[(df["indicator_id"] == ind.id) & (df["commune"] == commune)
                  & (pd.to_datetime(df["thang"]).dt.year == year)].sort_values("thang")
        if rows.empty:
            return None
        row = rows.iloc[-1 if last else 0]
        if pd.notna(row["tu_so"]) and pd.notna(row["mau_so"]) and row["mau_so"]:
            return float(row["tu_so"]) / float(row["mau_so"])
        return None if pd.isna(row["gia_tri"]) else float(row["gia_tri"])

    def _start_value(self, ind: Indicator, target, communes: list[str]) -> float | None:
        """Where a deadline target's path starts: the last figure of the year before, else
        the year's first figure (one commune; several start from 0)."""
        if target is None or target.kind != "deadline" or len(communes) != 1 or not ind.manual:
            return None
        before = self._manual_in_year(ind, communes[0], target.year - 1, last=True)
        if before is not None:
            return before
        return self._manual_in_year(ind, communes[0], target.year, last=False)

    def _manual_result(self, ind, period, communes, end) -> Result:
        df = self.manual
        rows = df[(df["indicator_id"] == ind.id) & (df["commune"].isin(communes))
                  & (pd.to_datetime(df["thang"]).dt.date <= end)] if not df.empty else df
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
        commune = communes[0] if len(communes) == 1 else None
        target = self.catalog.target_for(ind.id, period.start.year, commune)
        baseline = self._baseline(ind, target, communes)
        ev = evaluate(ind, target, value, end, baseline,
                      self._start_value(ind, target, communes))
        note = ev.note
        if value is None and stale_since is not None:
            note = f"Chưa cập nhật (số gần nhất: tháng {stale_since:%m/%Y})"
        return Result(ind.id, ind.name, ind.short_name, ind.group, ind.responsible, ind.unit,
                      ind.direction, ind.decimals, value, num, den, ev.target, ev.expected,
                      ev.status, "nhap_tay" if value is not None else None, period.code,
                      commune, note, target_label(ind, target, baseline), _cite(target),
                      baseline, figure_month if value is not None else None)

    def scorecard(self, period: Period, commune: str | None = None) -> list[Result]:
        communes = [commune] if commune else self.communes()
        return [self.compute_one(ind, period, communes)
                for ind in self.catalog.indicators.values() if ind.in_scorecard]

    def breakdown(self, indicator_id: str, period: Period, by: str,
                  commune: str | None = None) -> pd.DataFrame:
        """The indicator for the period split by a case field (see breakdowns.DIMENSIONS)."""
        communes = self.within([commune] if commune else self.communes())
        end = self.period_end(period, communes) or period.end
        return breakdown(self.con, self.catalog.indicators[indicator_id], by, communes,
                         period.start, end)

    def trend(self, indicator_id: str, end: Period, commune: str | None = None,
              months: int = 12) -> pd.DataFrame:
        ind = self.catalog.indicators[indicator_id]
        communes = [commune] if commune else self.communes()
        rows = []
        last = end.end
        for m in months_between(last.replace(day=1) - dt.timedelta(days=31 * (months - 1)),
                                last)[-months:]:
            r = self.compute_one(ind, parse(f"{m.year}-{m.month:02d}"), communes)
            rows.append({"thang": m, "value": r.value, "numerator": r.numerator,
                         "denominator": r.denominator, "expected": r.expected,
                         "target": r.target, "status": r.status})
        return pd.DataFrame(rows)


def _cite(target) -> str:
    if target is None:
        return ""
    return f"{target.document}, {target.source}" if target.document else target.source


def compute(con: duckdb.DuckDBPyConnection, period: Period, commune: str | None = None
            ) -> list[Result]:
    return Engine(con).scorecard(period, commune)
