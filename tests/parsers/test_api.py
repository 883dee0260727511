"""`parse()`: never raises on page content, and carries what went wrong as warnings."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import ArticleRecord, GenericExtractor, SiteConfig, parse
from parsers import api as api_module
from parsers.extract.page import Page

URL = "https://www.example.com/2025/03/navy-buys-six-frigates"
FETCHED = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)
HEADLINE = "Navy buys six frigates"
PARAGRAPHS = (
    "The navy signed a contract for six new frigates on Monday, officials said, ending a "
    "competition that lasted almost a decade and drew bids from four shipyards.",
    "The ships, to be built at the national yard, will replace ageing vessels from the "
    "1990s, with the first delivery due in 2030 and the last in 2035 — café déjà vu.",
    "Critics said the €2bn price was too high, but the minister said the fleet “cannot wait "
    "any longer” for ships able to operate far from home waters.",
)


def _article(date_markup: str = "<time>March 4, 2025 2:54 pm</time>", head: str = "") -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{HEADLINE} | Example News</title>"
        f'<meta property="og:title" content="{HEADLINE}">{head}</head>'
        f'<body><article><h1>{HEADLINE}</h1><p class="meta">Published {date_markup}</p>'
        f'<div class="entry-content">{body}</div></article></body></html>'
    )


def test_article_page_gives_a_full_record() -> None:
    record = parse(_article(), URL, FETCHED)
    assert record.headline == HEADLINE
    assert record.body == PARAGRAPHS
    assert record.site == "example.com"
    assert record.canonical_url == URL
    assert record.language == "en"
    # A printed clock on an English .com page is read in New York time (date_zones).
    assert record.published_at == datetime(2025, 3, 4, 14, 54, tzinfo=ZoneInfo("America/New_York"))
    assert record.published_raw is not None
    assert "March 4, 2025 2:54 pm" in record.published_raw


# --- never raises -----------------------------------------------------------------------


@pytest.mark.parametrize("html", ["", b"", " ", b"\x00", "\ufeff"])
def test_empty_input_gives_an_empty_record(html: str | bytes) -> None:
    record = parse(html, URL, FETCHED)
    assert isinstance(record, ArticleRecord)
    assert record.url == URL
    assert record.site == "example.com"
    assert record.headline is None
    assert record.body == ()
    assert record.published_at is None


def test_random_binary_bytes_give_a_record() -> None:
    data = random.Random(1234).randbytes(20_000)
    record = parse(data, URL, FETCHED)
    assert record.url == URL
    assert record.headline is None
    assert not any(warning.startswith("parse failed") for warning in record.warnings)


def test_truncated_page_keeps_what_arrived() -> None:
    html = _article()
    cut = html[: html.index(PARAGRAPHS[1]) + 40]
    record = parse(cut, URL, FETCHED)
    assert record.headline == HEADLINE
    assert record.body[0] == PARAGRAPHS[0]


def test_page_over_the_size_cap_is_truncated_with_a_warning() -> None:
    padding = "<!--" + "x" * 20_500_000 + "-->"  # over 20 MB, yet cheap to parse
    html = _article().replace("</body>", padding + "</body>")
    assert len(html) > api_module.MAX_HTML_CHARS
    record = parse(html.encode("utf-8"), URL, FETCHED)
    assert record.headline == HEADLINE
    assert record.body == PARAGRAPHS
    assert any("truncated" in warning for warning in record.warnings)


def test_cut_at_the_size_cap_drops_what_is_beyond_it(monkeypatch: pytest.MonkeyPatch) -> None:
    html = _article()
    monkeypatch.setattr(api_module, "MAX_HTML_CHARS", html.index(PARAGRAPHS[2]))
    record = parse(html, URL, FETCHED)
    assert record.body[:2] == PARAGRAPHS[:2]
    assert not any("cannot wait" in paragraph for paragraph in record.body)
    assert any("truncated" in warning for warning in record.warnings)


def test_page_under_the_size_cap_has_no_truncation_warning() -> None:
    record = parse(_article(), URL, FETCHED)
    assert not any("truncated" in warning for warning in record.warnings)


def test_twenty_thousand_nested_divs_do_not_overflow_the_stack() -> None:
    depth = 20_000
    inner = f"<h1>{HEADLINE}</h1>" + "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    html = "<html><body>" + "<div>" * depth + inner + "</div>" * depth + "</body></html>"
    record = parse(html, URL, FETCHED)
    assert record.headline == HEADLINE
    assert record.body == PARAGRAPHS


def test_nul_characters_are_removed_from_text_and_bytes() -> None:
    html = _article().replace("frigates", "fri\x00gates")
    for page in (html, html.encode("utf-8")):
        record = parse(page, URL, FETCHED)
        assert record.headline == HEADLINE
        assert "\x00" not in json.dumps(record.to_dict())


@pytest.mark.parametrize(
    "jsonld",
    [
        '{"@type": "NewsArticle", "headline": ',
        "not json at all",
        '{"@type": "NewsArticle", "datePublished": {"nested": [1, 2, {}]}, "author": 5}',
        '[1, "two", null, {"@graph": "not a list"}]',
        '{"@type": ["NewsArticle", 7], "headline": ["a", "list"], "keywords": 12}',
    ],
)
def test_broken_or_odd_jsonld_gives_a_record(jsonld: str) -> None:
    head = f'<script type="application/ld+json">{jsonld}</script>'
    record = parse(_article(head=head), URL, FETCHED)
    assert record.headline == HEADLINE
    assert record.body == PARAGRAPHS


def test_unreadable_jsonld_is_a_warning() -> None:
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    record = parse(_article(head=head), URL, FETCHED)
    assert any(warning.startswith("jsonld:") for warning in record.warnings)


def test_missing_fields_of_an_article_are_warnings() -> None:
    html = _article(date_markup="").replace(f"<h1>{HEADLINE}</h1>", "")
    html = html.replace("<title>", "<title>x").replace('content="Navy', 'content="x')
    record = parse(html, URL, FETCHED)
    assert record.page_type == "article"
    assert "published_at: not found" in record.warnings


def test_an_extractor_error_becomes_a_failed_record(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(self: GenericExtractor, page: Page) -> ArticleRecord:
        raise ValueError("boom")

    monkeypatch.setattr(GenericExtractor, "extract", explode)
    record = parse(_article(), URL + "?utm_source=rss", FETCHED)
    assert record.url == URL + "?utm_source=rss"
    assert record.canonical_url == URL
    assert record.site == "example.com"
    assert record.headline is None
    assert any("parse failed" in w and "ValueError" in w for w in record.warnings)


def test_malformed_url_does_not_raise() -> None:
    record = parse(_article(), "http://[::1/news/x", FETCHED)
    assert record.headline == HEADLINE


def test_page_declaring_a_non_text_codec_does_not_raise() -> None:
    html = _article().replace('<meta charset="utf-8">', '<meta charset="base64">')
    record = parse(html.encode("utf-8"), URL, FETCHED)
    assert record.headline == HEADLINE


# --- property: arbitrary input ----------------------------------------------------------

HTML_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div class='entry-content'>",
        "</div>",
        "<h1>",
        "</h1>",
        "<br>",
        "<a href='http://[x'>",
        "<a rel=tag href='/t'>",
        "</a>",
        "<script type='application/ld+json'>",
        "</script>",
        '{"@type":"NewsArticle","datePublished":"2025-13-45T99:99","headline":',
        "<time datetime='",
        "'>",
        "<meta property='og:title' content='",
        "<link rel=canonical href='",
        "<img src='",
        "<figure><figcaption>",
        "<title>",
        " | ",
        "Published March 4, 2025 ",
        "By Jane Doe ",
        " 3 hours ago ",
        "\x00",
        "<html lang='",
        "<nav><li>",
        "<table><tr><td>",
    ]
)
ARBITRARY_HTML = st.lists(st.one_of(HTML_PIECES, st.text(max_size=30)), max_size=40).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=st.one_of(ARBITRARY_HTML, st.text(max_size=500), st.binary(max_size=500)))
def test_parse_never_raises(page: str | bytes) -> None:
    record = parse(page, URL, FETCHED)
    assert record.url == URL
    json.dumps(record.to_dict())


# --- inputs: bytes/str, fetched_at, site ------------------------------------------------


def test_bytes_and_str_of_a_utf8_page_give_the_same_record() -> None:
    html = _article()
    assert parse(html.encode("utf-8"), URL, FETCHED) == parse(html, URL, FETCHED)


def test_bytes_in_a_legacy_charset_are_decoded() -> None:
    html = _article().replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    html = html.replace("€2bn", "2bn").replace("—", "-")
    record = parse(html.encode("cp1252"), URL, FETCHED)
    assert record.body[1].endswith("café déjà vu.")
    assert "“cannot wait any longer”" in record.body[2]


RELATIVE = _article(date_markup="<time>3 hours ago</time>")


def test_relative_dates_count_back_from_fetched_at() -> None:
    record = parse(RELATIVE, URL, FETCHED)
    assert record.published_at == FETCHED - timedelta(hours=3)


def test_naive_fetched_at_is_taken_as_utc() -> None:
    record = parse(RELATIVE, URL, FETCHED.replace(tzinfo=None))
    assert record.published_at == FETCHED - timedelta(hours=3)
    assert record.published_at is not None and record.published_at.tzinfo is not None


def test_fetched_at_in_another_zone_is_the_same_instant() -> None:
    local = FETCHED.astimezone(timezone(timedelta(hours=2)))
    assert parse(RELATIVE, URL, local).published_at == FETCHED - timedelta(hours=3)


def test_missing_fetched_at_means_now() -> None:
    before = datetime.now(UTC)
    record = parse(RELATIVE, URL, None)
    after = datetime.now(UTC)
    assert record.published_at is not None
    assert before - timedelta(hours=3, minutes=1) <= record.published_at
    assert record.published_at <= after - timedelta(hours=3) + timedelta(minutes=1)


@pytest.mark.parametrize(
    ("timezone_name", "offset"),
    [(None, timedelta(hours=-5)), ("Asia/Kolkata", timedelta(hours=5, minutes=30))],
)
def test_site_timezone_applies_to_dates_without_an_offset(
    timezone_name: str | None, offset: timedelta
) -> None:
    site = SiteConfig(timezone=timezone_name) if timezone_name else None
    record = parse(_article(), URL, FETCHED, site=site)
    assert record.published_at is not None
    assert record.published_at.replace(tzinfo=None) == datetime(2025, 3, 4, 14, 54)
    assert record.published_at.utcoffset() == offset


def test_site_timezone_applies_to_a_naive_meta_date() -> None:
    head = '<meta property="article:published_time" content="2025-03-04T14:54:00">'
    record = parse(_article(date_markup="", head=head), URL, FETCHED, site=_ny())
    assert record.published_at == datetime(2025, 3, 4, 19, 54, tzinfo=UTC)


def test_page_offset_wins_over_the_site_timezone() -> None:
    markup = '<time datetime="2025-03-04T14:54:00+01:00">4 March 2025</time>'
    record = parse(_article(date_markup=markup), URL, FETCHED, site=_ny())
    assert record.published_at == datetime(2025, 3, 4, 13, 54, tzinfo=UTC)


def test_site_language_applies_when_the_page_is_silent() -> None:
    html = _article().replace('<html lang="en">', "<html>")
    record = parse(html, URL, FETCHED, site=SiteConfig(language="fr"))
    assert record.language == "fr"


def _ny() -> SiteConfig:
    return SiteConfig(timezone="America/New_York")
