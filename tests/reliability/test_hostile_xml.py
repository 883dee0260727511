"""Hostile feeds and sitemaps: entity bombs in every disguise, external references, gzip bombs,
broken gzip and wrong root elements are refused with the project's own errors (a
`DiscoveryError`), within bounded CPU time and memory, and nothing is fetched on their behalf.

tests/scraper/test_feeds.py and test_sitemaps.py refuse the plain billion laughs and an
external entity, stop a 50 MB gzip bomb at the cap, and fuzz arbitrary bytes. Here the same
attacks come disguised (a comment or processing instruction before the DOCTYPE, UTF-16 or
EBCDIC bytes, lower-case `<!entity`), plus quadratic blow-up, parameter entities, DTDs and
XIncludes pointing at a live local server (which must see no request), a 1 GiB gzip bomb,
gzip inside gzip, a thousand empty gzip members, and Hypothesis splicing DOCTYPEs into
valid documents.
"""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.exceptions import (
    DiscoveryError,
    DocumentTooLargeError,
    MalformedXmlError,
    UnsafeXmlError,
)
from scraper.feeds import links_from_feed
from scraper.sitemaps import MAX_SITEMAP_BYTES, read_sitemap
from tests.reliability.tally import tried
from tests.scraper.http_servers import LocalServer, page

FEED_URL = "https://navalmonitor.example/feed/"
SITEMAP_URL = "https://navalmonitor.example/sitemap.xml"
CPU_SECONDS = 2.0
ENTITY_MEMORY = 16 * 2**20
# Inflating keeps the output and one copy of it: twice the cap, and some slack.
GZIP_MEMORY = 2 * MAX_SITEMAP_BYTES + 16 * 2**20
EXPANDED = "lollollol"

