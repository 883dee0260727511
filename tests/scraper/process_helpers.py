"""`newsarchive` as a real subprocess, for the scheduler and concurrent-run tests: its JSON
lines read as they come, fresh archive databases, and a demo schedules.yaml to point it at."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scraper.demo_config import demo_config_text
from scraper.demo_site import DemoSite
from scraper.settings import CONFIG_ENV, DATABASE_ENV

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60.0  # an upper bound for anything a test waits for, never an expectation

Event = dict[str, Any]


class Newsarchive:
    """A running `newsarchive ...` whose stdout JSON lines are collected by a reader thread."""

    def __init__(self, *args: str, env: Mapping[str, str] | None = None) -> None:
        """`env`: variables added to (or replacing) this process's own."""
        inherited = {k: v for k, v in os.environ.items() if k not in (CONFIG_ENV, DATABASE_ENV)}
        env = inherited | dict(env or {})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.events: list[Event] = []
        self.other_lines: list[str] = []
        self._changed = threading.Condition()
        self._closed = False  # stdout reached its end
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._stderr_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                try:
                    self.events.append(json.loads(line))
                except json.JSONDecodeError:
                    self.other_lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _read_stderr(self) -> None:
        """Drained as it comes, so a chatty process never blocks on a full pipe."""
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)

    def wait_for(self, name: str, count: int = 1) -> list[Event]:
        """The first `count` events called `name`, once printed (fails on exit or timeout)."""
        with self._changed:
            found = self._changed.wait_for(
                lambda: len(self.named(name)) >= count or self._closed,
                timeout=WAIT_SECONDS,
            )
            events = self.named(name)
        assert found and len(events) >= count, (name, self.events, self.stderr_if_done())
        return events[:count]

    def named(self, name: str) -> list[Event]:
        return [event for event in self.events if event.get("event") == name]

    def finish(self) -> int:
        """The exit code, waiting at most WAIT_SECONDS (then the process is killed)."""
        try:
            code = self.process.wait(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(("did not exit", self.events, self.stderr_if_done())) from None
        self._reader.join(WAIT_SECONDS)
        self._stderr_reader.join(WAIT_SECONDS)
        return code

    def stderr_if_done(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        self._stderr_reader.join(WAIT_SECONDS)
        return "".join(self.stderr)[-3000:]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextmanager
def running(*args: str, env: Mapping[str, str] | None = None) -> Iterator[Newsarchive]:
    """A `newsarchive` process that is killed if the test leaves before it exits."""
    command = Newsarchive(*args, env=env)
    try:
        yield command
    finally:
        command.kill()
        for stream in (command.process.stdout, command.process.stderr):
            if stream is not None:
                stream.close()


def write_demo_config(site: DemoSite, tmp_path: Path, database_url: str, **settings: Any) -> Path:
    """The demo's schedules.yaml with the archive at `database_url` and settings replaced."""
    document = yaml.safe_load(demo_config_text(site, tmp_path / "data", database=database_url))
    document["settings"].update(settings)
    path = tmp_path / "schedules.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@contextmanager
def fresh_postgres_url(server: str) -> Iterator[str]:
    """A new empty database on the server (subprocesses need their own, with no tables)."""
    name = f"newsarchive_proc_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
