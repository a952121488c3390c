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
    # the whole calendar month, to compare with «compute --period 2026-03»
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "report",
            "--from",
            "01/03/2026",
            "--to",
            "31/03/2026",
            "--db",
            str(samples_db),
            "--commune",
            "Diễn Châu",
            "--out",
            str(out),
            "--issued",
            "02/04/2026",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def computed(samples_db):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "compute",
            "--period",
            "2026-03",
            "--db",
            str(samples_db),
            "--commune",
            "Diễn Châu",
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return {i["id"]: i for i in json.loads(done.stdout)["indicators"]}


def test_the_word_report_carries_the_computed_numbers(report_dir, computed):
    doc = Document(next(report_dir.glob("bao_cao_2026-03_*.docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    c = computed
    assert "2. Về thủ tục hành chính, dịch vụ công trực tuyến" in text
    assert (
        f"(từ 01/03/2026 đến 31/03/2026): {fmt.number(c['ho_so_tiep_nhan']['value'])} hồ sơ" in text
    )
    assert (
        f"Số lượng hồ sơ trực tuyến: {c['ty_le_truc_tuyen']['numerator']} hồ sơ, tỷ lệ: "
        f"{fmt.percent(c['ty_le_truc_tuyen']['value'])}"
    ) in text
    assert (
        f"Tỷ lệ số hóa: {fmt.percent(c['ty_le_so_hoa']['value'])} "
        f"({fmt.number(c['ty_le_so_hoa']['numerator'])}/"
        f"{fmt.number(c['ty_le_so_hoa']['denominator'])} hồ sơ)"
    ) in text
    assert "1.123 hồ sơ" in text and "tỷ lệ: 82,5%" in text  # dien_chau_expected.json
    # the official text carries no draft note and no placeholder for a part nobody wrote
    assert "chưa được khóa" not in text and "Chưa có nội dung" not in text
    # the annex: one row per indicator, value and status as the compute command says
    annex = doc.tables[2]  # after the header and the signature tables
    rows = {r.cells[1].text: r for r in annex.rows[1:]}
    assert len(rows) == len(c) == 64
    so_hoa = rows["Tỷ lệ số hóa hồ sơ"]
    assert so_hoa.cells[3].text == fmt.percent(c["ty_le_so_hoa"]["value"])
    assert so_hoa.cells[5].text == "≥ 98%" and so_hoa.cells[6].text == "Gần đạt"
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
    assert safe_text('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_text("+1") == "'+1" and safe_text("@cmd") == "'@cmd"
    assert safe_text("Xã Diễn Châu") == "Xã Diễn Châu"


def test_the_pdf_renders_to_pages(report_dir, tmp_path):
    pdf = next(report_dir.glob("bao_cao_2026-03_*.pdf"))
    assert shutil.which("pdftoppm"), "scripts/test.sh installs poppler-utils"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "trang")], check=True)
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
    files = build(
        Engine(con), parse("2026-03"), COMMUNE, tmp_path / "out", with_charts=False, with_pdf=False
    )
    con.close()
    text = "\n".join(p.text for p in Document(files.docx).paragraphs)
    assert "Số liệu tháng đã được khóa lúc" in text and "(người khóa: quan_tri)" in text


def test_the_report_is_in_the_state_format(report_dir):
    from docx.shared import Pt

    doc = Document(next(report_dir.glob("bao_cao_2026-03_*.docx")))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and Pt(13) <= normal.size <= Pt(14)
    # page numbers from page 2: a PAGE field centred in the header, none on the first page
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert 'w:instr="PAGE"' in header_xml and 'w:val="center"' in header_xml
    assert "PAGE" not in section.first_page_header._element.xml
    # the two-column header: issuing body and number | national title, place and date
    left, right = (c.text for c in doc.tables[0].rows[0].cells)
    assert "ỦY BAN NHÂN DÂN" in left and "XÃ DIỄN CHÂU" in left and "/BC-UBND" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    # Nghị định 30/2020: a leading zero for days under 10 and months 1 and 2 only
    assert "Diễn Châu, ngày 02 tháng 4 năm 2026" in right
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in (
        "BÁO CÁO",
        "(Từ 01/03/2026 đến 31/03/2026)",
        "Kính gửi: Đảng ủy xã Diễn Châu.",
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO CỦA UBND XÃ",
        "II. VỀ BẢO ĐẢM NGUỒN NHÂN LỰC",
        "III. VỀ TÀI CHÍNH",
        "IV. VỀ CHUYỂN ĐỔI SỐ",
        "V. VỀ KHOA HỌC, CÔNG NGHỆ",
        "1. Tổng kê các nhiệm vụ thực hiện:",
    ):
        assert heading in text, heading
    # parts with nothing written are left out, and the numbers follow what is printed
    assert "D. KIẾN NGHỊ, ĐỀ XUẤT" not in text and "Công tác tuyên truyền" not in text
    # «Nơi nhận» and the signer's title
    sign_left, sign_right = (c.text for c in doc.tables[1].rows[0].cells)
    assert sign_left.startswith("Nơi nhận:") and "Lưu: VT." in sign_left
    assert "TM. ỦY BAN NHÂN DÂN" in sign_right and "PHÓ CHỦ TỊCH" in sign_right


def test_a_report_may_end_mid_month_and_counts_only_those_days(samples_db, tmp_path):
    """Report 004 covers 01-19/01: its IV.2 counts equal a hand count over those days."""
    import duckdb

    from core.periods import parse
    from indicators.compute import Engine
    from reports.report import build, window
    from storage.database import connect

    copy = tmp_path / "kpi.duckdb"
    shutil.copy(samples_db, copy)
    con = connect(copy)
    engine = Engine(con)
    assert window(engine, parse("2026-01"), COMMUNE).end.day == 18  # the default cut-off
    files = build(
        engine,
        parse("2026-01"),
        COMMUNE,
        tmp_path / "out",
        with_charts=False,
        with_pdf=False,
        end=__import__("datetime").date(2026, 1, 19),
    )
    con.close()
    ro = duckdb.connect(str(copy), read_only=True)
    received, online, digit = ro.execute(
        """SELECT count(*), count(*) FILTER (WHERE kenh = 'truc_tuyen'),
                  count(*) FILTER (WHERE so_hoa_tphs)
           FROM ho_so WHERE commune = ? AND CAST(ngay_tiep_nhan AS DATE)
                 BETWEEN DATE '2026-01-01' AND DATE '2026-01-19'""",
        [COMMUNE],
    ).fetchone()
    ro.close()
    text = "\n".join(p.text for p in Document(files.docx).paragraphs)
    assert f"(từ 01/01/2026 đến 19/01/2026): {fmt.number(received)} hồ sơ" in text
    assert (
        f"Số lượng hồ sơ trực tuyến: {fmt.number(online)} hồ sơ, tỷ lệ: "
        f"{fmt.percent(online / received)}"
    ) in text
    assert f"Tỷ lệ số hóa: {fmt.percent(digit / received)} ({digit}/{received} hồ sơ)" in text


def test_figures_tasks_units_and_written_parts_reach_the_report(samples_db, tmp_path):
    import datetime as dt

    from core.periods import parse
    from indicators.compute import Engine
    from indicators.definitions import manual_indicators
    from reports.report import build
    from storage import report_texts, tasks, unit_reports
    from storage.database import connect
    from storage.figures import enter

    copy = tmp_path / "kpi.duckdb"
    shutil.copy(samples_db, copy)
    con = connect(copy)
    tasks.seed(con)
    month = dt.date(2026, 1, 1)
    manual = manual_indicators()
    for ident, value in (
        ("so_tthc_tong", 380),
        ("so_tthc_toan_trinh", 142),
        ("so_tthc_mot_phan", 234),
        ("so_tthc_cung_cap_thong_tin", 4),
        ("so_chung_thu_so", 33),
        ("kinh_phi_de_xuat", 0.2),
        ("kinh_phi_phan_bo", 0.2),
        ("so_doanh_nghiep_khcn", 0),
    ):
        enter(
            con, manual, ident, COMMUNE, month, value=value, source="Báo cáo đơn vị", user="van_thu"
        )
    unit_reports.record(con, COMMUNE, month, "Công an xã", dt.date(2026, 1, 15), "van_thu")
    unit_reports.record(
        con,
        COMMUNE,
        month,
        "Phòng Kinh tế",
        dt.date(2026, 1, 20),
        "van_thu",
        file_name="bao_cao_phong_kt.docx",
        data=b"PK\x03\x04 noi dung",
    )
    written = "- Tiếp tục quan tâm bố trí kinh phí đầu tư hạ tầng CNTT.\n- Tăng cường đào tạo."
    report_texts.save(con, COMMUNE, month, "d_kien_nghi", "bản nháp", "van_thu")
    assert report_texts.save(con, COMMUNE, month, "d_kien_nghi", written, "van_thu") == 2
    report_texts.save(con, COMMUNE, month, "hdr_nguoi_ky", "Đào Hồng Thanh", "van_thu")
    files = build(
        Engine(con),
        parse("2026-01"),
        COMMUNE,
        tmp_path / "out",
        with_charts=False,
        with_pdf=False,
        end=dt.date(2026, 1, 19),
    )
    assert unit_reports.file_of(con, COMMUNE, month, "Phòng Kinh tế")[0] == "bao_cao_phong_kt.docx"
    con.close()
    doc = Document(files.docx)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "+ Tổng số TTHC: 380 thủ tục; số lượng TTHC trực tuyến toàn trình: 142 thủ tục, "
        "một phần: 234 thủ tục, cung cấp thông tin: 4 thủ tục."
    ) in text
    assert "Chứng thư số đã cấp: 33 chứng thư" in text
    assert "năm 2026: 0,20 tỷ đồng. Đã được phân bổ 0,20 tỷ đồng." in text
    assert "- Tổng số nhiệm vụ được giao: 34, trong đó:" in text
    assert "1/6 đơn vị báo cáo đúng hạn" in text and "Phòng Kinh tế (2 ngày)" in text
    assert "Trạm Y tế" not in text  # another commune's unit (Công văn 001 of Cẩm Giang)
    # the written part, line by line, as saved (the draft is an older version)
    assert "Tiếp tục quan tâm bố trí kinh phí đầu tư hạ tầng CNTT." in text
    assert "- Tăng cường đào tạo." in text and "bản nháp" not in text
    assert "Đào Hồng Thanh" in doc.tables[1].rows[0].cells[1].text


def test_a_locked_month_keeps_its_written_parts(samples_db, tmp_path):
    import datetime as dt

    from core.errors import LockedMonth
    from storage import report_texts
    from storage.database import connect
    from storage.locks import lock

    copy = tmp_path / "kpi.duckdb"
    shutil.copy(samples_db, copy)
    con = connect(copy)
    report_texts.save(con, COMMUNE, dt.date(2026, 2, 1), "i1_tuyen_truyen", "Đã họp.", "a")
    lock(con, COMMUNE, dt.date(2026, 2, 1), "quan_tri")
    with pytest.raises(LockedMonth):
        report_texts.save(con, COMMUNE, dt.date(2026, 2, 1), "i1_tuyen_truyen", "Sửa.", "a")
    assert report_texts.current(con, COMMUNE, dt.date(2026, 2, 1))["i1_tuyen_truyen"] == "Đã họp."
    con.close()
