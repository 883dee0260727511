"""Image addresses: which ones are pictures of the article at all, and which are one picture.

A page names the same picture under many URLs (sizes, CDN parameters, retina copies) and
fills its markup with trackers, spacers and avatars; both are told apart by the URL alone,
many times a page, so these helpers avoid urlsplit and urljoin where a regex will do.
"""

from __future__ import annotations

import re

from parsers.extract.page import Page

# Not article pictures: trackers, chrome and placeholders, judged by their URL.
SKIPPED_URL_WORDS = frozenset(
    {"pixel", "spacer", "blank", "transparent", "tracking", "tracker", "beacon", "1x1", "icon",
     "icons", "favicon", "avatar", "avatars", "gravatar", "logo", "logos", "emoji", "sprite",
     "sprites", "badge", "badges", "placeholder", "loading", "loader", "lazyload", "lazyloader"}
)  # fmt: skip
_URL_WORD_SEPARATORS = re.compile(r"[/_.=+,-]")
SKIPPED_HOSTS = re.compile(
    r"(?:^|\.)(?:gravatar\.com|doubleclick\.net|google-analytics\.com|scorecardresearch\.com|"
    r"facebook\.com|pixel\.wp\.com|stats\.wp\.com|quantserve\.com|chartbeat\.net)$",
    re.IGNORECASE,
)
# Query parameters that choose a size or format of the same picture.
SIZE_PARAMETERS = frozenset(
    {
        "w", "h", "width", "height", "resize", "fit", "quality", "q", "crop", "dpr", "auto",
        "fm", "format", "strip", "ssl", "zoom", "mod", "itok", "ixlib", "s", "sz", "size",
        "disable", "ver", "v", "version", "lossy", "cs", "type",
    }
)  # fmt: skip
SIZE_SEGMENT = re.compile(r"/size/w\d{2,5}(?:h\d{2,5})?/")  # Ghost: /size/w600/2025/...
SIZE_SUFFIX = re.compile(r"(?:-\d{2,5}x\d{2,5}|@\dx|-scaled|-e\d{10,13})(?=\.\w{2,5}$)")
URL_PARTS = re.compile(r"https?://(?:[^@/?#]*@)?(?P<host>[^:/?#]*)(?::\d*)?(?P<path>[^?#]*)", re.I)
ORIGIN = re.compile(r"(https?)://[^/?#]*")
SRCSET_CANDIDATE = re.compile(r"(\S+)(?:\s+(\d+(?:\.\d+)?)[wx])?[^,]*(?:,|$)")


def largest_candidate(srcset: str | None) -> str | None:
    """The widest candidate of a srcset ("a.jpg 300w, b.jpg 1024w" -> "b.jpg")."""
    if not srcset:
        return None
    best_url, best_size = None, -1.0
    for match in SRCSET_CANDIDATE.finditer(srcset.strip()):
        link = match.group(1).rstrip(",")
        size = float(match.group(2)) if match.group(2) else 0.0
        if link and size > best_size:
            best_url, best_size = link, size
    return best_url


def usable_url(page: Page, link: str | None) -> str | None:
    """The absolute http(s) URL of a picture, or None for a tracker, icon or placeholder."""
    url = _absolute(page, (link or "").strip())
    if url is None or not url.startswith(("http://", "https://")):
        return None
    host, path = _host_and_path(url)
    if SKIPPED_HOSTS.search(host) or path in ("", "/"):
        return None
    if not SKIPPED_URL_WORDS.isdisjoint(_URL_WORD_SEPARATORS.split(path.lower())):
        return None
    return url


def _absolute(page: Page, link: str) -> str | None:
    """Page.absolute with fast paths for the common shapes: urljoin is slow on big galleries."""
    if link.startswith(("https://", "http://")):
        return link
    origin = ORIGIN.match(page.url)
    if origin is not None and link.startswith("/"):
        return f"{origin.group(1)}:{link}" if link[1:2] == "/" else origin.group(0) + link
    return page.absolute(link)


def _host_and_path(url: str) -> tuple[str, str]:
    """Cheaper than urlsplit, which this module would call thousands of times on big pages."""
    parts = URL_PARTS.match(url)
    if parts is None:
        return "", ""
    return parts.group("host").lower(), parts.group("path")


def image_identity(url: str) -> str:
    """One key for every size of a picture: "-300x200", "@2x" and ?w= do not count."""
    host, path = _host_and_path(url)
    query = url.split("#", 1)[0].partition("?")[2]
    kept = sorted(
        pair
        for pair in query.split("&")
        if pair and pair.split("=", 1)[0].lower() not in SIZE_PARAMETERS
    )
    path = SIZE_SEGMENT.sub("/", SIZE_SUFFIX.sub("", path))
    return f"{host}{path}?{'&'.join(kept)}"
