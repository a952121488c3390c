"""Storing parsed files: one transaction per file, an import log, and undo.

Every case row of every import is kept in ``ho_so_versions``; ``ho_so`` holds, per commune
and ``ma_ho_so``, the version from the snapshot with the latest as-of date (the later
import on a tie). That makes the result independent of import order and an undo exact.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from core import settings
from core.errors import (
    ImportRejected,
    LockedMonth,
    NotFound,
    Problem,
    UserError,
    reference,
)
from core.schema import CASE_COLUMNS
from core.text import printable
from loaders.figures import MANUAL, ManualSpec
from loaders.reader import ParsedFile
from loaders.sandbox import read_isolated
from loaders.vocabulary import CASE_LIST, load
from storage import audit, locks
from storage import scope as commune_scope
from storage.areas import home_commune
from storage.database import bump_version, one, scalar, transaction
from storage.figures import add_figure

log = logging.getLogger(__name__)
CASE_FIELDS = ", ".join(CASE_COLUMNS[1:])
_CONTENT = (
    "md5(concat_ws('|', "
    + ", ".join(f"coalesce(CAST({c} AS VARCHAR), '~')" for c in CASE_COLUMNS[1:])
    + "))"
)


@dataclass
class ImportResult:
    file_name: str
    ok: bool
    message: str
    import_id: int | None = None
    kind: str | None = None
    commune: str | None = None
    as_of: dt.date | None = None
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicate_of: int | None = None
    warnings: list[str] = field(default_factory=list)
    error: ImportRejected | None = None


def _n(count: int) -> str:
    return f"{count:,}".replace(",", ".")  # the thousands dot: «1.092 dòng mới»


def summary(p: ImportResult) -> str:
    if not p.ok:
        return p.message
    name = printable(p.file_name)  # a name with escape codes is shown, never acted on
    if p.duplicate_of is not None:
        return f"{name}: đã nhập trước đó (lần nhập số {p.duplicate_of}), không thay đổi gì."
    label = load().kinds[p.kind].label if p.kind else ""
    text = (
        f"{name}: {label}, {printable(p.commune)}, số liệu đến ngày {p.as_of:%d/%m/%Y} — "
        f"{_n(p.inserted)} dòng mới, {_n(p.updated)} cập nhật, {_n(p.unchanged)} không đổi"
    )
    if p.rejected:
        text += f", {_n(p.rejected)} dòng lỗi bị bỏ qua"
    return text + "."


def file_communes(parsed: ParsedFile) -> list[str]:
    """Every commune a parsed file writes: its own, and each row's «Xã» of a hand-entry
    template (in order of appearance)."""
    names = [parsed.commune]
    if "commune" in parsed.rows.columns:
        names += [str(c) for c in parsed.good_rows["commune"]]
    return list(dict.fromkeys(names))


def import_files(
    con: duckdb.DuckDBPyConnection,
    paths: list[str | Path],
    *,
    commune: str | None = None,
    as_of: dt.date | None = None,
    skip_bad_rows: bool = False,
    user: str | None = None,
    manual: Mapping[str, ManualSpec] | None = None,
) -> list[ImportResult]:
    """Import each file on its own: one bad file never blocks the good ones beside it.
    ``manual`` lists the hand-entered indicators a filled template may name. A file that
    names no commune takes ``commune``, else the installation's own."""
    commune = commune or home_commune(con) or None
    results = []
    for path in paths:
        try:
            parsed = read_isolated(path, commune=commune, as_of=as_of, manual=manual)
            results.append(store(con, parsed, skip_bad_rows=skip_bad_rows, user=user))
        except ImportRejected as exc:
            results.append(_rejected(exc))
        except UserError as exc:  # disk full, database held: nothing of this file stored
            results.append(_rejected(ImportRejected(Path(path).name, str(exc))))
        except Exception as exc:  # never a traceback for the user; the file is not stored
            results.append(unexpected(Path(path).name, exc))
    return results


def unexpected(file_name: str, exc: BaseException) -> ImportResult:
    """A bug met while importing one file: logged with a reference, the file not stored."""
    ref = reference()
    log.error(
        "import of %s failed [%s]: %s", printable(file_name), ref, type(exc).__name__, exc_info=exc
    )
    return _rejected(
        ImportRejected(
            file_name,
            f"lỗi không mong đợi khi nhập (mã tra cứu {ref}).",
            hint="Tệp chưa được nhập. Gửi tệp này và mã tra cứu cho quản trị để kiểm tra.",
        )
    )


