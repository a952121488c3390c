"""Files no one here wrote: each is imported or refused by name, within the worker's limits,
without a traceback, without changing the database, and without blocking the files after it."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import ImportRejected
from loaders.sandbox import read_isolated
from loaders.sniff import sniff
from storage.imports import import_files
from tests.conftest import BAD, COMMUNE, DIEN_CHAU, REALWORLD, extra_corpus

UNEXPECTED = "lỗi không mong đợi"


def minimal_xlsx(sheet_xml: str) -> bytes:
    """A small but valid package around one worksheet."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sheet.main+xml"/></Types>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


def test_a_sheet_declaring_a_million_rows_by_16384_columns_is_refused_cheaply():
    data = minimal_xlsx(
        '<worksheet><dimension ref="A1:XFD1048576"/><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        "</worksheet>"
    )
    assert len(data) < 2048
    assert sniff(data) == "huge_sheet"
    with pytest.raises(ImportRejected, match="kích thước quá lớn"):
        read_isolated(data, "bom_kich_thuoc.xlsx")


def test_a_zip_bomb_is_refused_before_it_is_expanded():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/sharedStrings.xml", "A" * (700 * 1024 * 1024 // 8) * 8)
    data = buf.getvalue()
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(ImportRejected, match="tệp nén bất thường"):
        read_isolated(data, "bom_nen.xlsx")


