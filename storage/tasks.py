"""The programme's tasks with the "6 rõ", their status and the share done on time.

Every task belongs to one commune. The installation's programme (seeds 002, Diễn Châu's,
``tasks_2026.yaml``) is seeded into every database for that commune; another commune starts
from its own list, or adopts the appendix as a template by an explicit action
(``adopt_template``). Edited on the Nhiệm vụ page or imported from an Excel sheet with the
same columns (written by ``reports.exports``), always within one commune.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from core import formatting as fmt
from core.errors import BadInput, ImportRejected
from core.periods import month_end
from core.text import ascii_fold, clean, key
from loaders.sandbox import read_sheet_isolated
from storage import audit, scope
from storage.database import bump_version, transaction

SEED = Path(__file__).with_name("tasks_2026.yaml")
# whose programme the seed file is (seeds 002 is Diễn Châu's); a ``commune:`` key in the
# file names another
PROGRAMME_COMMUNE = "Xã Diễn Châu"
STATUSES = {
    "chua_thuc_hien": "Chưa thực hiện",
    "dang_thuc_hien": "Đang thực hiện",
    "hoan_thanh": "Hoàn thành",
}
# column -> header on the page and in Excel (the "6 rõ" first)
COLUMNS = {
    "tt": "TT",
    "nhom": "Nhóm",
    "noi_dung": "Nội dung (rõ việc)",
    "chu_tri": "Chủ trì (rõ người)",
    "phoi_hop": "Phối hợp (rõ trách nhiệm)",
    "thoi_han": "Thời hạn (rõ thời gian)",
    "san_pham": "Sản phẩm (rõ sản phẩm)",
    "tham_quyen": "Thẩm quyền quyết định",
    "trang_thai": "Trạng thái",
    "ngay_hoan_thanh": "Ngày hoàn thành",
    "ghi_chu": "Ghi chú",
}
DUE_SOON_DAYS = 30  # "sắp đến hạn": due within a month
EDITABLE = (
    "phoi_hop",
    "tham_quyen",
    "trang_thai",
    "ngay_hoan_thanh",
    "ghi_chu",
    "chu_tri",
    "san_pham",
    "thoi_han",
)
# the "6 rõ" (002 I.1: «100% nhiệm vụ được giao năm 2026 được gắn với quy tắc "6 rõ"»):
# column -> what a task lacks without it
SIX_CLEAR = {
    "chu_tri": "chủ trì",
    "phoi_hop": "phối hợp",
    "noi_dung": "nội dung",
    "thoi_han": "thời hạn",
    "san_pham": "sản phẩm",
    "tham_quyen": "thẩm quyền",
}


class TaskError(BadInput):
    pass


RECURRING = re.compile(r"\b(thuong xuyen|hang thang|hang thang|hang quy|dinh ky)\b")


def deadline(text: str | None, year: int = 2026) -> dt.date | None:
    """ "Quý III, năm 2026" -> 30/09/2026; "Trước Quý IV/2026" -> 30/09/2026 (before the
    quarter starts); "Trước ngày 15/11/2026"; "6 tháng đầu năm 2026" -> 30/06; "Năm 2026" ->
    31/12; recurring ("Thường xuyên", "hằng tháng") and "theo lộ trình" -> None.
    Matched on the text without diacritics: "quý", "qúy" and "quy" are one word."""
    t = ascii_fold(key(text or ""))
    if RECURRING.search(t):
        return None
    y = int(m.group(1)) if (m := re.search(r"(20\d\d)", t)) else year
    if m := re.search(r"(\d{1,2})/(\d{1,2})/(20\d\d)", t):
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    if m := re.search(
        rf"\b(truoc\s+(?:ngay\s+)?)?quy\s*({fmt.QUARTER_PATTERN})\b", t, re.IGNORECASE
    ):
        q = fmt.quarter_number(m.group(2))
        if m.group(1):  # before the quarter begins: by the end of the one before
            return month_end(y, 3 * q - 3) if q > 1 else dt.date(y - 1, 12, 31)
        return month_end(y, 3 * q)
    if re.search(r"\b6 thang (dau|cuoi) nam\b", t):
        return month_end(y, 6 if "dau" in t else 12)
    if m := re.search(r"\bthang (\d{1,2})\s*/\s*(20\d\d)\b", t):
        month = int(m.group(1))
        return month_end(int(m.group(2)), month) if 1 <= month <= 12 else None
    if re.fullmatch(r"(trong |ca |hoan thanh trong )?nam 20\d\d", t):
        return dt.date(y, 12, 31)
    return None


def recurring(text: str | None) -> bool:
    return bool(RECURRING.search(ascii_fold(key(text or ""))))


@cache
def _programme(path: Path, mtime: float) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def programme(path: Path = SEED) -> dict:
    """The seed file, read once per version of it."""
    return _programme(path, path.stat().st_mtime)


def programme_commune(path: Path = SEED) -> str:
    return str(programme(path).get("commune") or PROGRAMME_COMMUNE)


def _seed_rows(
    doc: dict, items: list[dict], commune: str, by: str, source_note: str = ""
) -> list[list[object]]:
    rows: list[list[object]] = []
    for t in items:
        state = t.get("trang_thai", "chua_thuc_hien") if not source_note else "chua_thuc_hien"
        source = t.get("nguon", f"{doc['document']}, mục {t['tt']}")
        rows.append(
            [
                commune,
                t["tt"],
                t["nhom"],
                t["noi_dung"],
                t.get("chu_tri"),
                t.get("phoi_hop"),
                t.get("san_pham"),
                t.get("tham_quyen", doc["tham_quyen"]),
                t["thoi_han"],
                deadline(t["thoi_han"]),
                state,
                None,
                t.get("ghi_chu"),
                dt.datetime.now(),
                by,
                source + source_note,
                recurring(t["thoi_han"]),
            ]
        )
    return rows


INSERT = """INSERT INTO nhiem_vu (commune, tt, nhom, noi_dung, chu_tri, phoi_hop, san_pham,
                tham_quyen, thoi_han, han, trang_thai, ngay_hoan_thanh, ghi_chu,
                cap_nhat_luc, cap_nhat_boi, nguon, thuong_xuyen)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""


