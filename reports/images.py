"""Static chart images drawn with Pillow: the report's charts and the scorecard picture for
Zalo. No browser is started (kaleido took about 3 s a chart cold, 0,6 s warm), so a report
with its charts is ready while the committee waits and works on a machine without Chromium.

Everything is drawn at twice the size and scaled down, which smooths lines and text."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from core import formatting as fmt
from core.type_enums import Status
from indicators.definitions import Indicator
from indicators.status import STATUS_LABELS, status_note

SS = 2  # supersampling factor
BLUE, RED, ORANGE = "#0d6efd", "#dc3545", "#fd7e14"
GREY, GRID, INK = "#6c757d", "#e9ecef", "#212529"
STATUS_COLOURS = {s.value: s.colour for s in Status}
FONT_FILES = {
    False: (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ),
    True: (
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
}


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A font with Vietnamese letters at ``size`` px (before supersampling)."""
    for candidate in FONT_FILES[bold]:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size * SS)
    return ImageFont.load_default(size * SS)


def plain_symbols(text: str) -> str:
    """Signs the Vietnamese fonts lack, in words: «≥ 98%» becomes «từ 98%»."""
    return (
        text.replace("≥ ", "từ ")
        .replace("≤ ", "tối đa ")
        .replace("≥", "từ ")
        .replace("≤", "tối đa ")
    )


SYMBOL_FONTS = {
    False: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    True: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}
SIGNS = "≥≤"


@lru_cache(maxsize=16)
def _symbol_font(size: int, bold: bool) -> ImageFont.FreeTypeFont | None:
    path = Path(SYMBOL_FONTS[bold])
    return ImageFont.truetype(str(path), size * SS) if path.exists() else None


def _runs(text: str, size: int, bold: bool) -> list[tuple[str, Any]]:
    """The text in pieces with the font that draws each: «≥» and «≤» from DejaVu (Noto Sans
    lacks them), else said in words (``plain_symbols``) when no such font is installed."""
    main = font(size, bold)
    signs = _symbol_font(size, bold)
    if signs is None or not any(ch in text for ch in SIGNS):
        return [(plain_symbols(text) if signs is None else text, main)]
    parts: list[tuple[str, Any]] = []
    for ch in text:
        f = signs if ch in SIGNS else main
        if parts and parts[-1][1] is f:
            parts[-1] = (parts[-1][0] + ch, f)
        else:
            parts.append((ch, f))
    return parts


