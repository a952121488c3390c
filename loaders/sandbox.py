"""Reading an untrusted file in a worker process with hard limits.

A file no one here wrote may make a reader allocate hundreds of gigabytes (a sheet whose
dimension reaches XFD1048576), panic in Rust (python-calamine raises a ``BaseException``),
or spin for minutes (span bombs, zip bombs). Each is read in a child process forked from
a clean fork server, with an address-space and a CPU-time limit, under a wall-clock timeout:
whatever the file does, the worst outcome is a refused file with a Vietnamese reason, and
the server (and every other user) carries on.

The worker writes nothing to the server's terminal: its standard output and error (where a
Rust panic, an allocation failure or a backtrace is printed, below Python) go to an
owner-only temporary file, which is logged with a reference when not empty; the user gets
a Vietnamese reason with that reference. Refusals that need no parser (format, zip bombs,
spans, the declared size of an .xlsx or .xls sheet) are decided before a worker starts.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing as mp
import multiprocessing.context
import os
import resource
import signal
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing import popen_forkserver, spawn
from pathlib import Path
from typing import Any

from core.errors import ImportRejected, reference
from core.text import printable
from loaders import sniff as sniffing
from loaders.figures import ManualSpec
from loaders.reader import ParsedFile, load_bytes, read_file

# Worker limits: memory beyond what the worker already maps, CPU seconds, wall-clock
# seconds. A file up to the upload limit is decided within these on a 2-core machine.
MEMORY_MB = 4096  # address space: Arrow and numpy reserve more than they touch
CPU_SECONDS = 12
WALL_SECONDS = 15

log = logging.getLogger("kpi_xa.sandbox")
OUTPUT_KEPT = 4000  # characters of a worker's output put in the log
_ctx: Any = None
_ctx_lock = threading.Lock()


def _without_main(name: str) -> dict[str, Any]:
    # The worker's target lives in this importable module. Under Streamlit, __main__ is the
    # app script: a child that re-ran it would start a second dashboard, so it is not sent.
    data = _preparation_data(name)
    data.pop("init_main_from_path", None)
    data.pop("init_main_from_name", None)
    return data


_preparation_data = spawn.get_preparation_data


class _Popen(popen_forkserver.Popen):
    def _launch(self, process_obj: Any) -> None:
        with _ctx_lock:
            spawn.get_preparation_data = _without_main
            try:
                super()._launch(process_obj)  # type: ignore[misc]
            finally:
                spawn.get_preparation_data = _preparation_data


class _Worker(mp.context.ForkServerProcess):
    _start_method = "forkserver"

    @staticmethod
    def _Popen(process_obj: Any) -> Any:  # noqa: N802 - multiprocessing's name
        return _Popen(process_obj)


def _context() -> Any:
    """A fork server that has imported the readers once: each file then costs a fork."""
    global _ctx
    with _ctx_lock:
        if _ctx is None:
            _ctx = mp.get_context("forkserver")
            _ctx.set_forkserver_preload(["loaders.reader"])
        return _ctx


@dataclass(frozen=True)
class _Manual:
    """A picklable copy of what the reader needs of a hand-entered indicator."""

    id: str
    name: str
    unit: str


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    try:
        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        current = 0
    cap = current + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _sheet(data: bytes, file_name: str) -> Any:
    """The first sheet of a workbook as text cells (the task list's own columns)."""
    import io

    import pandas as pd

    from loaders.sniff import XLSX, sniff

    if sniff(data) != XLSX:
        raise ImportRejected(
            file_name,
            "không phải tệp Excel .xlsx (hoặc tệp hỏng, quá lớn).",
            hint="Tải tệp Excel từ trang này, sửa rồi lưu dạng .xlsx.",
        )
    return pd.read_excel(io.BytesIO(data), engine="calamine", dtype=str)


# what a worker can be asked to do with the bytes
TASKS: dict[str, Callable[..., Any]] = {"file": read_file, "sheet": _sheet}


def _work(
    conn: Any,
    data: bytes,
    file_name: str,
    kwargs: dict[str, Any],
    memory_mb: int,
    cpu_seconds: int,
    env: dict[str, str],
    task: str | Callable[..., Any] = "file",
    output: str | None = None,
) -> None:
    if output is not None:  # below Python too: a Rust panic writes to file descriptor 2
        fd = os.open(output, os.O_WRONLY | os.O_APPEND)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    # the fork server started earlier: this request's settings (KPI_*) come with it
    for name in [k for k in os.environ if k.startswith("KPI_")]:
        del os.environ[name]
    os.environ.update(env)
    _limit(memory_mb, cpu_seconds)
    try:
        work = TASKS[task] if isinstance(task, str) else task
        conn.send(("ok", work(data, file_name, **kwargs)))
    except ImportRejected as exc:
        conn.send(("rejected", exc))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as exc:  # a Rust panic is a BaseException: still a refused file
        conn.send(("crash", f"{type(exc).__name__}: {str(exc)[:200]}"))
    finally:
        conn.close()


def read_isolated(
    source: str | Path | bytes,
    file_name: str | None = None,
    *,
    commune: str | None = None,
    as_of: dt.date | None = None,
    manual: Mapping[str, ManualSpec] | None = None,
    memory_mb: int = MEMORY_MB,
    cpu_seconds: int = CPU_SECONDS,
    wall_seconds: float = WALL_SECONDS,
) -> ParsedFile:
    """``read_file`` in a limited child process; raises ImportRejected for any failure."""
    data, file_name = load_bytes(source, file_name)
    precheck(data, file_name)
    specs = {k: _Manual(v.id, v.name, v.unit) for k, v in (manual or {}).items()}
    kwargs = {"commune": commune, "as_of": as_of, "manual": specs}
    value = _run("file", data, file_name, kwargs, memory_mb, cpu_seconds, wall_seconds)
    assert isinstance(value, ParsedFile)
    return value


def precheck(data: bytes, file_name: str) -> None:
    """Refuse at once, in this process, what needs no parser to refuse: no worker is
    started, so a busy machine answers in a fraction of a second instead of timing out."""
    problem = sniffing.precheck(data)
    if problem:
        reason, hint = sniffing.REASONS[problem]
        raise ImportRejected(file_name, reason, hint=hint)


def read_sheet_isolated(data: bytes, file_name: str) -> Any:
    """The first sheet of an uploaded workbook as a DataFrame of text, read under the same
    limits; ImportRejected naming the file for anything else."""
    return _run("sheet", data, file_name, {}, MEMORY_MB, CPU_SECONDS, WALL_SECONDS)


def _run(
    task: str | Callable[..., Any],
    data: bytes,
    file_name: str,
    kwargs: dict[str, Any],
    memory_mb: int,
    cpu_seconds: int,
    wall_seconds: float,
) -> Any:
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    env = {k: v for k, v in os.environ.items() if k.startswith("KPI_")}
    handle, output = tempfile.mkstemp(prefix="kpi_xa_doc_", suffix=".txt")  # 0600
    os.close(handle)
    try:
        worker = _Worker(
            target=_work,
            args=(sender, data, file_name, kwargs, memory_mb, cpu_seconds, env, task, output),
            daemon=True,
        )
        worker.start()
        sender.close()
        try:
            outcome = receiver.recv() if receiver.poll(wall_seconds) else ("timeout", None)
        except EOFError:  # the worker died without a word: killed by a limit, or aborted
            outcome = ("died", None)
        finally:
            receiver.close()
            if worker.is_alive():
                worker.kill()
            worker.join(5)
        ref = _log_output(output, file_name, outcome[0])
    finally:
        os.unlink(output)
    kind, value = outcome
    if kind == "died" and worker.exitcode == -signal.SIGXCPU:  # the CPU-time limit
        kind = "timeout"
    if kind == "ok":
        return value
    if kind == "rejected":
        assert isinstance(value, ImportRejected)
        raise value
    reasons = {
        "timeout": f"đọc tệp quá {min(wall_seconds, cpu_seconds):.0f} giây nên đã dừng (tệp "
        "quá lớn, quá nhiều ô gộp hoặc cấu trúc bất thường).",
        "memory": f"đọc tệp cần quá {memory_mb} MB bộ nhớ nên đã dừng (bảng tính khai báo "
        "kích thước quá lớn hoặc tệp nén bất thường).",
        "died": "tệp làm chương trình đọc dừng đột ngột (tệp hỏng, cắt cụt hoặc cấu trúc bất "
        "thường).",
        "crash": "tệp hỏng hoặc có cấu trúc mà chương trình đọc không xử lý được.",
    }
    if kind == "crash" and ref is None:  # the exception's own text: in the log, not shown
        ref = reference()
        log.warning("reading %s failed [%s]: %s", printable(file_name), ref, value)
    said = f" (mã tra cứu {ref})" if ref else ""
    raise ImportRejected(
        file_name,
        reasons[kind].rstrip(".") + said + ".",
        hint="Mở tệp bằng Excel, kiểm tra dữ liệu, «Lưu thành» .xlsx rồi tải "
        "lại; nếu vẫn lỗi, xuất lại tệp từ hệ thống.",
    )


def _log_output(path: str, file_name: str, outcome: str) -> str | None:
    """What the worker printed (a panic, an allocation failure, a backtrace), put in the log
    under a new reference; None when it printed nothing."""
    with open(path, "rb") as printed:
        text = printed.read(64 * 1024).decode("utf-8", errors="replace").strip()
    if not text:
        return None
    ref = reference()
    log.warning(
        "reader worker for %s (%s) printed [%s]: %s",
        printable(file_name),
        outcome,
        ref,
        printable(text[:OUTPUT_KEPT]),
    )
    return ref
