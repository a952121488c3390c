"""What it will take, and whose it is: the month's gap in cases, the year-end projection at
the present pace, the rate the months left need, and the groups holding the shortfall,
each checked against a computation by hand over the stored cases."""

from __future__ import annotations

import math
import shutil

import pytest

from core.periods import parse
from indicators.compute import Engine
from indicators.outlook import lagging_outlooks, outlook
from storage.database import connect
from tests.conftest import COMMUNE

TARGET = 0.98  # ty_le_so_hoa: «98% hồ sơ được số hóa» (programme 002)


@pytest.fixture
def engine(samples_db):
    con = connect(samples_db, read_only=True)
    yield Engine(con)
    con.close()


def digitised(con, first: str, last: str, by: str | None = None):
    """(numerator, denominator) of ty_le_so_hoa over the cases received in the months
    [first, last], by hand."""
    group = f"{by}, " if by else ""
    return con.execute(
        f"""SELECT {group} count(*) FILTER (WHERE so_hoa_tphs) AS num, count(*) AS den
            FROM ho_so WHERE commune = ? AND CAST(ngay_tiep_nhan AS DATE)
                 BETWEEN CAST(? AS DATE) AND last_day(CAST(? AS DATE))
            {"GROUP BY ALL" if by else ""}""",
        [COMMUNE, f"{first}-01", f"{last}-01"],
    ).fetchall()


def test_the_gap_in_cases_is_what_the_month_lacked_for_the_target(engine):
    o = outlook(engine, "ty_le_so_hoa", parse("2026-08"), COMMUNE)
    assert o is not None and o.target == TARGET
    ((num, den),) = digitised(engine.con, "2026-08", "2026-08")
    gap = math.ceil(TARGET * den - num)
    assert gap > 0 and o.gap == gap
    assert o.sentences[0] == (
        f"Cần thêm {gap} hồ sơ được số hóa trong tháng 08/2026 (trên "
        f"{den:,} hồ sơ) để đạt 98%.".replace(",", ".")
    )


def test_the_year_end_projection_continues_the_last_three_months(engine):
    o = outlook(engine, "ty_le_so_hoa", parse("2026-08"), COMMUNE)
    ((n_year, d_year),) = digitised(engine.con, "2026-01", "2026-08")
    ((n3, d3),) = digitised(engine.con, "2026-06", "2026-08")
    rest = d3 / 3 * 4  # September to December at the last three months' volume
    projection = (n_year + n3 / d3 * rest) / (d_year + rest)
    assert o.months_left == 4
    assert o.projection == pytest.approx(projection)
    assert o.on_track is (projection >= TARGET)
    assert o.verdict == ("đúng hướng" if projection >= TARGET else "chệch hướng")
    needed = (TARGET * (d_year + rest) - n_year) / rest
    assert o.needed_rate == pytest.approx(needed)
    method = next(s for s in o.sentences if s.startswith("Cách dự báo"))
    assert "3 tháng gần nhất" in method and "4 tháng còn lại" in method


def test_the_shortfall_is_shared_among_the_groups_below_the_target(engine):
    o = outlook(engine, "ty_le_so_hoa", parse("2026-08"), COMMUNE)
    rows = digitised(engine.con, "2026-08", "2026-08", by="linh_vuc")
    short = {field: max(0.0, TARGET * den - num) for field, num, den in rows}
    total = sum(short.values())
    worst = max(short, key=lambda k: (short[k], k))
    fields = [c for c in o.contributors if c.dimension == "linh_vuc"]
    assert fields[0].group == worst
    assert fields[0].share == pytest.approx(short[worst] / total)
    assert fields[0].shortfall == pytest.approx(short[worst])
    assert [c.share for c in fields] == sorted((c.share for c in fields), reverse=True)
    assert {c.dimension for c in o.contributors} == {"linh_vuc", "ten_tthc", "can_bo"}
    assert o.main_contributor().endswith("%)")


