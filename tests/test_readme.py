"""The README's commands are real: every `newsarchive` line names a command that exists and
takes the options shown, every `make` target exists, and the safe ones run as shown."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from scraper.cli import cli, main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(?:sh|console)?\n(.*?)```", README, flags=re.S)


def _command_lines() -> list[str]:
    lines = []
    for block in BLOCKS:
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith(".venv/bin/newsarchive"):
                lines.append(line)
    return lines


def _make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M))


COMMANDS = _command_lines()


def test_the_readme_shows_commands() -> None:
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("line", COMMANDS)
def test_each_command_and_option_exists(line: str) -> None:
    args = shlex.split(line)[1:]
    command: click.Command = cli
    context = click.Context(cli)
    while isinstance(command, click.Group) and args and not args[0].startswith("-"):
        found = command.get_command(context, args[0])
        assert found is not None, f"no command {args[0]!r} in: {line}"
        command, args = found, args[1:]
    known = {opt for param in command.params for opt in getattr(param, "opts", [])}
    for arg in args:
        if arg.startswith("-"):
            assert arg.split("=", 1)[0] in known, f"{arg} is not an option of: {line}"


@pytest.mark.parametrize("target", sorted(set(re.findall(r"\bmake ([a-z-]+)", README))))
def test_each_make_target_exists(target: str) -> None:
    assert target in _make_targets()


def test_config_check_runs_as_shown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "check", "--config", str(ROOT / "schedules.yaml")]) == 0
    assert "ok," in capsys.readouterr().out
