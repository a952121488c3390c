"""«Đánh giá, xếp hạng»: units and officers ranked from real data, counted by hand; the
weights file refuses unknown keys; a unit with nothing to do is not 100%."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from core.errors import DefinitionError, Forbidden
from core.periods import parse
from indicators import ranking
from indicators.compute import Engine
from storage import meetings, tasks, unit_reports
from storage.database import connect
from storage.meetings import Assignment
from tests.conftest import COMMUNE

OTHER = "Xã Hưng Nguyên"
TODAY = dt.date(2026, 11, 22)


def _other_commune(con) -> None:
    """Hưng Nguyên, October 2026 (due dates by hand):
    Phòng Kinh tế: due 10/10 done 08/10 (on time); due 20/10 open (overdue); report 17/10.
    Công an xã: due 15/10 done 25/10 (late); report 20/10 (late).
    Ban Xây dựng Đảng: due 15/12 (not due in October): nothing to do in October.
    The other reporting units sent no October report (due 18/10)."""
    mid = meetings.create(con, OTHER, dt.date(2026, 10, 1), "thang", "Chủ tịch", [], "v")
    k = meetings.add_conclusion(con, mid, [OTHER], "Kết luận", "v")
    spec = [
        ("Phòng Kinh tế", dt.date(2026, 10, 10), dt.date(2026, 10, 8)),
        ("Phòng Kinh tế", dt.date(2026, 10, 20), None),
        ("Công an xã", dt.date(2026, 10, 15), dt.date(2026, 10, 25)),
        ("Ban Xây dựng Đảng", dt.date(2026, 12, 15), None),
    ]
    for unit, due, finished in spec:
        tt = meetings.assign(con, k, [OTHER], Assignment(unit, "Việc", due), "v")
        if finished:
            tasks.update(
                con, OTHER, tt, {"trang_thai": "hoan_thanh", "ngay_hoan_thanh": finished}, "v"
            )
    unit_reports.record(
        con, OTHER, dt.date(2026, 10, 1), "Phòng Kinh tế", dt.date(2026, 10, 17), "v"
    )
    unit_reports.record(con, OTHER, dt.date(2026, 10, 1), "Công an xã", dt.date(2026, 10, 20), "v")


def test_units_ranked_by_hand_counts(con):
    _other_commune(con)
    table = ranking.unit_table(Engine(con), parse("2026-10"), OTHER, TODAY).set_index("ten")
    kt = table.loc["Phòng Kinh tế"]
    assert (kt.nv_den_han, kt.nv_dung_han, kt.nv_qua_han, kt.bc_den_han, kt.bc_dung_han) == (
        2,
        1,
        1,
        1,
        1,
    )
    # (0,5 × 1/2 + 0,25 × 1/1) ÷ (0,5 + 0,25) × 100; no indicator part: no data
    assert kt.diem == pytest.approx(100 * (0.5 * 0.5 + 0.25 * 1) / 0.75)
    assert kt.hang == 1
    ca = table.loc["Công an xã"]
    assert (ca.nv_den_han, ca.nv_muon, ca.bc_dung_han, ca.diem) == (1, 1, 0, 0)
    assert table.at["Trạm Y tế xã", "diem"] == 0  # only its missing report counts
    xd = table.loc["Ban Xây dựng Đảng"]
    assert xd.nv_den_han == 0 and pd.isna(xd.diem) and pd.isna(xd.hang)  # nothing to do
    assert table.index[-1] == "Ban Xây dựng Đảng"  # no rank, last
    assert "0,50 × tỷ lệ nhiệm vụ hoàn thành đúng hạn" in ranking.unit_formula()
    # scoped: the commune of another account is refused
    eng = Engine(con)
    eng.scope = frozenset([COMMUNE])
    with pytest.raises(Forbidden):
        ranking.unit_table(eng, parse("2026-10"), OTHER, TODAY)


def test_officers_ranked_by_hand_counts_on_the_samples(samples_db, tmp_path):
    path = tmp_path / "kpi.duckdb"
    shutil.copy(samples_db, path)
    con = connect(path)
    try:
        table = ranking.officer_table(Engine(con), parse("2026-03"), COMMUNE)
        # by hand, with plain SQL on the cases: received in March and returned, per officer
        got = dict(
            con.execute(
                "SELECT can_bo, count(*) FROM ho_so WHERE commune = ? AND can_bo IS NOT NULL AND "
                "CAST(ngay_tiep_nhan AS DATE) BETWEEN '2026-03-01' AND '2026-03-31' "
                "GROUP BY can_bo",
                [COMMUNE],
            ).fetchall()
        )
        digit = dict(
            con.execute(
                "SELECT can_bo, count(*) FILTER (WHERE so_hoa_tphs) FROM ho_so WHERE commune = ? "
                "AND can_bo IS NOT NULL AND CAST(ngay_tiep_nhan AS DATE) BETWEEN '2026-03-01' AND "
                "'2026-03-31' GROUP BY can_bo",
                [COMMUNE],
            ).fetchall()
        )
        back = dict(
            con.execute(
                "SELECT can_bo, count(*) FROM ho_so WHERE commune = ? AND can_bo IS NOT NULL AND "
                "trang_thai IN ('tu_choi', 'khong_tiep_nhan', 'yeu_cau_bo_sung', 'dung_xu_ly') AND "
                "CAST(ngay_tiep_nhan AS DATE) BETWEEN '2026-03-01' AND '2026-03-31' "
                "GROUP BY can_bo",
                [COMMUNE],
            ).fetchall()
        )
    finally:
        con.close()
    assert got and sum(got.values()) > 100
    mine = table.set_index("ten")
    assert mine["tiep_nhan"].to_dict() == got
    assert mine["so_hoa_tu"].to_dict() == digit
    assert mine["so_hoa_mau"].to_dict() == got
    assert {k: v for k, v in mine["tra_lai"].to_dict().items() if v} == back
    assert list(table["hang"]) == sorted(table["hang"])  # best first
    assert table["diem"].between(0, 100).all()
    # the same numbers as the indicator page's breakdown by officer
    con = connect(path)
    try:
        eng = Engine(con)
        split = eng.breakdown("ty_le_dung_han", parse("2026-03"), "can_bo", COMMUNE).set_index(
            "nhom"
        )
        assert mine["dung_han_tu"].to_dict() == split["tu_so"].astype(int).to_dict()
        assert mine["dung_han_mau"].to_dict() == split["mau_so"].astype(int).to_dict()
        # and the province's one pass gives each commune what its own ranking gives
        whole = ranking.province(eng, parse("2026-03"), [COMMUNE], TODAY)[COMMUNE]
        alone = ranking.ranking(eng, parse("2026-03"), COMMUNE, TODAY)
        pd.testing.assert_frame_equal(whole.officers, alone.officers)
        pd.testing.assert_frame_equal(whole.units, alone.units)
    finally:
        con.close()


def test_the_weights_file_refuses_unknown_keys(tmp_path):
    bad = tmp_path / "w.yaml"
    bad.write_text(
        ranking.WEIGHTS_FILE.read_text(encoding="utf-8").replace(
            "indicators_met:", "indicator_met:"
        ),
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match=r"units\.indicator_met: trường không có"):
        ranking.load_weights(bad)
    zero = tmp_path / "z.yaml"
    zero.write_text(
        "units: {tasks_on_time: 0, reports_on_time: 0, indicators_met: 0}\n"
        "officers: {on_time: 1, digitised: 1, electronic_result: 1, "
        "not_returned: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match="tổng trọng số phải lớn hơn 0"):
        ranking.load_weights(zero)
    assert ranking.load_weights().units.tasks_on_time == 0.5


def test_the_ranking_page_on_the_samples(samples_db, tmp_path, monkeypatch):
    import io

    import openpyxl

    from reports.ranking_excel import to_excel
    from tests.test_app_pages import open_page

    path = tmp_path / "samples.duckdb"
    shutil.copy(samples_db, path)
    monkeypatch.setenv("KPI_DB", str(path))
    at = open_page("xep_hang", ky="2026-03", xa=COMMUNE)
    assert not at.exception, at.exception
    officers = next(d.value for d in at.dataframe if "Cán bộ" in d.value.columns)
    con = connect(path)
    try:
        received = con.execute(
            "SELECT count(*) FROM ho_so WHERE commune = ? AND can_bo IS NOT NULL AND "
            "CAST(ngay_tiep_nhan AS DATE) BETWEEN '2026-03-01' AND '2026-03-31'",
            [COMMUNE],
        ).fetchall()[0][0]
        r = ranking.ranking(Engine(con), parse("2026-03"), COMMUNE, TODAY)
    finally:
        con.close()
    assert officers["Hồ sơ tiếp nhận"].sum() == received
    assert officers["Hạng"].iloc[0] == "1"
    assert any("0,40 × tỷ lệ hồ sơ đúng hạn" in c.value for c in at.caption)
    book = openpyxl.load_workbook(io.BytesIO(to_excel(r)))
    assert book.sheetnames == ["Đơn vị", "Cán bộ"]
    sheet = book["Cán bộ"]
    heads = [c.value for c in sheet[4]]
    col = heads.index("Hồ sơ tiếp nhận")
    assert sum(row[col].value or 0 for row in sheet.iter_rows(min_row=5)) == received


def test_a_quarter_counts_each_month_due_by_the_day(con):
    """2026-Q4 on 22/11: October's and November's reports are due (18/10, 18/11), not
    December's; Phòng Kinh tế sent October's only."""
    _other_commune(con)
    table = ranking.unit_table(Engine(con), parse("2026-Q4"), OTHER, TODAY).set_index("ten")
    kt = table.loc["Phòng Kinh tế"]
    assert (kt.bc_den_han, kt.bc_dung_han, kt.nv_den_han, kt.nv_dung_han) == (2, 1, 2, 1)
    assert kt.diem == pytest.approx(100 * (0.5 * 0.5 + 0.25 * 0.5) / 0.75)
    assert table.at["Trường Tiểu học", "bc_den_han"] == 2
    # the year: the same tasks, and every month's report from January
    year = ranking.unit_table(Engine(con), parse("2026"), OTHER, TODAY).set_index("ten")
    assert year.at["Phòng Kinh tế", "bc_den_han"] == 11
