"""The monthly report: its numbers equal `kpi-xa compute` for the same period,
read back from the .docx and the .xlsx; the PDF is rendered to PNG pages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import openpyxl
import pytest
from docx import Document

from core import formatting as fmt
from reports.excel import safe_text
from tests.conftest import COMMUNE, ROOT


@pytest.fixture(scope="module")
def report_dir(samples_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("bao_cao")
    done = subprocess.run([sys.executable, "-m", "cli", "report", "--period", "2026-03",
                           "--db", str(samples_db), "--commune", "Diễn Châu", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def computed(samples_db):
    done = subprocess.run([sys.executable, "-m", "cli", "compute", "--period", "2026-03",
                           "--db", str(samples_db), "--commune", "Diễn Châu", "--format",
                           "json"], cwd=ROOT, capture_output=True, text=True)
    return {i["id"]: i for i in json.loads(done.stdout)["indicators"]}


def test_the_word_report_carries_the_computed_numbers(report_dir, computed):
    doc = Document(next(report_dir.glob("bao_cao_2026-03_*.docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    c = computed
    assert "2. Về thủ tục hành chính, dịch vụ công trực tuyến" in text
    assert (f"(từ 01/03/2026 đến 31/03/2026): {fmt.number(c['ho_so_tiep_nhan']['value'])} hồ sơ"
            in text)
    assert (f"Số lượng hồ sơ trực tuyến: {c['ty_le_truc_tuyen']['numerator']} hồ sơ, tỷ lệ: "
            f"{fmt.percent(c['ty_le_truc_tuyen']['value'])}") in text
    assert (f"Tỷ lệ số hóa: {fmt.percent(c['ty_le_so_hoa']['value'])} "
            f"({fmt.number(c['ty_le_so_hoa']['numerator'])}/"
            f"{fmt.number(c['ty_le_so_hoa']['denominator'])} hồ sơ)") in text
    assert "1.123 hồ sơ" in text and "tỷ lệ: 82,5%" in text  # dien_chau_expected.json
    assert "Số liệu tháng chưa được khóa" in text
    # the annex: one row per indicator, value and status as the compute command says
    annex = doc.tables[0]
    rows = {r.cells[1].text: r for r in annex.rows[1:]}
    assert len(rows) == len(c) == 26
    so_hoa = rows["Tỷ lệ số hóa hồ sơ"]
    assert so_hoa.cells[3].text == fmt.percent(c["ty_le_so_hoa"]["value"])
    assert so_hoa.cells[5].text == "98,0%" and so_hoa.cells[6].text == "Gần đạt"
    assert len(doc.inline_shapes) == 5  # the status chart and four trends


def test_the_excel_scorecard_holds_numbers_with_formats(report_dir, computed):
    book = openpyxl.load_workbook(next(report_dir.glob("bang_chi_so_2026-03_*.xlsx")))
    sheet = book["Bảng chỉ số"]
    rows = {sheet.cell(r, 1).value: r for r in range(5, sheet.max_row + 1)}
    assert set(rows) == set(computed)
    for ind_id, expected in computed.items():
        r = rows[ind_id]
        value = sheet.cell(r, 5)
        if expected["value"] is None:
            assert value.value is None
            continue
        assert isinstance(value.value, (int, float)) and not isinstance(value.value, bool)
        assert value.value == pytest.approx(expected["value"])
        if expected["numerator"] is not None:
            assert sheet.cell(r, 6).value == expected["numerator"]
    assert sheet.cell(rows["ty_le_so_hoa"], 5).number_format == "0.0%"
    assert sheet.cell(rows["ty_le_so_hoa"], 10).value == "Gần đạt"


def test_formula_like_text_is_neutralised():
    assert safe_text("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert safe_text("+1") == "'+1" and safe_text("@cmd") == "'@cmd"
    assert safe_text("Xã Diễn Châu") == "Xã Diễn Châu"


def test_the_pdf_renders_to_pages(report_dir, tmp_path):
    pdf = next(report_dir.glob("bao_cao_2026-03_*.pdf"))
    assert shutil.which("pdftoppm"), "scripts/test.sh installs poppler-utils"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "trang")],
                   check=True)
    pages = sorted(tmp_path.glob("trang-*.png"))
    assert len(pages) >= 3
    assert all(p.stat().st_size > 2_000 for p in pages)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Tỷ lệ số hóa: 96,9%" in text and COMMUNE.upper() in text.upper()


def test_a_locked_month_says_so(samples_db, tmp_path):
    from core.periods import parse
    from indicators.compute import Engine
    from reports.report import build
    from storage.database import connect
    from storage.locks import lock

    copy = tmp_path / "kpi.duckdb"
    shutil.copy(samples_db, copy)
    con = connect(copy)
    lock(con, COMMUNE, parse("2026-03").start, "quan_tri")
    files = build(Engine(con), parse("2026-03"), COMMUNE, tmp_path / "out", with_charts=False,
                  with_pdf=False)
    con.close()
    text = "\n".join(p.text for p in Document(files.docx).paragraphs)
    assert "Số liệu tháng đã được khóa lúc" in text and "(người khóa: quan_tri)" in text