def seed(con: duckdb.DuckDBPyConnection, path: Path = SEED) -> int:
    """Load the programme's appendix and dated duties for the commune whose programme it is:
    tasks already in its list (maybe edited) are left alone, tasks missing from it are added
    (so a new duty reaches existing databases). Other communes are not touched.
    Not behind the commune wall: the installation's own programme, seeded whenever a database
    opens, by whichever account opens it (an account of another commune too)."""
    doc = programme(path)
    commune = programme_commune(path)
    have = {
        r[0] for r in con.execute("SELECT tt FROM nhiem_vu WHERE commune = ?", [commune]).fetchall()
    }
    items = [t for t in [*doc["tasks"], *doc.get("duties", [])] if t["tt"] not in have]
    if not items:
        return 0
    rows = _seed_rows(doc, items, commune, "Chương trình 002")
    with transaction(con):
        con.executemany(INSERT, rows)
        bump_version(con)
    return len(rows)


def adopt_template(
    con: duckdb.DuckDBPyConnection, commune: str, user: str, path: Path = SEED
) -> int:
    """Another commune takes the programme's appendix (not the duties of its documents) as
    the start of its own list, every task not yet begun; asked for by a person, audited.
    Refused when the commune has tasks already (nothing is overwritten)."""
    commune = (commune or "").strip()
    if not commune:
        raise TaskError("cần chọn xã nhận danh mục mẫu")
    scope.check(commune)
    doc = programme(path)
    if commune == programme_commune(path):
        raise TaskError(f"{commune} đã có danh mục của chính Chương trình")
    with transaction(con):
        n = con.execute("SELECT count(*) FROM nhiem_vu WHERE commune = ?", [commune]).fetchall()[0][
            0
        ]
        if n:
            raise TaskError(
                f"{commune} đã có {n} nhiệm vụ; danh mục mẫu chỉ dùng cho xã chưa "
                "có nhiệm vụ nào (sửa từng nhiệm vụ hoặc nhập tệp Excel)"
            )
        rows = _seed_rows(
            doc,
            list(doc["tasks"]),
            commune,
            user,
            f" (mẫu theo danh mục của {programme_commune(path)})",
        )
        con.executemany(INSERT, rows)
        audit.record(
            con,
            user,
            "nhap_nhiem_vu",
            f"{len(rows)} nhiệm vụ",
            {"xa": commune, "nguon": "Phụ lục Chương trình 002 (danh mục mẫu)"},
        )
        bump_version(con)
    return len(rows)


