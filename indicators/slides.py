"""The meeting's slides, as data: the status summary, each lagging or close indicator (lagging
first) with what it will take, the overdue cases by field and officer, the overdue tasks, and
the units whose monthly report is late. The page and the PDF draw the same content: tables
of at most ``ROWS`` rows, in words ready to show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from core import formatting as fmt
from core.periods import Period
from indicators import present
from indicators.compute import Engine, Result
from indicators.outlook import Outlook, lagging_outlooks
from indicators.overdue import overdue_view
from indicators.status import CHAM, GAN_DAT, STATUS_ORDER
from storage import tasks, unit_reports

ROWS = 7  # a projector shows this many rows in type read from the back of a room
TASK_ROWS = 5  # a task's text takes two lines even when shortened


def _short(text: object, n: int) -> str:
    """A cell cut to fit a slide; the whole text is on the page the slide names."""
    text = str(text)
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


@dataclass
class Slide:
    kind: str  # "tong_quan" | "chi_so" | "qua_han" | "nhiem_vu" | "bao_cao_don_vi"
    title: str
    indicator_id: str | None = None
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)  # caption, rows
    lines: list[str] = field(default_factory=list)  # sentences beside the chart or table
    more: str = ""  # «Còn 5 nhiệm vụ khác ở trang Nhiệm vụ.»


@dataclass
class Deck:
    period: Period
    commune: str
    as_of: dt.date
    slides: list[Slide]
    counts: dict[str, int]
    results: dict[str, Result]
    outlooks: dict[str, Outlook]


def _rows(frame: pd.DataFrame, what: str, n: int = ROWS) -> tuple[pd.DataFrame, str]:
    more = f"Còn {len(frame) - n} {what} khác." if len(frame) > n else ""
    return frame.head(n).reset_index(drop=True), more


def deck(
    engine: Engine,
    period: Period,
    commune: str | None,
    today: dt.date | None = None,
    outlooks: dict[str, Outlook] | None = None,
) -> Deck:
    """The slides; ``outlooks`` when the caller holds them already (the app caches them)."""
    today = today or dt.date.today()
    communes = engine.within([commune] if commune else engine.communes())
    end = engine.period_end(period, communes) or period.end
    card = engine.scorecard(period, commune)
    counts: dict[str, int] = {}
    for r in card:
        counts[r.status] = counts.get(r.status, 0) + 1
    behind = sorted(
        (r for r in card if r.status in (CHAM, GAN_DAT)),
        key=lambda r: (STATUS_ORDER[r.status], r.responsible, r.name),
    )
    if outlooks is None:
        outlooks = lagging_outlooks(engine, period, commune, card)
    name = commune or (communes[0] if len(communes) == 1 else present.commune(None))

    summary = pd.DataFrame(
        [
            {
                "Chỉ số": _short(r.short_name or r.name, 28),
                "Giá trị": present.value(r),
                "Mục tiêu": present.target(r),
                "Chủ trì": _short(r.responsible, 34),
            }
            for r in behind
        ]
    )
    rows, more = _rows(summary, "chỉ số chậm hoặc gần đạt")
    out = [
        Slide(
            "tong_quan",
            f"Tổng quan chỉ số — {period.label.split(':')[0]}",
            tables=[("Chỉ số chậm và gần đạt", rows)] if not rows.empty else [],
            lines=[present.coverage(period, end) + "."],
            more=more,
        )
    ]
    for r in behind:
        o = outlooks.get(r.id)
        lines = []
        if o is not None:
            lines.append(o.sentences[0])
            lines += [o.projection_sentence] if o.projection_sentence else []
            if o.main_contributor():
                lines.append(f"Tập trung vào: {o.main_contributor()}.")
        out.append(Slide("chi_so", r.name, r.id, lines=lines))

    view = overdue_view(engine.con, communes, period.start, end)
    heads = {
        "tre_han": "Trễ",
        "qua_han": "Quá hạn",
        "sap_den_han": "Sắp hạn",
        "tong": "Trễ + quá hạn",
    }  # «Tổng» read as including «Sắp hạn»
    by_field, more_f = _rows(
        view.late_by_field.assign(
            linh_vuc=[_short(v, 24) for v in view.late_by_field["linh_vuc"]]
        ).rename(columns={"linh_vuc": "Lĩnh vực", **heads}),
        "lĩnh vực",
    )
    by_officer, more_o = _rows(
        view.late_by_officer.assign(
            can_bo=[_short(v, 24) for v in view.late_by_officer["can_bo"]]
        ).rename(columns={"can_bo": "Cán bộ", **heads}),
        "cán bộ",
    )
    out.append(
        Slide(
            "qua_han",
            "Hồ sơ trễ hạn và quá hạn",
            tables=[("Theo lĩnh vực", by_field), ("Theo cán bộ xử lý", by_officer)]
            if not view.cases.empty
            else [],
            lines=[]
            if not view.cases.empty
            else ["Không có hồ sơ trễ hạn, quá hạn hay sắp đến hạn trong kỳ."],
            more=" ".join(m for m in (more_f, more_o) if m),
        )
    )

    listed = tasks.list_tasks(engine.con, communes, today)
    tally = tasks.tally(listed, today)
    late = pd.concat(
        [
            tally.overdue.assign(tinh_trang="Quá hạn"),
            tally.due_soon.assign(tinh_trang="Sắp đến hạn"),
        ]
    )
    task_rows = (
        pd.DataFrame()
        if late.empty
        else late.assign(
            han=[fmt.date(h) for h in late["han"]],
            noi_dung=[_short(t, 70) for t in late["noi_dung"]],
            chu_tri=[_short(t or "(chưa giao)", 34) for t in late["chu_tri"]],
        )[["tinh_trang", "noi_dung", "chu_tri", "han"]].rename(
            columns={
                "tinh_trang": "Tình trạng",
                "noi_dung": "Nhiệm vụ",
                "chu_tri": "Chủ trì",
                "han": "Hạn",
            }
        )
    )
    task_rows, more_t = _rows(task_rows, "nhiệm vụ", TASK_ROWS)
    out.append(
        Slide(
            "nhiem_vu",
            "Nhiệm vụ quá hạn và sắp đến hạn",
            tables=[("", task_rows)] if not task_rows.empty else [],
            lines=[tally.sentence() + "."]
            if not task_rows.empty
            else [tally.sentence() + ". Không có nhiệm vụ quá hạn hay sắp đến hạn."],
            more=more_t + (" Chi tiết ở trang Nhiệm vụ." if more_t else ""),
        )
    )

    if commune:
        month = end.replace(day=1)
        reg = unit_reports.register(engine.con, commune, month, today)
        missing = reg[reg["trang_thai"].isin(["qua_han", "muon"])]
        if not missing.empty:
            units = missing.assign(
                trang_thai=missing["trang_thai"].map(unit_reports.STATES),
                ngay_nhan=[fmt.date(d) if d else "—" for d in missing["ngay_nhan"]],
            )[["don_vi", "trang_thai", "so_ngay_muon"]].rename(
                columns={
                    "don_vi": "Đơn vị",
                    "trang_thai": "Tình trạng",
                    "so_ngay_muon": "Số ngày muộn",
                }
            )
            unit_rows, more_u = _rows(units, "đơn vị")
            out.append(
                Slide(
                    "bao_cao_don_vi",
                    f"Báo cáo đơn vị tháng {month:%m/%Y} chưa đúng hạn",
                    tables=[("", unit_rows)],
                    lines=[
                        f"Hạn báo cáo: trước ngày {unit_reports.DUE_DAY} hằng "
                        "tháng (Công văn 001, mục 7)."
                    ],
                    more=more_u,
                )
            )
    from indicators.followup import previous_slides  # it draws with this module's Slide

    out[:0] = previous_slides(engine.con, commune, today)  # «Kết luận kỳ trước» opens
    return Deck(period, name, end, out, counts, {r.id: r for r in card}, outlooks)


def slides(engine: Engine, period: Period, commune: str | None) -> list[Slide]:
    return deck(engine, period, commune).slides
