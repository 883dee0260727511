"""benchmarks/soak.py, shortened: a half-minute soak of two workers against a changing site
completes, and its JSON holds the figures the full soak reports; the version matching it
relies on, on hand-made cases."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.soak import main
from benchmarks.soak_archive import ArchivedVersion, match_versions
from benchmarks.soak_site import SiteVersion

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
URL = "http://a.example/story/"


def test_a_short_soak_completes_and_reports_every_figure(
    tmp_path: Path, postgres_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "soak.json"
    args = ["--minutes", "0.4", "--interval", "8", "--workers", "2", "--hosts", "2"]
    args += ["--pages", "5", "--publish-per-minute", "10", "--update-per-minute", "20"]
    args += ["--discover-every", "3s", "--drain", "60", "--sample-seconds", "1"]

    assert main([*args, "--db", postgres_server, "--json", str(report)]) == 0

    figures = json.loads(report.read_text())
    assert [row["interval"] for row in figures["intervals"]] == [
        "0:00-0:08", "0:08-0:16", "0:16-0:24", "drain"
    ]  # fmt: skip
    totals = figures["totals"]
    assert totals["worker_fetches"] > 0 and totals["scheduler_fetches"] > 0
    assert totals["site_new"] > 0 and totals["site_updates"] > 0
    assert figures["exit_codes"] == {"scheduler": 0, "w0": 0, "w1": 0}
    assert all(one["died_at_s"] is None for one in figures["processes"].values())
    assert all(one["events"].get("url_failed", 0) == 0 for one in figures["processes"].values())

    versions = figures["versions"]
    assert versions["initial"]["made"] == 10
    assert versions["new"]["made"] == totals["site_new"]
    assert versions["update"]["made"] == totals["site_updates"]
    assert versions["missed_current"] == 0, versions["missed_examples"]  # the drain caught up
    assert versions["unexpected_archived"] == versions["duplicate_archived"] == 0
    assert versions["all"]["caught"] == sum(figures["archived_kinds"].values())

    memory = figures["memory"]["processes"]
    assert {"scheduler", "w0", "w1"} <= set(memory)
    assert any(">parse-" in label for label in memory), sorted(memory)  # child processes too
    for one in memory.values():
        assert len(one["peak_mb_by_interval"]) == 4 and one["hwm_mb"] > 0
    assert figures["memory"]["flat"] in (True, False)
    assert "Memory verdict" in capsys.readouterr().out


def site_version(kind: str, marker: str | None, seconds: int, url: str = URL) -> SiteVersion:
    return SiteVersion(url, kind, marker, T0 + timedelta(seconds=seconds))  # type: ignore[arg-type]


def filed(body: str, seconds: int, url: str = URL, kind: str = "first") -> ArchivedVersion:
    return ArchivedVersion(url, url, kind, body, T0 + timedelta(seconds=seconds))


def test_archived_versions_match_the_site_version_whose_marker_they_hold() -> None:
    made = [
        site_version("new", None, 0),
        site_version("update", "Soakrev000001", 10),
        site_version("update", "Soakrev000002", 20),  # replaced before anyone fetched it
        site_version("update", "Soakrev000003", 30),
        site_version("initial", None, 0, url="http://a.example/never-fetched/"),
    ]
    archived = [
        filed("Words.", 4),
        filed("Words. Soakrev000001: more.", 16, kind="updated"),
        filed("Words. Soakrev000001: more.", 17, kind="date_only"),  # the same version again
        filed("Words. Soakrev000003: more.", 40, kind="updated"),
        filed("Elsewhere.", 5, url="http://a.example/unknown/"),
    ]

    figures = match_versions(made, archived)

    assert figures["all"]["made"] == 5 and figures["all"]["caught"] == 3
    assert figures["update"] == {
        "made": 3,
        "caught": 2,
        "caught_share": 0.6667,
        "lag_median_s": 8.0,
        "lag_p95_s": 10.0,
        "lag_max_s": 10.0,
    }
    assert figures["new"]["lag_median_s"] == 4.0
    assert figures["missed_superseded"] == 1
    assert figures["missed_current"] == 1
    assert figures["missed_examples"][0]["url"] == "http://a.example/never-fetched/"
    assert figures["duplicate_archived"] == 1
    assert figures["unexpected_archived"] == 1
