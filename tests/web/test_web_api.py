"""The JSON API: the same archive facts as the pages, errors as JSON, exports streamed and
identical to the files `Archive.export` writes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from storage.archive import Archive
from storage.export import COLUMN_NAMES
from tests.web.conftest import HOSTILE_HEADLINE, Made, TestClient


def test_search_answers_the_page_of_hits(client: TestClient, made: Made) -> None:
    answer = client.get("/api/search", params={"q": "drones", "limit": "1"})
    assert answer.status_code == 200
    data = answer.json()
    assert data["total"] == 2 and data["page"] == 1 and data["limit"] == 1
    (hit,) = data["hits"]
    assert hit["article_id"] in {made.wire, made.wire_copy}
    assert "[[drones]]" in hit["snippet"]
    second = client.get("/api/search", params={"q": "drones", "limit": "1", "page": "2"}).json()
    assert second["hits"][0]["article_id"] != hit["article_id"]


def test_article_answers_record_versions_and_cluster(client: TestClient, made: Made) -> None:
    data = client.get(f"/api/articles/{made.hostile}").json()
    assert data["article_id"] == made.hostile and data["site"] == "evil.example"
    assert [v["kind"] for v in data["versions"]] == ["first", "updated"]
    assert data["version"] == 2 and data["current_version"] == 2
    assert data["record"]["headline"] == HOSTILE_HEADLINE.replace("begin", "resume")
    assert data["record"]["images"][0]["url"] == "javascript:alert(3)"  # data, not a link
    first = client.get(f"/api/articles/{made.hostile}", params={"version": "1"}).json()
    assert first["record"]["headline"] == HOSTILE_HEADLINE
    wire = client.get(f"/api/articles/{made.wire}").json()
    assert {member["site"] for member in wire["cluster"]} == {"wire.example", "copy.example"}


def test_history_and_diff(client: TestClient, made: Made) -> None:
    history = client.get(f"/api/articles/{made.hostile}/history").json()
    assert [v["summary"] for v in history["versions"]] == [
        "first seen: 2 paragraphs, 2 images (2 captioned)",
        "headline, updated changed; 1 paragraph added, 1 changed",
    ]
    assert history["versions"][1]["fields_changed"] == ["headline", "updated"]
    diff = client.get(f"/api/articles/{made.hostile}/diff", params={"from": 1, "to": 2}).json()
    assert diff["from"] == 1 and diff["to"] == 2 and diff["changed"]
    kinds = [paragraph["kind"] for paragraph in diff["paragraphs"]]
    assert kinds == ["change", "equal", "insert"]
    words = diff["paragraphs"][0]["words"]
    assert {"kind": "delete", "text": "dawn"} in words
    assert {"kind": "insert", "text": "noon"} in words
    same = client.get(f"/api/articles/{made.hostile}/diff", params={"from": 2, "to": 2}).json()
    assert not same["changed"]


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/search?since=tomorrow", 400, "since: not a date"),
        ("/api/search?limit=0", 400, "limit must be a whole number from 1 to 100"),
        ("/api/search?q=%22%22", 400, "nothing to search for"),
        ("/api/articles/999", 404, "no article with id 999"),
        ("/api/articles/999/history", 404, "no article with id 999"),
        ("/api/articles/{hostile}/diff?from=5", 404, "has no version 5"),
        ("/api/articles/{hostile}/diff?from=one", 400, "from must be a whole number"),
        ("/api/export?format=parquet", 400, "format must be one of jsonl, csv"),
        ("/api/export?until=31/12/2025", 400, "until: not a date"),
        ("/api/export?all_versions=perhaps", 400, "all_versions must be 1 or 0"),
        ("/api/stats?period=year", 400, "period must be one of day, week"),
        ("/api/nothing", 404, "not found"),
    ],
)
def test_errors_are_json(
    client: TestClient, made: Made, path: str, status: int, message: str
) -> None:
    answer = client.get(path.format(hostile=made.hostile))
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert body["status"] == status and message in body["error"]


def test_writes_are_not_routes(client: TestClient, made: Made) -> None:
    for method in ("post", "put", "delete", "patch"):
        answer = client.request(method.upper(), f"/api/articles/{made.hostile}")
        assert answer.status_code == 405
        assert answer.json()["error"] == "method not allowed"
        assert client.request(method.upper(), "/").status_code == 405


@pytest.mark.parametrize("export_format", ["jsonl", "csv"])
def test_export_streams_what_the_archive_export_writes(
    client: TestClient, archive: Archive, tmp_path: Path, export_format: str
) -> None:
    path = tmp_path / f"export.{export_format}"
    written = archive.export(path, export_format, all_versions=True)  # type: ignore[arg-type]
    with client.stream(
        "GET", "/api/export", params={"format": export_format, "all_versions": "1"}
    ) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-disposition"].endswith(f'.{export_format}"')
        assert "content-length" not in answer.headers  # streamed, not buffered
        body = b"".join(answer.iter_bytes())
    assert body == path.read_bytes()
    assert written == 4


def test_export_filters_like_the_python_api(client: TestClient, archive: Archive) -> None:
    answer = client.get("/api/export", params={"site": "wire.example"})
    rows = [json.loads(line) for line in answer.text.splitlines()]
    assert [row["site"] for row in rows] == ["wire.example"]
    assert list(rows[0]) == list(COLUMN_NAMES)
    since = client.get("/api/export", params={"since": "2025-12-04", "format": "csv"}).text
    header, *records = csv.reader(io.StringIO(since))
    assert header == list(COLUMN_NAMES)
    assert [record[0] for record in records] == [
        str(row["article_id"]) for row in archive.rows(since="2025-12-04")
    ]
    assert len(records) == 1


def test_stats_and_health(client: TestClient) -> None:
    stats = client.get("/api/stats", params={"period": "week"}).json()
    assert stats["period"] == "week" and stats["articles"] == 3 and stats["versions"] == 4
    assert stats["periods"] == ["2025-W49"]
    health = client.get("/api/health").json()
    assert health["flagged"] == ["broken.example"]
    broken = next(site for site in health["sites"] if site["site"] == "broken.example")
    assert broken["flags"] == ["authors fill 1.00 -> 0.00"]
