"""date_conflicts: a declared time written with the wrong offset, and the value it meant; a
publication stamped after every modification."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from parsers.dates import FoundDate
from parsers.extract.date_conflicts import consistent_instant, published_before_modified

EDT = timezone(timedelta(hours=-4))
TOKYO = ZoneInfo("Asia/Tokyo")


def found(value: datetime) -> FoundDate:
    return FoundDate(value, value.isoformat(), "second")


def test_a_utc_wall_clock_written_with_the_local_offset_yields_to_the_consistent_value() -> None:
    mislabelled = found(datetime(2022, 10, 11, 19, 11, 5, tzinfo=EDT))
    consistent = found(datetime(2022, 10, 11, 15, 11, 5, tzinfo=EDT))
    assert consistent_instant(mislabelled, [mislabelled, consistent], None) is consistent


def test_a_local_wall_clock_written_as_utc_yields_where_the_page_zone_has_the_offset() -> None:
    as_utc = found(datetime(2019, 4, 19, 20, 0, tzinfo=UTC))
    local = found(datetime(2019, 4, 19, 20, 0, tzinfo=TOKYO))
    assert consistent_instant(as_utc, [local], TOKYO) is local


def test_the_same_wall_clock_under_two_offsets_is_kept_without_a_zone_to_decide() -> None:
    as_utc = found(datetime(2019, 4, 19, 20, 0, tzinfo=UTC))
    local = found(datetime(2019, 4, 19, 20, 0, tzinfo=TOKYO))
    assert consistent_instant(as_utc, [local], None) is as_utc
    assert consistent_instant(as_utc, [local], ZoneInfo("Europe/Paris")) is as_utc


def test_a_local_value_is_kept_when_another_gives_its_wall_clock_as_utc() -> None:
    local = found(datetime(2016, 12, 22, 10, 43, 37, tzinfo=timezone(timedelta(hours=-8))))
    as_utc = found(datetime(2016, 12, 22, 10, 43, 37, tzinfo=UTC))
    assert consistent_instant(local, [as_utc], None) is local


def test_unrelated_disagreements_change_nothing() -> None:
    chosen = found(datetime(2025, 3, 1, 9, 0, tzinfo=EDT))
    other = found(datetime(2025, 3, 2, 9, 0, tzinfo=EDT))
    day_only = FoundDate(datetime(2025, 3, 1, tzinfo=UTC), "2025-03-01", "day")
    assert consistent_instant(chosen, [other], ZoneInfo("America/New_York")) is chosen
    assert consistent_instant(day_only, [other], None) is day_only


def test_a_publication_after_every_modification_yields_to_a_declared_earlier_one() -> None:
    rebuilt = found(datetime(2026, 3, 9, 8, 45, tzinfo=UTC))
    article = found(datetime(2021, 2, 16, tzinfo=EDT))
    modified = [found(datetime(2024, 7, 30, tzinfo=EDT)), found(datetime(2026, 1, 15, tzinfo=UTC))]
    assert published_before_modified(rebuilt, [rebuilt, article], modified) is article


def test_a_later_publication_stays_without_an_earlier_one_or_within_a_day() -> None:
    published = found(datetime(2025, 6, 5, 9, 0, tzinfo=UTC))
    draft_saved = [found(datetime(2025, 6, 1, 17, 0, tzinfo=UTC))]
    assert published_before_modified(published, [published], draft_saved) is published
    same_day = [found(datetime(2025, 6, 5, tzinfo=UTC))]
    earlier = found(datetime(2025, 5, 1, tzinfo=UTC))
    assert published_before_modified(published, [published, earlier], same_day) is published
