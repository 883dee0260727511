"""The benchmark's pages: the shared datasets read through their own loaders.py.

The pages are read where they lie (../shared/datasets); nothing is copied into the project.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from selectolax.lexbor import LexborHTMLParser

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = REPO_ROOT.parent / "shared" / "datasets"

# Benchmark set name -> the loader that reads it. `wcxb-articles` is a subset of wcxb.
LOADERS = {
    "wcxb": "wcxb-murrough-foley",
    "postlight": "postlight-parser-fixtures",
    "mozilla": "mozilla-readability-test-pages",
    "metascraper": "metascraper-integration",
    "newspaper4k-tests": "newspaper4k-tests",
    "goose3-tests": "goose3-tests",
    "defence-sites": "defence-sites",
}
WCXB_ARTICLES = "wcxb-articles"
# The per-site section: the defence-sites pages again, one set per site with a site parser.
SITE_SETS = {"defence-sites": ("site:mil.gov.ua", "site:centcom.mil")}
SET_NAMES = (
    "wcxb",
    WCXB_ARTICLES,
    *tuple(name for name in LOADERS if name != "wcxb"),
    *tuple(name for names in SITE_SETS.values() for name in names),
)

CANONICAL_URL = re.compile(
    r"<link\b[^>]*\brel=[\"']?canonical[\"']?[^>]*\bhref=[\"']([^\"']+)[\"']"
    r"|<meta\b[^>]*\bproperty=[\"']og:url[\"'][^>]*\bcontent=[\"']([^\"']+)[\"']",
    re.IGNORECASE,
)
SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Truth:
    """A page's ground truth; None (or empty) means the field is not annotated."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    body: str | None = None
    body_prefix: str | None = None
    body_with: tuple[str, ...] = ()
    body_without: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    page_type: str | None = None


@dataclass(frozen=True, slots=True)
class BenchPage:
    """One page and every benchmark set it counts in."""

    sets: tuple[str, ...]
    dataset: str
    page_id: str
    url: str | None
    html_path: str
    truth: Truth


def load_pages(
    datasets: Path, set_names: Sequence[str] = SET_NAMES, limit: int | None = None
) -> list[BenchPage]:
    """The pages of the requested sets, `limit` pages per underlying dataset at most."""
    wanted = set(set_names)
    pages: list[BenchPage] = []
    for set_name, loader_name in LOADERS.items():
        members = {set_name, *SITE_SETS.get(set_name, ())}
        if set_name == "wcxb":
            members.add(WCXB_ARTICLES)
        if not members & wanted:
            continue
        for count, record in enumerate(_loaders(datasets).load(loader_name)):
            if limit is not None and count >= limit:
                break
            page = _page(record, set_name, wanted)
            if page.sets:
                pages.append(page)
    return pages


def read_html(datasets: Path, page: BenchPage) -> str:
    html: str = _loaders(datasets).read_html(page.html_path)
    return html


def page_url(page: BenchPage, html: str) -> str:
    """The page's URL; failing that its canonical URL, else a stand-in named after its set."""
    if page.url:
        return page.url
    match = CANONICAL_URL.search(html)
    if match:
        found = (match[1] or match[2]).strip()
        if found.startswith(("http://", "https://")):
            return found
    _, _, host = page.dataset.partition("/")
    slug = SLUG_UNSAFE.sub("-", Path(page.page_id).stem).strip("-")
    if "." in host:
        return f"https://{host}/{slug}"
    return f"https://example.com/{page.sets[0]}/{slug}"


def _page(record: dict[str, Any], set_name: str, wanted: set[str]) -> BenchPage:
    truth = _truth(record["gt"])
    sets = [set_name]
    if set_name == "wcxb" and truth.page_type == "article":
        sets.append(WCXB_ARTICLES)
    _, _, host = str(record["dataset"]).partition("/")
    if f"site:{host}" in SITE_SETS.get(set_name, ()):
        sets.append(f"site:{host}")
    return BenchPage(
        sets=tuple(name for name in sets if name in wanted),
        dataset=record["dataset"],
        page_id=str(record["id"]),
        url=record.get("url") or None,
        html_path=record["html_path"],
        truth=truth,
    )


def _truth(gt: dict[str, Any]) -> Truth:
    body = gt.get("body")
    if body is None and gt.get("body_html"):
        body = html_to_text(gt["body_html"])
    return Truth(
        title=gt.get("title"),
        authors=tuple(gt.get("authors", ())),
        published=gt.get("date_published"),
        body=body,
        body_prefix=gt.get("body_prefix"),
        body_with=tuple(gt.get("body_with", ())),
        body_without=tuple(gt.get("body_without", ())),
        captions=tuple(caption for caption in gt.get("captions", ()) if caption.strip()),
        page_type=gt.get("page_type"),
    )


def html_to_text(html: str) -> str:
    """Visible text of an expected-output fragment (the Readability set's true body)."""
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    return "" if root is None else str(root.text(deep=True, separator="\n", strip=True))


def _loaders(datasets: Path) -> ModuleType:
    return _import_loaders(str(datasets.resolve()))


@cache
def _import_loaders(folder: str) -> ModuleType:
    """Import the datasets' own loaders.py from the folder given (not a copy of it)."""
    path = Path(folder) / "loaders.py"
    spec = importlib.util.spec_from_file_location("shared_datasets_loaders", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise FileNotFoundError(f"no loaders.py in {folder}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ordered_sets(names: Iterable[str]) -> list[str]:
    """The given set names in the report's order."""
    present = set(names)
    return [name for name in SET_NAMES if name in present]
