"""The `newsarchive` command: a thin layer over the packages' Python APIs.

User errors end in one line on stderr and exit code 2; nothing a user can cause prints a
traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from scraper import (
    cli_archive,
    cli_config,
    cli_demo,
    cli_export,
    cli_parse,
    cli_parser,
    cli_research,
    cli_run,
    cli_schedule,
    cli_search,
    cli_serve,
    cli_status,
    cli_worker,
)
from scraper.exceptions import ScraperError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Scrape, parse, version and archive defence-news websites."""


cli.add_command(cli_parse.parse_command)
cli.add_command(cli_parser.parser_group)
cli.add_command(cli_parser.save_fixture_command)
cli.add_command(cli_config.config_group)
cli.add_command(cli_run.run_command)
cli.add_command(cli_run.backfill_command)
cli.add_command(cli_schedule.schedule_command)
cli.add_command(cli_demo.demo_command)
cli.add_command(cli_search.search_command)
cli.add_command(cli_research.show_command)
cli.add_command(cli_research.history_command)
cli.add_command(cli_research.diff_command)
cli.add_command(cli_research.cluster_command)
cli.add_command(cli_export.export_command)
cli.add_command(cli_export.stats_command)
cli.add_command(cli_status.status_command)
cli.add_command(cli_status.health_command)
cli.add_command(cli_archive.warc_group)
cli.add_command(cli_archive.reparse_command)
cli.add_command(cli_serve.serve_command)
cli.add_command(cli_worker.worker_command)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        status = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except ScraperError as exc:
        click.echo(f"newsarchive: error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("newsarchive: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except BrokenPipeError:
        return 0
    return status if isinstance(status, int) else 0


if __name__ == "__main__":
    sys.exit(main())
