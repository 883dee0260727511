"""The content hash moves with the words a newsroom writes and with nothing else."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.record import ArticleRecord, Image, ParserInfo
from storage.content_hash import content_hash, normalize_text

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
