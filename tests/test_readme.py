"""The README's commands are real: every `newsarchive` line names a command that exists and
takes the options shown, every `make` target exists, and the safe ones run as shown."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from scraper.cli import cli, main
from tests.conftest import DemoArchive

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
        if arg.startswith("-") and arg != "-":  # a lone "-" is standard input/output
            assert arg.split("=", 1)[0] in known, f"{arg} is not an option of: {line}"


@pytest.mark.parametrize("target", sorted(set(re.findall(r"\bmake ([a-z-]+)", README))))
def test_each_make_target_exists(target: str) -> None:
    assert target in _make_targets()


def test_config_check_runs_as_shown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "check", "--config", str(ROOT / "schedules.yaml")]) == 0
    assert "ok," in capsys.readouterr().out


RESEARCH = README[README.index("## For researchers") : README.index("## Parsing a saved page")]
_MOMENT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")


def _console_examples() -> list[tuple[str, list[str]]]:
    """(command line, the output shown under it) of each console block for researchers."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", RESEARCH, flags=re.S):
        command, *shown = block.rstrip("\n").splitlines()
        examples.append((command, shown))
    return examples


def _comparable(lines: list[str]) -> list[str]:
    """Lines as a reader compares them: save times differ per run, trailing blanks don't count."""
    return [_MOMENT.sub("<time>", line.rstrip()) for line in lines if line.strip()]


@pytest.mark.parametrize(("command", "shown"), _console_examples())
def test_research_examples_print_what_the_readme_shows(
    command: str,
    shown: list[str],
    demo_archive: DemoArchive,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NEWSARCHIVE_DB", demo_archive.database_url)
    monkeypatch.chdir(tmp_path)
    args = shlex.split(command)[1:]
    assert main([*args, "--config", str(ROOT / "schedules.yaml")]) == 0
    captured = capsys.readouterr()
    printed = _comparable((captured.out + captured.err).splitlines())
    expected = _comparable(shown)
    article_ids = re.compile(r"^article \d+:")
    assert [article_ids.sub("article <id>:", line) for line in printed] == [
        article_ids.sub("article <id>:", line) for line in expected
    ]


def test_python_example_runs_on_the_demo_archive(
    demo_archive: DemoArchive,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", RESEARCH, flags=re.S)
    monkeypatch.chdir(tmp_path)
    exec(code.replace("sqlite:///data/demo/archive.sqlite3", demo_archive.database_url), {})
    printed = capsys.readouterr().out
    for expected in re.findall(r"\)  # (.+)$", code, flags=re.M):
        if not expected.startswith("needs"):
            assert expected in printed
    versions = sum(len(a["kinds"]) for a in demo_archive.outcome["versioned"])
    versions += demo_archive.outcome["articles"] - len(demo_archive.outcome["versioned"])
    assert (tmp_path / "demo.jsonl").read_text(encoding="utf-8").count("\n") == versions
