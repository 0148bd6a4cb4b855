"""Posting tables hold exactly the postings Whoosh reads from the segment, positions included."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from helpers import generation, updated_copy
from writer_child import NameExtractor

from searchlib import Searcher, build_index, update_index
from searchlib.indexing.posting_tables import TABLE_PREFIX, PostingTable, TableWriter, table_name
from searchlib.indexing.segment_tables import write_table
from searchlib.indexing.term_lists import list_name

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tables")
    shutil.copytree(DATA / "corpus", root / "corpus")
    build_index(root / "corpus", index_dir=root / "index", extractor=NameExtractor())
    return root


@pytest.fixture(scope="module")
def updated(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of small segments that an update changed: Whoosh's writer wrote its new
    segment (with articles written again under a new resolution) and merged others."""
    return updated_copy(
        built,
        tmp_path_factory.mktemp("updated"),
        appended="\nA Changed Paragraph here.\n",
        new_articles=[
            f" date 2020-01-0{number + 1} 2020/01/0{number + 1} | 09:00 - Source: Wire\n\n"
            f"New {number}\n\nMaria Lopez of ACME said the talks went on.\n"
            for number in range(3)
        ],
    )


@pytest.mark.parametrize("index", ["built", "updated"])
def test_every_term_of_every_field_reads_back_as_whoosh_reads_it(
    index: str, request: pytest.FixtureRequest
) -> None:
    root = request.getfixturevalue(index)
    with Searcher(root / "index") as searcher:
        folder = searcher.index_dir / searcher.manifest.generation
        checked = positional = 0
        for leaf, _offset in searcher._searcher.reader().leaf_readers():
            table = PostingTable.open(folder, leaf.segment().segment_id())
            assert table is not None, "every segment has a table, whichever writer wrote it"
            for fieldname, btext in leaf.all_terms():
                row = table.find(fieldname, btext, leaf.doc_frequency(fieldname, btext))
                assert row is not None, (fieldname, btext)
                docs, weights = table.postings(row)
                placed = table.positions(row, docs)
                # A table lists its segment's postings as written; Whoosh leaves deleted
                # documents out (the array matcher applies deletions over the whole index).
                alive = np.array([not leaf.is_deleted(d) for d in docs.tolist()], dtype=bool)
                docs, weights = docs[alive], weights[alive]
                matcher = leaf.postings(fieldname, btext)
                want_docs, want_weights, want_positions = [], [], []
                fmt = searcher._searcher.schema[fieldname].format
                while matcher.is_active():
                    want_docs.append(matcher.id())
                    want_weights.append(matcher.weight())
                    if fmt.supports("positions"):
                        want_positions.extend((matcher.id(), p) for p in matcher.value_as("positions"))
                    matcher.next()
                assert docs.tolist() == want_docs
                assert np.array_equal(weights, np.array(want_weights, dtype=np.float32))
                if fmt.supports("positions"):
                    assert placed is not None
                    kept = [(d, p) for d, p in zip(placed[0].tolist(), placed[1].tolist(), strict=True)]
                    assert [(d, p) for d, p in kept if not leaf.is_deleted(d)] == want_positions
                    positional += 1
                checked += 1
    assert checked > 300 and positional > 100


def test_a_term_the_segment_does_not_hold_is_not_found(built: Path) -> None:
    with Searcher(built / "index") as searcher:
        folder = searcher.index_dir / searcher.manifest.generation
        leaf = next(iter(searcher._searcher.reader().leaf_readers()))[0]
        table = PostingTable.open(folder, leaf.segment().segment_id())
        assert table is not None
        assert table.find("body", b"nosuchwordanywhere", 1) is None
        fieldname, btext = next(iter(leaf.all_terms()))
        count = leaf.doc_frequency(fieldname, btext)
        assert table.find(fieldname, btext, count) is not None
        assert table.find(fieldname, btext, count + 1) is None  # disagrees with the segment: unused


@pytest.mark.parametrize("index", ["built", "updated"])
def test_the_tables_count_each_word_as_whoosh_does(index: str, request: pytest.FixtureRequest) -> None:
    root = request.getfixturevalue(index)
    with Searcher(root / "index") as searcher:
        reader = searcher._searcher.reader()
        matcher = searcher._matcher()
        checked = 0
        for fieldname in ("body", "entity_text", "title"):
            for btext in reader.lexicon(fieldname):
                word = btext.decode("utf-8")
                whoosh_count = reader.doc_frequency(fieldname, word)
                assert matcher.listed_frequency(fieldname, word) == whoosh_count, word
                checked += 1
        assert matcher.listed_frequency("body", "nosuchwordanywhere") == 0
        assert matcher.listed_frequency("nosuchfield", "word") == 0
    assert checked > 200


