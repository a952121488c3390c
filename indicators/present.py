"""The one presenter of a figure: its value, target, status, days and as-of date in the words
every surface prints (the overview, the indicator page, meeting mode and its PDF, the Word
report and its Excel, the Zalo picture and text, the province page, the command line).
A surface never words a figure itself; tests compare the surfaces through these texts."""

from __future__ import annotations

import datetime as dt

from core import formatting as fmt
from core.periods import Period
from core.type_enums import ALL_COMMUNES, Source, Status
from indicators.compute import Result


def value(r: Result) -> str:
    """The value; a hand-entered figure from an earlier month says which («86,5% (tháng
    04/2026)»): it is not a measurement of this window."""
    text = fmt.value(r.value, r.unit, r.decimals)
    m = r.figure_month
    end = r.as_of or r.window.end
    if m is not None and (m.year, m.month) != (end.year, end.month):
        text += f" (tháng {m:%m/%Y})"
    return text


def target(r: Result) -> str:
    """The target as the programme writes it («≥ 98%», «11,81% – 12%»)."""
    return r.target_label or Status.CHUA_CO_CHI_TIEU.label


def status(r: Result) -> str:
    return r.note or r.status.label


def expected(r: Result) -> str:
    """The value the target's path asks for at the window's end, when it differs from the
    goal (a goal due later); empty otherwise."""
    if r.expected is None or r.target is None or abs(r.expected - r.target) < 1e-9:
        return ""
    return fmt.value(r.expected, r.unit, 1)


def fraction(r: Result) -> str:
    if r.numerator is None:
        return "—"
    if r.denominator is None:
        return fmt.number(r.numerator)
    return f"{fmt.number(r.numerator)} / {fmt.number(r.denominator)}"


def source(r: Result) -> str:
    return Source(r.source).label if r.source else "—"


def as_of(window: Period, day: dt.date | None) -> str:
    """«số liệu đến 31/10/2026»: the window's last day with data."""
    return "chưa có số liệu" if day is None else f"số liệu đến {day:%d/%m/%Y}"


def coverage(window: Period, day: dt.date | None) -> str:
    """The window, its days and its as-of date in one line, the same on every surface:
    «Năm 2026 (01/01–31/12/2026), số liệu đến 31/10/2026»."""
    days = "" if window.kind == "report" or window.kind == "days" else f" ({window.days})"
    return f"{window.label}{days}, {as_of(window, day)}"


def commune(name: str | None) -> str:
    return name or ALL_COMMUNES


def sentence(r: Result) -> str:
    """The figure in one sentence, for a report line, a caption or a message."""
    parts = [f"{r.name}: {value(r)}"]
    if r.numerator is not None and r.denominator is not None:
        parts[0] += f" ({fraction(r).replace(' / ', '/')})"
    if r.target_label and r.status != Status.CHUA_CO_CHI_TIEU:
        parts.append(f"chỉ tiêu {target(r)}")
        if exp := expected(r):
            parts.append(f"tiến độ cần đạt {exp}")
    parts.append(status(r))
    text = ", ".join(parts[:-1]) + f" ({parts[-1]})"
    if r.whole_months:
        text += "; tính theo báo cáo tổng hợp cả tháng"
    return text + "."


def signed_delta(r: Result, prev: Result | None) -> str | None:
    """ "+1,2 điểm %" or "-35": the form st.metric colours by its sign; None when there is
    nothing to compare (no value, one hand-entered figure in both, a change that rounds to
    nothing: «-0,0 điểm %» in red would announce a fall that did not happen)."""
    if prev is None or r.value is None or prev.value is None or _same_figure(r, prev):
        return None
    diff = r.value - prev.value
    step = abs(diff) * 100 if r.unit == "percent" else abs(diff)
    if round(step, 1 if r.unit == "percent" else r.decimals) == 0:
        return None
    sign = "+" if diff >= 0 else "-"
    if r.unit == "percent":
        return f"{sign}{fmt.number(abs(diff) * 100, 1)} điểm %"
    return f"{sign}{fmt.number(abs(diff), r.decimals)}"


def delta(r: Result, prev: Result | None) -> str:
    """The change since the previous window with an arrow, «—» when there is none."""
    signed = signed_delta(r, prev)
    if signed is None:
        comparable = (
            prev is not None
            and r.value is not None
            and prev.value is not None
            and not _same_figure(r, prev)
        )
        return "■ 0" if comparable else "—"
    return ("▲ " if signed.startswith("+") else "▼ ") + signed[1:]


def _same_figure(r: Result, prev: Result) -> bool:
    """Both windows show one hand-entered figure: nothing changed, nothing to compare."""
    return r.figure_month is not None and r.figure_month == prev.figure_month


def counts(results: list[Result]) -> dict[Status, int]:
    out: dict[Status, int] = {}
    for r in results:
        out[r.status] = out.get(r.status, 0) + 1
    return out


def assessment_counts(results: list[Result]) -> str:
    """Every targeted indicator counted: met, on track, behind, without data; those without
    data named («1 chỉ số đạt, 2 đúng tiến độ, 4 chưa đạt, 36 chưa có số liệu: …»)."""
    c = counts(results)
    behind = c.get(Status.CHAM, 0) + c.get(Status.GAN_DAT, 0)
    missing = [r for r in results if r.has_target and not r.status.judged]
    targeted = sum(1 for r in results if r.has_target)
    year = results[0].window.year if results else ""
    text = (
        f"Trong {targeted} chỉ số có chỉ tiêu năm {year}: "
        f"{c.get(Status.DAT, 0)} chỉ số đạt, {c.get(Status.DUNG_TIEN_DO, 0)} đúng tiến độ, "
        f"{behind} chưa đạt (chậm hoặc gần đạt), {len(missing)} chưa có số liệu"
    )
    if missing:
        text += " (" + "; ".join(r.short_name or r.name for r in missing) + ")"
    return text + "."
