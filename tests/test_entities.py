"""The entity extractor through the real pipeline: the seed article, the cache, alias search."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib import Searcher, build_index
from searchlib.cli import cli, search_command
from searchlib.entities.cache import CACHE_FILE
from searchlib.entities.extract import EntityExtractor

SEED = Path(__file__).parent.parent / "corpus"
SEED_ID = "000_21f7ebbefd25b24b"


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EntityExtractor]:
    """The seed corpus indexed with a counting extractor that uses the index's cache."""
    index_dir = tmp_path_factory.mktemp("seed-entities") / "index"
    with EntityExtractor(cache_path=index_dir / CACHE_FILE) as extractor:
        build_index(SEED, index_dir=index_dir, extractor=extractor)
    return index_dir, extractor


def entity_names(index_dir: Path, kind: str) -> set[str]:
    with Searcher(index_dir) as searcher:
        article = searcher.article(SEED_ID)
    return {e.name for e in article.entities if e.type == kind}


def test_seed_organisations(seed_build: tuple[Path, EntityExtractor]) -> None:
    orgs = entity_names(seed_build[0], "org")
    assert {"Kataeb Hezbollah", "Asaib Ahl al-Haq", "Hashed al-Shaabi", "Revolutionary Guards"} <= orgs


def test_seed_people(seed_build: tuple[Path, EntityExtractor]) -> None:
    people = entity_names(seed_build[0], "person")
    assert {"Mustafa al-Kadhemi", "Qasem Soleimani", "Abu Mahdi al-Muhandis", "Sajad Jiyad"} <= people
    assert "Donald Trump" in people or "Trump" in people
    assert not {"Kataeb Hezbollah", "Asaib Ahl al-Haq", "Hashed", "Kadhemi"} & people


def test_seed_places(seed_build: tuple[Path, EntityExtractor]) -> None:
    places = entity_names(seed_build[0], "place")
    assert {"Baghdad", "Iraq", "Iran"} <= places
    assert "Kadhemi" not in places and "Soleimani" not in places


def test_us_forms_are_one_place(seed_build: tuple[Path, EntityExtractor]) -> None:
    places = entity_names(seed_build[0], "place")
    assert "United States" in places
    assert not {"US", "U.S."} & places


def test_search_by_an_alias_finds_the_canonical_entity(seed_build: tuple[Path, EntityExtractor]) -> None:
    index_dir = seed_build[0]
    with Searcher(index_dir) as searcher:
        assert searcher.search('org:"Hashd al-Shaabi"').total == 1
        assert searcher.search("", org="Popular Mobilisation Forces").total == 1
        assert searcher.search("", entity="Kadhimi").total == 1
        assert searcher.search('person:"Qassem Soleimani"').total == 1
        assert searcher.search('org:"Hashd al-Shaabi"', facets=["org"]).facet("org") is not None


@pytest.mark.parametrize(
    "args",
    [["--json", 'org:"Hashd al-Shaabi"'], ["--json", "--entity", "Kadhemi"], ["--json", "--org", "PMF"]],
)
def test_alias_search_from_the_cli(seed_build: tuple[Path, EntityExtractor], args: list[str]) -> None:
    result = CliRunner().invoke(
        search_command, [*args, "--index", str(seed_build[0])], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert [hit["id"] for hit in json.loads(result.stdout)["hits"]] == [SEED_ID]


def test_a_second_build_runs_no_ner(seed_build: tuple[Path, EntityExtractor], tmp_path: Path) -> None:
    index_dir, first = seed_build
    assert first.ner_texts == 1
    corpus = tmp_path / "corpus"
    shutil.copytree(SEED, corpus)
    with EntityExtractor(cache_path=index_dir / CACHE_FILE) as again:
        build_index(corpus, index_dir=index_dir, extractor=again)
        assert (again.ner_texts, again.cached_texts) == (0, 1)
    assert "Kataeb Hezbollah" in entity_names(index_dir, "org")


def test_the_default_build_keeps_its_cache_outside_the_generations(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index(SEED, index_dir=index_dir)
    assert (index_dir / CACHE_FILE).is_file()
    result = CliRunner().invoke(cli, ["index", str(SEED), "--rebuild", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in index_dir.glob("gen-*")) == ["gen-000001", "gen-000002"]
    assert (index_dir / CACHE_FILE).is_file()


def test_spacy_is_not_imported_to_answer_a_query(seed_build: tuple[Path, EntityExtractor]) -> None:
    import subprocess
    import sys

    code = (
        "import sys, searchlib; from searchlib import search; "
        f"search('Kataeb', index_dir={str(seed_build[0])!r}); print('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
