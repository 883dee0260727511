"""likely_zone: the zone guessed from a page's domain and language, or none."""

from __future__ import annotations

import pytest

from parsers.extract.date_zones import likely_printed_zone, likely_zone


@pytest.mark.parametrize(
    ("host", "language", "zone"),
    [
        ("www.lemonde.fr", None, "Europe/Paris"),
        ("news.example.co.uk", "en-US", "Europe/London"),  # the domain says more than the tag
        ("news.example.com", "en-GB", "Europe/London"),
        ("news.example.com", "ja", "Asia/Tokyo"),
        ("news.example.com", "pt_BR", "America/Sao_Paulo"),
        ("news.example.com", "de-DE", "Europe/Berlin"),
    ],
)
def test_domain_then_region_then_language(host: str, language: str | None, zone: str) -> None:
    found = likely_zone(host, language)
    assert found is not None
    assert found.key == zone


@pytest.mark.parametrize(
    ("host", "language"),
    [("news.example.com", "en"), ("startup.io", None), ("news.example.com", None), ("", "xx")],
)
def test_no_guess_without_a_telling_domain_or_language(host: str, language: str | None) -> None:
    assert likely_zone(host, language) is None


@pytest.mark.parametrize(
    ("host", "language", "zone"),
    [
        ("news.example.com", "en", "America/New_York"),  # English on a generic domain
        ("news.example.com", "en-GB", "Europe/London"),  # the region says more
        ("www.lemonde.fr", "en", "Europe/Paris"),  # the country domain says more
        ("startup.io", "en", None),  # two letters: a country's domain, even a vanity one
        ("news.example.com", None, None),
        ("news.example.com", "sw", None),
    ],
)
def test_printed_clocks_of_english_pages_on_generic_domains(
    host: str, language: str | None, zone: str | None
) -> None:
    found = likely_printed_zone(host, language)
    assert (found.key if found is not None else None) == zone
