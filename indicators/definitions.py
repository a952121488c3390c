"""Indicator definitions and targets, loaded from YAML and checked loudly at start.

Each file is first validated by a schema (pydantic, ``extra="forbid"``): an unknown or
misspelt key, a wrong type or a missing field fails naming the file, the indicator and the
field. Then the typed models are checked against each other (target ids, report measures)
and every filter is run once against an empty case table in DuckDB."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import duckdb
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic import Field as PydField

from core.errors import DefinitionError
from core.schema import case_table_sql
from loaders.vocabulary import load as load_vocab

# the C parser when PyYAML has it: five times faster on these files
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
HERE = Path(__file__).resolve().parent
DEFINITIONS_DIR = HERE / "definitions"
TARGETS_DIR = HERE / "targets"

# The case sets of docs/indicators.md §2. "family" says which date places a case in a month:
# flows by the received or ended date; the open-at-end stock is counted at a date.
CASE_SETS: dict[str, tuple[str, str]] = {
    "received": ("received", "TRUE"),
    "ended": ("ended", "TRUE"),
    "solved": ("ended", "trang_thai IN ('da_tra_ket_qua', 'da_xu_ly_xong')"),
    "open_at_end": ("open", "TRUE"),
}
STOCK_MEASURES = {
    "bieu_06a.dang_gq_tong_so",
    "bieu_06a.dang_gq_trong_han",
    "bieu_06a.dang_gq_qua_han",
}
_CASE_TABLE = case_table_sql("ho_so")


@dataclass(frozen=True)
class Term:
    set: str
    where: str = "TRUE"

    @property
    def family(self) -> str:
        return CASE_SETS[self.set][0]

    def condition(self) -> str:
        base = CASE_SETS[self.set][1]
        return f"({base}) AND ({self.where})"

    @property
    def key(self) -> str:
        return f"{self.set}|{self.where}"


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    short_name: str
    group: str
    group_name: str
    responsible: str
    unit: str
    direction: str
    decimals: int
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...]
    aggregate_numerator: tuple[str, ...]
    aggregate_denominator: tuple[str, ...]
    manual: bool
    aggregation: str
    explanation: str
    source: str
    unit_label: str = ""
    in_scorecard: bool = True  # False: a figure for the monthly report, not an indicator
    numerator_label: str = ""  # what the numerator counts, in words: «hồ sơ được số hóa»
    # a hand-entered figure stays current this many months after its own month; later it
    # is «chưa cập nhật» instead of being carried forward silently
    carry_months: int = 2


@dataclass(frozen=True)
class Target:
    indicator: str
    year: int
    kind: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    baseline_year: int | None = None
    due: dt.date | None = None
    band: float | None = None
    prorate: bool = False
    source: str = ""
    document: str = ""
    commune: str | None = None
    growth: str = "relative"  # a growth target: "relative" (x 1,25) or "points" (+ 25 points)


@dataclass
class Catalog:
    indicators: dict[str, Indicator]
    targets: list[Target] = field(default_factory=list)

    def target_for(self, indicator_id: str, year: int, commune: str | None) -> Target | None:
        found = [
            t
            for t in self.targets
            if t.indicator == indicator_id and t.year == year and t.commune in (None, commune)
        ]
        # a commune's own target overrides the programme's
        found.sort(key=lambda t: t.commune is None)
        return found[0] if found else None


def _fail(path: Path, where: str, message: str) -> DefinitionError:
    return DefinitionError(f"{path.name}: {where}: {message}")


# --- the schema of the YAML files: unknown keys are errors, not silently ignored ---


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class TermSpec(_Strict):
    set: Literal["received", "ended", "solved", "open_at_end"]
    where: str = "TRUE"


class AggregateSpec(_Strict):
    numerator: list[str] = PydField(default_factory=list)
    denominator: list[str] = PydField(default_factory=list)


class IndicatorSpec(_Strict):
    id: str = PydField(pattern=r"^[a-z0-9_]+$")
    name: str = PydField(min_length=1)
    short_name: str | None = None
    responsible: str = PydField(min_length=1)
    unit: Literal["percent", "count", "value"]
    unit_label: str = ""
    direction: Literal["higher", "lower"]
    decimals: int = PydField(default=1, ge=0, le=4)
    manual: bool = False
    aggregation: Literal["flow", "last"] | None = None
    numerator: list[TermSpec] | None = None
    denominator: list[TermSpec] | None = None
    aggregate: AggregateSpec | None = None
    explanation: str = ""
    source: str = ""
    in_scorecard: bool = True
    numerator_label: str = ""
    carry_months: int = PydField(default=2, ge=0, le=11)


class DefinitionFile(_Strict):
    group: str
    group_name: str
    indicators: list[IndicatorSpec] = PydField(min_length=1)


class TargetSpec(_Strict):
    indicator: str
    kind: Literal["min", "max", "range", "growth", "deadline"]
    year: int | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    baseline_year: int | None = None
    due: dt.date | None = None
    band: float | None = PydField(default=None, gt=0)
    prorate: bool = False
    source: str = ""
    commune: str | None = None
    growth: Literal["relative", "points"] = "relative"


class TargetFile(_Strict):
    year: int
    document: str = ""
    targets: list[TargetSpec] = PydField(default_factory=list)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path.name}: YAML sai cú pháp: {exc}") from None


def _validate(path: Path, model: type[BaseModel], raw: Any, label_list: str) -> Any:
    """The file as typed models, or a DefinitionError naming the file, item and field."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        where = []
        if (
            len(loc) >= 2
            and loc[0] == label_list
            and isinstance(loc[1], int)
            and isinstance(raw, dict)
        ):
            items = raw.get(label_list) or []
            item = items[loc[1]] if loc[1] < len(items) else {}
            ident = item.get("id") or item.get("indicator") if isinstance(item, dict) else None
            where.append(f"chỉ số {ident}" if ident else f"{label_list}[{loc[1]}]")
            loc = loc[2:]
        field_name = "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in loc)
        field_name = field_name.lstrip(".") or label_list
        message = {
            "extra_forbidden": "trường không có trong lược đồ (viết sai tên trường?)",
            "missing": "thiếu trường bắt buộc",
            "literal_error": "giá trị không hợp lệ",
        }.get(err["type"], err["msg"])
        if err["type"] == "literal_error":
            message += f" ({err['msg']})"
        raise _fail(
            path, ".".join([*where, field_name]) if where else field_name, message
        ) from None


