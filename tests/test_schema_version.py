"""An index of another schema version: every command refuses it and says what to do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from searchlib import Searcher, search, update_index
from searchlib.cli import ExitStatus, cli
from searchlib.errors import IndexNotFound, SchemaMismatch
from searchlib.indexing.schema import SCHEMA_VERSION
from searchlib.indexing.store import MANIFEST, read_manifest

COMMAND_ARGS: dict[str, list[str]] = {
    "search": ["Kataeb"],
    "index": ["{corpus}"],
    "update": [],
    "stats": [],
    "entities": ["--type", "org"],
    "batch": ["{names}"],
    "serve": ["--port", "0"],
    "watch add": ["mine", "Kataeb"],
    "watch run": [],
}
"""Each command (``group sub`` for a group's) and the arguments that make it open the index."""

NOT_READING_THE_INDEX = {"watch list", "watch remove"}
"""Commands that only touch a sidecar file (``watches.json``), never the Whoosh index."""


def all_commands(group: click.Group = cli, prefix: str = "") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            names += all_commands(command, f"{prefix}{name} ")
        else:
            names.append(f"{prefix}{name}")
    return names


def with_schema(index_dir: Path, tmp_path: Path, version: object) -> Path:
    copy = tmp_path / "ix"
    shutil.copytree(index_dir, copy)
    manifest = json.loads((copy / MANIFEST).read_text())
    (copy / MANIFEST).write_text(json.dumps({**manifest, "schema_version": version}))
    return copy


def test_every_command_is_covered() -> None:
    assert sorted([*COMMAND_ARGS, *NOT_READING_THE_INDEX]) == all_commands(), (
        "add the new command's arguments to COMMAND_ARGS"
    )


@pytest.mark.parametrize("version", [SCHEMA_VERSION - 1, SCHEMA_VERSION + 1])
@pytest.mark.parametrize("command", sorted(COMMAND_ARGS))
def test_each_command_refuses_another_schema_version_in_one_line(
    index_dir: Path, corpus_dir: Path, tmp_path: Path, command: str, version: int
) -> None:
    ix = with_schema(index_dir, tmp_path, version)
    (tmp_path / "names.txt").write_text("Kataeb Hezbollah\n")
    args = [a.format(corpus=corpus_dir, names=tmp_path / "names.txt") for a in COMMAND_ARGS[command]]
    result = CliRunner().invoke(cli, [*command.split(), *args, "--index", str(ix)])
    assert result.exit_code == ExitStatus.SCHEMA_MISMATCH, result.output
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert f"schema version {version}" in result.stderr
    assert f"searchlib index --rebuild --index {ix}" in result.stderr
    if version > SCHEMA_VERSION:
        assert "upgrade searchlib" in result.stderr


def test_the_library_refuses_it_too(index_dir: Path, tmp_path: Path) -> None:
    ix = with_schema(index_dir, tmp_path, SCHEMA_VERSION + 1)
    for call in (lambda: Searcher(ix), lambda: search("x", index_dir=ix), lambda: update_index(index_dir=ix)):
        with pytest.raises(SchemaMismatch, match="upgrade searchlib"):
            call()


def test_an_open_searcher_notices_a_rebuild_in_another_schema(index_dir: Path, tmp_path: Path) -> None:
    ix = with_schema(index_dir, tmp_path, SCHEMA_VERSION)
    with Searcher(ix) as searcher:
        manifest = json.loads((ix / MANIFEST).read_text())
        (ix / MANIFEST).write_text(json.dumps({**manifest, "generation": "gen-999999", "schema_version": 99}))
        with pytest.raises(SchemaMismatch):
            searcher.refresh()


def test_rebuild_replaces_an_index_of_another_schema_or_a_damaged_manifest(
    index_dir: Path, corpus_dir: Path, tmp_path: Path
) -> None:
    ix = with_schema(index_dir, tmp_path, "garbage")
    result = CliRunner().invoke(cli, ["search", "x", "--index", str(ix)])
    assert result.exit_code == ExitStatus.SCHEMA_MISMATCH
    (ix / MANIFEST).write_text("{not json")
    with pytest.raises(IndexNotFound, match="--rebuild"):
        Searcher(ix)
    result = CliRunner().invoke(cli, ["index", str(corpus_dir), "--rebuild", "--index", str(ix)])
    assert result.exit_code == ExitStatus.SUCCESS, result.output
    assert read_manifest(ix).schema_version == SCHEMA_VERSION
    with Searcher(ix) as searcher:
        assert searcher.search("OPEC").total == 1
