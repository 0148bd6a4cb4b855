"""Filter values no article has: said, with the closest values the index knows.

A filter is matched exactly, so a typo (``--source "Huffington Post"`` for HuffPost,
``--person Putn``) answers "0 articles" as if nothing had been written about it. Each value of a
source or name filter that matches no article on its own gets a warning naming the nearest
known values, found with rapidfuzz over the index's own values and weighted by how many articles
have them (so ``Putn`` suggests Vladimir Putin before Sputnik).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from rapidfuzz import fuzz, process, utils
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from searchlib.models import ENTITY_TYPES
from searchlib.querying.parser import Filters, filter_queries

SUGGESTED = 3
"""Known values named per unknown one."""
MIN_SIMILARITY = 70
"""rapidfuzz WRatio (0-100) a known value needs to be suggested."""
LIST_ALL_UNDER = 12
"""With fewer known values than this (sources, usually), all are listed when none is close."""
_CANDIDATES = 25

_NOUNS = {"org": "organisation", "misc": "name", "entity": "name"}


KnownValues = Callable[[str], list[tuple[str, int]]]
"""``kind -> [(value, article count)]``: the values the index knows for ``source``, ``entity``
or an entity type."""


def filter_warnings(searcher: WhooshSearcher, filters: Filters, known: KnownValues) -> tuple[str, ...]:
    """One warning per filter value that no article matches, with the closest known values."""
    warnings = []
    for kind, value, alone in _single_filters(filters):
        if next(iter(searcher.docs_for_query(alone)), None) is None:
            warnings.append(_warning(kind, value, known(kind)))
    return tuple(warnings)


def _single_filters(filters: Filters) -> Iterator[tuple[str, str, wq.Query]]:
    """(kind, value, the query of that value alone) for every source and name filter value."""
    for value in filters.sources:
        yield "source", value, filter_queries(Filters(sources=(value,)))[0]
    for value in filters.entities:
        yield "entity", value, filter_queries(Filters(entities=(value,)))[0]
    for kind in ENTITY_TYPES:
        for value in filters.names.get(kind, ()):
            yield kind, value, filter_queries(Filters(names={kind: (value,)}))[0]


def _warning(kind: str, value: str, known: list[tuple[str, int]]) -> str:
    noun = _NOUNS.get(kind, kind)
    message = f"no article has the {noun} {value!r}"
    close = closest_values(value, known)
    if close:
        return f"{message}: did you mean {_listed(close)}?"
    if len(known) < LIST_ALL_UNDER:
        return f"{message}: the {noun}s are {_listed(sorted(known, key=lambda item: -item[1]))}"
    return f"{message}, nor any like it"


def closest_values(value: str, known: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Up to ``SUGGESTED`` known values like ``value``, with their article counts, likeliest first.

    A value is compared whole (``Theresa Mey``: Theresa May) and word by word (``Putn``: the
    Putin of Vladimir Putin); among the close ones, those more articles have come first.
    """
    counts = dict(known)
    scores = {
        name: score
        for name, score, _position in process.extract(
            value,
            list(counts),
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=MIN_SIMILARITY,
            limit=_CANDIDATES,
        )
    }
    for name, score in _word_scores(value, list(counts)).items():
        scores[name] = max(score, scores.get(name, 0.0))
    ranked = sorted(scores, key=lambda name: (-scores[name] * math.log(2 + counts[name]), name))
    return [(name, counts[name]) for name in ranked[:SUGGESTED]]


def _word_scores(value: str, names: list[str]) -> dict[str, float]:
    """Each name's mean best similarity to the words of ``value``, for names above the cut-off."""
    words = utils.default_process(value).split()
    if not words:
        return {}
    holders: dict[str, list[str]] = {}
    for name in names:
        for word in set(utils.default_process(name).split()):
            holders.setdefault(word, []).append(name)
    best: dict[str, list[float]] = {}
    for i, word in enumerate(words):
        for match, score, _position in process.extract(
            word, list(holders), scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY, limit=_CANDIDATES
        ):
            for name in holders[match]:
                row = best.setdefault(name, [0.0] * len(words))
                row[i] = max(row[i], score)
    means = {name: sum(row) / len(row) for name, row in best.items()}
    return {name: score for name, score in means.items() if score >= MIN_SIMILARITY}


def _listed(values: list[tuple[str, int]]) -> str:
    return ", ".join(f"{name} ({count:,})" for name, count in values)
