"""The user's own example article, in corpus/, through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib import Searcher, build_index
from searchlib.cli import search_command

SEED = Path(__file__).parent.parent / "corpus"


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("seed") / "index"
    build_index(SEED, index_dir=target)
    return target


def test_kataeb_hezbollah_finds_the_seed_and_marks_both_words(seed_index: Path) -> None:
    result = CliRunner().invoke(search_command, ["--json", "Kataeb Hezbollah", "--index", str(seed_index)])
    data = json.loads(result.stdout)
    assert data["total"] == 1
    hit = data["hits"][0]
    assert hit["id"] == "000_21f7ebbefd25b24b"
    marked = [s["text"][a:b] for s in hit["snippets"] for a, b in s["highlights"]]
    assert "Kataeb Hezbollah" in marked


def test_seed_metadata(seed_index: Path) -> None:
    with Searcher(seed_index) as searcher:
        article = searcher.article("000_21f7ebbefd25b24b")
    assert article.source == "Iraq News"
    assert article.date is not None and article.date.isoformat() == "2020-12-31T07:30:00"
    assert article.credit == "ThisDay | Iraq News Now"
    assert "cut off the ears of the traitor" in article.body


def test_seed_entity_facets(seed_index: Path) -> None:
    with Searcher(seed_index) as searcher:
        results = searcher.search("Kataeb Hezbollah", facet_limit=100)
    names = {v.value for name in ("person", "org", "place") for v in results.facet(name).values}
    assert {"Kataeb Hezbollah", "Qasem Soleimani", "Baghdad"} <= names