def _terms(
    path: Path, where: str, raw: list[TermSpec] | None, checker: Callable[[Path, str, str], None]
) -> tuple[Term, ...]:
    if raw is None:
        return ()
    terms = []
    for i, item in enumerate(raw):
        checker(path, f"{where}[{i}].where", item.where)
        terms.append(Term(item.set, item.where))
    return tuple(terms)


def _sql_checker() -> Callable[[Path, str, str], None]:
    con = duckdb.connect(":memory:")
    con.execute(_CASE_TABLE)

    def check(path: Path, where: str, condition: str) -> None:
        if ";" in condition:
            raise _fail(path, where, "điều kiện không được chứa dấu ';'")
        sql = condition.replace(":end", "DATE '2026-01-31'")
        try:
            con.execute(f"SELECT count(*) FILTER (WHERE {sql}) FROM ho_so").fetchall()
        except duckdb.Error as exc:
            raise _fail(path, where, f"điều kiện SQL sai: {condition!r} ({exc})") from None

    return check


@lru_cache(maxsize=8)
def load_catalog(
    definitions_dir: Path = DEFINITIONS_DIR, targets_dir: Path = TARGETS_DIR
) -> Catalog:
    measures = {f"{k}.{f}" for k, spec in load_vocab().kinds.items() for f in spec.fields}
    check = _sql_checker()
    indicators: dict[str, Indicator] = {}
    for path in sorted(Path(definitions_dir).glob("*.yaml")):
        doc: DefinitionFile = _validate(path, DefinitionFile, _read_yaml(path), "indicators")
        for raw in doc.indicators:
            ident = raw.id
            where = f"chỉ số {ident}"
            if ident in indicators:
                raise _fail(path, f"{where}.id", "trùng mã chỉ số")
            numerator = _terms(path, f"{where}.numerator", raw.numerator, check)
            denominator = _terms(path, f"{where}.denominator", raw.denominator, check)
            if not raw.manual and not numerator:
                raise _fail(path, f"{where}.numerator", "chỉ số tính từ hồ sơ cần tử số")
            if raw.unit == "percent" and not raw.manual and not denominator:
                raise _fail(
                    path,
                    f"{where}.denominator",
                    "chỉ số tỷ lệ (unit: percent) tính từ hồ sơ cần mẫu số",
                )
            agg = raw.aggregate or AggregateSpec()
            for part in ("numerator", "denominator"):
                for m in getattr(agg, part):
                    if m not in measures:
                        raise _fail(
                            path,
                            f"{where}.aggregate.{part}",
                            f"chỉ tiêu báo cáo không tồn tại: {m}",
                        )
            if raw.unit == "percent" and agg.numerator and not agg.denominator:
                raise _fail(
                    path, f"{where}.aggregate.denominator", "chỉ số tỷ lệ lấy từ báo cáo cần mẫu số"
                )
            indicators[ident] = Indicator(
                id=ident,
                name=raw.name,
                short_name=raw.short_name or raw.name,
                group=doc.group,
                group_name=doc.group_name,
                responsible=raw.responsible,
                unit=raw.unit,
                direction=raw.direction,
                decimals=raw.decimals,
                numerator=numerator,
                denominator=denominator,
                aggregate_numerator=tuple(agg.numerator),
                aggregate_denominator=tuple(agg.denominator),
                manual=raw.manual,
                aggregation=raw.aggregation or ("last" if raw.manual else "flow"),
                explanation=raw.explanation,
                source=raw.source,
                unit_label=raw.unit_label,
                numerator_label=raw.numerator_label,
                carry_months=raw.carry_months,
                in_scorecard=raw.in_scorecard,
            )
    if not indicators:
        raise DefinitionError(f"{definitions_dir}: không có tệp định nghĩa chỉ số nào")
    return Catalog(indicators, _load_targets(Path(targets_dir), indicators))


