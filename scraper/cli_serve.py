"""`newsarchive serve`: the read-only web interface over an archive, for researchers.

The archive is opened read-only (nothing served can change it) and the server listens on
127.0.0.1 unless told otherwise: the archive is the researcher's, not the network's. The
socket is bound here, before the server starts, so a port in use is one clear line and
`--port 0` (any free port) prints the real address.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import click

from scraper.cli_options import config_option, db_option, load
from scraper.exceptions import UsageError
from storage.archive import Archive
from storage.exceptions import ArchiveNotFoundError, DatabaseUrlError
from storage.settings import DATABASE_ENV

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
# Host names a server on a loopback address answers to (anything else: DNS rebinding).
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


@click.command("serve")
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on; anything but a loopback address shares the archive.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on (0: any free port, printed at start).",
)
@config_option
@db_option
def serve_command(host: str, port: int, config_path: Path | None, database_url: str | None) -> int:
    """Serve a read-only web interface: search, articles with their versions and diffs,
    parser health, articles over time, and a JSON API under /api/."""
    import uvicorn  # the web stack is loaded by this command only

    from scraper.web import create_app

    archive = open_read_only(archive_url(config_path, database_url))
    try:
        listener = listen(host, port)
        allowed = LOOPBACK_NAMES | {host.strip("[]").lower()} if is_loopback(host) else None
        app = create_app(archive, allowed_hosts=allowed)
        address = f"http://{_url_host(host)}:{listener.getsockname()[1]}/"
        shown = archive.database.url.render_as_string(hide_password=True)
        click.echo(f"serving {shown} read-only at {address} (Ctrl-C to stop)")
        if not is_loopback(host):
            click.echo(
                f"warning: listening on {host}: anyone who can reach it can read the archive"
            )
        server = uvicorn.Server(uvicorn.Config(app, log_level="info", server_header=False))
        server.run(sockets=[listener])
    except KeyboardInterrupt:  # uvicorn stops gracefully on Ctrl-C, then raises it again
        click.echo("stopped")
    finally:
        archive.close()
    return 0


def archive_url(config_path: Path | None, database_url: str | None) -> str:
    """--db, else $NEWSARCHIVE_DB, else the config's database (the config is read only then)."""
    if database_url:
        return database_url
    if config_path is None and os.environ.get(DATABASE_ENV, "").strip():
        return os.environ[DATABASE_ENV].strip()
    return load(config_path, None).settings.database_url


def open_read_only(url: str) -> Archive:
    try:
        return Archive.open(url, read_only=True)
    except (ArchiveNotFoundError, DatabaseUrlError) as exc:
        raise UsageError(f"serve: {exc}") from exc


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to `host`:`port` (IPv4 or IPv6, as the host resolves)."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
        listener = socket.socket(family, kind, protocol)
    except (OSError, UnicodeError) as exc:
        raise UsageError(f"serve: cannot listen on {host}:{port}: {exc}") from exc
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
    except OSError as exc:
        listener.close()
        raise UsageError(f"serve: cannot listen on {host}:{port}: {exc.strerror}") from exc
    return listener


def is_loopback(host: str) -> bool:
    return host.strip("[]").lower() in LOOPBACK_NAMES or host.startswith("127.")


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