def test_a_worker_that_runs_out_of_memory_is_a_refused_file_not_a_dead_server():
    data = (DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx").read_bytes()
    with pytest.raises(ImportRejected) as refused:
        read_isolated(data, "nang.xlsx", commune=COMMUNE, memory_mb=1)
    assert refused.value.file_name == "nang.xlsx"
    assert "không mong đợi" not in refused.value.reason
    # and the next file is read as usual
    assert len(read_isolated(data, "tiep_theo.xlsx", commune=COMMUNE).rows) == 1220


def test_a_password_protected_workbook_says_so():
    with pytest.raises(ImportRejected, match="tệp có mật khẩu"):
        read_isolated(REALWORLD / "python-calamine" / "password.xlsx")


def test_truncated_files_are_refused_by_name():
    for source in ("danh_sach_ho_so_2026-03.xlsx", "danh_sach_ho_so_2026-09.xls"):
        data = (DIEN_CHAU / source).read_bytes()
        for cut in (len(data) // 3, len(data) - 100):
            try:  # some readers recover part of a cut file, which is fine; a crash is not
                read_isolated(data[:cut], f"cat_{source}", commune=COMMUNE)
            except ImportRejected as exc:
                assert exc.file_name == f"cat_{source}" and UNEXPECTED not in exc.message()


def test_the_realworld_corpus_in_one_command(tmp_path):
    """34 spreadsheets from other projects' test suites: each imported or refused by name,
    the database unchanged by the refused ones, a good file after them still imported."""
    files = sorted(p for p in REALWORLD.rglob("*") if p.is_file()) + extra_corpus("realworld")
    assert len(files) >= 34
    good = DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx"
    db = tmp_path / "kpi.duckdb"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "import",
            "--db",
            str(db),
            "--commune",
            "Diễn Châu",
            *map(str, files),
            str(good),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and UNEXPECTED not in done.stderr
    # a reader's Rust panic or allocation failure goes to the log, not to this terminal
    for rust in ("panicked at", "memory allocation of", "stack backtrace", "RUST_BACKTRACE"):
        assert rust not in done.stderr + done.stdout, rust
    for f in files:
        assert f"Tệp «{f.name}» bị từ chối" in done.stderr or f.name in done.stdout, f.name
    assert f"{good.name}: Danh sách hồ sơ" in done.stdout
    history = subprocess.run(
        [sys.executable, "-m", "cli", "history", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert len(history.stdout.strip().splitlines()) == 1 + sum(f.name in done.stdout for f in files)


def test_a_file_name_with_control_characters_is_echoed_escaped(tmp_path):
    name = "xau\x1b[31m\nten.csv"
    path = tmp_path / name
    path.write_bytes(b"\x00\x01binary")
    done = subprocess.run(
        [sys.executable, "-m", "cli", "import", "--db", str(tmp_path / "k.duckdb"), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "\x1b" not in done.stderr and "xau\\x1b[31m\\x0aten.csv" in done.stderr


# --- property-based: mutations of a good export never end in «lỗi không mong đợi» ---

CSV_SOURCE = DIEN_CHAU / "danh_sach_ho_so_2026-08.csv"


def _rows() -> list[list[str]]:
    text = CSV_SOURCE.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[:40]


ROWS = _rows()


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _decided(data: bytes) -> None:
    try:
        parsed = read_isolated(data, "dot_bien.csv", commune=COMMUNE)
    except ImportRejected as exc:
        assert exc.file_name == "dot_bien.csv"
        assert UNEXPECTED not in exc.message()
        return
    assert all(p.reason for p in parsed.problems)


cells = st.tuples(st.integers(1, len(ROWS) - 1), st.integers(0, len(ROWS[0]) - 1))
settings_ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings_
@given(st.lists(cells, min_size=1, max_size=30), st.sampled_from(["", "nan", "NaN", " "]))
def test_blank_or_nan_cells_end_in_an_import_or_a_refusal(blanked, filler):
    rows = [r[:] for r in ROWS]
    for r, c in blanked:
        rows[r][c] = filler
    _decided(_csv(rows))


@settings_
@given(
    st.lists(st.integers(1, len(ROWS) - 1), min_size=2, max_size=6),
    st.lists(st.integers(0, len(ROWS[0]) - 1), max_size=5),
)
def test_duplicate_codes_with_blank_cells_are_named_not_crashed(dupes, blanks):
    rows = [r[:] for r in ROWS]
    code = rows[dupes[0]][1]
    for r in dupes:
        rows[r][1] = code
        for c in blanks:
            if c != 1:
                rows[r][c] = ""
    _decided(_csv(rows))


@settings_
@given(st.permutations(list(range(len(ROWS[0])))), st.integers(0, len(ROWS[0]) - 1))
def test_shuffled_and_repeated_columns(order, repeated):
    rows = [[r[i] for i in order] + [r[repeated]] for r in ROWS]
    _decided(_csv(rows))


@settings_
@given(st.integers(1, 10_000), st.binary(max_size=400))
def test_truncated_or_random_bytes_after_a_valid_header(cut, noise):
    data = _csv(ROWS)
    header_end = data.index(b"\n") + 1
    _decided(data[:header_end] + data[header_end : header_end + cut] + noise)


def test_every_sample_file_and_bad_file_is_decided(con):
    files = sorted(Path(p) for p in [*DIEN_CHAU.iterdir(), *BAD.iterdir()])
    results = import_files(con, files, commune=COMMUNE)
    assert len(results) == len(files)
    assert [r.file_name for r in results if UNEXPECTED in r.message] == []


SSML = (
    '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"><Table>'
    "{rows}</Table></Worksheet></Workbook>"
)


@pytest.mark.parametrize(
    "name, data",
    [
        # 9 KB of HTML whose 200 cells each span 1000 x 1000
        (
            "span_bom.xls",
            (
                "<html><table><tr>"
                + "<td rowspan=1000 colspan=1000>x</td>" * 200
                + "</tr></table></html>"
            ).encode(),
        ),
        # 2 KB of SpreadsheetML merging 30,000 x 30,000 cells
        (
            "gop_o.xml",
            SSML.format(
                rows='<Row><Cell ss:MergeAcross="30000" ss:MergeDown="30000">'
                '<Data ss:Type="String">x</Data></Cell></Row>'
            ).encode(),
        ),
        # a row at index 999,999 with a cell at column 16,384
        (
            "chi_so_dong.xml",
            SSML.format(
                rows='<Row ss:Index="999999"><Cell ss:Index="16384">'
                '<Data ss:Type="String">x</Data></Cell></Row>'
            ).encode(),
        ),
        # one line of 25 million fields
        ("dong_dai.csv", b"Ma ho so," + b"a," * 2_000_000 + b"\n"),
    ],
)
def test_span_merge_index_and_field_bombs_are_refused_before_parsing(name, data):
    assert len(data) < 10 * 1024 * 1024
    with pytest.raises(ImportRejected) as refused:
        read_isolated(data, name, wall_seconds=10)
    assert refused.value.file_name == name
    assert "ô gộp" in refused.value.reason or "cột" in refused.value.reason


def test_a_file_that_runs_long_is_stopped_at_the_cpu_limit_with_a_reason():
    """Just under the span check: 25 million cells to expand, far past 2 seconds of work."""
    slow = (
        "<html><table><tr>" + "<td rowspan=1000 colspan=1000>x</td>" * 25 + "</tr></table></html>"
    ).encode()
    with pytest.raises(ImportRejected) as refused:
        read_isolated(slow, "cham.xls", cpu_seconds=2, wall_seconds=10)
    assert refused.value.file_name == "cham.xls"
    assert "quá 2 giây" in refused.value.reason or "bộ nhớ" in refused.value.reason