LAUGHS = (
    '<!DOCTYPE {root} [<!ENTITY a "lol">'
    + "".join(
        f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>"
)
QUADRATIC = '<!DOCTYPE {root} [<!ENTITY a "' + "lol" * 30_000 + '">]>'
ITEM = "<item><title>&i;</title><link>https://navalmonitor.example/2025/12/&i;/</link></item>"
URL = "<url><loc>https://navalmonitor.example/2025/12/&i;/</loc></url>"
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def feed(prolog: str, items: str = ITEM, declaration: str = '<?xml version="1.0"?>') -> str:
    return (
        f'{declaration}{prolog}<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )


def urlset(prolog: str, urls: str = URL, declaration: str = '<?xml version="1.0"?>') -> str:
    return f'{declaration}{prolog}<urlset xmlns="{NS}">{urls}</urlset>'


def _disguises(build: Callable[..., str], root: str) -> dict[str, bytes]:
    """Entity declarations a reader must see through; where the disguise makes the document
    unreadable instead (`UNREADABLE`), refusing it as broken is as good."""
    laughs = LAUGHS.format(root=root)
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>'
    return {
        "billion laughs after a comment": build("<!-- <a href='x'> --> " + laughs).encode(),
        "billion laughs after a processing instruction": build("<?pi <a?>" + laughs).encode(),
        "billion laughs in UTF-16": build(laughs, declaration=utf16).encode("utf-16"),
        "billion laughs in UTF-16 without declaration": build(laughs, declaration="").encode(
            "utf-16"
        ),
        "billion laughs, lower-case declarations": build(laughs.replace("ENTITY", "entity"))
        .replace("&i;", "x")
        .encode(),
        "quadratic blow-up": build(
            QUADRATIC.format(root=root), (ITEM if root == "rss" else URL).replace("&i;", "&a;" * 50)
        ).encode(),
        "parameter entities": build(
            f"<!DOCTYPE {root} [<!ENTITY % p \"<!ENTITY i 'lol'>\"> %p;]>"
        ).encode(),
        "external entity to a file": build(
            f'<!DOCTYPE {root} [<!ENTITY i SYSTEM "file:///etc/passwd">]>'
        ).encode(),
    }


FEED_BOMBS = _disguises(feed, "rss")
FEED_BOMBS["billion laughs in EBCDIC"] = feed(
    LAUGHS.format(root="rss"), declaration='<?xml version="1.0" encoding="cp500"?>'
).encode("cp500")
SITEMAP_BOMBS = _disguises(urlset, "urlset")
UNREADABLE = {
    "billion laughs in UTF-16 without declaration",
    "billion laughs, lower-case declarations",
}
SITEMAP_BOMBS["billion laughs, gzipped after a comment"] = gzip.compress(
    SITEMAP_BOMBS["billion laughs after a comment"]
)


def bounded(read: Callable[[], Any], memory: int | None = ENTITY_MEMORY) -> Any:
    """`read()`'s result or `DiscoveryError`, after checking its CPU time and (unless None:
    tracing slows pure-Python parsing tenfold) its peak memory."""
    if memory is not None:
        tracemalloc.start()
    started = time.thread_time()
    try:
        return read()
    except DiscoveryError as error:
        return error
    finally:
        spent = time.thread_time() - started
        peak = tracemalloc.get_traced_memory()[1] if memory is not None else 0
        tracemalloc.stop()
        assert spent < CPU_SECONDS, f"{spent:.2f} s of CPU"
        assert memory is None or peak < memory, f"{peak / 2**20:.0f} MB at the peak"


def _refused(name: str, outcome: object) -> None:
    expected = DiscoveryError if name in UNREADABLE else UnsafeXmlError
    assert isinstance(outcome, expected), outcome


@pytest.mark.parametrize("name", sorted(FEED_BOMBS))
def test_disguised_entity_bombs_in_feeds_are_refused(name: str) -> None:
    tried("hostile XML: feed entity bombs")
    _refused(name, bounded(lambda: links_from_feed(FEED_BOMBS[name], FEED_URL)))


@pytest.mark.parametrize("name", sorted(SITEMAP_BOMBS))
def test_disguised_entity_bombs_in_sitemaps_are_refused(name: str) -> None:
    tried("hostile XML: sitemap entity bombs")
    _refused(name, bounded(lambda: read_sitemap(SITEMAP_BOMBS[name], SITEMAP_URL)))


def test_ebcdic_sitemap_bomb_is_not_read() -> None:
    # The sitemap reader does not take EBCDIC at all: not XML it knows, so not read.
    tried("hostile XML: sitemap entity bombs")
    body = FEED_BOMBS["billion laughs in EBCDIC"].replace(b"rss", b"urlset")
    assert isinstance(bounded(lambda: read_sitemap(body, SITEMAP_URL)), MalformedXmlError)


@pytest.fixture
def listener() -> Iterator[LocalServer]:
    """A live server an external reference could reach: it must see no request."""
    with LocalServer({"/evil.dtd": page('<!ENTITY i "lol">', content_type="text/xml")}) as server:
        yield server


def _external_references(base: str, root: str) -> dict[str, str]:
    return {
        "external DTD": f'<!DOCTYPE {root} SYSTEM "{base}/evil.dtd">',
        "public DTD": f'<!DOCTYPE {root} PUBLIC "-//X//EN" "{base}/evil.dtd">',
        "external entity": f'<!DOCTYPE {root} [<!ENTITY i SYSTEM "{base}/evil.dtd">]>',
        "external parameter entity": (
            f'<!DOCTYPE {root} [<!ENTITY % p SYSTEM "{base}/evil.dtd"> %p;]>'
        ),
    }


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
def test_external_references_fetch_nothing(kind: str, listener: LocalServer) -> None:
    base = listener.url("").rstrip("/")
    xinclude = (
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{base}/evil.dtd" '
        'parse="text"/>'
    )
    build, root, read = (
        (feed, "rss", lambda body: links_from_feed(body, FEED_URL))
        if kind == "feed"
        else (urlset, "urlset", lambda body: read_sitemap(body, SITEMAP_URL))
    )
    documents = [build(prolog) for prolog in _external_references(base, root).values()]
    documents.append(build("", (ITEM if kind == "feed" else URL).replace("&i;", xinclude)))
    for document in documents:
        tried("hostile XML: external references")
        outcome = bounded(lambda document=document: read(document.encode()))
        assert EXPANDED not in repr(outcome)
    assert listener.requests == []


def _gzip_zeros(mebibytes: int) -> bytes:
    """One gzip stream of zeros, about a thousandth of its size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(2**20)
    parts = [compressor.compress(block) for _ in range(mebibytes)]
    return b"".join([*parts, compressor.flush()])


GOOD_URLSET = urlset("", "".join(URL.replace("&i;", str(i)) for i in range(50))).encode()
GZIP_CASES: dict[str, tuple[Callable[[], bytes], type[DiscoveryError] | None]] = {
    "1 GiB of zeros in 1024 members": (lambda: _gzip_zeros(1) * 1024, DocumentTooLargeError),
    "64 MiB of zeros in one member": (lambda: _gzip_zeros(64), DocumentTooLargeError),
    "a sitemap, then 64 MiB of spaces": (
        lambda: gzip.compress(GOOD_URLSET[:-10] + b" " * 2**26, compresslevel=1),
        DocumentTooLargeError,
    ),
    "gzip inside gzip": (lambda: gzip.compress(gzip.compress(GOOD_URLSET)), MalformedXmlError),
    "the magic bytes alone": (lambda: b"\x1f\x8b", MalformedXmlError),
    "a header cut short": (lambda: gzip.compress(GOOD_URLSET)[:9], MalformedXmlError),
    "a corrupt CRC": (
        lambda: (lambda data: data[:-8] + b"\0\0\0\0" + data[-4:])(gzip.compress(GOOD_URLSET)),
        MalformedXmlError,
    ),
    "corrupt deflate data": (
        lambda: (lambda data: data[:12] + bytes(64) + data[76:])(gzip.compress(GOOD_URLSET)),
        MalformedXmlError,
    ),
    "a thousand empty members": (lambda: gzip.compress(b"") * 1000, MalformedXmlError),
}


@pytest.mark.parametrize("name", sorted(GZIP_CASES))
def test_gzip_bombs_and_broken_gzip_are_refused_in_bounded_memory(name: str) -> None:
    tried("hostile XML: gzip cases")
    make, expected = GZIP_CASES[name]
    body = make()
    outcome = bounded(lambda: read_sitemap(body, SITEMAP_URL), memory=GZIP_MEMORY)
    assert expected is not None and isinstance(outcome, expected), outcome


def test_trailing_garbage_after_gzip_keeps_the_sitemap() -> None:
    tried("hostile XML: gzip cases")
    body = gzip.compress(GOOD_URLSET) + b"<<garbage>>"
    outcome = bounded(lambda: read_sitemap(body, SITEMAP_URL))
    assert len(outcome.links) == 50


WRONG_FEED_ROOTS = {
    "html": b"<!doctype html><html><body><a href='/2025/12/a/'>a</a></body></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><a href="/2025/12/a/"/></svg>',
    "urlset": urlset("", URL.replace("&i;", "a")).encode(),
    "sitemapindex": f'<sitemapindex xmlns="{NS}"><sitemap><loc>/a.xml</loc></sitemap>'
    "</sitemapindex>".encode(),
    "json": b'{"items": [{"url": "https://navalmonitor.example/2025/12/a/"}]}',
    "plain text": b"https://navalmonitor.example/2025/12/a/\n",
}
WRONG_SITEMAP_ROOTS = {
    "html": b"<html><body><a href='https://navalmonitor.example/a'>a</a></body></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
    "xhtml": b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    "opml": b"<opml><body><outline xmlUrl='https://navalmonitor.example/feed/'/></body></opml>",
    "a url element at the top": b"<url><loc>https://navalmonitor.example/a</loc></url>",
    "json": b'{"urls": ["https://navalmonitor.example/a"]}',
}


@pytest.mark.parametrize("name", sorted(WRONG_FEED_ROOTS))
def test_a_feed_with_the_wrong_root_is_a_clear_error(name: str) -> None:
    tried("hostile XML: wrong roots")
    outcome = bounded(lambda: links_from_feed(WRONG_FEED_ROOTS[name], FEED_URL))
    assert isinstance(outcome, MalformedXmlError), outcome
    assert str(outcome).startswith(f"feed {FEED_URL}: not a readable RSS or Atom feed")


@pytest.mark.parametrize("name", sorted(WRONG_SITEMAP_ROOTS))
def test_a_sitemap_with_the_wrong_root_is_a_clear_error(name: str) -> None:
    tried("hostile XML: wrong roots")
    outcome = bounded(lambda: read_sitemap(WRONG_SITEMAP_ROOTS[name], SITEMAP_URL))
    assert isinstance(outcome, MalformedXmlError), outcome
    assert str(outcome).startswith(f"sitemap {SITEMAP_URL}: ")


def test_deep_nesting_is_read_in_bounded_time() -> None:
    tried("hostile XML: wrong roots")
    inner = "<x>" * 20_000 + "</x>" * 20_000
    assert bounded(lambda: links_from_feed(feed("", inner).encode(), FEED_URL), None) == []
    sitemap = bounded(lambda: read_sitemap(urlset("", inner).encode(), SITEMAP_URL), None)
    assert sitemap.links == ()


DOCTYPES = st.sampled_from([LAUGHS, QUADRATIC, '<!DOCTYPE {root} [<!ENTITY i "lol">]>'])
WRAPPERS = st.sampled_from(["", "<!-- <a> -->", "<?x <a?>", "\n\t ", "<!-- -->\n"])
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-32", "cp500"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doctype=DOCTYPES,
    wrapper=WRAPPERS,
    encoding=ENCODINGS,
    declared=st.booleans(),
    kind=st.sampled_from(["feed", "sitemap"]),
)
def test_spliced_doctypes_never_expand(
    doctype: str, wrapper: str, encoding: str, declared: bool, kind: str
) -> None:
    tried("hostile XML: spliced DOCTYPEs")
    root = "rss" if kind == "feed" else "urlset"
    build = feed if kind == "feed" else urlset
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>' if declared else ""
    body = build(wrapper + doctype.format(root=root), declaration=declaration).encode(encoding)
    outcome = bounded(
        lambda: (
            links_from_feed(body, FEED_URL) if kind == "feed" else read_sitemap(body, SITEMAP_URL)
        )
    )
    assert isinstance(outcome, DiscoveryError) or EXPANDED not in repr(outcome)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32"])
def test_an_encoding_expat_cannot_take_is_a_clear_error(encoding: str) -> None:
    """Named in the declaration without a BOM: expat raised a bare ValueError here."""
    tried("hostile XML: wrong roots")
    body = urlset("", declaration=f'<?xml version="1.0" encoding="{encoding}"?>').encode(encoding)
    outcome = bounded(lambda: read_sitemap(body, SITEMAP_URL))
    assert isinstance(outcome, DiscoveryError), outcome
