"""Every store test runs twice: on SQLite and on a real PostgreSQL server.

The server is `$NEWSARCHIVE_TEST_PG` (a SQLAlchemy URL of a role that may create databases)
when set; else a private throwaway cluster started here from the PostgreSQL binaries on PATH
or under /usr/lib/postgresql (as the `postgres` user when running as root); else the
PostgreSQL half skips, saying why (`scripts/install-postgres.sh` installs the binaries).
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

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import Database, open_database
from storage.models import Base
from storage.store import Store
from tests.storage.tables import Rows, table_reader

PG_ENV = "NEWSARCHIVE_TEST_PG"
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
# Durability is worthless in a throwaway cluster; these make it start and commit fast.
PG_FAST_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def _pg_bin_dir() -> Path | None:
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    candidates = sorted(Path("/").glob(PG_BIN_GLOB.lstrip("/")), key=_major_version)
    found = [path for path in candidates if (path / "initdb").exists()]
    return found[-1] if found else None


def _major_version(path: Path) -> int:
    version = path.parent.name
    return int(version) if version.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_cluster_owner() -> list[str] | None:
    """The command prefix that runs PostgreSQL binaries (initdb refuses to run as root)."""
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
def _private_cluster(bin_dir: Path, prefix: list[str]) -> Iterator[str]:
    root = Path(tempfile.mkdtemp(prefix="newsarchive-pg-"))
    if prefix:
        shutil.chown(root, user="postgres")
    data, log, port = root / "data", root / "server.log", _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-N")
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 {PG_FAST_OPTIONS}"
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start")
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr or (log.read_text() if log.exists() else "")
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"could not start a private PostgreSQL cluster: {detail.strip()[-500:]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A SQLAlchemy URL of a PostgreSQL server the tests may create databases on."""
    configured = os.environ.get(PG_ENV)
    if configured:
        yield configured
        return
    bin_dir = _pg_bin_dir()
    if bin_dir is None:
        pytest.skip(
            f"PostgreSQL tests need a server: set {PG_ENV} or install PostgreSQL "
            "(scripts/install-postgres.sh)"
        )
    prefix = _as_cluster_owner()
    if prefix is None:
        pytest.skip("PostgreSQL tests: running as root needs runuser and a 'postgres' user")
    with _private_cluster(bin_dir, prefix) as url:
        yield url


@pytest.fixture(scope="session")
def postgres_database(postgres_server: str) -> Iterator[Database]:
    """A scratch database on the server, migrated once; dropped when the session ends."""
    name = f"newsarchive_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database = open_database(make_url(postgres_server).set(database=name).render_as_string(False))
    try:
        yield database
    finally:
        database.close()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty(database: Database) -> None:
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with database.transaction() as session:
        session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated archive database of each kind."""
    if request.param == "sqlite":
        sqlite = open_database(f"sqlite:///{tmp_path / 'archive.sqlite3'}")
        yield sqlite
        sqlite.close()
        return
    postgres: Database = request.getfixturevalue("postgres_database")
    _empty(postgres)
    yield postgres


@pytest.fixture
def store(database: Database) -> Store:
    return Store(database)


@pytest.fixture
def rows(database: Database) -> Rows:
    """All rows of a table as dicts, in primary-key order: for full-state assertions."""
    return table_reader(database)
