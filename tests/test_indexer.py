"""Building an index: documents, skipped files with reasons, atomic generations."""

from __future__ import annotations

from pathlib import Path

from searchlib import Searcher, build_index
from searchlib.indexing.build import article_document, content_hash
from searchlib.indexing.store import read_manifest
from searchlib.models import Article, Entity


def test_build_reports_what_it_did(corpus_dir: Path, index_dir: Path) -> None:
    with Searcher(index_dir) as searcher:
        assert searcher.stats().documents == len(list(corpus_dir.glob("*.txt")))


def test_bad_files_are_skipped_with_reasons_and_the_build_finishes(
    fresh_corpus: Path, tmp_path: Path
) -> None:
    (fresh_corpus / "empty.txt").write_bytes(b"")
    (fresh_corpus / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (fresh_corpus / "header_only.txt").write_text(" date 2020-01-01 - Source: X\n")
    (fresh_corpus / "huge.txt").write_bytes(b" date 2020-01-01 - Source: X\n\n" + b"word " * 5000)
    (fresh_corpus / "dup").mkdir()
    (fresh_corpus / "dup" / "101_a1b2c3d4e5f60001.txt").write_text(" date 2020-01-01 - Source: X\n\nCopy.")
    report = build_index(fresh_corpus, index_dir=tmp_path / "ix", max_bytes=10_000)
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert reasons == {
        "empty.txt": "empty file",
        "binary.txt": "binary file, not text",
        "header_only.txt": "no text after the header",
        "huge.txt": f"too large ({(fresh_corpus / 'huge.txt').stat().st_size:,} bytes; the limit is 10,000)",
        "101_a1b2c3d4e5f60001.txt": "duplicate id '101_a1b2c3d4e5f60001'",
    }
    assert report.added == 8


def test_a_rebuild_switches_generation_and_keeps_the_previous(fresh_corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build_index(fresh_corpus, index_dir=ix)
    first = read_manifest(ix).generation
    with Searcher(ix) as before:
        (fresh_corpus / "109_new.txt").write_text(
            " date 2022-01-01 - Source: X\n\nA brand new zeppelin story."
        )
        build_index(fresh_corpus, index_dir=ix)
        assert before.search("zeppelin").total == 0, "an open searcher keeps its state"
        assert before.refresh()
        assert before.search("zeppelin").total == 1
    second = read_manifest(ix).generation
    assert second != first
    build_index(fresh_corpus, index_dir=ix)
    assert sorted(p.name for p in ix.glob("gen-*")) == [second, read_manifest(ix).generation]


def test_article_document_fields() -> None:
    article = Article(id="a", path=Path("a.txt"), date=None, source="BBC", title=None, body="Text.")
    doc = article_document(article, [Entity("Kataeb Hezbollah", "org"), Entity("Baghdad", "place")], "h")
    assert doc["org"] == "Kataeb Hezbollah"
    assert doc["entities"] == [("org", "Kataeb Hezbollah"), ("place", "Baghdad")]
    assert "date" not in doc and "year" not in doc


def test_content_hash_depends_on_bytes_only() -> None:
    assert content_hash(b"abc") == content_hash(b"abc") != content_hash(b"abd")
