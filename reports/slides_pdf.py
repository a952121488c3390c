"""The meeting's slides as one PDF for a projector PC without the network: one 16:9 page per
slide, the same content as meeting mode (indicators.slides), drawn with Pillow."""

from __future__ import annotations

import io

import pandas as pd
from PIL import Image

from core.type_enums import ALL_COMMUNES
from indicators import present
from indicators.compute import Engine
from indicators.slides import Deck, Slide
from reports.images import INK, SS, Canvas, status_chart, trend_chart

W, H = 1600, 900
BAND = "#0b3d91"


def _header(c: Canvas, d: Deck, s: Slide, n: int) -> None:
    c.rect((0, 0, W, 110), BAND)
    c.text((50, 26), c.fit(s.title, 44, W - 420, bold=True), 44, fill="white", bold=True)
    c.text((W - 50, 34), f"{d.period.label} · {d.commune}", 24, fill="#dbe6ff", anchor="ra")
    c.text(
        (W - 50, 70),
        f"Trang {n}/{len(d.slides)} · số liệu đến {d.as_of:%d/%m/%Y}",
        22,
        fill="#dbe6ff",
        anchor="ra",
    )


def _lines(c: Canvas, lines: list[str], x: float, y: float, width: float, size: int = 28) -> float:
    for text in lines:
        for part in c.wrap(text, size, width):
            c.text((x, y), part, size)
            y += size * 1.35
        y += size * 0.5
    return y


BOTTOM = H - 50  # the line under the last table («Còn 18 nhiệm vụ khác ...») stays free


def _table(
    c: Canvas, frame: pd.DataFrame, x: float, y: float, width: float, size: int = 28
) -> float:
    """A table whose cells wrap (never «…»), each row as tall as its longest cell, in the
    largest type from ``size`` down that keeps it on the page."""
    while size > 16 and _table_at(c, frame, x, y, width, size, draw=False) > BOTTOM:
        size -= 2
    return _table_at(c, frame, x, y, width, size, draw=True)


def _table_at(
    c: Canvas, frame: pd.DataFrame, x: float, y: float, width: float, size: int, *, draw: bool
) -> float:
    cols = list(frame.columns)
    widths = [
        max(c.text_width(str(h), size, True), *(c.text_width(str(v), size) for v in frame[h])) + 30
        for h in cols
    ]
    excess = sum(widths) - width
    if excess > 0:  # the long text columns give way, each in proportion to its length
        wide = {i: w - 160 for i, w in enumerate(widths) if w > 160}
        room = sum(wide.values())
        for i, extra in wide.items():
            widths[i] -= excess * extra / room
    line_h, pad = size * 1.3, size * 0.35

    def row(values: list[str], bold: bool, top: float, fill: str | None) -> float:
        cells = [c.wrap(v, size, w - 24, bold) for v, w in zip(values, widths, strict=True)]
        height = max(len(lines) for lines in cells) * line_h + 2 * pad
        if not draw:
            return top + height
        if fill:
            c.rect((x, top, x + width, top + height), fill)
        cx = x
        for lines, w in zip(cells, widths, strict=True):
            for k, text in enumerate(lines):
                c.text((cx + 12, top + pad + k * line_h), text, size, bold=bold)
            cx += w
        return top + height

    y = row([str(h) for h in cols], True, y, "#e9ecef")
    for values in frame.itertuples(index=False):
        y = row([str(v) for v in values], False, y, None)
        if draw:
            c.line([(x, y), (x + width, y)], "#dee2e6", 1.5)
    return y + 20


def _slide(engine: Engine, d: Deck, s: Slide, n: int) -> Image.Image:
    c = Canvas(W, H)
    _header(c, d, s, n)
    if s.kind == "tong_quan":
        chart = status_chart(d.counts, width=760, height=680)
        c.image.paste(chart.image, (40 * SS, 150 * SS))
        y = 150.0
        for caption, frame in s.tables:
            c.text((840, y), caption, 28, bold=True)
            y = _table(c, frame, 840, y + 48, W - 880, 28)
    elif s.kind == "chi_so" and s.indicator_id:
        r = d.results[s.indicator_id]
        ind = engine.catalog.indicators[s.indicator_id]
        chart = trend_chart(
            ind,
            engine.trend(ind.id, d.period, None if d.commune == ALL_COMMUNES else d.commune),
            width=960,
            height=700,
        )
        c.image.paste(chart.image, (30 * SS, 140 * SS))
        facts = [
            f"Giá trị: {present.value(r)}",
            f"Chỉ tiêu: {present.target(r)}",
            f"Tình trạng: {present.status(r)}",
            f"Chủ trì: {r.responsible}",
        ]
        y = _lines(c, facts, 1010, 150, W - 1040, 32)
        _lines(c, s.lines, 1010, y + 10, W - 1040, 30)
    else:
        y = 150.0
        if s.lines:
            y = _lines(c, s.lines, 50, y, W - 100, 34)
        tables = [t for t in s.tables if not t[1].empty]
        if len(tables) == 2:
            half = (W - 140) / 2
            for i, (caption, frame) in enumerate(tables):
                x = 50 + i * (half + 40)
                c.text((x, y), caption, 32, bold=True)
                _table(c, frame, x, y + 52, half, 30)
        else:
            for caption, frame in tables:
                if caption:
                    c.text((50, y), caption, 32, bold=True)
                    y += 52
                y = _table(c, frame, 50, y, W - 100, 32)
    if s.more:
        c.text((50, H - 30), s.more, 22, fill=INK)
    return c.image.resize((W, H), Image.Resampling.LANCZOS)


def deck_pdf(engine: Engine, d: Deck) -> bytes:
    pages = [_slide(engine, d, s, i) for i, s in enumerate(d.slides, start=1)]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    return out.getvalue()
