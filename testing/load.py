"""A bounded background load: ``workers`` processes that keep a CPU each busy for at most
``seconds``, ended with the command they accompany. Runs the browser tests on a busy
machine in CI, as a commune's shared server or a loaded CI runner would be:

    python -m testing.load [--workers N] [--seconds S] -- COMMAND...

exits with COMMAND's exit code. Each worker is its own process (the GIL would serialise
threads), runs at the same priority as the tests and stops by itself after ``seconds``
even if this process is killed, so the load can never outlive its bound."""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator

SPIN = (
    "import time\nend = time.monotonic() + {seconds}\n"
    "while time.monotonic() < end:\n    sum(range(10_000))\n"
)


@contextlib.contextmanager
def busy(workers: int | None = None, seconds: float = 900) -> Iterator[list[int]]:
    """Start the workers, yield their pids, stop them on exit."""
    count = workers if workers is not None else os.cpu_count() or 2
    procs = [
        subprocess.Popen([sys.executable, "-c", SPIN.format(seconds=float(seconds))])
        for _ in range(count)
    ]
    try:
        yield [p.pid for p in procs]
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testing.load")
    parser.add_argument(
        "--workers", type=int, default=None, help="busy processes (default: one per CPU)"
    )
    parser.add_argument(
        "--seconds", type=float, default=900, help="the longest a worker runs (default 900)"
    )
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    start = time.monotonic()
    with busy(args.workers, args.seconds) as pids:
        print(
            f"testing.load: {len(pids)} busy processes for at most {args.seconds:.0f} s "
            f"beside: {' '.join(command)}",
            flush=True,
        )
        code = subprocess.call(command)
        load1, load5, _ = os.getloadavg()
    print(
        f"testing.load: done in {time.monotonic() - start:.0f} s, load average "
        f"{load1:.1f} (1 min) {load5:.1f} (5 min) on {os.cpu_count()} CPUs",
        flush=True,
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
