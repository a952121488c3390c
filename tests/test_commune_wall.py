"""The commune wall (storage.scope): an account of commune A reads and writes A only, on every
page and every storage path (template rows, hand entry, baselines, unit reports, report
texts, history, undo, quality findings, the period list), while an all-communes account sees
them all. The attacks of issue 19 are here as tests."""

from __future__ import annotations

import datetime as dt
import threading

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from core.errors import Forbidden
from indicators.compute import Engine
from indicators.definitions import manual_indicators
from indicators.quality import findings
from loaders.reader import read_file
from reports.template import template
from storage import accounts, baselines, figures, report_texts, scope, unit_reports
from storage.imports import file_communes, import_history, problems_of, store
from tests import test_province
from tests.conftest import ROOT
from ui.widgets import period_choices

A, B, C = "Xã An Hòa", "Xã Bình Minh", "Xã Cát Tiên"
MAY = dt.date(2026, 5, 1)
# the three communes of tests/test_province.py, each test on its own copy
province_db = test_province.province_db
province = test_province.province


@pytest.fixture(autouse=True)
def _nobody_acting():
    scope.act_as(None)
    yield
    scope.act_as(None)


def filled_template(folder, commune_row: str, title_commune: str = A):
    """The hand-entry template of ``title_commune``, its first row filled for that commune
    and its second row (Excel row 7) naming ``commune_row`` in «Xã»."""
    path = folder / "mau.xlsx"
    path.write_bytes(template(title_commune, dt.date(2026, 3, 1)))
    book = openpyxl.load_workbook(path)
    sheet = book["Số liệu"]
    sheet["E6"], sheet["H6"] = "40%", "Công an xã"
    sheet["D7"], sheet["E7"], sheet["H7"] = commune_row, "50%", "Công an xã"
    book.save(path)
    return path


def manual_count(con) -> int:
    return con.execute("SELECT count(*) FROM so_lieu_nhap_tay").fetchone()[0]


def test_a_template_row_for_another_commune_is_refused_by_name(province, tmp_path):
    parsed = read_file(filled_template(tmp_path, B), manual=manual_indicators())
    assert parsed.commune == A and file_communes(parsed) == [A, B]
    before = manual_count(province)
    refused = store(province, parsed, user="canbo_an_hoa", scope=A)
    assert not refused.ok
    assert "dòng 7" in refused.message and "«Xã Bình Minh»" in refused.message
    # the same refusal when the account is only known as the acting one (the dashboard)
    scope.act_as(A)
    assert not store(province, parsed, user="canbo_an_hoa").ok
    assert manual_count(province) == before  # nothing written, no commune created
    # the province's account may write it
    scope.act_as(None)
    assert store(province, parsed, user="tinh").ok
    assert manual_count(province) == before + 2


def test_every_storage_path_meets_the_acting_accounts_commune(province):
    inds = manual_indicators()
    ind = next(iter(inds))
    figures.enter(province, inds, ind, B, MAY, value=0.5, source="Công an xã", user="tinh")
    scope.act_as(A)
    with pytest.raises(Forbidden, match="Xã Bình Minh"):
        figures.enter(province, inds, ind, B, MAY, value=0.6, source="x", user="an_hoa")
    with pytest.raises(Forbidden):
        figures.history(province, ind, B)
    assert figures.history(province, ind).empty  # B's figure is not listed to A
    with pytest.raises(Forbidden):
        baselines.set_baseline(province, ind, "percent", B, 2025, 0.4, "báo cáo", "an_hoa")
    with pytest.raises(Forbidden):
        unit_reports.record(province, B, MAY, unit_reports.units()[0], MAY, "an_hoa")
    with pytest.raises(Forbidden):
        unit_reports.register(province, B, MAY)
    with pytest.raises(Forbidden):
        report_texts.save(province, B, MAY, next(iter(report_texts.LABELS)), "x", "an_hoa")
    with pytest.raises(Forbidden):
        report_texts.current(province, B, MAY)
    assert set(import_history(province)["commune"]) == {A}
    other = int(
        province.execute("SELECT import_id FROM imports WHERE commune = ?", [B]).fetchone()[0]
    )
    assert problems_of(province, other) == []
    # its own commune works as before
    assert (
        figures.enter(province, inds, ind, A, MAY, value=0.7, source="Công an xã", user="an_hoa")
        == 1
    )


def test_the_wall_is_per_thread(province):
    scope.act_as(A)
    seen = []
    worker = threading.Thread(target=lambda: seen.append(scope.current()))
    worker.start()
    worker.join()
    assert seen == [None] and scope.current() == A  # another session's run is not narrowed


