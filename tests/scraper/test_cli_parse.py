"""`newsarchive parse`: saved pages to records, and user errors as one line and exit code 2."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from scraper.cli import main

HEADLINE = "Navy buys six frigates"
SIDECAR_URL = "https://www.example.com/2025/03/navy-buys-six-frigates"
PARAGRAPHS = (
    "The navy signed a contract for six new frigates on Monday, officials said, ending a "
    "competition that lasted almost a decade and drew bids from four shipyards.",
    "The ships, to be built at the national yard, will replace ageing vessels from the "
    "1990s, with the first delivery due in 2030 and the last in 2035.",
)


def _page(headline: str = HEADLINE) -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{headline} | Example News</title><meta property="og:title" content="{headline}">'
        f'</head><body><article><h1>{headline}</h1><p class="meta">Published '
        '<time datetime="2025-03-04T14:54:00">March 4, 2025 2:54 pm</time></p>'
        f'<div class="entry-content">{body}</div></article></body></html>'
    )


@pytest.fixture
def page_file(tmp_path: Path) -> Path:
    path = tmp_path / "navy-buys-six-frigates.html"
    path.write_text(_page(), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["parse", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _assert_usage_error(code: int, err: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("newsarchive: error: ")
    assert "Traceback" not in err


# --- output -----------------------------------------------------------------------------


def test_json_output_is_the_record(capsys: pytest.CaptureFixture[str], page_file: Path) -> None:
    code, out, err = _run(capsys, str(page_file), "--format", "json")
    assert code == 0, err
    record = json.loads(out)
    assert record["headline"] == HEADLINE
    assert record["body"] == list(PARAGRAPHS)
    assert record["url"] == page_file.resolve().as_uri()


def test_json_is_the_default_format(capsys: pytest.CaptureFixture[str], page_file: Path) -> None:
    code, out, _ = _run(capsys, str(page_file))
    assert code == 0
    assert json.loads(out)["headline"] == HEADLINE


def test_text_output_reads_like_the_page(
    capsys: pytest.CaptureFixture[str], page_file: Path
) -> None:
    code, out, _ = _run(capsys, str(page_file), "--format", "text")
    assert code == 0
    assert f"headline:   {HEADLINE}" in out.splitlines()
    assert "parser:     generic/" in out
    for paragraph in PARAGRAPHS:
        assert paragraph in out.splitlines()
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


def test_url_option_sets_the_record_url(
    capsys: pytest.CaptureFixture[str], page_file: Path
) -> None:
    code, out, _ = _run(capsys, str(page_file), "--url", SIDECAR_URL + "?utm_source=rss")
    assert code == 0
    record = json.loads(out)
    assert record["url"] == SIDECAR_URL + "?utm_source=rss"
    assert record["canonical_url"] == SIDECAR_URL
    assert record["site"] == "example.com"


def test_sidecar_json_url_is_used(capsys: pytest.CaptureFixture[str], page_file: Path) -> None:
    sidecar = page_file.with_suffix(".json")
    sidecar.write_text(json.dumps({"url": SIDECAR_URL, "expected": {}}), encoding="utf-8")
    code, out, _ = _run(capsys, str(page_file))
    assert code == 0
    assert json.loads(out)["url"] == SIDECAR_URL


@pytest.mark.parametrize("sidecar", ["{broken", "[1, 2]", '{"url": 5}', '{"url": ""}'])
def test_unusable_sidecar_falls_back_to_the_file_url(
    capsys: pytest.CaptureFixture[str], page_file: Path, sidecar: str
) -> None:
    page_file.with_suffix(".json").write_text(sidecar, encoding="utf-8")
    code, out, _ = _run(capsys, str(page_file))
    assert code == 0
    assert json.loads(out)["url"] == page_file.resolve().as_uri()


def test_gzipped_page_is_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "story.html.gz"
    path.write_bytes(gzip.compress(_page().encode("utf-8")))
    (tmp_path / "story.json").write_text(json.dumps({"url": SIDECAR_URL}), encoding="utf-8")
    code, out, _ = _run(capsys, str(path))
    assert code == 0
    record = json.loads(out)
    assert record["headline"] == HEADLINE
    assert record["url"] == SIDECAR_URL


def test_fetched_at_and_timezone_reach_the_parser(
    capsys: pytest.CaptureFixture[str], page_file: Path
) -> None:
    argv = (str(page_file), "--fetched-at", "2025-03-05T12:00:00", "--timezone", "Asia/Kolkata")
    code, out, _ = _run(capsys, *argv)
    assert code == 0
    assert json.loads(out)["published_at"] == "2025-03-04T14:54:00+05:30"


def test_output_option_writes_a_file(
    capsys: pytest.CaptureFixture[str], page_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    code, out, _ = _run(capsys, str(page_file), "-o", str(target))
    assert code == 0
    assert out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["headline"] == HEADLINE


# --- batch ------------------------------------------------------------------------------


def test_batch_writes_one_json_line_per_page(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a-story.html").write_text(_page("Navy buys six frigates"), encoding="utf-8")
    nested = tmp_path / "sub"
    nested.mkdir()
    (nested / "b-story.htm").write_text(_page("Army orders new tanks"), encoding="utf-8")
    (tmp_path / "a-story.json").write_text(json.dumps({"url": SIDECAR_URL}), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a page", encoding="utf-8")
    code, out, err = _run(capsys, str(tmp_path), "--batch")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    records = [json.loads(line) for line in lines]
    assert [record["headline"] for record in records] == [
        "Navy buys six frigates",
        "Army orders new tanks",
    ]
    assert records[0]["url"] == SIDECAR_URL
    assert records[0]["file"] == str(tmp_path / "a-story.html")


def test_batch_text_format_heads_each_page_with_its_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ("a.html", "b.html"):
        (tmp_path / name).write_text(_page(), encoding="utf-8")
    code, out, _ = _run(capsys, str(tmp_path), "--batch", "--format", "text")
    assert code == 0
    assert out.count("== ") == 2
    assert out.count(f"headline:   {HEADLINE}") == 2


def test_batch_reads_each_page_as_of_its_sidecar_fetch_time_and_site(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = (
        "<html><head><title>Radar order</title></head><body><article><h1>Radar order</h1>"
        "<p class='date'>Published December 6, 2025 2:54 pm</p>"
        "<p>The ministry has ordered twelve low-level radars for its air bases, officials said."
        "</p></article></body></html>"
    )
    (tmp_path / "radar.html").write_text(page, encoding="utf-8")
    sidecar = {
        "url": "https://rnamedia.in/radar-order/",
        "fetched_at": "2025-12-07T10:00:00+00:00",
        "site": {"timezone": "Asia/Kolkata", "language": "en"},
    }
    (tmp_path / "radar.json").write_text(json.dumps(sidecar), encoding="utf-8")
    code, out, err = _run(capsys, str(tmp_path), "--batch")
    assert code == 0, err
    record = json.loads(out.splitlines()[0])
    assert record["url"] == "https://rnamedia.in/radar-order/"
    assert record["published_at"] == "2025-12-06T14:54:00+05:30"


# --- user errors ------------------------------------------------------------------------


def test_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = _run(capsys, str(tmp_path / "missing.html"))
    _assert_usage_error(code, err)
    assert "missing.html" in err
    assert out == ""


def test_garbage_fetched_at_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], page_file: Path
) -> None:
    code, _, err = _run(capsys, str(page_file), "--fetched-at", "yesterday-ish")
    _assert_usage_error(code, err)
    assert "--fetched-at" in err


def test_unknown_timezone_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], page_file: Path
) -> None:
    code, _, err = _run(capsys, str(page_file), "--timezone", "Mars/Olympus_Mons")
    _assert_usage_error(code, err)
    assert "Mars/Olympus_Mons" in err


def test_batch_on_a_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], page_file: Path
) -> None:
    code, out, err = _run(capsys, str(page_file), "--batch")
    _assert_usage_error(code, err)
    assert out == ""


def test_batch_on_a_folder_without_pages_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    code, _, err = _run(capsys, str(tmp_path), "--batch")
    _assert_usage_error(code, err)


def test_unknown_format_is_refused_by_click(
    capsys: pytest.CaptureFixture[str], page_file: Path
) -> None:
    code, _, err = _run(capsys, str(page_file), "--format", "xml")
    assert code == 2
    assert "Traceback" not in err


def test_malformed_url_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], page_file: Path
) -> None:
    code, _, err = _run(capsys, str(page_file), "--url", "http://[::1/x")
    _assert_usage_error(code, err)


@pytest.mark.parametrize(
    "data",
    [b"not gzip at all", gzip.compress(b"<html>" * 100, mtime=0)[:20]],
    ids=["not-gzip", "truncated-gzip"],
)
def test_corrupt_gzip_page_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "broken.html.gz"
    path.write_bytes(data)
    code, _, err = _run(capsys, str(path))
    _assert_usage_error(code, err)
