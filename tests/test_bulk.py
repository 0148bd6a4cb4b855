"""Bulk builds: worker processes writing bounded segments, with the same documents and postings."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from writer_child import NameExtractor

from searchlib import Searcher, build_index
from searchlib.indexing.build import open_writer
from searchlib.indexing.bulk import BulkWriter, LeanSegmentWriter, WorkerFailed
from searchlib.indexing.store import new_generation, read_manifest

QUERIES = ["Baghdad", "election", '"prime minister"', "person:smith", "org:opec", ""]


def segments_of(index_dir: Path) -> list[tuple[str, int]]:
    """(id, live documents) of each segment that has any."""
    ix = whoosh_index.open_dir(str(index_dir / read_manifest(index_dir).generation))
    return [(s.segment_id(), s.doc_count()) for s in ix._segments() if s.doc_count()]


def live_frequency(reader, fieldname: str, term: bytes) -> int:  # type: ignore[no-untyped-def]
    """Live documents with ``term``: Whoosh's own count includes deleted ones until a merge."""
    matcher = reader.postings(fieldname, term)
    found = 0
    while matcher.is_active():
        found += not reader.is_deleted(matcher.id())
        matcher.next()
    return found


def answers(index_dir: Path) -> list[tuple[int, list[tuple[str, float]], list]]:
    with Searcher(index_dir) as searcher:
        out = []
        for query in QUERIES:
            results = searcher.search(query, page_size=20, facets=("source", "person", "org"))
            hits = sorted((hit.id, round(hit.score or 0.0, 6)) for hit in results.hits)
            facets = [(facet.name, [(v.value, v.count) for v in facet.values]) for facet in results.facets]
            out.append((results.total, hits, facets))
        return out


def postings(index_dir: Path) -> dict[tuple[str, bytes], list[tuple[str, float, bytes]]]:
    """Every term's postings, keyed by article id instead of document number."""
    ix = whoosh_index.open_dir(str(index_dir / read_manifest(index_dir).generation))
    found: dict[tuple[str, bytes], list[tuple[str, float, bytes]]] = {}
    with ix.reader() as reader:
        ids = {docnum: stored["id"] for docnum, stored in reader.iter_docs()}
        for fieldname, text in reader.all_terms():
            if fieldname == "indexed_at":  # the time of indexing differs between builds
                continue
            matcher = reader.postings(fieldname, text)
            items = []
            while matcher.is_active():
                if matcher.id() in ids:  # not a version the entity resolution replaced
                    items.append((ids[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
            found[(fieldname, text)] = sorted(items)
    return found


def test_small_segments_give_the_same_index(fresh_corpus: Path, tmp_path: Path) -> None:
    one = build_index(fresh_corpus, index_dir=tmp_path / "one", extractor=NameExtractor(), procs=1)
    many = build_index(
        fresh_corpus, index_dir=tmp_path / "many", extractor=NameExtractor(), procs=2, segment_docs=2
    )
    assert one.added == many.added == 8
    # the writer's one segment, and one of the articles the entity resolution wrote again
    one_counts = [count for _id, count in segments_of(tmp_path / "one")]
    assert sum(one_counts) == 8 and len(one_counts) <= 2
    counts = [count for _id, count in segments_of(tmp_path / "many")]
    assert sum(counts) == 8 and len(counts) >= 4 and max(counts) <= 2
    assert postings(tmp_path / "one") == postings(tmp_path / "many")
    assert answers(tmp_path / "one") == answers(tmp_path / "many")


def test_every_segment_has_its_facet_table(fresh_corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build_index(fresh_corpus, index_dir=ix, extractor=NameExtractor(), procs=2, segment_docs=3)
    folder = ix / read_manifest(ix).generation
    for segment_id, _count in segments_of(ix):
        assert list(folder.glob(f"facets-{segment_id}-*.pkl"))
    assert not list(folder.glob("*.tmp")), "workers remove their temporary folders"


def test_a_pool_smaller_than_a_document_spills_to_disk_and_gives_the_same_postings(
    fresh_corpus: Path, tmp_path: Path
) -> None:
    """``limitmb`` bounds the postings a writer holds: past it, sorted runs go to disk."""
    build_index(fresh_corpus, index_dir=tmp_path / "roomy", extractor=NameExtractor(), procs=1)
    ix, _generation = new_generation(tmp_path / "tight")
    roomy = whoosh_index.open_dir(str(tmp_path / "roomy" / read_manifest(tmp_path / "roomy").generation))
    writer = LeanSegmentWriter(ix, limitmb=0.002)  # about 2 kB: a run every few words
    with roomy.reader() as reader:
        for _docnum, stored in reader.iter_docs():
            writer.add_document(**{k: v for k, v in stored.items() if k in ("id", "body", "title")})
    saved_runs = len(writer.pool.runs)
    segment = writer.finish()
    assert saved_runs > 8
    assert segment is not None and segment.doc_count_all() == 8
    writer._commit_toc([segment])
    with ix.reader() as tight, roomy.reader() as reader:
        for field in ("body", "title"):
            assert list(tight.lexicon(field)) == list(reader.lexicon(field))
            for term in reader.lexicon(field):
                assert tight.doc_frequency(field, term) == live_frequency(reader, field, term)


def test_a_worker_that_fails_is_an_error_and_leaves_no_index(fresh_corpus: Path, tmp_path: Path) -> None:
    ix, _generation = new_generation(tmp_path / "ix")
    writer = open_writer(ix, limitmb=16, procs=2)
    assert isinstance(writer, BulkWriter)
    writer.batch_docs = 1
    writer.add_document(id="a", body="fine words")
    writer.add_document(id="b", body=12345)  # Whoosh refuses a number in a text field
    with pytest.raises(WorkerFailed, match="not unicode"):
        writer.commit()
    writer.cancel()
    assert whoosh_index.open_dir(str(ix.storage.folder)).doc_count_all() == 0


def test_a_killed_worker_is_an_error(tmp_path: Path) -> None:
    ix, _generation = new_generation(tmp_path / "ix")
    writer = BulkWriter(ix, procs=1, limitmb=16, batch_docs=1)
    writer.add_document(id="a", body="fine words")
    writer._workers[0].kill()
    with pytest.raises(WorkerFailed, match="exit code"):
        writer.commit()
    writer.cancel()


def test_an_empty_build_writes_no_segment(tmp_path: Path) -> None:
    ix, _generation = new_generation(tmp_path / "ix")
    writer = BulkWriter(ix, procs=2, limitmb=16)
    writer.commit()
    assert whoosh_index.open_dir(str(ix.storage.folder)).doc_count_all() == 0
