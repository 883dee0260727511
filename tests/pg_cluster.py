"""A private, throwaway PostgreSQL cluster: for the storage tests and the store benchmark.

Started from the PostgreSQL binaries on PATH or under /usr/lib/postgresql (as the `postgres`
user when running as root, since initdb refuses root), on a free port of 127.0.0.1 and a
socket in its own temporary folder; stopped and deleted when the block ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
# Durability is worthless in a throwaway cluster; these make it start and commit fast.
PG_FAST_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


class ClusterError(RuntimeError):
    """The cluster could not be started; the message ends with the server's own words."""


def pg_bin_dir() -> Path | None:
    """The folder of the newest installed PostgreSQL's binaries, or None."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    candidates = sorted(Path("/").glob(PG_BIN_GLOB.lstrip("/")), key=_major_version)
    found = [path for path in candidates if (path / "initdb").exists()]
    return found[-1] if found else None


def as_cluster_owner() -> list[str] | None:
    """The command prefix that runs PostgreSQL binaries (None: root without a way to drop it)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser") is None:
        return None
    try:
        subprocess.run(["id", "postgres"], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        return None
    return ["runuser", "-u", "postgres", "--"]


@contextlib.contextmanager
def private_cluster(
    bin_dir: Path, prefix: list[str], options: str = PG_FAST_OPTIONS
) -> Iterator[str]:
    """A running cluster's SQLAlchemy URL (superuser `postgres`, database `postgres`)."""
    root = Path(tempfile.mkdtemp(prefix="newsarchive-pg-"))
    if prefix:
        shutil.chown(root, user="postgres")
    data, log, port = root / "data", root / "server.log", _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-N")
        settings = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 {options}"
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", settings, "-w", "start")
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr or (log.read_text() if log.exists() else "")
        shutil.rmtree(root, ignore_errors=True)
        message = f"could not start a private PostgreSQL cluster: {detail.strip()[-500:]}"
        raise ClusterError(message) from exc
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def scratch_database(server_url: str, prefix: str = "newsarchive_test") -> Iterator[str]:
    """A new, empty database on the server (its URL), dropped when the block ends."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _major_version(path: Path) -> int:
    version = path.parent.name
    return int(version) if version.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
