"""The HTML pages over the hand-made archive: what each shows, its status codes, and that
archived markup is shown as text, never run."""

from __future__ import annotations

import re
from html import unescape

import pytest

from scraper.web.params import search_url
from tests.web.conftest import HOSTILE_HEADLINE, Made, TestClient


def _text(html: str) -> str:
    """The page's text without tags, spaces collapsed (what a reader sees, roughly)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_search_shows_the_count_and_highlighted_ranked_hits(client: TestClient) -> None:
    page = client.get("/", params={"q": "drones radars"})
    assert page.status_code == 200
    assert "2 articles" in _text(page.text)
    assert page.text.count('class="hit"') == 2
    assert "<mark>drones</mark>" in page.text and "<mark>radars</mark>" in page.text
    assert "[[" not in page.text


def test_search_filters_narrow_the_hits(client: TestClient) -> None:
    page = client.get("/", params={"q": "drones", "site": "copy.example"})
    assert "1 article " in _text(page.text) + " "
    assert "Drones and radars cleared by council" in page.text
    assert "Council clears drones and radars" not in page.text
    by_author = client.get("/", params={"author": "ravi kumar"})
    assert "1 article " in _text(by_author.text) + " "
    edited = client.get("/", params={"has_versions": "1"})
    assert "1 article " in _text(edited.text) + " " and "Frigate trials resume" in edited.text


def test_search_without_words_lists_newest_first_and_pages(client: TestClient) -> None:
    first = client.get("/", params={"limit": "1"})
    assert "3 articles" in _text(first.text) and "newest first" in first.text
    assert "Frigate trials resume" in first.text  # published last
    assert 'rel="next" href="/?limit=1&amp;page=2"' in first.text  # the page size is kept
    assert search_url({"q": "sea trials", "site": ""}, 2) == "/?q=sea+trials&page=2"
    second = client.get("/", params={"limit": "1", "page": "2"})
    assert "showing 2–2" in _text(second.text)
    assert 'aria-current="page">2<' in second.text


def test_as_of_searches_earlier_wording_and_links_that_version(client: TestClient) -> None:
    page = client.get("/", params={"q": "begin", "as_of": "2025-12-04"})
    assert "1 article " in _text(page.text) + " "
    assert re.search(r'href="/articles/\d+\?version=1"', page.text)
    assert client.get("/", params={"q": "begin"}).text.count('class="hit"') == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "yesterday"}, "since: not a date"),
        ({"until": "2025-13-45"}, "until: not a date"),
        ({"as_of": "9999-12-31T23:59:59-23:00"}, "as_of"),
        ({"page": "0"}, "page must be a whole number"),
        ({"page": "two"}, "page must be a whole number"),
        ({"limit": "5000"}, "limit must be a whole number from 1 to 100"),
        ({"q": "x" * 600}, "q is too long"),
        ({"q": "!!! ???"}, "nothing to search for"),
        ({"site": "a\x00b"}, "NUL"),
        ({"has_versions": "maybe"}, "has_versions must be 1 or 0"),
    ],
)
def test_a_malformed_search_is_a_400_that_keeps_the_form(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    page = client.get("/", params=params)
    assert page.status_code == 400
    assert message in _text(page.text)
    assert '<form class="search-form"' in page.text
    assert "Traceback" not in page.text and "SELECT" not in page.text


def test_a_page_past_the_deepest_is_refused(client: TestClient) -> None:
    page = client.get("/", params={"page": "10000"})
    assert page.status_code == 400 and "page must be a whole number from 1 to 501" in page.text


def test_article_page_shows_metadata_body_images_versions_and_cluster(
    client: TestClient, made: Made
) -> None:
    page = client.get(f"/articles/{made.wire}")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Council clears drones and radars" in text
    assert "wire.example" in text and "Policy" in text and "Ravi Kumar" in text
    assert "2025-12-02 09:30 UTC (minute precision)" in text
    assert "The same story elsewhere (2 articles)" in text
    assert f'href="/articles/{made.wire_copy}"' in page.text
    assert "Drones and radars cleared by council" in text

    edited = client.get(f"/articles/{made.hostile}")
    text = _text(edited.text)
    assert "Published 2025-12-04 (day precision)" in text
    assert "Updated 2025-12-05 09:30 UTC (minute precision)" in text
    assert "Credit: Photo & Co" in text and "Second image" in text
    assert "A second sortie is planned for January." in text
    assert "2 of 2" in text and "updated" in text
    assert "headline, updated changed; 1 paragraph added, 1 changed" in text
    assert f'href="/articles/{made.hostile}/diff?from=1&amp;to=2"' in edited.text
    assert f'href="/articles/{made.hostile}/history"' in edited.text


def test_an_earlier_version_can_be_read(client: TestClient, made: Made) -> None:
    page = client.get(f"/articles/{made.hostile}", params={"version": "1"})
    text = _text(page.text)
    assert "You are reading version 1 of 2" in text
    assert "sailed at dawn" in text and "second sortie" not in text


def test_archived_markup_is_escaped_and_bad_links_are_not_links(
    client: TestClient, made: Made
) -> None:
    pages = [
        client.get(f"/articles/{made.hostile}"),
        client.get(f"/articles/{made.hostile}", params={"version": "1"}),
        client.get(f"/articles/{made.hostile}/history"),
        client.get(f"/articles/{made.hostile}/diff"),
        client.get("/", params={"q": "frigate"}),
        client.get("/", params={"q": '<script>alert("q")</script> frigate'}),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "<script" not in page.text.lower()
        assert "<img src=x" not in page.text and "<b>bold" not in page.text
        assert 'href="javascript:' not in page.text.lower()
    assert "&lt;script&gt;alert(&#34;headline&#34;)&lt;/script&gt;" in pages[0].text
    assert '<span class="unlinked">javascript:alert(3)</span>' in pages[0].text
    assert "&lt;i&gt;The ship&lt;/i&gt; at sea" in pages[0].text
    assert HOSTILE_HEADLINE not in pages[0].text


def test_history_lists_versions_and_offers_a_comparison(client: TestClient, made: Made) -> None:
    page = client.get(f"/articles/{made.hostile}/history")
    assert page.status_code == 200
    text = _text(page.text)
    assert "2 versions" in text
    assert "first seen: 2 paragraphs, 2 images (2 captioned)" in text
    assert "headline, updated changed; 1 paragraph added, 1 changed" in text
    assert f'action="/articles/{made.hostile}/diff"' in page.text
    assert 'class="diff-link"' in page.text


def test_diff_shows_fields_and_paragraphs_side_by_side_with_word_marks(
    client: TestClient, made: Made
) -> None:
    page = client.get(f"/articles/{made.hostile}/diff", params={"from": "1", "to": "2"})
    assert page.status_code == 200
    html = page.text
    assert "Version 1 → 2" in html
    assert '<tr class="field-headline">' in html and '<tr class="field-updated">' in html
    assert '<del class="word-delete">begin</del>' in html
    assert '<ins class="word-insert">resume</ins>' in html
    assert '<del class="word-delete">dawn</del>' in html
    assert '<ins class="word-insert">noon</ins>' in html
    assert '<ins class="paragraph-insert">A second sortie is planned for January.</ins>' in html
    assert html.count('class="paragraph row-equal"') == 1
    assert "&lt;/td&gt;&lt;script&gt;" in html


def test_diff_defaults_to_the_latest_change(client: TestClient, made: Made) -> None:
    page = client.get(f"/articles/{made.hostile}/diff")
    assert "Version 1 → 2" in page.text
    single = client.get(f"/articles/{made.wire}/diff")
    assert single.status_code == 200 and "no change in the text or fields" in single.text


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/articles/999", 404, "no article with id 999"),
        ("/articles/99999999999999999999999", 404, "no article with id"),
        ("/articles/{hostile}?version=7", 404, "has no version 7 (it has 1, 2)"),
        ("/articles/{hostile}?version=x", 400, "version must be a whole number"),
        ("/articles/{hostile}/diff?from=9", 404, "has no version 9"),
        ("/articles/{hostile}/diff?to=-1", 400, "to must be a whole number"),
        ("/articles/999/history", 404, "no article with id 999"),
        ("/articles/abc", 404, "not found"),
        ("/no/such/page", 404, "not found"),
        ("/stats?period=month", 400, "period must be one of day, week"),
        ("/stats?since=soon", 400, "since: not a date"),
    ],
)
def test_errors_are_pages_with_one_clear_line(
    client: TestClient, made: Made, path: str, status: int, message: str
) -> None:
    page = client.get(path.format(hostile=made.hostile))
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    assert message in _text(page.text)
    assert "Traceback" not in page.text


def test_health_page_flags_the_broken_site(client: TestClient) -> None:
    page = client.get("/health")
    assert page.status_code == 200
    text = _text(page.text)
    assert "1 of 4 sites flagged: broken.example" in text
    assert "broken.example: authors fill 1.00 -> 0.00" in text
    assert '<td class="dropped">0%<span class="baseline">100%</span></td>' in page.text


def test_stats_page_draws_articles_over_time(client: TestClient) -> None:
    page = client.get("/stats")
    assert page.status_code == 200
    assert "3 articles, 4 versions" in _text(page.text)
    bars = re.findall(r'<rect class="bar"[^>]*><title>([^<]*)</title>', page.text)
    assert bars == ["2025-12-02: 1 article", "2025-12-03: 1 article", "2025-12-04: 1 article"]
    weekly = client.get("/stats", params={"period": "week", "site": "wire.example"})
    bars = re.findall(r'<rect class="bar"[^>]*><title>([^<]*)</title>', weekly.text)
    assert bars == ["2025-W49: 1 article"]


def test_static_files_and_security_headers(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "del.word-delete" in css.text
    assert client.get("/static/favicon.svg").status_code == 200
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"


def test_an_unexpected_failure_is_a_500_that_says_nothing_of_its_cause(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("SELECT secret FROM articles")

    monkeypatch.setattr("storage.archive.Archive.search", broken)
    for path in ("/", "/api/search"):
        answer = client.get(path, params={"q": "frigate"})
        assert answer.status_code == 500
        assert "internal error" in answer.text
        assert "secret" not in answer.text and "Traceback" not in answer.text
