"""Story codes: saved by build and update, loaded by a fresh search, found again when stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from searchlib import Searcher, build_index, update_index
from searchlib.indexing.dedupe import load_cluster_ids
from searchlib.indexing.posting_tables import PostingTable, term_hashes
from searchlib.indexing.store import open_current
from searchlib.indexing.story_codes import STORY_CODES_FILE, codes_of, docnums_of, load_story_codes

SYNDICATED_COPY = "201_b1b2c3d4e5f60001"
QUERY = '"Kataeb Hezbollah"'


def partition(codes: np.ndarray) -> list[int]:
    """The codes renumbered by first appearance: two arrays that group documents alike are equal."""
    seen: dict[int, int] = {}
    return [seen.setdefault(code, len(seen)) if code >= 0 else -1 for code in codes.tolist()]


def saved_and_found(index_dir: Path) -> tuple[np.ndarray | None, np.ndarray]:
    """The codes saved for the current generation, and those a search would find without them."""
    ix, manifest = open_current(index_dir)
    folder = index_dir / manifest.generation
    with ix.searcher() as searcher:
        ids = load_cluster_ids(folder, generation=ix.latest_generation()) or {}
        members: dict[str, list[str]] = {}
        for doc_id, cluster in ids.items():
            members.setdefault(cluster, []).append(doc_id)
        saved = load_story_codes(
            folder, generation=ix.latest_generation(), doc_count=searcher.reader().doc_count_all()
        )
        return saved, codes_of(searcher, {c: m for c, m in members.items() if len(m) > 1})


def test_a_build_saves_the_codes_a_search_would_find(analyst_index: Path) -> None:
    saved, found = saved_and_found(analyst_index)
    assert saved is not None
    assert (found >= 0).sum() >= 2  # the syndicated copy and its original share a story
    assert partition(saved) == partition(found)


def test_an_update_saves_the_codes_of_its_generation(analyst_corpus: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    shutil.copytree(analyst_corpus, corpus)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir=index_dir)
    with Searcher(index_dir) as searcher:
        before = searcher.search(QUERY, page_size=1)
    # a second copy of the syndicated article joins the same story
    shutil.copy(corpus / f"{SYNDICATED_COPY}.txt", corpus / "299_b1b2c3d4e5f60099.txt")
    update_index(index_dir=index_dir)
    saved, found = saved_and_found(index_dir)
    assert saved is not None and partition(saved) == partition(found)
    with Searcher(index_dir) as searcher:
        after = searcher.search(QUERY, page_size=1)
    assert (after.total, after.stories) == (before.total + 1, before.stories)


def test_a_missing_or_stale_file_gives_the_same_story_counts(analyst_index: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(analyst_index, index_dir)
    with Searcher(index_dir) as searcher:
        expected = searcher.search(QUERY, page_size=1).stories
    ix, manifest = open_current(index_dir)
    path = index_dir / manifest.generation / STORY_CODES_FILE
    stale = np.zeros(ix.doc_count_all(), dtype=np.int32)  # every article in one story
    with path.open("wb") as handle:
        np.savez(handle, generation=np.int64(ix.latest_generation() + 1), codes=stale)
    with Searcher(index_dir) as searcher:
        assert searcher.search(QUERY, page_size=1).stories == expected
    path.unlink()
    with Searcher(index_dir) as searcher:
        assert searcher.search(QUERY, page_size=1).stories == expected


def test_many_ids_are_found_alike_from_the_posting_tables_and_from_the_segments(
    analyst_corpus: Path, tmp_path: Path
) -> None:
    """After an update (a segment of its own, an article written again, a deleted copy), each
    id's live document is the same by the tables' binary search and by Whoosh's own terms."""
    corpus = tmp_path / "articles"
    shutil.copytree(analyst_corpus, corpus)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir=index_dir)
    shutil.copy(corpus / f"{SYNDICATED_COPY}.txt", corpus / "299_b1b2c3d4e5f60099.txt")
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    update_index(index_dir=index_dir)
    ix, manifest = open_current(index_dir)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        assert reader.has_deletions() and len(list(reader.leaf_readers())) > 1
        ids = [stored["id"] for _docnum, stored in reader.iter_docs()] + ["999_not_an_article"]
        by_tables = docnums_of(searcher, ids, tables=index_dir / manifest.generation)
        by_terms = docnums_of(searcher, ids)
        assert by_tables == by_terms == {doc_id: searcher.document_number(id=doc_id) for doc_id in ids[:-1]}
        from_tables: dict[str, int] = {}  # every segment has a table that finds its live ids alone
        for leaf, offset in reader.leaf_readers():
            table = PostingTable.open(index_dir / manifest.generation, leaf.segment().segment_id())
            assert table is not None
            docs = table.sole_documents(term_hashes("id", [doc_id.encode("utf-8") for doc_id in ids]))
            from_tables |= {
                ids[i]: d + offset for i, d in enumerate(docs.tolist()) if d >= 0 and not leaf.is_deleted(d)
            }
        assert from_tables == by_terms