class Canvas:
    """A white image in final-size coordinates; ``save`` scales the supersampled drawing."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.image = Image.new("RGB", (width * SS, height * SS), "white")
        self.draw = ImageDraw.Draw(self.image)

    def text(
        self,
        xy: tuple[float, float],
        text: str,
        size: int,
        *,
        fill: str = INK,
        bold: bool = False,
        anchor: str = "la",
    ) -> None:
        parts = _runs(text, size, bold)
        if len(parts) == 1:
            self.draw.text(
                (xy[0] * SS, xy[1] * SS), parts[0][0], font=parts[0][1], fill=fill, anchor=anchor
            )
            return
        # «≥ 98%» as on the screen: the sign from a font that has it, the rest from ours
        total = sum(self.draw.textlength(t, font=f) for t, f in parts)
        x = xy[0] * SS - {"l": 0.0, "m": total / 2, "r": total}[anchor[0]]
        for t, f in parts:
            self.draw.text((x, xy[1] * SS), t, font=f, fill=fill, anchor="l" + anchor[1])
            x += self.draw.textlength(t, font=f)

    def text_width(self, text: str, size: int, bold: bool = False) -> float:
        return sum(self.draw.textlength(t, font=f) for t, f in _runs(text, size, bold)) / SS

    def fit(self, text: str, size: int, width: float, bold: bool = False) -> str:
        """The text, cut with «…» so that it fits ``width``."""
        if self.text_width(text, size, bold) <= width:
            return text
        while text and self.text_width(text + "…", size, bold) > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def wrap(self, text: str, size: int, width: float, bold: bool = False) -> list[str]:
        """The text broken into lines that fit ``width``, at word boundaries."""
        lines: list[str] = []
        line = ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if self.text_width(trial, size, bold) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        return lines + ([line] if line else [])

    def line(
        self,
        points: Sequence[tuple[float, float]],
        fill: str,
        width: float,
        dash: tuple[int, int] | None = None,
    ) -> None:
        pts = [(x * SS, y * SS) for x, y in points]
        if dash is None:
            self.draw.line(pts, fill=fill, width=int(width * SS), joint="curve")
            return
        on, off = dash[0] * SS, dash[1] * SS
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            length = math.hypot(x1 - x0, y1 - y0)
            pos = 0.0
            while pos < length:
                end = min(pos + on, length)
                a, b = pos / length, end / length
                self.draw.line(
                    [
                        (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                        (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b),
                    ],
                    fill=fill,
                    width=int(width * SS),
                )
                pos += on + off

    def rect(self, box: tuple[float, float, float, float], fill: str) -> None:
        self.draw.rectangle([v * SS for v in box], fill=fill)

    def dot(self, xy: tuple[float, float], radius: float, fill: str) -> None:
        x, y = xy
        self.draw.ellipse(
            [(x - radius) * SS, (y - radius) * SS, (x + radius) * SS, (y + radius) * SS],
            fill=fill,
            outline="white",
            width=2 * SS,
        )

    def png(self) -> bytes:
        import io

        out = io.BytesIO()
        self.image.resize((self.width, self.height), Image.Resampling.LANCZOS).save(
            out, format="PNG"
        )
        return out.getvalue()

    def save(self, path: Path) -> Path:
        path.write_bytes(self.png())
        return path


def nice_ticks(top: float, count: int = 5, low: float = 0.0) -> list[float]:
    """Round steps (1, 2, 2,5 or 5 times a power of ten) from at most ``low`` to at least
    ``top``."""
    if top <= low:
        return [low, low + 1.0]
    raw = (top - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def _legend(c: Canvas, items: list[tuple[str, str, tuple[int, int] | None]], y: float) -> None:
    x = 110.0
    for label, colour, dash in items:
        c.line([(x, y), (x + 44, y)], colour, 4, dash)
        c.text((x + 54, y), label, 18, anchor="lm")
        x += 54 + c.text_width(label, 18) + 40


def trend_chart(
    ind: Indicator, trend: pd.DataFrame, *, width: int = 1200, height: int = 560
) -> Canvas:
    """The monthly values with their status colours and labels, the year's target and,
    where the target is pro-rated, the path the value should follow."""
    k = 100.0 if ind.unit == "percent" else 1.0
    c = Canvas(width, height)
    c.text((30, 22), c.fit(ind.name, 26, width - 60, bold=True), 26, bold=True)
    left, right, top, bottom = 110.0, width - 40.0, 96.0, height - 110.0
    # months before the first figure are left out: they would squeeze the line to one side
    filled = [i for i, v in enumerate(trend["value"]) if v is not None and not pd.isna(v)]
    trend = trend.iloc[filled[0] :] if filled else trend
    months = list(trend["thang"])

    def series(col: str) -> list[float | None]:
        return [None if v is None or pd.isna(v) else float(v) * k for v in trend[col]]

    values, targets, expected = series("value"), series("target"), series("expected")
    show_expected = any(e is not None for e in expected) and expected != targets
    seen = [v for v in values + targets + (expected if show_expected else []) if v is not None]
    hi, lo = (max(seen), min(seen)) if seen else (1.0, 0.0)
    # a line is read by its changes: values close together (96–98%) get an axis that
    # starts near them instead of at 0, where they would look flat
    spread = max(hi - lo, hi * 0.02, 1e-9)
    floor = 0.0 if lo < hi * 0.5 else max(0.0, lo - spread * 0.8)
    ticks = nice_ticks(hi + spread * 0.35, 5, floor)
    if ind.unit == "percent" and ticks[-1] > 100 >= hi:
        ticks = [t for t in ticks if t < 100] + [100.0]
    ymin, ymax = ticks[0], ticks[-1]
    c.text(
        (left - 70, top - 30),
        "Tỷ lệ (%)" if ind.unit == "percent" else (ind.unit_label or "Số lượng"),
        16,
        fill=GREY,
    )

    def y_of(v: float) -> float:
        return bottom - (v - ymin) / ((ymax - ymin) or 1.0) * (bottom - top)

    for t in ticks:
        c.line([(left, y_of(t)), (right, y_of(t))], GRID, 1.5)
        c.text(
            (left - 12, y_of(t)), fmt.number(t, 0 if t == int(t) else 1), 16, fill=GREY, anchor="rm"
        )
    if ymin > 0:  # say so: the axis does not start at 0
        c.text(
            (right, top - 30),
            f"trục dọc bắt đầu từ {fmt.number(ymin, 1 if ymin % 1 else 0)}",
            15,
            fill=GREY,
            anchor="ra",
        )
    n = max(len(months), 1)
    step = (right - left) / n

    def x_of(i: int) -> float:
        return left + step * (i + 0.5)

    for i, m in enumerate(months):
        c.text((x_of(i), bottom + 14), f"{m:%m/%Y}", 15, fill=GREY, anchor="ma")
    for line, colour, dash in (
        (targets, RED, (14, 8)),
        (expected if show_expected else [], ORANGE, (4, 7)),
    ):
        pts = [(x_of(i), y_of(v)) for i, v in enumerate(line) if v is not None]
        if len(pts) >= 2:
            c.line(pts, colour, 3, dash)
    run: list[tuple[float, float]] = []
    for i, v in enumerate([*values, None]):
        if v is None:
            if len(run) >= 2:
                c.line(run, BLUE, 4)
            run = []
        else:
            run.append((x_of(i), y_of(v)))
    for i, (v, s) in enumerate(zip(values, trend["status"], strict=True)):
        if v is None:
            continue
        c.dot((x_of(i), y_of(v)), 8, STATUS_COLOURS.get(s, BLUE))
        c.text(
            (x_of(i), y_of(v) - 14),
            fmt.value(v / k, ind.unit, ind.decimals),
            16,
            bold=True,
            anchor="md",
        )
    legend: list[tuple[str, str, tuple[int, int] | None]] = [("Thực hiện", BLUE, None)]
    if any(t is not None for t in targets):
        legend.append(("Chỉ tiêu năm", RED, (14, 8)))
    if show_expected:
        legend.append(("Tiến độ cần đạt", ORANGE, (4, 7)))
    _legend(c, legend, height - 40)
    return c


# what a meeting discusses; «no data» and «no target» are said in a line below the bars
DISCUSSED = ("cham", "gan_dat", "thieu_so_lieu_goc", "dung_tien_do", "dat")


def status_chart(counts: dict[str, int], *, width: int = 1200, height: int = 560) -> Canvas:

    c = Canvas(width, height)
    c.text((30, 22), "Số chỉ số theo tình trạng", 26, bold=True)
    left, right, top, bottom = 80.0, width - 40.0, 100.0, height - 120.0
    shown = [s for s in DISCUSSED if counts.get(s)]
    ticks = nice_ticks(max([counts[s] for s in shown] or [1]) * 1.15)
    ymax = ticks[-1] or 1.0
    for t in ticks:
        y = bottom - t / ymax * (bottom - top)
        c.line([(left, y), (right, y)], GRID, 1.5)
        c.text((left - 12, y), fmt.number(t), 16, fill=GREY, anchor="rm")
    slot = (right - left) / max(len(shown), 1)
    for i, s in enumerate(shown):
        x0 = left + slot * i + slot * 0.2
        x1 = left + slot * (i + 1) - slot * 0.2
        y = bottom - counts[s] / ymax * (bottom - top)
        c.rect((x0, y, x1, bottom), STATUS_COLOURS[s])
        c.text(((x0 + x1) / 2, y - 10), fmt.number(counts[s]), 22, bold=True, anchor="md")
        c.text(((x0 + x1) / 2, bottom + 14), STATUS_LABELS[s], 20, anchor="ma")
    aside = status_note(counts)
    if aside:
        c.text((30, height - 40), aside, 18, fill=GREY, anchor="lm")
    return c
