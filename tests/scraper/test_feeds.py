"""RSS 2.0, RSS 1.0 and Atom feeds to links with entry dates; unsafe and broken feeds refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.exceptions import DiscoveryError, MalformedXmlError, UnsafeXmlError
from scraper.feeds import links_from_feed

FEED_URL = "https://www.navalmonitor.example/feed/"

RSS_20 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
<channel>
  <title>Naval Monitor</title>
  <link>https://www.navalmonitor.example/</link>
  <item>
    <title>  Navy orders   six
      frigates </title>
    <link>/2025/12/navy-orders-six-frigates/?utm_source=rss&amp;utm_medium=feed#comments</link>
    <pubDate>Sat, 06 Dec 2025 14:54:00 +0530</pubDate>
    <guid isPermaLink="false">https://www.navalmonitor.example/?p=4411</guid>
  </item>
  <item>
    <title>Submarine tender reopened</title>
    <guid isPermaLink="true">https://www.navalmonitor.example/2025/12/submarine-tender-reopened/</guid>
    <pubDate>Fri, 05 Dec 2025 08:00:00 GMT</pubDate>
  </item>
  <item>
    <title>Duplicate of the first</title>
    <link>https://www.navalmonitor.example/2025/12/navy-orders-six-frigates/</link>
  </item>
  <item>
    <title>Via a redirector</title>
    <link>https://feeds.example.net/~r/navalmonitor/~3/abc/</link>
    <feedburner:origLink>https://www.navalmonitor.example/2025/12/mine-hunter-trials/</feedburner:origLink>
  </item>
  <item>
    <title>Mail us</title>
    <link>mailto:desk@navalmonitor.example</link>
  </item>
</channel>
</rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://airpowerdaily.example/news/">
  <title>Air Power Daily</title>
  <id>tag:airpowerdaily.example,2025:feed</id>
  <updated>2025-12-07T10:00:00Z</updated>
  <entry>
    <title type="html">&lt;em&gt;Exclusive:&lt;/em&gt; tanker fleet grounded</title>
    <link rel="alternate" type="text/html" href="tanker-fleet-grounded"/>
    <link rel="replies" href="https://airpowerdaily.example/comments/991"/>
    <id>tag:airpowerdaily.example,2025:991</id>
    <published>2025-12-06T09:00:00+01:00</published>
    <updated>2025-12-07T10:30:00Z</updated>
  </entry>
  <entry>
    <title>Only an address for an id</title>
    <id>https://airpowerdaily.example/news/drone-wing-stood-up</id>
    <updated>2025-12-05T23:15:00-05:00</updated>
  </entry>
  <entry>
    <title>No address at all</title>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2025-12-05T12:00:00Z</updated>
  </entry>
</feed>"""

RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://lettredesarmees.example/rss">
    <title>La Lettre des armees</title>
    <link>https://lettredesarmees.example/</link>
    <items><rdf:Seq><rdf:li rdf:resource="https://lettredesarmees.example/actu/exercice-naval-en-mediterranee"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://lettredesarmees.example/actu/exercice-naval-en-mediterranee">
    <title>Exercice naval en Mediterranee</title>
    <link>https://lettredesarmees.example/actu/exercice-naval-en-mediterranee</link>
    <dc:date>2025-11-30T18:20:00+01:00</dc:date>
  </item>
</rdf:RDF>"""

BILLION_LAUGHS_RSS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://www.navalmonitor.example/a-b-c-d</link></item>
</channel></rss>"""


def test_rss_entries_keep_feed_order_and_resolve_relative_links() -> None:
    links = links_from_feed(RSS_20, FEED_URL)

    assert [link.url for link in links] == [
        "https://www.navalmonitor.example/2025/12/navy-orders-six-frigates/",
        "https://www.navalmonitor.example/2025/12/submarine-tender-reopened/",
        "https://www.navalmonitor.example/2025/12/mine-hunter-trials/",
    ]
    assert all(link.source == "feed" for link in links)


def test_rss_pubdate_in_rfc822_becomes_aware_utc() -> None:
    first, second, *_ = links_from_feed(RSS_20, FEED_URL)

    assert first.published == datetime(2025, 12, 6, 9, 24, tzinfo=UTC)
    assert second.published == datetime(2025, 12, 5, 8, 0, tzinfo=UTC)


