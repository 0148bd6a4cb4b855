"""The one-pass collector sees every match and ranks the page as Whoosh's own scoring does."""

from __future__ import annotations

import pytest

from searchlib import Searcher
from searchlib.querying.collect import Ranking, best_and_all, one_word, rank_all
from searchlib.querying.parser import Filters, build_query


@pytest.mark.parametrize(
    "query", ["Baghdad", '"Kataeb Hezbollah"', "election NOT Poland", "OPEC OR Damascus", ""]
)
def test_every_match_once_and_the_best_first(searcher: Searcher, query: str) -> None:
    whoosh_searcher = searcher._searcher
    parsed = build_query(query, Filters(), whoosh_searcher.schema)
    ranked, matched = best_and_all(whoosh_searcher, parsed, limit=3)
    assert sorted(matched) == sorted(whoosh_searcher.docs_for_query(parsed))
    scores = [score for _docnum, score in ranked]
    assert len(ranked) == min(3, len(matched)) and scores == sorted(scores, reverse=True)
    unlimited = whoosh_searcher.search(parsed, limit=None)
    assert scores == [unlimited.score(i) for i in range(len(ranked))]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Baghdad", True), ("title:election", True), ('"Kataeb Hezbollah"', False), ("OPEC OR Damascus", False)],
)
def test_one_word_queries_are_told_apart(searcher: Searcher, query: str, expected: bool) -> None:
    assert one_word(build_query(query, Filters(), searcher._searcher.schema)) is expected


def test_the_ranking_orders_equal_scores_by_document_as_whoosh_does() -> None:
    ranking = Ranking([5, 3, 9, 1, 7], [1.0, 2.0, 1.0, 2.0, 0.5])
    assert ranking.top(3) == [(1, 2.0), (3, 2.0), (5, 1.0)]
    assert ranking.top(10) == [(1, 2.0), (3, 2.0), (5, 1.0), (9, 1.0), (7, 0.5)]
    assert Ranking([], []).top(10) == []


@pytest.mark.parametrize("query", ["Baghdad OR election", '"Kataeb Hezbollah" OR OPEC', "election NOT Iraq"])
def test_any_length_of_the_ranking_is_whooshs_unlimited_order(searcher: Searcher, query: str) -> None:
    whoosh_searcher = searcher._searcher
    parsed = build_query(query, Filters(), whoosh_searcher.schema)
    unlimited = whoosh_searcher.search(parsed, limit=None)
    expected = [(unlimited.docnum(i), unlimited.score(i)) for i in range(len(unlimited))]
    ranking = rank_all(whoosh_searcher, parsed)
    assert len(ranking) == len(expected) > 1
    for n in (1, 2, len(expected)):
        assert ranking.top(n) == expected[:n]
