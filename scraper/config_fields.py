"""Typed reads from a YAML file that fail in one line naming the file, line, site and key.

PyYAML's safe loader builds the nodes (with their line numbers); this module turns them into
plain values itself so that it can also refuse what `safe_load` silently accepts: a key given
twice (the last one would win) and aliases (a few lines can expand into a huge tree).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import NoReturn, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
import yaml

from scraper.exceptions import ConfigError

KeyPath = tuple[str | int, ...]
T = TypeVar("T")

MAX_CONFIG_BYTES = 2 * 2**20
MAX_URL_LENGTH = 2048
# Ceilings on what a number can mean; beyond them a value is a typo (or would overflow a date).
MAX_COUNT = 1000
MAX_SECONDS = 30 * 86400.0
MAX_DURATION = timedelta(days=3650)
MAX_SIZE = 2**40
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)")
_DURATION_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)", re.IGNORECASE)
_SIZE_UNITS = {"b": 1, "kb": 2**10, "mb": 2**20, "gb": 2**30}
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_STRPTIME_DIRECTIVE = re.compile(r"%(.)")
_STRPTIME_CODES = frozenset("aAwdbBmyYHIpMSfzZjUWcxXGuV%")
DURATION_HINT = "use a number and a unit, e.g. 30s, 5m, 1h, 2d or 1h30m"


def where(path: KeyPath) -> str:
    """'site rnamedia.in, key feeds[0]' or 'key settings.min_delay': how errors name a place."""
    if len(path) >= 2 and path[0] == "sites":
        rest = _render(path[2:])
        return f"site {path[1]}, key {rest}" if rest else f"site {path[1]}"
    return f"key {_render(path)}" if path else "top level"


def _render(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class _AliasRefused(yaml.MarkedYAMLError):
    """An alias (*name) met while composing: refused before it can multiply the tree."""


class _TreeLoader(yaml.SafeLoader):
    """The safe loader, minus aliases: a config never needs them, and a few lines of them can
    expand into a tree too large to walk (the YAML 'billion laughs')."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise _AliasRefused(problem="aliases (*name) are not supported", problem_mark=mark)
        return super().compose_node(parent, index)


