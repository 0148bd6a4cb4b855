"""From the text a person types (and the filters they pick) to a Whoosh query.

The syntax is Whoosh's, with friendly field names (``person:``, ``org:``, ``place:``,
``source:``, ``date:``), fuzzy ``term~`` and prefix ``term*``. Whoosh's parser never fails: it
marks what it could not understand and carries on, so this module checks the parsed tree and
raises ``QuerySyntaxError`` with a message a person can act on instead of silently searching
for something else.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from whoosh import query as wq
from whoosh.qparser import FieldAliasPlugin, FuzzyTermPlugin, MultifieldParser
from whoosh.reading import IndexReader

from searchlib.errors import QuerySyntaxError
from searchlib.indexing import schema as f
from searchlib.models import ENTITY_TYPES, EntityType
from searchlib.querying.query_text import PreparedQuery, literal_text, prepare_query_text

MAX_QUERY_CHARS = 2000
MAX_HIGHLIGHT_TERMS = 200
MAX_EXPANDED_TERMS = 1000
"""How many index words the wildcards, fuzzy terms and ranges of one query may stand for, in all.

Each such word is one more posting list to read; past about a thousand a query on the
development corpus takes over a second, so it is refused with advice instead."""
MAX_FUZZY_EDITS = 1
"""Fuzzy terms (``word~``) match words within one edit; ``word~2`` would scan the vocabulary
for over a second, several times per query."""
FUZZY_PREFIX = 1
MAX_FUZZY_WORDS = 6
"""Each fuzzy word is a scan of part of the vocabulary, three times per query (matching, the
cost check, highlighting): 6 ORed took 0.67 s on the development corpus, 10 took 0.93 s."""
MAX_POSTINGS_PER_ARTICLE = 25
"""A query may read as many postings as 25 words that occur in every article: on the
development corpus 80 of its commonest words (under that) take about 0.8 s, 344 took 1.8 s."""
_POSTINGS_FLOOR = 1000

FIELD_ALIASES: dict[str, list[str]] = {
    f.NAME_TEXT_FIELD["person"]: ["person", "people", "per"],
    f.NAME_TEXT_FIELD["org"]: ["org", "orgs", "organisation", "organization"],
    f.NAME_TEXT_FIELD["place"]: ["place", "places", "location", "loc"],
    f.NAME_TEXT_FIELD["misc"]: ["misc"],
    f.SOURCE_TEXT: ["source", "src"],
    f.ENTITY_TEXT: ["entity", "entities", "name"],
}
"""Whoosh field -> the names a user may type for it."""

MATCH_ALL = ("*", "*:*")
"""Lucene's and Elasticsearch's spellings of "every article", refused as a whole query.

