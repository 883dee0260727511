"""Adding a site in minutes: the site module, its registration, and its first golden page.

Files are written into a project checkout (`root`), since a site parser is source code that
an analyst edits, tests and commits.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from parsers import parse
from parsers.registry import registered_sites
from parsers.site_config import SiteConfig
from parsers.urls import site_of
from scraper.exceptions import UsageError
from scraper.golden import expected_from_record

HOST_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
SITES_IMPORT = re.compile(r"^from parsers\.sites import \(?(?P<names>[\w,\s]+?)\)?$", re.MULTILINE)
LINE_LENGTH = 100
SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
DRAFT_NOTE = (
    "Written by save-fixture from the parser's output: read the page and correct every "
    "expected field before committing; then say here what the page exercises."
)

MODULE_TEMPLATE = '''"""{host}: {why}

Set the site's facts; add a selector (headline_selector, published_selector,
updated_selector, author_selector, section_selector) only for a field that
`newsarchive parser check {host}` shows the generic extractor gets wrong.
"""

from __future__ import annotations

from parsers.registry import register
from parsers.site_config import SiteConfig
from parsers.site_parser import SiteParser


@register("{host}")
class {class_name}(SiteParser):
    name = "{host}"
    version = "1"
    facts = SiteConfig(timezone={timezone}, language={language})
'''


@dataclass(frozen=True, slots=True)
class Scaffolded:
    module: Path
    fixture: Path | None


def site_host(text: str) -> str:
    """The registry's key for what a user typed: a bare host or a URL, www./m./amp. folded."""
    candidate = text.strip().lower()
    host = site_of(candidate if "://" in candidate else f"https://{candidate}/")
    if not (HOST_PATTERN.match(host) or _is_local(host)):
        raise UsageError(f"{text!r} is not a host name (e.g. defensenews.com)")
    return host


def _is_local(host: str) -> bool:
    """Test and demo sites live on loopback addresses."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def module_name(host: str) -> str:
    return SLUG_UNSAFE.sub("_", host).strip("_")


def class_name(host: str) -> str:
    return "".join(part.capitalize() for part in SLUG_UNSAFE.split(host) if part)


def scaffold_site(root: Path, host: str, site: SiteConfig, why: str) -> Path:
    """Write parsers/sites/<module>.py and list it in parsers/sites/__init__.py."""
    sites_dir = root / "parsers" / "sites"
    init = sites_dir / "__init__.py"
    if not init.is_file():
        raise UsageError(f"{root}: not a newsarchive checkout (no parsers/sites/__init__.py)")
    if host in registered_sites():
        raise UsageError(f"{host} already has a parser: {registered_sites()[host].__name__}")
    module = sites_dir / f"{module_name(host)}.py"
    if module.exists():
        raise UsageError(f"{module} already exists")
    module.write_text(
        MODULE_TEMPLATE.format(
            host=host,
            why=why,
            class_name=class_name(host),
            timezone=_literal(site.timezone),
            language=_literal(site.language),
        ),
        encoding="utf-8",
    )
    _list_module(init, module_name(host))
    return module


def save_fixture(
    fixtures: Path,
    host: str,
    page: bytes,
    url: str,
    fetched_at: datetime,
    *,
    slug: str | None = None,
    overwrite: bool = False,
) -> Path:
    """Store the page and the parser's current output as a draft golden page; returns the JSON."""
    if site_of(url) != host:
        raise UsageError(f"{url} is not on {host}")
    name = slug or slug_of(url)
    spec = fixtures / host / f"{name}.json"
    if spec.exists() and not overwrite:
        raise UsageError(f"{spec} exists (use --force to replace it)")
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.with_suffix(".html").write_bytes(page)
    record = parse(page, url, fetched_at)
    document = {
        "url": url,
        "fetched_at": fetched_at.isoformat(),
        "notes": DRAFT_NOTE,
        "expected": expected_from_record(record),
    }
    spec.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return spec


def slug_of(url: str) -> str:
    """A file name from the URL's last meaningful path segment."""
    segments = [part for part in urlsplit(url).path.split("/") if part and part != "amp"]
    last = segments[-1] if segments else "index"
    stem = last.rsplit(".", 1)[0] if last.endswith((".html", ".htm", ".php", ".aspx")) else last
    return SLUG_UNSAFE.sub("-", stem.lower()).strip("-")[:80] or "index"


def _literal(value: str | None) -> str:
    return "None" if value is None else json.dumps(value)


def _list_module(init: Path, name: str) -> None:
    """Rewrite the explicit import list (and __all__) with the new module, sorted."""
    source = init.read_text(encoding="utf-8")
    match = SITES_IMPORT.search(source)
    listed = re.split(r"[\s,]+", match["names"]) if match else []
    names = sorted({*listed, name} - {""})
    body = source[: match.start()] if match else source.rstrip() + "\n\n"
    imports = _formatted("from parsers.sites import ", "(", ")", names)
    listing = _formatted("__all__ = ", "[", "]", [f'"{item}"' for item in names])
    init.write_text(f"{body}{imports}\n\n{listing}\n", encoding="utf-8")


def _formatted(head: str, opening: str, closing: str, items: list[str]) -> str:
    """One line when it fits, else one item per line: what the project's formatter writes."""
    one_line = head + ", ".join(items)
    if opening == "[":
        one_line = f"{head}[{', '.join(items)}]"
    if len(one_line) <= LINE_LENGTH:
        return one_line
    inner = "".join(f"    {item},\n" for item in items)
    return f"{head}{opening}\n{inner}{closing}"
