"""The committee's meetings: a record per meeting (date, kind, chair, members present, the
window reviewed), its conclusions, and the assignments each conclusion gives with the
"6 rõ". An assignment is a task of the meeting's commune (``nhiem_vu``) whose source is the
meeting, so it is followed, counted and reported with every other task. Every change is
audited; a locked meeting refuses changes to its record (the progress of its assignments
is still reported on the Nhiệm vụ page). Each «Thông báo kết luận» written is kept as a
version."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

import duckdb
import pandas as pd

from core.errors import BadInput, Forbidden
from storage import audit, scope
from storage.database import bump_version, one, transaction
from storage.tasks import blank, deadline, recurring

ASSIGNMENT_GROUP = "Kết luận cuộc họp Ban Chỉ đạo"


class MeetingKind(StrEnum):
    """The committee's meetings (001 §7 monthly; 003 III.4 six-monthly and yearly)."""

    THANG = "thang"
    QUY = "quy"
    SAU_THANG = "sau_thang"
    NAM = "nam"

    @property
    def label(self) -> str:
        return {
            MeetingKind.THANG: "họp thường kỳ tháng",
            MeetingKind.QUY: "họp quý",
            MeetingKind.SAU_THANG: "họp sơ kết 6 tháng",
            MeetingKind.NAM: "họp tổng kết năm",
        }[self]


class MeetingError(BadInput):
    pass


@dataclass(frozen=True)
class Meeting:
    id: int
    commune: str
    day: dt.date
    kind: MeetingKind
    chair: str
    members: list[str]
    period_code: str | None
    place: str | None
    locked_at: dt.datetime | None
    locked_by: str | None

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def label(self) -> str:
        return f"Cuộc {self.kind.label} ngày {self.day:%d/%m/%Y}"


@dataclass(frozen=True)
class Assignment:
    """What a conclusion gives to a unit, with the "6 rõ"."""

    lead_unit: str
    content: str
    due: dt.date
    lead_person: str | None = None
    coordinating: str | None = None
    product: str | None = None
    decides: str | None = None


@dataclass
class Conclusion:
    id: int
    number: int
    text: str
    indicator_id: str | None
    task_tt: str | None
    unit: str | None
    assignments: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows of nhiem_vu