Lucene reads them as every document, but here a lone ``*`` would be the one wildcard that
starts a word and is not refused (``?*`` is), and it would answer a mistyped or half-pasted
query with the whole archive. The way to list articles is no query at all, as on every surface."""
_DATE_FORMS = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}
_LEADING_WILDCARD = re.compile(r"^[*?]")


@dataclass(frozen=True)
class Filters:
    """Restrictions applied on top of the query text, e.g. from CLI options or facet clicks.

    Values of one kind are alternatives (two sources: either); kinds combine with AND.
    """

    sources: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    names: dict[EntityType, tuple[str, ...]] = field(default_factory=dict)
    years: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None

    def is_empty(self) -> bool:
        return not (
            self.sources
            or self.entities
            or any(self.names.values())
            or self.years
            or self.months
            or self.date_from
            or self.date_to
        )


def clean_query_text(text: str) -> str:
    """Drop control characters and fold runs of whitespace; refuse absurdly long queries."""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
        )
    kept = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    return " ".join(kept.split())


def parse_query(text: str, schema: f.fields.Schema) -> wq.Query:
    """Parse query text; an empty query matches every article."""
    return read_query(text, schema)[0]


def read_query(text: str, schema: f.fields.Schema) -> tuple[wq.Query, PreparedQuery]:
    """The Whoosh query for ``text``, and the text as Whoosh read it with notes on its reading.

    Malformed text is refused (see ``query_text``), as are text of only invisible or control
    characters and a lone ``*`` or ``*:*``, which would otherwise list every article as if no
    query had been given.
    """
    cleaned = clean_query_text(text)
    if not cleaned:
        if text.strip():
            raise QuerySyntaxError(
                "the query has only invisible or control characters: type words, or give no query "
                "to list every article"
            )
        return wq.Every(), PreparedQuery("")
    if cleaned in MATCH_ALL:
        raise QuerySyntaxError(
            f"{cleaned!r} alone is not a search: to list every article, give no query (narrow the "
            "list with filters such as source or date); the articles are then listed newest first"
        )
    prepared = prepare_query_text(cleaned, fields=typed_field_names(schema))
    if not prepared.text:
        raise QuerySyntaxError(f"the query {text!r} has no words, only punctuation")
    parsed = plain_words_query(prepared.text, schema)
    if parsed is None:
        parser = MultifieldParser(list(f.TEXT_FIELDS), schema)
        parser.add_plugin(FuzzyTermPlugin())
        parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
        try:
            parsed = parser.parse(prepared.text)
        except Exception as exc:  # Whoosh raises assorted errors on odd input
            raise QuerySyntaxError(f"cannot understand the query {text!r}: {exc}") from None
    _check(parsed, text)
    _check_dates(parsed, schema)
    _check_not_only_stop_words(parsed, prepared.text)
    _anchor_fuzzy_terms(parsed)
    return parsed, prepared


_PLAIN_TEXT = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")
_PLAIN_WORD = re.compile(r"[A-Za-z0-9]+")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "NEAR"})


def plain_words_query(text: str, schema: f.fields.Schema) -> wq.Query | None:
    """The query Whoosh's parser makes of words alone (letters and digits, one space apart,
    none an operator): all of the words, each in the title or the body, made here without
    the parser; None for any other text, which the parser reads.

    Whoosh's parser runs a dozen regular-expression taggers and filters over the text in
    Python, about a millisecond a query, most of what a plain query of words costs once the
    postings are read. The tree is the one the parser builds before normalising it (an ``And``
    of one ``Or`` per word, of a ``Term`` per field that keeps the word, each marking where
    the word is in the text), normalised by Whoosh itself; ``tests/test_query.py`` compares
    both on many texts.
    """
    if not _PLAIN_TEXT.fullmatch(text):
        return None
    groups: list[wq.Query] = []
    for word in _PLAIN_WORD.finditer(text):
        if word.group().upper() in _OPERATORS:
            return None
        leaves = []
        for fieldname in f.TEXT_FIELDS:
            tokens = list(
                schema[fieldname].process_text(word.group(), mode="query", tokenize=True, removestops=True)
            )
            if len(tokens) > 1:
                return None  # the parser joins several tokens by the field's own rule
            if tokens:
                leaf = wq.Term(fieldname, tokens[0], boost=1.0)
                leaf.startchar, leaf.endchar = word.span()
                leaves.append(leaf)
        groups.append(wq.Or(leaves, boost=1.0))
    return wq.And(groups, boost=1.0).normalize()


def typed_field_names(schema: f.fields.Schema) -> frozenset[str]:
    """The names a person may type before a colon: the aliases and every searchable field."""
    aliases = {alias for names in FIELD_ALIASES.values() for alias in names}
    searchable = {name for name in schema.names() if getattr(schema[name], "format", None) is not None}
    return frozenset(aliases | searchable)


def _check_not_only_stop_words(parsed: wq.Query, text: str) -> None:
    """A query of only words too common to index (``the``) would match nothing: say why."""
    if not isinstance(parsed, type(wq.NullQuery)):
        return
    without_fields = re.sub(r"\b\w+:", " ", text)
    words = [w for w in literal_text(without_fields).split() if any(ch.isalnum() for ch in w)]
    if not words:
        raise QuerySyntaxError(f"the query {text!r} has no words to search")
    listed = ", ".join(repr(w) for w in words)
    is_, its, it = ("is", "its", "it") if len(words) == 1 else ("are", "their", "them")
    raise QuerySyntaxError(
        f"{listed} {is_} too common or too short to be searched on {its} own (the index leaves such "
        f'words out): search {it} with other words, as in the phrase "the hague"'
    )


def _anchor_fuzzy_terms(q: wq.Query) -> None:
    """Fuzzy words keep their first letter (``Soleimany~`` finds Soleimani, not Koleimani).

    Whoosh compares a fuzzy word with every word of the vocabulary in pure Python; holding the
    first letter compares it with about a twentieth of them (1.2 s -> 0.06 s per word on the
    development corpus).
    """
    for node in _all_nodes(q):
        if isinstance(node, wq.FuzzyTerm):
            node.prefixlength = max(node.prefixlength, FUZZY_PREFIX)


def build_query(text: str, filters: Filters, schema: f.fields.Schema) -> wq.Query:
    """The query text and the filters as one Whoosh query."""
    return combine(parse_query(text, schema), filters)


def combine(parsed: wq.Query, filters: Filters) -> wq.Query:
    """A parsed query restricted by the filters."""
    restrictions = filter_queries(filters)
    if not restrictions:
        return parsed
    if isinstance(parsed, wq.Every):
        return wq.And(restrictions) if len(restrictions) > 1 else restrictions[0]
    return wq.And([parsed, *restrictions])


def filter_queries(filters: Filters) -> list[wq.Query]:
    """One query per kind of filter; the values of a kind are ORed."""
    out: list[wq.Query] = []
    if filters.sources:
        out.append(_any_of([_name_query(f.SOURCE_TEXT, s, exact_field=f.SOURCE) for s in filters.sources]))
    if filters.entities:
        out.append(_any_of([_name_query(f.ENTITY_TEXT, e) for e in filters.entities]))
    for kind in ENTITY_TYPES:
        names = filters.names.get(kind, ())
        if names:
            out.append(
                _any_of(
                    [_name_query(f.NAME_TEXT_FIELD[kind], n, exact_field=f.FACET_FIELD[kind]) for n in names]
                )
            )
    if filters.years:
        out.append(_any_of([wq.Term(f.YEAR, y) for y in filters.years]))
    if filters.months:
        out.append(_any_of([wq.Term(f.MONTH, m) for m in filters.months]))
    if filters.date_from or filters.date_to:
        start = parse_date_bound(filters.date_from, "from", end=False) if filters.date_from else None
        end = parse_date_bound(filters.date_to, "to", end=True) if filters.date_to else None
        if start and end and start > end:
            raise QuerySyntaxError(f"the date range is empty: {filters.date_from} is after {filters.date_to}")
        out.append(wq.DateRange(f.DATE, start, end))
    return out


def parse_date_bound(text: str, label: str, *, end: bool) -> datetime:
    """``2020``, ``2020-06`` or ``2020-06-30`` as the first (or, with ``end``, last) moment."""
    value = text.strip()
    form = _DATE_FORMS.get(len(value))
    try:
        if form is None:
            raise ValueError
        start = datetime.strptime(value, form)
    except ValueError:
        raise QuerySyntaxError(
            f"{label} date {text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
        ) from None
    if not end:
        return start
    try:
        if len(value) == 4:
            following = start.replace(year=start.year + 1)
        elif len(value) == 7:
            following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            following = start + timedelta(days=1)
    except (OverflowError, ValueError):  # the last year, month or day of the calendar (9999)
        return datetime.max
    return following - timedelta(microseconds=1)


def check_cost(
    q: wq.Query,
    reader: IndexReader,
    *,
    max_terms: int = MAX_EXPANDED_TERMS,
    doc_frequency: Callable[[str, Any], int] | None = None,
) -> None:
    """Refuse a query whose wildcards, fuzzy terms and ranges stand for too many index words.

    Counting stops one past the limit, so the check itself stays cheap whatever the query.
    ``doc_frequency`` answers ``reader.doc_frequency`` (a searcher's remembered counts).
    """
    budget = max_terms
    fuzzy = {node.text for node in _all_nodes(q) if isinstance(node, wq.FuzzyTerm)}
    if len(fuzzy) > MAX_FUZZY_WORDS:
        raise QuerySyntaxError(
            f"the query has {len(fuzzy)} fuzzy words (~); each one scans the whole vocabulary, so "
            f"at most {MAX_FUZZY_WORDS} are allowed"
        )
    _check_postings(q, reader, doc_frequency or reader.doc_frequency)
    for node in _all_nodes(q):
        if isinstance(node, wq.FuzzyTerm) and node.maxdist > MAX_FUZZY_EDITS:
            raise QuerySyntaxError(
                f"{node.text}~{node.maxdist} allows {node.maxdist} edits: use at most "
                f"{MAX_FUZZY_EDITS} ({node.text}~{MAX_FUZZY_EDITS})"
            )
        words = _expansion(node, reader)
        if words is None:
            continue
        budget -= sum(1 for _ in islice(words, budget + 1))
        if budget < 0:
            raise QuerySyntaxError(
                f"{_describe(node)!r} stands for more than {max_terms:,} different words in the index: "
                "make it more specific (more letters before a *, a narrower range)"
            )


def _check_postings(q: wq.Query, reader: IndexReader, doc_frequency: Callable[[str, Any], int]) -> None:
    """Refuse a query of so many common words that reading their postings takes seconds."""
    words = {
        (node.field(), word)
        for node in _all_nodes(q)
        if isinstance(node, (wq.Term, wq.Phrase)) and not isinstance(node, wq.MultiTerm)
        for word in (node.words if isinstance(node, wq.Phrase) else [node.text])
    }
    budget = MAX_POSTINGS_PER_ARTICLE * max(reader.doc_count_all(), _POSTINGS_FLOOR)
    total = 0
    for fieldname, word in words:
        with contextlib.suppress(Exception):  # a word of a field this index lacks reads nothing
            total += doc_frequency(fieldname, word)
        if total > budget:
            raise QuerySyntaxError(
                f"the query's {len(words):,} words occur more than {budget:,} times in the index, "
                "too many to read in a second: use fewer or rarer words"
            )


def _expansion(node: wq.Query, reader: IndexReader) -> Iterator[Any] | None:
    """The index words a node stands for, lazily; None for a node that is not a pattern."""
    if isinstance(node, wq.MultiTerm):
        return node._btexts(reader)  # Whoosh's own lazy expansion of the pattern
    if isinstance(node, wq.Every) and node.fieldname:
        return reader.lexicon(node.fieldname)
    return None


def _describe(node: wq.Query) -> str:
    """The part of the query as a person would have typed it (``person:kad*``)."""
    fieldname = node.field() if not isinstance(node, wq.Every) else node.fieldname
    typed = FIELD_ALIASES.get(fieldname, [fieldname])[0]
    where = "" if fieldname in f.TEXT_FIELDS else f"{typed}:"
    if isinstance(node, wq.Every):
        return f"{typed}:*"
    if isinstance(node, wq.TermRange):
        return f"{where}[{node.start or ''} TO {node.end or ''}]"
    if isinstance(node, wq.Prefix):
        return f"{where}{node.text}*"
    if isinstance(node, wq.FuzzyTerm):
        return f"{where}{node.text}~"
    return f"{where}{getattr(node, 'text', node)}"


def highlight_terms(q: wq.Query, reader: IndexReader) -> frozenset[str]:
    """The indexed body/title terms the query looks for, to mark in snippets.

    Negated parts are left out, and fuzzy or prefix terms are expanded to the words they
    matched, up to a bound so a short prefix cannot flood the highlighter.
    """
    terms: set[str] = set()
    for leaf in positive_leaves(q):
        if leaf.field() not in f.TEXT_FIELDS:
            continue
        try:
            expanded = leaf.expanded_terms(reader, phrases=True)
        except Exception:  # a leaf that cannot expand simply adds nothing
            continue
        for _fieldname, text in expanded:
            terms.add(text.decode("utf-8") if isinstance(text, bytes) else str(text))
            if len(terms) >= MAX_HIGHLIGHT_TERMS:
                return frozenset(terms)
    return frozenset(terms)


def positive_leaves(q: wq.Query) -> Iterator[wq.Query]:
    """The terms and phrases of a query that an article must or may contain (not under NOT)."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        yield from positive_leaves(q.a)
        return
    if q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from positive_leaves(child)


def _check(q: wq.Query, text: str) -> None:
    """Raise ``QuerySyntaxError`` for any part of the tree the parser could not understand."""
    for node in _all_nodes(q):
        error = getattr(node, "error", None)
        if error:
            raise QuerySyntaxError(f"cannot understand the query {text!r}: {error}")
        if isinstance(node, (wq.Wildcard, wq.Prefix)) and _LEADING_WILDCARD.match(str(node.text)):
            raise QuerySyntaxError(
                f"{node.text!r} starts with a wildcard, which would scan every word in the index: "
                "put at least one letter first"
            )


_DATE_FIELDS = (f.DATE, f.INDEXED_AT)


def _check_dates(q: wq.Query, schema: f.fields.Schema) -> None:
    """Whoosh turns ``date:"a b"`` into a term it only fails to read when the search runs."""
    for node in _all_nodes(q):
        if node.is_leaf() and node.field() in _DATE_FIELDS and isinstance(getattr(node, "text", None), str):
            try:
                schema[node.field()].to_bytes(node.text)
            except Exception:  # Whoosh raises a bare Exception for an unreadable date
                raise QuerySyntaxError(
                    f"date {node.text!r} is not a date: use date:2020, date:2020-12 or date:2020-12-31"
                ) from None


def _all_nodes(q: wq.Query) -> Iterator[wq.Query]:
    yield q
    if not q.is_leaf():
        for child in q.children():
            yield from _all_nodes(child)


def _name_query(text_field: str, name: str, *, exact_field: str | None = None) -> wq.Query:
    """Match a name as a phrase of its words, or exactly as a facet value."""
    analyzer = f.name_analyzer()
    words = [token.text for token in analyzer(name)]
    if not words:
        raise QuerySyntaxError(f"the filter value {name!r} has no words to match")
    phrase: wq.Query = wq.Term(text_field, words[0]) if len(words) == 1 else wq.Phrase(text_field, words)
    if exact_field is None:
        return phrase
    return wq.Or([wq.Term(exact_field, name), phrase])


def _any_of(queries: Sequence[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.Or(list(queries))
