"""Indicator definitions and targets, loaded from YAML and checked loudly at start."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import yaml

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
UNITS = ("percent", "count", "value")
STOCK_MEASURES = {"bieu_06a.dang_gq_tong_so", "bieu_06a.dang_gq_trong_han",
                  "bieu_06a.dang_gq_qua_han"}
_CASE_TABLE = """CREATE TABLE ho_so (commune VARCHAR, ma_ho_so VARCHAR, ten_tthc VARCHAR,
    linh_vuc VARCHAR, kenh VARCHAR, muc_do VARCHAR, ngay_tiep_nhan TIMESTAMP,
    ngay_hen_tra TIMESTAMP, ngay_ket_thuc TIMESTAMP, trang_thai VARCHAR, so_hoa_tphs BOOLEAN,
    ket_qua_dien_tu BOOLEAN, tai_su_dung BOOLEAN, phi BIGINT, thanh_toan_truc_tuyen BOOLEAN,
    xac_thuc_vneid BOOLEAN, danh_gia VARCHAR, can_bo VARCHAR)"""


class DefinitionError(ValueError):
    """A definition or target file that cannot be used; names the file and the field."""


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

    @property
    def is_rate(self) -> bool:
        return bool(self.denominator) or (self.manual and self.unit == "percent")


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


@dataclass
class Catalog:
    indicators: dict[str, Indicator]
    targets: list[Target] = field(default_factory=list)

    def target_for(self, indicator_id: str, year: int, commune: str | None) -> Target | None:
        found = [t for t in self.targets if t.indicator == indicator_id and t.year == year
                 and t.commune in (None, commune)]
        # a commune's own target overrides the programme's
        found.sort(key=lambda t: t.commune is None)
        return found[0] if found else None


def _fail(path: Path, where: str, message: str) -> DefinitionError:
    return DefinitionError(f"{path.name}: {where}: {message}")


def _terms(path: Path, where: str, raw, checker) -> tuple[Term, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(path, where, "cần một danh sách các vế {set, where}")
    terms = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or item.get("set") not in CASE_SETS:
            raise _fail(path, f"{where}[{i}].set",
                        f"tập hồ sơ phải là một trong {', '.join(CASE_SETS)}")
        condition = str(item.get("where", "TRUE"))
        checker(path, f"{where}[{i}].where", condition)
        terms.append(Term(item["set"], condition))
    return tuple(terms)


def _sql_checker():
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
def load_catalog(definitions_dir: Path = DEFINITIONS_DIR, targets_dir: Path = TARGETS_DIR
                 ) -> Catalog:
    from loaders.vocabulary import load as load_vocab

    measures = {f"{k}.{f}" for k, spec in load_vocab().kinds.items() for f in spec.fields}
    check = _sql_checker()
    indicators: dict[str, Indicator] = {}
    for path in sorted(Path(definitions_dir).glob("*.yaml")):
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        except yaml.YAMLError as exc:
            raise DefinitionError(f"{path.name}: YAML sai cú pháp: {exc}") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("indicators"), list):
            raise _fail(path, "indicators", "thiếu danh sách chỉ số")
        for n, raw in enumerate(doc["indicators"]):
            where = f"indicators[{n}]"
            for required in ("id", "name", "responsible", "unit", "direction"):
                if not raw.get(required):
                    raise _fail(path, f"{where}.{required}", "thiếu trường bắt buộc")
            ident = raw["id"]
            where = f"chỉ số {ident}"
            if not re.fullmatch(r"[a-z0-9_]+", ident):
                raise _fail(path, f"{where}.id", "chỉ dùng chữ thường không dấu, số và '_'")
            if ident in indicators:
                raise _fail(path, f"{where}.id", "trùng mã chỉ số")
            if raw["unit"] not in UNITS:
                raise _fail(path, f"{where}.unit", f"phải là một trong {', '.join(UNITS)}")
            if raw["direction"] not in ("higher", "lower"):
                raise _fail(path, f"{where}.direction", "phải là higher hoặc lower")
            manual = bool(raw.get("manual", False))
            numerator = _terms(path, f"{where}.numerator", raw.get("numerator"), check)
            denominator = _terms(path, f"{where}.denominator", raw.get("denominator"), check)
            if not manual and not numerator:
                raise _fail(path, f"{where}.numerator", "chỉ số tính từ hồ sơ cần tử số")
            agg = raw.get("aggregate") or {}
            for part in ("numerator", "denominator"):
                for m in agg.get(part, []) or []:
                    if m not in measures:
                        raise _fail(path, f"{where}.aggregate.{part}",
                                    f"chỉ tiêu báo cáo không tồn tại: {m}")
            aggregation = raw.get("aggregation", "last" if manual else "flow")
            if aggregation not in ("flow", "last"):
                raise _fail(path, f"{where}.aggregation", "phải là flow hoặc last")
            indicators[ident] = Indicator(
                id=ident, name=raw["name"], short_name=raw.get("short_name", raw["name"]),
                group=doc.get("group", path.stem), group_name=doc.get("group_name", path.stem),
                responsible=raw["responsible"], unit=raw["unit"], direction=raw["direction"],
                decimals=int(raw.get("decimals", 1)), numerator=numerator,
                denominator=denominator,
                aggregate_numerator=tuple(agg.get("numerator", []) or []),
                aggregate_denominator=tuple(agg.get("denominator", []) or []),
                manual=manual, aggregation=aggregation,
                explanation=str(raw.get("explanation", "")), source=str(raw.get("source", "")),
                unit_label=str(raw.get("unit_label", "")))
    if not indicators:
        raise DefinitionError(f"{definitions_dir}: không có tệp định nghĩa chỉ số nào")
    return Catalog(indicators, _load_targets(Path(targets_dir), indicators))


TARGET_KINDS = ("min", "max", "range", "growth", "deadline")


def _load_targets(targets_dir: Path, indicators: dict[str, Indicator]) -> list[Target]:
    targets = []
    for path in sorted(targets_dir.glob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
        year = doc.get("year")
        if not isinstance(year, int):
            raise _fail(path, "year", "thiếu năm áp dụng")
        for n, raw in enumerate(doc.get("targets", [])):
            where = f"targets[{n}]"
            ind = raw.get("indicator")
            if ind not in indicators:
                raise _fail(path, f"{where}.indicator", f"không có chỉ số «{ind}»")
            kind = raw.get("kind")
            if kind not in TARGET_KINDS:
                raise _fail(path, f"{where}.kind", f"phải là một trong {', '.join(TARGET_KINDS)}")
            needs = {"min": ["value"], "max": ["value"], "range": ["low", "high"],
                     "growth": ["baseline_year", "low"], "deadline": ["value", "due"]}[kind]
            for n_field in needs:
                if raw.get(n_field) is None:
                    raise _fail(path, f"{where}.{n_field}", f"mục tiêu loại {kind} cần trường này")
            targets.append(Target(
                indicator=ind, year=int(raw.get("year", year)), kind=kind,
                value=raw.get("value"), low=raw.get("low"), high=raw.get("high"),
                baseline_year=raw.get("baseline_year"), due=raw.get("due"),
                band=raw.get("band"), prorate=bool(raw.get("prorate", False)),
                source=str(raw.get("source", "")), document=str(doc.get("document", "")),
                commune=raw.get("commune")))
    return targets
