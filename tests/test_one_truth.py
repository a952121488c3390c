"""One truth: a figure reads the same (value, days, as-of date, status, target) on every
surface, reporting windows chain, statuses mean one thing, targets are judged as written and
impossible values are never stored. Expected numbers are worked out by hand in comments."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
import subprocess
import sys

import openpyxl
import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import formatting as fmt
from core.periods import days, parse, reporting, reporting_windows
from core.type_enums import Status, WindowKind
from indicators import present
from indicators.compute import Engine
from indicators.definitions import Indicator, Target, manual_indicators
from indicators.scorecard import scorecard_table
from indicators.slides import deck
from indicators.status import PathStart, evaluate, target_label
from reports.report import build
from reports.snapshot import snapshot, summary_text
from storage import figures
from storage.database import connect
from storage.imports import import_files
from tests.conftest import COMMUNE, ROOT
from tests.test_manual_template import fill

# --- windows ---------------------------------------------------------------------------------


@given(st.integers(2000, 2100), st.integers(1, 28))
def test_a_years_reporting_windows_cover_every_day_once(year, cutoff):
    windows = reporting_windows(year, cutoff)
    covered = [w.start + dt.timedelta(days=i) for w in windows for i in range(w.n_days)]
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    assert covered == [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    # each window starts the day after the one before ended
    pairs = itertools.pairwise(windows)
    assert all(b.start == a.end + dt.timedelta(days=1) for a, b in pairs)


def test_the_reporting_window_of_a_month_as_the_committee_reads_it():
    oct_ = reporting(2026, 10)
    assert (oct_.start, oct_.end) == (dt.date(2026, 9, 19), dt.date(2026, 10, 18))
    assert oct_.label == "Kỳ báo cáo tháng 10/2026: 19/09–18/10/2026"
    assert reporting(2026, 1).start == dt.date(2026, 1, 1)  # the year's first from 01/01
    assert reporting(2026, 12).end == dt.date(2026, 12, 31)  # the last to 31/12
    assert parse("2026-10-R") == oct_ and parse(oct_.code) == oct_
    assert oct_.previous() == reporting(2026, 9)
    # any run of days round-trips through its code; whole months keep their own kind
    d = days(dt.date(2026, 1, 1), dt.date(2026, 1, 19))
    assert d.kind == WindowKind.DAYS and parse(d.code) == d
    assert days(dt.date(2026, 3, 1), dt.date(2026, 3, 31)).code == "2026-03"
    assert days(dt.date(2026, 2, 19), dt.date(2026, 3, 18)).kind == WindowKind.REPORT


# --- statuses and targets, against numbers made by hand ---------------------------------------

RATE = Indicator(
    id="x",
    name="X",
    short_name="X",
    group="g",
    group_name="G",
    responsible="U",
    unit="percent",
    direction="higher",
    decimals=1,
    numerator=(),
    denominator=(),
    aggregate_numerator=(),
    aggregate_denominator=(),
    manual=True,
    aggregation="last",
    explanation="",
    source="",
)
BY_YEAR_END = Target(
    indicator="x", year=2026, kind="deadline", value=1.0, due=dt.date(2026, 12, 31)
)


def test_a_goal_due_at_year_end_is_not_met_in_october():
    ev = evaluate(
        RATE,
        BY_YEAR_END,
        0.90,
        dt.date(2026, 10, 31),
        start=PathStart(dt.date(2026, 1, 1), 0.0, "0 ngày 01/01"),
    )
    # the path from 0 on 01/01 to 100% on 31/12: 303/364 = 83,2% on 31/10; 90% is above it
    assert ev.expected == pytest.approx(303 / 364)
    assert ev.status == Status.DUNG_TIEN_DO and ev.status.label == "Đúng tiến độ"
    assert evaluate(RATE, BY_YEAR_END, 1.0, dt.date(2026, 10, 31)).status == Status.DAT


def test_a_first_figure_is_on_its_own_path_and_later_ones_are_judged_from_it():
    start = PathStart(dt.date(2026, 3, 31), 0.30, "số đầu tiên của năm (tháng 03/2026)")
    march = evaluate(RATE, BY_YEAR_END, 0.30, dt.date(2026, 3, 31), start=start)
    assert march.expected == pytest.approx(0.30) and march.status == Status.DUNG_TIEN_DO
    # June: 30% + 70% x 91/275 days = 53,16%; 50% is within 5 points: close, not on track
    june = evaluate(RATE, BY_YEAR_END, 0.50, dt.date(2026, 6, 30), start=start)
    assert june.expected == pytest.approx(0.30 + 0.70 * 91 / 275)
    assert june.status == Status.GAN_DAT
    assert "53,2%" in june.reading and "30/06/2026" in june.reading


def test_every_level_goal_gets_a_path_a_rate_every_period_does_not():
    level = Target(indicator="x", year=2026, kind="min", value=1.0)
    ev = evaluate(RATE, level, 0.90, dt.date(2026, 10, 31))
    assert ev.status == Status.DUNG_TIEN_DO and ev.due == dt.date(2026, 12, 31)
    flow = Indicator(**{**RATE.__dict__, "manual": False, "aggregation": "flow"})
    assert evaluate(flow, level, 0.90, dt.date(2026, 10, 31)).status == Status.CHAM


def test_a_growth_goal_beyond_100_percent_is_judged_against_the_cap():
    growth = Target(
        indicator="x", year=2026, kind="growth", low=0.25, high=0.35, baseline_year=2025
    )
    # 85% x 1,25 = 106,25%: a rate cannot pass 100%, so 100% is the goal and says so
    ev = evaluate(RATE, growth, 0.97, dt.date(2026, 10, 31), baseline=0.85)
    assert ev.goal == 1.0 and ev.status == Status.GAN_DAT
    assert "vượt mức tối đa 100%" in ev.reading and "106,2%" in ev.reading
    assert target_label(RATE, growth, 0.85) == "tăng 25–35% so với 2025 (85% → 100% (mức tối đa))"
    assert evaluate(RATE, growth, 1.0, dt.date(2026, 10, 31), baseline=0.85).status == Status.DAT


def test_range_labels_keep_the_programmes_decimals():
    growth = Indicator(**{**RATE.__dict__, "unit": "percent", "manual": False})
    band = Target(indicator="x", year=2026, kind="range", low=0.1181, high=0.12)
    assert target_label(growth, band) == "11,81% – 12%"
    assert (
        target_label(growth, Target(indicator="x", year=2026, kind="min", value=1.0))
        == "≥ 100% trong năm 2026"
    )


# --- no impossible values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"value": 1.2}, "tỷ lệ 120,0% không hợp lệ: tỷ lệ phải từ 0% đến 100%"),
        ({"numerator": 30, "denominator": 25}, "tử số 30 lớn hơn mẫu số 25"),
        ({"numerator": -1, "denominator": 25}, "tử số không được âm"),
    ],
)
def test_the_form_refuses_impossible_figures_and_stores_nothing(con, kwargs, words):
    with pytest.raises(figures.ManualEntryError, match=words):
        figures.enter(
            con,
            manual_indicators(),
            "ty_le_can_bo_chu_ky_so",
            COMMUNE,
            dt.date(2026, 3, 1),
            source="Văn phòng",
            user="kiem_thu",
            **kwargs,
        )
    with pytest.raises(figures.ManualEntryError, match="không được âm"):
        figures.enter(
            con,
            manual_indicators(),
            "so_chung_thu_so",
            COMMUNE,
            dt.date(2026, 3, 1),
            value=-3,
            source="Văn phòng",
            user="kiem_thu",
        )
    assert con.execute("SELECT count(*) FROM so_lieu_nhap_tay").fetchone() == (0,)


def test_the_template_refuses_them_naming_row_column_and_value(con, tmp_path):
    from reports.template import template

    path = tmp_path / "mau.xlsx"
    path.write_bytes(template(COMMUNE, dt.date(2026, 3, 1)))
    fill(
        path,
        {
            "ty_le_vneid_muc2": {"E": "120%", "H": "Công an xã"},
            "ty_le_can_bo_chu_ky_so": {"F": 30, "G": 25, "H": "Văn phòng"},
            "so_chung_thu_so": {"E": "-3", "H": "Văn phòng"},
        },
    )
    result = import_files(con, [path], manual=manual_indicators())[0]
    assert not result.ok
    assert "cột «Giá trị»: giá trị «120%» — tỷ lệ 120,0% không hợp lệ" in result.message
    assert "cột «Tử số»: giá trị «30» — tử số 30 lớn hơn mẫu số 25" in result.message
    assert "số lượng không được âm" in result.message
    assert con.execute("SELECT count(*) FROM so_lieu_nhap_tay").fetchone() == (0,)


# --- one figure on every surface ---------------------------------------------------------------


@pytest.fixture(scope="module")
def truth_db(samples_db, tmp_path_factory):
    """The samples with hand-entered figures, so both kinds of figure are compared."""
    path = tmp_path_factory.mktemp("mot_su_that") / "kpi.duckdb"
    shutil.copy(samples_db, path)
    con = connect(path)
    inds = manual_indicators()
    for month, value in ((3, 0.30), (6, 0.50), (9, 0.85)):
        figures.enter(
            con,
            inds,
            "ty_le_vneid_muc2",
            COMMUNE,
            dt.date(2026, month, 1),
            value=value,
            source="Công an xã",
            user="kiem_thu",
        )
    figures.enter(
        con,
        inds,
        "ty_le_can_bo_chu_ky_so",
        COMMUNE,
        dt.date(2026, 9, 1),
        numerator=45,
        denominator=50,
        source="Văn phòng",
        user="kiem_thu",
    )
    con.close()
    return path


def _surfaces(path, code: str, tmp) -> dict[str, dict[str, tuple[str, ...]]]:
    """Each surface's reading of every scorecard figure: value, status, target text."""
    window = parse(code)
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "compute",
            "--db",
            str(path),
            "--period",
            code,
            "--commune",
            COMMUNE,
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert cli.returncode == 0, cli.stderr
    data = json.loads(cli.stdout)
    con = connect(path, read_only=True)
    try:
        engine = Engine(con)
        as_of = engine.period_end(window, [COMMUNE])
        assert data["window"] == {
            "from": window.start.isoformat(),
            "to": window.end.isoformat(),
            "label": window.label,
            "code": window.code,
        }
        assert data["as_of"] == as_of.isoformat() and data["commune"] == COMMUNE
        out: dict[str, dict[str, tuple[str, ...]]] = {
            "cli": {
                i["id"]: (i["text"]["value"], i["text"]["status"], i["text"]["target"])
                for i in data["indicators"]
            }
        }
        table = scorecard_table(engine, window, COMMUNE, trend_months=0)
        out["tong_quan"] = {
            row["_id"]: (
                row["Giá trị"],
                row["Trạng thái"].split(" ", 1)[1],
                row[f"Mục tiêu {window.year}"],
            )
            for row in table.to_dict("records")
        }
        files = build(engine, window, COMMUNE, tmp, with_charts=False, with_pdf=False)
        sheet = openpyxl.load_workbook(files.xlsx)["Bảng chỉ số"]
        assert present.coverage(window, as_of) in sheet["A1"].value
        by_id = {r.id: r for r in engine.scorecard(window, COMMUNE)}
        out["excel"] = {
            row[0].value: (present.value(by_id[row[0].value]), row[9].value, row[7].value)
            for row in sheet.iter_rows(min_row=5)
            if row[0].value
        }
        # the Excel's numbers are the figure's numbers
        for row in sheet.iter_rows(min_row=5):
            if row[0].value:
                r = by_id[row[0].value]
                assert row[4].value == (None if r.value is None else pytest.approx(r.value))
        doc = Document(str(files.docx))
        annex = doc.tables[-1]
        names = {r.name: r.id for r in by_id.values()}
        out["word"] = {
            names[c[1].text]: (c[3].text, c[6].text, c[5].text)
            for c in (row.cells for row in annex.rows[1:])
        }
        text = "\n".join(p.text for p in doc.paragraphs)
        assert f"(Từ {window.start:%d/%m/%Y} đến {window.end:%d/%m/%Y})" in text
        shot = snapshot(engine, window, COMMUNE, outlooks={})
        summary = summary_text(shot)
        assert summary.startswith(f"{COMMUNE} — {present.coverage(window, as_of)}:")
        for r in shot.results:
            if r.status.behind:
                assert f"- {present.status(r)} · {r.name}: {present.value(r)}" in summary
        meeting = deck(engine, window, COMMUNE, outlooks={})
        assert meeting.as_of == as_of
        assert present.coverage(window, as_of) + "." in meeting.slides[0].lines
        out["hop"] = {
            r.id: (present.value(r), present.status(r), present.target(r))
            for r in meeting.results.values()
        }
    finally:
        con.close()
    return out


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(
        [
            "2026-10",
            "2026-10-R",
            "2026-03-R",
            "2026-Q3",
            "2026",
            "2026-01-01..2026-01-19",
            "2026-09-05..2026-10-12",
        ]
    )
)
def test_every_surface_reads_the_same_figure(truth_db, tmp_path_factory, code):
    surfaces = _surfaces(truth_db, code, tmp_path_factory.mktemp("bc"))
    reference = surfaces.pop("cli")
    assert len(reference) >= 40
    for name, readings in surfaces.items():
        for ident, reading in readings.items():
            assert reading == reference[ident], (name, code, ident)
        assert set(readings) == set(reference), name


