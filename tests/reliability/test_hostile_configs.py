"""Bad schedules.yaml through `newsarchive config check`: every field given every kind of
wrong value (wrong types, negatives, huge numbers, NaN and infinity, NUL, bad URLs and time
zones), unknown keys at every level, missing required keys and URLs, broken YAML. Each ends
in exit code 2 and one line naming the file, the line and the field; never a traceback.

tests/scraper/test_config.py holds a table of 34 hand-written bad configs checked through
`load_config`, test_config_fields.py the typed readers, and test_cli_config.py four through
the command. This module generates the cases from a table of fields and value classes
(several hundred), and lets Hypothesis cut, repeat and swap lines of the shipped file.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.cli import main
from scraper.settings import CONFIG_ENV, DATABASE_ENV
from tests.reliability.tally import tried

SHIPPED = Path(__file__).resolve().parents[2] / "schedules.yaml"
SITE_LINES = [
    "sites:",
    "  example.com:",
    "    parser: generic",
    "    timezone: Europe/Paris",
    "    language: fr",
    "    feeds: [https://example.com/feed/]",
]
LONG_URL = "'https://example.com/" + "a" * 3000 + "'"

WRONG = {
    "count": ["-1", "1.5", "true", "five", "[1]", "{a: 1}", "1" + "0" * 30, ".nan", "''"],
    "seconds": ["-1", "-0.5", "-1s", ".nan", ".inf", "-.inf", "two seconds", "true", "[1]"],
    "duration": ["60", "-1h", "0s", "true", "soon", "99999999999999d", ".nan", "{a: 1}", "''"],
    "size": ["0", "-5", "lots", "true", "1.5", "99999999999999999999GB", "[1]", "10 megabytes"],
    "bool": ["'yes'", "1", "[true]", "{a: 1}", "'true'", "0", "''"],
    "text": ["5", "[a]", "{a: 1}", "true", "''", '"a\\0b"'],
    "url": [
        *("'ftp://example.com/'", "/relative", "'javascript:alert(1)'", "'file:///etc/passwd'"),
        *("'https://me:pw@example.com/'", "'http://[::1/'", "'http://example.com:99999/'"),
        *("'http://xn--a.example.com/'", LONG_URL, '"https://example.com/a\\r\\nX: y"', "5"),
        *("'data:text/html,x'", "'https://'", "[a]"),
    ],
    "timezone": [
        *("Mars/Olympus", "''", "../../etc/passwd", "/etc/localtime", "UTC+5", "5", "[UTC]"),
        *('"Europe/Paris\\0"', "true", "'EST5EDT,M3.2.0,M11.1.0'", "A" * 300),
    ],
    "language": ["French", "5", "''", "no", "[en]", "e"],
    "parser": ["custom", "site", "5", "[generic]", "''"],
    "formats": ["['%Q']", "['no codes']", "5", "[5]", "{a: 1}"],
    "patterns": ["['(unclosed']", "'[a-'", "5", "['a{4294967296}']", "{a: 1}"],
    "cron": ["often", "'61 * * * *'", "5", "'* * * * * * * * *'", '"0 * * * *\\0"'],
    "mapping": ["5", "[1]", "text", "true", "{bogus: 1}"],
    "resolve": [
        *("[1]", "5", "{example.com: 5}", "{example.com: nowhere}", "{'bad host!': '1.2.3.4:80'}"),
        *("{example.com: '127.0.0.1:99999999'}", "{example.com: '999.1.1.1:80'}"),
    ],
    "sections": [
        *("5", "{url: x}", "[5]", "[[a]]", "[{url: 'ftp://example.com/'}]", "[{link_selector: a}]"),
        "[{url: 'https://example.com/n/', link_selector: 'h2 >> a'}]",
        *("[{url: 'https://other.org/n/'}]", "[{url: 'https://example.com/n/', bogus: 1}]"),
        "[{url: 'https://example.com/n/', link_pattern: '(x'}]",
    ],
}
WRONG["database"] = [*WRONG["text"], "not a url", "'mysql+nodriver://x/y'", '"sqlite:///a\\0b"']
WRONG["agent"] = [*WRONG["text"], "mybot/1.0"]
WRONG["urls"] = [f"[{url}]" for url in WRONG["url"]] + [
    *("5", "{a: 1}", "[[a]]", "['']", "[https://example.com/a, https://example.com/a]"),
]
WRONG["durations"] = [f"[{value}]" for value in WRONG["duration"]] + ["[]", "[1d, 1h]", "5"]

SCHEDULE = {
    "schedule.interval": "duration",
    "schedule.jitter": "duration",
    "schedule.cron": "cron",
    "schedule.timezone": "timezone",
    "schedule": "mapping",
}
SETTINGS_FIELDS = {
    **{"data_dir": "text", "warc_dir": "text", "database": "database", "contact_url": "url"},
    **{"user_agent": "agent", "connections_per_host": "count", "concurrency": "count"},
    **{"parse_workers": "count", "min_delay": "seconds", "allow_private_addresses": "bool"},
    **{f"timeouts.{key}": "seconds" for key in ("connect", "read", "write", "pool", "total")},
    **{"timeouts": "mapping", "retries": "mapping", "retries.attempts": "count"},
    **{"retries.backoff_base": "seconds", "retries.backoff_cap": "seconds"},
    **{"max_retry_after": "seconds", "max_redirects": "count", "robots_cache_ttl": "seconds"},
    **{"max_response_bytes": "size", "max_decompressed_bytes": "size", "recheck": "durations"},
    **{"resolve": "resolve", **SCHEDULE},
}
SITE_FIELDS = {
    **{"name": "text", "parser": "parser", "timezone": "timezone", "language": "language"},
    **{"date_formats": "formats", "enabled": "bool", "robots_sitemaps": "bool"},
    **{"start_urls": "urls", "feeds": "urls", "sitemaps": "urls", "sections": "sections"},
    **{"include": "patterns", "exclude": "patterns", "recheck": "durations"},
    **{"connections_per_host": "count", "min_delay": "seconds"},
    **{"allow_private_addresses": "bool", **SCHEDULE},
}


def _yaml_entry(field: str, value: str, indent: str) -> str:
    """`a.b: v` as `a: {b: v}` on one line, so the error's line is this line."""
    head, _, rest = field.partition(".")
    return f"{indent}{head}: {{{rest}: {value}}}" if rest else f"{indent}{field}: {value}"


