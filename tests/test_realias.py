"""A changed aliases file, then `searchlib update`: re-applied to every article, no NER."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchlib import Searcher, build_index
from searchlib.cli import cli
from searchlib.entities.aliases import load_aliases
from searchlib.entities.cache import CACHE_FILE
from searchlib.entities.extract import EntityExtractor
from searchlib.indexing.store import read_manifest
from searchlib.indexing.update import update_index

SEED = Path(__file__).parent.parent / "corpus"
SEED_ID = "000_21f7ebbefd25b24b"
MINE = '[[entity]]\nname = "Thaer Salman"\ntype = "person"\naliases = ["Century Foundation"]\n'


@pytest.fixture()
def built(tmp_path: Path) -> tuple[Path, Path]:
    """The seed article indexed with the starter aliases and an (empty) user aliases file."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEED, corpus)
    aliases = tmp_path / "aliases.toml"
    aliases.write_text("# nothing yet\n")
    build_index(corpus, index_dir=tmp_path / "index", aliases=aliases)
    return tmp_path / "index", aliases


def orgs_and_people(index_dir: Path) -> tuple[set[str], set[str]]:
    with Searcher(index_dir) as searcher:
        entities = searcher.article(SEED_ID).entities
    return {e.name for e in entities if e.type == "org"}, {e.name for e in entities if e.type == "person"}


def test_the_manifest_records_the_aliases(built: tuple[Path, Path]) -> None:
    index_dir, aliases = built
    manifest = read_manifest(index_dir)
    assert manifest.aliases_file == str(aliases.resolve())
    assert manifest.extractor_fingerprint == EntityExtractor(aliases=load_aliases(aliases)).fingerprint


def test_a_changed_aliases_file_is_re_applied_from_the_cache(built: tuple[Path, Path]) -> None:
    index_dir, aliases = built
    assert "Century Foundation" in orgs_and_people(index_dir)[0]
    before = read_manifest(index_dir).extractor_fingerprint
    aliases.write_text(MINE)
    with EntityExtractor(aliases=load_aliases(aliases), cache_path=index_dir / CACHE_FILE) as counting:
        report = update_index(index_dir=index_dir, extractor=counting)
        assert (counting.ner_texts, counting.cached_texts) == (0, 1)
    assert (report.changed, report.unchanged) == (1, 0)
    orgs, people = orgs_and_people(index_dir)
    assert "Century Foundation" not in orgs and "Thaer Salman" in people
    assert read_manifest(index_dir).extractor_fingerprint != before
    with Searcher(index_dir) as searcher:
        assert searcher.search("", person="Thaer Salman").total == 1


def test_update_uses_the_recorded_file_and_says_what_it_did(built: tuple[Path, Path]) -> None:
    index_dir, aliases = built
    runner = CliRunner()
    unchanged = runner.invoke(cli, ["update", "--index", str(index_dir)], catch_exceptions=False)
    assert unchanged.exit_code == 0 and "0 changed" in unchanged.output
    aliases.write_text(MINE)
    changed = runner.invoke(cli, ["update", "--index", str(index_dir)], catch_exceptions=False)
    assert changed.exit_code == 0, changed.output
    assert "1 changed" in changed.output
    assert "Thaer Salman" in orgs_and_people(index_dir)[1]
    again = runner.invoke(cli, ["update", "--index", str(index_dir)], catch_exceptions=False)
    assert "0 changed" in again.output


def test_a_broken_aliases_file_stops_the_update_and_keeps_the_index(built: tuple[Path, Path]) -> None:
    index_dir, aliases = built
    aliases.write_text('[[entity]]\nname = "X"\ntype = "company"\n')
    result = CliRunner().invoke(cli, ["update", "--index", str(index_dir)])
    assert result.exit_code == 8
    assert "line 3: 'X' has type 'company'" in result.stderr
    assert "Kataeb Hezbollah" in orgs_and_people(index_dir)[0]
