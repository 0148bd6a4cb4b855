"""Page furniture found as repetition per source: the counting, the regions, and the index
sidecar kept by builds and updates (an update finds what a full rebuild finds)."""

from __future__ import annotations

import pickle
import shutil
from contextlib import suppress
from pathlib import Path

import pytest

from searchlib import Searcher, build_index, update_index
from searchlib.articles.furniture import (
    MIN_ARTICLES,
    FurnitureCounts,
    edge_keys,
    furniture_regions,
    line_key,
    min_articles,
)
from searchlib.errors import ArticleNotFound
from searchlib.indexing.filetable import FileStat, scan_corpus
from searchlib.indexing.furniture_table import FURNITURE_FILE, FurnitureTable, read_edges
from searchlib.indexing.store import read_manifest

FIXTURES = Path(__file__).parent / "data" / "furniture"
GAZETTE = sorted(FIXTURES.glob("gazette-*.txt"))
FOOTER_WORD = "Gazette"
"""The fixtures' footers name the outlet ("Follow Harbour Gazette on Twitter"); their stories never do."""
HEADLINES = (
    *("Dozens dead in Aleppo", "Talks resume in Geneva", "Rebels take Ramussa"),
    *("Oil rises", "Storm hits"),
)
"""One outlet's headlines: as many as make a repeat furniture (``MIN_ARTICLES``)."""


def test_line_key_ignores_case_digits_and_punctuation() -> None:
    assert line_key("Copyright 2017 TRT World.") == line_key("copyright 2018 trt world")
    assert line_key("Read Also") != line_key("Read More")
    assert line_key(" -- 12 -- ") is None


def test_edge_keys_skip_the_header_and_take_both_ends() -> None:
    text = " date 2021-03-01 2021/03/01 | 09:00 - Source: X\n\nTitle\n\nOne.\n\nTwo.\n\nReuter\n"
    keys = edge_keys(text)
    assert line_key("Reuter") in keys and line_key("Title") in keys
    assert line_key(" date 2021-03-01 2021/03/01 | 09:00 - Source: X") not in keys


@pytest.mark.parametrize(("articles", "needed"), [(1, MIN_ARTICLES), (400, MIN_ARTICLES), (5000, 50)])
def test_a_line_must_repeat_in_enough_of_its_sources_articles(articles: int, needed: int) -> None:
    assert min_articles(articles) == needed


def test_furniture_is_counted_per_source() -> None:
    counts = FurnitureCounts()
    footer = line_key("Follow us on Twitter")
    assert footer is not None
    for _ in range(MIN_ARTICLES - 1):
        counts.add("a", [footer])
    counts.add("b", [footer])  # another outlet's repeat does not help
    assert footer not in counts.furniture()
    counts.add("a", [footer])
    assert footer in counts.furniture()
    counts.add("a", [footer], sign=-1)  # a deleted article is taken back
    assert footer not in counts.furniture()


def test_regions_cover_a_furniture_line_and_the_links_after_it() -> None:
    text = "Title\n\nThe story.\n\nRelated\n\nOther story one\n\nOther story two"
    regions = furniture_regions(text, frozenset({line_key("Related")}))  # type: ignore[arg-type]
    assert max(regions) == (text.index("Related"), len(text))
    assert min(start for start, _ in regions) == text.index("Related")  # the story stays
    assert furniture_regions(text, frozenset()) == []


def _entities(index_dir: Path) -> dict[str, set[tuple[str, str]]]:
    """Each indexed fixture article's entities."""
    with Searcher(index_dir) as searcher:
        found = {}
        for path in GAZETTE:
            with suppress(ArticleNotFound):
                found[path.stem] = {(e.name, e.type) for e in searcher.article(path.stem).entities}
        return found


def _footer_articles(entities: dict[str, set[tuple[str, str]]]) -> set[str]:
    return {doc for doc, found in entities.items() if any(FOOTER_WORD in name for name, _ in found)}


