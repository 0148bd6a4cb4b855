"""The array segment writer against Whoosh's own: everything Whoosh reads back must be the same.

The same documents go through Whoosh's ``SegmentWriter`` (its posting pool and
``W3PostingsWriter``) and through ``ArraySegmentWriter``, in the same segments; then every
field's terms, statistics, postings (documents, weights, values, block statistics), field
lengths, stored fields, columns and search scores are compared through Whoosh's reading API.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURE_CORPUS
from whoosh import fields, scoring
from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer
from whoosh.qparser import MultifieldParser
from whoosh.writing import SegmentWriter
from writer_child import NameExtractor

from searchlib.articles.textfile import article_from_bytes
from searchlib.indexing import schema as f
from searchlib.indexing import segment_postings
from searchlib.indexing.analysis import FastPositions
from searchlib.indexing.build import article_document
from searchlib.indexing.bulk import ArraySegmentWriter, BulkWriter, segment_writer
from searchlib.indexing.posting_tables import decode_positions
from searchlib.indexing.segment_postings import BLOCK_LIMIT, FieldPostings
from searchlib.models import Article, Entity

STAMP = datetime(2024, 5, 1, 12, 0, 0)
WORDS = [
    "election",
    "minister",
    "baghdad",
    "militia",
    "vote",
    "senate",
    "report",
    "attack",
    "nuclear",
    "talks",
    "peace",
    "budget",
    "court",
    "police",
    "protest",
    "market",
    "oil",
    "storm",
    "border",
    "trade",
    "health",
    "school",
    "union",
    "army",
    "rebel",
]
UNICODE_WORDS = [
    "Kadhimi",
    "Kādhimī",
    "Zürich",
    "São",
    "Łódź",
    "北京",
    "القاهرة",
    "naïve",
    "Ωmega",
    "😀",
    "ﬁnance",
]
QUERIES = [
    "election",
    "baghdad vote",
    '"prime minister"',
    "minister OR senate",
    "zurich",
    "北京",
    "person:smith",
    "org:opec",
    "title:report",
    "kadhimi~",
    "elect*",
    "oil NOT storm",
]


def fixture_documents() -> list[dict[str, Any]]:
    """The fixture corpus and generated articles: unicode, empty fields, long ones, common terms
    (more than a block of postings), each document as searchlib indexes it."""
    articles = [
        article_from_bytes(path.read_bytes(), path=path) for path in sorted(FIXTURE_CORPUS.glob("*.txt"))
    ]
    rng = random.Random(5)
    for i in range(2 * BLOCK_LIMIT + 40):
        words = WORDS + UNICODE_WORDS if i % 3 else WORDS
        size = 4000 if i % 97 == 0 else rng.randint(0, 120)  # some long, some empty
        body = " ".join(rng.choice(words) for _ in range(size))
        if i % 11 == 0:
            body += " minister " * 300  # one term, many positions
        title = None if i % 7 == 0 else " ".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        source = None if i % 5 == 0 else rng.choice(["CNN", "BBC", "Al Jazeera", "Iraq News"])
        date = None if i % 13 == 0 else datetime(2017 + i % 4, 1 + i % 12, 1 + i % 28)
        path = Path(f"/generated/{i:03d}.txt")
        articles.append(
            Article(id=f"gen_{i:03d}", path=path, date=date, source=source, title=title, body=body)
        )
    extractor = NameExtractor()
    documents = []
    for article, entities in zip(articles, extractor.extract([a.text for a in articles]), strict=True):
        entities = (*entities, Entity(name="Zürich", type="place")) if "Zürich" in article.body else entities
        document = article_document(article, entities, content_hash=f"hash-{article.id}")
        document[f.INDEXED_AT] = STAMP
        documents.append(document)
    return documents


def generic_schema() -> fields.Schema:
    """Field types searchlib does not use today (a shingle field may come): the writer is generic."""
    return fields.Schema(
        key=fields.ID(stored=True, unique=True),
        text=fields.TEXT(analyzer=StandardAnalyzer(), stored=True, chars=True),
        plain=fields.TEXT(phrase=False, vector=True),
        tags=fields.KEYWORD(scorable=True, commas=True, lowercase=True),
        grams=fields.NGRAMWORDS(minsize=2, maxsize=3),
        number=fields.NUMERIC(stored=True, sortable=True),
        flag=fields.BOOLEAN(stored=True),
    )


def generic_documents() -> list[dict[str, Any]]:
    rng = random.Random(7)
    documents = []
    for i in range(BLOCK_LIMIT + 60):
        text = " ".join(rng.choice(WORDS + UNICODE_WORDS) for _ in range(rng.randint(0, 60)))
        document: dict[str, Any] = {
            "key": f"k{i}",
            "text": text,
            "plain": " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 20))),
            "tags": ",".join(rng.sample(WORDS, 3)),
            "grams": rng.choice(UNICODE_WORDS),
            "number": rng.randint(-1000, 1000),
            "flag": bool(i % 2),
        }
        if i % 9 == 0:
            document["_boost"] = 1.5
        if i % 4 == 0:
            document["_text_boost"] = 0.75
        documents.append(document)
    return documents


def write_segments(
    folder: Path,
    schema: fields.Schema,
    documents: Sequence[dict[str, Any]],
    make: Callable[..., Any],
    size: int,
) -> Path:
    """The documents in segments of ``size``, each written by a writer from ``make``."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema)
    segments = []
    for start in range(0, len(documents), size):
        writer = make(ix)
        for document in documents[start : start + size]:
            writer.add_document(**document)
        writer._finalize_segment()
        segments.append(writer.get_segment())
        writer._finish()
    committer = SegmentWriter(ix)
    committer._close_segment()
    committer._commit_toc(segments)
    committer._finish()
    return folder


