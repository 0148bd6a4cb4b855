"""Related articles: key terms and shared names, without the article and its near-duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib import ArticleNotFound, Searcher, UsageError
from searchlib.cli import ExitStatus, search_command

DRONES = "101_a1b2c3d4e5f60001"
SYNDICATED_COPY = "201_b1b2c3d4e5f60001"
FOLLOW_UP = "202_b1b2c3d4e5f60002"
WHEAT = "203_b1b2c3d4e5f60003"


@pytest.fixture()
def analyst_searcher(analyst_index: Path):
    with Searcher(analyst_index) as opened:
        yield opened


def test_related_finds_the_story_on_the_same_subject_first(analyst_searcher: Searcher) -> None:
    related = analyst_searcher.related(DRONES, limit=3)
    ids = [hit.id for hit in related.hits]
    assert ids[0] == FOLLOW_UP
    assert "kataeb" in related.key_terms or "hezbollah" in related.key_terms
    assert WHEAT not in ids


def test_related_leaves_out_the_article_and_its_near_duplicates(analyst_searcher: Searcher) -> None:
    related = analyst_searcher.related(DRONES, limit=20)
    ids = [hit.id for hit in related.hits]
    assert DRONES not in ids and SYNDICATED_COPY not in ids
    assert related.duplicates == (SYNDICATED_COPY,)
    assert analyst_searcher.related(SYNDICATED_COPY, limit=20).duplicates == (DRONES,)


def test_related_hits_are_best_first_and_limited(analyst_searcher: Searcher) -> None:
    related = analyst_searcher.related(FOLLOW_UP, limit=2)
    assert len(related.hits) == 2
    assert related.hits[0].score >= related.hits[1].score
    assert json.loads(related.to_json())["hits"][0]["id"] == related.hits[0].id


def test_related_of_an_unknown_id_or_bad_limit_is_an_error(analyst_searcher: Searcher) -> None:
    with pytest.raises(ArticleNotFound, match="no article with id 'nope'"):
        analyst_searcher.related("nope")
    with pytest.raises(UsageError, match="limit must be from 1"):
        analyst_searcher.related(DRONES, limit=0)


def run(*args: str):
    return CliRunner().invoke(search_command, list(args), catch_exceptions=False)


def test_cli_like_prints_related_articles_and_the_duplicates_left_out(analyst_index: Path) -> None:
    result = run("--like", DRONES, "--limit", "2", "--index", str(analyst_index))
    assert result.exit_code == ExitStatus.SUCCESS
    assert result.output.startswith(f"2 articles like {DRONES}")
    assert FOLLOW_UP in result.output
    assert f"Left out as near-duplicates: {SYNDICATED_COPY}" in result.output


def test_cli_like_json(analyst_index: Path) -> None:
    result = run("--like", DRONES, "--json", "--index", str(analyst_index))
    data = json.loads(result.output)
    assert data["id"] == DRONES and data["duplicates"] == [SYNDICATED_COPY]
    assert {"id", "date", "source", "title", "snippets"} <= set(data["hits"][0])


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--like", "nope"], ExitStatus.ARTICLE_NOT_FOUND, "error: no article with id 'nope'"),
        (["--like", DRONES, "drones"], ExitStatus.USAGE, "error: --like finds articles like one article"),
    ],
)
def test_cli_like_errors(analyst_index: Path, args: list[str], status: int, message: str) -> None:
    result = run(*args, "--index", str(analyst_index))
    assert result.exit_code == status
    assert result.stderr.startswith(message)
