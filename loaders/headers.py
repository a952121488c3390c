"""Find the header rows of a printable report sheet and map its columns to fields.

A report sheet has title rows, one to three header rows (merged group cells over leaf
cells), sometimes a numbering row, then data. We try every plausible header block and
keep the one that maps the most fields of some kind of file. The leaf header decides the
field; the group header disambiguates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from core.text import clean, key
from loaders.vocabulary import KindSpec, Vocabulary

SCAN_ROWS = 60
MAX_DEPTH = 3
_SPLIT_RE = re.compile(r"\s*\n\s*|\s+-\s+|\s*/\s*|\s*:\s+")
_PAREN_RE = re.compile(r"\s*\([^)]*\)\s*")


@dataclass
class ColumnMap:
    kind: str
    header_rows: list[int]  # Excel row numbers of the header block
    fields: dict[str, int]  # field -> column position
    labels: dict[int, str]  # column position -> header as the user reads it
    personal: list[str] = field(default_factory=list)  # dropped citizen-data headers
    ignored: list[str] = field(default_factory=list)  # headers we do not use
    duplicates: list[str] = field(default_factory=list)

    @property
    def data_start(self) -> int:
        return self.header_rows[-1] + 1


def column_parts(block: list[list[str | None]]) -> list[list[str]]:
    """Header parts of each column, top (group) to bottom (leaf).

    A merged group cell is only written in its first column; it is carried to the right
    over columns that have a leaf below them, as long as the column on the left is itself
    a group (has something below it too).
    """
    depth = len(block)
    width = max((len(r) for r in block), default=0)
    grid = [[(row[c] if c < len(row) else None) for c in range(width)] for row in block]
    for r in range(depth - 1):
        for c in range(1, width):
            below = any(grid[rr][c] for rr in range(r + 1, depth))
            left_is_group = grid[r][c - 1] and any(grid[rr][c - 1] for rr in range(r + 1, depth))
            if not grid[r][c] and below and left_is_group:
                grid[r][c] = grid[r][c - 1]
    columns = []
    for c in range(width):
        parts: list[str] = []
        for r in range(depth):
            value = grid[r][c]
            if value and (not parts or key(parts[-1]) != key(value)):
                parts.append(value)
        columns.append(parts)
    return columns


def match_field(parts: list[str], spec: KindSpec) -> str | None:
    if not parts:
        return None
    keys = [key(p) for p in parts]
    leaf, groups = keys[-1], keys[:-1]
    for group in reversed(groups):
        found = spec.under.get((group, leaf))
        if found:
            return found
    found = spec.headers.get(leaf)
    if found:
        return found
    if groups:
        joined = spec.headers.get(key(groups[-1] + " " + leaf))
        if joined:
            return joined
    bare = key(_PAREN_RE.sub(" ", parts[-1]))
    if bare and bare != leaf:
        found = spec.headers.get(bare)
        if found and not groups:
            return found
    # a group and its leaf flattened into one cell: "Thời gian\nNgày nhận", "Số hóa - TPHS"
    pieces = [p for p in _SPLIT_RE.split(parts[-1]) if p.strip()]
    if len(pieces) > 1:
        return match_field(parts[:-1] + pieces, spec)
    return None


def is_personal(parts: list[str], vocab: Vocabulary) -> bool:
    for part in parts:
        k = key(part)
        if k in vocab.personal_headers or any(w in k for w in vocab.personal_contains):
            return True
    return False


def label(parts: list[str]) -> str:  # the header as a person reads it
    return " / ".join(clean(p) for p in parts)


def map_columns(
    parts_by_col: list[list[str]], spec: KindSpec, vocab: Vocabulary, header_rows: list[int]
) -> ColumnMap:
    result = ColumnMap(spec.name, header_rows, {}, {})
    for col, parts in enumerate(parts_by_col):
        if not parts:
            continue
        result.labels[col] = label(parts)
        fld = match_field(parts, spec)
        if fld and fld not in result.fields:
            result.fields[fld] = col
        elif fld:
            result.duplicates.append(label(parts))
        elif is_personal(parts, vocab):
            result.personal.append(label(parts))
        elif key(parts[-1]) not in ("stt", "tt", "số tt", "số thứ tự"):
            result.ignored.append(label(parts))
    return result


def _score(cmap: ColumnMap, spec: KindSpec, title_keys: str) -> float:
    if not all(f in cmap.fields for f in spec.required):
        return len([f for f in spec.required if f in cmap.fields]) / 100
    bonus = 0.5 if any(w in title_keys for w in spec.title_words) else 0.0
    return len(cmap.fields) + bonus


def find_header(
    cells: pd.DataFrame, vocab: Vocabulary, title_hint: str = ""
) -> tuple[ColumnMap | None, ColumnMap | None]:
    """The best header block over all kinds: (best complete mapping, best partial one).

    The partial one, when no complete mapping exists, lets the error name the kind the
    file resembles and the columns it lacks.
    """
    top = cells.iloc[:SCAN_ROWS]
    rows = [
        [(v if isinstance(v, str) and v.strip() else None) for v in r]
        for r in top.itertuples(index=False, name=None)
    ]
    row_numbers = list(top.index)
    title_keys = key(title_hint)
    best: tuple[float, ColumnMap] | None = None
    best_partial: tuple[float, ColumnMap] | None = None
    for start in range(len(rows)):
        # past a complete header block, the rows are data: nothing better can start there
        if best is not None and start > row_numbers.index(best[1].header_rows[-1]) + 1:
            break
        filled = sum(1 for v in rows[start] if v and re.search(r"[^\W\d_]", v))
        if filled < 2:
            continue
        above = " ".join(v for r in rows[:start] for v in r if v)
        for depth in range(1, MAX_DEPTH + 1):
            if start + depth > len(rows):
                break
            parts = column_parts(rows[start : start + depth])
            for spec in vocab.kinds.values():
                cmap = map_columns(parts, spec, vocab, row_numbers[start : start + depth])
                score = _score(cmap, spec, title_keys + " " + key(above))
                complete = all(f in cmap.fields for f in spec.required)
                # a deeper block must earn its extra rows
                if complete and (best is None or score > best[0]):
                    best = (score, cmap)
                elif (
                    not complete
                    and len(cmap.fields) >= 2
                    and (best_partial is None or len(cmap.fields) > best_partial[0])
                ):
                    best_partial = (len(cmap.fields), cmap)
    return (best[1] if best else None, best_partial[1] if best_partial else None)
