"""One pass over a query's matches that yields both the ranking and every matching document.

A search page needs the top hits (scored) and all matches (for the total and the facets).
Asking Whoosh twice, ``docs_for_query`` then ``search(limit=...)``, walks the postings twice,
and phrase and boolean queries pay their position matching twice. This collector scores
each match once and keeps every (document, score): the best page, and the longer ranked list
that folding near-duplicates sometimes needs, are then a partial sort of those arrays, never
another walk of the postings. (Whoosh's ``search(limit=...)`` also skips blocks by their best
possible score, which for an AND of ORs such as ``Donald Trump`` over title and body dropped
hits that belonged in the top 10.)

Scoring every match costs more than listing it, so a query for one word (which Whoosh ranks
fast by skipping blocks that cannot reach the top) is still better asked twice
(``one_word``); measured on the benchmark's queries at 30,000 articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.collectors import ScoredCollector
from whoosh.searching import Searcher as WhooshSearcher


class Ranking:
    """Every match of a query with its score, in match order; ``top(n)`` ranks the best ``n``."""

    def __init__(self, docnums: Sequence[int] | np.ndarray, scores: Sequence[float] | np.ndarray) -> None:
        self.docs = np.asarray(docnums, dtype=np.int64)
        """Every matching document number, as an array."""
        self.scores = np.asarray(scores, dtype=np.float64)

    def __len__(self) -> int:
        return len(self.docs)

    @property
    def docnums(self) -> list[int]:
        """Every matching document number, as a list."""
        return self.docs.tolist()

    def top(self, n: int) -> list[tuple[int, float]]:
        """(docnum, score) of the best ``n``, best first; equal scores in document order, as
        Whoosh's ``TopCollector`` orders them."""
        scores, docs = self.scores, self.docs
        if n < len(scores):  # keep every document scoring at least the n-th best, then sort those
            threshold = np.partition(scores, len(scores) - n)[len(scores) - n]
            keep = np.flatnonzero(scores >= threshold)
            scores, docs = scores[keep], docs[keep]
        order = np.lexsort((docs, -scores))[:n]
        return [(int(docs[i]), float(scores[i])) for i in order]


class _EveryMatch(ScoredCollector):
    """Scores every match, no block skipping and no matcher pruning, and keeps them all."""

    def __init__(self) -> None:
        super().__init__(replace=0)  # pruning by the current minimum score would drop matches
        self.docnums: list[int] = []
        self.scores: list[float] = []

    def prepare(self, top_searcher: Any, q: Any, context: Any) -> None:
        super().prepare(top_searcher, q, context)
        self.docnums, self.scores = [], []

    def _collect(self, global_docnum: int, score: float) -> float:
        self.docnums.append(global_docnum)
        self.scores.append(score)
        return 0 - score


def rank_all(searcher: WhooshSearcher, query: Any) -> Ranking:
    """Every match of ``query``, scored once, in one walk of the postings."""
    collector = _EveryMatch()
    searcher.search_with_collector(query, collector)
    return Ranking(collector.docnums, collector.scores)


def best_and_all(
    searcher: WhooshSearcher, query: Any, *, limit: int
) -> tuple[list[tuple[int, float]], list[int]]:
    """(docnum, score) of the best ``limit`` matches, best first, and every matching docnum."""
    ranking = rank_all(searcher, query)
    return ranking.top(limit), ranking.docnums


def one_word(query: Any) -> bool:
    """True for one word looked for in one or several fields (``said``, ``title:Trump``)."""
    leaves = list(query.children()) if isinstance(query, wq.Or) else [query]
    return all(isinstance(leaf, wq.Term) for leaf in leaves) and len({leaf.text for leaf in leaves}) == 1
