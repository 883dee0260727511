"""schedules.yaml: the shipped source list, typed config with effective values, and a table of
bad configs each answered by one line naming the file, line, site and key (exit code 2)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from parsers import SiteConfig
from parsers.registry import get_parser, registered_sites
from scraper.config import Config, load_config
from scraper.exceptions import ConfigError, UsageError
from scraper.settings import DATABASE_ENV, RECHECK_SCHEDULE, Settings

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "schedules.yaml"
FIXTURES = ROOT / "tests" / "fixtures"
REQUIRED_HOSTS = {
    *("rnamedia.in", "defensenews.com", "breakingdefense.com", "thedefensepost.com"),
    *("navalnews.com", "ukdefencejournal.org.uk", "idrw.org", "defence-blog.com"),
    *("armyrecognition.com", "janes.com", "militarytimes.com", "c4isrnet.com"),
    *("mil.gov.ua", "centcom.mil"),
}
SITE_PARSED_HOSTS = {"rnamedia.in", "mil.gov.ua", "centcom.mil"}
MARK = "# <-"
FEEDS = "[https://example.com/feed/]"

SITE = """\
  example.com:
    parser: generic
    timezone: Europe/Paris
    language: fr
    feeds: [https://example.com/feed/]
"""


def _write(tmp_path: Path, text: str, name: str = "schedules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _load(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> Config:
    return load_config(_write(tmp_path, text), environ=env or {})


@pytest.fixture(scope="module")
def shipped() -> Config:
    return load_config(SHIPPED, environ={})


# --- the shipped source list ------------------------------------------------------------


def test_shipped_file_lists_enough_sites_with_feeds_or_sitemaps(shipped: Config) -> None:
    with_feed_or_sitemap = [site for site in shipped.sites if site.feeds or site.sitemaps]
    assert len(shipped.sites) >= 12
    assert len(with_feed_or_sitemap) >= 12
    for site in shipped.sites:
        assert site.feeds or site.sitemaps or site.sections, site.host


def test_shipped_file_covers_the_issue_sites_and_other_languages(shipped: Config) -> None:
    hosts = {site.host for site in shipped.sites}
    assert hosts >= REQUIRED_HOSTS
    non_english = {site.host for site in shipped.sites if site.language != "en"}
    assert len(non_english) >= 2
    assert {"fr", "tr"} <= {site.language for site in shipped.sites}


def test_every_shipped_site_names_its_parser_explicitly() -> None:
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for host, entry in raw["sites"].items():
        assert entry.get("parser") in ("site", "generic"), host


def test_shipped_site_parsers_are_the_registered_ones(shipped: Config) -> None:
    marked_site = {site.host for site in shipped.sites if site.parser == "site"}
    assert marked_site == SITE_PARSED_HOSTS
    for host in marked_site:
        assert get_parser(f"https://{host}/").name != "generic", host
    # A registered parser is never left unused by an entry that says generic.
    for host in registered_sites():
        entry = shipped.site_for_url(f"https://{host}/")
        assert entry is None or entry.parser == "site", host


def test_shipped_site_facts_agree_with_their_parsers(shipped: Config) -> None:
    for site in shipped.sites:
        facts = getattr(get_parser(f"https://{site.host}/"), "facts", None)
        if isinstance(facts, SiteConfig):
            assert facts.timezone in (None, site.timezone), site.host
            assert facts.language in (None, site.language), site.host


def test_shipped_entries_accept_their_fixture_pages(shipped: Config) -> None:
    checked = 0
    for expected in FIXTURES.glob("*/*.json"):
        url = json.loads(expected.read_text(encoding="utf-8"))["url"]
        entry = shipped.site_for_url(url)
        if entry is not None:
            assert entry.accepts(url), url
            checked += 1
    assert checked >= 3


def test_shipped_news_only_filter_keeps_janes_news(shipped: Config) -> None:
    janes = shipped.site("janes.com")
    news = "https://www.janes.com/osint-insights/defence-news/sea/navy-orders-new-frigates"
    assert janes.accepts(news)
    assert not janes.accepts("https://www.janes.com/capabilities/military-equipment")
    assert janes.sections[0].wants(news)
    assert not janes.sections[0].wants("https://www.janes.com/osint-insights/defence-news/sea")


def test_shipped_section_patterns_match_mil_gov_ua_articles(shipped: Config) -> None:
    mod = shipped.site("mil.gov.ua")
    article = "https://www.mil.gov.ua/news/2025/11/20/minoboroni-zakupilo-novi-dronovi-kompleksi/"
    assert any(section.wants(article) for section in mod.sections)
    assert not any(section.wants("https://www.mil.gov.ua/news/") for section in mod.sections)


# --- typed values and effective settings ----------------------------------------------


def test_settings_default_when_the_file_has_none(tmp_path: Path) -> None:
    config = _load(tmp_path, f"sites:\n{SITE}")
    assert config.settings == Settings()
    site = config.sites[0]
    assert (site.connections_per_host, site.min_delay) == (1, 2.0)
    assert site.recheck == RECHECK_SCHEDULE
    assert site.schedule == Settings().schedule


def test_data_dir_moves_the_default_database_and_warc_dir(tmp_path: Path) -> None:
    config = _load(tmp_path, f"settings:\n  data_dir: /srv/archive\nsites:\n{SITE}")
    assert config.settings.database_url == "sqlite:////srv/archive/archive.sqlite3"
    assert config.settings.warc_dir == Path("/srv/archive/warc")


def test_site_overrides_and_inherits(tmp_path: Path) -> None:
    text = f"""\
settings:
  min_delay: 5
  recheck: [30m, 2h, 1d]
  schedule: {{interval: 2h, timezone: Europe/London, jitter: 30s}}
sites:
{SITE}    min_delay: 500ms
    connections_per_host: 2
    schedule: {{cron: "0 6 * * mon-fri"}}
    date_formats: ['%d %B %Y']
  other.example.org:
    parser: generic
    timezone: Asia/Kolkata
    language: en
    sitemaps: [https://other.example.org/sitemap.xml.gz]
    recheck: [1h]
    enabled: false
"""
    config = _load(tmp_path, text)
    first, second = config.sites
    assert (first.min_delay, first.connections_per_host) == (0.5, 2)
    assert first.recheck == (timedelta(minutes=30), timedelta(hours=2), timedelta(days=1))
    assert first.schedule.cron == "0 6 * * mon-fri"
    assert first.schedule.interval is None
    assert (first.schedule.timezone, first.schedule.jitter) == ("Europe/London", timedelta(0, 30))
    assert first.site_config() == SiteConfig("Europe/Paris", "fr", ("%d %B %Y",))
    assert (second.min_delay, second.recheck) == (5.0, (timedelta(hours=1),))
    assert second.schedule.interval == timedelta(hours=2)
    assert config.enabled_sites() == (first,)


def test_sizes_timeouts_and_retries(tmp_path: Path) -> None:
    text = f"""\
settings:
  max_response_bytes: 2MB
  max_decompressed_bytes: 8388608
  timeouts: {{connect: 2s, total: 1m}}
  retries: {{attempts: 5, backoff_base: 500ms, backoff_cap: 30s}}
sites:
{SITE}"""
    settings = _load(tmp_path, text).settings
    assert (settings.max_response_bytes, settings.max_decompressed_bytes) == (2 * 2**20, 8 * 2**20)
    assert (settings.timeouts.connect, settings.timeouts.total) == (2.0, 60.0)
    assert settings.timeouts.read == Settings().timeouts.read
    assert (settings.retries.attempts, settings.retries.backoff_base) == (5, 0.5)


def test_sections_take_a_url_or_a_rule(tmp_path: Path) -> None:
    text = f"""\
sites:
{SITE}    sections:
      - https://example.com/news/
      - url: https://www.example.com/defence/
        link_selector: h2.entry-title a
        link_pattern: '/\\d{{4}}/\\d{{2}}/'
"""
    bare, ruled = _load(tmp_path, text).sites[0].sections
    assert (bare.url, bare.link_selector, bare.link_pattern) == (
        "https://example.com/news/",
        None,
        None,
    )
    assert ruled.link_selector == "h2.entry-title a"
    assert ruled.wants("https://www.example.com/2025/03/slug/")
    assert not ruled.wants("https://www.example.com/about/")


def test_include_and_exclude_filter_urls(tmp_path: Path) -> None:
    text = f"sites:\n{SITE}    include: ['/news/']\n    exclude: ['/news/video/']\n"
    site = _load(tmp_path, text).sites[0]
    assert site.accepts("https://www.example.com/news/story")
    assert not site.accepts("https://example.com/news/video/clip")
    assert not site.accepts("https://example.com/about")
    assert not site.accepts("https://elsewhere.com/news/story")


def test_site_lookup_folds_www_and_names_the_known_sites(tmp_path: Path) -> None:
    config = _load(tmp_path, f"sites:\n{SITE}")
    assert config.site("WWW.Example.com").host == "example.com"
    with pytest.raises(ConfigError, match=r"no site 'nope\.org' \(known sites: example\.com\)"):
        config.site("nope.org")


def test_site_for_url_prefers_the_most_specific_entry(tmp_path: Path) -> None:
    sub = SITE.replace("example.com", "news.example.com")
    config = _load(tmp_path, f"sites:\n{SITE}{sub}")

    def owner(url: str) -> str | None:
        entry = config.site_for_url(url)
        return entry.host if entry else None

    assert owner("https://news.example.com/a") == "news.example.com"
    assert owner("https://shop.example.com/a") == "example.com"
    assert owner("https://example.org/a") is None


def test_database_from_environment_and_option(tmp_path: Path) -> None:
    url = "postgresql+psycopg://archive@db.internal/news"
    config = _load(tmp_path, f"sites:\n{SITE}", env={DATABASE_ENV: url})
    assert config.settings.database_url == url
    assert config.with_database("sqlite:///other.db").settings.database_url == "sqlite:///other.db"
    with pytest.raises(ConfigError, match=r"^--db: not a database URL"):
        config.with_database("not a url")
    with pytest.raises(ConfigError, match=rf"^{DATABASE_ENV}: not a database URL"):
        _load(tmp_path, f"sites:\n{SITE}", env={DATABASE_ENV: "nonsense"})


def test_environment_is_read_when_not_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATABASE_ENV, "sqlite:///from-env.db")
    config = load_config(_write(tmp_path, f"sites:\n{SITE}"))
    assert config.settings.database_url == "sqlite:///from-env.db"


# --- bad configs: one line naming file, line, site and key ----------------------------

BAD_CONFIGS = [
    # (id, file text with "# <-" on the line named, expected place, expected complaint)
    ("unknown-site-key", SITE + "    feed: [https://example.com/rss] # <-\n",
     "site example.com, key feed", "unknown key (did you mean 'feeds'?)"),
    ("unknown-top-key", SITE + "site: {} # <-\n", "key site", "unknown key"),
    ("unknown-settings-key", SITE + "settings:\n  delay: 2s # <-\n",
     "key settings.delay", "unknown key"),
    ("wrong-type", SITE + "    enabled: 'yes' # <-\n",
     "site example.com, key enabled", "expected true or false, got text"),
    ("yaml-boolean-language", SITE.replace("language: fr", "language: no # <-"),
     "site example.com, key language", "got a boolean"),
    ("ftp-url", SITE.replace(FEEDS, "[ftp://example.com/feed] # <-"),
     "site example.com, key feeds[0]", "not an http(s) URL"),
    ("relative-url", SITE.replace(FEEDS, "[/feed/] # <-"),
     "site example.com, key feeds[0]", "not an http(s) URL"),
    ("credentials-in-url", SITE.replace(FEEDS, "[https://me:pw@example.com/] # <-"),
     "site example.com, key feeds[0]", "config: 'https://example.com/'"),
    ("javascript-url", SITE + "    sitemaps: ['javascript:alert(1)'] # <-\n",
     "site example.com, key sitemaps[0]", "not an http(s) URL"),
    ("bad-timezone", SITE.replace("Europe/Paris", "Europe/Pariss # <-"),
     "site example.com, key timezone", "unknown timezone 'Europe/Pariss'"),
    ("bad-regex", SITE + "    include: ['news/(unclosed'] # <-\n",
     "site example.com, key include[0]", "bad regular expression"),
    ("bad-interval", SITE + "    schedule: {interval: 1 hour} # <-\n",
     "site example.com, key schedule.interval", "bad duration '1 hour'"),
    ("bare-number-interval", SITE + "    schedule: {interval: 60} # <-\n",
     "site example.com, key schedule.interval", "expected a duration, got a number"),
    ("bad-delay", SITE + "settings:\n  min_delay: two seconds # <-\n",
     "key settings.min_delay", "bad duration 'two seconds'"),
    ("bad-cron", SITE + "    schedule: {cron: '61 * * * *'} # <-\n",
     "site example.com, key schedule.cron", "bad cron expression"),
    ("interval-and-cron", SITE + "    schedule: {interval: 1h, cron: '0 * * * *'} # <-\n",
     "site example.com, key schedule.cron", "either interval or cron"),
    ("recheck-shrinks", SITE + "    recheck:\n      - 1d\n      - 1h # <-\n",
     "site example.com, key recheck[1]", "shorter than the step before"),
    ("duplicate-host", SITE + "  www.example.com: # <-\n" + SITE.split("\n", 1)[1],
     "site www.example.com", "same site as 'example.com' (line 2)"),
    ("duplicate-key", SITE + "    timezone: UTC # <-\n",
     "site example.com, key timezone", "given twice"),
    ("missing-parser", SITE.replace("    parser: generic\n", "").replace(
        "  example.com:", "  example.com: # <-"),
     "site example.com, key parser", "missing (required)"),
    ("unknown-parser", SITE.replace("parser: generic", "parser: custom # <-"),
     "site example.com, key parser", "must be 'site' or 'generic'"),
    ("site-parser-not-registered", SITE.replace("parser: generic", "parser: site # <-"),
     "site example.com, key parser", "no site parser is registered for example.com"),
    ("bad-language", SITE.replace("language: fr", "language: French # <-"),
     "site example.com, key language", "bad language code 'French'"),
    ("bad-selector", SITE + "    sections:\n      - url: https://example.com/news/\n"
     "        link_selector: 'h2 >> a' # <-\n",
     "site example.com, key sections[0].link_selector", "bad CSS selector"),
    ("section-off-site", SITE + "    sections:\n      - url: https://other.org/news/ # <-\n",
     "site example.com, key sections[0].url", "not on example.com"),
    ("no-sources", SITE.replace("    feeds: [https://example.com/feed/]\n", "").replace(
        "  example.com:", "  example.com: # <-"),
     "site example.com, key feeds", "at least one of feeds, sitemaps, sections"),
    ("bad-host-key", SITE.replace("  example.com:", "  Example.com/news: # <-"),
     "site Example.com/news", "lower-case host name"),
    ("bad-database", SITE + "settings:\n  database: not a url # <-\n",
     "key settings.database", "not a database URL"),
    ("zero-connections", SITE + "    connections_per_host: 0 # <-\n",
     "site example.com, key connections_per_host", "at least 1"),
    ("decompressed-below-response", SITE + "settings:\n  max_response_bytes: 10MB\n"
     "  max_decompressed_bytes: 1MB # <-\n",
     "key settings.max_decompressed_bytes", "not be smaller than max_response_bytes"),
    ("bad-size", SITE + "settings:\n  max_response_bytes: lots # <-\n",
     "key settings.max_response_bytes", "bad size 'lots'"),
    ("bad-date-format", SITE + "    date_formats: ['%d %Q %Y'] # <-\n",
     "site example.com, key date_formats[0]", "bad date format"),
    ("agent-without-contact", SITE + "settings:\n  user_agent: mybot/1.0 # <-\n",
     "key settings.user_agent", "must carry a contact URL"),
    ("no-sites", "settings: {min_delay: 1s} # <-\n", "key sites", "expected a mapping of site"),
]  # fmt: skip


def _bad_config_text(text: str) -> str:
    return text if text.startswith(("sites:", "settings:")) else f"sites:\n{text}"


def _marked_line(text: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if MARK in line)


@pytest.mark.parametrize(
    ("text", "place", "complaint"),
    [pytest.param(text, place, complaint, id=name) for name, text, place, complaint in BAD_CONFIGS],
)
def test_bad_config_fails_in_one_line(
    tmp_path: Path, text: str, place: str, complaint: str
) -> None:
    text = _bad_config_text(text)
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ={})
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{_marked_line(text)}: {place}: "), message
    assert complaint in message, message


def test_there_are_at_least_fifteen_bad_configs() -> None:
    assert len(BAD_CONFIGS) >= 15
    assert len({name for name, *_ in BAD_CONFIGS}) == len(BAD_CONFIGS)


def test_config_errors_exit_with_the_usage_code() -> None:
    assert issubclass(ConfigError, UsageError)
    assert ConfigError.exit_code == 2


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, f"sites:\n{SITE}    feeds: [https://example.com/a\n  x: 1\n")
    with pytest.raises(ConfigError, match=rf"^{path}:\d+: YAML syntax error: "):
        load_config(path, environ={})


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.yaml: no such file$"):
        load_config(tmp_path / "nope.yaml", environ={})
