"""Matching and scoring a query with arrays: every match and its BM25F score, as Whoosh gives them.

Whoosh matches a query one document at a time in Python: for ``Donald Trump`` at 100,000
articles that is 73,000 steps through a tree of matchers, each scoring four postings, about
0.2 s; a phrase also decodes the positions of every candidate (``"White House"``, 0.3 s).
Here each term's postings are read as numpy arrays (document numbers and weights, kept on the
searcher for the next query): sliced from the segment's memory-mapped posting table
(``indexing/posting_tables.py``) where it has one, else decoded from Whoosh's blocks a block
at a time. The boolean structure becomes array operations: an AND is an intersection, an OR
a union whose scores add up, a NOT a difference.
Scores follow Whoosh's BM25F exactly (the same idf, average and byte-coded field lengths, and
the same sums), so the ranking does not change; ``tests/test_fastmatch.py`` compares both on
a real index.

A phrase keeps the articles whose positions line up: every occurrence of each word is a key
``doc << 32 | position`` (decoded once, kept like the postings), and the phrase's matches are
the first word's keys that every later word has at the next position. Query parts this module
does not know (wildcards, fuzzy words, a phrase with slop) are matched by Whoosh and joined in
as arrays, so any query can come here.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from itertools import chain
from math import log
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn
from whoosh.fields import DATETIME
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25F
from whoosh.searching import Searcher as WhooshSearcher
from whoosh.util.numeric import byte_to_length

from searchlib.indexing.posting_tables import PostingTable, absolute, term_hash
from searchlib.indexing.posting_tables import block_deltas as _block_deltas
from searchlib.querying.collect import Ranking, rank_all

MAX_CACHED_BYTES = 64_000_000
"""Decoded postings and positions kept across queries, the least recently used dropped first.
At 100,000 articles the commonest word's postings take 1 MB (12 bytes a posting)."""
MAX_FREQUENCIES = 200_000
"""Terms whose document counts per segment are kept across queries (cleared when full)."""

Ranked = list[tuple[int, float]]
Matches = tuple[np.ndarray, np.ndarray]
"""Sorted unique document numbers (int64) and their scores (float64)."""

_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_EMPTY: Matches = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


