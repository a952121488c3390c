"""Every 2026 target against the sentence of the commune's documents it comes from: the words
are in the seed, the numbers and the kind match them, and the citation names the section."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from indicators.definitions import load_catalog
from tests.conftest import SEEDS_DIR

SEEDS = {"002": "002_8d92f41ead76dd2a.txt", "000": "000_e04d32160d48bd14.txt"}


def seed_text(doc: str) -> str:
    return " ".join((SEEDS_DIR / SEEDS[doc]).read_text(encoding="utf-8").split())


D = dt.date
# indicator -> (document, words of the sentence, section cited, kind, numbers)
WRITTEN = {
    "tang_truong_grdp": ("002", "Tốc độ tăng trưởng kinh tế bình quân đạt: 11,81%-12%", "I.2.1",
                         "range", {"low": 0.1181, "high": 0.12}),
    "thu_nhap_binh_quan": ("002", "Thu nhập bình quân đầu người đạt: 75-80 triệu", "I.2.1",
                           "range", {"low": 75, "high": 80}),
    "ty_trong_khcn_grdp": ("002", "chuyển đổi số trong GRDP đạt 11-12,5%", "I.2.1", "range",
                           {"low": 0.11, "high": 0.125}),
    "co_cau_nong_lam_thuy_san": ("002", "Nông, lâm nghiệp và thủy sản: 36,5%", "I.2.1", "max",
                                 {"value": 0.365}),
    "co_cau_cong_nghiep_xay_dung": ("002", "Công nghiệp - xây dựng: 24,0%", "I.2.1", "min",
                                    {"value": 0.24}),
    "co_cau_thuong_mai_dich_vu": ("002", "Thương mại, dịch vụ: 39,5%", "I.2.1", "min",
                                  {"value": 0.395}),
    "phu_song_5g": ("002", "Mở rộng phủ sóng 5G đạt 85% dân số", "I.2.3.1.a", "min",
                    {"value": 0.85}),
    "ty_le_so_hoa_thong_tin_to_chuc": ("002", "từ 80% thông tin về tổ chức bộ máy, biên chế",
                                       "I.2.3.1.a", "min", {"value": 0.8}),
    "ty_le_so_hoa_ho_so_can_bo": ("002", "Thực hiện số hóa 100% hồ sơ cán bộ, công chức và hồ "
                                  "sơ đảng viên tại xã", "II.3.2", "min", {"value": 1.0}),
    "ty_le_du_lieu_2020_2024_kho_tinh": ("002", "trên 50% dữ liệu giai đoạn 2020 - 2024",
                                         "I.2.3.1.a", "min", {"value": 0.5}),
    "ty_le_du_lieu_2025_kho_tinh": ("002", "100% dữ liệu năm 2025 được tập trung về kho",
                                    "I.2.3.1.a", "min", {"value": 1.0}),
    "ty_le_quy_trinh_tai_cau_truc": ("002", "Tái cấu trúc, chuẩn hóa, số hóa 100% quy trình "
                                     "nghiệp vụ", "II.3.2", "min", {"value": 1.0}),
    "ty_le_tieu_thuong_qr": ("002", "Vận động 100% tiểu thương tại chợ xã", "II.4", "min",
                             {"value": 1.0}),
    "ty_le_mo_hinh_cong_nghe": ("002", "Phấn đấu 15% các mô hình kinh tế", "I.2.4", "min",
                                {"value": 0.15}),
    "ty_le_asxh_khong_tien_mat": ("002", "hoàn thành trong năm 2026", "II.5", "deadline",
                                  {"value": 1.0, "due": D(2026, 12, 31)}),
    "ty_le_su_dung_vneid_muc2": ("002", "tăng tối thiểu 25 - 35% tỷ lệ người dân sử dụng VNeID "
                                 "mức độ 2 trong thực hiện thủ tục hành chính", "I.2.3.3",
                                 "growth", {"low": 0.25, "high": 0.35, "baseline_year": 2025,
                                            "growth": "relative"}),
    "ty_le_vneid_muc2": ("002", "hoàn thành dứt điểm trong năm 2026", "II.8", "deadline",
                         {"value": 1.0, "due": D(2026, 12, 31)}),
    "ty_le_so_hoa": ("002", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính cấp xã "
                     "đạt **98%**", "I.2.5", "min", {"value": 0.98}),
    "ty_le_tai_su_dung": ("002", "tỷ lệ khai thác, sử dụng lại dữ liệu số hóa đạt **95%**",
                          "I.2.5", "min", {"value": 0.95}),
    "ty_le_so_hoa_truc_tiep": ("002", "Số hóa 100% hồ sơ đầu vào của", "II.7", "min",
                               {"value": 1.0}),
    "ty_le_cung_cap_mot_lan": ("002", "**80%** thông tin, giấy tờ trong thủ tục hành chính liên "
                               "quan đến hoạt động sản xuất, kinh doanh được cung cấp một lần",
                               "I.2.5", "min", {"value": 0.8}),
    "ty_le_hai_long": ("002", "đạt tối thiểu **95%**", "I.2.5", "min", {"value": 0.95}),
    "ty_le_dvc_vneid": ("002", "bảo đảm 100% dịch vụ công trực tuyến đủ điều kiện hỗ trợ đăng "
                        "nhập bằng tài khoản định danh điện tử", "I.2.6", "min", {"value": 1.0}),
    "ty_le_tai_su_dung_csdl_quoc_gia": ("002", "Tối thiểu **80%** thông tin, giấy tờ của người "
                                        "dân, doanh nghiệp đã được số hóa", "I.2.6", "min",
                                        {"value": 0.8}),
    "ty_le_he_thong_kiem_tra_attt": ("002", "kiểm tra, đánh giá định kỳ 100% hệ thống thông "
                                     "tin", "II.3.4", "min", {"value": 1.0}),
    "ty_le_can_bo_hoc_ai": ("000", "phát động rộng rãi phong trào học AI đặc biệt là trong lực "
                            "lượng vũ trang", "Công văn 000, mục 1", "min", {"value": 1.0}),
}


@pytest.mark.parametrize("ident", sorted(WRITTEN))
def test_target_reads_as_the_programme_writes_it(ident):
    doc, words, section, kind, numbers = WRITTEN[ident]
    assert words in seed_text(doc), f"{ident}: the sentence is not in seed {doc}"
    t = load_catalog().target_for(ident, 2026, None)
    assert t is not None and t.kind == kind
    for key, value in numbers.items():
        assert getattr(t, key) == pytest.approx(value) if isinstance(value, float) \
            else getattr(t, key) == value, (ident, key)
    assert section in t.source, (ident, t.source)


def test_the_staff_files_target_is_100_not_the_broader_80():
    t = load_catalog().target_for("ty_le_so_hoa_ho_so_can_bo", 2026, None)
    assert t.value == 1.0 and "II.3.2" in t.source and "I.2.3.1.a" not in t.source


def test_the_activated_accounts_count_is_followed_without_a_target():
    catalog = load_catalog()
    assert catalog.target_for("vneid_muc2_kich_hoat", 2026, None) is None
    assert "không phải chỉ tiêu" in catalog.indicators["vneid_muc2_kich_hoat"].explanation


def test_every_target_cites_a_section():
    for t in load_catalog().targets:
        assert re.search(r"mục [IV]+\.|mục \d|Công văn|Phụ lục", t.source), t


def test_every_hand_entered_indicator_has_a_unit_a_unit_owner_and_a_source():
    for ind in load_catalog().indicators.values():
        assert ind.responsible and ind.source, ind.id
        if ind.unit == "count" and ind.manual:
            assert ind.unit_label, ind.id  # «tổ», «người», «máy», «tài khoản»
