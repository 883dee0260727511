"""The record: frozen, hashable, and JSON-ready through `to_dict()`."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from parsers import ArticleRecord, Image, ParserInfo

IST = timezone(timedelta(hours=5, minutes=30))


def _record() -> ArticleRecord:
    return ArticleRecord(
        url="https://www.example.com/news/navy-buys-frigates?utm_source=x",
        canonical_url="https://www.example.com/news/navy-buys-frigates",
        site="example.com",
        page_type="article",
        headline="Navy buys six frigates",
        standfirst="The deal ends a decade-long competition.",
        authors=("Jane Doe", "RNA Desk"),
        published_at=datetime(2025, 12, 6, 14, 54, tzinfo=IST),
        published_raw="December 6, 2025 2:54 pm",
        published_precision="minute",
        updated_at=datetime(2025, 12, 6, tzinfo=UTC),
        updated_raw="December 6, 2025",
        updated_precision="day",
        section="Defence Industry",
        tags=("Navy", "Frigates"),
        language="en",
        body=("First paragraph.", "A sub-heading", "Second paragraph."),
        images=(Image("https://example.com/a.jpg", "A frigate.", "Navy", "frigate"),),
        parser=ParserInfo("generic", "1"),
        warnings=("authors: guessed",),
    )


def test_record_is_frozen() -> None:
    record = _record()
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.headline = "Changed"  # type: ignore[misc]


def test_record_takes_no_unknown_attributes() -> None:
    record = _record()
    with pytest.raises((AttributeError, TypeError)):
        record.extra = 1  # type: ignore[attr-defined]


def test_image_and_parser_info_are_frozen() -> None:
    image = Image("https://example.com/a.jpg")
    with pytest.raises(dataclasses.FrozenInstanceError):
        image.caption = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ParserInfo("generic", "1").version = "2"  # type: ignore[misc]


def test_equal_records_hash_alike() -> None:
    assert _record() == _record()
    assert hash(_record()) == hash(_record())
    assert len({_record(), dataclasses.replace(_record(), headline="Other")}) == 2


def test_text_joins_the_body_with_blank_lines() -> None:
    assert _record().text == "First paragraph.\n\nA sub-heading\n\nSecond paragraph."


def test_text_of_an_empty_body_is_empty() -> None:
    record = ArticleRecord(
        url="https://example.com/", canonical_url="https://example.com/", site=""
    )
    assert record.text == ""


def test_defaults_describe_an_empty_page() -> None:
    record = ArticleRecord(url="u", canonical_url="u", site="s")
    assert record.page_type == "other"
    assert record.authors == () and record.body == () and record.warnings == ()
    assert record.parser == ParserInfo("generic", "0")


def test_to_dict_round_trips_through_json() -> None:
    data = _record().to_dict()
    assert json.loads(json.dumps(data)) == data


def test_to_dict_writes_dates_as_iso_8601_with_their_offset() -> None:
    data = _record().to_dict()
    assert data["published_at"] == "2025-12-06T14:54:00+05:30"
    assert data["updated_at"] == "2025-12-06T00:00:00+00:00"
    assert datetime.fromisoformat(data["published_at"]) == _record().published_at


def test_to_dict_keeps_raw_dates_and_precision_beside_the_values() -> None:
    data = _record().to_dict()
    assert data["published_raw"] == "December 6, 2025 2:54 pm"
    assert data["published_precision"] == "minute"
    assert data["updated_precision"] == "day"


def test_to_dict_turns_tuples_into_lists_and_nested_records_into_dicts() -> None:
    data = _record().to_dict()
    assert data["authors"] == ["Jane Doe", "RNA Desk"]
    assert data["tags"] == ["Navy", "Frigates"]
    assert data["body"] == ["First paragraph.", "A sub-heading", "Second paragraph."]
    assert data["warnings"] == ["authors: guessed"]
    assert data["images"] == [
        {
            "url": "https://example.com/a.jpg",
            "caption": "A frigate.",
            "credit": "Navy",
            "alt": "frigate",
        }
    ]
    assert data["parser"] == {"name": "generic", "version": "1"}


def test_to_dict_names_every_field_of_the_record() -> None:
    fields = {field.name for field in dataclasses.fields(ArticleRecord)}
    assert set(_record().to_dict()) == fields


def test_to_dict_of_missing_dates_is_null() -> None:
    data = ArticleRecord(url="u", canonical_url="u", site="s").to_dict()
    assert data["published_at"] is None
    assert data["updated_at"] is None
    assert json.dumps(data)


def test_parser_info_prints_as_name_slash_version() -> None:
    assert str(ParserInfo("rnamedia", "3")) == "rnamedia/3"


def test_record_round_trips_through_its_dict() -> None:
    from parsers import parse, record_from_dict

    html = (
        "<html><head><title>T</title></head><body><article><h1>A headline here</h1>"
        "<time datetime='2025-01-02T03:04:05+01:00'>2 Jan</time>"
        "<p>" + "Body sentence of a real article. " * 20 + "</p>"
        "<figure><img src='/a.jpg'><figcaption>Cap. Photo: Someone</figcaption></figure>"
        "</article></body></html>"
    )
    record = parse(html, "https://example.com/a")
    assert record_from_dict(record.to_dict()) == record


def test_fields_found_lists_only_non_empty_fields() -> None:
    from parsers import ArticleRecord

    record = ArticleRecord(url="u", canonical_url="u", site="s", headline="H", body=("p",))
    assert record.fields_found() == ("headline", "body")
