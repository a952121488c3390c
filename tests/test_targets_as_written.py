"""Every 2026 target against the sentence of the commune's documents it comes from: the words
are in the seed, the numbers and the kind match them, and the citation names the section."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from indicators.definitions import load_catalog
from tests.conftest import SEEDS_DIR

SEEDS = {
    "000": "000_e04d32160d48bd14.txt",
    "001": "001_4cd0d770ec03d902.txt",
    "002": "002_8d92f41ead76dd2a.txt",
    "003": "003_5b125b0ea950d759.txt",
}


def seed_text(doc: str) -> str:
    return " ".join((SEEDS_DIR / SEEDS[doc]).read_text(encoding="utf-8").split())


D = dt.date
# indicator -> (document, words of the sentence, section cited, kind, numbers)
WRITTEN = {
    "tang_truong_grdp": (
        "002",
        "Tốc độ tăng trưởng kinh tế bình quân đạt: 11,81%-12%",
        "I.2.1",
        "range",
        {"low": 0.1181, "high": 0.12},
    ),
    "thu_nhap_binh_quan": (
        "002",
        "Thu nhập bình quân đầu người đạt: 75-80 triệu",
        "I.2.1",
        "range",
        {"low": 75, "high": 80},
    ),
    "ty_trong_khcn_grdp": (
        "002",
        "chuyển đổi số trong GRDP đạt 11-12,5%",
        "I.2.1",
        "range",
        {"low": 0.11, "high": 0.125},
    ),
    "co_cau_nong_lam_thuy_san": (
        "002",
        "Nông, lâm nghiệp và thủy sản: 36,5%",
        "I.2.1",
        "max",
        {"value": 0.365},
    ),
    "co_cau_cong_nghiep_xay_dung": (
        "002",
        "Công nghiệp - xây dựng: 24,0%",
        "I.2.1",
        "min",
        {"value": 0.24},
    ),
    "co_cau_thuong_mai_dich_vu": (
        "002",
        "Thương mại, dịch vụ: 39,5%",
        "I.2.1",
        "min",
        {"value": 0.395},
    ),
    "phu_song_5g": (
        "002",
        "Mở rộng phủ sóng 5G đạt 85% dân số",
        "I.2.3.1.a",
        "deadline",
        {"value": 0.85, "due": D(2026, 12, 31)},
    ),
    "ty_le_so_hoa_thong_tin_to_chuc": (
        "002",
        "từ 80% thông tin về tổ chức bộ máy, biên chế",
        "I.2.3.1.a",
        "deadline",
        {"value": 0.8, "due": D(2026, 12, 31)},
    ),
    "ty_le_so_hoa_ho_so_can_bo": (
        "002",
        "Thực hiện số hóa 100% hồ sơ cán bộ, công chức và hồ sơ đảng viên tại xã",
        "II.3.2",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_du_lieu_2020_2024_kho_tinh": (
        "002",
        "trên 50% dữ liệu giai đoạn 2020 - 2024",
        "I.2.3.1.a",
        "deadline",
        {"value": 0.5, "due": D(2026, 12, 31)},
    ),
    "ty_le_du_lieu_2025_kho_tinh": (
        "002",
        "100% dữ liệu năm 2025 được tập trung về kho",
        "I.2.3.1.a",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_quy_trinh_tai_cau_truc": (
        "002",
        "Tái cấu trúc, chuẩn hóa, số hóa 100% quy trình nghiệp vụ",
        "II.3.2",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_tieu_thuong_qr": (
        "002",
        "Vận động 100% tiểu thương tại chợ xã",
        "II.4",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_mo_hinh_cong_nghe": (
        "002",
        "Phấn đấu 15% các mô hình kinh tế",
        "I.2.4",
        "deadline",
        {"value": 0.15, "due": D(2026, 12, 31)},
    ),
    "ty_le_asxh_khong_tien_mat": (
        "002",
        "hoàn thành trong năm 2026",
        "II.5",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_su_dung_vneid_muc2": (
        "002",
        "tăng tối thiểu 25 - 35% tỷ lệ người dân sử dụng VNeID "
        "mức độ 2 trong thực hiện thủ tục hành chính",
        "I.2.3.3",
        "growth",
        {"low": 0.25, "high": 0.35, "baseline_year": 2025, "growth": "relative"},
    ),
    "ty_le_vneid_muc2": (
        "002",
        "hoàn thành dứt điểm trong năm 2026",
        "II.8",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_so_hoa": (
        "002",
        "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính cấp xã đạt **98%**",
        "I.2.5",
        "min",
        {"value": 0.98},
    ),
    "ty_le_tai_su_dung": (
        "002",
        "tỷ lệ khai thác, sử dụng lại dữ liệu số hóa đạt **95%**",
        "I.2.5",
        "min",
        {"value": 0.95},
    ),
    "ty_le_so_hoa_truc_tiep": (
        "002",
        "Số hóa 100% hồ sơ đầu vào của",
        "II.7",
        "min",
        {"value": 1.0},
    ),
    "ty_le_cung_cap_mot_lan": (
        "002",
        "**80%** thông tin, giấy tờ trong thủ tục hành chính liên "
        "quan đến hoạt động sản xuất, kinh doanh được cung cấp một lần",
        "I.2.5",
        "min",
        {"value": 0.8},
    ),
    "ty_le_hai_long": ("002", "đạt tối thiểu **95%**", "I.2.5", "min", {"value": 0.95}),
    "ty_le_dvc_vneid": (
        "002",
        "bảo đảm 100% dịch vụ công trực tuyến đủ điều kiện hỗ trợ đăng "
        "nhập bằng tài khoản định danh điện tử",
        "I.2.6",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_tai_su_dung_csdl_quoc_gia": (
        "002",
        "Tối thiểu **80%** thông tin, giấy tờ của người dân, doanh nghiệp đã được số hóa",
        "I.2.6",
        "min",
        {"value": 0.8},
    ),
    "ty_le_he_thong_kiem_tra_attt": (
        "002",
        "kiểm tra, đánh giá định kỳ 100% hệ thống thông tin",
        "II.3.4",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_can_bo_hoc_ai": (
        "000",
        "phát động rộng rãi phong trào học AI đặc biệt là trong lực lượng vũ trang",
        "Công văn 000, mục 1",
        "min",
        {"value": 1.0},
    ),
    # the rest of the programme's targets, each against its sentence
    "ty_le_can_bo_chu_ky_so": (
        "002",
        "có chữ ký số cá nhân để giải quyết công việc trên môi trường điện tử",
        "I.2.3.1.a",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_van_ban_dien_tu": (
        "002",
        "100% hồ sơ được xử lý trên môi trường điện tử",
        "I.2.3.1.a",
        "min",
        {"value": 1.0},
    ),
    "ty_le_so_hoa_tai_lieu_vinh_vien": (
        "002",
        "hoàn thành số hoá tài liệu lưu trữ vĩnh viễn",
        "I.2.3.1.a",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_so_hoa_tai_lieu_3_nam": (
        "000",
        "hoàn thành số hóa tài liệu lưu trữ trong 03 năm gần đây",
        "Công văn 000, mục 3",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_can_bo_ky_nang_so": (
        "002",
        "100% đảng viên, cán bộ, công chức, viên chức được đào tạo, bồi dưỡng kỹ năng số cơ bản",
        "I.2.3.1.b",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_xom_co_to_cnsc": (
        "002",
        "Mỗi khối, xóm có ít nhất 01 tổ nòng cốt hỗ trợ dân số hóa",
        "Phụ lục, mục 5.4",
        "min",
        {"value": 1.0},
    ),
    "ty_le_ho_co_cong_dan_so": (
        "002",
        "mỗi hộ gia đình có ít nhất một người biết sử dụng điện thoại thông minh",
        "II.2",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_thu_phi_y_te_khong_tien_mat": (
        "002",
        "thu phí y tế, học phí qua tài khoản gắn với định danh VneID năm 2026",
        "I.2.4",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_hoc_phi_khong_tien_mat": (
        "002",
        "thu phí y tế, học phí qua tài khoản gắn với định danh VneID năm 2026",
        "I.2.4",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_ket_qua_dien_tu": (
        "002",
        "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính cấp xã đạt **98%**",
        "I.2.5",
        "min",
        {"value": 0.98},
    ),
    "ty_le_tthc_toan_trinh": (
        "002",
        "Cung cấp 100% dịch vụ công trực tuyến toàn trình đối với các thủ tục đủ điều kiện",
        "I.2.5",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_dvc_doanh_nghiep": (
        "002",
        "Các thủ tục hành chính liên quan đến doanh nghiệp được thực hiện trực tuyến",
        "I.2.5",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_he_thong_cap_do_2": (
        "002",
        "hồ sơ đề nghị an toàn thông tin cấp độ 2",
        "I.2.6",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_may_diet_virus": (
        "002",
        "Cài đặt phần mềm diệt virus có bản quyền cho 100% máy tính công vụ",
        "Phụ lục, mục 3.4",
        "deadline",
        {"value": 1.0, "due": D(2026, 9, 30)},
    ),
    # issue 18: the programme's items that had no target
    "ty_le_thong_tin_tuyen_giao_so": (
        "002",
        "100% thông tin, dữ liệu, văn bản về các lĩnh vực "
        "trong công tác tuyên giáo được cung cấp chính thức, kịp "
        "thời, thực hiện trên môi trường số",
        "I.2.3.1.a",
        "min",
        {"value": 1.0},
    ),
    "ty_le_dan_tiep_can_internet": (
        "002",
        "đảm bảo 100% người dân có thể tiếp cận internet chất lượng cao",
        "I.2.3.1.a",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_can_bo_co_thiet_bi": (
        "002",
        "100% cán bộ trong hệ thống chính trị có trang thiết bị đáp ứng yêu cầu công việc",
        "I.2.3.1.a",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "ty_le_can_bo_danh_gia_kpi": (
        "002",
        "Sử dụng phần mềm đánh giá hiệu quả công việc (KPI) "
        "đối với cán bộ, công chức, viên chức trong hệ thống chính trị "
        "xã",
        "I.2.3.1.b",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
    "so_bai_toan_lon": (
        "002",
        "Lựa chọn tối thiểu 03 bài toán lớn",
        "I.2.3.2",
        "deadline",
        {"value": 3, "due": D(2026, 12, 31)},
    ),
    "ty_le_van_ban_de_an_06_dung_han": (
        "002",
        "Bảo đảm ban hành đầy đủ, kịp thời 100% văn bản "
        "chỉ đạo, kế hoạch, chương trình hành động triển khai "
        "Đề án 06 theo đúng thẩm quyền, đúng thời hạn",
        "II.8",
        "min",
        {"value": 1.0},
    ),
    "so_thu_tuc_dang_dien_tu": (
        "002",
        "Thực hiện 4 thủ tục hành chính trên môi trường điện tử",
        "III.2",
        "deadline",
        {"value": 4, "due": D(2026, 12, 31)},
    ),
    "ty_le_hop_truc_tuyen_dam_bao": (
        "002",
        "Đảm bảo kỹ thuật 100% các cuộc họp trực tuyến",
        "Phụ lục, mục 1.1",
        "min",
        {"value": 1.0},
    ),
    "ty_le_co_quan_wifi": (
        "002",
        "100% các Cơ quan có hạ tầng mạng Wi-Fi tốc độ cao, ổn định",
        "Phụ lục, mục 1.3",
        "min",
        {"value": 1.0},
    ),
    "ty_le_can_bo_ky_nang_bao_mat": (
        "002",
        "100% cán bộ, đảng viên nắm vững kỹ năng bảo mật cơ bản",
        "Phụ lục, mục 3.3",
        "deadline",
        {"value": 1.0, "due": D(2026, 9, 30)},
    ),
    "ty_le_truong_hoc_ung_dung_cds": (
        "003",
        "100% trường học từng bước triển khai hiệu quả các "
        "ứng dụng chuyển đổi số trong quản lý và dạy học",
        "Kế hoạch 003, mục II.4",
        "deadline",
        {"value": 1.0, "due": D(2026, 12, 31)},
    ),
}


@pytest.mark.parametrize("ident", sorted(WRITTEN))
def test_target_reads_as_the_programme_writes_it(ident):
    doc, words, section, kind, numbers = WRITTEN[ident]
    assert words in seed_text(doc), f"{ident}: the sentence is not in seed {doc}"
    t = load_catalog().target_for(ident, 2026, None)
    assert t is not None and t.kind == kind
    for key, value in numbers.items():
        assert (
            getattr(t, key) == pytest.approx(value)
            if isinstance(value, float)
            else getattr(t, key) == value
        ), (ident, key)
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


def test_every_target_is_checked_against_its_sentence():
    assert {t.indicator for t in load_catalog().targets} == set(WRITTEN)


# the document a «quote» in a source is taken from: the last one named before it, else 002
_DOCUMENT = re.compile(r"Công văn (000|001)|Kế hoạch (003)|(002)")


@pytest.mark.parametrize("ident", sorted(WRITTEN))
def test_every_quoted_sentence_is_in_the_document_it_names(ident):
    source = load_catalog().target_for(ident, 2026, None).source
    quotes = list(re.finditer(r"«([^»]*)»", source))
    assert quotes, f"{ident}: the source quotes no sentence: {source}"
    for quote in quotes:
        named = [
            next(g for g in m.groups() if g) for m in _DOCUMENT.finditer(source[: quote.start()])
        ]
        text = seed_text(named[-1] if named else "002").replace("**", "")
        for part in quote.group(1).split(" ... "):  # «a ... b»: both parts are the document's
            assert part.strip(". ") in text, (ident, part)


def test_a_level_to_reach_within_the_year_is_a_deadline_and_a_monthly_share_is_a_minimum():
    catalog = load_catalog()
    kinds = {t.indicator: (t.kind, t.due) for t in catalog.targets}
    # every official trained, every system checked, all data moved: a path to 31/12 (or to
    # the appendix's quarter), never 100% asked from January
    for ident in (
        "ty_le_can_bo_ky_nang_so",
        "ty_le_he_thong_kiem_tra_attt",
        "ty_le_du_lieu_2025_kho_tinh",
        "ty_le_can_bo_co_thiet_bi",
    ):
        assert kinds[ident] == ("deadline", D(2026, 12, 31)), ident
    assert kinds["ty_le_can_bo_ky_nang_bao_mat"] == ("deadline", D(2026, 9, 30))  # Quý III/2026
    # each month's cases, documents and meetings: the share holds in every month
    for ident in (
        "ty_le_so_hoa",
        "ty_le_hai_long",
        "ty_le_van_ban_de_an_06_dung_han",
        "ty_le_hop_truc_tuyen_dam_bao",
    ):
        assert kinds[ident] == ("min", None), ident
    # the appendix dates 5.1 «Đã thực hiện» and 5.4 «Thường xuyên»: no path
    assert kinds["ty_le_can_bo_hoc_ai"][0] == kinds["ty_le_xom_co_to_cnsc"][0] == "min"


def test_the_growth_range_keeps_the_programmes_decimals():
    from indicators.status import target_label

    catalog = load_catalog()
    growth = catalog.indicators["tang_truong_grdp"]
    assert growth.decimals == 2  # «11,81%-12%»: 11,81 is not rounded to 11,8
    assert target_label(growth, catalog.target_for("tang_truong_grdp", 2026, None)).startswith(
        "11,81%"
    )
