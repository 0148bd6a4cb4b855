"""Near-duplicate collapse: one hit per story on a results page, with "also in: X, Y".

The cluster ids come from the index's cluster table (``dedupe``). A page is filled by walking
the ranked matches and keeping the first (best or newest) article of each cluster; the other
matching articles of its cluster are listed with it. ``count_stories`` says how many hits all
the matches fold into, so the number of pages is that of the pages the user can turn.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

Ranked = list[tuple[int, float]]


@dataclass(frozen=True)
class CollapsedHit:
    """A hit to show and the document numbers of the matching copies folded into it."""

    docnum: int
    score: float
    copies: tuple[int, ...] = ()


def collapse_page(
    ranked: Callable[[int], Ranked],
    *,
    total: int,
    page: int,
    page_size: int,
    cluster_of: Callable[[int], str],
    copies_of: Callable[[int, str], tuple[int, ...]],
) -> list[CollapsedHit]:
    """The hits of page ``page`` once each cluster shows only its first article.

    ``ranked(n)`` gives the first ``n`` (docnum, score) in result order; ``cluster_of(docnum)``
    the cluster id; ``copies_of(docnum, cluster)`` the other matching docnums of that cluster.
    """
    wanted = page * page_size
    window = first_window(page, page_size)
    while True:
        shown = _first_of_each_cluster(ranked(window), cluster_of, wanted)
        if len(shown) >= wanted or window >= total:
            break
        window = min(total, window * 2)
    return [
        CollapsedHit(docnum, score, copies_of(docnum, cluster))
        for docnum, score, cluster in shown[(page - 1) * page_size : wanted]
    ]


def first_window(page: int, page_size: int) -> int:
    """How many ranked hits ``collapse_page`` asks for first: enough unless a page is mostly copies."""
    return page * page_size * 2 + page_size


def _first_of_each_cluster(
    ranked: Ranked, cluster_of: Callable[[int], str], wanted: int
) -> list[tuple[int, float, str]]:
    seen: set[str] = set()
    shown: list[tuple[int, float, str]] = []
    for docnum, score in ranked:
        cluster = cluster_of(docnum)
        if cluster in seen:
            continue
        seen.add(cluster)
        shown.append((docnum, score, cluster))
        if len(shown) == wanted:
            break
    return shown


def matching_copies(docnum: int, members: Collection[int], matches: Collection[int]) -> tuple[int, ...]:
    """The members of a cluster, other than ``docnum``, that match the query."""
    return tuple(m for m in members if m != docnum and m in matches)


def count_stories(matches: Iterable[int], cluster_of: Mapping[int, str]) -> int:
    """How many hits ``matches`` fold into: one per cluster, and one per article in none.

    ``cluster_of`` maps the docnums of the articles that have near-duplicates to their cluster.
    """
    seen: set[str] = set()
    stories = 0
    for docnum in matches:
        cluster = cluster_of.get(docnum)
        if cluster is None:
            stories += 1
        elif cluster not in seen:
            seen.add(cluster)
            stories += 1
    return stories


def story_codes(cluster_of: Mapping[int, str], doc_count: int) -> np.ndarray:
    """Each document's cluster as a number, -1 for an article in none (for ``count_story_codes``)."""
    codes = np.full(doc_count, -1, dtype=np.int32)
    numbers: dict[str, int] = {}
    for docnum, cluster in cluster_of.items():
        codes[docnum] = numbers.setdefault(cluster, len(numbers))
    return codes


def count_story_codes(matches: np.ndarray, codes: np.ndarray) -> int:
    """``count_stories`` for an array of matches, from ``story_codes``: a few array operations
    where the loop takes 30 ms for 85,000 matches."""
    found = codes[matches]
    clustered = found[found >= 0]
    return int(len(found) - len(clustered) + np.count_nonzero(np.bincount(clustered)))


class DocSet(Collection[int]):
    """The matching document numbers as a mask: ``docnum in matches`` without a set of them all."""

    def __init__(self, docnums: Iterable[int] | np.ndarray, doc_count: int) -> None:
        self._docs = np.asarray(docnums if isinstance(docnums, np.ndarray) else list(docnums), dtype=np.int64)
        self._mask = np.zeros(doc_count, dtype=bool)
        self._mask[self._docs] = True

    def __contains__(self, docnum: object) -> bool:
        if not isinstance(docnum, (int, np.integer)):
            return False
        return 0 <= docnum < len(self._mask) and bool(self._mask[docnum])

    def __len__(self) -> int:
        return len(self._docs)

    def __iter__(self) -> Iterator[int]:
        return iter(self._docs.tolist())