# control characters and escape codes are never kept (a notice is a document; a terminal
# or a Word file must not act on them); line breaks and tabs stay
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _plain(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", _CONTROL.sub("", value))
    return value


def _text(value: object, what: str, limit: int = 4000) -> str:
    text = blank(_plain(value))
    if not isinstance(text, str):
        raise MeetingError(f"cần ghi {what}")
    if len(text) > limit:
        raise MeetingError(f"{what} dài quá {limit} ký tự")
    return text


def _optional(value: object) -> str | None:
    text = blank(_plain(value))
    return text if isinstance(text, str) else None


def create(
    con: duckdb.DuckDBPyConnection,
    commune: str,
    day: dt.date,
    kind: str,
    chair: str,
    members: list[str],
    user: str,
    period_code: str | None = None,
    place: str | None = None,
) -> int:
    """A new meeting of the commune's committee; its id."""
    commune = _text(commune, "xã")
    scope.check(commune)
    try:
        kind = MeetingKind(kind)
    except ValueError:
        raise MeetingError(
            f"loại cuộc họp «{kind}» không có; chọn " + ", ".join(k.label for k in MeetingKind)
        ) from None
    chair = _text(chair, "người chủ trì cuộc họp", 300)
    present = [m.replace("\n", " ") for m in (_optional(x) for x in members) if m]
    with transaction(con):
        meeting_id = int(con.execute("SELECT nextval('cuoc_hop_id_seq')").fetchall()[0][0])
        con.execute(
            "INSERT INTO cuoc_hop VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)",
            [
                meeting_id,
                commune,
                day,
                kind.value,
                chair,
                "\n".join(present) or None,
                _optional(period_code),
                _optional(place),
                dt.datetime.now(),
                user,
            ],
        )
        audit.record(
            con,
            user,
            "cuoc_hop",
            f"cuộc họp số {meeting_id} ({commune})",
            {"ngay": day.isoformat(), "loai": kind.label, "chu_tri": chair},
        )
        bump_version(con)
    return meeting_id


def _meeting(row: tuple) -> Meeting:
    (mid, commune, day, kind, chair, members, period_code, place, locked_at, locked_by) = row
    return Meeting(
        int(mid),
        commune,
        day,
        MeetingKind(kind),
        chair,
        [m for m in (members or "").split("\n") if m],
        period_code,
        place,
        locked_at,
        locked_by,
    )


_COLUMNS = "id, commune, ngay, loai, chu_tri, thanh_phan, ky_xem_xet, dia_diem, khoa_luc, khoa_boi"


def listing(con: duckdb.DuckDBPyConnection, communes: list[str] | None) -> list[Meeting]:
    """The meetings of the communes given (None: every commune), latest first; an account
    of one commune gets that commune's only."""
    if communes is None:
        rows = con.execute(
            f"SELECT {_COLUMNS} FROM cuoc_hop ORDER BY ngay DESC, id DESC"
        ).fetchall()
    else:
        rows = con.execute(
            f"SELECT {_COLUMNS} FROM cuoc_hop WHERE list_contains(?, commune) "
            "ORDER BY ngay DESC, id DESC",
            [list(communes)],
        ).fetchall()
    return [m for m in (_meeting(r) for r in rows) if scope.allows(m.commune)]


def get(con: duckdb.DuckDBPyConnection, meeting_id: int, communes: list[str] | None) -> Meeting:
    """One meeting, refused when it is not one of ``communes`` (None: every commune)."""
    row = one(con, f"SELECT {_COLUMNS} FROM cuoc_hop WHERE id = ?", [meeting_id])
    if row is None:
        raise MeetingError(f"không có cuộc họp số {meeting_id}")
    meeting = _meeting(row)
    if communes is not None and meeting.commune not in communes:
        raise Forbidden(f"Tài khoản này chỉ xem được cuộc họp của {', '.join(sorted(communes))}.")
    scope.check(meeting.commune)  # and the account's own wall, whatever the caller passed
    return meeting


def previous(con: duckdb.DuckDBPyConnection, commune: str, before: dt.date) -> Meeting | None:
    """The commune's last meeting held before a day (the one whose conclusions the next
    meeting follows up)."""
    scope.check(commune)
    row = one(
        con,
        f"SELECT {_COLUMNS} FROM cuoc_hop WHERE commune = ? AND ngay < ? "
        "ORDER BY ngay DESC, id DESC LIMIT 1",
        [commune, before],
    )
    return _meeting(row) if row else None


def _open(con: duckdb.DuckDBPyConnection, meeting_id: int, communes: list[str] | None) -> Meeting:
    meeting = get(con, meeting_id, communes)
    if meeting.locked:
        raise MeetingError(
            f"{meeting.label} đã khóa lúc {meeting.locked_at:%H:%M %d/%m/%Y} "
            f"({meeting.locked_by}): không sửa được kết luận và việc giao"
        )
    return meeting


def add_conclusion(
    con: duckdb.DuckDBPyConnection,
    meeting_id: int,
    communes: list[str] | None,
    text: str,
    user: str,
    *,
    indicator_id: str | None = None,
    task_tt: str | None = None,
    unit: str | None = None,
) -> int:
    """A conclusion, numbered after the meeting's last one; optionally tied to an indicator,
    a task of the commune or a unit. Its id."""
    text = _text(text, "nội dung kết luận")
    with transaction(con):
        meeting = _open(con, meeting_id, communes)
        task_tt = _optional(task_tt)
        if task_tt and not one(
            con, "SELECT 1 FROM nhiem_vu WHERE commune = ? AND tt = ?", [meeting.commune, task_tt]
        ):
            raise MeetingError(f"{meeting.commune} không có nhiệm vụ số {task_tt}")
        number = int(
            one(
                con,
                "SELECT coalesce(max(stt), 0) + 1 FROM ket_luan WHERE cuoc_hop_id = ?",
                [meeting_id],
            )[0]  # type: ignore[index]
        )
        cid = int(con.execute("SELECT nextval('ket_luan_id_seq')").fetchall()[0][0])
        con.execute(
            "INSERT INTO ket_luan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                cid,
                meeting_id,
                number,
                text,
                _optional(indicator_id),
                task_tt,
                _optional(unit),
                dt.datetime.now(),
                user,
            ],
        )
        audit.record(
            con, user, "ket_luan", f"{meeting.label}, kết luận {number}", {"noi_dung": text}
        )
        bump_version(con)
    return cid


