"""Running queries: a page of scored hits with snippets, and facet counts over all matches.

``Searcher`` keeps the index open across queries (a web server or a batch job holds one);
``search()`` opens one for a single query. Results are plain dataclasses, never Whoosh objects.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import numpy as np
from rapidfuzz import fuzz, process
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from searchlib.entities.lookup import EntityLookup
from searchlib.errors import ArticleNotFound, UsageError
from searchlib.indexing import schema as f
from searchlib.indexing.collapse import (
    CollapsedHit,
    DocSet,
    Ranked,
    Stories,
    collapse_page,
    count_story_codes,
    first_window,
    matching_copies,
)
from searchlib.indexing.column_readers import column_reader
from searchlib.indexing.dedupe import has_cluster_table, load_cluster_ids
from searchlib.indexing.entity_list import count_entities
from searchlib.indexing.facet_tables import FacetTable, load_table
from searchlib.indexing.reader_reuse import reopened
from searchlib.indexing.resolution_table import open_table
from searchlib.indexing.store import Manifest, open_current, open_searcher, read_manifest
from searchlib.indexing.story_codes import codes_of, load_story_codes
from searchlib.indexing.term_lists import IndexWords
from searchlib.indexing.warnings_table import as_files, load_warnings
from searchlib.models import (
    ENTITY_TYPES,
    Copy,
    Entity,
    EntityList,
    FacetValue,
    Hit,
    IndexStats,
    NameVariants,
    RelatedArticles,
    SearchResults,
    StoredArticle,
    Suggestion,
)
from searchlib.querying.collect import one_word, rank_all
from searchlib.querying.entity_names import expand_entity_names
from searchlib.querying.facets import DEFAULT_FACETS, check_facet_names, count_facets
from searchlib.querying.fastmatch import FastMatcher
from searchlib.querying.filter_check import filter_warnings
from searchlib.querying.histogram import check_interval, date_histogram
from searchlib.querying.parser import (
    Filters,
    build_query,
    check_cost,
    clean_query_text,
    combine,
    highlight_terms,
    parse_date_bound,
    read_query,
)
from searchlib.querying.query_text import PreparedQuery
from searchlib.querying.related import find_related
from searchlib.querying.snippets import WordForms, highlight_spans, make_snippets, written_forms
from searchlib.querying.spelling import WordLists
from searchlib.querying.spelling import suggest as suggest_correction
from searchlib.querying.stored import StoredFields
from searchlib.querying.variants import NameVocabulary, spelling_query
from searchlib.querying.variants import expand as expand_variants

T = TypeVar("T")

SORTS = ("relevance", "date", "oldest")
"""Relevance first, newest first, oldest first."""

_REFRESH_ATTEMPTS = 3

MAX_PAGE_SIZE = 1000
NAME_SHARE = 0.5
"""A word is a name (for spelling variants) when at least this share of its articles name it."""
NAMED_KINDS = ("person", "org", "place")
DEFAULT_INDEX_DIR = Path("index")
MAX_ENTITY_RECORDS = 100_000
"""Entity records a searcher keeps for its hits to share (frozen, so one serves every hit)."""
MAX_COPY_RECORDS = 100_000
"""Copies (id, source, date) a searcher keeps by document number for the hits they fold under."""

StrOrSeq = str | Sequence[str] | None


def _serialised(method: Callable[..., T]) -> Callable[..., T]:
    """Run ``method`` holding the searcher's lock: see ``Searcher``."""

    @functools.wraps(method)
    def locked(self: Searcher, *args: Any, **kwargs: Any) -> T:
        with self._lock:
            return method(self, *args, **kwargs)

    return locked


