"""The offline demo site over real HTTP on 127.0.0.1: discovery documents, validators, robots,
the changes between the demo's two runs, the synthetic benchmark sites, and the parsers reading
every demo article as its data says."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_etree
import httpx
import pytest
from protego import Protego

from parsers import ArticleRecord, SiteConfig, parse
from scraper.demo_site import DemoArticle, DemoSite, load_demo_data
from scraper.demo_site.formatting import iso

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "rnamedia-article.txt"
FETCHED_AT = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
MODEL_URL = (
    "http://rnamedia.in/after-corvette-class-warships-turkey-eyes-drone-facility-in-pakistan/"
)


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoSite]:
    """The demo as first served; tests that change it start their own."""
    with DemoSite() as site:
        yield site


@pytest.fixture
def client(demo: DemoSite) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo.base_url) as http:
        yield http


def get(client: httpx.Client, url: str, **headers: str) -> httpx.Response:
    """Request a public demo URL (http://host/path) through the local socket, by Host header."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return client.get(target, headers={"Host": parts.netloc, **headers})


def xml_of(response: httpx.Response) -> Element:
    assert response.status_code == 200, response.url
    root: Element = safe_etree.fromstring(response.content)
    return root


def sitemap_entries(client: httpx.Client, site: DemoSite, host: str) -> dict[str, str]:
    """Every URL of the host's sitemap index, through its child sitemaps, with its lastmod."""
    index = xml_of(get(client, site.url_for(host, "/sitemap_index.xml")))
    assert index.tag == f"{SM}sitemapindex"
    entries = {}
    for child in index.iter(f"{SM}loc"):
        urlset = xml_of(get(client, child.text or ""))
        for url in urlset.iter(f"{SM}url"):
            entries[url.findtext(f"{SM}loc") or ""] = url.findtext(f"{SM}lastmod") or ""
    return entries


def feed_links(client: httpx.Client, site: DemoSite, host: str) -> list[str]:
    feed = xml_of(get(client, site.url_for(host, "/feed/")))
    assert feed.tag == "rss" and feed.get("version") == "2.0"
    return [item.findtext("link") or "" for item in feed.iter("item")]


def section_links(client: httpx.Client, site: DemoSite, host: str, section: str) -> list[str]:
    """Article links of a section, following its pagination (rel=next) to the end."""
    info = site.site(host)
    url: str | None = info.url(info.section_path(section))
    links: list[str] = []
    while url:
        html = get(client, url).text
        links += _hrefs(html, 'class="entry-title"><a href="')
        next_links = _hrefs(html, '<link rel="next" href="')
        url = next_links[0] if next_links else None
    return links


def _hrefs(html: str, marker: str) -> list[str]:
    return [chunk.split('"', 1)[0] for chunk in html.split(marker)[1:]]


def parsed(site: DemoSite, client: httpx.Client, article: DemoArticle) -> ArticleRecord:
    info = site.site(article.host)
    url = site.url_of(article)
    response = get(client, url)
    assert response.status_code == 200
    facts = SiteConfig(timezone=info.timezone, language=info.language)
    return parse(response.content, url, FETCHED_AT, site=facts)


# --- the shipped data -------------------------------------------------------------------


def test_shipped_data_has_four_sites_of_four_to_six_articles_and_one_change_of_each_kind() -> None:
    data = load_demo_data()
    assert {site.template for site in data.sites} == {"wordpress", "arc", "plain"}
    assert {site.language for site in data.sites} == {"en", "fr"}
    for site in data.sites:
        assert 4 <= len(data.articles_of(site.host)) <= 6, site.host
    assert sorted(change.kind for change in data.changes) == [
        "date_only", "new", "silent_edit", "updated"
    ]  # fmt: skip


def test_the_model_article_carries_the_seed_text() -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent")
    seed_lines = {line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()}
    model = next(a for a in load_demo_data().articles if a.slug.startswith("after-corvette"))
    assert {model.section, model.headline, model.standfirst, *model.paragraphs} <= seed_lines
    image = model.images[0]
    assert f"{image.caption} Image courtesy: {image.credit}" in seed_lines
    assert model.published.isoformat() == "2025-12-06T14:54:00+05:30"
    assert len(model.body) == 15 and sum(block.heading for block in model.body) == 3


def test_a_change_that_does_not_match_its_kind_is_refused() -> None:
    text = """
sites: [{host: a.example, name: A, template: plain, timezone: UTC, language: en}]
articles:
  - {host: a.example, slug: one-two-three, section: News, headline: H, standfirst: S,
     authors: [X], published: "2025-01-01 10:00", body: [Para]}
changes:
  - {kind: silent_edit, host: a.example, slug: one-two-three, at: "2025-01-02 10:00",
     updated: "2025-01-02 10:00"}
"""
    with pytest.raises(ValueError, match="silent_edit"):
        load_demo_data(text)


# --- discovery documents ----------------------------------------------------------------


def test_every_article_is_in_the_feed_and_the_sitemap_and_nothing_else_is(
    demo: DemoSite, client: httpx.Client
) -> None:
    for host in demo.hosts:
        articles = set(demo.article_urls(host))
        assert set(feed_links(client, demo, host)) == articles
        private = demo.site(host).url("/private/editorial-planning-notes-for-next-week/")
        assert set(sitemap_entries(client, demo, host)) == articles | {private}


def test_every_article_and_discovery_source_is_served(demo: DemoSite, client: httpx.Client) -> None:
    for url in demo.article_urls():
        response = get(client, url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html")
    for host in demo.hosts:
        sources = demo.sources(host)
        for url in sources.feeds + sources.sitemaps + sources.sections:
            assert get(client, url).status_code == 200, url


def test_feed_dates_are_the_publication_dates(demo: DemoSite, client: httpx.Client) -> None:
    feed = xml_of(get(client, demo.url_for("rnamedia.in", "/feed/")))
    dates = {item.findtext("link"): item.findtext("pubDate") for item in feed.iter("item")}
    assert dates[MODEL_URL] == "Sat, 06 Dec 2025 14:54:00 +0530"


def test_the_news_sitemap_gives_each_article_its_publication_date_and_title(
    demo: DemoSite, client: httpx.Client
) -> None:
    for host in demo.hosts:
        root = xml_of(get(client, demo.url_for(host, "/news-sitemap.xml")))
        found = {
            url.findtext(f"{SM}loc"): (
                url.findtext(f"{NEWS}news/{NEWS}publication_date"),
                url.findtext(f"{NEWS}news/{NEWS}title"),
                url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language"),
            )
            for url in root.iter(f"{SM}url")
        }
        expected = {
            demo.url_of(article): (
                iso(article.published),
                article.headline,
                demo.site(host).language,
            )
            for article in demo.data.articles_of(host)
        }
        assert found == expected


def test_section_pages_paginate_and_list_every_article_of_their_section(
    demo: DemoSite, client: httpx.Client
) -> None:
    for host in demo.hosts:
        for section in {article.section for article in demo.data.articles_of(host)}:
            members = [a for a in demo.data.articles_of(host) if a.section == section]
            listed = section_links(client, demo, host, section)
            articles = [url for url in listed if "/private/" not in url]
            assert articles == [demo.url_of(article) for article in members]
    page_two = get(client, demo.url_for("rnamedia.in", "/category/defence-industry/page/2/"))
    assert page_two.status_code == 200


def test_robots_txt_disallows_the_private_page_that_exists(
    demo: DemoSite, client: httpx.Client
) -> None:
    for host in demo.hosts:
        robots = get(client, demo.url_for(host, "/robots.txt"))
        assert robots.headers["content-type"].startswith("text/plain")
        rules = Protego.parse(robots.text)
        (private,) = [url for url in demo.disallowed_urls if urlsplit(url).netloc == host]
        assert not rules.can_fetch(private, "newsarchive")
        assert all(rules.can_fetch(url, "newsarchive") for url in demo.article_urls(host))
        assert list(rules.sitemaps) == [
            demo.url_for(host, "/sitemap_index.xml"),
            demo.url_for(host, "/news-sitemap.xml"),
        ]
        assert get(client, private).status_code == 200


# --- HTTP behaviour ---------------------------------------------------------------------


def test_etag_and_last_modified_answer_conditional_requests_with_304(
    demo: DemoSite, client: httpx.Client
) -> None:
    first = get(client, MODEL_URL)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    assert last_modified == "Sat, 06 Dec 2025 10:50:00 GMT"  # updated 16:20 India time
    again = get(client, MODEL_URL, **{"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    assert get(client, MODEL_URL, **{"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert get(client, MODEL_URL, **{"If-Modified-Since": last_modified}).status_code == 304
    older = "Sat, 06 Dec 2025 10:49:59 GMT"
    assert get(client, MODEL_URL, **{"If-Modified-Since": older}).status_code == 200
    stale = {"If-None-Match": '"stale"', "If-Modified-Since": last_modified}
    assert get(client, MODEL_URL, **stale).status_code == 200  # If-None-Match decides


def test_unknown_hosts_and_paths_are_404_and_a_missing_slash_redirects(
    demo: DemoSite, client: httpx.Client
) -> None:
    assert get(client, "http://nosuchsite.example/feed/").status_code == 404
    assert get(client, demo.url_for("rnamedia.in", "/no-such-article/")).status_code == 404
    assert get(client, "http://RNAMEDIA.IN:80/feed/").status_code == 200
    moved = get(client, MODEL_URL.rstrip("/"))
    assert (moved.status_code, moved.headers["location"]) == (301, MODEL_URL)
    assert client.get("/").status_code == 200  # the bare address lists the hosts


def test_head_answers_headers_only(demo: DemoSite, client: httpx.Client) -> None:
    parts = urlsplit(MODEL_URL)
    head = client.head(parts.path, headers={"Host": parts.netloc})
    full = get(client, MODEL_URL)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(full.content))
    assert head.headers["etag"] == full.headers["etag"]


def test_the_request_log_records_host_path_status_and_headers() -> None:
    with DemoSite() as site, httpx.Client(base_url=site.base_url) as http:
        get(http, site.url_for("defensewire.example", "/feed/?utm_source=x"))
        get(http, MODEL_URL, **{"If-None-Match": get(http, MODEL_URL).headers["etag"]})
        get(http, "http://nosuchsite.example/")
        log = site.request_log
        assert [(e.host, e.method, e.path, e.status) for e in log] == [
            ("defensewire.example", "GET", "/feed/?utm_source=x", 200),
            ("rnamedia.in", "GET", urlsplit(MODEL_URL).path, 200),
            ("rnamedia.in", "GET", urlsplit(MODEL_URL).path, 304),
            ("nosuchsite.example", "GET", "/", 404),
        ]
        assert log[2].headers["if-none-match"].startswith('"')
        site.clear_log()
        assert site.request_log == []


# --- the changes between the demo's two runs --------------------------------------------


def test_apply_changes_makes_exactly_the_four_changes() -> None:
    with DemoSite() as site, httpx.Client(base_url=site.base_url) as http:
        before = Snapshot.of(site, http)
        changes = {change.kind: change.after for change in site.apply_changes()}
        after = Snapshot.of(site, http)
        assert site.apply_changes() == ()  # once only
    changed = {site.url_of(article): kind for kind, article in changes.items()}
    new_url = site.url_of(changes["new"])
    assert set(after.records) - set(before.records) == {new_url}
    moved = {url for url, when in before.lastmods.items() if after.lastmods[url] != when}
    assert moved == set(changed) - {new_url}
    host = changes["new"].host
    same_host = [when for url, when in after.lastmods.items() if urlsplit(url).netloc == host]
    assert after.lastmods[new_url] == max(same_host)  # the freshest on its site
    for url, old in before.records.items():
        new = after.records[url]
        kind = changed.get(url)
        same_words = _words(old) == _words(new)
        same_dates = (old.published_at, old.updated_at) == (new.published_at, new.updated_at)
        assert (same_words, same_dates) == {
            "date_only": (True, False),
            "silent_edit": (False, True),
            "updated": (False, False),
            None: (True, True),
        }[kind], (url, kind)
        if kind is not None:
            assert before.etags[url] != after.etags[url]
    bumped = after.records[MODEL_URL].updated_at
    assert bumped == datetime.fromisoformat("2025-12-08T00:00+05:30")


@dataclass
class Snapshot:
    """What a crawler would see of the whole demo: parsed articles, ETags, sitemap lastmods."""

    records: dict[str, ArticleRecord] = field(default_factory=dict)
    etags: dict[str, str] = field(default_factory=dict)
    lastmods: dict[str, datetime] = field(default_factory=dict)

    @classmethod
    def of(cls, site: DemoSite, http: httpx.Client) -> Snapshot:
        snapshot = cls()
        for host in site.hosts:
            for url, lastmod in sitemap_entries(http, site, host).items():
                snapshot.lastmods[url] = datetime.fromisoformat(lastmod)
            for article in site.data.articles_of(host):
                url = site.url_of(article)
                snapshot.records[url] = parsed(site, http, article)
                snapshot.etags[url] = get(http, url).headers["etag"]
        return snapshot


def _words(record: ArticleRecord) -> tuple[object, ...]:
    captions = tuple((image.caption, image.credit) for image in record.images)
    return (record.headline, record.standfirst, record.authors, record.body, captions)


def test_the_new_article_appears_in_feed_sitemaps_and_its_section() -> None:
    with DemoSite() as site, httpx.Client(base_url=site.base_url) as http:
        (new,) = [change.after for change in site.pending_changes if change.kind == "new"]
        url = site.url_of(new)
        assert get(http, url).status_code == 404
        site.apply_changes()
        assert feed_links(http, site, new.host)[0] == url
        assert url in sitemap_entries(http, site, new.host)
        news = xml_of(get(http, site.url_for(new.host, "/news-sitemap.xml")))
        assert url in [loc.text for loc in news.iter(f"{SM}loc")]
        assert section_links(http, site, new.host, new.section)[0] == url
        site.reset()
        assert get(http, url).status_code == 404
        assert len(site.pending_changes) == 4


# --- the parsers read the demo as its data says -----------------------------------------


@pytest.mark.parametrize("changed", [False, True], ids=["first-run", "after-changes"])
def test_every_demo_article_parses_to_what_its_data_says(changed: bool) -> None:
    with DemoSite() as site, httpx.Client(base_url=site.base_url) as http:
        if changed:
            site.apply_changes()
        for article in site.articles:
            record = parsed(site, http, article)
            where = site.url_of(article)
            assert record.page_type == "article", where
            assert record.headline == article.headline, where
            assert record.standfirst == article.standfirst, where
            assert record.authors == article.authors, where
            assert record.published_at == article.published, where
            assert record.section == article.section, where
            assert record.body == article.paragraphs, where
            images = [(image.caption, image.credit) for image in record.images]
            assert images == [(image.caption, image.credit) for image in article.images], where
            if article.updated is not None:
                assert record.updated_at is not None, where
                assert record.updated_at.date() == article.updated.date(), where
            else:  # Yoast and Arc restate an unedited page's publication as dateModified
                assert record.updated_at in (None, article.published), where


def test_the_rnamedia_model_page_parses_like_the_design_says(
    demo: DemoSite, client: httpx.Client
) -> None:
    response = get(client, MODEL_URL)
    record = parse(response.content, MODEL_URL, FETCHED_AT)  # the site parser's own facts
    assert record.parser.name == "rnamedia.in"
    assert record.published_at == datetime.fromisoformat("2025-12-06T14:54:00+05:30")
    assert (record.published_raw, record.published_precision) == (
        "December 6, 2025 2:54 pm",
        "minute",
    )
    assert record.updated_at == datetime.fromisoformat("2025-12-06T00:00:00+05:30")
    assert (record.updated_raw, record.updated_precision) == ("December 6, 2025", "day")
    assert record.authors == ("RNA Desk",)
    assert record.section == "Defence Industry"
    (image,) = record.images
    assert image.caption is not None and image.caption.startswith("Turkey plans to set up")
    assert image.credit == "AI-generated picture via Sora"
    assert not any("Avatar photo" in p or "Leave a Reply" in p for p in record.body)


# --- synthetic sites for the crawl benchmark --------------------------------------------


def test_synthetic_sites_have_the_asked_page_counts_in_their_sitemaps() -> None:
    with DemoSite.synthetic(hosts=3, pages_per_host=60, seed=7) as site:
        assert len(site.hosts) == 3 and len(site.article_urls()) == 180
        with httpx.Client(base_url=site.base_url) as http:
            for host in site.hosts:
                index = xml_of(get(http, site.url_for(host, "/sitemap_index.xml")))
                assert len(list(index.iter(f"{SM}sitemap"))) == 2  # 61 URLs, 50 a file
                urls = set(sitemap_entries(http, site, host)) - set(site.disallowed_urls)
                assert urls == set(site.article_urls(host))
                assert len(feed_links(http, site, host)) == 20
            sample = site.articles[::37]
            assert all(parsed(site, http, a).headline == a.headline for a in sample)


def test_synthetic_sites_are_deterministic_for_a_seed() -> None:
    def pages(seed: int) -> list[bytes]:
        site = DemoSite.synthetic(hosts=2, pages_per_host=5, seed=seed)
        with site, httpx.Client(base_url=site.base_url) as http:
            return [get(http, url).content for url in site.article_urls()]

    assert pages(3) == pages(3)
    assert pages(3) != pages(4)


def test_synthetic_changes_cover_every_kind_and_a_new_article_per_host() -> None:
    site = DemoSite.synthetic(hosts=2, pages_per_host=30, seed=1)
    kinds = [change.kind for change in site.pending_changes]
    assert kinds.count("new") == 2
    assert {"date_only", "silent_edit", "updated"} <= set(kinds)
    site.apply_changes()
    assert len(site.article_urls()) == 62 and site.pending_changes == ()