def test_an_update_finds_the_furniture_a_rebuild_finds(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in GAZETTE[: MIN_ARTICLES - 1]:
        shutil.copy(path, corpus)
    index = tmp_path / "index"
    build_index(corpus, index_dir=index)
    # Four articles prove nothing: the footer is still read as text, and its name is found.
    assert _footer_articles(_entities(index)) == {p.stem for p in GAZETTE[: MIN_ARTICLES - 1]}

    for path in GAZETTE[MIN_ARTICLES - 1 :]:
        shutil.copy(path, corpus)
    update_index(index_dir=index)
    updated = _entities(index)
    assert _footer_articles(updated) == set()  # the old articles lost the footer's name too
    assert ("Christine Lagarde", "person") in updated["gazette-3"]  # the story's own names stay

    rebuilt = tmp_path / "rebuilt"
    build_index(corpus, index_dir=rebuilt)
    assert updated == _entities(rebuilt)
    saved = FurnitureTable.load(index / read_manifest(index).generation)
    fresh = FurnitureTable.load(rebuilt / read_manifest(rebuilt).generation)
    assert saved is not None and fresh is not None
    assert saved.furniture() == fresh.furniture() != frozenset()


def test_an_unchanged_corpus_keeps_its_table_and_a_touched_file_is_read_again(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES, corpus)
    table = FurnitureTable.scan(scan_corpus(corpus))
    same = table.update(scan_corpus(corpus))
    assert same.table is table and not same.dirty and same.refresh == frozenset()
    assert same.furniture == table.furniture()

    touched = next(corpus.glob("*.txt"))
    touched.write_text(touched.read_text() + "\nA closing line.\n")
    (corpus / "gazette-1.txt").unlink()
    found = table.update(scan_corpus(corpus))
    assert found.dirty and found.table is table
    assert found.table.files[touched.name].size == touched.stat().st_size
    assert "gazette-1.txt" not in found.table.files
    rescanned = FurnitureTable.scan(scan_corpus(corpus))
    assert found.table.files == rescanned.files
    assert +found.table.counts.articles == +rescanned.counts.articles
    kept = {source: +counts for source, counts in found.table.counts.keys.items() if +counts}
    assert kept == {source: +counts for source, counts in rescanned.counts.keys.items() if +counts}


def test_an_update_after_deletions_gives_the_footer_back(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES, corpus)
    index = tmp_path / "index"
    build_index(corpus, index_dir=index)
    assert _footer_articles(_entities(index)) == set()

    for path in GAZETTE[MIN_ARTICLES - 1 :]:
        (corpus / path.name).unlink()
    update_index(index_dir=index)
    with Searcher(index) as searcher:
        left = {path.stem: {e.name for e in searcher.article(path.stem).entities} for path in GAZETTE[:4]}
    assert all(any(FOOTER_WORD in name for name in names) for names in left.values())


def _fixtures_indexed(tmp_path: Path) -> tuple[Path, Path]:
    """The fixture articles copied and indexed: the index and its generation folder."""
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES, corpus)
    index = tmp_path / "index"
    build_index(corpus, index_dir=index)
    return index, index / read_manifest(index).generation


def test_an_index_without_the_table_gets_it_from_the_corpus(tmp_path: Path) -> None:
    index, folder = _fixtures_indexed(tmp_path)
    before = FurnitureTable.load(folder)
    (folder / FURNITURE_FILE).unlink()
    update_index(index_dir=index)
    after = FurnitureTable.load(index / read_manifest(index).generation)
    assert before is not None and after is not None and after.furniture() == before.furniture()


def test_a_table_of_unpacked_keys_is_read_as_the_same_table(tmp_path: Path) -> None:
    """A table saved by a version that kept each file's keys as a tuple of integers."""
    _index, folder = _fixtures_indexed(tmp_path)
    saved = FurnitureTable.load(folder)
    assert saved is not None and saved.furniture()
    unpacked = {rel: (e.size, e.mtime_ns, e.source, e.keys) for rel, e in saved.files.items()}
    assert any(len(keys) > 1 and max(keys) >= 2**63 for *_stat, keys in unpacked.values())  # full 64 bits
    old = {"format": 3, "counts": saved.counts, "files": unpacked}
    (folder / FURNITURE_FILE).write_bytes(pickle.dumps(old))
    converted = FurnitureTable.load(folder)
    assert converted is not None and converted.files == saved.files
    assert converted.furniture() == saved.furniture()


def test_a_file_of_many_records_gives_no_edges(tmp_path: Path) -> None:
    records = tmp_path / "feed.jsonl"
    records.write_text('{"id": "a", "text": "Reuter"}\n' * 10, encoding="utf-8")
    stat = FileStat(str(records), records.name, records.stat().st_size, records.stat().st_mtime_ns)
    assert read_edges(stat) == ("", ())


def test_an_outlets_name_after_its_headlines_is_furniture_but_the_headline_is_not() -> None:
    counts = FurnitureCounts()
    for headline in HEADLINES:
        counts.add(
            "jordan times",
            edge_keys(
                f" date 2016-08-17 - Source: Jordan Times\n\n{headline} | Jordan Times\n\nOn {headline}."
            ),
        )
    text = "Dozens dead in Aleppo | Jordan Times\n\nThe story of Aleppo."
    assert furniture_regions(text, counts.furniture()) == [(text.index(" | "), text.index("\n"))]
    lone = "Trump: a headline with a colon\n\nThe story."
    assert furniture_regions(lone, counts.furniture()) == []


def test_a_footer_glued_to_varying_links_is_found_by_its_sentences() -> None:
    """The footer's line never repeats whole (each article's links come before it on the same
    line); its sentences do, and the article is cut from the first of them."""
    footer = (
        "Follow us today. Subscribe to Harbour TV on Youtube for all the latest news from around the world."
    )
    counts = FurnitureCounts()
    for story in HEADLINES:
        body = f"HARBOUR, March 3 Officials said at a press conference today {story.lower()}.\n\nMore of it."
        counts.add(
            "harbour",
            edge_keys(f" date 2016-08-17 - Source: Harbour\n\n{story}\n\n{body}\n\n{story} {footer}"),
        )
    text = "Ferry sinks\n\nHARBOUR, May 9 Officials said at a press conference today a ferry sank.\n\n"
    text += f"Two were saved.\n\nRelated: Ferry strike ends {footer}"
    assert furniture_regions(text, counts.furniture()) == [(text.index("Subscribe"), len(text))]
