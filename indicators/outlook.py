"""What it will take, and whose it is, for an indicator behind its target:

- the gap in cases this month: how many more of the numerator's cases the month needed to
  reach the target («cần thêm 37 hồ sơ được số hóa trong tháng 11 để đạt 98%»), or for a
  «lower is better» rate how many cases over the allowed share;
- the year-end projection at the present pace: the year to date, plus the months left at
  the last three months' rate and volume; «đúng hướng» when it reaches the target;
- the rate the months left need for the year to end on target;
- the fields, procedures and officers that account for most of the shortfall: each group's
  own shortfall against the target (groups above it offset nothing), as a share of the sum.

Case-based rates and counts only get case numbers; a hand-entered figure gets its distance
to the target in its own unit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field

from core import formatting as fmt
from core.periods import Period, months_between, parse
from core.type_enums import WindowKind
from indicators.breakdowns import DIMENSIONS
from indicators.compute import Engine, Result
from indicators.definitions import Indicator
from indicators.status import CHAM, GAN_DAT

PACE_MONTHS = 3  # the present pace: the last three months with data
TOP = 3  # contributors named per dimension
CONTRIBUTOR_DIMENSIONS = ("linh_vuc", "ten_tthc", "can_bo")


@dataclass(frozen=True)
class Contributor:
    dimension: str  # linh_vuc, ten_tthc, can_bo
    group: str
    shortfall: float  # cases missing in this group against the target
    share: float  # of the sum of the groups' shortfalls


@dataclass(frozen=True)
class Outlook:
    indicator_id: str
    month: dt.date  # the month the gap is about (the period's last month with data)
    target: float | None
    gap: int | None  # cases missing this month (over the allowed share for «lower»)
    needed_rate: float | None  # what the months left must average (rates), or per month
    projection: float | None  # the year's value at the present pace
    on_track: bool | None
    months_left: int
    sentences: list[str] = field(default_factory=list)  # gap, need, projection, method
    projection_at: int | None = None  # which sentence is the projection
    contributors: list[Contributor] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.on_track is None:
            return ""
        return "đúng hướng" if self.on_track else "chệch hướng"

    @property
    def projection_sentence(self) -> str:
        """«Dự báo cuối năm: …», or nothing when there is no pace to project from."""
        return self.sentences[self.projection_at] if self.projection_at is not None else ""

    def headline(self) -> str:
        """The gap and the projection in one line, for a card or a slide."""
        return " ".join(
            s for s in (self.sentences[0] if self.sentences else "", self.projection_sentence) if s
        )

    def main_contributor(self) -> str:
        """The officer, field or procedure with the largest share of the shortfall."""
        if not self.contributors:
            return ""
        top = max(self.contributors, key=lambda c: c.share)
        return f"{DIMENSIONS[top.dimension]} «{top.group}» ({fmt.percent(top.share, 0)})"

    def contributor_sentences(self) -> list[str]:
        out = []
        for dim in CONTRIBUTOR_DIMENSIONS:
            part = [c for c in self.contributors if c.dimension == dim]
            if part:
                out.append(
                    f"{DIMENSIONS[dim]}: "
                    + "; ".join(
                        f"{c.group} {fmt.percent(c.share, 0)} ({fmt.number(c.shortfall)} hồ sơ)"
                        for c in part
                    )
                )
        return out


def _label(ind: Indicator) -> str:
    return ind.numerator_label or "hồ sơ đạt yêu cầu"


def _goal(t: float) -> str:
    """98% rather than 98,0%: the programme writes its targets that way."""
    return fmt.exact(t, "percent")


def _higher(ind: Indicator) -> bool:
    return ind.direction != "lower"


def _month_results(
    engine: Engine, ind: Indicator, months: list[dt.date], communes: list[str]
) -> list[Result]:
    return [engine.compute_one(ind, parse(f"{m.year}-{m.month:02d}"), communes) for m in months]


def outlook(
    engine: Engine,
    indicator_id: str,
    period: Period,
    commune: str | None,
    *,
    with_contributors: bool = True,
) -> Outlook | None:
    """The outlook of one indicator for the period's last month with data, or None when
    there is no target or no figure to measure against."""
    ind = engine.catalog.indicators[indicator_id]
    communes = engine.within([commune] if commune else engine.communes())
    end = engine.period_end(period, communes)
    if end is None:
        return None
    month = end.replace(day=1)
    # the gap is the figure's own: a month or a reporting window as shown beside it; for a
    # quarter or a year, its last month with data
    short = period.kind in (WindowKind.MONTH, WindowKind.REPORT, WindowKind.DAYS)
    now = engine.compute_one(
        ind, period if short else parse(f"{month.year}-{month.month:02d}"), communes
    )
    target = now.target
    if target is None or now.value is None:
        return None
    months_left = 12 - month.month  # the year's target is for December
    if ind.manual:
        return _manual(ind, now, month, months_left)
    # the year to date ends with this month, even when later months have data
    year = _month_results(engine, ind, months_between(dt.date(month.year, 1, 1), month), communes)
    pace = year[-PACE_MONTHS:]
    if ind.denominator:
        result = _rate(ind, now, year, pace, month, months_left, _when(now))
    else:
        result = _count(ind, now, year, pace, month, months_left)
    if with_contributors and ind.denominator and result.gap:
        result = _with_contributors(engine, ind, result, now.window, commune)
    return result


def _when(r: Result) -> str:
    """The days a gap is counted over, in words: «tháng 10/2026», «kỳ 19/09–18/10/2026»."""
    w = r.window
    if w.kind == WindowKind.MONTH:
        return f"tháng {w.start:%m/%Y}"
    return f"kỳ {w.days}"


def _rate(
    ind: Indicator,
    now: Result,
    year: list[Result],
    pace: list[Result],
    month: dt.date,
    months_left: int,
    when: str,
) -> Outlook:
    t = float(now.target)  # type: ignore[arg-type]
    num, den = float(now.numerator or 0), float(now.denominator or 0)
    higher = _higher(ind)
    label = _label(ind)
    goal = _goal(t)
    sentences = []
    gap = math.ceil(t * den - num - 1e-9) if higher else math.ceil(num - t * den - 1e-9)
    gap = max(gap, 0)
    if gap and higher:
        sentences.append(
            f"Cần thêm {fmt.number(gap)} {label} trong {when} (trên "
            f"{fmt.number(den)} hồ sơ) để đạt {goal}."
        )
    elif gap:
        sentences.append(
            f"Vượt {fmt.number(gap)} {label} so với mức tối đa {goal} trong "
            f"{when} (trên {fmt.number(den)} hồ sơ)."
        )
    else:
        sentences.append(f"{when[0].upper() + when[1:]} đã đạt mức {goal}.")
    n_year = sum(float(r.numerator or 0) for r in year)
    d_year = sum(float(r.denominator or 0) for r in year)
    p_num = sum(float(r.numerator or 0) for r in pace)
    p_den = sum(float(r.denominator or 0) for r in pace)
    per_month = p_den / len(pace) if pace else 0.0
    rest = per_month * months_left
    pace_rate = p_num / p_den if p_den else None
    needed = projection = None
    if d_year + rest > 0 and pace_rate is not None:
        projection = (n_year + pace_rate * rest) / (d_year + rest)
    on_track = (
        None
        if projection is None
        else (projection >= t - 1e-12 if higher else projection <= t + 1e-12)
    )
    if months_left and rest > 0:
        needed = (t * (d_year + rest) - n_year) / rest
        if higher and needed > 1:
            sentences.append(
                f"Kể cả khi mọi hồ sơ của {months_left} tháng còn lại đều đạt, "
                f"cả năm vẫn chưa tới {goal}."
            )
        elif higher and needed > 0:
            sentences.append(
                f"Để cả năm đạt {goal}, {months_left} tháng còn lại cần bình quân "
                f"{fmt.percent(needed, 1)} (khoảng {fmt.number(math.ceil(needed * per_month))} "
                f"{label} trên {fmt.number(per_month)} hồ sơ mỗi tháng)."
            )
        elif not higher:
            allowed = max(needed, 0.0)
            sentences.append(
                f"Để cả năm không quá {goal}, {months_left} tháng còn lại cần giữ dưới "
                f"{fmt.percent(allowed, 1)} (khoảng {fmt.number(math.floor(allowed * per_month))} "
                f"{label} mỗi tháng)."
            )
    projection_at = None
    if projection is not None:
        projection_at = len(sentences)
        sentences.append(
            f"Dự báo cuối năm: {fmt.percent(projection, 1)} — "
            f"{'đúng hướng' if on_track else 'chệch hướng'} (mục tiêu {goal})."
        )
        sentences.append(
            f"Cách dự báo: số liệu từ đầu năm đến hết tháng {month:%m/%Y}, cộng {months_left} "
            "tháng còn lại "
            f"với tỷ lệ và số hồ sơ bình quân của {len(pace)} tháng gần nhất."
        )
    return Outlook(
        ind.id,
        month,
        t,
        gap,
        needed,
        projection,
        on_track,
        months_left,
        sentences,
        projection_at=projection_at,
    )


def _count(
    ind: Indicator,
    now: Result,
    year: list[Result],
    pace: list[Result],
    month: dt.date,
    months_left: int,
) -> Outlook:
    """A count with a yearly target: the year to date against it, the pace after."""
    t = float(now.target)  # type: ignore[arg-type]
    done = sum(float(r.value or 0) for r in year)
    per_month = sum(float(r.value or 0) for r in pace) / len(pace) if pace else 0.0
    projection = done + per_month * months_left
    higher = _higher(ind)
    on_track = projection >= t if higher else projection <= t
    label = _label(ind)
    remaining = max(math.ceil(t - done), 0)
    needed = remaining / months_left if months_left else None
    sentences = [f"Từ đầu năm: {fmt.number(done)} {label}; mục tiêu năm {fmt.number(t)}."]
    if higher and remaining and needed is not None:
        sentences.append(
            f"Còn {fmt.number(remaining)} {label}: bình quân "
            f"{fmt.number(math.ceil(needed))} mỗi tháng trong {months_left} tháng "
            "còn lại."
        )
    projection_at = len(sentences)
    sentences.append(
        f"Dự báo cuối năm: {fmt.number(projection)} — "
        f"{'đúng hướng' if on_track else 'chệch hướng'}."
    )
    sentences.append(
        f"Cách dự báo: số từ đầu năm cộng {months_left} tháng còn lại với mức "
        f"bình quân của {len(pace)} tháng gần nhất."
    )
    return Outlook(
        ind.id,
        month,
        t,
        remaining if higher else None,
        needed,
        projection,
        on_track,
        months_left,
        sentences,
        projection_at=projection_at,
    )


def _manual(ind: Indicator, now: Result, month: dt.date, months_left: int) -> Outlook:
    """A hand-entered figure: how far it is from the target, in its own unit."""
    t = float(now.target)  # type: ignore[arg-type]
    v = float(now.value)  # type: ignore[arg-type]
    diff = (t - v) if _higher(ind) else (v - t)
    goal = fmt.exact(t, ind.unit)
    if diff <= 0:
        text = f"Đã đạt mục tiêu {goal}."
    elif ind.unit == "percent":
        text = f"Còn thiếu {fmt.number(diff * 100, 1)} điểm % so với mục tiêu {goal}."
    else:
        text = f"Còn thiếu {fmt.number(diff, ind.decimals)} so với mục tiêu {goal}."
    sentences = [text]
    if now.reading:  # the path it was judged against, when the goal is due later
        sentences.append(now.reading)
    sentences.append("Chỉ số nhập tay: không dự báo theo hồ sơ.")
    return Outlook(ind.id, month, t, None, None, None, None, months_left, sentences)


def _with_contributors(
    engine: Engine, ind: Indicator, result: Outlook, period: Period, commune: str | None
) -> Outlook:
    t = float(result.target)  # type: ignore[arg-type]
    found: list[Contributor] = []
    for dim in CONTRIBUTOR_DIMENSIONS:
        parts = engine.breakdown(ind.id, period, dim, commune)
        if parts.empty:
            continue
        den = parts["mau_so"].astype(float)
        num = parts["tu_so"].astype(float)
        short = (t * den - num) if _higher(ind) else (num - t * den)
        short = short.clip(lower=0)
        total = float(short.sum())
        if total <= 0:
            continue
        ranked = (
            parts.assign(thieu=short)
            .sort_values(["thieu", "nhom"], ascending=[False, True])
            .head(TOP)
        )
        found += [
            Contributor(dim, str(group), float(gap), float(gap) / total)
            for group, gap in zip(ranked["nhom"], ranked["thieu"], strict=True)
            if gap > 0
        ]
    return dataclasses.replace(result, contributors=found)


def lagging_outlooks(
    engine: Engine, period: Period, commune: str | None, results: list[Result]
) -> dict[str, Outlook]:
    """Outlooks of every lagging or close indicator among ``results``."""
    out = {}
    for r in results:
        if r.status in (CHAM, GAN_DAT):
            o = outlook(engine, r.id, period, commune)
            if o is not None:
                out[r.id] = o
    return out
