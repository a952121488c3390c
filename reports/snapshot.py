"""The month's scorecard as one picture and a short text, for the committee's Zalo groups:
lagging indicators first, large Vietnamese type, the commune and the date, 1080 px wide so a
phone shows it without zooming."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.periods import Period
from indicators import present
from indicators.compute import Engine, Result
from indicators.outlook import Outlook, lagging_outlooks
from indicators.status import CHAM, DAT, DUNG_TIEN_DO, GAN_DAT, STATUS_ORDER, THIEU_GOC
from reports.images import GREY, INK, STATUS_COLOURS, Canvas, plain_symbols

WIDTH = 1080
SHOWN = (CHAM, GAN_DAT, THIEU_GOC, DUNG_TIEN_DO, DAT)  # indicators with a target to speak of
MAX_ROWS = 24


@dataclass(frozen=True)
class Snapshot:
    period: Period
    commune: str
    as_of: dt.date
    results: list[Result]  # the scorecard, lagging first
    outlooks: dict[str, Outlook]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            out[r.status] = out.get(r.status, 0) + 1
        return out


def snapshot(
    engine: Engine, period: Period, commune: str | None, outlooks: dict[str, Outlook] | None = None
) -> Snapshot:
    card = engine.scorecard(period, commune)
    communes = engine.within([commune] if commune else engine.communes())
    as_of = engine.period_end(period, communes) or period.end
    ordered = sorted(card, key=lambda r: (STATUS_ORDER[r.status], r.responsible, r.name))
    name = commune or (communes[0] if len(communes) == 1 else present.commune(None))
    return Snapshot(
        period,
        name,
        as_of,
        ordered,
        outlooks if outlooks is not None else lagging_outlooks(engine, period, commune, card),
    )


def _target(r: Result) -> str:
    return plain_symbols(present.target(r))


def picture(s: Snapshot) -> bytes:
    """The PNG: a title band, the counts, then one row per indicator with a target."""
    rows = [r for r in s.results if r.status in SHOWN][:MAX_ROWS]
    probe = Canvas(WIDTH, 10)
    row_heights = []
    for r in rows:
        lines = probe.wrap(r.name, 30, WIDTH - 400, bold=True)[:2]
        extra = 1 if s.outlooks.get(r.id) and r.status in (CHAM, GAN_DAT) else 0
        row_heights.append(26 + 40 * len(lines) + 34 + 34 * extra + 20)
    height = 330 + sum(row_heights) + 110
    c = Canvas(WIDTH, height)
    c.rect((0, 0, WIDTH, 200), "#0b3d91")
    title = s.period.label.split(":")[0]  # a reporting window's days go on the third line
    c.text(
        (40, 34),
        c.fit(f"CHỈ SỐ {title.upper()}", 44, WIDTH - 80, bold=True),
        44,
        fill="white",
        bold=True,
    )
    c.text((40, 96), c.fit(s.commune, 36, WIDTH - 80, bold=True), 36, fill="white", bold=True)
    c.text((40, 150), f"{s.period.days} · {present.as_of(s.period, s.as_of)}", 28, fill="#dbe6ff")
    counts = s.counts()
    x = 40.0
    for status in (CHAM, GAN_DAT, DUNG_TIEN_DO, DAT):
        label = f"{status.label}: {counts.get(status, 0)}"
        w = c.text_width(label, 34, True) + 48
        c.rect((x, 226, x + w, 292), STATUS_COLOURS[status])
        c.text((x + 24, 259), label, 34, fill="white", bold=True, anchor="lm")
        x += w + 20
    y = 330.0
    for r, h in zip(rows, row_heights, strict=True):
        colour = STATUS_COLOURS[r.status]
        c.rect((0, y, 14, y + h - 20), colour)
        lines = c.wrap(r.name, 30, WIDTH - 400, bold=True)[:2]
        for i, line in enumerate(lines):
            c.text((40, y + 10 + 40 * i), line, 30, bold=True)
        value = present.value(r)
        c.text((WIDTH - 40, y + 8), value, 40, fill=colour, bold=True, anchor="ra")
        c.text((WIDTH - 40, y + 60), f"mục tiêu {_target(r)}", 24, fill=GREY, anchor="ra")
        below = y + 14 + 40 * len(lines)
        c.text(
            (40, below),
            c.fit(f"{present.status(r)} · {r.responsible}", 24, WIDTH - 400),
            24,
            fill=GREY,
        )
        o = s.outlooks.get(r.id)
        if o is not None and r.status in (CHAM, GAN_DAT):
            c.text((40, below + 34), c.fit(o.sentences[0], 24, WIDTH - 80), 24, fill=INK)
        c.line([(40, y + h - 10), (WIDTH - 40, y + h - 10)], "#dee2e6", 2)
        y += h
    rest = len([r for r in s.results if r.status in SHOWN]) - len(rows)
    others = sum(1 for r in s.results if r.status not in SHOWN)
    foot = []
    if rest > 0:
        foot.append(f"còn {rest} chỉ số khác")
    if others:
        foot.append(f"{others} chỉ số chưa có số liệu hoặc chưa có chỉ tiêu")
    c.text((40, y + 30), ("Ngoài ra: " + "; ".join(foot) + ". ") if foot else "", 24, fill=GREY)
    c.text(
        (40, y + 66),
        "kpi-xa · Ban Chỉ đạo KHCN, ĐMST, chuyển đổi số, CCHC và Đề án 06",
        22,
        fill=GREY,
    )
    return c.png()


def summary_text(s: Snapshot) -> str:
    """A few lines to paste under the picture."""
    counts = s.counts()
    lines = [
        f"{s.commune} — {present.coverage(s.period, s.as_of)}: "
        f"{counts.get(CHAM, 0)} chỉ số chậm, {counts.get(GAN_DAT, 0)} gần đạt, "
        f"{counts.get(DUNG_TIEN_DO, 0)} đúng tiến độ, {counts.get(DAT, 0)} đạt."
    ]
    lagging = [r for r in s.results if r.status in (CHAM, GAN_DAT)]
    for r in lagging[:8]:
        line = (
            f"- {present.status(r)} · {r.name}: {present.value(r)} (mục tiêu "
            f"{_target(r)}; {r.responsible})"
        )
        o = s.outlooks.get(r.id)
        if o is not None:
            line += f". {o.sentences[0]}"
        lines.append(line)
    if len(lagging) > 8:
        lines.append(f"- và {len(lagging) - 8} chỉ số chậm hoặc gần đạt khác.")
    return "\n".join(lines)
