"""The resolution saved beside the index: an SQLite table a search reads name by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_resolution import ContextExtractor, lavrov_corpus, write

from searchlib import Searcher, build_index, update_index
from searchlib.entities.aliases import AliasTable
from searchlib.entities.gazetteer import load_gazetteer
from searchlib.entities.lookup import Resolution
from searchlib.entities.resolve import LocalEntity, NameCounts, resolve_names
from searchlib.indexing.resolution_table import (
    LEGACY_RESOLUTION_FILE,
    RESOLUTION_TABLE,
    ResolutionTable,
    load_whole,
    open_table,
    save_table,
    saved_generation,
)
from searchlib.indexing.store import open_current

ARTICLES: list[list[LocalEntity]] = (
    [[("person", "Sergey Lavrov", ()), ("place", "Moscow", ())]] * 3
    + [[("person", "Sergei Lavrov", ("Lavrov",))]] * 2
    + [[("person", "Michael Flynn", ())]] * 3
    + [[("person", "Mike Flynn", ())], [("org", "Kefraya", ())], [("place", "Kefraya", ())] * 1]
    + [[("place", "Kefraya", ())]] * 2
    + [[("person", "Dāwūd Ahmad", ())]] * 2
    + [[("person", "Dawud Ahmed", ())]]
)
ASKED = (
    "Sergei Lavrov",
    "sergey lavrov",
    "Lavrov",
    "Mike Flynn",
    "Kefraya",
    "Moscow",
    "Dawud Ahmed",
    "Nobody",
)


def resolved() -> Resolution:
    counts = NameCounts()
    for article in ARTICLES:
        counts.add(article)
    return resolve_names(counts, aliases=AliasTable(), gazetteer=load_gazetteer())


def test_the_table_answers_as_the_resolution_it_was_saved_from(tmp_path: Path) -> None:
    resolution = resolved()
    assert resolution.targets and resolution.entities  # the test asks about merged names
    save_table(tmp_path, resolution, generation=7)
    table = open_table(tmp_path)
    assert isinstance(table, ResolutionTable) and not table.empty()
    for name in ASKED:
        assert table.target(name) == resolution.target(name), name
        assert table.other_names(name) == resolution.other_names(name), name
    for entity in resolution.entities:
        assert table.entity(entity.type, entity.name) == entity
    assert table.entity("person", "Nobody") is None
    table.close()
    whole = load_whole(tmp_path)
    assert (whole.targets, whole.entities, whole.generation) == (resolution.targets, resolution.entities, 7)
    assert saved_generation(tmp_path) == 7


def test_a_folder_without_a_resolution_reads_as_an_empty_one(tmp_path: Path) -> None:
    assert open_table(tmp_path).empty()
    assert saved_generation(tmp_path) is None
    save_table(tmp_path, Resolution(), generation=2)
    assert open_table(tmp_path).empty()
    assert saved_generation(tmp_path) == 2


def test_a_damaged_table_is_no_resolution_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / RESOLUTION_TABLE).write_bytes(b"not a database at all" * 100)
    assert open_table(tmp_path).empty()
    assert open_table(tmp_path).target("Sergei Lavrov") is None
    assert saved_generation(tmp_path) is None


def test_the_json_file_of_an_older_index_is_read_and_then_replaced(tmp_path: Path) -> None:
    resolution = resolved()
    (tmp_path / LEGACY_RESOLUTION_FILE).write_text(resolution.to_json(generation=3), encoding="utf-8")
    assert saved_generation(tmp_path) == 3
    assert open_table(tmp_path).target("Sergei Lavrov") == ("Sergey Lavrov", "person")
    save_table(tmp_path, resolution, generation=4)
    assert not (tmp_path / LEGACY_RESOLUTION_FILE).exists()
    assert saved_generation(tmp_path) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == [RESOLUTION_TABLE]  # no temporary file left


def test_a_save_replaces_the_table_a_reader_has_open(tmp_path: Path) -> None:
    save_table(tmp_path, resolved(), generation=1)
    before = open_table(tmp_path)
    save_table(tmp_path, Resolution(), generation=2)
    assert before.target("Sergei Lavrov") == ("Sergey Lavrov", "person")  # the file it opened
    assert open_table(tmp_path).target("Sergei Lavrov") is None


def generation_folder(index_dir: Path) -> Path:
    _ix, manifest = open_current(index_dir, memory_map=False)
    return index_dir / manifest.generation


@pytest.fixture
def lavrov_index(tmp_path: Path) -> Path:
    lavrov_corpus(tmp_path / "corpus")
    build_index(tmp_path / "corpus", index_dir=tmp_path / "ix", extractor=ContextExtractor())
    return tmp_path / "ix"


def test_an_index_keeps_its_resolution_in_the_table(lavrov_index: Path) -> None:
    folder = generation_folder(lavrov_index)
    assert (folder / RESOLUTION_TABLE).is_file() and not (folder / LEGACY_RESOLUTION_FILE).exists()
    with Searcher(lavrov_index) as searcher:
        assert isinstance(searcher.resolution(), ResolutionTable)
        assert searcher.search('"Sergei Lavrov"').total == 4


def test_an_index_from_before_the_table_still_searches_and_an_update_upgrades_it(
    lavrov_index: Path, tmp_path: Path
) -> None:
    folder = generation_folder(lavrov_index)
    (folder / LEGACY_RESOLUTION_FILE).write_text(
        load_whole(folder).to_json(generation=saved_generation(folder))
    )
    (folder / RESOLUTION_TABLE).unlink()
    with Searcher(lavrov_index) as searcher:
        assert searcher.search('"Sergei Lavrov"').total == 4
        assert searcher.search(person="Sergei Lavrov").total == 4
    report = update_index(index_dir=lavrov_index, extractor=ContextExtractor())
    assert (report.added, report.changed) == (0, 0)  # the JSON was current: nothing to redo
    write(tmp_path / "corpus", 6, "then Sergei Lavrov said more in Moscow.")
    update_index(index_dir=lavrov_index, extractor=ContextExtractor())
    folder = generation_folder(lavrov_index)
    assert (folder / RESOLUTION_TABLE).is_file() and not (folder / LEGACY_RESOLUTION_FILE).exists()
    with Searcher(lavrov_index) as searcher:
        assert searcher.search(person="Sergei Lavrov").total == 5
