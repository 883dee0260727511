"""The zone a page most likely prints its local times in, when neither it nor the site says.

A printed "7:08 pm" or a bare "2019/04/04" is local time, and reading it as UTC puts the
instant hours off (a day off at midnight). The last resort is a guess from where the page
is published: its country-code domain, else its language's region, else its language. The
guess is only used when the site config gives no zone and the page states no offset of its
own (both always win), and only for countries or languages with one dominant zone.

English pages on generic domains get a guess for printed clocks only ("7:08 pm" in a byline):
a reader's clock is local time, read as UTC it is hours off wherever the site is, and the
United States publish most such pages. Machine-written values without an offset
("2016-11-29T03:33:08") keep no guess: those are as often the server's UTC clock (measured:
guessing New York for them costs more pages than it wins).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

# Country (ISO 3166 / ccTLD) -> the zone most of its publishers print in.
COUNTRY_ZONES = {
    "us": "America/New_York", "ca": "America/Toronto", "mx": "America/Mexico_City",
    "br": "America/Sao_Paulo", "ar": "America/Argentina/Buenos_Aires", "cl": "America/Santiago",
    "uk": "Europe/London", "gb": "Europe/London", "ie": "Europe/Dublin", "pt": "Europe/Lisbon",
    "es": "Europe/Madrid", "fr": "Europe/Paris", "be": "Europe/Brussels", "nl": "Europe/Amsterdam",
    "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "it": "Europe/Rome",
    "dk": "Europe/Copenhagen", "se": "Europe/Stockholm", "no": "Europe/Oslo",
    "fi": "Europe/Helsinki", "pl": "Europe/Warsaw", "cz": "Europe/Prague",
    "sk": "Europe/Bratislava", "hu": "Europe/Budapest", "ro": "Europe/Bucharest",
    "bg": "Europe/Sofia", "gr": "Europe/Athens", "ua": "Europe/Kyiv", "ru": "Europe/Moscow",
    "by": "Europe/Minsk", "lt": "Europe/Vilnius", "lv": "Europe/Riga", "ee": "Europe/Tallinn",
    "tr": "Europe/Istanbul", "il": "Asia/Jerusalem", "ir": "Asia/Tehran", "pk": "Asia/Karachi",
    "in": "Asia/Kolkata", "bd": "Asia/Dhaka", "th": "Asia/Bangkok", "vn": "Asia/Ho_Chi_Minh",
    "id": "Asia/Jakarta", "my": "Asia/Kuala_Lumpur", "sg": "Asia/Singapore", "ph": "Asia/Manila",
    "cn": "Asia/Shanghai", "hk": "Asia/Hong_Kong", "tw": "Asia/Taipei", "kr": "Asia/Seoul",
    "jp": "Asia/Tokyo", "au": "Australia/Sydney", "nz": "Pacific/Auckland",
    "za": "Africa/Johannesburg", "ng": "Africa/Lagos", "ke": "Africa/Nairobi",
    "eg": "Africa/Cairo",
}  # fmt: skip
# Language (no region given) -> the zone of the country most of its pages come from. English
# has none: its pages come from every continent (measured: guessing New York costs more
# pages than it wins).
LANGUAGE_ZONES = {
    "ja": "Asia/Tokyo", "zh": "Asia/Shanghai", "ko": "Asia/Seoul",
    "de": "Europe/Berlin", "fr": "Europe/Paris", "it": "Europe/Rome", "nl": "Europe/Amsterdam",
    "pl": "Europe/Warsaw", "uk": "Europe/Kyiv", "ru": "Europe/Moscow", "tr": "Europe/Istanbul",
    "cs": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest",
    "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "el": "Europe/Athens",
    "da": "Europe/Copenhagen",
    "sv": "Europe/Stockholm", "nb": "Europe/Oslo", "no": "Europe/Oslo", "fi": "Europe/Helsinki",
    "he": "Asia/Jerusalem", "fa": "Asia/Tehran", "hi": "Asia/Kolkata", "th": "Asia/Bangkok",
    "vi": "Asia/Ho_Chi_Minh", "id": "Asia/Jakarta", "es": "Europe/Madrid", "pt": "Europe/Lisbon",
}  # fmt: skip
# The zone printed clocks of English pages on generic domains are most likely in.
ENGLISH_PRINTED_ZONE = "America/New_York"


def likely_zone(host: str, language: str | None) -> ZoneInfo | None:
    """The zone of the page's country-code domain, else of its language (region first)."""
    return _zone(_country_of_host(host.lower()), (language or "").lower().replace("_", "-"))


def zone_of_offset(value: datetime, host: str, language: str | None) -> tzinfo:
    """The zone of an offset a page states: its likely zone when that has the offset at that
    instant (it knows summer time), else the fixed offset itself."""
    likely = likely_zone(host, language)
    if likely is not None and value.astimezone(likely).utcoffset() == value.utcoffset():
        return likely
    return timezone(value.utcoffset() or timedelta(0))


def likely_printed_zone(host: str, language: str | None) -> ZoneInfo | None:
    """The zone a printed clock is read in: the likely zone, else for an English page on a
    generic domain, the United States' most used zone."""
    zone = likely_zone(host, language)
    if zone is not None or not _is_generic(host.lower()):
        return zone
    code = (language or "").lower().replace("_", "-").partition("-")[0]
    return ZoneInfo(ENGLISH_PRINTED_ZONE) if code == "en" else None


@lru_cache(maxsize=256)
def _zone(country: str | None, language: str) -> ZoneInfo | None:
    code, _, region = language.partition("-")
    name = (
        COUNTRY_ZONES.get(country or "")
        or COUNTRY_ZONES.get(region[:2] if len(region) >= 2 else "")
        or LANGUAGE_ZONES.get(code)
    )
    return ZoneInfo(name) if name else None


def _is_generic(host: str) -> bool:
    """.com, .org, .net, .news: no country; two letters are a country's, even unlisted."""
    suffix = host.rstrip(".").rpartition(".")[2]
    return len(suffix) > 2 and suffix.isalpha()


def _country_of_host(host: str) -> str | None:
    """ "www.lemonde.fr" -> "fr"; generic and vanity domains (.com, .io, .tv) say nothing."""
    suffix = host.rstrip(".").rpartition(".")[2]
    return suffix if len(suffix) == 2 and suffix in COUNTRY_ZONES else None
