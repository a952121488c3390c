"""Write the data contract's generated parts from the code (docs/indicators.md §1: the case
columns, from core/schema.py). tests/test_docs.py fails when the file and the code differ.

    .venv/bin/python scripts/docs.py
"""

from __future__ import annotations

import re
from pathlib import Path

from core.schema import contract_table

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "docs" / "indicators.md"
BEGIN = "<!-- generated from core/schema.py by scripts/docs.py: edit the code, not this table -->"
END = "<!-- end of generated part -->"


def generated() -> str:
    return f"{BEGIN}\n{contract_table()}\n{END}"


def main() -> None:
    text = CONTRACT.read_text(encoding="utf-8")
    block = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not block.search(text):
        raise SystemExit(f"{CONTRACT}: the markers of the generated part are missing")
    CONTRACT.write_text(block.sub(lambda _: generated(), text), encoding="utf-8")


if __name__ == "__main__":
    main()
