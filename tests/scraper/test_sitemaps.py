"""Sitemaps: urlsets, indexes, gzip, Google News; unsafe XML refused, broken XML salvaged."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.exceptions import (
    DiscoveryError,
    DocumentTooLargeError,
    MalformedXmlError,
    UnsafeXmlError,
)
from scraper.sitemaps import MAX_SITEMAP_BYTES, inflate, read_sitemap

SITEMAP_URL = "https://defencechronicle.example/sitemap.xml"

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
        xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">
  <url>
    <loc>
      https://defencechronicle.example/2025/12/army-tests-loitering-munition/
    </loc>
    <lastmod>2025-12-06T14:54:00+05:30</lastmod>
    <image:image>
      <image:loc>https://defencechronicle.example/wp-content/uploads/munition.jpg</image:loc>
      <image:title>A loitering munition on its launcher</image:title>
    </image:image>
  </url>
  <url>
    <loc>https://defencechronicle.example/2025/12/coast-guard-commissions-patrol-vessel/</loc>
    <lastmod>2025-12-05</lastmod>
    <video:video>
      <video:content_loc>https://defencechronicle.example/video/vessel.mp4</video:content_loc>
      <video:title>Commissioning ceremony</video:title>
    </video:video>
  </url>
  <url><loc>https://defencechronicle.example/about/</loc></url>
  <url><loc>https://defencechronicle.example/2025/12/army-tests-loitering-munition/</loc></url>
  <url><loc>javascript:alert(1)</loc></url>
  <url><lastmod>2025-12-01</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap>
    <loc>https://defencechronicle.example/post-sitemap1.xml</loc>
    <lastmod>2023-04-02T08:00:00+00:00</lastmod>
  </sitemap>
  <sitemap>
    <loc>https://defencechronicle.example/post-sitemap2.xml</loc>
    <lastmod>2025-12-06T10:00:00Z</lastmod>
  </sitemap>
  <sitemap><loc>/news-sitemap.xml</loc></sitemap>
</sitemapindex>"""

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://defencechronicle.example/2025/12/frigate-programme-delayed/</loc>
    <news:news>
      <news:publication>
        <news:name>Defence Chronicle</news:name>
        <news:language>en</news:language>
      </news:publication>
      <news:publication_date>2025-12-06T14:54:00+05:30</news:publication_date>
      <news:title>Frigate   programme delayed
        by a year</news:title>
    </news:news>
  </url>
  <url>
    <loc>https://defencechronicle.example/2025/12/radar-contract-signed/</loc>
    <lastmod>2025-12-04T09:00:00Z</lastmod>
  </url>
</urlset>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
  <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
  <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
  <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://defencechronicle.example/&h;</loc></url>
