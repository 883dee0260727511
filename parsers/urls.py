"""URL identity: the one normalization every part of the project agrees on.

Two URLs that a reader would call the same article must normalize to the same string,
or the store keeps duplicates; two different articles must never collide. Also read here:
the day a URL's path gives (/2025/12/06/), the dates' last resort.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from parsers.date_vocabulary import ENGLISH_MONTHS

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ocid",
        "cmpid",
        "smid",
        "sr_share",
        "ref_src",
        "ncid",
        "spm",
        "amp",
        "outputtype",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__hs", "_hs", "vero_")
HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_PATH = re.compile(r"(?:/amp/?|/amp\.html)$|\.amp(?=\.html?$)", re.IGNORECASE)


def site_of(url: str) -> str:
    """The site a URL belongs to: its host without www., m., amp. or mobile. prefixes."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:  # a malformed address ("http://[::1") belongs to no site
        return ""
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix) :]
    return host


def normalize_url(url: str) -> str:
    """Canonical form for identity; returns the input stripped when it is not http(s)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    if host.startswith("amp.") and host.count(".") >= 2:
        host = host[4:]
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    if parts.path.endswith("/amp/") or parts.path.endswith("/amp"):
        path = path if path.endswith("/") else path + "/"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def same_site(first: str, second: str) -> bool:
    one, two = site_of(first), site_of(second)
    return bool(one) and (one == two or one.endswith("." + two) or two.endswith("." + one))


def _tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d{2})[/-](?P<month>0?[1-9]|1[0-2]|[a-z]{3,9})[/-]"
    r"(?P<day>0?[1-9]|[12]\d|3[01])(?!\d)",
    re.I,
)


def url_day(url: str) -> date | None:
    """The day a URL's path gives: /2025/12/06/, /2025-12-06-title, /2023/october/03/."""
    match = URL_DATE.search(url)
    if match is None:
        return None
    month = match["month"]
    number = int(month) if month.isdigit() else ENGLISH_MONTHS.get(month.lower())
    try:
        return date(int(match["year"]), number or 0, int(match["day"]))
    except ValueError:
        return None
