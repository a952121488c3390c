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
    titles = re.findall(r'\("pages/\w+\.py", "([^"]+)"',
                        (ROOT / "ui" / "pages.py").read_text(encoding="utf-8"))
    assert len(titles) >= 8
    assert [t for t in titles if f"| {t} |" not in README] == []


def test_every_subcommand_is_documented():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert len(sub.choices) >= 8
    assert [c for c in sub.choices if f"kpi-xa {c}" not in README] == []


def test_every_layer_is_described():
    for folder in ("core/", "loaders/", "storage/", "indicators/", "reports/", "ui/", "pages/",
                   "cli/"):
        assert f"`{folder}`" in README, folder


def test_the_two_commands_are_there():
    assert "bash scripts/run.sh" in README and "bash scripts/test.sh" in README


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