def edit_conclusion(
    con: duckdb.DuckDBPyConnection,
    conclusion_id: int,
    communes: list[str] | None,
    text: str,
    user: str,
) -> None:
    text = _text(text, "nội dung kết luận")
    with transaction(con):
        row = one(
            con, "SELECT cuoc_hop_id, stt, noi_dung FROM ket_luan WHERE id = ?", [conclusion_id]
        )
        if row is None:
            raise MeetingError(f"không có kết luận số {conclusion_id}")
        meeting = _open(con, int(row[0]), communes)
        if row[2] == text:
            return
        con.execute("UPDATE ket_luan SET noi_dung = ? WHERE id = ?", [text, conclusion_id])
        audit.record(
            con,
            user,
            "ket_luan",
            f"{meeting.label}, kết luận {row[1]}",
            {"truoc": row[2], "sau": text},
        )
        bump_version(con)


def assign(
    con: duckdb.DuckDBPyConnection,
    conclusion_id: int,
    communes: list[str] | None,
    a: Assignment,
    user: str,
    decides_default: str = "Trưởng Ban Chỉ đạo",
) -> str:
    """An assignment of a conclusion, written as a task of the meeting's commune whose source
    is the meeting; returns its TT («KL3.1.2»: meeting 3, conclusion 1, second assignment)."""
    unit = _text(a.lead_unit, "đơn vị chủ trì", 300)
    content = _text(a.content, "nội dung việc giao")
    if not isinstance(a.due, dt.date):
        raise MeetingError("cần ghi thời hạn (ngày) của việc giao")
    with transaction(con):
        row = one(con, "SELECT cuoc_hop_id, stt FROM ket_luan WHERE id = ?", [conclusion_id])
        if row is None:
            raise MeetingError(f"không có kết luận số {conclusion_id}")
        meeting = _open(con, int(row[0]), communes)
        if a.due < meeting.day:
            raise MeetingError(f"thời hạn {a.due:%d/%m/%Y} trước ngày họp {meeting.day:%d/%m/%Y}")
        k = int(
            one(  # type: ignore[index]
                con, "SELECT count(*) + 1 FROM nhiem_vu WHERE ket_luan_id = ?", [conclusion_id]
            )[0]
        )
        tt = f"KL{meeting.id}.{row[1]}.{k}"
        due_text = f"Trước ngày {a.due:%d/%m/%Y}"
        con.execute(
            """INSERT INTO nhiem_vu (commune, tt, nhom, noi_dung, chu_tri, phoi_hop, san_pham,
                   tham_quyen, thoi_han, han, trang_thai, cap_nhat_luc, cap_nhat_boi, nguon,
                   thuong_xuyen, cuoc_hop_id, ket_luan_id, nguoi_chu_tri)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'chua_thuc_hien', ?, ?, ?, ?, ?, ?, ?)""",
            [
                meeting.commune,
                tt,
                ASSIGNMENT_GROUP,
                content,
                unit,
                _optional(a.coordinating),
                _optional(a.product),
                _optional(a.decides) or decides_default,
                due_text,
                deadline(due_text),
                dt.datetime.now(),
                user,
                f"Kết luận {row[1]}, {meeting.label.lower()}",
                recurring(due_text),
                meeting.id,
                conclusion_id,
                _optional(a.lead_person),
            ],
        )
        audit.record(
            con,
            user,
            "giao_viec",
            f"{tt} ({meeting.commune})",
            {"chu_tri": unit, "noi_dung": content, "han": a.due.isoformat()},
        )
        bump_version(con)
    return tt


