"""The queries that were slowest at scale: phrases of common words and common words alone.

Each is timed in a fresh process on a newly opened ``Searcher``, after one query with none of
its words (which loads what every query needs: facet tables, columns): so the timed query is
the first to meet its words, nothing of them cached. Then once more in the same process
(warm). CPU time beside wall time, for each index given: searchlib with and without its
posting tables, side by side.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.measure import in_child

SLOW_CASES = (
    '"White House"',
    '"national security adviser"',
    '"prime minister"',
    "said",
    "president",
    "government people",
)

OPENING = "date:2016"
"""The query that opens each searcher before the timed one: no words, only a date filter."""


def slow_cases(index_dirs: dict[str, Path], queries: tuple[str, ...] = SLOW_CASES) -> list[str]:
    """One note per query: first and warm wall/CPU milliseconds on each index."""
    notes = []
    for query in queries:
        parts = []
        for label, index_dir in index_dirs.items():
            first, warm, total = in_child(_first_and_warm, index_dir, query).value
            parts.append(
                f"{label} first {first[0]:.0f} ms (CPU {first[1]:.0f}), warm {warm[0]:.0f} ms "
                f"(CPU {warm[1]:.0f})"
            )
        notes.append(f"{query} ({total:,} matches): " + "; ".join(parts))
    return notes


def _first_and_warm(index_dir: Path, query: str) -> tuple[tuple[float, float], tuple[float, float], int]:
    from bench.engine_searchlib import FACETS
    from searchlib import Searcher

    with Searcher(index_dir) as searcher:
        searcher.search(OPENING, page_size=10, facets=FACETS)
        timings = []
        for _ in range(2):
            wall, cpu = time.perf_counter(), time.process_time()
            total = searcher.search(query, page_size=10, facets=FACETS).total
            timings.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    return timings[0], timings[1], total
