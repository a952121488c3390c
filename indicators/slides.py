"""The meeting's slides, as data: the status summary, then each lagging or close
indicator's trend (lagging first), then the overdue cases. Pages and reports render them."""

from __future__ import annotations

from dataclasses import dataclass

from core.periods import Period
from indicators.compute import Engine
from indicators.status import CHAM, GAN_DAT, STATUS_ORDER


@dataclass(frozen=True)
class Slide:
    kind: str  # "tong_quan" | "chi_so" | "qua_han" | "nhiem_vu"
    title: str
    indicator_id: str | None = None


def slides(engine: Engine, period: Period, commune: str | None) -> list[Slide]:
    card = engine.scorecard(period, commune)
    out = [Slide("tong_quan", f"Tổng quan chỉ số — {period.label}")]
    behind = sorted((r for r in card if r.status in (CHAM, GAN_DAT)),
                    key=lambda r: (STATUS_ORDER[r.status], r.responsible, r.name))
    out += [Slide("chi_so", r.name, r.id) for r in behind]
    out.append(Slide("qua_han", "Hồ sơ trễ hạn và quá hạn"))
    out.append(Slide("nhiem_vu", "Nhiệm vụ quá hạn và sắp đến hạn"))
    return out