def _rejected(exc: ImportRejected) -> ImportResult:
    limit = settings.number("max_errors_shown")
    return ImportResult(exc.file_name, False, exc.message(limit), error=exc)


def store(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedFile,
    *,
    skip_bad_rows: bool = False,
    user: str | None = None,
    scope: str | None = None,
) -> ImportResult:
    """Store one parsed file in one transaction, or reject it whole. ``scope``: the only
    commune the uploading account may write (a commune account; the acting account's
    limit of storage.scope applies as well); None for any."""
    name = parsed.file_name
    # every row of a hand-entry template names its own commune: each one meets the wall
    foreign = commune_scope.refuse_foreign(name, parsed.commune, parsed.rows, scope)
    if foreign is not None:
        return _rejected(foreign)
    if parsed.problems and not skip_bad_rows:
        exc = ImportRejected(
            name,
            f"có {len(parsed.bad_rows)} dòng lỗi, tệp chưa được nhập.",
            parsed.problems,
            hint="Sửa các ô nêu trên rồi tải lại, hoặc chọn «Bỏ qua dòng lỗi» để nhập các "
            "dòng đúng.",
        )
        return _rejected(exc)
    good = parsed.good_rows
    if good.empty:
        return _rejected(
            ImportRejected(
                name,
                "không có dòng dữ liệu nào để nhập.",
                parsed.problems,
                hint="Kiểm tra tệp có đúng kỳ và đủ dữ liệu.",
            )
        )
    user = user or settings.current_user()
    try:
        with transaction(con):
            # under the writer lock: two sessions storing the same file cannot both miss it
            previous = one(
                con,
                "SELECT import_id FROM imports WHERE sha256 = ? AND commune = ? "
                "AND undone_at IS NULL AND kind = ? ORDER BY import_id LIMIT 1",
                [parsed.sha256, parsed.commune, parsed.kind],
            )
            if previous:
                return ImportResult(
                    name,
                    True,
                    "",
                    kind=parsed.kind,
                    commune=parsed.commune,
                    as_of=parsed.as_of,
                    duplicate_of=int(previous[0]),
                )
            locks.check(con, locks.months_of_file(parsed))
            import_id = int(scalar(con, "SELECT nextval('import_id_seq')"))
            if parsed.kind == CASE_LIST:
                counts = _store_cases(con, import_id, parsed, good)
            elif parsed.kind == MANUAL:
                counts = _store_figures(con, import_id, good, user)
            else:
                counts = _store_aggregate(con, import_id, parsed, good)
            rejected = len(parsed.bad_rows)
            con.execute(
                """INSERT INTO imports (import_id, file_name, sha256, kind, fmt, sheet, commune,
                   as_of, as_of_source, period_start, period_end, rows_inserted, rows_updated,
                   rows_unchanged, rows_rejected, imported_at, imported_by)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    import_id,
                    name,
                    parsed.sha256,
                    parsed.kind,
                    parsed.fmt,
                    parsed.sheet,
                    parsed.commune,
                    parsed.as_of,
                    parsed.as_of_source,
                    parsed.period_start,
                    parsed.period_end,
                    *counts,
                    rejected,
                    dt.datetime.now(),
                    user,
                ],
            )
            if parsed.problems:
                con.executemany(
                    "INSERT INTO import_problems VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        [import_id, p.sheet, p.row, p.column, p.value, p.reason]
                        for p in parsed.problems
                    ],
                )
            audit.record(
                con,
                user,
                "nhap_tep",
                f"#{import_id} {name}",
                {
                    "loai": parsed.kind,
                    "xa": parsed.commune,
                    "den_ngay": parsed.as_of,
                    "moi": counts[0],
                    "cap_nhat": counts[1],
                    "khong_doi": counts[2],
                    "dong_loi": len(parsed.bad_rows),
                },
            )
            bump_version(con)
    except LockedMonth as exc:
        return _rejected(
            ImportRejected(
                name, str(exc), hint="Đề nghị quản trị mở khóa tháng nếu cần sửa số liệu."
            )
        )
    except UserError as exc:  # disk full, read-only place, database held: nothing stored
        return _rejected(ImportRejected(name, str(exc)))
    return ImportResult(
        name,
        True,
        "",
        import_id,
        parsed.kind,
        parsed.commune,
        parsed.as_of,
        *counts,
        rejected=len(parsed.bad_rows),
        warnings=parsed.warnings,
    )


def _store_cases(
    con: duckdb.DuckDBPyConnection, import_id: int, parsed: ParsedFile, good: pd.DataFrame
) -> tuple[int, int, int]:
    frame = good[list(CASE_COLUMNS)]
    con.register("incoming_cases", frame)
    try:
        con.execute(
            f"""INSERT INTO ho_so_versions (commune, ma_ho_so, as_of, import_id, {CASE_FIELDS})
                SELECT ?, ma_ho_so, ?, ?, {CASE_FIELDS} FROM incoming_cases""",
            [parsed.commune, parsed.as_of, import_id],
        )
    finally:
        con.unregister("incoming_cases")
    inserted, updated, unchanged = one(  # type: ignore[misc]  # a count row always exists
        con,
        f"""WITH incoming AS (
                SELECT ma_ho_so, as_of, {_CONTENT} AS h FROM ho_so_versions WHERE import_id = ?),
            current AS (
                SELECT ma_ho_so, as_of, {_CONTENT} AS h FROM ho_so WHERE commune = ?)
            SELECT count(*) FILTER (WHERE c.ma_ho_so IS NULL),
                   count(*) FILTER (WHERE c.ma_ho_so IS NOT NULL AND i.as_of >= c.as_of
                                    AND i.h <> c.h),
                   count(*) FILTER (WHERE c.ma_ho_so IS NOT NULL AND
                                    (i.as_of < c.as_of OR i.h = c.h))
            FROM incoming i LEFT JOIN current c USING (ma_ho_so)""",
        [import_id, parsed.commune],
    )
    rebuild_cases(con, parsed.commune)
    return int(inserted), int(updated), int(unchanged)


def _store_figures(
    con: duckdb.DuckDBPyConnection, import_id: int, good: pd.DataFrame, user: str
) -> tuple[int, int, int]:
    inserted = updated = unchanged = 0
    for r in good.itertuples():  # a template has a few dozen rows
        version = add_figure(
            con,
            r.indicator_id,
            r.commune,
            r.thang,
            _num(r.gia_tri),
            _num(r.tu_so),
            _num(r.mau_so),
            r.nguon,
            user,
            r.ghi_chu,
            import_id,
        )
        if version is None:
            unchanged += 1
        elif version == 1:
            inserted += 1
        else:
            updated += 1
    return inserted, updated, unchanged


def _num(v: object) -> float | None:
    return None if v is None or pd.isna(v) else float(v)  # type: ignore[arg-type]


def rebuild_cases(con: duckdb.DuckDBPyConnection, commune: str) -> None:
    """``ho_so`` for one commune = the latest as-of version of each case."""
    con.execute("DELETE FROM ho_so WHERE commune = ?", [commune])
    con.execute(
        """INSERT INTO ho_so SELECT * EXCLUDE (rn) FROM (
               SELECT *, row_number() OVER (PARTITION BY ma_ho_so
                                            ORDER BY as_of DESC, import_id DESC) AS rn
               FROM ho_so_versions WHERE commune = ?) WHERE rn = 1""",
        [commune],
    )


def _store_aggregate(
    con: duckdb.DuckDBPyConnection, import_id: int, parsed: ParsedFile, good: pd.DataFrame
) -> tuple[int, int, int]:
    month = parsed.as_of.replace(day=1)
    measures = [c for c in good.columns if c not in ("_row", "linh_vuc")]
    long = good.melt(
        id_vars=["linh_vuc"], value_vars=measures, var_name="chi_so", value_name="gia_tri"
    )
    before = current_aggregate(con, parsed.commune, month, parsed.kind)
    con.register("incoming_agg", long)
    try:
        con.execute(
            """INSERT INTO bao_cao_tong_hop SELECT ?, ?, ?, ?, ?, linh_vuc, chi_so,
                      CAST(gia_tri AS DOUBLE) FROM incoming_agg""",
            [import_id, parsed.commune, month, parsed.kind, parsed.as_of],
        )
    finally:
        con.unregister("incoming_agg")
    n = len(good)
    if before is None:
        return n, 0, 0
    prev_as_of, prev_rows = before
    if parsed.as_of < prev_as_of:
        return 0, 0, n
    same = _cells(long) == _cells(prev_rows)
    return (0, 0, n) if same else (0, n, 0)


def _cells(frame: pd.DataFrame) -> set[tuple[str, str, float | None]]:
    """A report's figures, comparable across a re-export (counts and printed rates)."""
    return {
        (str(a), str(b), None if pd.isna(v) else round(float(v), 6))
        for a, b, v in frame[["linh_vuc", "chi_so", "gia_tri"]].itertuples(index=False)
    }


def current_aggregate(
    con: duckdb.DuckDBPyConnection, commune: str, month: dt.date, kind: str
) -> tuple[dt.date, pd.DataFrame] | None:
    row = one(
        con,
        """SELECT import_id, as_of FROM bao_cao_tong_hop
           WHERE commune = ? AND thang = ? AND kind = ?
           ORDER BY as_of DESC, import_id DESC LIMIT 1""",
        [commune, month, kind],
    )
    if not row:
        return None
    rows = con.execute(
        "SELECT linh_vuc, chi_so, gia_tri FROM bao_cao_tong_hop WHERE import_id = ?", [row[0]]
    ).df()
    return row[1], rows


def undo_import(
    con: duckdb.DuckDBPyConnection,
    import_id: int,
    user: str | None = None,
    scope: str | None = None,
) -> str:
    """Remove what one import added; the previous state of every case comes back."""
    row = one(
        con,
        "SELECT file_name, commune, kind, undone_at FROM imports WHERE import_id = ?",
        [import_id],
    )
    if row is None or not commune_scope.allows(row[1], scope):
        raise NotFound(f"Không có lần nhập số {import_id}.")
    file_name, commune, kind, undone_at = row
    if undone_at is not None:
        raise NotFound(f"Lần nhập số {import_id} ({file_name}) đã được hoàn tác trước đó.")
    user = user or settings.current_user()
    with transaction(con):
        try:
            locks.check(con, locks.months_of_import(con, import_id))
        except LockedMonth as exc:
            raise LockedMonth(f"Không hoàn tác được lần nhập số {import_id}: {exc}") from None
        con.execute("DELETE FROM ho_so_versions WHERE import_id = ?", [import_id])
        con.execute("DELETE FROM bao_cao_tong_hop WHERE import_id = ?", [import_id])
        con.execute("DELETE FROM so_lieu_nhap_tay WHERE import_id = ?", [import_id])
        con.execute(
            "UPDATE imports SET undone_at = ?, undone_by = ? WHERE import_id = ?",
            [dt.datetime.now(), user, import_id],
        )
        audit.record(con, user, "hoan_tac", f"#{import_id} {file_name}", {"xa": commune})
        if kind == CASE_LIST:
            rebuild_cases(con, commune)
        bump_version(con)
    return f"Đã hoàn tác lần nhập số {import_id} ({file_name})."


def import_history(
    con: duckdb.DuckDBPyConnection, limit: int = 200, scope: str | None = None
) -> pd.DataFrame:
    """The latest imports; a commune account's ``scope`` sees only its commune's."""
    only = commune_scope.narrowed(scope)
    return con.execute(
        """SELECT import_id, file_name, kind, commune, as_of, as_of_source, rows_inserted,
                  rows_updated, rows_unchanged, rows_rejected, imported_at, imported_by,
                  undone_at, undone_by, sha256
           FROM imports WHERE ? IS NULL OR commune = ?
           ORDER BY import_id DESC LIMIT ?""",
        [only, only, limit],
    ).df()


def problems_of(
    con: duckdb.DuckDBPyConnection, import_id: int, scope: str | None = None
) -> list[Problem]:
    row = one(con, "SELECT commune FROM imports WHERE import_id = ?", [import_id])
    if row is None or not commune_scope.allows(row[0], scope):
        return []
    rows = con.execute(
        "SELECT reason, row_number, column_name, value, sheet FROM import_problems "
        "WHERE import_id = ? ORDER BY row_number",
        [import_id],
    ).fetchall()
    return [Problem(*r) for r in rows]