def _with_setting(field: str, value: str) -> tuple[str, int]:
    lines = ["settings:", _yaml_entry(field, value, "  "), *SITE_LINES]
    return "\n".join(lines) + "\n", 2


def _with_site_field(field: str, value: str) -> tuple[str, int]:
    lines = list(SITE_LINES)
    entry = _yaml_entry(field, value, "    ")
    existing = [i for i, line in enumerate(lines) if line.startswith(f"    {field}:")]
    if existing:
        lines[existing[0]] = entry
    else:
        lines.append(entry)
    return "\n".join(lines) + "\n", (existing[0] if existing else len(lines) - 1) + 1


CASES = [
    pytest.param(
        *_with_setting(field, value), f"key settings.{field}", id=f"settings.{field}={value[:40]}"
    )
    for field, kind in SETTINGS_FIELDS.items()
    for value in WRONG[kind]
] + [
    pytest.param(
        *_with_site_field(field, value),
        f"site example.com, key {field}",
        id=f"site.{field}={value[:40]}",
    )
    for field, kind in SITE_FIELDS.items()
    for value in WRONG[kind]
]


@pytest.fixture(autouse=True)
def _no_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATABASE_ENV, raising=False)
    monkeypatch.delenv(CONFIG_ENV, raising=False)


def check(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    path = tmp_path / "schedules.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code = main(["config", "check", str(path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(path: Path, err: str, line: int | None, names: str) -> None:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    where = f"{line}:" if line is not None else ""
    assert lines[0].startswith(f"newsarchive: error: {path}:{where}"), lines[0]
    assert names in lines[0], lines[0]


@pytest.mark.parametrize(("text", "line", "names"), CASES)
def test_every_field_refuses_every_wrong_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, names: str
) -> None:
    tried("bad configs: wrong values for a field")
    code, out, err = check(tmp_path, text, capsys)
    assert (code, out) == (2, ""), err
    assert_one_line_error(tmp_path / "schedules.yaml", err, line, names)


