"""The monthly report's written parts (assessment, difficulties, recommendations, the sections
the data cannot fill), per commune and month, every saved version kept. A locked month's text
cannot change: the report of a locked month says what the meeting saw."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from core.errors import BadInput
from storage import audit, locks, scope
from storage.database import bump_version, transaction

# section key -> its heading in report 004
SECTIONS: dict[str, str] = {
    "i1_tuyen_truyen": "I.1. Công tác tuyên truyền, quán triệt Nghị quyết số 57-NQ/TW",
    "i2_van_ban": "I.2. Các văn bản lãnh đạo, chỉ đạo đã ban hành",
    "i3_danh_gia": "I.3. Đánh giá kết quả thực hiện nhiệm vụ",
    "ii_nhan_luc": "II. Về bảo đảm nguồn nhân lực",
    "iii_kinh_phi": "III. Về tài chính, kinh phí (tình hình và nhận xét)",
    "iv1_ha_tang": "IV.1. Về hạ tầng kỹ thuật, công nghệ",
    "iv2_danh_gia": "IV.2.b. Nhận xét, đánh giá (ưu điểm, tồn tại, hạn chế, nguyên nhân, giải "
    "pháp)",
    "iv3_phan_mem": "IV.3. Cơ sở dữ liệu, nền tảng, ứng dụng số",
    "iv4_an_toan": "IV.4. An toàn thông tin, an ninh mạng, bảo mật dữ liệu",
    "v_khcn": "V. Về khoa học, công nghệ và đổi mới sáng tạo",
    "d_kien_nghi": "D. Kiến nghị, đề xuất",
}
# the document's own parts (Nghị định 30/2020/NĐ-CP): kept like the sections, and carried over
# from the commune's previous month until someone changes them
HEADER: dict[str, str] = {
    "hdr_co_quan": "Cơ quan ban hành (hai dòng)",
    "hdr_so_ky_hieu": "Số, ký hiệu",
    "hdr_dia_danh": "Địa danh",
    "hdr_kinh_gui": "Kính gửi",
    "hdr_mo_dau": "Đoạn mở đầu (căn cứ)",
    "hdr_noi_nhan": "Nơi nhận",
    "hdr_tham_quyen": "Quyền hạn, chức vụ người ký",
    "hdr_nguoi_ky": "Họ và tên người ký",
}
LABELS = SECTIONS | HEADER
MAX_CHARS = 20_000


class ReportTextError(BadInput):
    pass


def save(
    con: duckdb.DuckDBPyConnection, commune: str, month: dt.date, section: str, text: str, user: str
) -> int:
    """A new version of one section; the same text again saves nothing. Returns the version."""
    scope.check(commune)
    month = month.replace(day=1)
    if section not in LABELS:
        raise ReportTextError(f"không có mục «{section}» trong báo cáo")
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_CHARS:
        raise ReportTextError(
            f"mục «{LABELS[section]}» dài quá {MAX_CHARS:,} ký tự".replace(",", ".")
        )
    with transaction(con):
        locks.check(con, [(commune, month)])
        last = con.execute(
            "SELECT noi_dung, phien_ban FROM noi_dung_bao_cao WHERE commune = ? AND thang = ? "
            "AND muc = ? ORDER BY phien_ban DESC LIMIT 1",
            [commune, month, section],
        ).fetchall()
        if last and last[0][0] == text:
            return int(last[0][1])
        version = (int(last[0][1]) if last else 0) + 1
        con.execute(
            "INSERT INTO noi_dung_bao_cao VALUES (nextval('noi_dung_bao_cao_seq'), ?, ?, "
            "?, ?, ?, ?, ?)",
            [commune, month, section, text, version, user, dt.datetime.now()],
        )
        audit.record(
            con,
            user,
            "noi_dung_bao_cao",
            f"{LABELS[section]} {month:%m/%Y}",
            {"phien_ban": version},
        )
        bump_version(con)
    return version


def current(con: duckdb.DuckDBPyConnection, commune: str, month: dt.date) -> dict[str, str]:
    """The latest text of each section written for the month; the document's header parts
    from the latest month up to this one that has them."""
    scope.check(commune)
    month = month.replace(day=1)
    rows = con.execute(
        """SELECT muc, noi_dung FROM noi_dung_bao_cao WHERE commune = ? AND thang = ?
           QUALIFY row_number() OVER (PARTITION BY muc ORDER BY phien_ban DESC) = 1""",
        [commune, month],
    ).fetchall()
    out = {m: t for m, t in rows}
    carried = con.execute(
        """SELECT muc, noi_dung FROM noi_dung_bao_cao
           WHERE commune = ? AND thang <= ? AND muc LIKE 'hdr_%'
           QUALIFY row_number() OVER (PARTITION BY muc ORDER BY thang DESC, phien_ban DESC) = 1""",
        [commune, month],
    ).fetchall()
    for m, t in carried:
        out.setdefault(m, t)
    return out


def versions(
    con: duckdb.DuckDBPyConnection, commune: str, month: dt.date, section: str
) -> pd.DataFrame:
    scope.check(commune)
    return con.execute(
        "SELECT phien_ban, nguoi_viet, thoi_diem, noi_dung FROM noi_dung_bao_cao "
        "WHERE commune = ? AND thang = ? AND muc = ? ORDER BY phien_ban DESC",
        [commune, month.replace(day=1), section],
    ).df()
