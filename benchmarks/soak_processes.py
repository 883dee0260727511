"""The soak's processes: `newsarchive` workers and the enqueue-only scheduler, started as an
operator would, and their memory read from /proc as they run.

Each process writes its JSON log lines to a file (never a pipe a busy benchmark might leave
unread). Memory is sampled for each process and every descendant it starts (the fork server
and parsing processes of `parse_workers`): the resident set (VmRSS) at each sample, and the
kernel's own high-water mark (VmHWM) at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from scraper.settings import CONFIG_ENV, DATABASE_ENV

ROOT = Path(__file__).resolve().parents[1]
STOP_SECONDS = 60.0  # a stopped process gets this long to finish what it has in flight
START_SECONDS = 180.0  # an upper bound on starting up (imports, migrations) on a busy machine
STARTED_EVENTS = frozenset({"worker_started", "scheduler_started"})
KB = 1024


@dataclass
class SoakProcess:
    """One `newsarchive ...` process, its log files, and when it died if it did."""

    label: str
    process: subprocess.Popen[bytes]
    log_path: Path
    streams: tuple[IO[bytes], IO[bytes]]
    died_at: float | None = None  # seconds into the soak, if it exited before the stop

    @property
    def pid(self) -> int:
        return self.process.pid

    def events(self) -> Counter[str]:
        """How many of each JSON event the process logged."""
        return Counter(str(record.get("event", "?")) for record in self._records())

    def warnings(self, examples: int = 5) -> list[str]:
        """The first few distinct warning and error messages, shortened."""
        found: list[str] = []
        for record in self._records():
            message = f"{record.get('event')}: {str(record.get('message'))[:200]}"
            if record.get("level") in ("warning", "error", "critical") and message not in found:
                found.append(message)
        return found[:examples]

    def _records(self) -> list[dict[str, Any]]:
        records = []
        for line in self.log_path.read_text(encoding="utf-8", errors="replace").splitlines():
            with contextlib.suppress(json.JSONDecodeError):
                record = json.loads(line)
                if isinstance(record, dict):
                    records.append(record)
        return records

    def stderr_tail(self, characters: int = 2000) -> str:
        path = self.log_path.with_suffix(".stderr")
        return path.read_text(encoding="utf-8", errors="replace")[-characters:]


def start(label: str, args: list[str], log_dir: Path) -> SoakProcess:
    """`python -m scraper.cli ARGS`, its stdout and stderr in log_dir/LABEL.log/.stderr."""
    env = {k: v for k, v in os.environ.items() if k not in (CONFIG_ENV, DATABASE_ENV)}
    log_path = log_dir / f"{label}.log"
    stdout, stderr = log_path.open("wb"), log_path.with_suffix(".stderr").open("wb")
    command = [sys.executable, "-m", "scraper.cli", *args]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=stdout, stderr=stderr)
    return SoakProcess(label, process, log_path, (stdout, stderr))


def wait_started(processes: list[SoakProcess]) -> float:
    """Until each process has logged that it started; the seconds that took. Raises when a
    process exits first or START_SECONDS pass."""
    began = time.monotonic()
    waiting = list(processes)
    while waiting:
        waiting = [one for one in waiting if not STARTED_EVENTS & set(one.events())]
        for one in waiting:
            if one.process.poll() is not None:
                raise RuntimeError(f"{one.label} exited at start: {one.stderr_tail()}")
        if time.monotonic() - began > START_SECONDS:
            raise RuntimeError(
                f"not started after {START_SECONDS:g} s: {[one.label for one in waiting]}"
            )
        time.sleep(0.2)
    return time.monotonic() - began


def stop_all(processes: list[SoakProcess]) -> dict[str, int]:
    """SIGTERM to each, then wait; a process still running after STOP_SECONDS is killed
    (its code is then negative). The exit codes by label."""
    for one in processes:
        if one.process.poll() is None:
            one.process.send_signal(signal.SIGTERM)
    codes = {}
    for one in processes:
        try:
            codes[one.label] = one.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            one.process.kill()
            codes[one.label] = one.process.wait()
        for stream in one.streams:
            stream.close()
    return codes


@dataclass
class MemoryTrack:
    """One process's resident set over time: (seconds into the soak, KB) samples, and its
    high-water mark as last read."""

    label: str
    pid: int
    samples: list[tuple[float, int]] = field(default_factory=list)
    hwm_kb: int = 0

    def peak_kb(self, start: float, end: float) -> int | None:
        inside = [kb for at, kb in self.samples if start <= at < end]
        return max(inside) if inside else None


class MemorySampler:
    """Samples every tracked process and its descendants; a descendant is named after its
    root and what it runs (`w0>forkserver-1`, `w0>parse-2`), numbered as first seen."""

    def __init__(self, roots: dict[str, int]) -> None:
        self.roots = roots
        self.tracks: dict[int, MemoryTrack] = {}
        self._children_seen: Counter[str] = Counter()

    def sample(self, at: float) -> None:
        children = _children()
        for label, root in self.roots.items():
            for pid, parent in _tree(root, children):
                status = _status(pid)
                if status is None or "VmRSS" not in status:
                    continue
                track = self.tracks.get(pid) or self._track(label, root, pid, parent)
                track.samples.append((at, status["VmRSS"]))
                track.hwm_kb = max(track.hwm_kb, status.get("VmHWM", 0))

    def _track(self, label: str, root: int, pid: int, parent: int) -> MemoryTrack:
        if pid != root:
            kind = _kind(pid)
            if kind == "forkserver" and parent != root:  # forked by the fork server
                kind = "parse"
            self._children_seen[f"{label}>{kind}"] += 1
            label = f"{label}>{kind}-{self._children_seen[f'{label}>{kind}']}"
        track = self.tracks[pid] = MemoryTrack(label, pid)
        return track


def _children() -> dict[int, list[int]]:
    """Each process's children, from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    return children