class Document:
    """A parsed config file: plain values plus the line of every key and list item."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.lines: dict[KeyPath, int] = {}
        self.root = self._load(path)

    def fail(self, path: KeyPath, message: str) -> NoReturn:
        raise ConfigError(f"{self.file}:{self.line_of(path)}: {where(path)}: {message}")

    def line_of(self, path: KeyPath) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def _load(self, path: Path) -> object:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such file") from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
        if len(raw) > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES // 2**20} MB")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text") from None
        try:
            loader = _TreeLoader(text)
        except yaml.reader.ReaderError as exc:
            line = text.count("\n", 0, exc.position) + 1
            raise ConfigError(f"{path}:{line}: YAML syntax error: {_reader_problem(exc)}") from None
        try:
            node = loader.get_single_node()
            return {} if node is None else self._plain(loader, node, ())
        except RecursionError:
            raise ConfigError(f"{path}: YAML nested too deep to be a config") from None
        except _AliasRefused as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else 1
            raise ConfigError(f"{path}:{line}: {exc.problem}; repeat the value instead") from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            problem = exc.problem or exc.context or "not valid YAML"
            raise ConfigError(f"{path}:{line}: YAML syntax error: {problem}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML ({exc})") from None
        finally:
            loader.dispose()

    def _plain(self, loader: yaml.SafeLoader, node: yaml.Node, path: KeyPath) -> object:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(loader, node, path)
        if isinstance(node, yaml.SequenceNode):
            items: list[object] = []
            for index, item in enumerate(node.value):
                self.lines[(*path, index)] = item.start_mark.line + 1
                items.append(self._plain(loader, item, (*path, index)))
            return items
        return loader.construct_object(node, deep=True)

    def _mapping(
        self, loader: yaml.SafeLoader, node: yaml.MappingNode, path: KeyPath
    ) -> dict[str, object]:
        mapping: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = (
                loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            )
            if not isinstance(key, str) or not key:
                self.lines[path] = key_node.start_mark.line + 1
                self.fail(path, f"keys must be text, got {key_node.value!r}")
            if key in mapping:
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                self.fail((*path, key), "given twice in the same mapping")
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            mapping[key] = self._plain(loader, value_node, (*path, key))
        return mapping


class Fields:
    """One mapping of the document, its keys checked against `allowed`, read with types."""

    def __init__(self, doc: Document, path: KeyPath, value: object, allowed: frozenset[str]):
        if not isinstance(value, dict):
            doc.fail(path, f"expected a mapping of keys, got {_kind(value)}")
        self.doc, self.path = doc, path
        self.values: dict[str, object] = value
        for key in value:
            if key not in allowed:
                doc.fail((*path, key), _unknown_key_hint(key, allowed))

    def fail(self, key: str | KeyPath, message: str) -> NoReturn:
        self.doc.fail((*self.path, *((key,) if isinstance(key, str) else key)), message)

    def has(self, key: str) -> bool:
        return self.values.get(key) is not None

    def raw(self, key: str) -> object:
        return self.values.get(key)

    def sub(self, key: str, allowed: frozenset[str]) -> Fields | None:
        value = self.values.get(key)
        return None if value is None else Fields(self.doc, (*self.path, key), value, allowed)

    def typed(self, key: str, kind: type[T], default: T, what: str) -> T:
        value = self.values.get(key)
        if value is None:
            return default
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(key, f"expected {what}, got {_kind(value)}")
        return value

    def text(self, key: str, default: str) -> str:
        if not self.has(key):
            return default
        value = self.typed(key, str, default, "text").strip()
        if not value:
            self.fail(key, "must not be empty")
        if "\x00" in value:
            self.fail(key, "must not contain a NUL character")
        return value

    def required_text(self, key: str) -> str:
        if not self.has(key):
            self.fail(key, "missing (required)")
        return self.text(key, "")

    def boolean(self, key: str, default: bool) -> bool:
        return self.typed(key, bool, default, "true or false")

    def integer(self, key: str, default: int, minimum: int, maximum: int = MAX_COUNT) -> int:
        value = self.typed(key, int, default, "a whole number")
        if value < minimum:
            self.fail(key, f"must be at least {minimum}, got {value}")
        if value > maximum:
            self.fail(key, f"must be at most {maximum}, got {value}")
        return value

    def seconds(self, key: str, default: float, minimum: float = 0.0) -> float:
        """A number of seconds, or a duration with a unit ('2s', '500ms', '1m')."""
        value = self.values.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(key, f"expected seconds or a duration, got {_kind(value)}")
        amount = float(value) if not isinstance(value, str) else self._duration(key, value)
        if not math.isfinite(amount):
            self.fail(key, f"must be a finite number of seconds, got {value}")
        if amount < minimum:
            self.fail(key, f"must be at least {minimum:g} seconds, got {value}")
        if amount > MAX_SECONDS:
            self.fail(key, f"must be at most {MAX_SECONDS / 86400:g} days, got {value}")
        return amount

    def duration(self, key: str | KeyPath, value: object) -> timedelta:
        """A positive duration that states its unit; a bare number is refused as ambiguous."""
        if not isinstance(value, str):
            self.fail(key, f"expected a duration, got {_kind(value)} ({DURATION_HINT})")
        amount = self._duration(key, value)
        if amount <= 0:
            self.fail(key, f"must be longer than zero, got {value!r}")
        if amount > MAX_DURATION.total_seconds():
            self.fail(key, f"must be at most {MAX_DURATION.days} days, got {value!r}")
        return timedelta(seconds=amount)

    def size(self, key: str, default: int) -> int:
        """Bytes, as a whole number or with a unit ('10MB'; KB/MB/GB are powers of 1024)."""
        value = self.values.get(key)
        if value is None:
            return default
        size: float
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            size = value
        else:
            match = _SIZE.fullmatch(value.strip()) if isinstance(value, str) else None
            if match is None or float(match.group(1)) <= 0:
                self.fail(key, f"bad size {value!r} (a positive number of bytes, or e.g. 10MB)")
            size = float(match.group(1)) * _SIZE_UNITS[match.group(2).lower()]
        if size > MAX_SIZE:
            self.fail(key, f"must be at most {MAX_SIZE // 2**30}GB, got {value!r}")
        return int(size)

    def text_list(self, key: str) -> Iterator[tuple[KeyPath, str]]:
        """Each item of a list of text, with its path for error messages (a lone text is one)."""
        value = self.values.get(key)
        if value is None:
            return
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            self.fail(key, f"expected a list, got {_kind(value)}")
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                self.fail((key, index), f"expected text, got {_kind(item)}")
            yield (key, index), item.strip()

    def timezone(self, key: str, default: str | None = None) -> str:
        """An IANA zone name (required when there is no default)."""
        name = self.text(key, default) if default is not None else self.required_text(key)
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            self.fail(key, f"unknown timezone {name!r} (an IANA name such as Europe/Paris)")
        return name

    def language(self, key: str) -> str:
        """A required ISO 639 code, optionally with a region ('en', 'pt-BR')."""
        language = self.required_text(key)
        if not _LANGUAGE.fullmatch(language):
            self.fail(key, f"bad language code {language!r} (ISO 639, e.g. en, fr, uk)")
        return language

    def date_formats(self, key: str) -> tuple[str, ...]:
        """strptime formats such as '%B %d, %Y %I:%M %p' (tried before the general reader)."""
        formats: list[str] = []
        for path, text in self.text_list(key):
            codes = _STRPTIME_DIRECTIVE.findall(text)
            if not codes or any(code not in _STRPTIME_CODES for code in codes):
                self.fail(path, f"bad date format {text!r} (strptime codes like %d %B %Y %H:%M)")
            formats.append(text)
        return tuple(formats)

    def urls(self, key: str, check: Callable[[str], str | None] | None = None) -> tuple[str, ...]:
        """Absolute http(s) URLs; `check` may return a further complaint about one."""
        found: list[str] = []
        for path, url in self.text_list(key):
            problem = url_problem(url) or (check(url) if check else None)
            if problem:
                self.fail(path, f"{problem}: {shown_url(url)!r}")
            if url in found:
                self.fail(path, f"listed twice: {url!r}")
            found.append(url)
        return tuple(found)

    def patterns(self, key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(self.pattern(path, text) for path, text in self.text_list(key))

    def pattern(self, key: str | KeyPath, text: str) -> re.Pattern[str]:
        try:
            return re.compile(text)
        except (re.error, OverflowError, RecursionError) as exc:
            reason = str(exc) if not isinstance(exc, RecursionError) else "nested too deep"
            self.fail(key, f"bad regular expression {text!r}: {reason}")

    def _duration(self, key: str | KeyPath, text: str) -> float:
        compact = text.strip().lower().replace(" ", "")
        parts = _DURATION_PART.findall(compact)
        if not compact or "".join(a + u for a, u in parts) != compact:
            self.fail(key, f"bad duration {text!r} ({DURATION_HINT})")
        return sum(float(amount) * _DURATION_UNITS[unit] for amount, unit in parts)


def url_problem(url: str) -> str | None:
    """Why a configured URL cannot be fetched, or None: absolute http(s), a host, no secrets."""
    if len(url) > MAX_URL_LENGTH:
        return f"URL longer than {MAX_URL_LENGTH} characters"
    if any(char.isspace() or ord(char) < 32 for char in url):
        return "URL contains white space or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        return "not a valid URL"
    if parts.scheme not in ("http", "https"):
        return "not an http(s) URL"
    if not parts.hostname:
        return "URL has no host"
    if parts.username is not None or parts.password is not None:
        return "URL carries credentials (user:password@); keep secrets out of the config"
    try:
        httpx.URL(url).host  # noqa: B018  (the host is decoded, IDNA and all, when read)
    except (httpx.InvalidURL, ValueError):
        return "not a valid URL"
    return None


def shown_url(url: str) -> str:
    """The URL fit for an error message: any user:password@ is left out."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def _reader_problem(exc: yaml.reader.ReaderError) -> str:
    character = exc.character
    code = f"U+{character:04X}" if isinstance(character, int) else repr(character)
    return f"character {code} is not allowed in YAML"


def _unknown_key_hint(key: str, allowed: frozenset[str]) -> str:
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    if close:
        return f"unknown key (did you mean {close[0]!r}?)"
    return f"unknown key (known keys: {', '.join(sorted(allowed))})"


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()}; quote it if you meant text)"
    if value is None:
        return "nothing"
    names = {str: "text", int: "a number", float: "a number", list: "a list", dict: "a mapping"}
    return names.get(type(value), type(value).__name__)
