"""Numbers as a Vietnamese reader expects them: decimal comma, dot for thousands."""

from __future__ import annotations


def number(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(value: float | None, decimals: int = 1) -> str:
    return "—" if value is None else number(value * 100, decimals) + "%"


def value(v: float | None, unit: str, decimals: int = 1) -> str:
    if unit == "percent":
        return percent(v, decimals)
    return number(v, decimals)


def date(d) -> str:
    return "—" if d is None else f"{d:%d/%m/%Y}"