def _tree(root: int, children: dict[int, list[int]]) -> list[tuple[int, int]]:
    """`root` and its descendants, each with its parent (the root's own is 0 here)."""
    found, stack = [], [(root, 0)]
    while stack:
        pid, parent = stack.pop()
        found.append((pid, parent))
        stack += [(child, pid) for child in children.get(pid, [])]
    return found


def _status(pid: int) -> dict[str, int] | None:
    """VmRSS and VmHWM in KB (a zombie has neither), or None once the process is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    values: dict[str, int] = {}
    for line in lines:
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


def _kind(pid: int) -> str:
    """What a descendant runs: the fork server (or a process it forked: the caller tells
    them apart), multiprocessing's resource tracker, or another child."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "child"
    for kind in ("forkserver", "resource_tracker"):
        if kind in command:
            return kind
    return "child"


def peak_mb(kb: int | None) -> float | None:
    return None if kb is None else round(kb / KB, 1)


def describe(processes: list[SoakProcess]) -> dict[str, Any]:
    """Per process: pid, when it died (if it did), its JSON events by name, the first few
    warnings and errors it logged, and the end of its stderr."""
    return {
        one.label: {
            "pid": one.pid,
            "died_at_s": one.died_at,
            "events": dict(one.events()),
            "warnings": one.warnings(),
            "stderr_tail": one.stderr_tail(500),
        }
        for one in processes
    }


def memory_figures(
    tracks: list[MemoryTrack],
    bounds: list[tuple[float, float]],
    soak_seconds: float,
    tolerance: float,
    slack_mb: float,
) -> dict[str, Any]:
    """Per process: peak RSS in each interval, its high-water mark, and the flat verdict:
    the peak of the soak's last third over the peak of its first third at most
    1 + `tolerance`, or grown by at most `slack_mb` (small processes' noise); plus the trend
    of the last two thirds in MB per minute (least squares)."""
    third = soak_seconds / 3
    processes = {}
    for track in tracks:
        first, last = track.peak_kb(0.0, third), track.peak_kb(2 * third, soak_seconds)
        ratio = round(last / first, 3) if first and last else None
        processes[track.label] = {
            "pid": track.pid,
            "peak_mb_by_interval": [peak_mb(track.peak_kb(*bound)) for bound in bounds],
            "hwm_mb": peak_mb(track.hwm_kb),
            "first_third_peak_mb": peak_mb(first),
            "last_third_peak_mb": peak_mb(last),
            "last_over_first": ratio,
            "trend_mb_per_min": _trend(track, third, soak_seconds),
            "flat": _flat(first, last, tolerance, slack_mb),
        }
    verdicts = [one["flat"] for one in processes.values() if one["flat"] is not None]
    return {
        "tolerance": tolerance,
        "slack_mb": slack_mb,
        "flat": all(verdicts),
        "processes": processes,
    }


def _flat(
    first_kb: int | None, last_kb: int | None, tolerance: float, slack_mb: float
) -> bool | None:
    if not first_kb or not last_kb:
        return None
    return last_kb <= first_kb * (1 + tolerance) or last_kb - first_kb <= slack_mb * KB


def _trend(track: MemoryTrack, start: float, end: float) -> float | None:
    points = [(at, kb / KB) for at, kb in track.samples if start <= at < end]
    if len(points) < 3:
        return None
    mean_t = sum(at for at, _ in points) / len(points)
    mean_mb = sum(mb for _, mb in points) / len(points)
    spread = sum((at - mean_t) ** 2 for at, _ in points)
    if spread == 0:
        return None
    slope = sum((at - mean_t) * (mb - mean_mb) for at, mb in points) / spread
    return round(slope * 60, 2)