UNKNOWN_KEYS = [
    ("bogus: 1\n" + "\n".join(SITE_LINES), 1, "key bogus"),
    ("settings:\n  min_dealy: 1s\n" + "\n".join(SITE_LINES), 2, "key settings.min_dealy"),
    ("settings:\n  timeouts: {red: 1}\n" + "\n".join(SITE_LINES), 2, "key settings.timeouts.red"),
    ("settings:\n  retries: {tries: 1}\n" + "\n".join(SITE_LINES), 2, "settings.retries.tries"),
    ("settings:\n  schedule: {every: 1h}\n" + "\n".join(SITE_LINES), 2, "settings.schedule.every"),
    ("\n".join([*SITE_LINES, "    feed: [https://example.com/rss]"]), 7, "key feed"),
    ("\n".join([*SITE_LINES, "    schedule: {cronn: '0 * * * *'}"]), 7, "key schedule.cronn"),
    (
        "\n".join([*SITE_LINES, "    sections: [{url: 'https://example.com/n/', selector: a}]"]),
        7,
        "key sections[0].selector",
    ),
]
MISSING = [
    ("\n".join(line for line in SITE_LINES if "parser" not in line), 2, "key parser"),
    ("\n".join(line for line in SITE_LINES if "timezone" not in line), 2, "key timezone"),
    ("\n".join(line for line in SITE_LINES if "language" not in line), 2, "key language"),
    ("\n".join(line for line in SITE_LINES if "feeds" not in line), 2, "key feeds"),
    ("\n".join(SITE_LINES).replace("[https://example.com/feed/]", "[]"), 6, "key feeds"),
    ("\n".join(SITE_LINES).replace("[https://example.com/feed/]", "~"), 6, "key feeds"),
    ("\n".join([*SITE_LINES, "    sections: [{link_selector: a}]"]), 7, "key sections[0].url"),
    ("settings:\n  min_delay: 1s\n", 1, "key sites"),
    ("sites: {}\n", 1, "key sites"),
    ("sites:\n  example.com:\n", 2, "site example.com"),
]
BROKEN_YAML = {
    "tab indentation": ("\n".join(SITE_LINES).replace("    parser", "\tparser"), 3),
    "unclosed list": ("\n".join(SITE_LINES).replace("feed/]", "feed/"), None),
    "NUL byte": ("\n".join(SITE_LINES) + "\n\0\n", 7),
    "C1 control": ("\u0085\u0080" + "\n".join(SITE_LINES), 1),
    "two documents": ("\n".join(SITE_LINES) + "\n---\n" + "\n".join(SITE_LINES), 7),
    "nested 10,000 deep": ("sites: " + "[" * 10_000 + "]" * 10_000, None),
    "alias": ("base: &b {parser: generic}\nsites: {example.com: *b}\n", 2),
    "python tag": ("settings: !!python/object/apply:os.system ['true']\n", 1),
    "a key that is a list": ("[a]: 1\n", 1),
    "a key given twice": ("\n".join(SITE_LINES) + "\n    parser: generic\n", 7),
    "only a scalar": ("just text\n", 1),
    "lone surrogate": ("\n".join(SITE_LINES).replace("Europe/Paris", '"\\ud800"'), 4),
}


@pytest.mark.parametrize(
    ("text", "line", "names"),
    [pytest.param(*case, id=case[2]) for case in UNKNOWN_KEYS + MISSING],
)
def test_unknown_and_missing_keys_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, names: str
) -> None:
    tried("bad configs: unknown or missing keys")
    code, out, err = check(tmp_path, text + "\n", capsys)
    assert (code, out) == (2, ""), err
    assert_one_line_error(tmp_path / "schedules.yaml", err, line, names)


@pytest.mark.parametrize("name", sorted(BROKEN_YAML))
def test_broken_yaml_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    tried("bad configs: broken YAML")
    text, line = BROKEN_YAML[name]
    code, out, err = check(tmp_path, text, capsys)
    assert (code, out) == (2, ""), err
    assert_one_line_error(tmp_path / "schedules.yaml", err, line, "")


def test_a_file_that_is_not_text_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tried("bad configs: broken YAML")
    path = tmp_path / "schedules.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage" * 100)
    code = main(["config", "check", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert_one_line_error(path, err, None, "not UTF-8 text")


SHIPPED_LINES = SHIPPED.read_text(encoding="utf-8").splitlines()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["delete", "repeat", "swap values", "cut"]),
            st.integers(0, len(SHIPPED_LINES) - 1),
            st.integers(0, len(SHIPPED_LINES) - 1),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_edits_of_the_shipped_file_never_crash(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, int, int]]
) -> None:
    """Lines deleted, repeated, cut short, or values swapped between two keys: the check
    passes, or fails in one line naming the file; it never crashes."""
    tried("bad configs: edits of the shipped file")
    lines = list(SHIPPED_LINES)
    for action, first, second in edits:
        first, second = first % len(lines), second % len(lines)
        if action == "delete":
            del lines[first]
        elif action == "repeat":
            lines.insert(first, lines[first])
        elif action == "cut":
            lines[first] = lines[first][: len(lines[first]) // 2]
        elif ":" in lines[first] and ":" in lines[second]:
            key, _, value = lines[first].partition(":")
            other_key, _, other_value = lines[second].partition(":")
            lines[first], lines[second] = f"{key}:{other_value}", f"{other_key}:{value}"
        if not lines:
            lines = ["# empty"]
    path = tmp_path_factory.mktemp("edited") / "schedules.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["config", "check", str(path)])
    assert code in (0, 2)
    if code == 2:
        assert_one_line_error(path, err.getvalue(), None, "")