def whoosh_writer(ix: Any) -> SegmentWriter:
    return SegmentWriter(ix, _lk=False, limitmb=1)


def array_writer(ix: Any) -> ArraySegmentWriter:
    return ArraySegmentWriter(ix, _lk=False, limitmb=64)


def everything(folder: Path) -> list[Any]:
    """All Whoosh reads back from each segment of an index, in a comparable form."""
    ix = whoosh_index.open_dir(str(folder))
    out: list[Any] = []
    with ix.reader() as top:
        for leaf, _offset in top.leaf_readers():
            out.append(("docs", leaf.doc_count_all(), sorted(leaf.indexed_field_names())))
            for fieldname in sorted(leaf.indexed_field_names()):
                out.append(("field", fieldname, leaf.field_length(fieldname)))
                if ix.schema[fieldname].scorable:  # Whoosh has no lengths to read for the others
                    lengths = (leaf.min_field_length(fieldname), leaf.max_field_length(fieldname))
                    out.append(("lengths", fieldname, lengths))
                out.append(
                    (
                        "doc lengths",
                        [leaf.doc_field_length(d, fieldname) for d in range(leaf.doc_count_all())],
                    )
                )
            for fieldname, text in leaf.all_terms():
                out.append(("term", fieldname, text, term_statistics(leaf, fieldname, text)))
                out.append(("postings", postings_of(leaf, fieldname, text)))
            out.append(("stored", [leaf.stored_fields(d) for d in range(leaf.doc_count_all())]))
            for fieldname, field in sorted(ix.schema.items()):
                if field.column_type and leaf.has_column(fieldname):
                    out.append(("column", fieldname, list(leaf.column_reader(fieldname, translate=False))))
                if field.vector:
                    out.append(("vectors", fieldname, vectors_of(leaf, fieldname)))
    return out


def term_statistics(reader: Any, fieldname: str, text: bytes) -> tuple[Any, ...]:
    info = reader.term_info(fieldname, text)
    return (
        info.weight(),
        info.doc_frequency(),
        info.min_length(),
        info.max_length(),
        info.max_weight(),
        info.min_id(),
        info.max_id(),
    )


def postings_of(reader: Any, fieldname: str, text: bytes) -> list[tuple[Any, ...]]:
    """Each posting with the statistics of the block it is in (what skipping and scoring use)."""
    matcher = reader.postings(fieldname, text)
    found = []
    while matcher.is_active():
        found.append(
            (
                matcher.id(),
                matcher.weight(),
                matcher.value(),
                matcher.block_min_length(),
                matcher.block_max_length(),
                matcher.block_max_weight(),
                matcher.block_max_id(),
            )
        )
        matcher.next()
    return found


def vectors_of(reader: Any, fieldname: str) -> list[Any]:
    return [
        list(reader.vector(d, fieldname).items_as("weight")) if reader.has_vector(d, fieldname) else None
        for d in range(reader.doc_count_all())
    ]


def scores(folder: Path, queries: Sequence[str], fieldnames: Sequence[str]) -> list[Any]:
    ix = whoosh_index.open_dir(str(folder))
    parser = MultifieldParser(list(fieldnames), ix.schema)
    out = []
    with ix.searcher(weighting=scoring.BM25F()) as searcher:
        for text in queries:
            results = searcher.search(parser.parse(text), limit=None)
            out.append((text, [(hit.docnum, hit.score) for hit in results]))
    return out


@pytest.fixture(scope="module")
def searchlib_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    documents = fixture_documents()
    parent = tmp_path_factory.mktemp("pair")
    schema = f.build_schema()
    whoosh = write_segments(parent / "whoosh", schema, documents, whoosh_writer, size=150)
    arrays = write_segments(parent / "arrays", schema, documents, array_writer, size=150)
    return whoosh, arrays


def test_searchlib_segments_read_back_the_same(searchlib_pair: tuple[Path, Path]) -> None:
    whoosh, arrays = searchlib_pair
    expected = everything(whoosh)
    assert sum(1 for item in expected if item[0] == "docs") >= 2, "several segments"
    assert any(item[0] == "postings" and len(item[1]) > BLOCK_LIMIT for item in expected), "several blocks"
    assert everything(arrays) == expected


