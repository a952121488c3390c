"""What the whole programme needs beyond the portal's rates, end to end on a real database:
baselines for growth targets, an admin's choice of growth mode, the unit-reports register,
rejected and returned cases, and half-year periods on the command line."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest

from core.periods import parse
from indicators.compute import Engine
from indicators.definitions import manual_indicators
from storage import baselines, targets, unit_reports
from storage.figures import enter
from tests.conftest import COMMUNE, ROOT

MANUAL = manual_indicators()
VNEID = "ty_le_su_dung_vneid_muc2"


def vneid(con, period="2026-06"):
    engine = Engine(con)
    return engine.compute_one(engine.catalog.indicators[VNEID], parse(period), [COMMUNE])


def test_a_growth_target_without_its_2025_figure_says_so_then_is_judged(con):
    enter(
        con,
        MANUAL,
        VNEID,
        COMMUNE,
        dt.date(2026, 6, 1),
        value=0.47,
        source="Công an xã",
        user="van_thu",
    )
    r = vneid(con)
    assert r.status == "thieu_so_lieu_goc" and r.note == "Thiếu số liệu năm 2025"
    assert r.target_label == "tăng 25–35% so với 2025"
    baselines.set_baseline(con, VNEID, "percent", COMMUNE, 2025, 0.40, "Tổng kết 2025", "van_thu")
    r = vneid(con)
    # relative growth: 40% x 1,25 = 50%, asked in full (the target is not pro-rated)
    assert r.baseline == pytest.approx(0.40) and r.target == pytest.approx(0.50)
    assert r.status == "gan_dat" and r.note == ""
    assert r.target_label == "tăng 25–35% so với 2025 (40% → ≥ 50%)"
    assert "mục I.2.3.3" in r.target_source


def test_a_2025_figure_entered_as_a_monthly_figure_is_a_baseline_too(con):
    enter(
        con,
        MANUAL,
        VNEID,
        COMMUNE,
        dt.date(2025, 12, 1),
        value=0.40,
        source="Công an xã",
        user="van_thu",
    )
    enter(
        con,
        MANUAL,
        VNEID,
        COMMUNE,
        dt.date(2026, 6, 1),
        value=0.52,
        source="Công an xã",
        user="van_thu",
    )
    r = vneid(con)
    assert r.baseline == pytest.approx(0.40) and r.status == "dat"


def test_an_admin_can_read_growth_in_percentage_points(con):
    from indicators.definitions import load_catalog

    baselines.set_baseline(con, VNEID, "percent", COMMUNE, 2025, 0.40, "Tổng kết 2025", "qt")
    enter(
        con,
        MANUAL,
        VNEID,
        COMMUNE,
        dt.date(2026, 6, 1),
        value=0.52,
        source="Công an xã",
        user="van_thu",
    )
    targets.set_target(
        con,
        load_catalog(),
        VNEID,
        2026,
        "growth",
        low=0.25,
        high=0.35,
        baseline_year=2025,
        growth="points",
        basis="Nghị quyết Đảng ủy",
        user="qt",
    )
    r = vneid(con)
    assert r.target == pytest.approx(0.65) and r.status == "cham"
    assert "điểm %" in r.target_label


def test_a_baseline_out_of_range_is_refused_in_vietnamese(con):
    with pytest.raises(baselines.BaselineError, match="0% đến 100%"):
        baselines.set_baseline(con, VNEID, "percent", COMMUNE, 2025, 4.0, "x", "qt")
    with pytest.raises(baselines.BaselineError, match="cần ghi nguồn"):
        baselines.set_baseline(con, VNEID, "percent", COMMUNE, 2025, 0.4, " ", "qt")


def test_the_unit_register_flags_late_and_missing_reports_after_the_18th(con):
    month = dt.date(2026, 10, 1)
    unit_reports.record(con, COMMUNE, month, "Công an xã", dt.date(2026, 10, 16), "van_thu")
    unit_reports.record(con, COMMUNE, month, "Phòng Kinh tế", dt.date(2026, 10, 21), "van_thu")
    before = unit_reports.register(con, COMMUNE, month, today=dt.date(2026, 10, 18))
    after = unit_reports.register(con, COMMUNE, month, today=dt.date(2026, 10, 25)).set_index(
        "don_vi"
    )
    assert set(before["trang_thai"]) == {"dung_han", "muon", "chua_den_han"}
    assert after.at["Công an xã", "trang_thai"] == "dung_han"
    assert (after.at["Phòng Kinh tế", "trang_thai"], after.at["Phòng Kinh tế", "so_ngay_muon"]) == (
        "muon",
        3,
    )
    assert after.at["Trung tâm Phục vụ hành chính công", "trang_thai"] == "qua_han"
    assert after.at["Trung tâm Phục vụ hành chính công", "so_ngay_muon"] == 7
    # the commune's own units (Công văn 000 of Diễn Châu), not another commune's letter's
    assert "Trạm Y tế xã" not in after.index and len(after) == 6
    with pytest.raises(unit_reports.UnitReportError, match="không có trong danh sách"):
        unit_reports.record(con, COMMUNE, month, "Phòng X", dt.date(2026, 10, 16), "van_thu")


def test_a_locked_month_refuses_a_unit_report(con):
    from core.errors import LockedMonth
    from storage.locks import lock

    lock(con, COMMUNE, dt.date(2026, 9, 1), "quan_tri")
    with pytest.raises(LockedMonth):
        unit_reports.record(
            con, COMMUNE, dt.date(2026, 9, 1), "Công an xã", dt.date(2026, 9, 10), "van_thu"
        )


def test_rejected_and_returned_cases_by_field_and_officer(samples_db, tmp_path):
    import duckdb

    from indicators.overdue import returned_cases, returned_summary

    copy = tmp_path / "kpi.duckdb"
    shutil.copy(samples_db, copy)
    con = duckdb.connect(str(copy), read_only=True)
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    cases = returned_cases(con, [COMMUNE], start, end)
    expected = con.execute(
        """SELECT count(*) FROM ho_so WHERE commune = ? AND trang_thai IN
               ('tu_choi', 'khong_tiep_nhan', 'yeu_cau_bo_sung', 'dung_xu_ly')
             AND CAST(ngay_tiep_nhan AS DATE) BETWEEN ? AND ?""",
        [COMMUNE, start, end],
    ).fetchone()[0]
    con.close()
    assert len(cases) == expected > 0
    # only codes, procedures, fields, officers and dates: nothing about the citizen
    assert list(cases.columns) == [
        "xa",
        "ma_ho_so",
        "ten_tthc",
        "linh_vuc",
        "can_bo",
        "ngay_tiep_nhan",
        "ngay_ket_thuc",
        "tinh_trang",
    ]
    by_officer = returned_summary(cases, "can_bo")
    assert by_officer["tong"].sum() == expected
    assert list(by_officer["tong"]) == sorted(by_officer["tong"], reverse=True)


def test_half_year_periods_on_the_command_line(samples_db):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "compute",
            "--period",
            "2026-H1",
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
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    received = {i["id"]: i for i in out["indicators"]}["ho_so_tiep_nhan"]
    quarters = []
    for q in ("2026-Q1", "2026-Q2"):
        part = subprocess.run(
            [
                sys.executable,
                "-m",
                "cli",
                "compute",
                "--period",
                q,
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
            timeout=120,
        )
        quarters.append(
            {i["id"]: i for i in json.loads(part.stdout)["indicators"]}["ho_so_tiep_nhan"]["value"]
        )
    assert received["value"] == sum(quarters)


# --- the "6 rõ" of every seeded task, against the seeds' own sentences (002 I.1: «100% nhiệm
# vụ được giao năm 2026 được gắn với quy tắc "6 rõ"») ---

SIX = ("chu_tri", "noi_dung", "thoi_han", "phoi_hop", "san_pham", "tham_quyen")


def seed_words(doc: str) -> str:
    from tests.conftest import SEEDS_DIR

    path = next(SEEDS_DIR.glob(f"{doc}_*.txt"))
    return " ".join(path.read_text(encoding="utf-8").replace("**", "").split())


def folded(text: str) -> str:
    """Letters and digits only, without tone marks or case: «Chánh Vp HĐND - UBND» and
    «Chánh VP HĐND-UBND» are one name, «Xây dụng» (the appendix's broken line) «Xây dựng»."""
    import re

    from core.text import ascii_fold

    return re.sub(r"[^0-9a-z]", "", ascii_fold(text).casefold())


def programme_tasks() -> list[dict]:
    import yaml

    from storage.tasks import SEED

    doc = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    return [*doc["tasks"], *doc["duties"]]


def appendix_rows() -> dict[str, list[str]]:
    """002's appendix table: TT -> [task, «Trực tiếp chỉ đạo», «Dự kiến kết quả», «Thời gian
    hoàn thành»], a row broken over a page joined cell by cell; 2.1.x take 2.1's result and
    time."""
    import re

    from tests.conftest import SEEDS_DIR

    text = next(SEEDS_DIR.glob("002_*.txt")).read_text(encoding="utf-8")
    rows: dict[str, list[str]] = {}
    last = None
    for line in text.split("Phụ lục", 1)[1].splitlines():
        cells = line.split("\t")
        if re.fullmatch(r"\d+(\.\d+)+", cells[0].strip()):
            last = cells[0].strip()
            rows[last] = [c.strip() for c in cells[1:5]] + [""] * (5 - len(cells))
        elif last and line.startswith("\t") and len(cells) >= 5:
            rows[last] = [
                f"{a} {b.strip()}".strip() for a, b in zip(rows[last], cells[1:5], strict=True)
            ]
    for tt in ("2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5"):
        rows[tt][2:] = rows["2.1"][2:]
    return rows


def test_every_seeded_task_names_all_six_in_the_file_and_in_the_database(con):
    from storage.tasks import seed

    items = programme_tasks()
    for t in items:
        assert [k for k in SIX if not str(t.get(k) or "").strip()] == [], t["tt"]
        assert "tham_quyen" in t, t["tt"]  # its own decider, not the file's fallback
        assert "mục" in t.get("ghi_chu", ""), t["tt"]  # where phối hợp, thẩm quyền come from
    # a database is seeded when it opens, once: seeding again adds nothing
    assert seed(con) == 0
    assert con.execute("SELECT count(*) FROM nhiem_vu").fetchall() == [(34,)]
    con.execute("DELETE FROM nhiem_vu")
    assert seed(con) == len(items) == 34  # the appendix 1.1-5.4 (22), the duties VB.1-VB.12
    stored = con.execute(f"SELECT tt, {', '.join(SIX)} FROM nhiem_vu").fetchall()
    assert len(stored) == len(items)
    for row in stored:
        assert all(isinstance(v, str) and v.strip() for v in row[1:]), row
    # and each task's note saying where its phối hợp and thẩm quyền come from
    assert dict(con.execute("SELECT tt, ghi_chu FROM nhiem_vu").fetchall()) == {
        t["tt"]: t["ghi_chu"] for t in items
    }


def test_each_appendix_task_reads_as_the_appendix_writes_it():
    rows = appendix_rows()
    appendix = [t for t in programme_tasks() if not t["tt"].startswith("VB.")]
    assert sorted(t["tt"] for t in appendix) == sorted(set(rows) - {"2.1"})
    for t in appendix:
        task, lead, product, when = rows[t["tt"]]
        assert folded(t["noi_dung"]).rstrip(".") in folded(task), t["tt"]
        assert folded(t["chu_tri"]) == folded(lead), (t["tt"], t["chu_tri"], lead)
        assert folded(t["san_pham"]) == folded(product), (t["tt"], t["san_pham"], product)
        assert folded(t["thoi_han"]) in folded(when), (t["tt"], t["thoi_han"], when)
    by_tt = {t["tt"]: t for t in appendix}
    # the reading: 5.4 led by Ban Xây dựng Đảng, 5.1 by «Trưởng các phòng, ban»
    assert by_tt["5.4"]["chu_tri"] == "Ban Xây dựng Đảng"
    assert by_tt["5.1"]["chu_tri"] == "Trưởng các phòng, ban chuyên môn"


def test_every_unit_and_decider_is_one_the_seeds_name():
    import re

    everything = folded(" ".join(seed_words(d) for d in ("000", "001", "002", "003", "004")))
    for t in programme_tasks():
        for column in ("chu_tri", "phoi_hop", "tham_quyen"):
            plain = re.sub(r"\([^)]*\)", "", t[column])  # a bracket says why, not who
            for name in re.split(r";|,| và ", plain):
                if name.strip():
                    assert folded(name) in everything, (t["tt"], column, name)


def test_the_decider_is_the_one_the_document_implies_not_one_default():
    by_tt = {t["tt"]: t["tham_quyen"] for t in programme_tasks()}
    assert len(set(by_tt.values())) >= 6
    # training and Party propaganda: Ban Xây dựng Đảng advises Ban Thường vụ (002 III.3)
    assert {by_tt[tt] for tt in ("4.1", "4.2", "5.1", "5.2", "5.3", "5.4")} == {
        "Ban Thường vụ Đảng ủy"
    }
    assert by_tt["1.2"] == "Chủ tịch UBND xã"  # local funds (002 III.5)
    assert by_tt["3.3"] == "Đảng ủy xã"  # «Đảng ủy chỉ đạo Công an xã» (002 II.3.4)
    assert by_tt["2.1.4"] == "Ủy ban Mặt trận Tổ quốc Việt Nam xã"  # 002 III.6
    assert by_tt["VB.8"] == "Ban Thường vụ Đảng ủy xã"  # 003 III.1, III.4
    assert by_tt["VB.10"] == "Thường trực Ban Chỉ đạo"  # 002 III.3
    assert "«Đảng ủy chỉ đạo Công an xã thường xuyên cảnh báo các thủ đoạn lừa đảo»" in next(
        t["ghi_chu"] for t in programme_tasks() if t["tt"] == "3.3"
    )
    assert "Đảng ủy chỉ đạo Công an xã thường xuyên cảnh báo các thủ đoạn lừa đảo" in seed_words(
        "002"
    )


# tasks the programme names that the appendix does not: tt -> (document, the seed's sentence,
# source cited, lead unit, recurring)
NAMED_TASKS = {
    "VB.10": (
        "002",
        "Ủy ban Kiểm tra Đảng ủy chủ trì tổ chức thực hiện việc đánh giá độc lập",
        "Chương trình 002, mục III.3",
        "Ủy ban Kiểm tra Đảng ủy",
        True,
    ),
    "VB.11": (
        "002",
        "Đào tạo tại chỗ: Tổ chức các buổi hướng dẫn thực hành kỹ năng số ngay tại "
        "cuộc họp giao ban tuần/tháng",
        "Chương trình 002, mục II.3.3",
        "Phòng Văn hóa - Xã hội",
        True,
    ),
    "VB.12": (
        "003",
        "Đột phá phát triển giáo dục toàn diện, từng bước hình thành công dân số, "
        "công dân toàn cầu cho học sinh phổ thông",
        "Kế hoạch 003, mục II.4",
        "UBND xã (người chịu trách nhiệm là Phó Chủ tịch UBND xã)",
        False,
    ),
}


@pytest.mark.parametrize("tt", sorted(NAMED_TASKS))
def test_a_task_the_programme_names_is_seeded_with_its_sentence(con, tt):
    import re

    from storage.tasks import list_tasks, seed

    doc, words, source, lead, recurring = NAMED_TASKS[tt]
    assert words in seed_words(doc)
    seed(con)
    task = list_tasks(con, [COMMUNE], dt.date(2026, 11, 22)).set_index("tt").loc[tt]
    assert (task["nguon"], task["chu_tri"], bool(task["thuong_xuyen"])) == (source, lead, recurring)
    # rõ việc: each part of the task is the document's own words
    for part in re.split(r"[;:]", task["noi_dung"]):
        assert folded(part) in folded(seed_words(doc)), (tt, part)


def test_the_breakthrough_task_carries_003s_own_six():
    t = next(t for t in programme_tasks() if t["tt"] == "VB.12")
    words = seed_words("003")
    assert (
        "Cơ quan phối hợp: Các trường Trung học cơ sở trên địa bàn xã; Phòng Văn hóa - Xã "
        "hội; Đoàn Thanh niên; Hội Phụ huynh học sinh"
    ) in words
    assert t["phoi_hop"] == (
        "Các trường Trung học cơ sở trên địa bàn xã; Phòng Văn hóa - Xã "
        "hội; Đoàn Thanh niên; Hội Phụ huynh học sinh"
    )
    assert "Người chịu trách nhiệm: Phó Chủ tịch UBND xã" in words
    assert t["san_pham"] in words and t["thoi_han"] == "Năm 2026"
