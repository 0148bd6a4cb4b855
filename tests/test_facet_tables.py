"""Facet tables count exactly what the per-document columns count, saved or rebuilt, one segment or many."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index

from searchlib import Searcher, build_index, update_index
from searchlib.indexing import mapped_pickle
from searchlib.indexing.build import article_document
from searchlib.indexing.facet_tables import (
    CHUNK_DOCUMENTS,
    DENSE_SHARE,
    SHOWN_KINDS,
    TABLE_PREFIX,
    FacetTable,
    joined_path,
    load_table,
    table_path,
    write_tables,
)
from searchlib.indexing.store import read_manifest
from searchlib.models import ENTITY_TYPES, Article, Entity
from searchlib.querying.facets import DEFAULT_FACETS, FACETS, count_facets

QUERIES = ["", "Baghdad", "election", '"Kataeb Hezbollah"', "rockets OR OPEC", "nothingmatchesthis"]


def column_counts(searcher: Searcher, query: str):
    """The facets as the slow path counts them: each matching document's columns."""
    matched = {hit.id for hit in searcher.iter_hits(query, snippets=0)}
    reader = searcher._searcher.reader()
    docnums = [d for d in reader.all_doc_ids() if reader.stored_fields(d)["id"] in matched]
    return count_facets(reader, docnums, list(FACETS), limit=3)


@pytest.mark.parametrize("query", QUERIES)
def test_table_counts_equal_column_counts(searcher: Searcher, query: str) -> None:
    results = searcher.search(query, facets=list(FACETS), facet_limit=3)
    assert results.facets == column_counts(searcher, query)


def test_the_build_saves_one_table_per_segment(index_dir: Path) -> None:
    folder = index_dir / read_manifest(index_dir).generation
    assert len(list(folder.glob(f"{TABLE_PREFIX}*"))) == 1


