"""The researchers' commands on the demo archive: what they print, not only that they exit 0."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from scraper.cli import main
from storage import Archive
from storage.export import COLUMN_NAMES
from tests.conftest import DemoArchive
from tests.storage.test_archive import read_export


def _run(
    capsys: pytest.CaptureFixture[str], demo: DemoArchive, *args: str, code: int = 0
) -> tuple[str, str]:
    assert main([*args, "--db", demo.database_url]) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_history_lists_each_version_with_what_changed(
    demo_archive: DemoArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    url = demo_archive.versioned("updated")
    out, _ = _run(capsys, demo_archive, "history", url, "--format", "json")
    history = json.loads(out)
    assert history["url"] == url
    assert [v["kind"] for v in history["versions"]] == ["first", "updated"]
    assert history["versions"][0]["summary"].startswith("first seen: ")
    assert "updated changed" in history["versions"][1]["summary"]
    assert "paragraph" in history["versions"][1]["summary"]
    table, _ = _run(capsys, demo_archive, "history", url)
    assert "updated changed" in table and url in table.replace("\n", "")


def test_diff_prints_unified_text_of_the_change(
    demo_archive: DemoArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    url = demo_archive.versioned("updated")
    with Archive.open(demo_archive.database_url) as archive:
        before, after = (v.record for v in archive.article(url).versions)
    added = [p for p in after.body if p not in before.body]
    out, _ = _run(capsys, demo_archive, "diff", url)
    lines = out.splitlines()
    assert lines[:2] == ["--- version 1", "+++ version 2"]
    assert [line[1:] for line in lines if line.startswith("+") and not line.startswith("+++")][
        -len(added) :
    ] == added
    assert f"+{after.updated_at.isoformat()}" in lines  # type: ignore[union-attr]


def test_diff_of_a_silent_edit_shows_the_words(
    demo_archive: DemoArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    url = demo_archive.versioned("silent_edit")
    out, _ = _run(capsys, demo_archive, "diff", url, "--format", "json")
    diff = json.loads(out)
    changed = [p for p in diff["paragraphs"] if p["kind"] == "change"]
    assert changed and diff["fields"] == []
    words = changed[0]["words"]
    assert {"insert", "delete"} <= {w["kind"] for w in words}
    rebuilt = "".join(w["text"] for w in words if w["kind"] != "delete")
    assert rebuilt == changed[0]["after"]
    coloured, _ = _run(capsys, demo_archive, "diff", url, "--format", "color")
    assert "~ " in coloured and "changed" in coloured.splitlines()[0]


def test_show_in_every_format(
    demo_archive: DemoArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    url = demo_archive.versioned("date_only")
    out, _ = _run(capsys, demo_archive, "show", url, "--format", "json", "--version", "1")
    shown = json.loads(out)
    assert (shown["version"], shown["versions"], shown["kind"]) == (1, 2, "first")
    record = shown["record"]
    text, _ = _run(capsys, demo_archive, "show", str(shown["article_id"]))
    assert text.startswith(record["headline"])
    assert all(paragraph in text for paragraph in record["body"])
    assert "version: 2 of 2 (date_only" in text
    page, _ = _run(capsys, demo_archive, "show", url, "--format", "html")
    assert page.startswith("<!doctype html>") and "<figcaption>" in page
    assert "<script" not in page


@pytest.mark.parametrize("export_format", ["jsonl", "csv", "parquet"])
def test_export_formats_read_back_to_the_same_rows(
    demo_archive: DemoArchive,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    export_format: str,
) -> None:
    path = tmp_path / f"archive.{export_format}"
    args = ("export", "--format", export_format, "--all-versions", "-o", str(path))
    _, err = _run(capsys, demo_archive, *args)
    rows = read_export(path, export_format)
    with Archive.open(demo_archive.database_url) as archive:
        expected = list(archive.rows(all_versions=True))
    assert f"wrote {len(expected)} rows" in err and len(rows) == len(expected) > 0
    for row, truth in zip(rows, expected, strict=True):
        assert list(row) == list(COLUMN_NAMES)
        assert str(row["article_id"]) == str(truth["article_id"])
        assert row["headline"] == truth["headline"] and row["body"] == truth["body"]
        assert str(row["version_kind"]) == truth["version_kind"]
    kinds = {str(row["version_kind"]) for row in rows}
    assert {"first", "updated", "date_only", "silent_edit"} <= kinds


def test_export_to_standard_output_with_filters(
    demo_archive: DemoArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _run(capsys, demo_archive, "export", "--site", "rnamedia.in", "-o", "-")
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and {row["site"] for row in rows} == {"rnamedia.in"}
    assert all(row["is_current"] for row in rows)
    out, _ = _run(
        capsys, demo_archive, "export", "--format", "csv", "--since", "2025-12-06", "-o", "-"
    )
    dated = list(csv.DictReader(io.StringIO(out)))
    assert all(row["published_at"] >= "2025-12-06" for row in dated)


def test_stats_count_every_article(
    demo_archive: DemoArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _run(capsys, demo_archive, "stats", "--format", "json")
    stats = json.loads(out)
    assert stats["articles"] == demo_archive.outcome["articles"]
    assert stats["versions"] == stats["articles"] + len(demo_archive.outcome["versioned"])
    table, _ = _run(capsys, demo_archive, "stats", "--by", "week")
    assert "rnamedia.in" in table and "█" in table


WIRE_COPY = (
    "http://harbourgazette.example/aviation/allies-practise-flying-from-remote-island-strips.html"
)
WIRE_SOURCE = (
    "http://defensewire.example/air/2025/12/02/"
    "pacific-allies-rehearse-dispersed-air-operations-from-remote-island-strips/"
)


def test_cluster_links_the_wire_copy_to_its_source(
    demo_archive: DemoArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _run(capsys, demo_archive, "cluster", WIRE_COPY, "--format", "json")
    members = json.loads(out)["members"]
    assert {member["url"] for member in members} == {WIRE_COPY, WIRE_SOURCE}
    table, _ = _run(capsys, demo_archive, "cluster", demo_archive.versioned("updated"))
    assert "1 article carries this story" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "99999"], "no article with id 99999"),
        (["show", "https://nowhere.example/x"], "no article is archived"),
        (["show", "1", "--version", "40"], "has no version 40"),
        (["diff", "1", "--from", "40"], "has no version 40"),
        (["history", "ftp://x"], "not an article id or an http(s) URL"),
        (["export", "--since", "last week", "-o", "-"], "not a date"),
        (["export", "--format", "parquet", "-o", "-"], "name an output file"),
        (["stats", "--until", "2025-13-45"], "not a date"),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(
    demo_archive: DemoArchive, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    _, err = _run(capsys, demo_archive, *args, code=2)
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_missing_archive_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.sqlite3"
    assert main(["history", "1", "--db", f"sqlite:///{missing}"]) == 2
    assert "no archive at" in capsys.readouterr().err and not missing.exists()
