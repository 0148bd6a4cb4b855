"""A build's files read in worker processes: the same results, in order, read ahead only a little."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from helpers import copies_of_the_fixtures
from test_bulk import answers, postings
from whoosh import index as whoosh_index
from writer_child import NameExtractor

from searchlib import build_index
from searchlib.indexing import reading_pool
from searchlib.indexing.build import parse_file
from searchlib.indexing.dedupe import load_cluster_ids
from searchlib.indexing.filetable import iter_scan
from searchlib.indexing.reading_pool import CHUNK_FILES, IN_FLIGHT_PER_PROCESS, ReadingPool
from searchlib.indexing.store import read_manifest


def test_results_come_back_in_the_order_of_the_items() -> None:
    pool = ReadingPool(2)
    try:
        assert list(pool.map(str, range(1000))) == [str(n) for n in range(1000)]
    finally:
        pool.close()


def test_the_pool_reads_only_a_few_chunks_ahead_of_its_consumer() -> None:
    taken = 0

    def numbers() -> Iterator[int]:
        nonlocal taken
        for n in range(100_000):
            taken += 1
            yield n

    pool = ReadingPool(2)
    try:
        results = pool.map(abs, numbers())
        assert next(results) == 0
        assert taken <= (IN_FLIGHT_PER_PROCESS * 2 + 1) * CHUNK_FILES
    finally:
        pool.close()


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    pool = ReadingPool(1)
    try:
        with pytest.raises(BrokenProcessPool):
            list(pool.map(os._exit, [3]))
    finally:
        pool.close()


def test_files_parsed_by_the_pool_are_the_files_parsed_here(tmp_path: Path) -> None:
    corpus = copies_of_the_fixtures(tmp_path / "corpus", 40)
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02 not text \xff" * 50)
    stats = list(iter_scan(corpus))
    pool = ReadingPool(2)
    try:
        pooled = list(pool.map(lambda_free_parse, stats))
    finally:
        pool.close()
    here = [lambda_free_parse(stat) for stat in stats]
    assert [stat.rel for stat, _parsed in pooled] == [stat.rel for stat in stats]
    for (_s1, one), (_s2, two) in zip(pooled, here, strict=True):
        assert one is not None and two is not None
        assert (one.article, one.content_hash, one.error) == (two.article, two.content_hash, two.error)
        first, second = one.fingerprint, two.fingerprint
        assert (first is None) == (second is None)
        if first is not None and second is not None:
            assert (first.signature is None) == (second.signature is None)
            if first.signature is not None:
                assert first.signature.tolist() == second.signature.tolist()
    assert sum(parsed.error is not None for _stat, parsed in pooled if parsed is not None) == 1


def lambda_free_parse(stat):  # type: ignore[no-untyped-def]
    """``parse_file`` with the default limit, as a module function a worker can be sent."""
    return parse_file(stat, max_bytes=10_000_000)


def test_a_build_read_by_the_pool_is_the_build_read_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = reading_pool.MIN_FILES + 8
    corpus = copies_of_the_fixtures(tmp_path / "corpus", articles)
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02 not text \xff" * 50)
    (corpus / "again").mkdir()
    (corpus / "again" / "copy0003.txt").write_text((corpus / "copy0007.txt").read_text())
    # one writer process: the two builds number their documents alike
    pooled = build_index(corpus, index_dir=tmp_path / "pooled", extractor=NameExtractor(), procs=1)
    monkeypatch.setattr(reading_pool, "MIN_FILES", 10**9)
    alone = build_index(corpus, index_dir=tmp_path / "alone", extractor=NameExtractor(), procs=1)
    assert pooled.added == alone.added == articles
    assert [(s.path, s.reason) for s in pooled.skipped] == [(s.path, s.reason) for s in alone.skipped]
    reasons = " ".join(s.reason for s in pooled.skipped)
    assert "duplicate id 'copy0003'" in reasons and len(pooled.skipped) == 2
    assert postings(tmp_path / "pooled") == postings(tmp_path / "alone")
    assert answers(tmp_path / "pooled") == answers(tmp_path / "alone")
    clusters = []
    for index in (tmp_path / "pooled", tmp_path / "alone"):
        folder = index / read_manifest(index).generation
        generation = whoosh_index.open_dir(str(folder)).latest_generation()
        clusters.append(load_cluster_ids(folder, generation=generation))
    assert clusters[0] == clusters[1] and clusters[0]  # copies of one fixture are one story
