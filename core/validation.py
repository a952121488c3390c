"""What a figure may be, the one rule every write path applies (the entry form, the Excel
template, the command line): a rate from 0% to 100%, no negative count, a numerator no larger
than its denominator, a denominator above zero. Each finding names the field and says what
to write instead, in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass

from core import formatting as fmt


@dataclass(frozen=True)
class Finding:
    field: str  # gia_tri, tu_so, mau_so
    value: float
    reason: str


def check_figure(
    unit: str, value: float | None, numerator: float | None, denominator: float | None
) -> list[Finding]:
    """Everything wrong with one figure; an empty list when it may be stored."""
    out: list[Finding] = []
    for name, v, label in (("tu_so", numerator, "tử số"), ("mau_so", denominator, "mẫu số")):
        if v is not None and v < 0:
            out.append(Finding(name, v, f"{label} không được âm"))
    if denominator is not None and denominator == 0 and numerator is not None:
        out.append(Finding("mau_so", denominator, "mẫu số phải lớn hơn 0"))
    if numerator is not None and denominator is not None and 0 <= denominator < numerator:
        out.append(
            Finding(
                "tu_so",
                numerator,
                f"tử số {fmt.number(numerator, 0)} lớn hơn mẫu số "
                f"{fmt.number(denominator, 0)}; tử số là phần đạt của mẫu số",
            )
        )
    if value is not None:
        if unit == "percent" and not 0 <= value <= 1:
            out.append(
                Finding(
                    "gia_tri",
                    value,
                    f"tỷ lệ {fmt.percent(value, 1)} không hợp lệ: tỷ lệ phải từ 0% "
                    "đến 100% (ví dụ 97,6%)",
                )
            )
        elif unit != "percent" and value < 0:
            out.append(
                Finding(
                    "gia_tri", value, f"{fmt.number(value, 2)} không hợp lệ: số lượng không được âm"
                )
            )
    return out
