"""The audit trail: who imported, undid, entered, corrected, locked or unlocked, when, and
what changed. Written inside the same transaction as the change it records, so a change
without its line (or a line without its change) cannot happen."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

import duckdb
import pandas as pd

from core import formatting as fmt
from core.type_enums import ImportKind, TargetKind

ACTIONS = {
    "nhap_tep": "Nhập tệp",
    "hoan_tac": "Hoàn tác lần nhập",
    "nhap_so_lieu": "Nhập số liệu",
    "sua_nhiem_vu": "Sửa nhiệm vụ",
    "nhap_nhiem_vu": "Nhập danh mục nhiệm vụ",
    "khoa_thang": "Khóa tháng",
    "mo_khoa_thang": "Mở khóa tháng",
    "sao_luu": "Sao lưu",
    "tai_khoan": "Tài khoản",
    "chi_tieu": "Sửa chỉ tiêu",
    "so_lieu_goc": "Nhập số liệu năm gốc",
    "bao_cao_don_vi": "Ghi nhận báo cáo đơn vị",
    "noi_dung_bao_cao": "Viết nội dung báo cáo",
    "dia_ban": "Ghi địa bàn của xã",
    "cuoc_hop": "Ghi cuộc họp",
    "ket_luan": "Ghi kết luận cuộc họp",
    "giao_viec": "Giao việc theo kết luận",
    "khoa_cuoc_hop": "Khóa biên bản cuộc họp",
    "thong_bao_ket_luan": "Viết thông báo kết luận",
    "gui_nhac_viec": "Gửi thư nhắc việc",
}


def record(
    con: duckdb.DuckDBPyConnection,
    user: str,
    action: str,
    target: str,
    detail: dict | str | None = None,
) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    text = (
        detail
        if isinstance(detail, str) or detail is None
        else json.dumps(detail, ensure_ascii=False, default=str)
    )
    con.execute(
        "INSERT INTO nhat_ky VALUES (nextval('nhat_ky_id_seq'), ?, ?, ?, ?, ?)",
        [dt.datetime.now(), user or "khong_ro", action, target, text],
    )


def trail(
    con: duckdb.DuckDBPyConnection,
    limit: int = 1000,
    indicators: Mapping[str, tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """The latest changes, each told as a Vietnamese sentence (the stored detail stays
    structured, so older lines read the same way). ``indicators`` (id -> name, unit) names
    the indicator a target or figure line is about and says its rates as percentages."""
    df = con.execute(
        """SELECT id, thoi_diem, nguoi, hanh_dong, doi_tuong, chi_tiet
                        FROM nhat_ky ORDER BY id DESC LIMIT ?""",
        [limit],
    ).df()
    known = indicators or {}
    units = [
        known.get(str(t).split(" ", 1)[0], ("", ""))[1] if a in _ABOUT_INDICATOR else ""
        for a, t in zip(df["hanh_dong"], df["doi_tuong"], strict=True)
    ]
    df["chi_tiet"] = [
        sentence(a, d, u) for a, d, u in zip(df["hanh_dong"], df["chi_tiet"], units, strict=True)
    ]
    df["doi_tuong"] = [
        _named(a, str(t), known) for a, t in zip(df["hanh_dong"], df["doi_tuong"], strict=True)
    ]
    df["hanh_dong"] = df["hanh_dong"].map(lambda a: ACTIONS.get(a, a))
    return df


# the actions whose target starts with an indicator's id
_ABOUT_INDICATOR = ("chi_tieu", "nhap_so_lieu", "so_lieu_goc")
# the fields that hold a rate (a share of 1) when the indicator is a percentage
_RATES = ("gia_tri", "thap", "cao")


def _named(action: str, target: str, indicators: Mapping[str, tuple[str, str]]) -> str:
    if action not in _ABOUT_INDICATOR:
        return target
    ident, _, rest = target.partition(" ")
    return f"{indicators[ident][0]} {rest}".strip() if ident in indicators else target


# the words for the fields a detail may carry
FIELDS = {
    "loai": "loại",
    "xa": "xã",
    "den_ngay": "số liệu đến",
    "moi": "dòng mới",
    "cap_nhat": "dòng cập nhật",
    "khong_doi": "dòng không đổi",
    "dong_loi": "dòng lỗi",
    "phien_ban": "phiên bản",
    "gia_tri": "giá trị",
    "tu_so": "tử số",
    "mau_so": "mẫu số",
    "nguon": "nguồn",
    "ghi_chu": "ghi chú",
    "thap": "mức thấp",
    "cao": "mức cao",
    "nam_goc": "năm gốc",
    "cach_tang": "cách tính mức tăng",
    "han": "hạn",
    "can_cu": "căn cứ",
    "vai_tro": "vai trò",
    "hoat_dong": "đang dùng",
    "tao": "tạo mới",
    "tt": "nhiệm vụ",
    "phoi_hop": "phối hợp",
    "tham_quyen": "thẩm quyền",
    "trang_thai": "trạng thái",
    "ngay_hoan_thanh": "ngày hoàn thành",
    "chu_tri": "chủ trì",
    "san_pham": "sản phẩm",
    "thoi_han": "thời hạn",
    "ngay": "ngày",
    "noi_dung": "nội dung",
    "so_ky_hieu": "số, ký hiệu",
    "truoc": "trước",
    "sau": "sau",
    "nguoi_chu_tri": "người chủ trì",
    "den": "tới",
}
# coded values a detail may hold, in words (the lists they come from live in the modules
# that write them; those import this one, so the words are repeated here)
KINDS = {
    **{k.value: k.label for k in ImportKind},
    **{k.value: k.label for k in TargetKind},
    "relative": "tăng tương đối",
    "points": "tăng theo điểm phần trăm",
    "chua_thuc_hien": "chưa thực hiện",
    "dang_thuc_hien": "đang thực hiện",
    "hoan_thanh": "hoàn thành",
    "xem": "xem",
    "nhap_lieu": "nhập liệu",
    "quan_tri": "quản trị",
}


def _said(value: object) -> str:
    if value is True:
        return "có"
    if value is False:
        return "không"
    if isinstance(value, float):
        return fmt.number(value, 4, trim=True)
    if isinstance(value, list):
        return ", ".join(_said(v) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:]}/{value[5:7]}/{value[:4]}"  # an ISO date
    return str(KINDS.get(str(value), value))


def _pairs(detail: dict, unit: str = "") -> str:
    def said(k: str, v: object) -> str:
        return _rate(v) if unit == "percent" and k in _RATES else _said(v)

    parts = [
        f"{FIELDS.get(k, k.replace('_', ' '))}: {said(k, v)}"
        for k, v in detail.items()
        if v not in (None, "", [])
    ]
    return "; ".join(parts)


def _count(value: object) -> str:
    """A count with the thousands dot («1.092»)."""
    return f"{int(value or 0):,}".replace(",", ".")  # type: ignore[call-overload]


def _rate(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _said(round(float(value) * 100, 2)) + "%"  # 0,78 -> 78%
    return _said(value)


def sentence(action: str, detail: object, unit: str = "") -> str:
    """A stored detail as a sentence: text as it is, a structured one in words."""
    if not isinstance(detail, str) or not detail:
        return ""  # no detail (NULL, read back as NaN)
    if not detail.lstrip().startswith(("{", "[")):
        return detail
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return _said(data)
    if action == "nhap_tep":
        return (
            f"Nhập {_said(data.get('loai'))} của {data.get('xa')}, số liệu đến "
            f"{_said(data.get('den_ngay'))}: {_count(data.get('moi'))} dòng mới, "
            f"{_count(data.get('cap_nhat'))} cập nhật, {_count(data.get('khong_doi'))} "
            f"không đổi, {_count(data.get('dong_loi'))} dòng lỗi bỏ qua."
        )
    if action == "hoan_tac":
        return f"Gỡ toàn bộ số liệu của lần nhập này ({data.get('xa')})."
    if action == "chi_tieu":
        before, after = data.get("truoc"), data.get("sau") or {}
        was = _pairs(before, unit) if isinstance(before, dict) else "chỉ tiêu của Chương trình"
        return f"Trước: {was}. Sau: {_pairs(after, unit)}."
    if action == "nhap_so_lieu":
        return f"Lưu {_pairs(data, unit)}."
    if action == "sua_nhiem_vu":
        return "Sửa " + _pairs(data) + "."
    if action == "tai_khoan" and data.get("hoat_dong") is False:
        return "Khóa tài khoản."
    if action == "tai_khoan" and "vai_tro" in data:
        return f"Vai trò: {_said(data['vai_tro'])}."
    return _pairs(data, unit) + "."
