"""The README documents every command and option, and its Quickstart is what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from searchlib.cli import cli, search_command

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_a_readme_entry(name: str) -> None:
    command = cli.commands[name]
    assert command.help, f"searchlib {name} has no help"
    assert f"`searchlib {name}" in README, f"README has no entry for searchlib {name}"


@pytest.mark.parametrize(
    "option",
    sorted(
        opt
        for param in search_command.params
        if isinstance(param, click.Option) and param.name not in {"version", "help"}
        for opt in param.opts
        if opt.startswith("--")
    ),
)
def test_every_search_option_is_in_the_readme(option: str) -> None:
    assert f"`{option}" in README or f"{option}/" in README or f"/{option}" in README, option


def test_quickstart_has_exactly_two_commands() -> None:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert 'search "Kataeb Hezbollah"' in commands[0]
    assert "pytest" in commands[1] and ".[test]" in commands[1]
