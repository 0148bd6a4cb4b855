"""Counts in the CLI's messages agree with their nouns: "1 article", "2 articles"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURE_CORPUS

from searchlib.cli import ExitStatus, cli, search_command
from searchlib.wording import agreeing, counted


@pytest.mark.parametrize(
    ("count", "noun", "said"),
    [
        (0, "article", "0 articles"),
        (1, "article", "1 article"),
        (2, "article", "2 articles"),
        (12_345, "article", "12,345 articles"),
        (1, "story", "1 story"),
        (3, "story", "3 stories"),
        (2, "query", "2 queries"),
        (2, "match", "2 matches"),
        (2, "day", "2 days"),
        (1, "new article", "1 new article"),
        (4, "indexed file", "4 indexed files"),
    ],
)
def test_counted_makes_the_noun_agree(count: int, noun: str, said: str) -> None:
    assert counted(count, noun) == said


def test_a_phrase_and_a_verb_take_their_given_plural() -> None:
    assert counted(1, "file or record", "files or records") == "1 file or record"
    assert counted(2, "file or record", "files or records") == "2 files or records"
    assert (agreeing(1, "matches", "match"), agreeing(5, "matches", "match")) == ("matches", "match")


def test_messages_about_one_article_say_article(tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    shutil.copy(FIXTURE_CORPUS / "101_a1b2c3d4e5f60001.txt", corpus)
    (corpus / "bad.txt").write_bytes(b"\x00\x01\x02 not an article")
    index = str(tmp_path / "index")
    runner = CliRunner()
    built = runner.invoke(cli, ["index", str(corpus), "--index", index], catch_exceptions=False)
    assert built.exit_code == ExitStatus.SUCCESS
    assert "Indexed 1 article into" in built.output and "Skipped 1 file or record:" in built.output
    stats = runner.invoke(cli, ["stats", "--index", index], catch_exceptions=False)
    assert stats.output.startswith("1 article in ")
    found = runner.invoke(search_command, ["--index", index, "--no-facets"], catch_exceptions=False)
    assert found.output.startswith("1 article (every article)")
    entities = runner.invoke(cli, ["entities", "--index", index], catch_exceptions=False)
    assert " in 1 article\n" in entities.output
