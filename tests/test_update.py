"""Incremental updates: only new and changed files are indexed, deleted ones leave the index."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import CountingExtractor

from searchlib import Searcher, build_index, corpus_changed, update_index
from searchlib.cli import ExitStatus, cli, search_command
from searchlib.entities.extract import EntityExtractor
from searchlib.errors import CorpusNotFound, IndexNotFound, UsageError
from searchlib.indexing.dedupe import load_cluster_ids
from searchlib.indexing.filetable import TABLE_FILE
from searchlib.indexing.store import open_current, read_manifest
from searchlib.models import Entity

NEW_ARTICLE = (
    " date 2022-03-01 - Source: Zeppelin Times\n\nZeppelin returns\n\nA zeppelin flew over Berlin.\n"
)


@pytest.fixture()
def ner(spacy_extractor: EntityExtractor) -> CountingExtractor:
    return CountingExtractor(spacy_extractor)


def segments(index_dir: Path) -> int:
    ix, _manifest = open_current(index_dir)
    with ix.reader() as reader:
        return len(reader.leaf_readers())


def ids(index_dir: Path) -> set[str]:
    with Searcher(index_dir) as searcher:
        return {hit.id for hit in searcher.search("", page_size=1000, facets=None).hits}


def test_an_unchanged_corpus_reads_no_file_and_indexes_nothing(
    fresh_index: Path, ner: CountingExtractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import searchlib.indexing.build

    def no_reading(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("an unchanged file was read")

    monkeypatch.setattr(searchlib.indexing.build, "read_article_bytes", no_reading)
    report = update_index(index_dir=fresh_index, extractor=ner)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 0, 0, 8)
    assert ner.texts == 0 and not report.skipped


def test_new_changed_and_deleted_files(fresh_index: Path, fresh_corpus: Path, ner: CountingExtractor) -> None:
    (fresh_corpus / "109_zeppelin.txt").write_text(NEW_ARTICLE)
    changed = fresh_corpus / "103_a1b2c3d4e5f60003.txt"
    changed.write_text(changed.read_text().replace("OPEC", "the cartel") + "\nA walrus appeared.\n")
    (fresh_corpus / "105_a1b2c3d4e5f60005.txt").unlink()
    report = update_index(index_dir=fresh_index, extractor=ner)
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 6)
    assert ner.texts == 2
    assert "109_zeppelin" in ids(fresh_index) and "105_a1b2c3d4e5f60005" not in ids(fresh_index)
    with Searcher(fresh_index) as searcher:
        assert [h.id for h in searcher.search("walrus").hits] == ["103_a1b2c3d4e5f60003"]
        assert searcher.search("OPEC").total == 0
        assert searcher.search("zeppelin", facets=["source"]).facet("source").values[0].value == (
            "Zeppelin Times"
        )
        assert searcher.stats().documents == 8


def test_touching_a_file_costs_a_read_but_no_reindex(
    fresh_index: Path, fresh_corpus: Path, ner: CountingExtractor
) -> None:
    path = fresh_corpus / "101_a1b2c3d4e5f60001.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    report = update_index(index_dir=fresh_index, extractor=ner)
    assert (report.indexed, report.unchanged, ner.texts) == (0, 8, 0)
    assert corpus_changed(fresh_index) is False


def test_a_renamed_file_is_indexed_once_without_entity_extraction(
    fresh_index: Path, fresh_corpus: Path, ner: CountingExtractor
) -> None:
    with Searcher(fresh_index) as searcher:
        before = searcher.article("101_a1b2c3d4e5f60001").entities
    (fresh_corpus / "101_a1b2c3d4e5f60001.txt").rename(fresh_corpus / "201_renamed.txt")
    report = update_index(index_dir=fresh_index, extractor=ner)
    assert (report.added, report.removed, ner.texts) == (1, 1, 0)
    assert "201_renamed" in ids(fresh_index) and "101_a1b2c3d4e5f60001" not in ids(fresh_index)
    with Searcher(fresh_index) as searcher:
        assert searcher.article("201_renamed").entities == before
        assert searcher.search('"Kataeb Hezbollah" drones').total == 1


def test_a_file_moved_to_a_subfolder_gets_its_new_path(
    fresh_index: Path, fresh_corpus: Path, ner: CountingExtractor
) -> None:
    (fresh_corpus / "2021").mkdir()
    target = fresh_corpus / "2021" / "101_a1b2c3d4e5f60001.txt"
    (fresh_corpus / "101_a1b2c3d4e5f60001.txt").rename(target)
    report = update_index(index_dir=fresh_index, extractor=ner)
    assert (report.changed, report.removed, ner.texts) == (1, 0, 0)
    with Searcher(fresh_index) as searcher:
        assert searcher.article("101_a1b2c3d4e5f60001").path == str(target.resolve())


def test_a_lost_file_table_is_rebuilt_from_the_index(
    fresh_index: Path, fresh_corpus: Path, ner: CountingExtractor
) -> None:
    generation = read_manifest(fresh_index).generation
    (fresh_index / generation / TABLE_FILE).unlink()
    report = update_index(index_dir=fresh_index, extractor=ner)
    assert (report.indexed, report.removed, report.unchanged, ner.texts) == (0, 0, 8, 0)
    assert (fresh_index / generation / TABLE_FILE).is_file()


def test_the_size_limit_applies_to_updates(
    fresh_index: Path, fresh_corpus: Path, ner: CountingExtractor
) -> None:
    big = fresh_corpus / "104_a1b2c3d4e5f60004.txt"
    big.write_text(big.read_text() + "padding " * 2000)
    report = update_index(index_dir=fresh_index, extractor=ner, max_bytes=10_000)
    assert report.removed == 1
    assert [(Path(s.path).name, s.reason.split(" (")[0]) for s in report.skipped] == [
        ("104_a1b2c3d4e5f60004.txt", "too large")
    ]


def test_corpus_changed_notices_added_touched_and_deleted_files(
    fresh_index: Path, fresh_corpus: Path
) -> None:
    assert corpus_changed(fresh_index) is False
    (fresh_corpus / "109_zeppelin.txt").write_text(NEW_ARTICLE)
    assert corpus_changed(fresh_index) is True
    (fresh_corpus / "109_zeppelin.txt").unlink()
    assert corpus_changed(fresh_index) is False
    (fresh_corpus / "102_a1b2c3d4e5f60002.txt").unlink()
    assert corpus_changed(fresh_index) is True


def test_another_corpus_is_refused(fresh_index: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(UsageError, match="--rebuild"):
        update_index(other, index_dir=fresh_index)
    assert len(ids(fresh_index)) == 8


def test_without_an_index_an_update_builds_one(
    fresh_corpus: Path, tmp_path: Path, ner: CountingExtractor
) -> None:
    with pytest.raises(IndexNotFound, match="searchlib index"):
        update_index(index_dir=tmp_path / "ix", extractor=ner)
    report = update_index(fresh_corpus, index_dir=tmp_path / "ix", extractor=ner)
    assert report.rebuilt and report.added == 8


def test_update_command_reports_counts(fresh_index: Path, fresh_corpus: Path) -> None:
    (fresh_corpus / "109_zeppelin.txt").write_text(NEW_ARTICLE)
    result = CliRunner().invoke(cli, ["update", "--index", str(fresh_index)], catch_exceptions=False)
    assert result.exit_code == ExitStatus.SUCCESS, result.output
    assert "Updated 1 article (1 added, 0 changed, 0 removed, 8 unchanged)" in result.stdout


def test_index_command_on_an_existing_index_updates_it(fresh_index: Path, fresh_corpus: Path) -> None:
    generation = read_manifest(fresh_index).generation
    result = CliRunner().invoke(cli, ["index", str(fresh_corpus), "--index", str(fresh_index)])
    assert result.exit_code == ExitStatus.SUCCESS, result.output
    assert "An index exists" in result.stderr and "--rebuild" in result.stderr
    assert "8 unchanged" in result.stdout
    assert read_manifest(fresh_index).generation == generation


def test_search_notes_a_changed_corpus_and_update_flag_updates_first(
    fresh_index: Path, fresh_corpus: Path
) -> None:
    def search(*args: str):
        return CliRunner().invoke(
            search_command, [*args, "--index", str(fresh_index)], catch_exceptions=False
        )

    assert "note:" not in search("zeppelin").stderr
    (fresh_corpus / "109_zeppelin.txt").write_text(NEW_ARTICLE)
    stale = search("--json", "zeppelin")
    assert json.loads(stale.stdout)["total"] == 0
    assert "searchlib update" in stale.stderr
    fresh = search("--json", "--update", "zeppelin")
    assert json.loads(fresh.stdout)["total"] == 1
    assert "Updated 1 article" in fresh.stderr and "note:" not in fresh.stderr
    assert "note:" not in search("zeppelin").stderr


def test_a_copied_index_keeps_working(fresh_index: Path, tmp_path: Path, ner: CountingExtractor) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(fresh_index, copy)
    report = update_index(index_dir=copy, extractor=ner)
    assert report.unchanged == 8 and ner.texts == 0


class AliasingExtractor:
    """The real extractor with an alias table applied, fingerprinted like the entities module's."""

    def __init__(self, real: EntityExtractor, aliases: dict[str, str]) -> None:
        self.real = real
        self.aliases = aliases
        self.fingerprint = json.dumps(sorted(aliases.items()))
        self.texts = 0

    def extract(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        self.texts += len(texts)
        return [
            tuple(Entity(self.aliases.get(e.name, e.name), e.type) for e in found)
            for found in self.real.extract(texts)
        ]


def test_a_changed_extractor_fingerprint_reextracts_every_article(
    fresh_corpus: Path, tmp_path: Path, spacy_extractor: EntityExtractor
) -> None:
    ix = tmp_path / "ix"
    build_index(fresh_corpus, index_dir=ix, extractor=AliasingExtractor(spacy_extractor, {}))
    assert read_manifest(ix).extractor_fingerprint == "[]"
    same = AliasingExtractor(spacy_extractor, {})
    assert update_index(index_dir=ix, extractor=same).unchanged == 8 and same.texts == 0
    aliased = AliasingExtractor(spacy_extractor, {"Kataeb Hezbollah": "KH"})
    report = update_index(index_dir=ix, extractor=aliased)
    assert (report.changed, report.unchanged, aliased.texts) == (8, 0, 8)
    assert read_manifest(ix).extractor_fingerprint == aliased.fingerprint
    assert segments(ix) == 1  # the emptied segment of the first build is dropped, not kept
    with Searcher(ix) as searcher:
        names = {entity.name for entity in searcher.article("101_a1b2c3d4e5f60001").entities}
        assert "KH" in names and "Kataeb Hezbollah" not in names
    again = AliasingExtractor(spacy_extractor, {"Kataeb Hezbollah": "KH"})
    assert update_index(index_dir=ix, extractor=again).unchanged == 8 and again.texts == 0


def test_a_vanished_corpus_stops_the_update_and_keeps_the_index(
    fresh_index: Path, fresh_corpus: Path
) -> None:
    shutil.rmtree(fresh_corpus)
    with pytest.raises(CorpusNotFound):
        update_index(index_dir=fresh_index)
    assert len(ids(fresh_index)) == 8
    assert corpus_changed(fresh_index) is False


ALL_FACETS = ("source", "year", "month", "person", "org", "place", "misc")


def copy_of(article: Path, *, source: str) -> str:
    """The article under another outlet's header and date, with a line of its own: a near-duplicate."""
    _header, rest = article.read_text().split("\n\n", 1)
    return f" date 2021-02-01 2021/02/01 | 10:00 - Source: {source}\n\n{rest}\n(Reporting by {source})\n"


def clusters(index_dir: Path) -> dict[str, str]:
    ix, manifest = open_current(index_dir)
    found = load_cluster_ids(index_dir / manifest.generation, generation=ix.latest_generation())
    assert found is not None
    return found


def facet_counts(index_dir: Path) -> list[dict[str, object]]:
    with Searcher(index_dir) as searcher:
        results = searcher.search("", facets=ALL_FACETS, facet_limit=1000, snippets=0)
        return [facet.to_dict() for facet in results.facets]


def test_an_update_gives_the_clusters_and_facet_counts_of_a_full_build(
    fresh_index: Path, fresh_corpus: Path, spacy_extractor: EntityExtractor, tmp_path: Path
) -> None:
    first, second = fresh_corpus / "101_a1b2c3d4e5f60001.txt", fresh_corpus / "102_a1b2c3d4e5f60002.txt"
    (fresh_corpus / "201_copy.txt").write_text(copy_of(first, source="Wire One"))
    (fresh_corpus / "202_copy.txt").write_text(copy_of(second, source="Wire Two"))
    (fresh_corpus / "203_zeppelin.txt").write_text(NEW_ARTICLE)
    story = fresh_corpus / "204_story.txt"
    story.write_text(copy_of(fresh_corpus / "104_a1b2c3d4e5f60004.txt", source="Wire Three"))
    (fresh_corpus / "104_a1b2c3d4e5f60004.txt").write_text(NEW_ARTICLE.replace("Berlin", "Paris"))
    (fresh_corpus / "205_story_copy.txt").write_text(copy_of(story, source="Wire Four"))
    (fresh_corpus / "106_a1b2c3d4e5f60006.txt").unlink()

    report = update_index(index_dir=fresh_index, extractor=spacy_extractor)
    full = tmp_path / "full"
    build_index(fresh_corpus, index_dir=full, extractor=spacy_extractor)

    assert (report.added, report.changed, report.removed) == (5, 1, 1)
    assert clusters(fresh_index) == clusters(full)
    assert clusters(full)["201_copy"] == "101_a1b2c3d4e5f60001"
    assert clusters(full)["202_copy"] == "102_a1b2c3d4e5f60002"
    assert clusters(full)["205_story_copy"] == "204_story"
    assert facet_counts(fresh_index) == facet_counts(full)
    assert ids(fresh_index) == ids(full)