def test_without_a_segment_s_table_the_count_is_left_to_whoosh(built: Path, tmp_path: Path) -> None:
    shutil.copytree(built, tmp_path / "copy")
    folder = generation(tmp_path / "copy" / "index")
    (folder / f"{table_name(segment_ids(tmp_path / 'copy' / 'index')[0])}.keys.npy").unlink()
    with Searcher(tmp_path / "copy" / "index") as searcher:
        assert searcher._matcher().listed_frequency("body", "said") is None
        assert searcher.search("saif").suggestion is not None  # counted through Whoosh instead


def small_segments(built: Path, tmp_path: Path, segment_docs: int) -> tuple[Path, Path]:
    """A copy of the corpus of ``built`` and an index of it in segments of ``segment_docs``
    articles, in ``tmp_path``: (corpus, index)."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(built / "corpus", corpus)
    build_index(corpus, index_dir=index, extractor=NameExtractor(), segment_docs=segment_docs)
    return corpus, index


def segment_ids(index: Path) -> list[str]:
    """The segments of the current generation of ``index``, as its searcher reads them."""
    with Searcher(index) as searcher:
        return [leaf.segment().segment_id() for leaf, _ in searcher._searcher.reader().leaf_readers()]


def test_tables_of_segments_merged_away_are_deleted(built: Path, tmp_path: Path) -> None:
    corpus, index = small_segments(built, tmp_path, segment_docs=2)
    before = {p.name.split(".")[0] for p in generation(index).glob(f"{TABLE_PREFIX}*")}
    assert len(before) > 1
    extra = corpus / "extra.txt"
    extra.write_text(" date 2020-01-01 2020/01/01 | 09:00 - Source: Wire\n\nNew\n\nA new article.\n")
    update_index(corpus, index_dir=index, extractor=NameExtractor())
    segments = segment_ids(index)
    after = {p.name.split(".")[0] for p in generation(index).glob(f"{TABLE_PREFIX}*")}
    assert all(any(name == f"{TABLE_PREFIX}{s}-v1" for s in segments) for name in after)


def test_an_update_gives_tables_to_segments_without_one(built: Path, tmp_path: Path) -> None:
    """An index from before the tables (or one whose table a killed writer cut short) gets them."""
    corpus, index = small_segments(built, tmp_path, segment_docs=3)
    folder = generation(index)
    keys = sorted(folder.glob(f"{TABLE_PREFIX}*.keys.npy"))
    assert len(keys) > 1
    for path in folder.glob(f"{TABLE_PREFIX}*"):
        if path != keys[0]:
            path.unlink()  # one table cut short before its keys, the others never written
    (folder / keys[0].name.replace(".keys.npy", ".docs.u4")).write_bytes(b"")
    keys[0].unlink()
    report = update_index(corpus, index_dir=index, extractor=NameExtractor())
    assert report.indexed == 0
    assert generation(index) == folder
    assert all(PostingTable.open(folder, segment) is not None for segment in segment_ids(index))


def test_a_table_read_back_from_a_segment_is_the_one_its_writer_wrote(built: Path, tmp_path: Path) -> None:
    with Searcher(built / "index") as searcher:
        folder = searcher.index_dir / searcher.manifest.generation
        for leaf, _offset in searcher._searcher.reader().leaf_readers():
            written = tmp_path / leaf.segment().segment_id()
            written.mkdir()
            write_table(written, leaf)
            name = f"{TABLE_PREFIX}{leaf.segment().segment_id()}-v1"
            parts = sorted(
                [p.name for p in folder.glob(f"{name}.*")] + [list_name(leaf.segment().segment_id())]
            )
            assert parts and sorted(p.name for p in written.iterdir()) == parts  # the term list too
            for part in parts:
                assert (written / part).read_bytes() == (folder / part).read_bytes(), part


def test_a_table_writer_holds_few_bytes_per_term(tmp_path: Path) -> None:
    """A segment of one huge article may have 1.7 million distinct words: the keys the writer
    holds until the table is finished are 32 bytes a term (a tuple of ints took about 150)."""
    terms = [f"t{number:07d}".encode() for number in range(100_000)]
    docs, weights = np.zeros(len(terms), dtype=np.uint32), np.ones(len(terms), dtype=np.float32)
    writer = TableWriter(tmp_path, "seg")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        writer.add_terms("body", terms, [1] * len(terms), docs, weights, None)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    writer.finish()
    assert held < 48 * len(terms), f"{held / len(terms):.0f} bytes a term"
    keys = np.load(next(tmp_path.glob("*.keys.npy")))
    assert keys.shape == (4, len(terms)) and sorted(keys[1].tolist()) == list(range(len(terms)))