def test_the_dashboard_and_the_report_agree_on_october(samples_db, tmp_path):
    """The issue's case: the report's window and the dashboard's are the same window."""
    con = connect(samples_db, read_only=True)
    engine = Engine(con)
    r = {x.id: x for x in engine.scorecard(parse("2026-10-R"), COMMUNE)}["ty_le_so_hoa"]
    month = {x.id: x for x in engine.scorecard(parse("2026-10"), COMMUNE)}["ty_le_so_hoa"]
    con.close()
    # hand counts of the samples: 1.065 of 1.097 cases received 19/09-18/10 were digitised,
    # 1.156 of 1.177 in the calendar month
    assert (r.numerator, r.denominator) == (1065, 1097)
    assert (month.numerator, month.denominator) == (1156, 1177)
    assert r.status == Status.GAN_DAT and month.status == Status.DAT  # ≥ 98%: 97,1% / 98,2%
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "report",
            "--db",
            str(samples_db),
            "--period",
            "2026-10",
            "--commune",
            COMMUNE,
            "--out",
            str(tmp_path),
            "--no-charts",
            "--no-pdf",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "Kỳ báo cáo: Kỳ báo cáo tháng 10/2026: 19/09–18/10/2026" in run.stdout
    text = "\n".join(p.text for p in Document(str(next(tmp_path.glob("*.docx")))).paragraphs)
    assert f"+ Tỷ lệ số hóa: {fmt.percent(r.value)} (1.065/1.097 hồ sơ)" in text


def test_the_assessment_counts_every_targeted_indicator_and_names_those_without_data(
    samples_db, tmp_path
):
    con = connect(samples_db, read_only=True)
    engine = Engine(con)
    card = engine.scorecard(parse("2026-10"), COMMUNE)
    files = build(engine, parse("2026-10"), COMMUNE, tmp_path, with_charts=False, with_pdf=False)
    con.close()
    targeted = [r for r in card if r.has_target]
    missing = [r for r in targeted if not r.status.judged]
    text = "\n".join(p.text for p in Document(str(files.docx)).paragraphs)
    line = next(t for t in text.splitlines() if t.startswith("- Trong "))
    assert line.startswith(f"- Trong {len(targeted)} chỉ số có chỉ tiêu năm 2026: ")
    assert f"{len(missing)} chưa có số liệu (" in line and len(missing) > 30
    assert all((r.short_name or r.name) in line for r in missing)
