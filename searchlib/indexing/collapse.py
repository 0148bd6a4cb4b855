"""Near-duplicate collapse: one hit per story on a results page, with "also in: X, Y".

The cluster ids come from the index's cluster table (``dedupe``), as one story code per
document (``story_codes``). A page is filled by walking the ranked matches and keeping the
first (best or newest) article of each cluster; the other matching articles of its cluster are
listed with it. ``count_stories`` says how many hits all
the matches fold into, so the number of pages is that of the pages the user can turn.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

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
    cluster_of: Callable[[int], Hashable],
    copies_of: Callable[[int, Any], tuple[int, ...]],
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
    ranked: Ranked, cluster_of: Callable[[int], Hashable], wanted: int
) -> list[tuple[int, float, Any]]:
    seen: set[Hashable] = set()
    shown: list[tuple[int, float, Any]] = []
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


class Stories:
    """Each document's story and the documents of each story, from ``story_codes``.

    A page folds its hits by story and lists each hit's matching copies. Asking the index for
    the document number of every copy's id (what the cluster table names) cost a term lookup
    in every segment per copy: at 100,000 synthetic articles, with stories of dozens of
    copies, a third of a query. Here a story is a number and its documents a slice of one
    array sorted once per state of the index. Sorting a million documents' codes takes 70 ms,
    a tenth of a cold ``search``, whose page asks for ten stories: the first
    ``DIRECT_LOOKUPS`` stories are found by comparing every code (under a millisecond each),
    and the array is sorted only for a process that asks for more.
    """

    DIRECT_LOOKUPS = 40

    def __init__(self, codes: np.ndarray) -> None:
        self.codes = codes
        self._lookups = 0
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    def story_of(self, docnum: int) -> int:
        """The story of a document: its code, or a number of its own (below 0) if it has no copies."""
        code = int(self.codes[docnum])
        return code if code >= 0 else -1 - docnum

    def members(self, story: int) -> list[int]:
        """The documents of a story, in document order (none for a document's own number)."""
        if story < 0:
            return []
        if self._sorted is None and self._lookups < self.DIRECT_LOOKUPS:
            self._lookups += 1
            return np.flatnonzero(self.codes == story).tolist()
        members, starts = self._sorted_members()
        if story + 1 >= len(starts):
            return []
        return members[starts[story] : starts[story + 1]].tolist()

    def _sorted_members(self) -> tuple[np.ndarray, np.ndarray]:
        """The clustered documents sorted by story (in document order within one) and where
        each story's begin: made once, kept whole so that threads see both or neither."""
        if self._sorted is None:
            codes = self.codes
            clustered = np.flatnonzero(codes >= 0)
            members = clustered[np.argsort(codes[clustered], kind="stable")]
            last = int(codes.max()) if len(clustered) else -1
            self._sorted = (members, np.searchsorted(codes[members], np.arange(last + 2)))
        return self._sorted


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