def communes_with_tasks(con: duckdb.DuckDBPyConnection) -> list[str]:
    return scope.only_names(
        r[0]
        for r in con.execute("SELECT DISTINCT commune FROM nhiem_vu ORDER BY commune").fetchall()
    )


def missing_six(row: Mapping[str, object]) -> list[str]:
    """The "6 rõ" a task lacks, in words (empty when all six are there)."""
    return [word for col, word in SIX_CLEAR.items() if blank(row.get(col)) is None]


def blank(value: object) -> object:
    """A cell as stored: None for nothing (None, NaN, NaT, empty or blank text), text
    trimmed. A table's empty cell comes back from the page as NaN; writing it as text
    gave "nan"."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT or (
        not isinstance(value, (str, bytes, list, tuple, dict)) and bool(pd.isna(value))
    ):
        return None
    if isinstance(value, str):
        return value.strip() or None
    return value


def _as_date(value: object) -> dt.date | None:
    value = blank(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(str(value)).date()


def _normal(col: str, value: object) -> object:
    if col == "ngay_hoan_thanh":
        return _as_date(value)
    value = blank(value)
    if col == "trang_thai" and isinstance(value, str):
        return {v: k for k, v in STATUSES.items()}.get(value, value)
    return value


def diff(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, object]:
    """The editable cells that really changed between a row as shown and as edited: an
    empty cell read back as NaN, a date as a timestamp, a status in words are the same
    value as before, so saving an untouched table changes nothing."""
    out = {}
    for col in EDITABLE:
        old, new = _normal(col, before.get(col)), _normal(col, after.get(col))
        if old != new:
            out[col] = new
    return out


def list_tasks(
    con: duckdb.DuckDBPyConnection, communes: Sequence[str] | None, today: dt.date | None = None
) -> pd.DataFrame:
    """The tasks of the communes given (None: every commune, for a province-wide view),
    with ``qua_han`` (past its deadline and not done), ``dung_han`` and ``thieu_6_ro`` (the
    "6 rõ" a task lacks, in words). An account of one commune gets that commune's only."""
    today = today or dt.date.today()
    only = scope.narrowed()
    if only is not None:
        communes = [c for c in (communes if communes is not None else [only]) if c == only]
    if communes is None:
        df = con.execute("SELECT * FROM nhiem_vu").df()
    else:
        df = con.execute(
            "SELECT * FROM nhiem_vu WHERE list_contains(?, commune)", [list(communes)]
        ).df()
    if df.empty:
        return df.assign(
            qua_han=pd.Series(dtype=bool),
            dung_han=pd.Series(dtype=object),
            sap_den_han=pd.Series(dtype=bool),
            thieu_6_ro=pd.Series(dtype=object),
        )
    for col in ("phoi_hop", "san_pham", "tham_quyen", "ghi_chu", "chu_tri", "thoi_han"):
        df[col] = [blank(v) for v in df[col]]
    # appendix tasks in their numbering, then the duties from the documents' bodies
    df["_order"] = [
        (
            c,
            not str(t)[:1].isdigit(),
            tuple(int(p) for p in str(t).split(".") if p.isdigit()),
            str(t),
        )
        for c, t in zip(df["commune"], df["tt"], strict=True)
    ]
    df = df.sort_values("_order").drop(columns="_order").reset_index(drop=True)
    for col in ("han", "ngay_hoan_thanh"):
        df[col] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in df[col]]
    done = df["trang_thai"] == "hoan_thanh"
    df["qua_han"] = [
        (not d) and h is not None and h < today for d, h in zip(done, df["han"], strict=True)
    ]
    df["sap_den_han"] = [
        (not d) and h is not None and today <= h <= today + dt.timedelta(days=DUE_SOON_DAYS)
        for d, h in zip(done, df["han"], strict=True)
    ]
    df["dung_han"] = [
        None if not d or h is None else (f is None or f <= h)
        for d, h, f in zip(done, df["han"], df["ngay_hoan_thanh"], strict=True)
    ]
    df["thieu_6_ro"] = [", ".join(missing_six(r)) for r in df.to_dict("records")]
    return df


