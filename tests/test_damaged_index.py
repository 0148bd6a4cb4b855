"""A damaged index gives one line saying how to start over, and `index --rebuild` always can.

Random bytes over the table of contents, or a segment cut short, are what a failing disk or a
careless copy leaves; every command that reads the index must say so in one line (exit status
INDEX_NOT_FOUND), and a rebuild must start over from the corpus whatever it finds.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib.cli import ExitStatus, cli, search_command


def damage(index: Path, how: str) -> None:
    (generation,) = index.glob("gen-*")
    if how == "random bytes over the TOC":
        (toc,) = generation.glob("_MAIN_*.toc")
        toc.write_bytes(os.urandom(300))
    else:
        (segment,) = generation.glob("MAIN_*.seg")
        with open(segment, "r+b") as handle:
            handle.truncate(segment.stat().st_size // int(how.rpartition("/")[2]))


DAMAGES = ["random bytes over the TOC", "a segment cut to 1/2", "a segment cut to 1/20"]


@pytest.fixture(params=DAMAGES)
def damaged_index(request: pytest.FixtureRequest, index_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(index_dir, target, ignore=shutil.ignore_patterns("*.lock"))
    damage(target, request.param)
    return target


@pytest.mark.parametrize(
    "args",
    [["search", "OPEC"], ["search", "--sort", "date"], ["stats"], ["entities"], ["watch", "add", "w", "oil"]],
)
def test_reading_a_damaged_index_is_one_line(damaged_index: Path, args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--index", str(damaged_index)])
    assert result.exit_code == ExitStatus.INDEX_NOT_FOUND, result.output
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"error: the index at {damaged_index} is damaged (")
    assert "searchlib index --rebuild" in result.output


def test_a_rebuild_starts_over_from_the_corpus(damaged_index: Path, corpus_dir: Path) -> None:
    rebuilt = CliRunner().invoke(cli, ["index", str(corpus_dir), "--rebuild", "--index", str(damaged_index)])
    assert rebuilt.exit_code == ExitStatus.SUCCESS, rebuilt.output
    found = CliRunner().invoke(search_command, ["OPEC", "--index", str(damaged_index)])
    assert found.exit_code == ExitStatus.SUCCESS, found.output
    assert "articles match" in found.output or "article matches" in found.output


def test_the_web_page_over_a_damaged_index_is_a_one_line_error(damaged_index: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--port", "0", "--index", str(damaged_index)])
    assert result.exit_code == ExitStatus.INDEX_NOT_FOUND
    assert result.output.count("\n") == 1