def test_rss_without_an_updated_element_has_no_lastmod() -> None:
    first = links_from_feed(RSS_20, FEED_URL)[0]

    assert first.lastmod is None


def test_rss_title_white_space_is_folded() -> None:
    first = links_from_feed(RSS_20, FEED_URL)[0]

    assert first.title == "Navy orders six frigates"


def test_feedburner_original_link_wins_over_the_redirector() -> None:
    urls = [link.url for link in links_from_feed(RSS_20, FEED_URL)]

    assert "https://www.navalmonitor.example/2025/12/mine-hunter-trials/" in urls
    assert not any("feeds.example.net" in url for url in urls)


def test_atom_updated_and_published_are_kept_apart() -> None:
    tanker = links_from_feed(ATOM, "https://airpowerdaily.example/feed.atom")[0]

    assert tanker.url == "https://airpowerdaily.example/news/tanker-fleet-grounded"
    assert tanker.published == datetime(2025, 12, 6, 8, 0, tzinfo=UTC)
    assert tanker.lastmod == datetime(2025, 12, 7, 10, 30, tzinfo=UTC)


def test_atom_html_title_is_read_as_text() -> None:
    tanker = links_from_feed(ATOM, "https://airpowerdaily.example/feed.atom")[0]

    assert tanker.title == "Exclusive: tanker fleet grounded"


def test_atom_id_is_used_only_when_it_is_an_address() -> None:
    links = links_from_feed(ATOM, "https://airpowerdaily.example/feed.atom")

    assert [link.url for link in links[1:]] == [
        "https://airpowerdaily.example/news/drone-wing-stood-up"
    ]
    assert links[1].lastmod == datetime(2025, 12, 6, 4, 15, tzinfo=UTC)


def test_rss_10_dc_date_is_the_lastmod() -> None:
    (link,) = links_from_feed(RSS_10, "https://lettredesarmees.example/rss")

    assert link.url == "https://lettredesarmees.example/actu/exercice-naval-en-mediterranee"
    assert link.lastmod == datetime(2025, 11, 30, 17, 20, tzinfo=UTC)
    assert link.title == "Exercice naval en Mediterranee"


def test_an_empty_feed_gives_no_links() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'

    assert links_from_feed(body, FEED_URL) == []


def test_billion_laughs_is_refused_before_parsing() -> None:
    with pytest.raises(UnsafeXmlError, match="declares entities"):
        links_from_feed(BILLION_LAUGHS_RSS, FEED_URL)


def test_external_entity_is_refused() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><item><title>&x;</title>'
        b"<link>https://www.navalmonitor.example/a-b-c-d</link></item></channel></rss>"
    )

    with pytest.raises(UnsafeXmlError):
        links_from_feed(body, FEED_URL)


@pytest.mark.parametrize(
    "body",
    [
        b"<html><head><title>Not found</title></head><body><p>Gone</p></body></html>",
        b"\x00\x01\x02 not a feed at all",
        b"",
    ],
)
def test_a_document_that_is_no_feed_is_a_clear_error(body: bytes) -> None:
    with pytest.raises(MalformedXmlError, match=f"feed {FEED_URL}: not a readable"):
        links_from_feed(body, FEED_URL)


def test_a_feed_with_a_syntax_error_still_gives_its_entries() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Q&A desk</title>'
        b"<item><title>Radar & sonar upgrade</title>"
        b"<link>https://www.navalmonitor.example/radar-and-sonar-upgrade</link>"
        b"<pubDate>Mon, 01 Dec 2025 10:00:00 +0000</pubDate></item></channel></rss>"
    )

    (link,) = links_from_feed(body, FEED_URL)

    assert link.url == "https://www.navalmonitor.example/radar-and-sonar-upgrade"
    assert link.published == datetime(2025, 12, 1, 10, 0, tzinfo=UTC)


def test_feed_errors_are_discovery_errors() -> None:
    assert issubclass(MalformedXmlError, DiscoveryError)
    assert issubclass(UnsafeXmlError, DiscoveryError)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.builds(
            lambda cut, noise: RSS_20[:cut] + noise,
            st.integers(0, len(RSS_20)),
            st.binary(max_size=20),
        ),
    )
)
def test_any_bytes_give_links_or_a_discovery_error(body: bytes) -> None:
    try:
        links = links_from_feed(body, FEED_URL)
    except DiscoveryError:
        return
    assert all(link.url.startswith(("http://", "https://")) for link in links)