def test_a_missing_table_is_rebuilt_in_memory_without_writing(index_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    folder = copy / read_manifest(copy).generation
    for table in folder.glob(f"{TABLE_PREFIX}*"):
        table.unlink()
    with Searcher(copy) as searcher, Searcher(index_dir) as original:
        assert searcher.search("Baghdad").facets == original.search("Baghdad").facets
    assert not list(folder.glob(f"{TABLE_PREFIX}*"))


def test_tables_of_several_segments_join(index_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    folder = copy / read_manifest(copy).generation
    article = Article(
        id="999_extra",
        path=Path("999_extra.txt"),
        date=datetime(2021, 5, 1),
        source="Extra Source",
        title=None,
        body="Baghdad again, with new names.",
        credit=None,
    )
    entities = [Entity(name="Brand New Person", type="person"), Entity(name="Baghdad", type="place")]
    writer = whoosh_index.open_dir(str(folder)).writer()
    writer.add_document(**article_document(article, entities, "hash"))
    writer.commit(merge=False)
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        assert len(list(reader.leaf_readers())) == 2
        write_tables(reader, folder)
        joined = joined_path(folder, reader)
        assert joined is not None and joined.is_file()  # the two segments' tables, joined once
        assert load_table(reader, folder).doc_count == reader.doc_count_all()
    assert len(list(folder.glob(f"{TABLE_PREFIX}*"))) == 3
    with Searcher(copy) as searcher:
        results = searcher.search("Baghdad", facets=list(FACETS), facet_limit=3)
        assert results.facets == column_counts(searcher, "Baghdad")
        people = {value.value for value in searcher.search("Baghdad", facet_limit=100).facet("person").values}
        assert "Brand New Person" in people


def updated_with_zeppelin(corpus: Path, index: Path, *, number: int = 0, city: str = "Berlin") -> Path:
    """Add one article to ``corpus``, update ``index`` with it, and give the index's folder."""
    (corpus / f"90{number}_zeppelin.txt").write_text(
        f" date 2022-03-01 - Source: Zeppelin Times\n\nZeppelin returns\n\nA zeppelin flew over {city}.\n",
        encoding="utf-8",
    )
    update_index(corpus, index_dir=index)
    return index / read_manifest(index).generation


def test_an_update_saves_the_new_segments_table(fresh_corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "ix"
    build_index(fresh_corpus, index_dir=target)
    folder = updated_with_zeppelin(fresh_corpus, target)
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        expected = {table_path(folder, leaf).name for leaf, _offset in reader.leaf_readers()}
        joined = joined_path(folder, reader)
        assert joined is not None
        expected.add(joined.name)
    assert {p.name for p in folder.glob(f"{TABLE_PREFIX}*")} == expected
    with Searcher(target) as searcher:
        sources = {v.value: v.count for v in searcher.search("", facet_limit=100).facet("source").values}
        assert sources["Zeppelin Times"] == 1
        assert searcher.search("", facets=list(FACETS), facet_limit=3).facets == column_counts(searcher, "")


def test_a_joined_table_is_read_only_for_the_segments_it_was_saved_for(
    fresh_corpus: Path, tmp_path: Path
) -> None:
    target = tmp_path / "ix"
    build_index(fresh_corpus, index_dir=target)
    for number, city in enumerate(("Berlin", "Lyon")):
        folder = updated_with_zeppelin(fresh_corpus, target, number=number, city=city)
        with whoosh_index.open_dir(str(folder)).reader() as reader:
            joined = joined_path(folder, reader)
            assert joined is not None and joined.is_file()
            assert load_table(reader, folder).doc_count == reader.doc_count_all()
        assert len(list(folder.glob(f"{TABLE_PREFIX}joined-*"))) == 1  # the one of the segments before: gone
        with Searcher(target) as searcher:
            sources = {v.value: v.count for v in searcher.search("", facet_limit=100).facet("source").values}
            assert sources["Zeppelin Times"] == number + 1
            assert searcher.search("", facets=list(FACETS), facet_limit=3).facets == column_counts(
                searcher, ""
            )


def test_a_joined_table_is_saved_with_the_default_facets_codes(fresh_corpus: Path, tmp_path: Path) -> None:
    assert frozenset(n for n in DEFAULT_FACETS if n in ENTITY_TYPES) == SHOWN_KINDS
    target = tmp_path / "ix"
    build_index(fresh_corpus, index_dir=target)
    folder = updated_with_zeppelin(fresh_corpus, target)
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        table = load_table(reader, folder)
        many = np.arange(table.doc_count)
        made = table.__dict__.get("_codes", {})
        assert SHOWN_KINDS in made  # read with the table, not made by this search
        assert not table.entity_codes.flags.writeable  # read in place from the file, not copied
        kinds = list(SHOWN_KINDS)
        fresh = load_table(reader, folder)
        fresh.__dict__.pop("_codes")
        assert table.entity_counts(many, kinds).tolist() == fresh.entity_counts(many, kinds).tolist()


def test_a_table_pickled_by_another_version_is_rebuilt(index_dir: Path, tmp_path: Path) -> None:
    """A saved table whose classes no longer import (moved in another version) is rebuilt, not fatal."""
    import pickle

    copy = tmp_path / "ix"
    shutil.copytree(index_dir, copy)
    folder = copy / read_manifest(copy).generation
    (path,) = folder.glob(f"{TABLE_PREFIX}*")
    table = mapped_pickle.load(path)
    moved = pickle.dumps(table, protocol=2).replace(
        b"searchlib.indexing.facet_tables", b"searchlib.gone_tables"
    )
    assert b"csearchlib.gone_tables\n" in moved
    path.write_bytes(moved)
    with Searcher(copy) as fresh, Searcher(index_dir) as original:
        assert fresh.search("", facets=list(FACETS)).facets == original.search("", facets=list(FACETS)).facets


def test_entity_counts_of_few_and_of_many_documents_are_each_documents_own(searcher: Searcher) -> None:
    """A few documents' entities are gathered one by one, many through a mask of every code:
    both count what each document's own codes say, for any share of the documents."""
    table = searcher._table()
    assert table.doc_count >= 7
    rng = np.random.default_rng(7)
    for size in [
        0,
        1,
        table.doc_count // DENSE_SHARE,
        table.doc_count // 2 + 1,
        table.doc_count - 1,
        table.doc_count,
    ]:
        for _ in range(5):
            docnums = np.sort(rng.choice(table.doc_count, size, replace=False)).astype(np.int64)
            want = np.zeros(len(table.entities), dtype=np.int64)
            for d in docnums.tolist():
                np.add.at(want, table.entity_codes[table.entity_offsets[d] : table.entity_offsets[d + 1]], 1)
            assert table.entity_counts(docnums).tolist() == want.tolist(), size
            for kinds in [("person",), ("person", "org", "place"), ("misc", "place"), ("nosuchkind",)]:
                of_kinds = np.isin(table.entity_kinds, kinds)
                assert (
                    table.entity_counts(docnums, kinds=kinds).tolist() == np.where(of_kinds, want, 0).tolist()
                )


def test_entity_counts_over_many_steps_are_each_documents_own() -> None:
    """A table of more documents than one counting step holds: both ways of counting go over
    it in steps, and every document's codes count once, those at each step's edge too."""
    rng = np.random.default_rng(11)
    doc_count = 2 * CHUNK_DOCUMENTS + 123
    lengths = rng.integers(0, 6, size=doc_count)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    entities = [(("person", "org", "place", "misc")[i % 4], f"name {i}") for i in range(50)]
    codes = rng.integers(0, len(entities), size=int(offsets[-1])).astype(np.int32)
    table = FacetTable(doc_count, {}, entities, offsets, codes)
    owner = np.repeat(np.arange(doc_count), lengths)
    for size in [CHUNK_DOCUMENTS // 2, doc_count // DENSE_SHARE, doc_count - 5]:
        docnums = np.sort(rng.choice(doc_count, size, replace=False)).astype(np.int64)
        chosen = np.isin(owner, docnums)
        want = np.bincount(codes[chosen], minlength=len(entities))
        assert table.entity_counts(docnums).tolist() == want.tolist(), size
        kinds = ("person", "place")
        of_kinds = np.isin(table.entity_kinds, kinds)
        assert table.entity_counts(docnums, kinds).tolist() == np.where(of_kinds, want, 0).tolist(), size