class FastMatcher:
    """Matches queries against one open state of an index; make a new one after a refresh."""

    def __init__(
        self, searcher: WhooshSearcher, *, max_cached: int = MAX_CACHED_BYTES, tables: Path | None = None
    ) -> None:
        """``tables``: the folder of the segments' posting tables (``posting_tables``), read
        instead of Whoosh's posting blocks where a segment has one."""
        self._searcher = searcher
        self._reader = searcher.reader()
        self._leaves = list(self._reader.leaf_readers())
        self._tables = [
            PostingTable.open(tables, leaf.segment().segment_id())
            if tables is not None and leaf.segment() is not None  # an empty index's reader has none
            else None
            for leaf, _offset in self._leaves
        ]
        self._max_cached = max_cached
        self._cached = 0
        self._cache: OrderedDict[tuple[Any, ...], tuple[Any, int]] = OrderedDict()
        self._lengths: dict[str, np.ndarray] = {}
        self._frequencies: dict[tuple[str, Any], tuple[int, ...]] = {}
        self._deleted: np.ndarray | None = None
        self._alive: np.ndarray | None = None

    def usable(self) -> bool:
        """Whether this searcher scores with plain BM25F, the model this module reproduces."""
        return type(self._searcher.weighting) is BM25F

    def rank(self, query: Any) -> Ranking:
        """Every match of ``query`` with its score, as ``collect.rank_all`` gives them."""
        docs, scores = self._match(query)
        return Ranking(docs, scores)

    def by_column(self, docs: np.ndarray, fieldname: str, *, reverse: bool) -> Callable[[int], Ranked]:
        """``n -> the first n of docs`` in the order of a sortable column, as Whoosh's
        ``search(sortedby=fieldname, reverse=reverse)`` gives them: by the column's raw value,
        equal values by document number, all of it reversed for ``reverse``. Like Whoosh, each
        hit's "score" is its sort value."""
        keys = self.column(fieldname)[docs]

        def first(n: int) -> Ranked:
            chosen_docs, chosen_keys = docs, keys
            if n < len(docs):  # only the documents whose value can be among the first n
                cut = len(docs) - n if reverse else n - 1
                threshold = np.partition(keys, cut)[cut]
                keep = keys >= threshold if reverse else keys <= threshold
                chosen_docs, chosen_keys = docs[keep], keys[keep]
            order = np.lexsort((chosen_docs, chosen_keys))
            if reverse:
                order = order[::-1]
            return [(int(chosen_docs[i]), int(chosen_keys[i])) for i in order[:n]]

        return first

    def column(self, fieldname: str) -> np.ndarray:
        """Every document's raw value in a sortable column (a date's number), read once."""
        key = ("\0column", fieldname)
        found = self._cache_get(key)
        if found is None:
            parts = []
            for leaf, _offset in self._leaves:
                if not leaf.doc_count_all():  # an empty index's reader has no columns at all
                    continue
                values = leaf.column_reader(fieldname, translate=False)
                parts.append(_column_values(values, leaf.doc_count_all(), np.uint64))
            found = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
            self._cache_put(key, found)
        return found

    # -- the query tree ------------------------------------------------------------------

    def _match(self, node: Any) -> Matches:
        kind = type(node)
        boost = getattr(node, "boost", 1.0)
        if kind is wq.Term:
            found = self._term(node.fieldname, node.text)
        elif kind is wq.Phrase and node.slop == 1:
            found = self._phrase(node.fieldname, node.words)
        elif kind is wq.Sequence and node.slop == 1 and node.ordered and (choices := _word_choices(node)):
            found = self._sequence(node.subqueries, choices)
        elif kind is wq.And:
            found = self._and([s for s in node.subqueries if s is not wq.NullQuery])
        elif kind is wq.Or and not node.scale and not node.minmatch:
            found = self._or(node.subqueries)
        elif kind is wq.AndNot:
            found = self._and_not(node.a, node.b)
            boost = 1.0  # Whoosh gives the boost to the positive side (``AndNot.with_boost``)
        elif kind is wq.Not:
            found = self._not(node.query)
            boost = 1.0  # an inverse matcher always scores 1
        elif isinstance(node, wq.NumericRange) and node.constantscore:
            found = self._range(node)
            boost = 1.0  # the constant score is the boost
        elif kind is wq.Every and node.fieldname in (None, "", "*"):
            found = self._alive_docs(), np.ones(len(self._alive_docs()), dtype=np.float64)
        elif node is wq.NullQuery or isinstance(node, wq.NullQuery.__class__):
            return _EMPTY
        else:
            return self._whoosh(node)
        docs, scores = found
        return (docs, scores * boost) if boost != 1.0 else found

    def _and(self, subs: Sequence[Any]) -> Matches:
        if not subs:
            return _EMPTY
        docs, scores = self._match(subs[0])
        for sub in subs[1:]:
            if not len(docs):
                return _EMPTY
            other_docs, other_scores = self._match(sub)
            mine, theirs = _intersect(docs, other_docs)
            docs, scores = docs[mine], scores[mine] + other_scores[theirs]
        return docs, scores

    def _or(self, subs: Sequence[Any]) -> Matches:
        parts = [self._match(sub) for sub in subs]
        parts = [p for p in parts if len(p[0])]
        if not parts:
            return _EMPTY
        if len(parts) == 1:
            return parts[0]
        return _union(parts, self._reader.doc_count_all())

    def _and_not(self, positive: Any, negative: Any) -> Matches:
        docs, scores = self._match(positive)
        if not len(docs):
            return _EMPTY
        excluded, _ = self._match(negative)
        keep = np.isin(docs, excluded, assume_unique=True, invert=True)
        return docs[keep], scores[keep]

    def _not(self, negated: Any) -> Matches:
        excluded, _ = self._match(negated)
        alive = self._alive_docs()
        docs = alive[np.isin(alive, excluded, assume_unique=True, invert=True)]
        return docs, np.ones(len(docs), dtype=np.float64)

    def _range(self, node: wq.NumericRange) -> Matches:
        """A numeric or date range: every article with one of the index terms it stands for
        (Whoosh's own expansion of it into tiers of terms), all scored the boost.

        The matches are kept like postings, by the range's bounds: expanding a range walks
        Whoosh's term index in Python (about 8 ms for a month of dates at 100,000 articles),
        and the same few date filters (a month, a year) come back query after query."""
        key = (
            "\0range",
            type(node).__name__,
            node.fieldname,
            node.start,
            node.end,
            node.startexcl,
            node.endexcl,
        )
        docs = self._cache_get(key)
        if docs is None:
            found = self._range_docs(node)
            if found is None:
                return self._whoosh(node)
            docs = found
            self._cache_put(key, docs)
        return docs, np.full(len(docs), float(node.boost))

    def _range_docs(self, node: wq.NumericRange) -> np.ndarray | None:
        """The documents of a range, or None for a range this module does not expand."""
        dated = self._dates_within(node)
        if dated is not None:
            return dated
        compiled = node._compile_query(self._reader)
        leaves = compiled.child.subqueries if isinstance(compiled.child, wq.Or) else [compiled.child]
        texts: list[bytes] = []
        for leaf in leaves:
            if type(leaf) is wq.Term:
                texts.append(leaf.text)
            elif type(leaf) is wq.TermRange:
                texts.extend(leaf._btexts(self._reader))
            else:
                return None
        parts = [self.postings(node.fieldname, text)[0] for text in texts]
        return np.unique(np.concatenate(parts)) if parts else _EMPTY[0]

    def _dates_within(self, node: wq.NumericRange) -> np.ndarray | None:
        """The live documents whose date lies in a date range, from the field's column (read
        once): the documents the range's terms list, since a date field holds one date per
        document, indexed as terms and kept in the column alike. None (use the terms) for
        another kind of field or a segment without the column."""
        schema = self._searcher.schema
        field = schema[node.fieldname] if node.fieldname in schema.names() else None
        if type(field) is not DATETIME or not all(
            leaf.has_column(node.fieldname) for leaf, _offset in self._leaves if leaf.doc_count_all()
        ):
            return None
        values = self.column(node.fieldname)
        keep = values != np.uint64(field.default)  # no date: the column's default, no term
        if node.start is not None:
            start = field.prepare_number(node.start)
            if start >= 0:
                keep &= values > np.uint64(start) if node.startexcl else values >= np.uint64(start)
        if node.end is not None:
            end = field.prepare_number(node.end)
            if end < 0:
                return _EMPTY[0]
            keep &= values < np.uint64(end) if node.endexcl else values <= np.uint64(end)
        deleted = self._deleted_mask()
        if deleted is not None:
            keep &= ~deleted
        return np.flatnonzero(keep).astype(np.int64)

    def _whoosh(self, node: Any) -> Matches:
        """A part this module does not match itself, matched and scored by Whoosh."""
        ranking = rank_all(self._searcher, node)
        order = np.argsort(ranking.docs, kind="stable")
        return ranking.docs[order], ranking.scores[order]

    # -- terms and phrases ---------------------------------------------------------------

    def _term(self, fieldname: str, text: Any) -> Matches:
        if fieldname not in self._searcher.schema:
            return _EMPTY
        field = self._searcher.schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return _EMPTY
        docs, weights = self.postings(fieldname, btext)
        if not len(docs):
            return _EMPTY
        key = ("\0scores", fieldname, btext)
        scores = self._cache_get(key)
        if scores is None:  # kept like the postings: a common word comes back query after query
            scores = self._scores(fieldname, btext, docs, weights)
            self._cache_put(key, scores)
        return docs, scores

    def _scores(self, fieldname: str, btext: bytes, docs: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """BM25F of one term at ``docs``, computed as Whoosh's ``BM25FScorer`` does."""
        searcher = self._searcher
        tf = weights.astype(np.float64)
        if not searcher.schema[fieldname].scorable:
            return tf  # Whoosh's WeightScorer: the posting's weight
        weighting: BM25F = searcher.weighting
        b = weighting._field_B.get(fieldname, weighting.B)
        k1 = weighting.K1
        idf = log(searcher.doc_count_all() / (sum(self._frequencies_of(fieldname, btext)) + 1)) + 1
        avgfl = searcher.avg_field_length(fieldname) or 1
        fl = self.field_lengths(fieldname)[docs]
        return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))

    def _phrase(self, fieldname: str, words: Sequence[str]) -> Matches:
        """Articles with ``words`` at consecutive positions, scored as the sum of the words'
        scores (Whoosh's ``SpanNear2`` over an intersection of the words)."""
        if fieldname not in self._searcher.schema or not words:
            return _EMPTY
        field = self._searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            return self._whoosh(wq.Phrase(fieldname, list(words)))  # Whoosh's error, as before
        try:
            bwords = [field.to_bytes(w) for w in words]
        except ValueError:
            return _EMPTY
        if not all(any(self._frequencies_of(fieldname, w)) for w in bwords):
            return _EMPTY
        # A position key is doc << 32 | position (see ``_phrase_starts``). Reading the keys
        # keeps each word's postings too: every block is unpacked once.
        keys = _phrase_starts([self._position_keys(fieldname, bword) for bword in bwords])
        if not len(keys):
            return _EMPTY
        postings = [self.postings(fieldname, w) for w in bwords]
        docs = np.unique(keys >> 32)
        scores = np.zeros(len(docs), dtype=np.float64)
        for bword, (word_docs, weights) in zip(bwords, postings, strict=True):
            at = np.searchsorted(word_docs, docs)
            scores = scores + self._scores(fieldname, bword, docs, weights[at])
        return docs, scores

    def _sequence(self, subs: Sequence[Any], choices: list[list[Any]]) -> Matches:
        """A phrase some of whose words may be written several ways (a ``Sequence`` of terms
        and ``Or``s of terms of one field: a phrase with the spellings of its names ORed in),
        matched as ``_phrase`` matches a phrase; each document scores the sum of its parts'
        scores, as Whoosh's span matcher adds up those of the intersection it wraps."""
        fieldname = choices[0][0].fieldname
        field = self._searcher.schema[fieldname] if fieldname in self._searcher.schema.names() else None
        if field is None or not field.format or not field.format.supports("positions"):
            return self._whoosh(wq.Sequence(list(subs)))
        keyed = []
        for terms in choices:
            parts = []
            for term in terms:
                try:
                    parts.append(self._position_keys(fieldname, field.to_bytes(term.text)))
                except ValueError:
                    continue
            keys = np.unique(np.concatenate(parts)) if len(parts) > 1 else (parts[0] if parts else _EMPTY[0])
            if not len(keys):
                return _EMPTY
            keyed.append(keys)
        keys = _phrase_starts(keyed)
        if not len(keys):
            return _EMPTY
        docs = np.unique(keys >> 32)
        scores = np.zeros(len(docs), dtype=np.float64)
        for sub in subs:
            sub_docs, sub_scores = self._match(sub)
            scores = scores + sub_scores[np.searchsorted(sub_docs, docs)]
        return docs, scores

    def _position_keys(self, fieldname: str, btext: bytes) -> np.ndarray:
        """``doc << 32 | position`` of every occurrence of a term, sorted (kept like postings)."""
        key = ("\0positions", fieldname, btext)
        found = self._cache_get(key)
        if found is None:
            docs, weights, found = self._read(fieldname, btext, positions=True)
            self._cache_put(key, found)
            self._cache_put((fieldname, btext), (docs, weights))
        return found

    # -- document frequencies ------------------------------------------------------------

    def doc_frequency(self, fieldname: str, text: Any) -> int:
        """``reader.doc_frequency``: how many documents have a term, deleted ones too (the
        count BM25F's idf uses); 0 for a field the index lacks."""
        if fieldname not in self._searcher.schema:
            return 0
        return sum(self._frequencies_of(fieldname, self._searcher.schema[fieldname].to_bytes(text)))

    def listed_frequency(self, fieldname: str, text: Any) -> int | None:
        """``doc_frequency`` from the posting tables alone, None if a segment has none.

        For estimates (did-you-mean weighs a misspelt word's dozens of candidates by how
        common each is): one binary search of each table's keys, where Whoosh looks the word
        up in each segment's term index in Python. Scores and the reading of postings keep
        Whoosh's count, which checks the table (``_read``).
        """
        if fieldname not in self._searcher.schema:
            return 0
        if any(table is None for table in self._tables):
            return None
        key = term_hash(fieldname, self._searcher.schema[fieldname].to_bytes(text))
        return sum(table.posting_count(key) for table in self._tables if table is not None)

    def _frequencies_of(self, fieldname: str, btext: bytes) -> tuple[int, ...]:
        """How many documents of each segment have a term, kept for the next question.

        A query asks for a term's count several times (the cost check, the posting tables'
        check, the idf, a phrase's check that every word exists), and Whoosh answers each by
        looking the term up in every segment's term index in Python, about 16 µs a segment.
        """
        key = (fieldname, btext)
        found = self._frequencies.get(key)
        if found is None:
            if len(self._frequencies) >= MAX_FREQUENCIES:
                self._frequencies.clear()
            found = tuple(leaf.doc_frequency(fieldname, btext) for leaf, _offset in self._leaves)
            self._frequencies[key] = found
        return found

    # -- decoded postings ----------------------------------------------------------------

    def postings(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, weights) of a term over the whole index, deleted documents left out."""
        key = (fieldname, btext)
        found = self._cache_get(key)
        if found is None:
            docs, weights, _ = self._read(fieldname, btext, positions=False)
            found = (docs, weights)
            self._cache_put(key, found)
        return found

    def _cache_get(self, key: tuple[Any, ...]) -> Any:
        found = self._cache.get(key)
        if found is None:
            return None
        self._cache.move_to_end(key)
        return found[0]

    def _cache_put(self, key: tuple[Any, ...], value: Any) -> None:
        """Keep ``value`` (an array or a tuple of arrays) within ``max_cached`` bytes in all."""
        arrays = value if isinstance(value, tuple) else (value,)
        size = sum(a.nbytes for a in arrays)
        if size > self._max_cached or key in self._cache:
            return
        self._cache[key] = (value, size)
        self._cached += size
        while self._cached > self._max_cached:
            _key, (_old, old_size) = self._cache.popitem(last=False)
            self._cached -= old_size

    def _read(
        self, fieldname: str, btext: bytes, *, positions: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A term's documents and weights over every segment, and with ``positions`` its
        position keys (read in the same pass: each block is unpacked once for both)."""
        fmt = self._searcher.schema[fieldname].format if positions else None
        docs, weights, keys = [], [], []
        counts = self._frequencies_of(fieldname, btext)
        for (leaf, offset), table, count in zip(self._leaves, self._tables, counts, strict=True):
            if not count:
                continue
            found = _table_read(table, fieldname, btext, count, fmt) if table is not None else None
            if found is None:
                found = _leaf_read(_unwrapped(leaf.postings(fieldname, btext)), fmt)
            leaf_docs, leaf_weights, owners, places = found
            if not len(leaf_docs):
                continue
            docs.append(leaf_docs + offset)
            weights.append(leaf_weights)
            keys.append(((owners + offset) << 32) | places)
        found = [
            np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64) for parts in (docs, weights, keys)
        ]
        deleted = self._deleted_mask()
        if deleted is not None and len(found[0]):
            keep = ~deleted[found[0]]
            found[0], found[1] = found[0][keep], found[1][keep]
            found[2] = found[2][~deleted[found[2] >> 32]]
        return found[0], found[1].astype(np.float32, copy=False), found[2]

    def field_lengths(self, fieldname: str) -> np.ndarray:
        """Every document's length in ``fieldname`` as Whoosh scores it (byte-coded, 0 for none)."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            parts = []
            for leaf, _offset in self._leaves:
                count = leaf.doc_count_all()
                codes = np.zeros(count, dtype=np.uint8)
                perdoc = leaf._perdoc  # the segment's columns, where Whoosh keeps the lengths
                column = _lenfield(fieldname)
                if perdoc.has_column(column):
                    codes = _column_values(perdoc.column_reader(column, LENGTHS_COLUMN), count, np.uint8)
                parts.append(_LENGTHS[codes])
            lengths = np.concatenate(parts) if parts else np.zeros(0)
            self._lengths[fieldname] = lengths
        return lengths

    def _deleted_mask(self) -> np.ndarray | None:
        if self._deleted is None and self._reader.has_deletions():
            mask = np.zeros(self._reader.doc_count_all(), dtype=bool)
            for leaf, offset in self._leaves:
                if leaf.has_deletions():
                    alive = np.fromiter(leaf.all_doc_ids(), dtype=np.int64)
                    leaf_mask = np.ones(leaf.doc_count_all(), dtype=bool)
                    leaf_mask[alive] = False
                    mask[offset : offset + leaf.doc_count_all()] = leaf_mask
            self._deleted = mask
        return self._deleted

    def _alive_docs(self) -> np.ndarray:
        if self._alive is None:
            deleted = self._deleted_mask()
            every = np.arange(self._reader.doc_count_all(), dtype=np.int64)
            self._alive = every if deleted is None else every[~deleted]
        return self._alive


def _column_values(column: Any, count: int, dtype: Any) -> np.ndarray:
    """A numeric column's values for ``count`` documents, as one read of its bytes.

    Read a document at a time, a column costs a file read each when the index is not
    memory-mapped (the ``search`` command): seconds at 100,000 articles.
    """
    if type(column) is NumericColumn.Reader:
        stored = min(column._count, count)
        raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
        values = np.frombuffer(raw, dtype=np.dtype(">" + column._typecode)).astype(dtype)
        if stored < count:
            values = np.concatenate([values, np.full(count - stored, column._default, dtype=dtype)])
        return values
    return np.fromiter(column, dtype=dtype, count=count)


def _unwrapped(matcher: Any) -> Any:
    """The segment's own posting reader (deletions are applied to the arrays instead)."""
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    return matcher