def on_time_share(tasks: pd.DataFrame, today: dt.date | None = None) -> tuple[int, int]:
    """(done on time, due by today): the tasks whose deadline has passed, and how many of
    them were finished by it."""
    today = today or dt.date.today()
    if tasks.empty:  # (a boolean list of no length would pick columns, not rows)
        return 0, 0
    due = tasks[[h is not None and h < today for h in tasks["han"]]]
    return int((due["dung_han"] == True).sum()), len(due)  # noqa: E712


@dataclass(frozen=True)
class Tally:
    """The task count of the monthly report (004 I.3) at a date."""

    total: int
    done: int
    done_on_time: int
    done_late: int
    open_on_track: int
    overdue: pd.DataFrame  # not done and past the deadline, latest deadline last
    due_soon: pd.DataFrame  # not done, due within DUE_SOON_DAYS
    assigned: int = 0  # of the total, given by a meeting's conclusions
    assigned_overdue: int = 0

    def sentence(self) -> str:
        return f"{self.done}/{self.total} nhiệm vụ hoàn thành, {len(self.overdue)} quá hạn"

    def share(self, n: int) -> str:
        return fmt.percent(n / self.total) if self.total else "—"


def tally(tasks: pd.DataFrame, today: dt.date) -> Tally:
    if tasks.empty:
        return Tally(0, 0, 0, 0, 0, tasks, tasks)
    done = tasks["trang_thai"] == "hoan_thanh"
    on_time = done & tasks["dung_han"].map(lambda v: v is not False)
    overdue = tasks[tasks["qua_han"]].sort_values("han", kind="stable")
    soon = tasks[tasks["sap_den_han"]].sort_values("han", kind="stable")
    from_meeting = (
        tasks["cuoc_hop_id"].notna()
        if "cuoc_hop_id" in tasks
        else pd.Series(False, index=tasks.index)
    )
    return Tally(
        total=len(tasks),
        done=int(done.sum()),
        done_on_time=int(on_time.sum()),
        done_late=int((done & ~on_time).sum()),
        open_on_track=int((~done & ~tasks["qua_han"]).sum()),
        overdue=overdue,
        due_soon=soon,
        assigned=int(from_meeting.sum()),
        assigned_overdue=int((from_meeting & tasks["qua_han"]).sum()),
    )


def by_unit(tasks: pd.DataFrame) -> pd.DataFrame:
    """Per lead unit: tasks overdue and due soon, worst first (for the overview)."""
    late = tasks if tasks.empty else tasks[tasks["qua_han"] | tasks["sap_den_han"]]
    if late.empty:
        return pd.DataFrame(columns=["chu_tri", "qua_han", "sap_den_han"])
    out = (
        late.assign(chu_tri=late["chu_tri"].fillna("(chưa giao)"))
        .groupby("chu_tri")[["qua_han", "sap_den_han"]]
        .sum()
        .astype(int)
    )
    return out.sort_values(["qua_han", "sap_den_han"], ascending=False).reset_index()


# what a unit reports on an assignment of a locked meeting: its progress, not its "6 rõ"
PROGRESS = ("trang_thai", "ngay_hoan_thanh", "ghi_chu")