def test_searchlib_segments_score_the_same(searchlib_pair: tuple[Path, Path]) -> None:
    whoosh, arrays = searchlib_pair
    fieldnames = [f.TITLE, f.BODY, f.ENTITY_TEXT, f.SOURCE_TEXT]
    expected = scores(whoosh, QUERIES, fieldnames)
    assert sum(len(hits) for _text, hits in expected) > 100
    assert scores(arrays, QUERIES, fieldnames) == expected


def test_other_field_types_read_back_and_score_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segment_postings, "CHUNK_POSTINGS", 7)  # many chunks of sorted postings
    documents = generic_documents()
    whoosh = write_segments(tmp_path / "whoosh", generic_schema(), documents, whoosh_writer, size=100)
    arrays = write_segments(tmp_path / "arrays", generic_schema(), documents, array_writer, size=100)
    assert everything(arrays) == everything(whoosh)
    queries = ["election", "zurich", "tags:oil", "number:[0 TO 500]", "flag:true", "grams:ür", "plain:vote"]
    assert scores(arrays, queries, ["text"]) == scores(whoosh, queries, ["text"])


def test_merging_array_segments_gives_whooshs_merged_index(
    searchlib_pair: tuple[Path, Path], tmp_path: Path
) -> None:
    """Whoosh merges (an update's merge policy, an optimize) read array-written segments as its own."""
    merged = []
    for folder in searchlib_pair:
        copy = tmp_path / folder.name
        copy.mkdir()
        for path in folder.iterdir():
            (copy / path.name).write_bytes(path.read_bytes())
        ix = whoosh_index.open_dir(str(copy))
        ix.writer().commit(optimize=True)
        merged.append(copy)
    assert everything(merged[1]) == everything(merged[0])


def test_a_segment_is_cut_when_its_postings_reach_limitmb(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), f.build_schema())
    writer = ArraySegmentWriter(ix, _lk=False, limitmb=1)
    documents = fixture_documents()
    added = 0
    while not writer.is_full(segment_docs=10_000):
        writer.add_document(**documents[added % len(documents)])
        added += 1
    assert 0 < added < 10_000
    held = sum(field.nbytes() for field in writer._postings.values())
    assert 1024 * 1024 <= held < 2 * 1024 * 1024
    writer.cancel()


def test_bulk_builds_use_the_array_writer_and_honour_limitmb(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), f.build_schema())
    assert type(segment_writer(ix, limitmb=16)) is ArraySegmentWriter
    documents = fixture_documents() * 8
    writer = BulkWriter(ix, procs=2, limitmb=1)
    for document in documents:
        writer.add_document(**document)
    writer.commit()
    ix = whoosh_index.open_dir(str(tmp_path))
    assert ix.doc_count() == len(documents)
    assert len(ix._segments()) > 2, "segments cut at limitmb, not only at segment_docs"


def test_field_postings_encode_text_and_bytes_terms_alike() -> None:
    """A term given as text and the same term given as bytes are one term, postings in order."""
    postings = FieldPostings()
    postings.add_document(0, [("zürich", 1, 1.0, b"a"), (b"b", 1, 1.0, b"")], 1.0)
    postings.add_document(1, [("zürich".encode(), 2, 2.0, b"cc")], 1.0)
    terms, counts, order = postings.sorted_by_term()
    assert terms == [b"b", "zürich".encode()]
    assert counts == [1, 2]
    assert [postings.docs[i] for i in order.tolist()] == [0, 0, 1]


def test_kept_positions_are_those_the_values_decode_to() -> None:
    """The posting table takes the positions a field's postings came with, in any order of the
    postings, exactly as it would decode them from the values; a posting without them (added
    by Whoosh's path) leaves the table to decode them all."""
    fmt = FastPositions()
    postings = FieldPostings()
    rng = random.Random(3)
    for docnum in range(60):
        terms = rng.sample([f"term{i}" for i in range(25)], rng.randint(1, 8))
        places = [sorted(rng.sample(range(300), rng.randint(1, 6))) for _term in terms]
        values = [fmt.encode(p) for p in places]
        freqs = [len(p) for p in places]
        postings.add_columns(docnum, terms, freqs, [float(n) for n in freqs], values, 1.0, places)
    _terms, _counts, order = postings.sorted_by_term()
    kept = segment_postings._KeptPositions.of(postings)
    assert kept is not None
    ends = [0, *postings.value_ends]
    values = [bytes(postings.values[a:b]) for a, b in pairwise(ends)]
    lengths, positions = kept.at(order)
    decoded = decode_positions([values[i] for i in order.tolist()])
    assert decoded is not None
    assert lengths.tolist() == decoded[0].tolist()
    assert positions.tolist() == decoded[1].tolist()

    postings.add_document(60, [("term1", 1, 1.0, fmt.encode([3]))], 1.0)
    assert segment_postings._KeptPositions.of(postings) is None
