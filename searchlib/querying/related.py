"""Related articles: the stories most like one article, for "see also" on an article page.

An article's key terms (Whoosh's Bo1 expansion model over its stored body: words frequent in
it and rare in the archive) and its named entities become one weighted OR query. The article
itself and its near-duplicates (the same wire story from other outlets, see ``dedupe``) are
left out, and of several copies of one story among the results only the best is kept, so the
list shows different stories rather than one story many times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from searchlib.indexing import schema as f
from searchlib.indexing.column_readers import column_reader
from searchlib.indexing.dedupe import same_story, shingles

KEY_TERMS = 25
MAX_ENTITIES = 20
ENTITY_BOOST = 0.5
"""Weight of one shared entity relative to the strongest key term."""
CANDIDATES_PER_RESULT = 3
"""Candidates fetched per result asked for, so dropping duplicates still fills the list."""


@dataclass(frozen=True)
class RelatedMatch:
    """One related article found by ``find_related``, before it is turned into a ``Hit``."""

    docnum: int
    score: float


@dataclass(frozen=True)
class RelatedSearch:
    """The outcome of ``find_related``: the matches and what was left out, and why."""

    key_terms: tuple[str, ...]
    matches: tuple[RelatedMatch, ...]
    duplicates: tuple[int, ...]


def find_related(searcher: WhooshSearcher, docnum: int, *, limit: int) -> RelatedSearch:
    """The ``limit`` articles most like article ``docnum``, without its near-duplicates."""
    weighted = searcher.key_terms([docnum], f.BODY, numterms=KEY_TERMS)
    terms = [(term, weight) for term, weight in weighted if weight > 0]
    entities = _entity_names(searcher, docnum)
    query = _similarity_query(terms, entities)
    if query is None:
        return RelatedSearch((), (), ())
    results = searcher.search(query, limit=(limit + 1) * CANDIDATES_PER_RESULT)
    source = shingles(searcher.stored_fields(docnum).get(f.BODY, ""))
    kept: list[RelatedMatch] = []
    kept_shingles: list[frozenset[int]] = []
    duplicates: list[int] = []
    for hit in results:
        if hit.docnum == docnum:
            continue
        candidate = shingles(hit.get(f.BODY, "") or "")
        if same_story(source, candidate):
            duplicates.append(hit.docnum)
        elif len(kept) < limit and not any(same_story(other, candidate) for other in kept_shingles):
            kept.append(RelatedMatch(hit.docnum, float(hit.score or 0.0)))
            kept_shingles.append(candidate)
    return RelatedSearch(tuple(t for t, _ in terms), tuple(kept), tuple(duplicates))


def _entity_names(searcher: WhooshSearcher, docnum: int) -> list[str]:
    """The article's entity names, once each, in the order the extractor listed them."""
    pairs = column_reader(searcher.reader(), f.ENTITIES)[docnum] or ()
    names: list[str] = []
    for _kind, name in pairs:
        if name not in names:
            names.append(name)
    return names[:MAX_ENTITIES]


def _similarity_query(terms: Sequence[tuple[str, float]], entities: Sequence[str]) -> wq.Query | None:
    """Key terms weighted by their strength, entity names as phrases, all ORed."""
    if not terms and not entities:
        return None
    top = max((w for _t, w in terms), default=1.0)
    clauses: list[wq.Query] = [wq.Term(f.BODY, term, boost=weight / top) for term, weight in terms]
    analyzer = f.name_analyzer()
    for name in entities:
        words = [token.text for token in analyzer(name)]
        if not words:
            continue
        if len(words) == 1:
            clauses.append(wq.Term(f.ENTITY_TEXT, words[0], boost=ENTITY_BOOST))
        else:
            clauses.append(wq.Phrase(f.ENTITY_TEXT, words, boost=ENTITY_BOOST))
    return wq.Or(clauses)