def _table_read(
    table: PostingTable, fieldname: str, btext: bytes, count: int, fmt: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """``_leaf_read`` from the segment's posting table, for a term the segment's term index
    says ``count`` documents have; None where the table cannot answer."""
    row = table.find(fieldname, btext, count)
    if row is None:
        return None
    docs, weights = table.postings(row)
    if fmt is None:
        return docs, weights, docs[:0], docs[:0]
    placed = table.positions(row, docs)
    if placed is None:
        return None
    return docs, weights, placed[0], placed[1]


def _leaf_read(matcher: Any, fmt: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A segment's postings of one term: documents, weights and, given the field's format
    ``fmt``, (document, position) of every occurrence; a block at a time where it can."""
    docs: list[Any] = []
    weights: list[Any] = []
    deltas: list[list[int]] = []
    batched = fmt is not None and type(fmt).decode_positions is Positions.decode_positions
    while matcher.is_active():
        if type(matcher) is W3LeafMatcher:
            matcher._read_ids()
            matcher._read_weights()
            docs.append(np.asarray(matcher._ids, dtype=np.int64))
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            if fmt is not None:
                matcher._read_values()
                lists = _block_deltas(matcher._values) if batched else None
                deltas.extend(lists or [_deltas(fmt.decode_positions(v)) for v in matcher._values])
            matcher._next_block()
        else:  # inlined postings (a term in one document) and other readers
            docs.append(np.array([matcher.id()], dtype=np.int64))
            weights.append(np.array([matcher.weight()], dtype=np.float32))
            if fmt is not None:
                deltas.append(_deltas(fmt.decode_positions(matcher.value())))
            matcher.next()
    all_docs = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
    all_weights = np.concatenate(weights) if weights else np.zeros(0, dtype=np.float32)
    lengths = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
    flat = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=int(lengths.sum()))
    places = absolute(flat, lengths)
    owners = np.repeat(all_docs, lengths) if fmt is not None else all_docs[:0]
    return all_docs, all_weights, owners, places


def _deltas(positions: Sequence[int]) -> list[int]:
    return [b - a for a, b in zip((0, *positions), positions, strict=False)]


def _intersect(docs: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the documents two sorted unique arrays share sit in each, in document order
    (``np.intersect1d(..., return_indices=True)`` without sorting both arrays together:
    the shorter one is looked up in the longer)."""
    if len(docs) > len(others):
        theirs, mine = _intersect(others, docs)
        return mine, theirs
    if not len(docs) or not len(others):
        return docs[:0], others[:0]
    at = np.minimum(np.searchsorted(others, docs), len(others) - 1)
    found = others[at] == docs
    return np.flatnonzero(found), at[found]


DENSE_SHARE = 32
"""A union of more postings than 1/32 of the documents adds its scores in an array of every
document instead of sorting the postings together."""


def _union(parts: Sequence[Matches], doc_count: int) -> Matches:
    """Every document of sorted unique arrays, with its scores added up in the parts' order.

    Sorting the parts together costs a sort of all their postings (2 ms for a word's 30,000
    in title and body at 100,000 articles, ten times that at a million); adding the scores
    into an array of every document costs a pass over that array. Both add each document's
    scores in the same order, so the sums are the same to the last bit.
    """
    total = sum(len(docs) for docs, _scores in parts)
    if total * DENSE_SHARE < doc_count:
        docs = np.concatenate([p[0] for p in parts])
        unique, inverse = np.unique(docs, return_inverse=True)
        return unique, np.bincount(
            inverse, weights=np.concatenate([p[1] for p in parts]), minlength=len(unique)
        )
    sums = np.zeros(doc_count, dtype=np.float64)
    present = np.zeros(doc_count, dtype=bool)
    for docs, scores in parts:
        sums[docs] += scores
        present[docs] = True
    found = np.flatnonzero(present)
    return found, sums[found]


def _word_choices(node: wq.Sequence) -> list[list[Any]] | None:
    """The terms each part of a sequence may be, if every part is a term or a plain ``Or`` of
    terms and all are of one field (else None: Whoosh matches it)."""
    choices = []
    for sub in node.subqueries:
        if type(sub) is wq.Term:
            choices.append([sub])
        elif (
            type(sub) is wq.Or
            and not sub.scale
            and not sub.minmatch
            and sub.subqueries
            and all(type(t) is wq.Term for t in sub.subqueries)
        ):
            choices.append(list(sub.subqueries))
        else:
            return None
    fields = {term.fieldname for terms in choices for term in terms}
    return choices if choices and len(fields) == 1 else None


def _phrase_starts(keyed: Sequence[np.ndarray]) -> np.ndarray:
    """The position keys of word 0 of every match of a phrase, from each word's sorted keys:
    word ``i`` of a match sits at word 0's key + ``i``. Found from the rarest word's keys,
    shifted back to word 0 and looked up in the others' (a common word's hundreds of thousands
    of keys are never each looked up); empty as soon as no match is left."""
    order = sorted(range(len(keyed)), key=lambda i: len(keyed[i]))
    keys = keyed[order[0]] - order[0]
    for i in order[1:]:
        keys = _common(keys + i, keyed[i]) - i
        if not len(keys):
            break
    return keys


def _common(keys: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The sorted unique ``keys`` that ``others`` (sorted, unique) also holds, the shorter
    array looked up in the longer."""
    if not len(keys) or not len(others):
        return keys[:0]
    if len(keys) > len(others):
        keys, others = others, keys
    at = np.minimum(np.searchsorted(others, keys), len(others) - 1)
    return keys[others[at] == keys]
