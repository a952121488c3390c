"""The synonym table (``synonyms.yaml``) loaded into lookup indexes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import DefinitionError
from core.text import key
from core.type_enums import ImportKind

# the C parser when PyYAML has it: five times faster on these files
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SYNONYMS_FILE = Path(__file__).with_name("synonyms.yaml")

CASE_LIST, BIEU_06A, SO_HOA_766 = (
    ImportKind.DANH_SACH_HO_SO,
    ImportKind.BIEU_06A,
    ImportKind.SO_HOA_766,
)
AGGREGATE_KINDS = (BIEU_06A, SO_HOA_766)


@dataclass(frozen=True)
class KindSpec:
    name: str
    label: str
    title_words: tuple[str, ...]
    required: tuple[str, ...]
    fields: tuple[str, ...]
    headers: dict[str, str]  # leaf key -> field
    under: dict[tuple[str, str], str]  # (group key, leaf key) -> field
    display: dict[str, str]  # field -> first header, for messages
    # a printed rate -> the count fields it should equal (numerator, denominator)
    rates: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Vocabulary:
    kinds: dict[str, KindSpec]
    personal_headers: frozenset[str]
    personal_contains: tuple[str, ...]
    values: dict[str, dict[str, str]]  # category -> value key -> canonical code
    level_words: dict[str, tuple[str, ...]]
    solved: frozenset[str]
    terminal: frozenset[str]
    # category -> canonical code -> the first word listed for it, how a page shows the code
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


class VocabularyError(DefinitionError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RateSpec(_Strict):
    numerator: list[str]
    denominator: list[str]


class FieldWords(_Strict):
    headers: list[str] = []
    under: dict[str, list[str]] = {}
    rate: RateSpec | None = None


class KindFile(_Strict):
    label: str
    title_words: list[str]
    required: list[str]
    fields: dict[str, FieldWords]


class PersonalFile(_Strict):
    headers: list[str]
    contains: list[str]


class StatusFile(_Strict):
    solved: list[str]
    terminal: list[str]


class SynonymFile(_Strict):
    kinds: dict[str, KindFile]
    personal_data: PersonalFile
    values: dict[str, dict[str, list[str | int | bool]]]
    statuses: StatusFile


def _validated(path: Path) -> dict[str, Any]:
    """The file as plain data once its shape is right; an unknown or misspelt key, a wrong
    type or a missing section fails naming the file and where."""
    try:
        raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise VocabularyError(f"{Path(path).name}: YAML sai cú pháp: {exc}") from None
    try:
        return SynonymFile.model_validate(raw).model_dump()
    except ValidationError as exc:
        words = {
            "extra_forbidden": "trường không có trong lược đồ (viết sai tên trường?)",
            "missing": "thiếu trường bắt buộc",
        }
        found = [
            f"{'.'.join(str(x) for x in err['loc'])}: {words.get(err['type'], err['msg'])}"
            for err in exc.errors()[:3]
        ]
        raise VocabularyError(f"{Path(path).name}: " + "; ".join(found)) from None


@lru_cache(maxsize=4)
def load(path: Path = SYNONYMS_FILE) -> Vocabulary:
    raw = _validated(path)
    kinds = {}
    for name, spec in raw["kinds"].items():
        headers: dict[str, str] = {}
        under: dict[tuple[str, str], str] = {}
        display: dict[str, str] = {}
        rates: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for fld, words in spec["fields"].items():
            if words.get("rate"):
                parts = (tuple(words["rate"]["numerator"]), tuple(words["rate"]["denominator"]))
                unknown = [f for f in parts[0] + parts[1] if f not in spec["fields"]]
                if unknown:
                    raise VocabularyError(f"{path}: kind {name}: rate {fld}: unknown {unknown}")
                rates[fld] = parts
            for word in words.get("headers", []) or []:
                headers.setdefault(key(word), fld)
                display.setdefault(fld, str(word))
            for group, leaves in (words.get("under") or {}).items():
                for leaf in leaves:
                    under.setdefault((key(group), key(leaf)), fld)
                    display.setdefault(fld, f"{group} / {leaf}")
        missing = [f for f in spec["required"] if f not in spec["fields"]]
        if missing:
            raise VocabularyError(f"{path}: kind {name}: required fields not declared: {missing}")
        kinds[name] = KindSpec(
            name,
            spec["label"],
            tuple(key(w) for w in spec["title_words"]),
            tuple(spec["required"]),
            tuple(spec["fields"]),
            headers,
            under,
            display,
            rates,
        )
    values: dict[str, dict[str, str]] = {}
    labels = {
        category: {str(code): str(words[0]) for code, words in codes.items()}
        for category, codes in raw["values"].items()
    }
    for category, codes in raw["values"].items():
        index: dict[str, str] = {}
        for code, words in codes.items():
            for word in words:
                index[key(word)] = str(code)
        values[category] = index
    level_words = {
        code: tuple(key(w) for w in words) for code, words in raw["values"]["muc_do"].items()
    }
    personal = raw["personal_data"]
    return Vocabulary(
        kinds=kinds,
        personal_headers=frozenset(key(h) for h in personal["headers"]),
        personal_contains=tuple(key(h) for h in personal["contains"]),
        values=values,
        level_words=level_words,
        solved=frozenset(raw["statuses"]["solved"]),
        terminal=frozenset(raw["statuses"]["terminal"]),
        labels=labels,
    )
