"""One ``Searcher`` shared by 16 threads gives every thread the single-thread answer.

Each thread runs the same mix of calls (searches with facets, snippets and histograms, sorted
by date, articles, related articles, entities); every answer is compared with the answer the
searcher gave from one thread before, and again after, so a wrong answer kept in a cache
would show too.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ANALYST_EXTRAS, FIXTURE_CORPUS, SEED_CORPUS, TESTS

from searchlib import Searcher, build_index, update_index

THREADS = 16
ROUNDS = 6
FURNITURE = TESTS / "data" / "furniture"

Call = Callable[[Searcher], Any]


def calls_for(searcher: Searcher) -> list[Call]:
    """A mix of calls over what the index holds, each returning a comparable answer."""
    ids = [hit.id for hit in searcher.search("", page_size=40, sort="date", collapse=False).hits]
    words = ["oil", "president", "Baghdad", "OPEC", "attack", "White House", "Putin", "election"]
    calls: list[Call] = [
        lambda s, w=w: _answer(s.search(w, histogram="auto", facets=("source", "person", "place")))
        for w in words
    ]
    calls += [lambda s, w=w: _answer(s.search(w, sort="date", page_size=20)) for w in words[:4]]
    calls += [lambda s, i=i: s.article(i).to_dict() for i in ids[:10]]
    calls += [lambda s, i=i: s.related(i, limit=5).hits for i in ids[:4]]
    calls += [lambda s: s.entities(limit=10), lambda s: s.stats()]
    return calls


def _answer(results: Any) -> Any:
    """The parts of a result that must not depend on threads (not its time)."""
    return (results.total, results.hits, results.facets, results.histogram, results.stories)


def hammer(searcher: Searcher, calls: list[Call], expected: list[Any], rounds: int = ROUNDS) -> list[str]:
    """Run every call from ``THREADS`` threads at once; the differences and errors found."""
    problems: list[str] = []
    start = threading.Barrier(THREADS)

    def work(offset: int) -> None:
        start.wait()
        for round_ in range(rounds):
            for n in range(len(calls)):
                i = (n + offset + round_) % len(calls)
                try:
                    if calls[i](searcher) != expected[i]:
                        problems.append(f"call {i}: a different answer")
                except Exception as exc:  # every error is a finding here
                    problems.append(f"call {i}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return problems


def check_shared(index_dir: Path, memory_map: bool) -> None:
    with Searcher(index_dir, memory_map=memory_map) as reference:
        calls = calls_for(reference)
        expected = [call(reference) for call in calls]
    with Searcher(index_dir, memory_map=memory_map) as shared:
        problems = hammer(shared, calls, expected)
        assert problems == [], problems[:10]
        assert [call(shared) for call in calls] == expected  # nothing wrong left in a cache


@pytest.mark.parametrize("memory_map", [False, True])
def test_sixteen_threads_share_one_searcher(index_dir: Path, memory_map: bool) -> None:
    check_shared(index_dir, memory_map)


@pytest.fixture(scope="module")
def segmented_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index the way an archive grows one: many small segments from a build by two writers,
    then an update that adds articles and rewrites one (so an older segment has a deleted
    document). Every call then reads through several segment readers at once."""
    root = tmp_path_factory.mktemp("segmented")
    corpus, index = root / "articles", root / "index"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    for extra in [*SEED_CORPUS.glob("*.txt"), *FURNITURE.glob("*.txt")]:
        shutil.copy(extra, corpus / extra.name)
    build_index(corpus, index_dir=index, procs=2, segment_docs=2)
    for extra in ANALYST_EXTRAS.glob("*.txt"):
        shutil.copy(extra, corpus / extra.name)
    rewritten = corpus / "101_a1b2c3d4e5f60001.txt"
    rewritten.write_text(
        rewritten.read_text(encoding="utf-8") + "\nOPEC met again in Baghdad.\n", encoding="utf-8"
    )
    report = update_index(corpus, index_dir=index)
    assert (report.added, report.changed) == (len(list(ANALYST_EXTRAS.glob("*.txt"))), 1)
    return index


@pytest.mark.parametrize("memory_map", [False, True])
def test_sixteen_threads_share_one_searcher_of_many_segments(segmented_index: Path, memory_map: bool) -> None:
    check_shared(segmented_index, memory_map)
