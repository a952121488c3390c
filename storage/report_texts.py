"""The monthly report's written parts (assessment, difficulties, recommendations, the sections
the data cannot fill), per commune and month, every saved version kept. A locked month's text
cannot change: the report of a locked month says what the meeting saw."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from core.errors import BadInput
from storage import audit, locks
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
MAX_CHARS = 20_000


class ReportTextError(BadInput):
    pass


def save(con: duckdb.DuckDBPyConnection, commune: str, month: dt.date, section: str,
         text: str, user: str) -> int:
    """A new version of one section; the same text again saves nothing. Returns the version."""
    month = month.replace(day=1)
    if section not in SECTIONS:
        raise ReportTextError(f"không có mục «{section}» trong báo cáo")
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_CHARS:
        raise ReportTextError(f"mục «{SECTIONS[section]}» dài quá {MAX_CHARS:,} ký tự"
                              .replace(",", "."))
    with transaction(con):
        locks.check(con, [(commune, month)])
        last = con.execute(
            "SELECT noi_dung, phien_ban FROM noi_dung_bao_cao WHERE commune = ? AND thang = ? "
            "AND muc = ? ORDER BY phien_ban DESC LIMIT 1", [commune, month, section]).fetchall()
        if last and last[0][0] == text:
            return int(last[0][1])
        version = (int(last[0][1]) if last else 0) + 1
        con.execute("INSERT INTO noi_dung_bao_cao VALUES (nextval('noi_dung_bao_cao_seq'), ?, ?, "
                    "?, ?, ?, ?, ?)",
                    [commune, month, section, text, version, user, dt.datetime.now()])
        audit.record(con, user, "noi_dung_bao_cao", f"{SECTIONS[section]} {month:%m/%Y}",
                     {"phien_ban": version})
        bump_version(con)
    return version


def current(con: duckdb.DuckDBPyConnection, commune: str, month: dt.date) -> dict[str, str]:
    """The latest text of each section written for the month."""
    rows = con.execute(
        """SELECT muc, noi_dung FROM noi_dung_bao_cao WHERE commune = ? AND thang = ?
           QUALIFY row_number() OVER (PARTITION BY muc ORDER BY phien_ban DESC) = 1""",
        [commune, month.replace(day=1)]).fetchall()
    return {m: t for m, t in rows}


def versions(con: duckdb.DuckDBPyConnection, commune: str, month: dt.date, section: str
             ) -> pd.DataFrame:
    return con.execute(
        "SELECT phien_ban, nguoi_viet, thoi_diem, noi_dung FROM noi_dung_bao_cao "
        "WHERE commune = ? AND thang = ? AND muc = ? ORDER BY phien_ban DESC",
        [commune, month.replace(day=1), section]).df()
