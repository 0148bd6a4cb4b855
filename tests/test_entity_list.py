"""`searchlib entities` and `Searcher.entities`: counts and variants over a real index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib import Searcher
from searchlib.cli import cli
from searchlib.errors import UsageError


def test_the_top_organisations_have_counts(searcher: Searcher) -> None:
    listing = searcher.entities(type="org", limit=5)
    assert listing.type == "org" and len(listing.entities) <= 5
    assert all(e.type == "org" for e in listing.entities)
    counts = [e.articles for e in listing.entities]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    assert listing.documents == searcher.stats().documents
    assert "Kataeb Hezbollah" in {e.name for e in searcher.entities(type="org", limit=1000).entities}


def test_variants_are_listed_under_their_entity(searcher: Searcher) -> None:
    entities = {e.name: e for e in searcher.entities(limit=10_000).entities}
    kadhemi = entities["Mustafa al-Kadhemi"]
    assert "Kadhemi" in {v.name for v in kadhemi.variants}
    assert all(0 < v.articles <= kadhemi.articles for v in kadhemi.variants)
    assert "Kadhemi" not in entities


def test_truncated_says_whether_more_exist(searcher: Searcher) -> None:
    assert searcher.entities(limit=1).truncated
    assert not searcher.entities(limit=100_000).truncated


def test_bad_arguments_are_usage_errors(searcher: Searcher) -> None:
    with pytest.raises(UsageError, match="unknown entity type 'company'"):
        searcher.entities(type="company")
    with pytest.raises(UsageError, match="limit"):
        searcher.entities(limit=0)


def test_the_command_lists_organisations(index_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["entities", "--type", "org", "--limit", "3", "--index", str(index_dir)], catch_exceptions=False
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("Organisations: top 3 of ")
    assert len(lines) == 4
    assert all(line.split()[0].replace(",", "").isdigit() for line in lines[1:])


def test_the_command_as_json(index_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["entities", "--json", "--index", str(index_dir)], catch_exceptions=False
    )
    data = json.loads(result.output)
    assert set(data) == {"type", "documents", "total", "entities", "truncated"}
    assert {"name", "type", "articles", "variants", "votes"} == set(data["entities"][0])


def test_the_command_without_an_index(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["entities", "--index", str(tmp_path / "none")])
    assert result.exit_code == 3 and "no index at" in result.stderr
