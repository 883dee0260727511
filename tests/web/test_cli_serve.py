"""`newsarchive serve`: the real command over the demo archive, and its one-line errors."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from scraper.cli import main
from scraper.cli_serve import is_loopback
from tests.conftest import DemoArchive
from tests.web.conftest import Made
from tests.web.serving import serving


def test_serve_answers_over_http_on_loopback(demo_archive: DemoArchive, tmp_path: Path) -> None:
    with serving(demo_archive.database_url, tmp_path) as server:
        search = httpx.get(server.base_url, params={"q": "drone"})
        assert search.status_code == 200 and "<mark>" in search.text
        found = httpx.get(server.base_url + "api/search", params={"q": "drone"}).json()
        assert found["total"] > 0
        article = httpx.get(server.base_url + f"articles/{found['hits'][0]['article_id']}")
        assert article.status_code == 200
        rebound = httpx.get(server.base_url, headers={"Host": "attacker.example"})
        assert rebound.status_code == 400  # a DNS-rebinding page cannot read the archive
        assert httpx.post(server.base_url).status_code == 405
    printed = server.output.read_text(encoding="utf-8")
    assert printed.startswith(f"serving {demo_archive.database_url} read-only at {server.base_url}")
    assert "Traceback" not in printed


def test_a_missing_archive_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nothing.sqlite3"
    assert main(["serve", "--db", f"sqlite:///{missing}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"newsarchive: error: serve: no archive at {missing}"
    assert not missing.exists()  # opening read-only never creates an archive


def test_the_database_comes_from_the_environment_without_a_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no schedules.yaml here
    monkeypatch.setenv("NEWSARCHIVE_DB", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    assert main(["serve"]) == 2
    assert f"serve: no archive at {tmp_path / 'env.sqlite3'}" in capsys.readouterr().err


def test_a_port_in_use_is_one_line(made: Made, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--db", made.url, "--port", str(port)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"newsarchive: error: serve: cannot listen on 127.0.0.1:{port}")
    assert len(err.splitlines()) == 1


def test_an_unknown_host_is_one_line(made: Made, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--db", made.url, "--host", "no-such-host.invalid"]) == 2
    assert "cannot listen on no-such-host.invalid:8080" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