def _check_meeting_lock(
    con: duckdb.DuckDBPyConnection, commune: str, tt: str, columns: set[str], row: str = ""
) -> None:
    """An assignment of a locked meeting keeps what the meeting decided."""
    if not columns:
        return
    locked = con.execute(
        "SELECT h.ngay, h.khoa_luc FROM nhiem_vu n JOIN cuoc_hop h ON h.id = n.cuoc_hop_id "
        "WHERE n.commune = ? AND n.tt = ? AND h.khoa_luc IS NOT NULL",
        [commune, tt],
    ).fetchall()
    if locked:
        words = ", ".join(COLUMNS[c] for c in sorted(columns) if c in COLUMNS)
        raise TaskError(
            f"{row}nhiệm vụ {tt} được giao tại cuộc họp ngày "
            f"{locked[0][0]:%d/%m/%Y} đã khóa: không sửa được {words}; chỉ cập "
            "nhật trạng thái, ngày hoàn thành và ghi chú"
        )


def update(
    con: duckdb.DuckDBPyConnection, commune: str, tt: str, changes: dict[str, object], user: str
) -> None:
    """Change one task of one commune (refused for a commune outside the account's)."""
    scope.check(commune)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TaskError(f"không sửa được cột {', '.join(sorted(unknown))}")
    changes = {c: _normal(c, v) for c, v in changes.items()}
    if "trang_thai" in changes and changes["trang_thai"] not in STATUSES:
        raise TaskError(
            f"trạng thái «{changes['trang_thai'] or ''}» không hợp lệ; chọn "
            + ", ".join(STATUSES.values())
        )
    if not changes:
        return
    if changes.get("trang_thai") == "hoan_thanh" and not changes.get("ngay_hoan_thanh"):
        changes["ngay_hoan_thanh"] = dt.date.today()
    if "thoi_han" in changes:
        changes["han"] = deadline(str(changes["thoi_han"] or ""))
        changes["thuong_xuyen"] = recurring(str(changes["thoi_han"] or ""))
    sets = ", ".join(f"{c} = ?" for c in changes)
    with transaction(con):
        _check_meeting_lock(con, commune, tt, set(changes) - set(PROGRESS))
        n = con.execute(
            f"UPDATE nhiem_vu SET {sets}, cap_nhat_luc = ?, cap_nhat_boi = ? "
            "WHERE commune = ? AND tt = ? RETURNING tt",
            [*changes.values(), dt.datetime.now(), user, commune, tt],
        ).fetchall()
        if not n:
            raise TaskError(f"{commune} không có nhiệm vụ số {tt}")
        audit.record(con, user, "sua_nhiem_vu", f"{tt} ({commune})", changes)
        bump_version(con)


