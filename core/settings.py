"""Installation settings, declared as data: name, default, environment variable, help."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
# the made-up commune of the demo data, as stored; never added into real totals
DEMO_COMMUNE = "Xã Mẫu"


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: object
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db_path",
        "KPI_DB",
        str(PROJECT_DIR / "data" / "kpi.duckdb"),
        "Tệp DuckDB lưu toàn bộ dữ liệu.",
    ),
    Setting(
        "default_commune",
        "KPI_COMMUNE",
        "",
        "Xã mặc định khi tệp không ghi tên xã và người dùng không chọn.",
    ),
    Setting("max_file_mb", "KPI_MAX_FILE_MB", 100, "Dung lượng tối đa của một tệp tải lên (MB)."),
    Setting("max_rows", "KPI_MAX_ROWS", 1_000_000, "Số dòng tối đa đọc từ một trang tính."),
    Setting(
        "max_errors_shown",
        "KPI_MAX_ERRORS_SHOWN",
        20,
        "Số lỗi tối đa liệt kê cho một tệp; phần còn lại chỉ được đếm.",
    ),
    Setting("user", "KPI_USER", "", "Tên người thực hiện ghi vào nhật ký khi không đăng nhập."),
    Setting(
        "auth",
        "KPI_AUTH",
        1,
        "1: phải đăng nhập (nhiều người dùng); 0: tắt đăng nhập cho máy một người dùng "
        "(người dùng có quyền quản trị).",
    ),
    Setting(
        "admin_user",
        "KPI_ADMIN_USER",
        "",
        "Tên đăng nhập của quản trị đầu tiên, tạo khi chưa có tài khoản nào.",
    ),
    Setting(
        "admin_password",
        "KPI_ADMIN_PASSWORD",
        "",
        "Mật khẩu của quản trị đầu tiên (chỉ dùng một lần, được băm bằng bcrypt).",
    ),
    Setting(
        "demo",
        "KPI_DEMO",
        1,
        "1: lần chạy đầu với cơ sở dữ liệu trống thì nạp Dữ liệu mẫu; 0: để trống.",
    ),
    Setting(
        "read_only",
        "KPI_READ_ONLY",
        0,
        "1: chỉ xem (mở tệp dữ liệu ở chế độ chỉ đọc, ví dụ một bản sao); 0: bình thường.",
    ),
    Setting(
        "report_cutoff_day",
        "KPI_REPORT_CUTOFF_DAY",
        18,
        "Ngày chốt số liệu của kỳ báo cáo tháng (Công văn 001 mục 7: các đơn vị báo cáo "
        "trước ngày 18 hằng tháng); kỳ báo cáo tháng m chạy từ ngày sau ngày chốt tháng "
        "trước đến ngày chốt tháng m, kỳ đầu năm từ 01/01, kỳ cuối năm đến 31/12 (1–28).",
    ),
    Setting(
        "public_url",
        "KPI_PUBLIC_URL",
        "",
        "Địa chỉ công khai của bảng điều khiển (ví dụ https://kpi.xa.gov.vn); để trống: "
        "đúng địa chỉ và cổng máy chủ đang phục vụ. Trang từ địa chỉ khác (kể cả cổng "
        "khác của cùng máy) không mở được phiên.",
    ),
    Setting(
        "session_upload_mb",
        "KPI_SESSION_UPLOAD_MB",
        200,
        "Tổng dung lượng tệp tải lên một phiên được giữ cùng lúc (MB).",
    ),
    Setting(
        "log_dir",
        "KPI_LOG_DIR",
        str(PROJECT_DIR / "data" / "logs"),
        "Thư mục nhật ký lỗi của chương trình (không ghi dữ liệu cá nhân).",
    ),
    Setting(
        "smtp_host",
        "KPI_SMTP_HOST",
        "",
        "Máy chủ thư (SMTP) để gửi thư nhắc việc; để trống thì không gửi thư.",
    ),
    Setting("smtp_port", "KPI_SMTP_PORT", 587, "Cổng của máy chủ thư."),
    Setting(
        "smtp_tls",
        "KPI_SMTP_TLS",
        1,
        "1: mã hóa STARTTLS trước khi gửi; 0: không (chỉ máy chủ thư trong mạng nội bộ).",
    ),
    Setting("smtp_user", "KPI_SMTP_USER", "", "Tài khoản đăng nhập máy chủ thư (nếu cần)."),
    Setting("smtp_password", "KPI_SMTP_PASSWORD", "", "Mật khẩu tài khoản máy chủ thư."),
    Setting(
        "smtp_from",
        "KPI_SMTP_FROM",
        "",
        "Địa chỉ người gửi thư nhắc việc, ví dụ vanphong@dienchau.gov.vn.",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> object:
    """The setting's value: environment variable if set, else the default (typed like it)."""
    setting = _BY_NAME[name]
    raw = os.environ.get(setting.env)
    if raw is None or raw == "":
        return setting.default
    if isinstance(setting.default, int):
        return int(raw)
    return raw


def number(name: str) -> int:
    return int(str(get(name)))


def flag(name: str) -> bool:
    return number(name) != 0


def text(name: str) -> str:
    return str(get(name))


def current_user() -> str:
    user = str(get("user"))
    if user:
        return user
    try:
        return os.getlogin()
    except OSError:
        return os.environ.get("USER", "") or "khong_ro"
