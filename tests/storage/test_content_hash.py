"""The content hash moves with the words a newsroom writes and with nothing else."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.record import ArticleRecord, Image, ParserInfo
from storage.content_hash import NOISE, _folded, content_hash, normalize_text

RECORD = ArticleRecord(
    url="https://rnamedia.in/turkey-drone/",
    canonical_url="https://rnamedia.in/turkey-drone/",
    site="rnamedia.in",
    page_type="article",
    headline="Turkey Eyes Drone Facility In Pakistan",
    standfirst="The planned facility is part of Ankara's push.",
    authors=("RNA Desk",),
    published_at=datetime(2025, 12, 6, 9, 24, tzinfo=UTC),
    updated_at=datetime(2025, 12, 5, 18, 30, tzinfo=UTC),
    section="Defence Industry",
    tags=("Turkey",),
    body=('Turkey is planning a "combat drone" plant.', "Talks advanced since October."),
    images=(Image("https://rnamedia.in/a.webp", "Drones on display.", "Image courtesy: X"),),
)
HASH = content_hash(RECORD)


def _body(*paragraphs: str) -> ArticleRecord:
    return replace(RECORD, body=paragraphs)


@pytest.mark.parametrize(
    "body",
    [
        ('Turkey  is planning a "combat drone" plant.', "Talks advanced since October."),
        ("Turkey is planning a “combat drone” plant.", "Talks advanced since October."),
        ("Turkey is planning a «combat drone» plant.", "Talks advanced since October. "),
        ('Turkey is\u00a0planning a "combat\u200b drone" plant.', "Talks advanced since October."),
        ('Turkey is plan\u00adning a "combat drone" plant.\ufeff', "Talks advanced since October."),
        ('Turkey is planning a "combat drone" plant.\nTalks advanced since October.',),
        (
            "5 hours ago",
            'Turkey is planning a "combat drone" plant.',
            "Talks advanced since October.",
        ),
        (
            'Turkey is planning a "combat drone" plant.',
            "Talks advanced since October.",
            "1,234 views",
        ),
        ('Turkey is planning a "combat drone" plant. Views: 12K', "Talks advanced since October."),
    ],
    ids=[
        "double-space",
        "curly-quotes",
        "guillemets-and-trailing-space",
        "nbsp-and-zero-width",
        "soft-hyphen-and-bom",
        "paragraphs-joined",
        "relative-time",
        "view-count",
        "views-label",
    ],
)
def test_cosmetic_noise_leaves_the_hash_alone(body: tuple[str, ...]) -> None:
    assert content_hash(_body(*body)) == HASH


@pytest.mark.parametrize(
    "noisy",
    [
        "an hour ago",
        "just now",
        "3 days ago",
        "il y a 3 heures",
        "vor 2 Tagen",
        "3 saat önce",
        "2 години тому",
        "5 часов назад",
        "1.2k views",
        "1 234 vues",
        "👁 1234",
        "17 comments",
    ],
)
def test_relative_times_and_counters_in_several_languages_are_dropped(noisy: str) -> None:
    assert normalize_text(f"Updated {noisy} | text") == "Updated | text"


@pytest.mark.parametrize(
    "text",
    ["The 2 million views", "In 2024 the fleet grew", "5 hours later the ship sailed"],
)
def test_numbers_that_are_news_are_kept(text: str) -> None:
    assert normalize_text(text) == text


@pytest.mark.parametrize(
    "changed",
    [
        replace(RECORD, headline="Turkey Builds Drone Facility In Pakistan"),
        replace(RECORD, standfirst="The planned facility is part of Ankara's drive."),
        replace(RECORD, authors=("Jane Doe",)),
        replace(RECORD, authors=("RNA Desk", "Jane Doe")),
        _body('Turkey is planning a "combat drone" plant.', "Talks advanced since November."),
        _body('Turkey is planning a "combat drone" plant.'),
        replace(RECORD, images=(Image("https://rnamedia.in/a.webp", "Drones at a show."),)),
    ],
    ids=["headline", "standfirst", "author", "second-author", "body-word", "paragraph", "caption"],
)
def test_a_changed_word_changes_the_hash(changed: ArticleRecord) -> None:
    assert content_hash(changed) != HASH


@pytest.mark.parametrize(
    "unchanged",
    [
        replace(RECORD, updated_at=datetime(2025, 12, 9, tzinfo=UTC), updated_raw="Dec 9"),
        replace(RECORD, published_at=None, published_raw="Published December 6, 2025"),
        replace(RECORD, section="News", tags=("Pakistan",), language="en"),
        replace(RECORD, url="https://www.rnamedia.in/?p=1", parser=ParserInfo("generic", "9")),
        replace(RECORD, images=(Image("https://cdn.example/a-800.webp", "Drones on display."),)),
        replace(RECORD, warnings=("no tags",)),
    ],
    ids=[
        "updated-date",
        "published-date",
        "section-tags-language",
        "url-parser",
        "image-url",
        "warnings",
    ],
)
def test_dates_urls_and_chrome_are_not_content(unchanged: ArticleRecord) -> None:
    assert content_hash(unchanged) == HASH


def test_text_does_not_leak_between_fields() -> None:
    moved = replace(RECORD, headline=None, standfirst=RECORD.headline)
    assert content_hash(moved) != HASH


INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"])
SPACES = st.text(alphabet=" \u00a0\u2009\u202f\n\t", min_size=1, max_size=3)


@given(st.lists(st.tuples(st.integers(min_value=0), INVISIBLE), max_size=12))
def test_invisible_characters_anywhere_never_change_the_hash(
    insertions: list[tuple[int, str]],
) -> None:
    text = RECORD.body[1]
    for position, invisible in insertions:
        at = position % (len(text) + 1)
        text = text[:at] + invisible + text[at:]
    assert content_hash(_body(RECORD.body[0], text)) == HASH


@given(st.lists(SPACES, min_size=3, max_size=3), SPACES, SPACES)
def test_any_white_space_between_words_gives_the_same_hash(
    gaps: list[str], before: str, after: str
) -> None:
    words = RECORD.body[1].split(" ")
    text = before + "".join(word + gap for word, gap in zip(words, [*gaps, after], strict=True))
    assert content_hash(_body(RECORD.body[0], text)) == HASH


def test_hashes_stored_by_earlier_releases_stay_valid() -> None:
    """A new normalization would make every archived article look edited on its next fetch."""
    assert HASH == "c5b2ee18c2c67921b6c2acbadafab6428f3c80f29f74e7aed29ad634e6ca42e8"


def _plainly_normalized(text: str) -> str:
    """`normalize_text` by its definition: each noise pattern whose cue the text has, run over
    the whole text; then white space folded (no shortcuts)."""
    folded = _folded(text)
    lowered = folded.lower()
    for cues, _confirm, pattern in NOISE:
        if any(cue in lowered for cue in cues):
            folded = pattern.sub(" ", folded)
    return re.sub(r"\s+", " ", folded).strip()


_NUMBERS = st.sampled_from(
    ["5", "12", "1,234", "1 234", "1.2", "3.5", "١٢", "an", "a", "one", "bir"]
)
_GAPS = st.sampled_from(["", " ", "  ", "\n", "\t", "\u00a0", "\u202f", "\u2003", "\x1f"])
_SUFFIXES = st.sampled_from(["", "K", "k", "m", "M", "+", "K+", "\u212a"])
_COUNTED = st.sampled_from(
    [
        *("views", "View", "READS", "shares", "comments", "vues", "lectures", "görüntülenme"),
        *("переглядів", "просмотров", "vıews", "read", "spread", "shared"),
    ]
)
_UNITS = st.sampled_from(
    ["hours", "hour", "days", "min", "year", "heures", "Tagen", "saat", "години", "часов"]
)
_CUES = st.sampled_from(["ago", "AGO", "önce", "тому", "назад", "il y a", "vor", "Pentagon"])
# Other text, with the characters regex case folding treats as other letters (dotless i,
# long s, Kelvin sign) and cues inside longer words.
_WORDS = st.sampled_from(
    [
        *("just now", "Just Now", "known", "moment", "moments ago", "already", "👁", "\ufe0f"),
        *("ı", "İ", "ſ", "’", "“", "—", "…", "\u200b", "\u00ad", "x", ":", ".", "-", "10:30"),
    ]
)
# Phrases the noise patterns look for ("12K views", "Views: 1,234", "5 hours ago", ...),
# with every part drawn from near misses too, and other words.
_PHRASES = st.one_of(
    st.tuples(_NUMBERS, _GAPS, _SUFFIXES, _GAPS, _COUNTED),
    st.tuples(_COUNTED, _GAPS, st.sampled_from([":", "", ": "]), _GAPS, _NUMBERS, _SUFFIXES),
    st.tuples(_NUMBERS, _GAPS, _UNITS, _GAPS, _CUES),
    st.tuples(_CUES, _GAPS, _NUMBERS, _GAPS, _UNITS),
    st.tuples(_WORDS),
)


@settings(max_examples=500)
@given(st.lists(st.tuples(_PHRASES.map("".join), _GAPS), max_size=8))
def test_the_fast_normalization_is_the_plain_one(parts: list[tuple[str, str]]) -> None:
    text = "".join(phrase + gap for phrase, gap in parts)
    assert normalize_text(text) == _plainly_normalized(text)