def import_excel(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    user: str,
    file_name: str = "tệp nhiệm vụ",
    *,
    commune: str,
) -> int:
    """Rows of a sheet with the page's columns, into one commune's list (refused for a
    commune outside the account's): known TT are updated, new TT added.
    All rows are checked first; one bad row rejects the file, naming row and column.
    The sheet is read in the loaders' limited worker: a hostile file is only refused."""
    scope.check(commune)
    try:
        sheet = read_sheet_isolated(data, file_name)
    except ImportRejected as exc:
        raise TaskError(f"{exc.reason} {exc.hint}".strip()) from None
    by_key = {key(v): k for k, v in COLUMNS.items()} | {key(k): k for k in COLUMNS}
    sheet.columns = [by_key.get(key(str(c)), str(c)) for c in sheet.columns]
    if "tt" not in sheet.columns or "noi_dung" not in sheet.columns:
        raise TaskError(
            "tệp cần có cột «TT» và «Nội dung (rõ việc)» như tệp tải về từ trang Nhiệm vụ"
        )
    status_words = {key(v): k for k, v in STATUSES.items()} | {k: k for k in STATUSES}
    rows = []
    for i, r in sheet.iterrows():
        excel_row = int(i) + 2
        tt = clean(r.get("tt")) if isinstance(r.get("tt"), str) else ""
        if not tt:
            continue
        if not (isinstance(r.get("noi_dung"), str) and r.get("noi_dung").strip()):
            raise TaskError(
                f"dòng {excel_row}, cột «Nội dung (rõ việc)»: nhiệm vụ {tt} chưa "
                "ghi nội dung; ghi nội dung hoặc xóa dòng"
            )
        state_raw = r.get("trang_thai")
        state = status_words.get(key(state_raw)) if isinstance(state_raw, str) else "chua_thuc_hien"
        if state is None:
            raise TaskError(
                f"dòng {excel_row}, cột «Trạng thái»: «{state_raw}» không hợp lệ; "
                "ghi Chưa thực hiện, Đang thực hiện hoặc Hoàn thành"
            )
        finished = None
        raw_done = r.get("ngay_hoan_thanh")
        if isinstance(raw_done, str) and raw_done.strip():
            try:
                finished = pd.to_datetime(raw_done.strip(), dayfirst=True).date()
            except (ValueError, TypeError):
                raise TaskError(
                    f"dòng {excel_row}, cột «Ngày hoàn thành»: «{raw_done}» không "
                    "phải ngày (dạng 30/09/2026)"
                ) from None
        values: dict[str, object] = {
            c: blank(clean(r.get(c)) if isinstance(r.get(c), str) else None)
            for c in COLUMNS
            if c not in ("trang_thai", "ngay_hoan_thanh")
        }
        values.update(
            trang_thai=state,
            ngay_hoan_thanh=finished,
            han=deadline(str(values.get("thoi_han") or "")),
            _row=excel_row,
        )
        rows.append(values)
    with transaction(con):
        for v in rows:
            # where a task came from is not a column of the sheet: kept from the list
            # where a task came from (the programme, a meeting) is kept from the list
            source = con.execute(
                "SELECT nguon, cuoc_hop_id, ket_luan_id, nguoi_chu_tri, nhom, noi_dung, chu_tri, "
                "phoi_hop, san_pham, tham_quyen, thoi_han FROM nhiem_vu "
                "WHERE commune = ? AND tt = ?",
                [commune, v["tt"]],
            ).fetchall()
            if source:
                old = dict(
                    zip(
                        (
                            "nhom",
                            "noi_dung",
                            "chu_tri",
                            "phoi_hop",
                            "san_pham",
                            "tham_quyen",
                            "thoi_han",
                        ),
                        source[0][4:],
                        strict=True,
                    )
                )
                _check_meeting_lock(
                    con,
                    commune,
                    str(v["tt"]),
                    {c for c, was in old.items() if blank(was) != blank(v[c])},
                    f"dòng {v['_row']}: ",
                )
            con.execute("DELETE FROM nhiem_vu WHERE commune = ? AND tt = ?", [commune, v["tt"]])
            con.execute(
                INSERT,
                [
                    commune,
                    v["tt"],
                    v["nhom"],
                    v["noi_dung"],
                    v["chu_tri"],
                    v["phoi_hop"],
                    v["san_pham"],
                    v["tham_quyen"],
                    v["thoi_han"],
                    v["han"],
                    v["trang_thai"],
                    v["ngay_hoan_thanh"],
                    v["ghi_chu"],
                    dt.datetime.now(),
                    user,
                    source[0][0] if source else "Nhập từ tệp Excel",
                    recurring(str(v.get("thoi_han") or "")),
                ],
            )
            if source and source[0][1] is not None:  # an assignment stays its meeting's
                con.execute(
                    "UPDATE nhiem_vu SET cuoc_hop_id = ?, ket_luan_id = ?, "
                    "nguoi_chu_tri = ? WHERE commune = ? AND tt = ?",
                    [*source[0][1:4], commune, v["tt"]],
                )
        audit.record(
            con,
            user,
            "nhap_nhiem_vu",
            f"{len(rows)} nhiệm vụ",
            {"xa": commune, "tt": [v["tt"] for v in rows]},
        )
        bump_version(con)
    return len(rows)
