"""Plotly figures for the pages, the meeting mode and the report: large Vietnamese labels,
rates in percent with a decimal comma, the target line and the expected path."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core import formatting as fmt
from core.text import plain_plot
from core.type_enums import Status
from indicators.definitions import Indicator

STATUS_COLOURS = {s.value: s.colour for s in Status}
FONT = dict(family="Noto Sans, Arial, sans-serif", size=18)


def _scale(ind: Indicator) -> float:
    return 100.0 if ind.unit == "percent" else 1.0


def _axis_title(ind: Indicator) -> str:
    if ind.unit == "percent":
        return "Tỷ lệ (%)"
    return ind.unit_label or "Số lượng"


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    # the legend under the title, not under the month labels (they collided); the axes
    # take the room their labels need (automargin), so nothing is cut at any width
    fig.update_layout(
        title=dict(text=title, font=dict(size=24), y=0.98, yanchor="top"),
        font=FONT,
        height=height,
        separators=",.",
        margin=dict(l=60, r=30, t=96, b=40),
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom"),
        plot_bgcolor="white",
    )
    fig.update_xaxes(showgrid=False, automargin=True)
    fig.update_yaxes(gridcolor="#e9ecef", automargin=True)
    return fig


def trend_figure(ind: Indicator, trend: pd.DataFrame, *, height: int = 480) -> go.Figure:
    """The monthly values, the year's target as a line and, where the target is pro-rated,
    the path the value should follow."""
    k = _scale(ind)
    # «11/25»: short enough to stand level under a narrow chart, never cut to «11/2»
    months = [f"{m:%m/%y}" for m in trend["thang"]]
    values = [None if v is None or pd.isna(v) else v * k for v in trend["value"]]
    # a value over each point when there are few; else over the latest one only, so no two
    # labels overlap («92,0%92,0%»): the others are read on the axis or by pointing at them
    known = [i for i, v in enumerate(values) if v is not None]
    labelled = set(known) if len(known) <= 4 else set(known[-1:])
    labels = [
        fmt.value(v, ind.unit, ind.decimals) if i in labelled else ""
        for i, v in enumerate(trend["value"])
    ]
    colours = [STATUS_COLOURS.get(s, "#0d6efd") for s in trend["status"]]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=months,
            y=values,
            mode="lines+markers+text",
            name="Thực hiện",
            text=labels,
            textposition="top center",
            cliponaxis=False,
            line=dict(color="#0d6efd", width=4),
            marker=dict(size=14, color=colours),
        )
    )
    targets = trend["target"].dropna()
    if not targets.empty:
        fig.add_trace(
            go.Scatter(
                x=months,
                y=[None if pd.isna(t) else t * k for t in trend["target"]],
                mode="lines",
                name="Chỉ tiêu 2026",
                line=dict(color="#dc3545", width=3, dash="dash"),
            )
        )
        expected = trend["expected"]
        if expected.notna().any() and not (expected.fillna(0) == trend["target"].fillna(0)).all():
            fig.add_trace(
                go.Scatter(
                    x=months,
                    y=[None if pd.isna(e) else e * k for e in expected],
                    mode="lines",
                    name="Tiến độ cần đạt",
                    line=dict(color="#fd7e14", width=3, dash="dot"),
                )
            )
    fig.update_yaxes(title_text=_axis_title(ind))
    _layout(fig, ind.name, height)
    fig.update_xaxes(type="category", tickfont=dict(size=15))
    # headroom above the highest point for its value, so the label stays inside the plot
    # and clear of the legend above it
    drawn = [y for trace in fig.data for y in (trace.y or ()) if y is not None]
    if drawn:
        low, high = min(drawn), max(drawn)
        span = (high - low) or abs(high) * 0.1 or 1.0
        fig.update_yaxes(range=[low - 0.08 * span, high + 0.22 * span])
    return fig


def breakdown_figure(
    ind: Indicator, parts: pd.DataFrame, label: str, *, top: int = 15, height: int = 480
) -> go.Figure:
    k = _scale(ind)
    shown = parts.head(top).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            # a group's name comes from a file: plotly would draw its <a href> as a link
            x=shown["gia_tri"] * k,
            y=[plain_plot(n) for n in shown["nhom"]],
            orientation="h",
            text=[fmt.value(v, ind.unit, ind.decimals) for v in shown["gia_tri"]],
            textposition="outside",
            cliponaxis=False,
            marker_color="#0d6efd",
        )
    )
    # room right of the longest bar for its value
    top_value = float((shown["gia_tri"] * k).max()) if not shown.empty else 0.0
    fig.update_xaxes(title_text=_axis_title(ind), range=[0, top_value * 1.3 or 1])
    return _layout(fig, f"{ind.short_name} theo {label.lower()}", height)


def status_figure(counts: dict[str, int], *, height: int = 420) -> go.Figure:
    from indicators.status import STATUS_LABELS, STATUS_ORDER

    # what a meeting discusses; «no data» and «no target» are said beside the chart
    order = sorted(
        (s for s in counts if s not in ("khong_co_du_lieu", "chua_co_chi_tieu", "chua_cap_nhat")),
        key=lambda s: STATUS_ORDER[s],
    )
    # long labels broken over lines and kept level: slanted, they ran off a narrow chart
    fig = go.Figure(
        go.Bar(
            x=[_lines(STATUS_LABELS[s], 12) for s in order],
            y=[counts[s] for s in order],
            text=[counts[s] for s in order],
            textposition="outside",
            cliponaxis=False,
            marker_color=[STATUS_COLOURS[s] for s in order],
        )
    )
    fig.update_yaxes(title_text="Số chỉ số")
    _layout(fig, "Số chỉ số theo tình trạng", height)
    fig.update_xaxes(tickangle=0)
    return fig


def _lines(label: str, width: int) -> str:
    """A label broken into lines of about ``width`` characters (plotly's «<br>»)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def heat_figure(grid: pd.DataFrame, *, title: str = "Trạng thái chỉ số theo xã") -> go.Figure:
    """Communes (rows) × indicators (columns) coloured by status: red lagging, amber close,
    green met, blank without a target or a figure."""
    labels = {0: "Chậm", 1: "Gần đạt", 2: "Đạt"}
    text = [[labels.get(int(v), "") if v == v else "" for v in row] for row in grid.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[plain_plot(c) for c in grid.columns],
            y=[plain_plot(c) for c in grid.index],
            text=text,
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
            zmin=0,
            zmax=2,
            xgap=2,
            ygap=2,
            colorscale=[
                [0, STATUS_COLOURS["cham"]],
                [0.33, STATUS_COLOURS["cham"]],
                [0.34, STATUS_COLOURS["gan_dat"]],
                [0.66, STATUS_COLOURS["gan_dat"]],
                [0.67, STATUS_COLOURS["dat"]],
                [1, STATUS_COLOURS["dat"]],
            ],
            showscale=False,
        )
    )
    height = max(320, 28 * len(grid.index) + 220)
    _layout(fig, title, height)
    fig.update_layout(font=dict(size=14), margin=dict(l=160, r=20, t=80, b=200))
    fig.update_xaxes(tickangle=-45, side="bottom")
    fig.update_yaxes(autorange="reversed", gridcolor=None)
    return fig
