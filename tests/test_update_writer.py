"""An update's documents, and the articles of the segments its commit merges, written by the
array writer: the same index as Whoosh's writer would give, with every segment's tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from helpers import copies_of_the_fixtures
from writer_child import NameExtractor

from searchlib import Searcher, build_index, update_index
from searchlib.indexing import schema as f
from searchlib.indexing.build import open_writer, stored_document
from searchlib.indexing.column_readers import column_reader
from searchlib.indexing.posting_tables import PostingTable
from searchlib.indexing.store import open_current
from searchlib.indexing.term_lists import TermList
from searchlib.indexing.update_writer import ArrayUpdateWriter
from searchlib.models import Entity

NEW_ARTICLE = (
    " date 2020-01-09 2020/01/09 | 09:00 - Source: Wire\n\nNew talks\n\n"
    "Maria Lopez of ACME said the talks in Geneva went on.\n"
)


def _articles(index: Path) -> dict[str, dict[str, Any]]:
    """Every live article's stored fields and entity columns, by id."""
    found = {}
    with Searcher(index) as searcher:
        reader = searcher._searcher.reader()
        columns = {
            name: column_reader(reader, name) for name in (f.ENTITIES, f.ENTITY_VARIANTS, f.ENTITY_LOCAL)
        }
        for docnum in reader.all_doc_ids():
            stored = dict(reader.stored_fields(docnum))
            found[stored[f.ID]] = {**stored, **{name: column[docnum] for name, column in columns.items()}}
    return found


def _segments(index: Path) -> list[tuple[str, int]]:
    with Searcher(index) as searcher:
        return [
            (leaf.segment().segment_id(), leaf.doc_count_all())
            for leaf, _ in searcher._searcher.reader().leaf_readers()
        ]


def _answers(index: Path, queries: list[str]) -> list[list[str]]:
    with Searcher(index) as searcher:
        return [
            sorted(hit.id for hit in searcher.search(q, page_size=100, collapse=False).hits) for q in queries
        ]


@pytest.fixture
def small_segments(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus of 24 articles indexed in segments of two: the next commit merges some."""
    corpus = copies_of_the_fixtures(tmp_path / "corpus", 24)
    index = tmp_path / "index"
    build_index(corpus, index_dir=index, extractor=NameExtractor(), segment_docs=2)
    return corpus, index


def test_a_merge_writes_the_merged_articles_again_as_they_were(small_segments: tuple[Path, Path]) -> None:
    corpus, index = small_segments
    before, segments_before = _articles(index), _segments(index)
    (corpus / "900_aaaaaaaaaaaaaaaa.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    update_index(corpus, index_dir=index, extractor=NameExtractor())
    after, segments_after = _articles(index), _segments(index)

    assert len(segments_after) < len(segments_before)  # the commit merged small segments
    merged = {segment for segment, _count in segments_before} - {
        segment for segment, _count in segments_after
    }
    assert len(merged) > 1
    assert set(after) == set(before) | {"900_aaaaaaaaaaaaaaaa"}
    for doc_id, fields in before.items():
        assert after[doc_id] == fields, doc_id  # stored fields and entity columns, time of indexing too
    folder = index / Searcher(index).manifest.generation
    for segment, _count in segments_after:
        assert PostingTable.open(folder, segment) is not None, segment
        assert TermList.open(folder, segment) is not None, segment


def test_an_updated_index_answers_as_a_rebuilt_one(small_segments: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, index = small_segments
    (corpus / "900_aaaaaaaaaaaaaaaa.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    update_index(corpus, index_dir=index, extractor=NameExtractor())
    rebuilt = tmp_path / "rebuilt"
    build_index(corpus, index_dir=rebuilt, extractor=NameExtractor())
    names = sorted({name for fields in _articles(rebuilt).values() for _kind, name in fields[f.ENTITIES]})
    assert len(names) > 3
    queries = [f'entity:"{name}"' for name in names] + ["talks", '"Maria Lopez"', "ACME OR Geneva"]
    assert _answers(index, queries) == _answers(rebuilt, queries)
    assert all(_answers(index, queries))


def test_the_writer_merges_a_segment_by_writing_its_live_articles_again(
    small_segments: tuple[Path, Path],
) -> None:
    _corpus, index = small_segments
    before = _articles(index)
    ix, _manifest = open_current(index, memory_map=False)
    rewritten: list[str] = []

    def rewrite(stored: Mapping[str, Any], local: Sequence[Any]) -> dict[str, Any]:
        rewritten.append(stored[f.ID])
        entities = [Entity(name=name, type=kind) for kind, name in before[stored[f.ID]][f.ENTITIES]]
        return stored_document(stored, entities, local)

    writer = open_writer(ix, limitmb=32, rewrite=rewrite)
    assert isinstance(writer, ArrayUpdateWriter)
    gone = sorted(before)[0]
    writer.delete_document(next(d for d, fields in enumerate(_docs(ix)) if fields[f.ID] == gone))
    writer.commit()
    after = _articles(index)
    assert set(after) == set(before) - {gone}
    assert rewritten and gone not in rewritten  # a deleted article is not written again
    assert len(_segments(index)) < len(before) // 2
    assert {doc_id: after[doc_id][f.BODY] for doc_id in rewritten} == {
        d: before[d][f.BODY] for d in rewritten
    }


def test_a_cancelled_writer_leaves_the_index_as_it_was(small_segments: tuple[Path, Path]) -> None:
    _corpus, index = small_segments
    before, segments_before = _articles(index), _segments(index)
    ix, _manifest = open_current(index, memory_map=False)
    writer = open_writer(ix, limitmb=32, rewrite=lambda stored, local: dict(stored))
    writer.add_document(**{f.ID: "901_bbbbbbbbbbbbbbbb", f.BODY: "a body"})
    writer.cancel()
    assert _articles(index) == before and _segments(index) == segments_before


def _docs(ix: Any) -> list[dict[str, Any]]:
    with ix.reader() as reader:
        return [dict(reader.stored_fields(d)) for d in range(reader.doc_count_all())]
