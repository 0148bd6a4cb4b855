"""One pass over a query's matches that yields both the best page and every matching document.

A search page needs the top hits (scored) and all matches (for the total and the facets).
Asking Whoosh twice, ``docs_for_query`` then ``search(limit=...)``, walks the postings twice,
and phrase and boolean queries pay their position matching twice. This collector scores
each match once, keeps a heap of the best ``limit`` and records every document number.

Scoring every match costs more than listing it, so a query for one word (which Whoosh ranks
fast by skipping blocks that cannot reach the top) is still better asked twice
(``one_word``); measured on the benchmark's queries at 30,000 articles.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.collectors import TopCollector
from whoosh.searching import Searcher as WhooshSearcher


class PageAndMatches(TopCollector):
    """A ``TopCollector`` that sees every match: no block skipping, no matcher pruning."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, usequality=False)
        self.replace = 0  # pruning by the current minimum score would drop matches
        self.matched: list[int] = []

    def prepare(self, top_searcher: Any, q: Any, context: Any) -> None:
        super().prepare(top_searcher, q, context)
        self.matched = []

    def _collect(self, global_docnum: int, score: float) -> float:
        self.matched.append(global_docnum)
        return super()._collect(global_docnum, score)


def best_and_all(
    searcher: WhooshSearcher, query: Any, *, limit: int
) -> tuple[list[tuple[int, float]], list[int]]:
    """(docnum, score) of the best ``limit`` matches, best first, and every matching docnum."""
    collector = PageAndMatches(limit)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    ranked = [(results.docnum(i), results.score(i) or 0.0) for i in range(results.scored_length())]
    return ranked, collector.matched


def one_word(query: Any) -> bool:
    """True for one word looked for in one or several fields (``said``, ``title:Trump``)."""
    leaves = list(query.children()) if isinstance(query, wq.Or) else [query]
    return all(isinstance(leaf, wq.Term) for leaf in leaves) and len({leaf.text for leaf in leaves}) == 1
