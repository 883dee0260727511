"""URL identity: what must fold to one string and what must stay apart; the day a path gives."""

from __future__ import annotations

from datetime import date

import pytest

from parsers.urls import normalize_url, same_site, site_of, url_day


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM/Path/Story", "https://www.example.com/Path/Story"),
        ("https://example.com./news/x", "https://example.com/news/x"),
        ("https://example.com", "https://example.com/"),
        ("https://user:secret@Example.com/x", "https://example.com/x"),
        ("  https://example.com/x  ", "https://example.com/x"),
    ],
)
def test_scheme_and_host_are_lower_cased_and_path_case_is_kept(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
    ],
)
def test_only_the_default_port_of_the_scheme_is_dropped(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_fragment_is_dropped() -> None:
    assert normalize_url("https://example.com/news/x#comments") == "https://example.com/news/x"


@pytest.mark.parametrize(
    "tracking",
    [
        "utm_source=twitter",
        "utm_medium=social",
        "UTM_Campaign=spring",
        "utm_content=a",
        "fbclid=IwAR0abc",
        "gclid=Cj0KCQ",
        "msclkid=123",
        "mc_cid=abc",
        "_ga=2.1234",
        "igshid=xyz",
    ],
)
def test_tracking_parameters_are_dropped(tracking: str) -> None:
    url = f"https://example.com/news/x?{tracking}"
    assert normalize_url(url) == "https://example.com/news/x"


def test_real_parameters_are_kept_in_order_among_tracking_ones() -> None:
    url = "https://example.com/article.php?utm_source=x&id=42&fbclid=abc&page=2&gclid=1"
    assert normalize_url(url) == "https://example.com/article.php?id=42&page=2"


def test_parameters_are_not_reordered() -> None:
    # Reordering could merge two different pages on a site whose server reads order.
    assert normalize_url("https://example.com/a?b=2&a=1") == "https://example.com/a?b=2&a=1"


def test_blank_real_parameter_is_kept() -> None:
    assert normalize_url("https://example.com/a?print=&id=3") == "https://example.com/a?print=&id=3"


def test_parameter_names_that_merely_contain_a_tracking_word_are_kept() -> None:
    url = "https://example.com/a?campaign=1&sample=2"
    assert normalize_url(url) == url


@pytest.mark.parametrize(
    "variant",
    [
        "https://example.com/news/navy-frigates/amp/",
        "https://example.com/news/navy-frigates/amp",
        "https://amp.example.com/news/navy-frigates/",
        "https://example.com/news/navy-frigates/?amp=1",
        "https://example.com/news/navy-frigates/?amp",
        "https://example.com/news/navy-frigates/?outputType=amp",
        "https://example.com/news/navy-frigates/?utm_source=x&amp=1#top",
    ],
)
def test_amp_variants_fold_to_the_article(variant: str) -> None:
    assert normalize_url(variant) == "https://example.com/news/navy-frigates/"


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("https://example.com/news/story.amp.html", "https://example.com/news/story.html"),
        ("https://example.com/news/story.amp.htm", "https://example.com/news/story.htm"),
        ("https://example.com/news/story/amp.html", "https://example.com/news/story"),
    ],
)
def test_amp_html_suffix_folds_to_the_html_page(variant: str, expected: str) -> None:
    assert normalize_url(variant) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/amp/news/story",  # an /amp/ segment in the middle is a real path
        "https://example.com/news/champ",
        "https://example.com/news/camp/",
        "https://amp.com/news/story",  # a host called amp.com is not an AMP subdomain
    ],
)
def test_paths_and_hosts_that_only_contain_amp_are_kept(url: str) -> None:
    assert normalize_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "mailto:desk@example.com",
        "ftp://example.com/file.txt",
        "javascript:void(0)",
        "not a url",
        "/relative/path?utm_source=x",
        "",
        "http://[::1",
        "https://example.com:99999/x",
    ],
)
def test_non_http_or_malformed_input_is_returned_unchanged(url: str) -> None:
    assert normalize_url(url) == url


def test_normalizing_twice_changes_nothing() -> None:
    once = normalize_url("HTTPS://AMP.Example.com:443/news/x/amp/?utm_source=a&id=1#f")
    assert once == "https://example.com/news/x/?id=1"
    assert normalize_url(once) == once


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.example.com/a", "example.com"),
        ("https://m.example.com/a", "example.com"),
        ("https://amp.example.com/a", "example.com"),
        ("https://mobile.example.co.uk/a", "example.co.uk"),
        ("https://WWW.Example.COM./a", "example.com"),
        ("https://news.example.com/a", "news.example.com"),
        ("https://www.com/", "www.com"),  # the prefix is kept when it is the whole name
        ("not a url", ""),
        ("", ""),
    ],
)
def test_site_of_drops_mobile_and_www_prefixes(url: str, site: str) -> None:
    assert site_of(url) == site


def test_site_of_a_malformed_url_is_empty_not_an_error() -> None:
    assert site_of("http://[::1/news") == ""


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://www.example.com/a", "https://example.com/b"),
        ("https://m.example.com/a", "https://amp.example.com/b"),
        ("https://news.example.com/a", "https://example.com/b"),
        ("https://example.com/a", "https://news.example.com/b"),
        ("http://example.com/a", "https://example.com/b"),
    ],
)
def test_same_site_accepts_prefixes_and_subdomains(first: str, second: str) -> None:
    assert same_site(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://example.com/a", "https://other.com/a"),
        ("https://notexample.com/a", "https://example.com/a"),
        ("https://example.com.evil.net/a", "https://example.com/a"),
        ("not a url", "not a url"),
        ("", "https://example.com/"),
    ],
)
def test_same_site_rejects_other_hosts_and_empty_ones(first: str, second: str) -> None:
    assert not same_site(first, second)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/2025/12/06/drone-plant/", date(2025, 12, 6)),
        ("https://news.example/2025-12-06-drone-plant", date(2025, 12, 6)),
        ("https://news.example/2023/october/03/drone-plant", date(2023, 10, 3)),
        ("https://news.example/2025/02/31/drone-plant", None),
        ("https://news.example/defence/drone-plant", None),
    ],
)
def test_url_day_reads_the_day_a_path_gives(url: str, expected: date | None) -> None:
    assert url_day(url) == expected