class Searcher:
    """An open index that answers many queries; use it as a context manager.

    One searcher may be shared by many threads (a web server's): its calls take turns. Whoosh's
    readers share file positions and caches that are not safe to use from two threads at once
    (wrong totals, ``zlib`` errors, and wrong answers kept in the caches afterwards); a query
    is CPU work under Python's GIL, so taking turns costs a shared searcher little. Threads that
    want to search truly side by side open a searcher each.
    """

    def __init__(self, index_dir: Path | str = DEFAULT_INDEX_DIR, *, memory_map: bool = True) -> None:
        """``memory_map=False`` suits a searcher that answers one or a few queries (a command):
        it opens at once and holds little memory, where each query costs a little more (see
        ``store.open_current``)."""
        self.index_dir = Path(index_dir)
        self.memory_map = memory_map
        self._lock = threading.RLock()
        self._index, self.manifest = open_current(self.index_dir, memory_map=memory_map)
        self._searcher: WhooshSearcher = open_searcher(self._index, self.index_dir)
        # The schema always comes from the open searcher: Whoosh's ``Index.schema`` reads the
        # newest table of contents again, which a concurrent update may just have deleted.
        self._body_analyzer = WordForms(self._searcher.schema[f.BODY].analyzer)
        self._title_analyzer = WordForms(self._searcher.schema[f.TITLE].analyzer)
        self._facet_table: FacetTable | None = None
        self._entity_column: Any = None
        self._entity_records: dict[tuple[str, str], Entity] = {}
        self._clusters: tuple[tuple[str, int], dict[str, str] | None, dict[str, list[str]]] | None = None
        self._names: NameVocabulary | None = None
        self._clustered: tuple[tuple[str, int], Stories, bool] | None = None
        """The stories of a state of the index, and whether any are to fold (``_has_clusters``)."""
        self._fast: FastMatcher | None = None
        self._span: tuple[tuple[str, int], tuple[datetime | None, datetime | None, int]] | None = None
        self._resolution: EntityLookup | None = None
        self._words: WordLists | None = None
        self._index_words: IndexWords | None = None
        self._stored: StoredFields | None = None
        self._copy_records: dict[int, Copy] = {}
        self._known: dict[str, list[tuple[str, int]]] = {}

    def __enter__(self) -> Searcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @_serialised
    def close(self) -> None:
        """Release the index files."""
        self._forget_resolution()
        self._forget_words()
        self._searcher.close()

    @_serialised
    def refresh(self) -> bool:
        """Pick up a newer state of the index (an update or a rebuild); True if there was one.

        The new generation is opened before the old one is let go, so a refresh that fails (a
        rebuild in another schema) leaves this searcher answering from the state it had.
        """
        manifest = read_manifest(self.index_dir)
        if manifest.generation != self.manifest.generation:
            index, opened = open_current(self.index_dir, memory_map=self.memory_map)
            self.close()
            self._index, self.manifest = index, opened
            self._searcher = open_searcher(self._index, self.index_dir)
            self._forget_columns()
            return True
        if not self._searcher.up_to_date() and _described(manifest, self._searcher):
            self._searcher = _refreshed(self._searcher)
            self.manifest = manifest
            self._forget_columns()
            return True
        return False

    @_serialised
    def search(
        self,
        query: str = "",
        *,
        source: StrOrSeq = None,
        entity: StrOrSeq = None,
        person: StrOrSeq = None,
        org: StrOrSeq = None,
        place: StrOrSeq = None,
        misc: StrOrSeq = None,
        year: StrOrSeq = None,
        month: StrOrSeq = None,
        date_from: str | None = None,
        date_to: str | None = None,
        sort: str = "relevance",
        page: int = 1,
        page_size: int = 10,
        facets: Sequence[str] | None = DEFAULT_FACETS,
        facet_limit: int = 10,
        snippets: int = 2,
        histogram: str | None = None,
        suggest: bool = True,
        variants: bool = True,
        collapse: bool = True,
    ) -> SearchResults:
        """Find articles matching ``query`` (see docs/query-syntax.md) and the filters.

        Filters given as a list match any of their values; different filters all apply.
        ``facets=None`` (or empty) skips facet counting. ``histogram`` (``auto``, ``year``,
        ``month`` or ``day``) also counts all matches by date; ``None`` skips it.
        """
        started = time.perf_counter()
        _check_paging(sort, page, page_size, facet_limit)
        sort = _effective_sort(query, sort)
        facet_names = check_facet_names(facets or ())
        if histogram is not None:
            check_interval(histogram)
        filters = self._resolved_filters(
            source=source,
            entity=entity,
            person=person,
            org=org,
            place=place,
            misc=misc,
            year=year,
            month=month,
            date_from=date_from,
            date_to=date_to,
        )
        parsed, read_as = self._query(query, filters)
        whoosh_query, spellings = self._expand_names(parsed, read_as) if variants else (parsed, ())
        reader = self._searcher.reader()
        folding = collapse and self._has_clusters()
        # Rank enough hits for the collapsed page's first try too, so it needs no second search.
        wanted = first_window(page, page_size) if folding else page * page_size
        matches: Sequence[int] | np.ndarray
        if self._matcher().usable():  # arrays (see fastmatch.py)
            ranking = self._matcher().rank(whoosh_query)
            matches, first = ranking.docs, ranking.top
            if sort != "relevance":
                first = self._matcher().by_column(ranking.docs, f.DATE, reverse=sort == "date")
        elif sort == "relevance" and not one_word(whoosh_query):  # one pass (see collect.py)
            ranking = rank_all(self._searcher, whoosh_query)
            matches, first = ranking.docnums, ranking.top
        else:
            matches = list(self._searcher.docs_for_query(whoosh_query))
            first = self._first(whoosh_query, sort, wanted, len(matches))
        ranked = first(wanted)
        page_hits = ranked[(page - 1) * page_size : page * page_size]
        terms = highlight_terms(whoosh_query, reader) if snippets else frozenset()
        folded = self._collapse(page, page_size, matches, first) if folding else None
        scored = sort == "relevance"  # sorted by date, Whoosh's "score" is the date
        if folded is None:
            hits = tuple(
                self._hit(docnum, score if scored else None, terms, snippets) for docnum, score in page_hits
            )
        else:
            hits = tuple(
                self._hit(
                    c.docnum, c.score if scored else None, terms, snippets, also_in=self._copies(c.copies)
                )
                for c in folded
            )
        selected = {
            "source": filters.sources,
            "year": filters.years,
            "month": filters.months,
            **filters.names,
        }
        facet_counts = count_facets(
            reader,
            matches,
            facet_names,
            limit=facet_limit,
            selected=selected,
            table=self._table() if facet_names else None,
        )
        by_date = None
        if histogram is not None:
            raw_dates = self._matcher().column(f.DATE) if isinstance(matches, np.ndarray) else None
            by_date = date_histogram(reader, matches, histogram, raw_dates=raw_dates)
        suggestion = self._suggest(read_as, filters, parsed, len(matches)) if suggest else None
        warnings = read_as.notes + filter_warnings(self._searcher, filters, self._known_values)
        warnings += self._range_warnings(filters, page, len(matches), hits)
        return SearchResults(
            query=query,
            total=len(matches),
            page=page,
            page_size=page_size,
            sort=sort,
            hits=hits,
            facets=facet_counts,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
            histogram=by_date,
            suggestion=suggestion,
            variants=self._matched_variants(spellings, matches),
            stories=self._count_stories(matches) if collapse else None,
            warnings=warnings,
        )

    @_serialised
    def iter_hits(
        self,
        query: str = "",
        *,
        sort: str = "relevance",
        snippets: int = 1,
        variants: bool = True,
        **filters: Any,
    ) -> Iterator[Hit]:
        """Every match of ``query``, one ``Hit`` at a time, for exports and batch jobs.

        ``filters`` are the filter keywords of ``search`` (``source=``, ``person=``,
        ``date_from=`` ...). Only document numbers are held for all matches; each hit's stored
        fields and snippets are read as it is yielded. Bad input raises here, not mid-stream.
        """
        _check_paging(sort, 1, 1, 1)
        sort = _effective_sort(query, sort)
        whoosh_query, read_as = self._query(query, self._resolved_filters(**filters))
        if variants:
            whoosh_query, _spellings = self._expand_names(whoosh_query, read_as)
        terms = highlight_terms(whoosh_query, self._searcher.reader()) if snippets else frozenset()
        if sort == "relevance":
            results = self._searcher.search(whoosh_query, limit=None)
        else:
            results = self._searcher.search(whoosh_query, limit=None, sortedby=f.DATE, reverse=sort == "date")
        scored = sort == "relevance"  # sorted by date, Whoosh's "score" is the date
        return (
            self._locked_hit(
                results.docnum(i), (results.score(i) or 0.0) if scored else None, terms, snippets
            )
            for i in range(results.scored_length())
        )

    @_serialised
    def warnings(self, query: str = "", **filters: Any) -> tuple[str, ...]:
        """What ``search`` would warn about for ``query`` and ``filters`` (filter values no article
        has, punctuation read as such), for callers that stream hits with ``iter_hits``."""
        filter_values = make_filters(**filters)
        return read_query(query, self._searcher.schema)[1].notes + filter_warnings(
            self._searcher, filter_values, self._known_values
        )

    @_serialised
    def article(self, article_id: str, *, query: str = "") -> StoredArticle:
        """One indexed article in full, by id; ``ArticleNotFound`` if there is none.

        With ``query``, the spans of the title and body that match it are returned too, found
        the way snippets are, so an article page can mark what the search was for.
        """
        docnum = self._docnum(article_id)
        stored = self._stored_fields(docnum)
        terms = self._query_terms(query) if query else frozenset()
        title = stored.get(f.TITLE) or ""
        body = stored.get(f.BODY, "")
        return StoredArticle(
            id=stored[f.ID],
            path=stored.get(f.PATH, ""),
            date=stored.get(f.DATE),
            source=stored.get(f.SOURCE),
            title=stored.get(f.TITLE),
            credit=stored.get(f.CREDIT),
            body=body,
            entities=self._entities(docnum),
            title_highlights=highlight_spans(title, terms, self._title_analyzer),
            body_highlights=highlight_spans(body, terms, self._body_analyzer),
            url=stored.get(f.URL),
            origin=stored.get(f.ORIGIN),
        )

    @_serialised
    def related(self, article_id: str, *, limit: int = 10, snippets: int = 1) -> RelatedArticles:
        """The articles most like ``article_id`` by key terms and shared entities.

        The article itself and its near-duplicates are left out (their ids are listed in
        ``duplicates``), and each other story appears once.
        """
        started = time.perf_counter()
        if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
            raise UsageError(f"limit must be from 1 to {MAX_PAGE_SIZE}, not {limit!r}")
        docnum = self._docnum(article_id)
        found = find_related(self._searcher, docnum, limit=limit)
        terms = frozenset(found.key_terms)
        start = self._stored_fields(docnum)
        return RelatedArticles(
            id=article_id,
            title=start.get(f.TITLE) or lead_words(start.get(f.BODY, "")),
            key_terms=written_forms(start.get(f.BODY, ""), found.key_terms, self._body_analyzer.analyzer),
            hits=tuple(self._hit(m.docnum, m.score, terms, snippets) for m in found.matches),
            duplicates=tuple(self._stored_fields(d)[f.ID] for d in found.duplicates),
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    def _query_terms(self, query: str) -> frozenset[str]:
        """The indexed words ``query`` looks for; ``QuerySyntaxError`` if it cannot be read."""
        return highlight_terms(self._query(query, Filters())[0], self._searcher.reader())

    def _query(self, query: str, filters: Filters) -> tuple[Any, PreparedQuery]:
        """The Whoosh query for ``query`` and ``filters``, refused if it would be too costly, and
        the query text as it was read (its positions are the ones the query's words carry)."""
        parsed, read_as = read_query(query, self._searcher.schema)
        whoosh_query = combine(parsed, filters)
        check_cost(whoosh_query, self._searcher.reader(), doc_frequency=self._doc_frequency())
        return whoosh_query, read_as

    @_serialised
    def entities(self, *, type: str | None = None, limit: int = 20) -> EntityList:
        """The entities most articles name (of one ``type``, or all), with their variants."""
        return count_entities(self._searcher.reader(), kind=type, limit=limit, resolution=self.resolution())

    @_serialised
    def stats(self) -> IndexStats:
        """How many articles the index holds, by source, and how it was made."""
        reader = self._searcher.reader()
        facet = count_facets(reader, list(reader.all_doc_ids()), ["source"], limit=1000, table=self._table())[
            0
        ]
        first, last, undated = self._date_span()
        return IndexStats(
            index_dir=str(self.index_dir),
            documents=reader.doc_count(),
            schema_version=self.manifest.schema_version,
            searchlib_version=self.manifest.searchlib_version,
            corpus_dir=self.manifest.corpus_dir,
            built_at=self.manifest.built_at,
            sources=tuple(FacetValue(v.value, v.count) for v in facet.values),
            warnings=as_files(load_warnings(self.index_dir / self.manifest.generation)),
            first_date=first,
            last_date=last,
            undated=undated,
        )

    def _range_warnings(
        self, filters: Filters, page: int, total: int, hits: Sequence[Hit]
    ) -> tuple[str, ...]:
        """A date range outside the archive's dates, or a page past the last: said, not just 0."""
        found: list[str] = []
        if total and not hits:
            found.append(f"page {page} is past the last page of these {total:,} matches")
        if filters.date_from or filters.date_to:
            first, last, _undated = self._date_span()
            if first and last:
                start = parse_date_bound(filters.date_from, "from", end=False) if filters.date_from else None
                end = parse_date_bound(filters.date_to, "to", end=True) if filters.date_to else None
                if (start and start > last) or (end and end < first):
                    found.append(
                        f"no article is dated in the range asked: the articles run from "
                        f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
                    )
        return tuple(found)

    def _date_span(self) -> tuple[datetime | None, datetime | None, int]:
        """The oldest and newest article dates, and how many articles have no date (found
        once per state of the index: a pass over every document's date)."""
        key = self._state()
        if self._span is None or self._span[0] != key:
            self._span = (key, self._find_date_span())
        return self._span[1]

    def _find_date_span(self) -> tuple[datetime | None, datetime | None, int]:
        reader = self._searcher.reader()
        field = reader.schema[f.DATE]
        live = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
        raw = self._matcher().column(f.DATE)[live]
        dated = raw[raw != np.uint64(field.default)]
        if not len(dated):
            return None, None, len(raw)
        first, last = (field.from_column_value(int(v)) for v in (dated.min(), dated.max()))
        return first, last, len(raw) - len(dated)

    def _has_clusters(self) -> bool:
        """Whether the index knows of near-duplicates to fold (see ``_collapse``): it has a
        cluster table and some document a story code. The saved codes answer in milliseconds;
        the table they were made from names its documents by id (2 s to read at 1M)."""
        return self._story_state()[2]

    def _first(self, whoosh_query: Any, sort: str, known: int, total: int) -> Ranked:
        """``n -> the first n hits``, asking Whoosh once for ``known`` and again only for more."""
        cache: list[Ranked] = []

        def first(n: int) -> Ranked:
            if not cache or (n > len(cache[0]) and len(cache[0]) < total):
                cache[:] = [self._page(whoosh_query, sort=sort, page=1, page_size=max(n, known))]
            return cache[0][:n]

        return first

    def _collapse(
        self, page: int, page_size: int, matches: Collection[int], first: Callable[[int], Ranked]
    ) -> list[CollapsedHit] | None:
        """The page with one hit per story (None without near-duplicates); ``first(n)`` gives
        the first ``n`` hits in result order."""
        if not self._has_clusters():
            return None
        stories = self._stories()
        match_set = DocSet(matches, self._searcher.reader().doc_count_all())

        def copies_of(docnum: int, story: int) -> tuple[int, ...]:
            return matching_copies(docnum, stories.members(story), match_set)

        return collapse_page(
            first,
            total=len(matches),
            page=page,
            page_size=page_size,
            cluster_of=stories.story_of,
            copies_of=copies_of,
        )

    def _copies(self, docnums: tuple[int, ...]) -> tuple[Copy, ...]:
        """The copies of a hit, listed by id (the order of the cluster table's members)."""
        return tuple(sorted((self._copy(d) for d in docnums), key=lambda copy: copy.id))

    def _copy(self, docnum: int) -> Copy:
        """A copy's id, source and date, kept for this state of the index: the copies of a
        story come back under the hits of query after query, and each took reading and
        unpickling the whole article."""
        copy = self._copy_records.get(docnum)
        if copy is None:
            if len(self._copy_records) >= MAX_COPY_RECORDS:
                self._copy_records.clear()
            stored = self._stored_fields(docnum)
            copy = self._copy_records[docnum] = Copy(stored[f.ID], stored.get(f.SOURCE), stored.get(f.DATE))
        return copy

    def _cluster_table(self) -> tuple[dict[str, str] | None, dict[str, list[str]]]:
        """(id -> cluster of the articles that have copies, cluster -> its ids) of the current
        generation, read once per generation; (None, {}) when the index has no cluster table."""
        key = self._state()
        if self._clusters is None or self._clusters[0] != key:
            ids = load_cluster_ids(self.index_dir / key[0], generation=key[1])
            members: dict[str, list[str]] = {}
            for doc_id, cluster in (ids or {}).items():
                members.setdefault(cluster, []).append(doc_id)
            self._clusters = (key, ids, {c: sorted(m) for c, m in members.items() if len(m) > 1})
        return self._clusters[1], self._clusters[2]

    def _state(self) -> tuple[str, int]:
        """The index generation folder and Whoosh generation this searcher shows: the tables
        read beside the index must describe these, not the newest on disk (an update may have
        committed since the last ``refresh``)."""
        return self.manifest.generation, self._searcher.reader().generation()

    def _count_stories(self, matches: Sequence[int] | np.ndarray) -> int:
        """How many stories the matches fold into (see ``collapse.count_story_codes``)."""
        return count_story_codes(np.asarray(matches, dtype=np.int64), self._story_codes())

    def _story_codes(self) -> np.ndarray:
        """Each document's story code (once per index state): saved by the last build or
        update, or found here for an index without them (see ``story_codes``)."""
        return self._stories().codes

    def _stories(self) -> Stories:
        """The stories of this state of the index (see ``_story_codes``), read once."""
        return self._story_state()[1]

    def _story_state(self) -> tuple[tuple[str, int], Stories, bool]:
        """(state, its stories, whether any are to fold), made once per state of the index."""
        key = self._state()
        if self._clustered is None or self._clustered[0] != key:
            doc_count = self._searcher.reader().doc_count_all()
            codes = load_story_codes(self.index_dir / key[0], generation=key[1], doc_count=doc_count)
            if codes is None:
                codes = codes_of(self._searcher, self._cluster_table()[1], tables=self.index_dir / key[0])
            folds = has_cluster_table(self.index_dir / key[0]) and bool((codes >= 0).any())
            self._clustered = (key, Stories(codes), folds)
        return self._clustered

    def _page(self, whoosh_query: Any, *, sort: str, page: int, page_size: int) -> list[tuple[int, float]]:
        """(docnum, score) of the hits on the requested page, best or newest first."""
        limit = page * page_size
        if sort == "relevance":
            results = self._searcher.search(whoosh_query, limit=limit)
        else:
            results = self._searcher.search(
                whoosh_query, limit=limit, sortedby=f.DATE, reverse=sort == "date"
            )
        start = (page - 1) * page_size
        return [
            (results.docnum(i), results.score(i) or 0.0)
            for i in range(start, min(limit, results.scored_length()))
        ]

    @_serialised
    def _locked_hit(self, docnum: int, score: float | None, terms: frozenset[str], snippets: int) -> Hit:
        """``_hit`` for a hit read while the caller iterates, outside any other call."""
        return self._hit(docnum, score, terms, snippets)

    def _hit(
        self,
        docnum: int,
        score: float | None,
        terms: frozenset[str],
        snippets: int,
        also_in: tuple[Copy, ...] = (),
    ) -> Hit:
        stored = self._stored_fields(docnum)
        body = stored.get(f.BODY, "")
        return Hit(
            id=stored[f.ID],
            path=stored.get(f.PATH, ""),
            date=stored.get(f.DATE),
            source=stored.get(f.SOURCE),
            title=stored.get(f.TITLE),
            score=round(float(score), 4) if score is not None else None,
            snippets=make_snippets(body, terms, self._body_analyzer, fragments=snippets) if snippets else (),
            entities=self._entities(docnum),
            lead=lead_words(body),
            url=stored.get(f.URL),
            origin=stored.get(f.ORIGIN),
            also_in=also_in,
        )

    @_serialised
    def name_variants(self, word: str) -> tuple[str, ...]:
        """The other spellings of a name that the archive's names contain (``Kadhemi`` -> ``kazemi``)."""
        return self._vocabulary().variants(word)

    def _expand_names(self, parsed: Any, read_as: PreparedQuery) -> tuple[Any, tuple[NameVariants, ...]]:
        """The query with the other spellings of its names (``variants``) and the other names
        of the entities it names (``entity_names``) ORed in."""
        text = read_as.text
        spelled, spellings = expand_variants(parsed, text, self._vocabulary(), self._analyse)
        named, names = expand_entity_names(spelled, text, self.resolution(), self._analyse_all)
        return named, (*spellings, *names)

    def resolution(self) -> EntityLookup:
        """Which names the archive found to be one entity (see ``indexing.resolution``), looked
        up name by name in the table saved beside the index."""
        if self._resolution is None:
            self._resolution = open_table(self.index_dir / self.manifest.generation)
        return self._resolution

    def _resolved_filters(self, **values: Any) -> Filters:
        """The filters with each entity name also standing for the entity it is a name of:
        ``person="Sergei Lavrov"`` finds the articles of the entity "Sergey Lavrov"."""
        filters = make_filters(**values)
        resolution = self.resolution()

        def with_targets(names: tuple[str, ...], kind: str | None) -> tuple[str, ...]:
            targets = [t[0] for n in names if (t := resolution.target(n)) and kind in (None, t[1])]
            return tuple(dict.fromkeys((*names, *targets)))

        return replace(
            filters,
            entities=with_targets(filters.entities, None),
            names={kind: with_targets(names, kind) for kind, names in filters.names.items()},
        )

    def _analyse_all(self, fieldname: str, text: str) -> list[str]:
        """The index terms of a text in a field, in order."""
        return [token.text for token in self._searcher.schema[fieldname].analyzer(text, mode="query")]

    def _vocabulary(self) -> NameVocabulary:
        """The name words of this state of the index (made once; a refresh makes a new one)."""
        if self._names is None:
            words = self._listed_words()
            self._names = NameVocabulary(
                words_starting=lambda start: words.starting_with(f.ENTITY_TEXT, start),
                frequency=lambda word: self._doc_frequency()(f.ENTITY_TEXT, word),
                is_name=self._is_name,
            )
        return self._names

    def _is_name(self, word: str) -> bool:
        """Whether most articles that use ``word`` use it in the name of a person, organisation or
        place (or none uses it at all): "Kazemi" is, "Back" and "Asian" are not."""
        doc_frequency = self._doc_frequency()
        stem = self._analyse(f.BODY, word)
        in_text = doc_frequency(f.BODY, stem) if stem else 0
        if not in_text:
            return True
        named = max(doc_frequency(f.NAME_TEXT_FIELD[kind], word.lower()) for kind in NAMED_KINDS)
        return named >= NAME_SHARE * in_text

    def _analyse(self, fieldname: str, word: str) -> str | None:
        """The index term of ``word`` in a field (stemmed for title and body), if any."""
        return next(
            (token.text for token in self._searcher.schema[fieldname].analyzer(word, mode="query")), None
        )

    def _matched_variants(
        self, found: tuple[NameVariants, ...], matches: Collection[int]
    ) -> tuple[NameVariants, ...]:
        """Of the spellings added, those that some matching article's text actually has.

        Not its entity names: they include the aliases file's spellings (Kataib for Kataeb),
        which an article can carry without ever writing them.
        """
        if not found:
            return ()
        matches = set(matches)
        kept = []
        for item in found:
            spellings = tuple(s for s in item.variants if matches & self._docs_with_word(s))
            if spellings:
                kept.append(NameVariants(item.word, spellings))
        return tuple(kept)

    def _docs_with_word(self, word: str) -> set[int]:
        if " " in word.strip():  # another name of an entity: a phrase
            phrases = [(name, self._analyse_all(name, word)) for name in f.TEXT_FIELDS]
            found = [wq.Phrase(name, terms) for name, terms in phrases if terms]
            return self._docs_of(wq.Or(found)) if found else set()
        found = [q for name in f.TEXT_FIELDS if (q := spelling_query(name, word.lower(), self._analyse))]
        return self._docs_of(wq.Or(found)) if found else set()

    def _docs_of(self, whoosh_query: Any) -> set[int]:
        """Every document matching a query, from the array matcher where it is used."""
        if self._matcher().usable():
            return set(self._matcher().rank(whoosh_query).docs.tolist())
        return set(self._searcher.docs_for_query(whoosh_query))

    def _suggest(
        self, read_as: PreparedQuery, filters: Filters, parsed: Any, total: int
    ) -> Suggestion | None:
        """Did you mean: a correction of the query's unknown words, when it matched few articles."""

        fast = self._matcher() if self._matcher().usable() else None

        def count(text: str) -> int:
            corrected = build_query(text, filters, self._searcher.schema)
            if fast is not None:
                return len(fast.rank(corrected))
            return len(list(self._searcher.docs_for_query(corrected)))

        def best_match(whoosh_query: Any) -> int | None:
            assert fast is not None
            top = fast.rank(whoosh_query).top(1)
            return int(top[0][0]) if top else None

        if self._words is None:
            self._words = WordLists(
                self._searcher.reader(),
                doc_frequency=self._doc_frequency(),
                words_starting=self._listed_words().starting_with,
                listed_frequency=self._matcher().listed_frequency if fast is not None else None,
            )
        return suggest_correction(
            self._searcher,
            read_as.text,
            parsed,
            count=count,
            total=total,
            names=lambda: self._known_values("entity"),
            words=self._words,
            best_match=best_match if fast is not None else None,
        )

    def _docnum(self, article_id: str) -> int:
        docnum = self._searcher.document_number(**{f.ID: article_id})
        if docnum is None:
            close = closest_id(self._searcher.reader(), article_id)
            hint = f": did you mean {close}?" if close else " (ids are file names without .txt)"
            raise ArticleNotFound(f"no article with id {article_id!r} in {self.index_dir}{hint}")
        return docnum

    def _entities(self, docnum: int) -> tuple[Entity, ...]:
        if self._entity_column is None:  # opening a column reads its offsets: once per reader
            self._entity_column = column_reader(self._searcher.reader(), f.ENTITIES)
        pairs = self._entity_column[docnum] or ()
        records = self._entity_records
        if len(records) > MAX_ENTITY_RECORDS:
            records.clear()
        found = []
        for kind, name in pairs:  # one record per entity: a page of hits names hundreds
            record = records.get((kind, name))
            if record is None:
                record = records[(kind, name)] = Entity(name=name, type=kind)
            found.append(record)
        return tuple(found)

    def _known_values(self, kind: str) -> list[tuple[str, int]]:
        """The values of a filter ``kind`` (``source``, ``entity`` or an entity type) the index
        knows, with how many articles have each, from the facet table (listed once per state
        of the index: a filter's check and did-you-mean ask for them on many queries)."""
        known = self._known.get(kind)
        if known is None:
            known = self._known[kind] = self._list_known_values(kind)
        return list(known)

    def _list_known_values(self, kind: str) -> list[tuple[str, int]]:
        table = self._table()
        everything = np.arange(table.doc_count)
        if kind == "source":
            vocab, counts = table.single_counts(f.SOURCE, everything)
            return [(value, int(n)) for value, n in zip(vocab, counts, strict=True) if n]
        totals = table.entity_counts(everything)
        return [
            (name, int(n))
            for (entity_kind, name), n in zip(table.entities, totals, strict=True)
            if n and kind in ("entity", entity_kind)
        ]

    def _table(self) -> FacetTable:
        """Every document's facet values as arrays, loaded on the first facet count."""
        if self._facet_table is None:
            folder = self.index_dir / self.manifest.generation
            self._facet_table = load_table(self._searcher.reader(), folder)
        return self._facet_table

    def _stored_fields(self, docnum: int) -> dict[str, Any]:
        """``stored_fields(docnum)`` of the open reader, with less work per document (see
        ``querying.stored``): a page reads those of every hit and of every copy under it."""
        if self._stored is None:
            self._stored = StoredFields(self._searcher.reader())
        return self._stored(docnum)

    def _listed_words(self) -> IndexWords:
        """The index words of a field by prefix, from the segments' term lists where they
        have them (``indexing.term_lists``), for did-you-mean and the name variants."""
        if self._index_words is None:
            self._index_words = IndexWords(self._searcher.reader(), self.index_dir / self.manifest.generation)
        return self._index_words

    def _doc_frequency(self) -> Callable[[str, Any], int]:
        """``reader.doc_frequency``, from the array matcher's remembered counts where it is used:
        a query asks for the same words' counts several times (cost, names, scores, spelling)."""
        fast = self._matcher()
        return fast.doc_frequency if fast.usable() else self._searcher.reader().doc_frequency

    def _matcher(self) -> FastMatcher:
        """The array matcher of this state of the index (its decoded postings live as long)."""
        if self._fast is None:
            self._fast = FastMatcher(self._searcher, tables=self.index_dir / self.manifest.generation)
        return self._fast

    def _forget_columns(self) -> None:
        self._fast = None
        self._facet_table = None
        self._entity_column = None
        self._names = None
        self._forget_resolution()
        self._forget_words()
        self._stored = None
        self._copy_records = {}
        self._words = None
        self._known = {}

    def _forget_words(self) -> None:
        if self._index_words is not None:
            self._index_words.close()
            self._index_words = None

    def _forget_resolution(self) -> None:
        if self._resolution is not None:
            self._resolution.close()
            self._resolution = None


def search(query: str = "", *, index_dir: Path | str = DEFAULT_INDEX_DIR, **options: Any) -> SearchResults:
    """Run one query against the index in ``index_dir``; see ``Searcher.search`` for options."""
    with Searcher(index_dir, memory_map=False) as searcher:
        return searcher.search(query, **options)


FILTER_KEYWORDS = (
    "source",
    "entity",
    *ENTITY_TYPES,
    "year",
    "month",
    "date_from",
    "date_to",
)
"""The filter keywords of ``Searcher.search``, which ``iter_hits`` and batch jobs accept too."""


def make_filters(**values: Any) -> Filters:
    """The filter keywords of ``Searcher.search`` as one ``Filters``; a list means any of."""
    unknown = sorted(set(values) - set(FILTER_KEYWORDS))
    if unknown:
        raise UsageError(f"unknown filter {unknown[0]!r}: choose from {', '.join(FILTER_KEYWORDS)}")
    return Filters(
        sources=_as_tuple(values.get("source")),
        entities=_as_tuple(values.get("entity")),
        names={kind: _as_tuple(values.get(kind)) for kind in ENTITY_TYPES},
        years=_as_tuple(values.get("year")),
        months=_as_tuple(values.get("month")),
        date_from=values.get("date_from"),
        date_to=values.get("date_to"),
    )


def lead_words(body: str, limit: int = 90) -> str:
    """The opening words of a text, cut at a word boundary: a heading for untitled articles."""
    first = body.split("\n", 1)[0]
    if len(first) <= limit:
        return first
    cut = first.rfind(" ", 0, limit)
    return first[: cut if cut > 0 else limit] + "\u2026"


def _as_tuple(value: StrOrSeq) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    return tuple(v for v in value if v and v.strip())


ID_CANDIDATES = 100_000
"""Ids compared with a mistyped one at most (those sharing its first characters)."""


def closest_id(reader: Any, article_id: str) -> str | None:
    """The indexed id most like ``article_id`` (a typo in a long hex id), if one is close."""
    for prefix_length in (4, 1, 0):
        prefix = article_id[:prefix_length]
        ids = [term.decode("utf-8") for term in islice(reader.expand_prefix(f.ID, prefix), ID_CANDIDATES)]
        best = process.extractOne(article_id, ids, scorer=fuzz.ratio, score_cutoff=80) if ids else None
        if best:
            return str(best[0])
    return None


def _effective_sort(query: str, sort: str) -> str:
    """Without query words every match is as relevant as the next: list them newest first."""
    return "date" if sort == "relevance" and not clean_query_text(query) else sort


def _check_paging(sort: str, page: int, page_size: int, facet_limit: int) -> None:
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}: choose from {', '.join(SORTS)}")
    if not isinstance(page, int) or page < 1:
        raise UsageError(f"page must be a whole number from 1 up, not {page!r}")
    if not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise UsageError(f"page size must be from 1 to {MAX_PAGE_SIZE}, not {page_size!r}")
    if not isinstance(facet_limit, int) or facet_limit < 1:
        raise UsageError(f"facet limit must be a whole number from 1 up, not {facet_limit!r}")


def _refreshed(searcher: Any) -> Any:
    """A Whoosh searcher of the index's latest commit, reusing the open readers of the segments
    it kept (``reader_reuse``); tried again when an update's next commit deleted the table of
    contents it had just listed (the newer one is then read)."""
    for _attempt in range(_REFRESH_ATTEMPTS - 1):
        try:
            return _latest(searcher)
        except FileNotFoundError:
            continue
    return _latest(searcher)


def _described(manifest: Manifest, searcher: Any) -> bool:
    """Whether the index's latest Whoosh commit is one its manifest describes: an update still
    writing the tables of a commit it made (facets, posting tables, story codes) has not
    named it yet, and a searcher that took it then would keep the tables it found missing."""
    return manifest.commit is None or manifest.commit == searcher._ix.latest_generation()


def _latest(searcher: Any) -> Any:
    if searcher.up_to_date():
        return searcher
    reader = reopened(searcher._ix, searcher.reader())
    return WhooshSearcher(reader, fromindex=searcher._ix, weighting=searcher.weighting)
