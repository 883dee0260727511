"""`parsers.parse` against the golden pages broken on purpose: it never raises, never fails
a page, keeps every record storable and spends under 2 s of CPU a page (`pages.py`).

tests/parsers/test_api.py holds hand-picked breakage (empty input, random bytes, 20,000
nested divs, NUL, broken JSON-LD, a non-text codec) and fuzzes pages assembled from markup
pieces. This module mutates the real-looking golden pages (tests/fixtures/*/*.html) with
Hypothesis instead: byte flips, truncation anywhere, tags deleted or duplicated, attributes
blown up to megabytes, nesting 10,000 deep, random bytes, wrong declared encodings, NUL
bytes, lone surrogates and NUL escapes in JSON-LD, and enormous JSON-LD (megabytes of text,
nesting 100,000 deep, tens of thousands of objects). Example counts are kept small enough
for the file to run in well under a minute; the tally printed at the end says how many ran.
"""

from __future__ import annotations

import codecs
import json
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import parse
from tests.reliability.pages import FIXTURES, GOLDEN, Golden, parsed

CHEAP = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
COSTLY = settings(CHEAP, max_examples=10)

pages = st.sampled_from(GOLDEN)
fractions = st.integers(0, 1000)  # a position, as thousandths of the page
_TAG = re.compile(rb"<[^<>]{0,300}>")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?[^"'\s/>;]*""", re.IGNORECASE)


def _at(golden: Golden, fraction: int) -> int:
    return len(golden.html) * fraction // 1000


def _in_body(golden: Golden, fraction: int) -> int:
    start = golden.body_start()
    return start + (len(golden.html) - start) * fraction // 1000


def _insert(golden: Golden, position: int, piece: bytes) -> bytes:
    return golden.html[:position] + piece + golden.html[position:]


@CHEAP
@given(golden=pages, flips=st.lists(st.tuples(fractions, st.integers(0, 255)), max_size=64))
def test_byte_flips(golden: Golden, flips: list[tuple[int, int]]) -> None:
    page = bytearray(golden.html)
    for fraction, value in flips:
        page[min(_at(golden, fraction), len(page) - 1)] = value
    parsed(bytes(page), golden, "byte flips")


@CHEAP
@given(golden=pages, cut=st.integers(0, 30_000), as_text=st.booleans())
def test_truncation_anywhere(golden: Golden, cut: int, as_text: bool) -> None:
    page = golden.html[:cut]
    parsed(page.decode("utf-8", errors="ignore") if as_text else page, golden, "truncation")


