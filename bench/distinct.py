"""Running the distinct-query workload (``workload``): each query once, idle or during an update.

Each series runs in a fresh child process (``measure.in_child``), with one open engine, as a
long-running server would. Every query's wall time and CPU time are kept: on a shared machine
the CPU time shows what the query cost, the wall time what a user waited.
"""

from __future__ import annotations

import importlib
import multiprocessing
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import Latency
from bench.queries import BenchQuery

MIXED_POLL = 10
"""Queries between two checks of how many articles the searcher sees, during an update."""


@dataclass(frozen=True)
class Series:
    """Latencies of one run of the workload (wall and CPU), and the slowest queries."""

    wall: Latency
    cpu: Latency
    slowest: str


def distinct_series(
    module_name: str, out: Path, warm_up: list[BenchQuery], timed: list[BenchQuery]
) -> Series:
    """In a child: the warm-up queries, untimed, then each timed query once."""
    engine = importlib.import_module(module_name).Engine(out)
    try:
        for query in warm_up:
            engine.query(query)
        walls, cpus = [], []
        for query in timed:
            wall, cpu = _timed(engine.query, query)
            walls.append(wall)
            cpus.append(cpu)
    finally:
        engine.close()
    return Series(Latency.of(walls), Latency.of(cpus), _slowest(walls, timed))


@dataclass(frozen=True)
class Mixed:
    """The workload run while an update adds articles: latency meanwhile, and when they showed."""

    during: Series | None
    """None when no query finished while the update ran."""
    queries: int
    errors: int
    update_seconds: float
    update_result: str
    first_seen_s: float | None
    all_seen_s: float | None
    added: int


def mixed_series(
    index_dir: Path,
    corpus_dir: Path,
    extractor: Any,
    warm_up: list[BenchQuery],
    timed: list[BenchQuery],
    added: int,
) -> Mixed:
    """In a child: a ``Searcher`` answers the timed queries, over and over, while another
    process runs ``update_index``; before each query it picks up any new commit (``refresh``),
    as a server would, and that is timed with the query. Every ``MIXED_POLL`` queries (untimed)
    it counts the articles it sees, to tell when the new ones became searchable."""
    from bench import engine_searchlib
    from searchlib import Searcher

    searcher = Searcher(index_dir)
    for query in warm_up:
        searcher.search(query.raw, page_size=10, facets=engine_searchlib.FACETS)
    before = _count(searcher)
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    updater = context.Process(target=_update, args=(corpus_dir, index_dir, extractor, results))
    started = time.perf_counter()
    updater.start()
    walls, cpus, asked = [], [], []
    errors = 0
    first_seen = all_seen = None
    i = 0
    while updater.is_alive() or all_seen is None:
        query = timed[i % len(timed)]
        try:
            wall, cpu = _timed(_refreshed_query, searcher, query)
            if updater.is_alive():
                walls.append(wall)
                cpus.append(cpu)
                asked.append(query)
        except Exception:  # counted: a query that fails during an update is what this looks for
            errors += 1
        i += 1
        if i % MIXED_POLL == 0 or not updater.is_alive():
            seen = _count(searcher) - before
            moment = time.perf_counter() - started
            if seen > 0 and first_seen is None:
                first_seen = moment
            if seen >= added and all_seen is None:
                all_seen = moment
            if not updater.is_alive() and all_seen is None and moment > 600:
                break
    updater.join()
    update_seconds, update_result = results.get()
    searcher.close()
    return Mixed(
        Series(Latency.of(walls), Latency.of(cpus), _slowest(walls, asked)) if walls else None,
        len(walls),
        errors,
        update_seconds,
        update_result,
        first_seen,
        all_seen,
        added,
    )


def _update(corpus_dir: Path, index_dir: Path, extractor: Any, results: Any) -> None:
    from bench import engine_searchlib

    started = time.perf_counter()
    outcome = engine_searchlib.update(corpus_dir, index_dir, extractor)
    results.put((time.perf_counter() - started, outcome))


def _refreshed_query(searcher: Any, query: BenchQuery) -> None:
    from bench import engine_searchlib

    searcher.refresh()
    searcher.search(query.raw, page_size=10, facets=engine_searchlib.FACETS)


def _count(searcher: Any) -> int:
    searcher.refresh()
    return int(searcher.search("", page_size=1, facets=None, snippets=0, suggest=False).total)


def _timed(run: Any, *args: Any) -> tuple[float, float]:
    """Wall and CPU milliseconds of ``run(*args)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    run(*args)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _slowest(samples: list[float], queries: list[BenchQuery]) -> str:
    worst = sorted(zip(samples, [q.raw for q in queries], strict=True), reverse=True)[:3]
    return ", ".join(f"{raw!r} {ms:.0f} ms" for ms, raw in worst)
