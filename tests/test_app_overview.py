"""The overview page with streamlit.testing.v1.AppTest: demo data, real data, the URL."""

from __future__ import annotations

import shutil

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def run(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_first_start_shows_the_labelled_demo():
    at = run()
    assert not at.exception
    assert at.title[0].value == "Tổng quan chỉ số năm 2026"
    assert "Dữ liệu mẫu" in at.info[0].value
    table = next(d.value for d in at.dataframe if "Trạng thái" in d.value.columns)
    assert len(table) == 64
    assert at.selectbox[1].value == "Xã Mẫu"


def test_real_data_shows_the_samples_figures(samples_db, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(samples_db.parent / "copy.duckdb"))
    shutil.copy(samples_db, samples_db.parent / "copy.duckdb")
    at = run(ky="2026-01", xa="Xã Diễn Châu")
    assert not at.exception
    assert not at.info  # no demo banner on real data
    table = next(d.value for d in at.dataframe if "Trạng thái" in d.value.columns)
    row = table[table["Chỉ số"] == "Tỷ lệ số hóa hồ sơ"].iloc[0]
    assert row["Giá trị"] == "96,5%" and row["Mục tiêu 2026"] == "≥ 98%"
    assert row["Tử số / mẫu số"] == "1.234 / 1.279" and row["Trạng thái"] == "🟡 Gần đạt"
    # lagging and close ones come first
    assert table.iloc[0]["Trạng thái"] in ("🔴 Chậm", "🟡 Gần đạt")
    assert at.query_params["ky"] == ["2026-01"] or at.query_params["ky"] == "2026-01"
