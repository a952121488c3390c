"""The README stays true: every setting, page and command-line subcommand is documented."""

from __future__ import annotations

import re

from cli.main import build_parser
from core.settings import SETTINGS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    assert [s.env for s in SETTINGS if s.env not in README] == []


def test_every_page_is_in_the_page_table():
    titles = re.findall(
        r'\("pages/\w+\.py", "([^"]+)"', (ROOT / "ui" / "pages.py").read_text(encoding="utf-8")
    )
    assert len(titles) >= 8
    assert [t for t in titles if f"| {t} |" not in README] == []


def test_every_subcommand_is_documented():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert len(sub.choices) >= 8
    assert [c for c in sub.choices if f"kpi-xa {c}" not in README] == []


def test_every_layer_is_described():
    for folder in (
        "core/",
        "loaders/",
        "storage/",
        "indicators/",
        "reports/",
        "ui/",
        "pages/",
        "cli/",
    ):
        assert f"`{folder}`" in README, folder


def test_the_two_commands_are_there():
    assert "bash scripts/run.sh" in README and "bash scripts/test.sh" in README


# --- docs/indicators.md (the data contract) in step with the indicator and target files ---

CONTRACT = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")


def _contract_rows() -> dict[str, list[str]]:
    return {
        cells[1].strip(): [c.strip() for c in cells[1:-1]]
        for cells in (line.split("|") for line in CONTRACT.splitlines() if line.startswith("| "))
    }


def _number(value: float, unit: str) -> str:
    text = f"{value * 100 if unit == 'percent' else value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + ("%" if unit == "percent" else "")


def _as_documented(target, unit: str) -> str:
    """A target as §5 writes it: «≥ 80% (min)», «100% by 30/09/2026 (deadline)»."""
    if target is None:
        return "none (followed)"
    if target.kind == "min":
        value = _number(target.value, unit)
        return (value if value == "100%" else f"≥ {value}") + " (min)"
    if target.kind == "max":
        return f"≤ {_number(target.value, unit)} (max)"
    if target.kind == "range":
        return f"{_number(target.low, unit)} – {_number(target.high, unit)} (range)"
    if target.kind == "growth":
        return (
            f"+{_number(target.low, 'percent')} – {_number(target.high, 'percent')} over "
            f"{target.baseline_year} (growth)"
        )
    return f"{_number(target.value, unit)} by {target.due:%d/%m/%Y} (deadline)"


def test_every_indicator_is_in_the_data_contract():
    from indicators.definitions import load_catalog

    rows = _contract_rows()
    assert [i for i in load_catalog().indicators if i not in rows] == []


def test_each_hand_entered_indicator_reads_in_the_contract_as_in_its_files():
    from indicators.definitions import load_catalog

    catalog, rows = load_catalog(), _contract_rows()
    checked = 0
    for ind in catalog.indicators.values():
        if not (ind.manual and ind.in_scorecard):
            continue
        _ident, name, responsible, target, source = rows[ind.id]
        assert (name, responsible, source) == (ind.name, ind.responsible, ind.source), ind.id
        assert target == _as_documented(catalog.target_for(ind.id, 2026, None), ind.unit), ind.id
        checked += 1
    assert checked == 52  # 62 hand-entered, 10 of them the report's own figures


def test_each_case_target_is_in_the_contracts_case_table():
    from indicators.definitions import load_catalog

    catalog, rows = load_catalog(), _contract_rows()
    for ind in catalog.indicators.values():
        target = catalog.target_for(ind.id, 2026, None)
        if not ind.manual and target is not None:
            assert f"**{_number(target.value, ind.unit)}**" in rows[ind.id][-1], ind.id


def test_the_data_contract_shows_the_case_columns_the_code_declares():
    from core.schema import CASE_FIELDS, contract_table

    contract = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert all(f.meaning and f.values for f in CASE_FIELDS)
    # written by scripts/docs.py between its markers; run it after changing core/schema.py
    assert f"-->\n{contract_table()}\n<!-- end of generated part -->" in contract


def test_the_changelog_has_this_version_and_every_tagged_release():
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[?(\d+\.\d+\.\d+)\]?", changelog, re.M)
    assert releases[0] == version
    # every release whose schema the migration test keeps is in the changelog
    kept = sorted(p.stem.lstrip("v") for p in (ROOT / "tests" / "data" / "releases").glob("*"))
    assert set(kept) <= set(releases)
