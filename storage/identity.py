"""Article identity: the key two URLs of the same article share.

`parsers.urls.normalize_url` already folds case, default ports, fragments, tracking
parameters and AMP variants. The key goes two steps further, because sites answer on both
forms and link to both: `www.` is dropped from the host and `http` becomes `https`. A site
that served two different articles at `example.com/x` and `www.example.com/x`, or over http
and https, would be merged; no news site does that, while the same article under both
spellings is common. `m.` and `mobile.` hosts are not folded: some sites run separate
mobile editions with their own URLs and texts.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from parsers.urls import normalize_url

_FOLDED_PREFIX = "www."


def url_key(url: str) -> str:
    """The identity of the page at `url`; the same string for every spelling of it."""
    return key_of_normalized(normalize_url(url))


def key_of_normalized(normalized: str) -> str:
    """`url_key` of a URL whose `normalize_url` form the caller already has."""
    parts = urlsplit(normalized)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return normalized
    netloc = parts.netloc
    if netloc.startswith(_FOLDED_PREFIX) and netloc.count(".") >= 2:
        netloc = netloc[len(_FOLDED_PREFIX) :]
    return urlunsplit(("https", netloc, parts.path, parts.query, ""))