def conclusions(con: duckdb.DuckDBPyConnection, meeting: Meeting) -> list[Conclusion]:
    """The meeting's conclusions in their order, each with its assignments (task rows)."""
    rows = con.execute(
        "SELECT id, stt, noi_dung, chi_so, nhiem_vu_tt, don_vi FROM ket_luan "
        "WHERE cuoc_hop_id = ? ORDER BY stt",
        [meeting.id],
    ).fetchall()
    tasks = con.execute(
        "SELECT * FROM nhiem_vu WHERE cuoc_hop_id = ? AND commune = ? ORDER BY ket_luan_id, tt",
        [meeting.id, meeting.commune],
    ).df()
    out = []
    for cid, number, text, indicator_id, task_tt, unit in rows:
        mine = tasks[tasks["ket_luan_id"] == cid].reset_index(drop=True)
        if not mine.empty:
            mine = mine.assign(
                han=[None if pd.isna(h) else pd.Timestamp(h).date() for h in mine["han"]]
            )
        out.append(Conclusion(int(cid), int(number), text, indicator_id, task_tt, unit, mine))
    return out


def lock(
    con: duckdb.DuckDBPyConnection, meeting_id: int, communes: list[str] | None, user: str
) -> None:
    """Close the meeting's record: its conclusions and assignments no longer change."""
    with transaction(con):
        meeting = _open(con, meeting_id, communes)
        con.execute(
            "UPDATE cuoc_hop SET khoa_luc = ?, khoa_boi = ? WHERE id = ?",
            [dt.datetime.now(), user, meeting_id],
        )
        audit.record(con, user, "khoa_cuoc_hop", meeting.label, None)
        bump_version(con)


def save_notice(
    con: duckdb.DuckDBPyConnection,
    meeting_id: int,
    communes: list[str] | None,
    data: bytes,
    file_name: str,
    issued: dt.date,
    user: str,
    number: str | None = None,
    signer: str | None = None,
) -> int:
    """Keep a «Thông báo kết luận» written for the meeting; its version number."""
    with transaction(con):
        meeting = get(con, meeting_id, communes)
        version = int(
            one(
                con,
                "SELECT coalesce(max(phien_ban), 0) + 1 FROM thong_bao_ket_luan "
                "WHERE cuoc_hop_id = ?",
                [meeting_id],
            )[0]  # type: ignore[index]
        )
        con.execute(
            "INSERT INTO thong_bao_ket_luan VALUES (nextval('thong_bao_id_seq'), ?, ?, "
            "?, ?, ?, ?, ?, ?, ?)",
            [
                meeting_id,
                version,
                _optional(number),
                issued,
                _optional(signer),
                file_name,
                data,
                dt.datetime.now(),
                user,
            ],
        )
        audit.record(
            con,
            user,
            "thong_bao_ket_luan",
            meeting.label,
            {"phien_ban": version, "so_ky_hieu": number},
        )
    return version


def notices(con: duckdb.DuckDBPyConnection, meeting_id: int) -> pd.DataFrame:
    """The notices written for a meeting, latest first (without their files)."""
    _wall(con, meeting_id)
    return con.execute(
        "SELECT id, phien_ban, so_ky_hieu, ngay_ban_hanh, nguoi_ky, ten_tep, "
        "tao_luc, tao_boi FROM thong_bao_ket_luan WHERE cuoc_hop_id = ? "
        "ORDER BY phien_ban DESC",
        [meeting_id],
    ).df()


def _wall(con: duckdb.DuckDBPyConnection, meeting_id: int) -> None:
    """A meeting's notices are its commune's: refused to an account of another commune."""
    row = one(con, "SELECT commune FROM cuoc_hop WHERE id = ?", [meeting_id])
    if row is not None:
        scope.check(row[0])


def notice_file(
    con: duckdb.DuckDBPyConnection, meeting_id: int, version: int
) -> tuple[str, bytes] | None:
    _wall(con, meeting_id)
    row = one(
        con,
        "SELECT ten_tep, tep FROM thong_bao_ket_luan WHERE cuoc_hop_id = ? AND phien_ban = ?",
        [meeting_id, version],
    )
    return (row[0], bytes(row[1])) if row else None


def account_names(con: duckdb.DuckDBPyConnection, commune: str) -> list[str]:
    """Names of the active accounts of the commune and of the province, for the list of
    members present."""
    return [
        r[0]
        for r in con.execute(
            "SELECT ho_ten FROM tai_khoan WHERE hoat_dong AND (xa IS NULL OR xa = ?) "
            "ORDER BY ho_ten",
            [commune],
        ).fetchall()
    ]
