"""Running the real `newsarchive serve` in a child process on a free port of 127.0.0.1."""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60
STOP_SECONDS = 20
_ADDRESS = re.compile(r"read-only at (http://127\.0\.0\.1:\d+/)")


@dataclass(frozen=True, slots=True)
class Server:
    base_url: str
    output: Path  # what the server printed (stdout and stderr), for messages


@contextlib.contextmanager
def serving(database_url: str, folder: Path) -> Iterator[Server]:
    """`newsarchive serve --port 0` over the archive; stopped (Ctrl-C) when the block ends.

    Output goes to a file, not a pipe, so the access log can never fill a pipe nobody reads.
    """
    output = folder / "serve.log"
    command = [sys.executable, "-m", "scraper.cli", "serve", "--db", database_url, "--port", "0"]
    with output.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield Server(_wait_for_address(process, output), output)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0, output.read_text(encoding="utf-8")


def _wait_for_address(process: subprocess.Popen[bytes], output: Path) -> str:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        printed = output.read_text(encoding="utf-8")
        found = _ADDRESS.search(printed)
        if found and "Application startup complete" in printed:
            return found[1]
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}:\n{printed}")
        time.sleep(0.1)
    raise AssertionError(f"serve printed no address in {START_SECONDS}s:\n{output.read_text()}")
