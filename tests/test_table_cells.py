"""What the data grids show, cell by cell (a browser draws them on a canvas, out of reach of
the layout audit's text walk): no empty value drawn as «None», no «nan», no raw code, on
every page of an install that holds the demo commune beside the real samples."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from tests.conftest import COMMUNE, sample_files
from tests.test_app_pages import PAGES, open_page
from tests.test_vietnamese_ui import offending


@pytest.fixture(scope="module")
def both_db(demo_template, tmp_path_factory):
    from storage.database import connect
    from storage.imports import import_files

    db = tmp_path_factory.mktemp("cells") / "kpi.duckdb"
    shutil.copy(demo_template, db)
    con = connect(db)
    assert all(r.ok for r in import_files(con, sample_files(), commune=COMMUNE, user="canbo"))
    con.close()
    return db


def bad_cells(frame: pd.DataFrame) -> list[str]:
    found = []
    for column in frame.columns:
        if column.startswith("_") or str(frame[column].dtype).startswith("list"):
            continue
        for value in frame[column]:
            if isinstance(value, list | tuple):
                continue
            if value is None or (isinstance(value, float) and value != value):
                found.append(f"{column}: ô trống hiện «None»")
            elif isinstance(value, str) and (value in ("None", "nan", "NaT") or offending(value)):
                found.append(f"{column}: {value[:60]}")
    return found


@pytest.mark.parametrize("name", PAGES)
def test_no_grid_cell_reads_none_nan_or_a_code(name, both_db, monkeypatch, tmp_path):
    db = tmp_path / "kpi.duckdb"
    shutil.copy(both_db, db)
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.setenv("KPI_USER", "canbo")
    monkeypatch.setenv("KPI_COMMUNE", COMMUNE)
    at = open_page(name, ky="2026-10", xa=COMMUNE)
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    found = {i: bad for i, f in enumerate(frames) if (bad := bad_cells(f))}
    # an empty grid reads «empty», in English: a page says «none yet» in words instead
    found.update({i: ["bảng trống hiện «empty»"] for i, f in enumerate(frames) if f.empty})
    assert found == {}
