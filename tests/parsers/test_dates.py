"""parse_date: the fast readers, zones, precision, relative dates and what it refuses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from parsers.dates import FoundDate, epoch_text, parse_date, swapped_day

FETCHED = datetime(2025, 12, 7, 10, 0, tzinfo=UTC)
KOLKATA = ZoneInfo("Asia/Kolkata")
KYIV = ZoneInfo("Europe/Kyiv")
IST = timezone(timedelta(hours=5, minutes=30))


def read(
    text: str, tz: ZoneInfo | None = None, languages: tuple[str, ...] | None = None
) -> FoundDate | None:
    return parse_date(text, tz=tz, languages=languages, fetched_at=FETCHED)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2025-12-06T14:54:07Z", datetime(2025, 12, 6, 14, 54, 7, tzinfo=UTC), "second"),
        ("2025-12-06T14:54:07.123Z", datetime(2025, 12, 6, 14, 54, 7, tzinfo=UTC), "second"),
        ("2025-12-06T14:54:07+05:30", datetime(2025, 12, 6, 14, 54, 7, tzinfo=IST), "second"),
        ("2025-12-06T14:54:07+0530", datetime(2025, 12, 6, 14, 54, 7, tzinfo=IST), "second"),
        ("2025-12-06 14:54:07 +0000", datetime(2025, 12, 6, 14, 54, 7, tzinfo=UTC), "second"),
        ("2025-12-06T14:54-05:00", datetime(2025, 12, 6, 19, 54, tzinfo=UTC), "minute"),
        ("2025-12-06", datetime(2025, 12, 6, tzinfo=UTC), "day"),
    ],
)
def test_iso_8601_variants(text: str, expected: datetime, precision: str) -> None:
    found = read(text)
    assert found is not None
    assert found.value == expected
    assert found.precision == precision
    assert found.raw == text


def test_the_texts_own_offset_wins_over_the_site_zone() -> None:
    found = read("2025-12-06T14:54:00+00:00", tz=KOLKATA)
    assert found is not None
    assert found.value.utcoffset() == timedelta(0)


def test_a_date_without_zone_takes_the_site_zone_else_utc() -> None:
    local = read("2025-12-06 14:54", tz=KOLKATA)
    plain = read("2025-12-06 14:54")
    assert local is not None and plain is not None
    assert local.value == datetime(2025, 12, 6, 14, 54, tzinfo=KOLKATA)
    assert plain.value == datetime(2025, 12, 6, 14, 54, tzinfo=UTC)


def test_published_line_of_an_indian_site_is_read_in_india_time() -> None:
    found = read("Published December 6, 2025 2:54 pm", tz=KOLKATA)
    assert found is not None
    assert found.value == datetime(2025, 12, 6, 14, 54, tzinfo=KOLKATA)
    assert found.value.astimezone(UTC) == datetime(2025, 12, 6, 9, 24, tzinfo=UTC)
    assert found.precision == "minute"
    assert found.raw == "Published December 6, 2025 2:54 pm"


def test_a_day_without_time_is_local_midnight_with_day_precision() -> None:
    found = read("Last Updated December 6, 2025", tz=KOLKATA)
    assert found is not None
    assert found.value == datetime(2025, 12, 6, tzinfo=KOLKATA)
    assert found.precision == "day"


@pytest.mark.parametrize(
    "text",
    ["6 December 2025", "Dec. 6, 2025", "December 6th, 2025", "2025/12/06", "06.12.2025"],
)
def test_common_written_shapes(text: str) -> None:
    found = read(text)
    assert found is not None
    assert found.value == datetime(2025, 12, 6, tzinfo=UTC)
    assert found.precision == "day"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30, 6 December 2025", datetime(2025, 12, 6, 14, 30, tzinfo=UTC)),
        ("December 6, 2025 at 2:54 p.m.", datetime(2025, 12, 6, 14, 54, tzinfo=UTC)),
        ("Dec 6, 2025 9:00 AM EST", datetime(2025, 12, 6, 14, 0, tzinfo=UTC)),
        ("Sat, 06 Dec 2025 09:24 GMT", datetime(2025, 12, 6, 9, 24, tzinfo=UTC)),
        ("Dec 6, 2025 14:30 GMT+5:30", datetime(2025, 12, 6, 9, 0, tzinfo=UTC)),
        ("06.12.2025 14:30", datetime(2025, 12, 6, 14, 30, tzinfo=UTC)),
    ],
)
def test_times_and_zones_printed_next_to_a_date(text: str, expected: datetime) -> None:
    found = read(text)
    assert found is not None
    assert found.value == expected
    assert found.precision == "minute"


def test_seconds_give_second_precision() -> None:
    found = read("2022-06-01 06:00:15 | ID: 67667", tz=KYIV)
    mail = read("Sat, 06 Dec 2025 09:24:00 +0000")
    assert found is not None and mail is not None
    assert found.value == datetime(2022, 6, 1, 6, 0, 15, tzinfo=KYIV)
    assert found.precision == mail.precision == "second"
    assert mail.value == datetime(2025, 12, 6, 9, 24, tzinfo=UTC)


def test_numeric_day_month_order_follows_the_language() -> None:
    us = read("12/06/2025", languages=("en",))
    german = read("12/06/2025", languages=("de",))
    british = read("12/06/2025", languages=("en-GB",))
    assert us is not None and german is not None and british is not None
    assert us.value.date().isoformat() == "2025-12-06"
    assert german.value.date().isoformat() == "2025-06-12"
    assert british.value.date().isoformat() == "2025-06-12"


def test_an_ambiguous_numeric_date_is_not_read_into_the_future() -> None:
    found = read("12/11/2025", languages=("en",))  # December 11th is after the fetch
    assert found is not None
    assert found.value.date().isoformat() == "2025-11-12"


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("6 грудня 2025", ("uk",)),
        ("6 Aralık 2025", ("tr",)),
        ("6 décembre 2025", ("fr",)),
        ("6. Dezember 2025", ("de",)),
        ("2025年12月6日", ("ja",)),
    ],
)
def test_month_names_of_the_page_language(text: str, languages: tuple[str, ...]) -> None:
    found = read(text, languages=languages)
    assert found is not None
    assert found.value == datetime(2025, 12, 6, tzinfo=UTC)
    assert found.precision == "day"


def test_a_time_in_french_and_japanese_shapes() -> None:
    french = read("Publié le 6 décembre 2025 à 14h30", languages=("fr",))
    japanese = read("2025年12月06日 14時30分", languages=("ja",))
    assert french is not None and japanese is not None
    assert french.value == datetime(2025, 12, 6, 14, 30, tzinfo=UTC)
    assert japanese.value == datetime(2025, 12, 6, 14, 30, tzinfo=UTC)


def test_english_relative_dates_count_back_from_the_fetch() -> None:
    hours = read("3 hours ago", tz=KOLKATA)
    yesterday = read("yesterday", tz=KOLKATA)
    assert hours is not None and yesterday is not None
    assert hours.value == FETCHED - timedelta(hours=3)
    assert hours.precision == "minute"
    assert yesterday.value == datetime(2025, 12, 6, tzinfo=KOLKATA)
    assert yesterday.precision == "day"


def test_relative_dates_in_other_languages_go_through_dateparser() -> None:
    french = read("il y a 2 heures", languages=("fr",))
    ukrainian = read("3 години тому", languages=("uk",))
    assert french is not None and ukrainian is not None
    assert french.value == FETCHED - timedelta(hours=2)
    assert ukrainian.value == FETCHED - timedelta(hours=3)
    assert french.precision == "minute"


def test_a_month_alone_is_not_a_day() -> None:
    assert read("December 2025") is None


@pytest.mark.parametrize(
    "text",
    ["1985-06-01", "1899-12-31T00:00:00Z", "2025-12-10", "2031-01-01T00:00:00Z"],
)
def test_absurd_dates_are_refused(text: str) -> None:
    assert read(text) is None


def test_two_days_ahead_of_the_fetch_is_tolerated() -> None:
    assert read("2025-12-08T20:00:00Z") is not None


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello world", "By Jane Doe", "12345", "2025-13-45", "31/31/2025", "x" * 5000],
)
def test_garbage_gives_none(text: str) -> None:
    assert read(text) is None


def test_a_naive_fetch_time_is_taken_as_utc() -> None:
    found = parse_date("2 hours ago", tz=None, languages=None, fetched_at=datetime(2025, 12, 7))
    assert found is not None
    assert found.value == datetime(2025, 12, 6, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-10-29T10:15-500", datetime(2018, 10, 29, 15, 15, tzinfo=UTC)),
        ("22:00, 11 July 2021 BST", datetime(2021, 7, 11, 21, 0, tzinfo=UTC)),
        ("Mon Aug 03 12:45:00 EDT 2015", datetime(2015, 8, 3, 16, 45, tzinfo=UTC)),
        ("Tue May 24 05:55:00 2016", datetime(2016, 5, 24, 5, 55, tzinfo=UTC)),
    ],
)
def test_offsets_and_zones_in_less_common_places(text: str, expected: datetime) -> None:
    found = read(text)
    assert found is not None
    assert found.value == expected


@pytest.mark.parametrize(
    "text",
    ["2025 Dec 6", "Jane Doe 6-Dec-2025", "06.Dec.2025 .", ". 2025 Dec 6;15(1):e33475"],
)
def test_more_written_shapes_without_dateparser(text: str) -> None:
    found = read(text)
    assert found is not None
    assert found.value == datetime(2025, 12, 6, tzinfo=UTC)


def test_the_first_of_two_japanese_dates_is_read() -> None:
    found = read("2025年12月6日 読了時間 3 分 原文(投稿日：2025/11/16)", languages=("ja",))
    assert found is not None
    assert found.value.date().isoformat() == "2025-12-06"


@pytest.mark.parametrize("text", ["Dec 6", "Joined October 2011", "Aug 9, 6:06 PM"])
def test_a_day_without_a_year_is_not_a_date(text: str) -> None:
    assert read(text) is None


def test_the_other_reading_of_an_ambiguous_numeric_date() -> None:
    ambiguous, plain = read("03/10/2025"), read("13/10/2025")
    written = read("October 3, 2025")
    assert ambiguous is not None and plain is not None and written is not None
    assert swapped_day(ambiguous) == date(2025, 10, 3)
    assert swapped_day(plain) is None
    assert swapped_day(written) is None


def test_two_digit_years_in_a_short_text() -> None:
    found = read("Published on 11/25/25", languages=("en-US",))
    assert found is not None
    assert found.value == datetime(2025, 11, 25, tzinfo=UTC)
    assert found.precision == "day"
    german = read("19.07.22", languages=("de",))
    assert german is not None and german.value.date() == date(2022, 7, 19)


def test_two_digit_years_take_the_century_before_the_fetch() -> None:
    found = read("Posted 03/04/98")
    assert found is not None and found.value.date() == date(1998, 3, 4)


def test_two_digit_years_are_not_read_in_longer_texts_or_version_numbers() -> None:
    assert read("Release notes for version v1.2.25 of the client library") is None
    assert read("Upgrade from 1.2.25 to 1.3.0") is None


def test_relative_days_inside_a_sentence_are_not_dates() -> None:
    assert read("As of today, we have pushed 750 billion messages through the queue") is None
    found = read("Posted today")
    assert found is not None and found.relative


def test_relative_dates_say_so_and_absolute_ones_do_not() -> None:
    relative = read("3 hours ago")
    absolute = read("December 6, 2025")
    assert relative is not None and relative.relative
    assert absolute is not None and not absolute.relative


def test_epoch_text_reads_seconds_and_milliseconds() -> None:
    assert epoch_text(1466522845) == "2016-06-21T15:27:25+00:00"
    assert epoch_text(1466522845000) == "2016-06-21T15:27:25+00:00"