</urlset>"""


def test_urlset_links_in_order_with_lastmod_in_utc() -> None:
    page = read_sitemap(URLSET, SITEMAP_URL)

    assert page.kind == "urlset"
    assert [(link.url, link.lastmod) for link in page.links] == [
        (
            "https://defencechronicle.example/2025/12/army-tests-loitering-munition/",
            datetime(2025, 12, 6, 9, 24, tzinfo=UTC),
        ),
        (
            "https://defencechronicle.example/2025/12/coast-guard-commissions-patrol-vessel/",
            datetime(2025, 12, 5, tzinfo=UTC),
        ),
        ("https://defencechronicle.example/about/", None),
    ]
    assert page.children == ()
    assert page.error is None


def test_image_and_video_extensions_add_no_links_or_titles() -> None:
    page = read_sitemap(URLSET, SITEMAP_URL)

    assert not any(link.url.endswith((".jpg", ".mp4")) for link in page.links)
    assert all(link.title is None and link.source == "sitemap" for link in page.links)


def test_entries_without_a_web_address_are_counted_as_skipped() -> None:
    assert read_sitemap(URLSET, SITEMAP_URL).skipped == 2


def test_sitemap_index_gives_children_with_their_lastmod() -> None:
    page = read_sitemap(INDEX, SITEMAP_URL)

    assert page.kind == "sitemapindex"
    assert page.links == ()
    assert [(child.url, child.lastmod) for child in page.children] == [
        (
            "https://defencechronicle.example/post-sitemap1.xml",
            datetime(2023, 4, 2, 8, 0, tzinfo=UTC),
        ),
        (
            "https://defencechronicle.example/post-sitemap2.xml",
            datetime(2025, 12, 6, 10, 0, tzinfo=UTC),
        ),
        ("https://defencechronicle.example/news-sitemap.xml", None),
    ]


def test_news_sitemap_gives_publication_date_and_title() -> None:
    news, plain = read_sitemap(NEWS, SITEMAP_URL).links

    assert news.source == "news-sitemap"
    assert news.published == datetime(2025, 12, 6, 9, 24, tzinfo=UTC)
    assert news.title == "Frigate programme delayed by a year"
    assert news.lastmod is None
    assert plain.source == "sitemap"
    assert plain.lastmod == datetime(2025, 12, 4, 9, 0, tzinfo=UTC)


def test_gzipped_sitemap_is_recognised_by_its_magic_bytes() -> None:
    plain = read_sitemap(NEWS, SITEMAP_URL + ".gz")

    assert read_sitemap(gzip.compress(NEWS), SITEMAP_URL + ".gz") == plain
    assert len(plain.links) == 2


def test_concatenated_gzip_members_are_all_read() -> None:
    head, tail = INDEX[:200], INDEX[200:]

    assert inflate(gzip.compress(head) + gzip.compress(tail), SITEMAP_URL) == INDEX


@pytest.mark.parametrize(
    "namespace",
    [
        ' xmlns="https://www.sitemaps.org/schemas/sitemap/0.9"',
        ' xmlns="http://www.google.com/schemas/sitemap/0.84"',
        ' xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"',
        "",
    ],
)
def test_namespace_variants_are_read_alike(namespace: str) -> None:
    prefix = "sm:" if ":sm=" in namespace else ""
    body = (
        f"<{prefix}urlset{namespace}><{prefix}url><{prefix}loc>"
        "https://defencechronicle.example/2025/12/a-b-c/"
        f"</{prefix}loc></{prefix}url></{prefix}urlset>"
    ).encode()

    (link,) = read_sitemap(body, SITEMAP_URL).links

    assert link.url == "https://defencechronicle.example/2025/12/a-b-c/"


def test_relative_loc_and_inner_white_space_are_repaired() -> None:
    body = (
        b"<urlset><url><loc>\n\t/2025/12/\n  helicopter-deal-signed/ \n</loc></url>"
        b"<url><loc>https://defencechronicle.example/search results</loc></url></urlset>"
    )

    urls = [link.url for link in read_sitemap(body, SITEMAP_URL).links]

    assert urls == [
        "https://defencechronicle.example/2025/12/helicopter-deal-signed/",
        "https://defencechronicle.example/search%20results",
    ]


def test_utf16_sitemap_is_read() -> None:
    body = (
        '<?xml version="1.0" encoding="UTF-16"?><urlset><url>'
        "<loc>https://defencechronicle.example/é-a-b</loc></url></urlset>"
    )

    (link,) = read_sitemap(body.encode("utf-16"), SITEMAP_URL).links

    assert link.url == "https://defencechronicle.example/é-a-b"


def test_plain_text_sitemap_lists_one_url_a_line() -> None:
    body = (
        b"https://defencechronicle.example/2025/12/a-b-c/\n"
        b"\n"
        b"not an address\n"
        b"https://defencechronicle.example/2025/12/d-e-f/\r\n"
    )

    page = read_sitemap(body, SITEMAP_URL)

    assert page.kind == "text"
    assert [link.url for link in page.links] == [
        "https://defencechronicle.example/2025/12/a-b-c/",
        "https://defencechronicle.example/2025/12/d-e-f/",
    ]
    assert page.skipped == 1


def test_a_feed_offered_as_a_sitemap_is_read_as_a_feed() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item>'
        b"<link>https://defencechronicle.example/2025/12/a-b-c/</link>"
        b"<pubDate>Mon, 01 Dec 2025 10:00:00 GMT</pubDate></item></channel></rss>"
    )

    page = read_sitemap(body, SITEMAP_URL)

    assert page.kind == "feed"
    assert [(link.url, link.source) for link in page.links] == [
        ("https://defencechronicle.example/2025/12/a-b-c/", "feed")
    ]


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(UnsafeXmlError, match=f"sitemap {SITEMAP_URL}: XML declares entities"):
        read_sitemap(BILLION_LAUGHS, SITEMAP_URL)


def test_gzipped_billion_laughs_is_refused() -> None:
    with pytest.raises(UnsafeXmlError):
        read_sitemap(gzip.compress(BILLION_LAUGHS), SITEMAP_URL)


def test_external_entities_are_refused() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>https://defencechronicle.example/&x;</loc></url></urlset>"
    )

    with pytest.raises(UnsafeXmlError):
        read_sitemap(body, SITEMAP_URL)


def test_a_gzip_bomb_is_stopped_at_the_cap() -> None:
    bomb = gzip.compress(b" " * (MAX_SITEMAP_BYTES + 1024), compresslevel=9)

    with pytest.raises(DocumentTooLargeError, match="inflates to over"):
        read_sitemap(bomb, SITEMAP_URL)


def test_the_cap_is_configurable() -> None:
    body = gzip.compress(URLSET)

    with pytest.raises(DocumentTooLargeError):
        read_sitemap(body, SITEMAP_URL, max_bytes=len(URLSET) - 1)
    with pytest.raises(DocumentTooLargeError):
        read_sitemap(URLSET, SITEMAP_URL, max_bytes=len(URLSET) - 1)
    assert len(read_sitemap(body, SITEMAP_URL, max_bytes=len(URLSET)).links) == 3


def test_corrupt_gzip_is_a_clear_error() -> None:
    damaged = bytearray(gzip.compress(URLSET))
    damaged[12:40] = b"\xff" * 28

    with pytest.raises(MalformedXmlError, match="corrupt gzip"):
        read_sitemap(bytes(damaged), SITEMAP_URL)


def test_truncated_gzip_keeps_the_entries_it_holds() -> None:
    compressed = gzip.compress(URLSET)

    page = read_sitemap(compressed[: len(compressed) * 3 // 4], SITEMAP_URL)

    assert page.links
    assert page.error is not None and "not well-formed" in page.error


@pytest.mark.parametrize(
    "body",
    [
        b"<urlset><url><loc>https://defencechronicle.example/a</loc></url",
        b"<?xml version='1.0'?><urlset><url><loc>x</loc></wrong></urlset>",
        b"<<<>>>",
    ],
)
def test_broken_xml_with_nothing_readable_is_a_clear_error(body: bytes) -> None:
    with pytest.raises(MalformedXmlError, match=f"sitemap {SITEMAP_URL}: not well-formed XML"):
        read_sitemap(body, SITEMAP_URL)


def test_broken_xml_after_some_entries_keeps_them_and_says_why() -> None:
    body = (
        URLSET[: URLSET.index(b"<url><loc>https://defencechronicle.example/about/")] + b"<url><lo"
    )

    page = read_sitemap(body, SITEMAP_URL)

    assert len(page.links) == 2
    assert page.error is not None and page.error.startswith("not well-formed XML")


def test_a_bare_ampersand_in_a_loc_is_repaired() -> None:
    body = (
        b"<urlset><url><loc>https://defencechronicle.example/story?id=7&lang=en</loc></url>"
        b"<url><loc>https://defencechronicle.example/story?id=8&amp;lang=en</loc></url></urlset>"
    )

    page = read_sitemap(body, SITEMAP_URL)

    assert [link.url for link in page.links] == [
        "https://defencechronicle.example/story?id=7&lang=en",
        "https://defencechronicle.example/story?id=8&lang=en",
    ]
    assert page.error is None


def test_an_unknown_encoding_is_a_clear_error() -> None:
    body = b'<?xml version="1.0" encoding="x-klingon"?><urlset></urlset>'

    with pytest.raises(MalformedXmlError, match="unknown encoding: x-klingon"):
        read_sitemap(body, SITEMAP_URL)


def test_addresses_that_cannot_be_fetched_are_skipped() -> None:
    body = (
        b"<urlset><url><loc>https://defencechronicle.example:99999/a-b-c</loc></url>"
        b"<url><loc>http://[::1/a-b-c</loc></url><url><loc>ftp://x.example/a</loc></url>"
        b"<url><loc>mailto:desk@defencechronicle.example</loc></url></urlset>"
    )

    page = read_sitemap(body, SITEMAP_URL)

    assert (page.links, page.skipped) == ((), 4)


def test_an_html_page_is_not_a_sitemap() -> None:
    body = b"<!DOCTYPE html><html><head><title>404</title></head><body></body></html>"

    with pytest.raises(MalformedXmlError, match=r"not a sitemap \(root element <html>\)"):
        read_sitemap(body, SITEMAP_URL)


def test_an_empty_body_is_a_clear_error() -> None:
    with pytest.raises(MalformedXmlError, match="neither XML nor a list of URLs"):
        read_sitemap(b"", SITEMAP_URL)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.builds(
            lambda cut, noise: URLSET[:cut] + noise,
            st.integers(0, len(URLSET)),
            st.binary(max_size=20),
        ),
        st.builds(lambda cut: gzip.compress(INDEX)[:cut], st.integers(0, 400)),
    )
)
def test_any_bytes_give_a_page_or_a_discovery_error(body: bytes) -> None:
    try:
        page = read_sitemap(body, SITEMAP_URL)
    except DiscoveryError:
        return
    assert all(link.url.startswith(("http://", "https://")) for link in page.links)
