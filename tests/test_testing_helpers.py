"""The helpers the suite leans on hold their promises: the background load really keeps a CPU
busy, stops with its command and never outlives its bound."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from testing.load import busy


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def wait_until(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_load_keeps_a_cpu_busy_and_stops_with_its_block():
    with busy(workers=1, seconds=120) as pids:
        (pid,) = pids
        start = cpu_ticks(pid)
        assert wait_until(lambda: cpu_ticks(pid) - start >= os.sysconf("SC_CLK_TCK") // 2)
    assert wait_until(lambda: not alive(pid), timeout=15)


def test_a_worker_ends_by_itself_at_its_bound():
    with busy(workers=1, seconds=1) as pids:
        assert wait_until(lambda: not alive(pids[0]), timeout=60)


def test_the_command_line_returns_the_commands_exit_code():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "testing.load",
            "--workers",
            "1",
            "--seconds",
            "30",
            "--",
            sys.executable,
            "-c",
            "raise SystemExit(3)",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3
    assert "1 busy processes" in done.stdout and "load average" in done.stdout