def test_quality_findings_and_the_period_list_keep_to_the_accounts_commune(province):
    inds = manual_indicators()
    # a later month of B only: B has months with no data (findings) and a later period
    figures.enter(
        province, inds, next(iter(inds)), B, MAY, value=0.5, source="Công an xã", user="tinh"
    )
    everyone = Engine(province)
    found = findings(everyone)
    assert B in set(found["xa"])  # the test can fail: B has findings
    assert period_choices(everyone)[0] == "2026-05"
    mine = Engine(province)
    mine.scope = frozenset([A])
    assert set(findings(mine)["xa"]) <= {A}
    assert period_choices(mine)[0] == "2026-03"  # A's data ends in March


# --- every page, as A, as B and as the province --------------------------------------------
PAGES_A = [
    "tong_quan",
    "chi_so",
    "ho_so_qua_han",
    "che_do_hop",
    "bao_cao",
    "chat_luong",
    "tai_du_lieu",
    "nhap_so_lieu",
]


def shown(at: AppTest) -> str:
    """Every text a page put on screen: words, labels, options, tables and charts."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "success",
        "warning",
        "error",
        "metric",
        "selectbox",
        "multiselect",
        "radio",
        "text_input",
        "button",
        "expander",
        "table",
        "dataframe",
        "tab",
    ):
        for e in at.get(kind):
            for attr in ("value", "label", "options", "body"):
                try:
                    v = getattr(e, attr)
                except Exception:
                    continue
                parts.append(v.to_string() if hasattr(v, "to_string") else str(v))
    for chart in at.get("plotly_chart"):
        parts.append(chart.proto.spec)
    return "\n".join(parts)


def signed_in(username: str, password: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    next(b for b in at.button if b.label == "Đăng nhập").click().run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def accounts_db(province, tmp_path, monkeypatch):
    inds = manual_indicators()
    figures.enter(
        province, inds, next(iter(inds)), B, MAY, value=0.5, source="Công an xã", user="tinh"
    )
    accounts.create(
        province,
        "can_bo_a",
        "Cán bộ An Hòa",
        "nhap_lieu",
        "mat-khau-an-hoa-1",
        by="test",
        commune=A,
    )
    accounts.create(province, "tinh", "Cán bộ tỉnh", "xem", "mat-khau-cap-tinh", by="test")
    accounts.create(
        province, "nhap_tinh", "Nhập liệu tỉnh", "nhap_lieu", "mat-khau-nhap-tinh", by="test"
    )
    province.close()
    monkeypatch.setenv("KPI_DB", str(tmp_path / "kpi.duckdb"))
    monkeypatch.setenv("KPI_AUTH", "1")
    monkeypatch.setenv("KPI_DEMO", "0")


def test_every_page_shows_a_commune_account_its_commune_only(accounts_db):
    at = signed_in("can_bo_a", "mat-khau-an-hoa-1")
    pickers = 0
    for page in PAGES_A:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        text = shown(at)
        assert A in text or page == "chat_luong", page
        assert B not in text and C not in text, (
            page,
            [ln for ln in text.splitlines() if B in ln or C in ln][:5],
        )
        for picker in (s for s in at.selectbox if s.label == "Kỳ báo cáo"):
            pickers += 1
            assert "Tháng 03/2026" in picker.options[0], (page, picker.options)
            assert not any("05/2026" in o for o in picker.options), (page, picker.options)
    assert pickers >= 4
    # the province's account on the same pages sees the other communes (the test can fail)
    at = signed_in("tinh", "mat-khau-cap-tinh")
    at.switch_page("pages/chat_luong.py").run()
    assert B in shown(at)


def test_a_commune_account_cannot_upload_a_template_naming_another_commune(accounts_db, tmp_path):
    path = filled_template(tmp_path, B)
    at = signed_in("can_bo_a", "mat-khau-an-hoa-1")
    at.switch_page("pages/tai_du_lieu.py").run()
    at.get("file_uploader")[0].set_value(
        [(path.name, path.read_bytes(), "application/octet-stream")]
    ).run()
    assert not at.exception, at.exception
    assert any("Xã Bình Minh" in e.value and "dòng 7" in e.value for e in at.error)
    assert not any(b.label.startswith("Nhập ") for b in at.button)


def test_a_template_naming_a_new_commune_waits_for_a_confirmation(accounts_db, tmp_path):
    path = filled_template(tmp_path, "Xã Chưa Có")
    at = signed_in("nhap_tinh", "mat-khau-nhap-tinh")
    at.switch_page("pages/tai_du_lieu.py").run()
    at.get("file_uploader")[0].set_value(
        [(path.name, path.read_bytes(), "application/octet-stream")]
    ).run()
    assert not at.exception, at.exception
    assert any("Xã Chưa Có" in w.value and "xã mới" in w.value for w in at.warning)
    assert not any(b.label.startswith("Nhập ") for b in at.button)
    next(c for c in at.checkbox if "Xã Chưa Có" in c.label).check().run()
    assert any(b.label == "Nhập 1 tệp" for b in at.button)


def test_the_shared_demo_data_is_not_removed_by_a_commune_account(province, tmp_path):
    from storage import demo

    scope.act_as(A)
    with pytest.raises(Forbidden):
        demo.clear_demo(province, user="an_hoa")
