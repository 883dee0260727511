"""Article identity: every spelling of one article's URL gives one key, two articles two."""

from __future__ import annotations

import pytest

from storage.identity import url_key

KEY = "https://rnamedia.in/turkey-drone/"


@pytest.mark.parametrize(
    "url",
    [
        "https://rnamedia.in/turkey-drone/",
        "https://www.rnamedia.in/turkey-drone/",
        "http://rnamedia.in/turkey-drone/",
        "HTTP://WWW.RNAMedia.in:80/turkey-drone/#comments",
        "https://rnamedia.in:443/turkey-drone/?utm_source=x&fbclid=y",
        "https://rnamedia.in/turkey-drone/amp/",
        "https://amp.rnamedia.in/turkey-drone/",
        "  https://www.rnamedia.in/turkey-drone/  ",
    ],
)
def test_spellings_of_one_article_share_a_key(url: str) -> None:
    assert url_key(url) == KEY


@pytest.mark.parametrize(
    "url",
    [
        "https://rnamedia.in/turkey-drone-2/",
        "https://rnamedia.in/turkey-drone/?p=2",
        "https://m.rnamedia.in/turkey-drone/",
        "https://news.rnamedia.in/turkey-drone/",
        "https://rnamedia.in:8443/turkey-drone/",
    ],
)
def test_other_pages_keep_other_keys(url: str) -> None:
    assert url_key(url) != KEY


def test_www_is_kept_when_it_is_the_whole_domain() -> None:
    assert url_key("https://www.com/a") == "https://www.com/a"


def test_urls_that_are_not_http_pass_through() -> None:
    assert url_key("mailto:desk@rnamedia.in") == "mailto:desk@rnamedia.in"
