"""The one error type a rejected file raises, with problems a person can act on."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One bad cell or row: where it is as the user sees it in Excel, and why."""

    reason: str
    row: int | None = None  # 1-based row number as in Excel
    column: str | None = None  # the header as written in the file
    value: str | None = None
    sheet: str | None = None

    def describe(self) -> str:
        where = []
        if self.sheet:
            where.append(f"trang «{self.sheet}»")
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột «{self.column}»")
        text = ", ".join(where)
        value = f" giá trị «{self.value}»" if self.value not in (None, "") else ""
        return f"{text}:{value} — {self.reason}" if text else f"{self.reason}{value}"


@dataclass
class ImportRejected(Exception):
    """A file that cannot be imported. Nothing of it is stored."""

    file_name: str
    reason: str
    problems: list[Problem] = field(default_factory=list)
    hint: str = ""

    def __str__(self) -> str:
        return self.message()

    def message(self, limit: int = 20) -> str:
        lines = [f"Tệp «{self.file_name}» bị từ chối: {self.reason}"]
        for problem in self.problems[:limit]:
            lines.append(f"  - {problem.describe()}")
        if len(self.problems) > limit:
            lines.append(f"  ... và {len(self.problems) - limit} lỗi khác.")
        if self.hint:
            lines.append(f"  Cách xử lý: {self.hint}")
        return "\n".join(lines)
