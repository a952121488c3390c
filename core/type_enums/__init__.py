"""Every vocabulary of the project, once: a ``StrEnum`` per concept with its Vietnamese label
(and, for statuses, its colour, icon and order). Stored values are the enum values, so a
database or a YAML file written before these enums reads the same. Code that branches on a
vocabulary ends with ``assert_values_exhausted`` so that a new member fails the type checker
and the tests instead of falling through silently (as dbt-semantic-interfaces does)."""

from __future__ import annotations

from enum import StrEnum
from typing import NoReturn


def assert_values_exhausted(value: NoReturn) -> NoReturn:
    """The end of an exhaustive match over an enum: unreachable when every member is handled."""
    raise AssertionError(f"giá trị chưa được xử lý: {value!r}")


class Status(StrEnum):
    """Where an indicator stands against its target at a window's end (docs/indicators.md §3).
    ``DAT`` only when the goal itself is reached; a goal due later that is on its path is
    ``DUNG_TIEN_DO``."""

    CHAM = "cham"
    GAN_DAT = "gan_dat"
    DUNG_TIEN_DO = "dung_tien_do"
    DAT = "dat"
    THIEU_SO_LIEU_GOC = "thieu_so_lieu_goc"
    CHUA_CAP_NHAT = "chua_cap_nhat"
    KHONG_CO_DU_LIEU = "khong_co_du_lieu"
    CHUA_CO_CHI_TIEU = "chua_co_chi_tieu"

    @property
    def label(self) -> str:
        return _STATUS[self][0]

    @property
    def colour(self) -> str:
        return _STATUS[self][1]

    @property
    def icon(self) -> str:
        return _STATUS[self][2]

    @property
    def order(self) -> int:
        """Lagging first: the order of every list that asks for attention."""
        return list(_STATUS).index(self)

    @property
    def judged(self) -> bool:
        """A status that compares a value with a target (counted as met, on track, behind)."""
        return self in (Status.CHAM, Status.GAN_DAT, Status.DUNG_TIEN_DO, Status.DAT)

    @property
    def behind(self) -> bool:
        return self in (Status.CHAM, Status.GAN_DAT)


_STATUS: dict[Status, tuple[str, str, str]] = {
    Status.CHAM: ("Chậm", "#dc3545", "🔴"),
    Status.GAN_DAT: ("Gần đạt", "#e0a800", "🟡"),
    Status.DUNG_TIEN_DO: ("Đúng tiến độ", "#0d6efd", "🔵"),
    Status.DAT: ("Đạt", "#198754", "🟢"),
    Status.THIEU_SO_LIEU_GOC: ("Thiếu số liệu năm gốc", "#fd7e14", "🟠"),
    Status.CHUA_CAP_NHAT: ("Chưa cập nhật", "#6c757d", "⏳"),
    Status.KHONG_CO_DU_LIEU: ("Không có dữ liệu", "#adb5bd", "◻️"),
    Status.CHUA_CO_CHI_TIEU: ("Chưa có chỉ tiêu", "#ced4da", "⚪"),
}


class TargetKind(StrEnum):
    MIN = "min"  # at least, every period
    MAX = "max"  # at most
    RANGE = "range"  # between two bounds (its lower bound is the goal)
    GROWTH = "growth"  # a rise over a baseline year's value
    DEADLINE = "deadline"  # a level to reach by a date, on a straight path from the start

    @property
    def label(self) -> str:
        return {
            TargetKind.MIN: "tối thiểu",
            TargetKind.MAX: "tối đa",
            TargetKind.RANGE: "trong khoảng",
            TargetKind.GROWTH: "tăng so với năm gốc",
            TargetKind.DEADLINE: "đạt trước hạn",
        }[self]


class Unit(StrEnum):
    PERCENT = "percent"
    COUNT = "count"
    VALUE = "value"


class Source(StrEnum):
    """Where a figure's numbers come from."""

    HO_SO = "ho_so"
    BAO_CAO = "bao_cao"
    NHAP_TAY = "nhap_tay"

    @property
    def label(self) -> str:
        return {
            Source.HO_SO: "Danh sách hồ sơ",
            Source.BAO_CAO: "Báo cáo tổng hợp",
            Source.NHAP_TAY: "Nhập tay",
        }[self]


class Role(StrEnum):
    """Roles nest: XEM < NHAP_LIEU < QUAN_TRI."""

    XEM = "xem"
    NHAP_LIEU = "nhap_lieu"
    QUAN_TRI = "quan_tri"

    @property
    def label(self) -> str:
        return {
            Role.XEM: "Xem (thành viên Ban Chỉ đạo)",
            Role.NHAP_LIEU: "Nhập liệu (cán bộ một cửa)",
            Role.QUAN_TRI: "Quản trị",
        }[self]

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class ImportKind(StrEnum):
    DANH_SACH_HO_SO = "danh_sach_ho_so"
    BIEU_06A = "bieu_06a"
    SO_HOA_766 = "so_hoa_766"
    SO_LIEU_NHAP_TAY = "so_lieu_nhap_tay"

    @property
    def label(self) -> str:
        return {
            ImportKind.DANH_SACH_HO_SO: "danh sách hồ sơ",
            ImportKind.BIEU_06A: "Biểu 06a",
            ImportKind.SO_HOA_766: "bảng số hóa 766",
            ImportKind.SO_LIEU_NHAP_TAY: "số liệu nhập tay",
        }[self]


class WindowKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    REPORT = "report"  # a monthly reporting window: the day after the last cut-off to this one
    DAYS = "days"  # any other run of days (a report with its own dates)


# the choice that adds up every commune an account may see
ALL_COMMUNES = "Tất cả các xã"
# an account or a target that applies to every commune
EVERY_COMMUNE = "Mọi xã"
