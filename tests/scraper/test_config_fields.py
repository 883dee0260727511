"""Typed reads from YAML: durations, sizes, URLs, and what safe_load would silently accept."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from scraper.config_fields import (
    MAX_CONFIG_BYTES,
    Document,
    Fields,
    shown_url,
    url_problem,
    where,
)
from scraper.exceptions import ConfigError

KEYS = frozenset({"value", "other"})


def _fields(tmp_path: Path, text: str) -> Fields:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    doc = Document(path)
    return Fields(doc, (), doc.root, KEYS)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("5m", 300), ("1h", 3600), ("2d", 172800), ("1w", 604800),
     ("1h30m", 5400), ("500ms", 0.5), ("1.5h", 5400), ("1h 30m", 5400), ("2H", 7200)],
)  # fmt: skip
def test_durations(tmp_path: Path, text: str, seconds: float) -> None:
    fields = _fields(tmp_path, f"value: '{text}'\n")
    assert fields.duration("value", fields.raw("value")) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["1 hour", "h", "1h-", "-1h", "soon", "1x", "0s", ""])
def test_bad_durations(tmp_path: Path, text: str) -> None:
    fields = _fields(tmp_path, f"value: '{text}'\n")
    with pytest.raises(ConfigError, match=r"c\.yaml:1: key value: "):
        fields.duration("value", fields.raw("value"))


def test_seconds_take_numbers_or_durations(tmp_path: Path) -> None:
    fields = _fields(tmp_path, "value: 2.5\nother: 1m\n")
    assert fields.seconds("value", 0.0) == 2.5
    assert fields.seconds("other", 0.0) == 60.0
    assert fields.seconds("missing", 7.0) == 7.0


def test_seconds_refuse_negative_and_booleans(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="must be at least 0 seconds"):
        _fields(tmp_path, "value: -1\n").seconds("value", 0.0)
    with pytest.raises(ConfigError, match="got a boolean"):
        _fields(tmp_path, "value: true\n").seconds("value", 0.0)


@pytest.mark.parametrize(
    ("value", "size"),
    [("1024", 1024), ("'10MB'", 10 * 2**20), ("'1.5 KB'", 1536), ("'2gb'", 2 * 2**30)],
)
def test_sizes(tmp_path: Path, value: str, size: int) -> None:
    assert _fields(tmp_path, f"value: {value}\n").size("value", 0) == size


@pytest.mark.parametrize("value", ["0", "-5", "'10 megabytes'", "true", "'MB'"])
def test_bad_sizes(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="bad size"):
        _fields(tmp_path, f"value: {value}\n").size("value", 0)


def test_integers_refuse_booleans_and_floats(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="expected a whole number, got a boolean"):
        _fields(tmp_path, "value: yes\n").integer("value", 1, minimum=0)
    with pytest.raises(ConfigError, match="expected a whole number, got a number"):
        _fields(tmp_path, "value: 1.5\n").integer("value", 1, minimum=0)


def test_a_lone_text_counts_as_a_list_of_one(tmp_path: Path) -> None:
    fields = _fields(tmp_path, "value: https://example.com/feed/\n")
    assert fields.urls("value") == ("https://example.com/feed/",)


def test_a_url_listed_twice_is_refused(tmp_path: Path) -> None:
    fields = _fields(tmp_path, "value:\n  - https://a.org/\n  - https://a.org/\n")
    with pytest.raises(ConfigError, match=r"c\.yaml:3: key value\[1\]: listed twice"):
        fields.urls("value")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.com/feed/", None),
        ("http://127.0.0.1:8080/feed", None),
        ("javascript:alert(1)", "not an http(s) URL"),
        ("file:///etc/passwd", "not an http(s) URL"),
        ("data:text/html,hi", "not an http(s) URL"),
        ("https:///path", "URL has no host"),
        ("https://user:pw@example.com/", "URL carries credentials"),
        ("https://example.com:99999/", "not a valid URL"),
        ("https://example.com/a b", "white space"),
        ("https://example.com/" + "a" * 3000, "longer than"),
    ],
)
def test_url_problems(url: str, problem: str | None) -> None:
    found = url_problem(url)
    assert found is None if problem is None else problem in (found or ""), found


def test_shown_url_leaves_out_credentials() -> None:
    assert shown_url("https://user:pw@example.com/x?a=1") == "https://example.com/x?a=1"
    assert shown_url("https://example.com/x") == "https://example.com/x"


def test_where_names_site_and_key() -> None:
    assert where(("sites", "janes.com", "sections", 0, "url")) == (
        "site janes.com, key sections[0].url"
    )
    assert where(("sites", "janes.com")) == "site janes.com"
    assert where(("settings", "timeouts", "read")) == "key settings.timeouts.read"
    assert where(()) == "top level"


def test_an_empty_file_is_an_empty_mapping(tmp_path: Path) -> None:
    assert _fields(tmp_path, "# nothing yet\n").values == {}


def test_keys_must_be_text(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"c\.yaml:2: top level: keys must be text, got '2024'"):
        _fields(tmp_path, "value: 1\n2024: x\n")


def test_the_line_of_a_nested_duplicate_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"c\.yaml:4: key value\.a: given twice"):
        _fields(tmp_path, "value:\n  a: 1\n  b: 2\n  a: 3\n")


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"key valeu: unknown key \(did you mean 'value'\?\)"):
        _fields(tmp_path, "valeu: 1\n")
    with pytest.raises(ConfigError, match=r"unknown key \(known keys: other, value\)"):
        _fields(tmp_path, "zzz: 1\n")


def test_an_alias_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [*a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}]" for n in range(1, 30)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(
        ConfigError,
        match=r"bomb\.yaml:2: aliases \(\*name\) are not supported; repeat the value instead$",
    ):
        Document(path)


def test_files_that_are_not_utf8_text_or_too_large(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: Défense\n".encode("latin-1"))
    with pytest.raises(ConfigError, match=r"latin\.yaml: not UTF-8 text$"):
        Document(latin)
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"#" * (MAX_CONFIG_BYTES + 1))
    with pytest.raises(ConfigError, match=r"huge\.yaml: larger than 2 MB$"):
        Document(huge)
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(ConfigError, match=r"folder: cannot read \(Is a directory\)$"):
        Document(folder)