_NEEDS = {
    "min": ["value"],
    "max": ["value"],
    "range": ["low", "high"],
    "growth": ["baseline_year", "low"],
    "deadline": ["value", "due"],
}


def _load_targets(targets_dir: Path, indicators: dict[str, Indicator]) -> list[Target]:
    targets = []
    for path in sorted(targets_dir.glob("*.yaml")):
        doc: TargetFile = _validate(path, TargetFile, _read_yaml(path) or {}, "targets")
        for raw in doc.targets:
            where = f"chỉ số {raw.indicator}"
            if raw.indicator not in indicators:
                raise _fail(path, f"{where}.indicator", f"không có chỉ số «{raw.indicator}»")
            for n_field in _NEEDS[raw.kind]:
                if getattr(raw, n_field) is None:
                    raise _fail(
                        path, f"{where}.{n_field}", f"mục tiêu loại {raw.kind} cần trường này"
                    )
            if raw.low is not None and raw.high is not None and raw.low > raw.high:
                raise _fail(path, f"{where}.low", "giá trị thấp lớn hơn giá trị cao")
            targets.append(
                Target(
                    indicator=raw.indicator,
                    year=raw.year or doc.year,
                    kind=raw.kind,
                    value=raw.value,
                    low=raw.low,
                    high=raw.high,
                    baseline_year=raw.baseline_year,
                    due=raw.due,
                    band=raw.band,
                    prorate=raw.prorate,
                    source=raw.source,
                    document=doc.document,
                    commune=raw.commune,
                    growth=raw.growth,
                )
            )
    return targets


def with_overrides(catalog: Catalog, rows: list[dict[str, Any]]) -> Catalog:
    """The catalogue with admin-set targets (``storage.targets.overrides``) first, so they win
    at equal scope (a commune's own target still beats one for every commune)."""
    if not rows:
        return catalog
    extra = [
        Target(
            indicator=r["indicator"],
            year=r["year"],
            kind=r["kind"],
            value=r["value"],
            low=r["low"],
            high=r["high"],
            baseline_year=r["baseline_year"],
            growth=r["growth"] or "relative",
            due=r["due"],
            source=f"{r['basis']} (điều chỉnh bởi {r['who']} ngày {r['at']:%d/%m/%Y})",
            document="Điều chỉnh trong kpi-xa",
            commune=r["commune"] or None,
        )
        for r in rows
    ]
    return dataclasses.replace(catalog, targets=extra + list(catalog.targets))


def manual_indicators(catalog: Catalog | None = None) -> dict[str, Indicator]:
    """The hand-entered indicators, by id (what a template row or the entry form may name)."""
    catalog = catalog or load_catalog()
    return {i.id: i for i in catalog.indicators.values() if i.manual}