@CHEAP
@given(
    golden=pages,
    edits=st.lists(st.tuples(fractions, st.integers(0, 40)), min_size=1, max_size=24),
)
def test_tags_deleted_or_duplicated(golden: Golden, edits: list[tuple[int, int]]) -> None:
    """Each edit picks a tag: 0 deletes it, n > 0 repeats it n more times (up to 40)."""
    page = golden.html
    for fraction, copies in edits:
        tags = list(_TAG.finditer(page))
        tag = tags[min(len(tags) - 1, len(tags) * fraction // 1000)]
        page = page[: tag.start()] + tag.group() * copies + page[tag.end() :]
    parsed(page, golden, "tags deleted or duplicated")


BLOWN_UP = {
    "data attribute": lambda n: b' data-x="' + b"a" * n + b'"',
    "class tokens": lambda n: b' class="' + b"entry-content byline " * (n // 21) + b'"',
    "inline style": lambda n: b' style="' + b"color:red;" * (n // 10) + b'"',
    "href": lambda n: b' href="https://example.com/' + b"a/" * (n // 2) + b'"',
    "entities": lambda n: b' title="' + b"&amp;&#x41;&nbsp;" * (n // 17) + b'"',
    "unclosed quote": lambda n: b' alt="' + b"x" * n,
}


@COSTLY
@given(
    golden=pages,
    kind=st.sampled_from(sorted(BLOWN_UP)),
    size=st.integers(256 * 1024, 2 * 1024 * 1024),
    fraction=fractions,
)
def test_attributes_blown_up_to_megabytes(
    golden: Golden, kind: str, size: int, fraction: int
) -> None:
    tags = [tag for tag in _TAG.finditer(golden.html) if not tag.group().startswith(b"</")]
    tag = tags[len(tags) * fraction // 1000 % len(tags)]
    end = tag.end() - (2 if tag.group().endswith(b"/>") else 1)
    parsed(_insert(golden, end, BLOWN_UP[kind](size)), golden, "attributes blown up")


NESTED = ["div", "span", "b", "li", "ul><li", "td", "table><tr><td", "blockquote", "section"]
NESTED += ["article", "p", "a href='/x'", "font", "figure", "dl><dd", "ol><li><p", "em", "i"]


@COSTLY
@given(golden=pages, tag=st.sampled_from(NESTED), depth=st.integers(1000, 10_000), at=fractions)
def test_nesting_ten_thousand_deep(golden: Golden, tag: str, depth: int, at: int) -> None:
    opening = f"<{tag}>".encode() * depth
    parsed(_insert(golden, _in_body(golden, at), opening), golden, "deep nesting")


@CHEAP
@given(
    golden=pages,
    noise=st.binary(min_size=1, max_size=4096),
    at=fractions,
    replace=st.booleans(),
)
def test_random_bytes(golden: Golden, noise: bytes, at: int, replace: bool) -> None:
    position = _at(golden, at)
    end = position + len(noise) if replace else position
    parsed(golden.html[:position] + noise + golden.html[end:], golden, "random bytes")


DECLARED = ["utf-16", "utf-32", "utf-7", "cp037", "cp500", "x-klingon", "base64", "rot13"]
DECLARED += ["hex", "zlib", "idna", "punycode", "unicode-escape", "uu", "shift_jis", ""]
DECLARED += ["iso-2022-jp", "koi8-r", "gb18030", "latin-1", "utf-8 charset=utf-16", "a" * 300]
ACTUAL = ["utf-8", "utf-16", "utf-16-be", "utf-32", "cp1252", "cp500", "koi8-r", "gb18030"]
ACTUAL += ["shift_jis", "utf-7"]
BOMS = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]


@CHEAP
@given(
    golden=pages,
    declared=st.sampled_from(DECLARED),
    actual=st.sampled_from(ACTUAL),
    bom=st.sampled_from(BOMS),
)
def test_wrong_encoding_declared(golden: Golden, declared: str, actual: str, bom: bytes) -> None:
    text = golden.html.decode("utf-8")
    declaration = f"charset={declared}".encode()
    if _CHARSET.search(golden.html):
        text = _CHARSET.sub(lambda _: declaration, golden.html).decode("utf-8")
    else:
        text = text.replace("<head>", f'<head><meta charset="{declared}">', 1)
    parsed(bom + text.encode(actual, errors="replace"), golden, "wrong encodings")


@CHEAP
@given(golden=pages, spots=st.lists(fractions, min_size=1, max_size=200), as_text=st.booleans())
def test_nul_bytes(golden: Golden, spots: list[int], as_text: bool) -> None:
    page = golden.html
    for fraction in sorted(spots, reverse=True):
        position = _at(golden, fraction)
        page = page[:position] + b"\x00" + page[position:]
    text = page.decode("utf-8", errors="ignore")
    parsed(text if as_text else page, golden, "NUL bytes")


JSONLD_FIELDS = ["headline", "description", "articleSection", "keywords", "datePublished"]
# Written into the JSON text as they are: escapes that decode to lone surrogates or NUL.
ESCAPES = ["\\ud800", "\\udfff", "\\udc00\\ud800", "\\ud83d", "\\u0000", "\\\\ud800"]


def _jsonld(golden: Golden, data: str) -> bytes:
    script = f'<script type="application/ld+json">{data}</script>'.encode()
    head = golden.html.find(b"</head>")
    return _insert(golden, head if head >= 0 else 0, script)


def _json_text(part: str) -> str:
    """An escape from ESCAPES as it is; any other text JSON-escaped."""
    return part if part in ESCAPES else json.dumps(part)[1:-1]


@CHEAP
@given(
    golden=pages,
    values=st.dictionaries(
        st.sampled_from(JSONLD_FIELDS),
        st.lists(st.one_of(st.sampled_from(ESCAPES), st.text(max_size=8)), max_size=6),
        min_size=1,
    ),
)
def test_lone_surrogates_and_nul_escapes_in_jsonld(
    golden: Golden, values: dict[str, list[str]]
) -> None:
    fields = [f'"{name}": "{"".join(map(_json_text, parts))}"' for name, parts in values.items()]
    author = '"author": {"@type": "Person", "name": "Ana\\ud800 Silva\\u0000"}'
    data = "{" + ", ".join(['"@type": "NewsArticle"', *fields, author]) + "}"
    parsed(_jsonld(golden, data), golden, "surrogates and NULs in JSON-LD")


ENORMOUS = {
    "megabytes of text": lambda n: json.dumps({"@type": "NewsArticle", "articleBody": "x " * n}),
    "deep arrays": lambda n: "[" * (n // 10) + "]" * (n // 10),
    "deep objects": lambda n: '{"a":' * (n // 20) + "1" + "}" * (n // 20),
    "many articles": lambda n: json.dumps(
        [{"@type": "NewsArticle", "headline": f"h{i}"} for i in range(n // 100)]
    ),
    "wide graph": lambda n: json.dumps(
        {"@graph": [{"@type": "Person", "name": f"p{i}"} for i in range(n // 100)]}
    ),
    "nested mainEntity": lambda n: (
        '{"@type": "WebPage", "mainEntity": ' * (n // 40) + "{}" + "}" * (n // 40)
    ),
}


@COSTLY
@given(
    golden=pages,
    shape=st.sampled_from(sorted(ENORMOUS)),
    size=st.integers(100_000, 2_000_000),
)
def test_enormous_jsonld(golden: Golden, shape: str, size: int) -> None:
    parsed(_jsonld(golden, ENORMOUS[shape](size)), golden, "enormous JSON-LD")


def test_jsonld_escapes_become_storable_text() -> None:
    golden = GOLDEN[0]
    data = '{"@type": "NewsArticle", "headline": "Frigate\\ud800 floats\\u0000 out \\ud83d\\ude80"}'
    page = f'<html><head><script type="application/ld+json">{data}</script></head><body></body>'
    record = parsed(page, golden, "surrogates and NULs in JSON-LD")
    assert record.headline == "Frigate\ufffd floats out \U0001f680"


def test_jsonld_nested_past_the_decoder_limit_costs_only_that_block() -> None:
    golden = next(page for page in GOLDEN if page.name.startswith("navalmonitor"))
    expected = json.loads((FIXTURES / f"{golden.name}.json").read_text(encoding="utf-8"))
    record = parsed(_jsonld(golden, "[" * 100_000), golden, "enormous JSON-LD")
    assert record.headline == expected["expected"]["headline"]
    assert "jsonld: unreadable block skipped" in record.warnings


# The wrappers that cost 20 s to 2 minutes of CPU each before paragraph voting was bounded.
WRAPPERS = ["ul><li", "table><tr><td", "blockquote", "ol><li><p"]


@pytest.mark.parametrize("tag", WRAPPERS)
def test_ten_thousand_unclosed_wrappers_keep_the_article(tag: str) -> None:
    """Every wrapper holds the rest of the page: voting on each one's text was quadratic."""
    golden = next(page for page in GOLDEN if page.name.startswith("navalmonitor"))
    expected = json.loads((FIXTURES / f"{golden.name}.json").read_text(encoding="utf-8"))
    page = _insert(golden, golden.body_start(), f"<{tag}>".encode() * 10_000)
    record = parsed(page, golden, "deep nesting")
    assert record.body[:3] == tuple(expected["expected"]["body"][:3])


def _cpu_seconds(page: str) -> float:
    started = time.thread_time()
    parse(page, "https://example.com/2025/12/page")
    return time.thread_time() - started


GROWING = {
    "nested divs": lambda n: "<html><body>" + "<div>" * n + "<p>text</p></body></html>",
    "attributes on one tag": lambda n: (
        "<html><body><p " + " ".join(f"a{i}=v" for i in range(n)) + ">text</p></body></html>"
    ),
}


@pytest.mark.parametrize("shape", sorted(GROWING))
def test_parse_time_grows_linearly_with_the_page(shape: str) -> None:
    small, large = (_cpu_seconds(GROWING[shape](n)) for n in (8_000, 16_000))
    assert large < 3 * small, f"twice the size cost {large / small:.1f} times the CPU"
