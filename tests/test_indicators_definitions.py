"""Definitions fail loudly; targets and bands behave at their edges; hand-entered history."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from core.periods import parse
from indicators.compute import Engine
from indicators.definitions import (
    DEFINITIONS_DIR,
    TARGETS_DIR,
    DefinitionError,
    load_catalog,
    manual_indicators,
)
from indicators.status import evaluate
from storage.figures import ManualEntryError, enter, history

MANUAL = manual_indicators()


def test_every_programme_indicator_is_defined():
    catalog = load_catalog()
    # 52 indicators and 10 figures the monthly report prints (outside the scorecard)
    assert len(catalog.indicators) == 62
    assert sum(i.in_scorecard for i in catalog.indicators.values()) == 52
    with_targets = {t.indicator for t in catalog.targets}
    for ident in ("ty_le_so_hoa", "ty_le_ket_qua_dien_tu", "ty_le_tai_su_dung", "ty_le_hai_long",
                  "ty_le_su_dung_vneid_muc2", "ty_le_asxh_khong_tien_mat", "tang_truong_grdp",
                  "thu_nhap_binh_quan", "ty_trong_khcn_grdp", "phu_song_5g"):
        assert ident in with_targets


def broken_copy(tmp_path, text_from: str, text_to: str):
    defs = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS_DIR, defs)
    path = defs / "cchc.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(text_from, text_to, 1),
                    encoding="utf-8")
    return defs


def test_a_bad_filter_names_the_file_and_the_field(tmp_path):
    defs = broken_copy(tmp_path, "where: \"kenh = 'truc_tuyen'\"", "where: \"kenhh = 1\"")
    with pytest.raises(DefinitionError, match=r"cchc.yaml: chỉ số ty_le_truc_tuyen.numerator\[0\]"):
        load_catalog(defs, TARGETS_DIR)


def test_an_unknown_set_is_refused(tmp_path):
    defs = broken_copy(tmp_path, "numerator: [{set: received}]", "numerator: [{set: nhan}]")
    with pytest.raises(DefinitionError,
                       match=re.escape("cchc.yaml: chỉ số ho_so_tiep_nhan.numerator")):
        load_catalog(defs, TARGETS_DIR)


def test_an_unknown_report_measure_is_refused(tmp_path):
    defs = broken_copy(tmp_path, "bieu_06a.nhan_truc_tuyen]", "bieu_06a.khong_co]")
    with pytest.raises(DefinitionError,
                       match=re.escape("chỉ tiêu báo cáo không tồn tại: bieu_06a.khong_co")):
        load_catalog(defs, TARGETS_DIR)


def ind(ident):
    return load_catalog().indicators[ident]


def target(ident):
    return load_catalog().target_for(ident, 2026, None)


@pytest.mark.parametrize("value,status", [(0.98, "dat"), (0.9799, "gan_dat"), (0.93, "gan_dat"),
                                          (0.9299, "cham"), (None, "khong_co_du_lieu")])
def test_min_target_bands(value, status):
    ev = evaluate(ind("ty_le_so_hoa"), target("ty_le_so_hoa"), value, dt.date(2026, 6, 30))
    assert ev.status == status and ev.target == 0.98


def test_no_target_is_not_red():
    ev = evaluate(ind("ty_le_truc_tuyen"), None, 0.1, dt.date(2026, 6, 30))
    assert ev.status == "chua_co_chi_tieu"


def test_range_target():
    t = target("thu_nhap_binh_quan")
    assert evaluate(ind("thu_nhap_binh_quan"), t, 76, dt.date(2026, 12, 31)).status == "dat"
    assert evaluate(ind("thu_nhap_binh_quan"), t, 71, dt.date(2026, 12, 31)).status == "gan_dat"
    assert evaluate(ind("thu_nhap_binh_quan"), t, 69, dt.date(2026, 12, 31)).status == "cham"


def test_growth_target_is_relative_to_the_baseline_year():
    t = target("ty_le_su_dung_vneid_muc2")
    i = ind("ty_le_su_dung_vneid_muc2")
    # «tăng tối thiểu 25 - 35% tỷ lệ ... so với năm 2025»: 40% in 2025 asks for 50% in 2026
    december = evaluate(i, t, 0.50, dt.date(2026, 12, 31), baseline=0.40)
    assert december.target == pytest.approx(0.50) and december.status == "dat"
    assert evaluate(i, t, 0.46, dt.date(2026, 12, 31), baseline=0.40).status == "gan_dat"
    assert evaluate(i, t, 0.44, dt.date(2026, 12, 31), baseline=0.40).status == "cham"


def test_growth_in_percentage_points_when_an_admin_chooses_it():
    import dataclasses

    t = dataclasses.replace(target("ty_le_su_dung_vneid_muc2"), growth="points")
    ev = evaluate(ind("ty_le_su_dung_vneid_muc2"), t, 0.60, dt.date(2026, 12, 31), baseline=0.40)
    assert ev.target == pytest.approx(0.65) and ev.status == "gan_dat"


def test_a_missing_baseline_says_which_year_is_missing():
    ev = evaluate(ind("ty_le_su_dung_vneid_muc2"), target("ty_le_su_dung_vneid_muc2"), 0.5,
                  dt.date(2026, 6, 30))
    assert ev.status == "thieu_so_lieu_goc" and ev.note == "Thiếu số liệu năm 2025"


def test_deadline_target_follows_a_path_to_its_date():
    t = target("ty_le_asxh_khong_tien_mat")  # «hoàn thành trong năm 2026»
    i = ind("ty_le_asxh_khong_tien_mat")
    assert t.due == dt.date(2026, 12, 31)
    # from 60% at the start of the year, half way on 2 July
    mid = evaluate(i, t, 0.80, dt.date(2026, 7, 2), start_value=0.60)
    assert mid.expected == pytest.approx(0.80, abs=0.002) and mid.status == "dat"
    # in January a value far from 100% is not red: the path has barely begun
    # (the path expects 60% + 40% x 30/364 = 63,3% on 31 January)
    assert evaluate(i, t, 0.64, dt.date(2026, 1, 31), start_value=0.60).status == "dat"
    assert evaluate(i, t, 0.62, dt.date(2026, 1, 31), start_value=0.60).status == "gan_dat"
    # at the date the whole value is due, with no "almost"
    assert evaluate(i, t, 0.97, dt.date(2026, 12, 31), start_value=0.60).status == "cham"


def test_range_band_is_proportional_to_the_range():
    i, t = ind("tang_truong_grdp"), target("tang_truong_grdp")  # 11,81% - 12%
    assert evaluate(i, t, 0.07, dt.date(2026, 6, 30)).status == "cham"
    assert evaluate(i, t, 0.117, dt.date(2026, 6, 30)).status == "gan_dat"
    assert evaluate(i, t, 0.1181, dt.date(2026, 6, 30)).status == "dat"


def test_lower_is_better_mirrors_the_bands():
    from indicators.definitions import Target

    t = Target("ty_le_qua_han", 2026, "max", value=0.02)
    assert evaluate(ind("ty_le_qua_han"), t, 0.02, dt.date(2026, 1, 31)).status == "dat"
    assert evaluate(ind("ty_le_qua_han"), t, 0.05, dt.date(2026, 1, 31)).status == "gan_dat"
    assert evaluate(ind("ty_le_qua_han"), t, 0.08, dt.date(2026, 1, 31)).status == "cham"


def test_hand_entered_history_keeps_versions(con):
    v1 = enter(con, MANUAL, "ty_le_asxh_khong_tien_mat", "Xã Diễn Châu", dt.date(2026, 9, 1),
               numerator=450, denominator=500, source="Phòng VH-XH, báo cáo 12/BC",
               user="can_bo_a")
    v2 = enter(con, MANUAL, "ty_le_asxh_khong_tien_mat", "xã diễn châu", dt.date(2026, 9, 1),
               numerator=480, denominator=500, source="Phòng VH-XH, sửa số liệu",
               user="can_bo_b", note="bổ sung 30 người")
    assert (v1, v2) == (1, 2)
    rows = history(con, "ty_le_asxh_khong_tien_mat")
    assert rows["phien_ban"].tolist() == [2, 1]
    result = {r.id: r for r in Engine(con).scorecard(parse("2026-09"), "Xã Diễn Châu")}
    r = result["ty_le_asxh_khong_tien_mat"]
    assert (r.numerator, r.denominator, r.value, r.status) == (480, 500, 0.96, "gan_dat")
    assert r.source == "nhap_tay"


def test_hand_entry_is_validated(con):
    with pytest.raises(ManualEntryError, match="không phải chỉ số nhập tay"):
        enter(con, MANUAL, "ty_le_so_hoa", "Xã A", dt.date(2026, 1, 1), value=0.5, source="x",
              user="u")
    with pytest.raises(ManualEntryError, match="Cần ghi nguồn"):
        enter(con, MANUAL, "phu_song_5g", "Xã A", dt.date(2026, 1, 1), value=0.5, source=" ",
              user="u")
    with pytest.raises(ManualEntryError, match="không hợp lệ"):
        enter(con, MANUAL, "phu_song_5g", "Xã A", dt.date(2026, 1, 1), value=85, source="x",
              user="u")


def test_a_misspelt_key_in_the_synonym_table_fails_naming_the_file_and_place(tmp_path):
    from loaders.vocabulary import SYNONYMS_FILE, VocabularyError, load

    broken = tmp_path / "synonyms.yaml"
    broken.write_text(SYNONYMS_FILE.read_text(encoding="utf-8").replace(
        "    required: [ma_ho_so, ngay_tiep_nhan]", "    requied: [ma_ho_so, ngay_tiep_nhan]", 1),
        encoding="utf-8")
    with pytest.raises(VocabularyError,
                       match=r"synonyms.yaml: .*kinds.danh_sach_ho_so.requied: trường không có"):
        load(broken)


def test_a_misspelt_key_in_an_indicator_fails_at_start(tmp_path):
    defs = broken_copy(tmp_path, "    denominator: [{set: received}]",
                       "    denominater: [{set: received}]")
    with pytest.raises(DefinitionError,
                       match=r"cchc.yaml: chỉ số ty_le_truc_tuyen.denominater: trường không có"):
        load_catalog(defs, TARGETS_DIR)


def test_a_target_for_an_unknown_indicator_fails_at_start(tmp_path):
    targets = tmp_path / "targets"
    shutil.copytree(TARGETS_DIR, targets)
    path = targets / "2026.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "indicator: ty_le_so_hoa,", "indicator: ty_le_so_hoaa,", 1), encoding="utf-8")
    with pytest.raises(DefinitionError, match="không có chỉ số «ty_le_so_hoaa»"):
        load_catalog(DEFINITIONS_DIR, targets)
