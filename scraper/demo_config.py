"""A schedules.yaml for the bundled demo site, and the host overrides that reach it.

The demo serves real host names (rnamedia.in, ...) from 127.0.0.1, so the configuration
allows private addresses and turns pacing off for those sites only; everything else is the
same configuration path a user's schedules.yaml takes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from parsers.registry import registered_sites
from scraper.demo_site import DemoSite
from scraper.host_overrides import HostOverrides


def demo_config_text(
    site: DemoSite,
    data_dir: Path,
    *,
    database: str | None = None,
    min_delay: str = "0s",
    connections_per_host: int = 4,
    address: tuple[str, int] | None = None,
    parse_workers: int = 0,
    concurrency: int | None = None,
) -> str:
    """schedules.yaml text crawling every host of the running demo site into `data_dir`.

    `address` is where the site is served when not by `site` itself (another process).
    """
    ip, port = address or site.address
    settings: dict[str, Any] = {
        "data_dir": data_dir.resolve().as_posix(),
        "connections_per_host": connections_per_host,
        "min_delay": min_delay,
        "allow_private_addresses": True,
        "retries": {"attempts": 0},
        "parse_workers": parse_workers,
        "concurrency": concurrency or max(16, len(site.hosts) * connections_per_host),
        "resolve": dict.fromkeys(_names(site), f"{ip}:{port}"),
    }
    if database:
        settings["database"] = database
    sites = {host: _site_entry(site, host) for host in site.hosts}
    header = "# Written by `newsarchive demo` for the bundled offline demo site.\n"
    body = yaml.safe_dump({"settings": settings, "sites": sites}, sort_keys=False)
    return header + body


def demo_overrides(site: DemoSite) -> HostOverrides:
    """Every demo host (and its www. spelling) goes to the demo server."""
    return HostOverrides(dict.fromkeys(_names(site), site.address))


def _names(site: DemoSite) -> list[str]:
    return [name for host in site.hosts for name in (host, f"www.{host}")]


def _site_entry(site: DemoSite, host: str) -> dict[str, Any]:
    info, sources = site.site(host), site.sources(host)
    return {
        "name": info.name,
        "parser": "site" if _has_site_parser(host) else "generic",
        "timezone": info.timezone,
        "language": info.language,
        "feeds": list(sources.feeds),
        "sitemaps": list(sources.sitemaps),
        "sections": [
            {"url": url, "link_selector": sources.section_link_selector} for url in sources.sections
        ],
    }


def _has_site_parser(host: str) -> bool:
    return host in registered_sites()