def test_every_lagging_indicator_gets_its_outlook(engine):
    period = parse("2026-08")
    results = engine.scorecard(period, COMMUNE)
    found = lagging_outlooks(engine, period, COMMUNE, results)
    lagging = {r.id for r in results if r.status in ("cham", "gan_dat") and r.target is not None}
    assert set(found) == lagging
    for o in found.values():
        assert o.sentences and o.sentences[0].startswith(
            ("Cần thêm", "Vượt", "Còn thiếu", "Từ đầu năm", "Tháng")
        )


def test_the_overview_and_the_indicator_page_say_what_it_will_take(
    samples_db, tmp_path, monkeypatch
):
    from tests.test_app_pages import open_page

    copy = tmp_path / "samples.duckdb"
    shutil.copy(samples_db, copy)
    monkeypatch.setenv("KPI_DB", str(copy))
    at = open_page("tong_quan", ky="2026-08", xa=COMMUNE)
    assert not at.exception
    plan = next(d.value for d in at.table if "Dự báo cuối năm" in d.value.columns)
    row = plan[plan["Chỉ số"] == "Tỷ lệ số hóa hồ sơ"].iloc[0]
    assert row["Cần làm trong tháng"].startswith("Cần thêm ")
    assert row["Dự báo cuối năm"].endswith("(mục tiêu 98%).")
    # the picture for Zalo and the text to paste under it
    assert any(c.value.startswith(f"{COMMUNE} — Tháng 08/2026") for c in at.code)
    assert "Tải ảnh (PNG)" in [b.label for b in at.get("download_button")]
    at = open_page("chi_so", ky="2026-08", xa=COMMUNE, chi_so="ty_le_so_hoa")
    assert not at.exception
    said = " ".join(m.value for m in at.markdown)
    assert "Cần làm gì để đạt mục tiêu" in said and "Phần thiếu hụt tập trung ở" in said


def test_the_zalo_picture_and_text_from_the_command_line(samples_db, tmp_path):
    import subprocess
    import sys

    from PIL import Image

    from tests.conftest import ROOT

    out = tmp_path / "anh" / "chi_so_2026-08.png"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "snapshot",
            "--db",
            str(samples_db),
            "--period",
            "2026-08",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    with Image.open(out) as image:
        assert image.format == "PNG" and image.width == 1080
    assert out.stat().st_mode & 0o777 == 0o600
    con = connect(samples_db, read_only=True)
    results = Engine(con).scorecard(parse("2026-08"), COMMUNE)
    con.close()
    lagging = sum(r.status == "cham" for r in results)
    close = sum(r.status == "gan_dat" for r in results)
    met = sum(r.status == "dat" for r in results)
    on_track = sum(r.status == "dung_tien_do" for r in results)
    first = run.stdout.splitlines()[0]
    assert first == (
        f"{COMMUNE} — Tháng 08/2026 (01/08–31/08/2026), số liệu đến 31/08/2026: "
        f"{lagging} chỉ số chậm, {close} gần đạt, {on_track} đúng tiến độ, {met} "
        "đạt."
    )
    assert "Tỷ lệ số hóa hồ sơ: 97,1% (mục tiêu từ 98%" in run.stdout
    wrong = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "snapshot",
            "--db",
            str(samples_db),
            "--period",
            "2026-08",
            "--out",
            str(tmp_path / "anh.jpg"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert wrong.returncode == 1 and "đuôi .png" in wrong.stderr


def test_the_reports_assessment_says_what_it_will_take(engine, tmp_path):
    from docx import Document

    from reports.report import build

    files = build(engine, parse("2026-08"), COMMUNE, tmp_path, with_charts=False, with_pdf=False)
    text = "\n".join(p.text for p in Document(str(files.docx)).paragraphs)
    line = next(t for t in text.splitlines() if t.startswith("- Tỷ lệ số hóa hồ sơ:"))
    o = outlook(engine, "ty_le_so_hoa", parse("2026-08"), COMMUNE)
    assert o.sentences[0] in line and "tháng 08/2026" in o.sentences[0]
    assert (
        "Dự báo cuối năm:" in line and f"Phần thiếu hụt tập trung ở {o.main_contributor()}" in line
    )
