"""The reading worker (issue 19): what it prints below Python (a Rust panic, an allocation
failure, a backtrace) never reaches a user or a terminal, only the log, under the reference
the user is given; a file name is escaped on every path, success included; refusals that need
no parser come before any worker starts; an .xls is refused by its declared size."""

from __future__ import annotations

import os
import struct
import subprocess
import sys

import pytest

from core.errors import ImportRejected
from loaders import sandbox
from loaders.sniff import MAX_XLS_CELLS, sniff, xls_declared_cells
from tests.conftest import DIEN_CHAU
from tests.test_hostile_files import minimal_xlsx

PANIC = (
    b"thread '<unnamed>' panicked at src/xls.rs:42:13:\nattempt to add with overflow\n"
    b"stack backtrace:\n   0: rust_begin_unwind\n"
)


def _panics(data: bytes, file_name: str) -> None:
    """What python-calamine does on a corrupt file: Rust prints, then the process aborts."""
    os.write(2, PANIC)
    os.write(1, b"memory allocation of 2400000000 bytes failed\n")
    os.abort()


def _raises(data: bytes, file_name: str) -> None:
    raise BaseException("pyo3_runtime.PanicException: index out of bounds")


def log_text(tmp_path) -> str:
    return (tmp_path / "logs" / "kpi_xa.log").read_text(encoding="utf-8")


@pytest.fixture
def logged(tmp_path, monkeypatch):
    from storage.logs import log_to_file

    monkeypatch.setenv("KPI_LOG_DIR", str(tmp_path / "logs"))
    log_to_file()
    return tmp_path


def test_a_panic_goes_to_the_log_under_the_users_reference(logged, capfd):
    with pytest.raises(ImportRejected) as refused:
        sandbox._run(_panics, b"x", "hong.xls", {}, 512, 5, 30)
    said = refused.value.message()
    assert "panicked" not in said and "allocation" not in said and "backtrace" not in said
    ref = said.split("mã tra cứu ", 1)[1].split(")", 1)[0]
    printed = capfd.readouterr()
    assert "panicked" not in printed.err + printed.out
    text = log_text(logged)
    assert f"[{ref}]" in text and "panicked at src/xls.rs" in text
    assert "memory allocation of 2400000000 bytes failed" in text


def test_a_python_level_crash_is_logged_with_a_reference_too(logged):
    with pytest.raises(ImportRejected) as refused:
        sandbox._run(_raises, b"x", "hong.xlsx", {}, 512, 5, 30)
    said = refused.value.message()
    assert "PanicException" not in said and "mã tra cứu" in said
    assert "PanicException: index out of bounds" in log_text(logged)


def ole_workbook(stream: bytes) -> bytes:
    """A minimal OLE compound file (512-byte sectors) holding one «Workbook» stream."""
    stream += b"\x00" * (-len(stream) % 512)
    n = len(stream) // 512
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    fat = [0xFFFFFFFD, end] + [3 + i if i < n - 1 else end for i in range(n)]
    fat += [free] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\x00").encode("utf-16-le")
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, free, free, child)
        struct.pack_into("<II", raw, 116, start, size)
        return bytes(raw)

    directory = (
        entry("Root Entry", 5, 1, end, 0)
        + entry("Workbook", 2, free, 2, len(stream))
        + entry("", 0, free, free, 0) * 2
    )
    return bytes(header) + struct.pack("<128I", *fat) + directory + stream


def biff(rows: int, cols: int) -> bytes:
    """BOF, a DIMENSIONS record declaring rows × cols, EOF, padded past the mini stream."""
    bof = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x10, 0, 0, 0, 0)
    dims = struct.pack("<HH", 0x0200, 14) + struct.pack("<IIHHH", 0, rows, 0, cols, 0)
    pad = struct.pack("<HH", 0x003C, 4096) + b"\x00" * 4096  # a CONTINUE record
    return bof + dims + pad + struct.pack("<HH", 0x000A, 0)


def test_an_xls_declaring_65536_by_256_cells_is_refused_by_its_declared_size(monkeypatch):
    data = ole_workbook(biff(65_536, 256))
    assert len(data) < 41 * 1024
    assert xls_declared_cells(data) == 65_536 * 256 > MAX_XLS_CELLS
    assert sniff(data) == "huge_sheet"
    # refused before a worker is started: nothing to wait for on a busy machine
    monkeypatch.setattr(sandbox._Worker, "start", lambda self: pytest.fail("worker started"))
    with pytest.raises(ImportRejected, match="kích thước quá lớn"):
        sandbox.read_isolated(data, "bom_kich_thuoc.xls")


def test_a_small_xls_declaration_is_left_to_the_reader():
    data = ole_workbook(biff(1_200, 22))
    assert xls_declared_cells(data) == 1_200 * 22
    assert sniff(data) == "xls"
    assert xls_declared_cells(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100) == 0


def test_a_huge_xlsx_declaration_is_refused_without_a_worker(monkeypatch):
    data = minimal_xlsx('<worksheet><dimension ref="A1:AG1048576"/><sheetData/></worksheet>')
    monkeypatch.setattr(sandbox._Worker, "start", lambda self: pytest.fail("worker started"))
    with pytest.raises(ImportRejected, match="kích thước quá lớn"):
        sandbox.read_isolated(data, "33_cot.xlsx")


def test_a_file_name_with_escape_codes_is_escaped_when_its_import_succeeds(tmp_path):
    name = "tot\x1b[2J\x1b]0;hack\x07.csv"
    good = DIEN_CHAU / "danh_sach_ho_so_2026-08.csv"
    path = tmp_path / name
    path.write_bytes(good.read_bytes())
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "import",
            "--db",
            str(tmp_path / "k.duckdb"),
            "--commune",
            "Xã Diễn Châu",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "KPI_LOG_DIR": str(tmp_path / "logs")},
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout
    assert "tot\\x1b[2J\\x1b]0;hack\\x07.csv: Danh sách hồ sơ" in done.stdout
