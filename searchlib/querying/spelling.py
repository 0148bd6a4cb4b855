"""Did you mean: a correction for query words the archive does not contain.

Only a query with no or few matches is corrected, and only its rare words: those no article
contains (in the title or body), or so few that a close spelling is at least ``DOMINANCE``
times as common ("Kadhimi" in one article, "Kadhemi" in four). Candidates come from the index's
own vocabulary: the names the entity extractor found (unstemmed, so "Tilerson" ->
"Tillerson") and the body's words (stemmed, so a candidate is shown as it is written in an
article that has it: "missle" -> "missile").
Candidates within one edit (two for words of six letters or more; a swap of two letters is
one edit), sharing the first letter, are ranked by distance and then by how many articles have
them. The suggestion is kept only if it matches more articles than the query as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA
from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher as WhooshSearcher

from searchlib.indexing import schema as f
from searchlib.models import Suggestion
from searchlib.querying.parser import positive_leaves
from searchlib.querying.snippets import WordForms, find_term_spans

FEW_MATCHES = 3
"""A query with fewer matches than this gets a suggestion, if there is a good one."""
LONG_WORD = 6
"""Words this long may be two edits from their correction; shorter ones one edit."""
CANDIDATES = 5
"""Closest candidates per vocabulary that are looked at in full."""
DOMINANCE = 3
"""A word some articles have is corrected only to one at least this many times as common."""
MAX_WORDS = 8
"""Words corrected per query at most: a long pasted text is not a typo."""


@dataclass(frozen=True)
class _Word:
    """A rare word of the query text: where it is, how the index spells it, how many have it."""

    start: int
    end: int
    analysed: str
    frequency: int


def suggest(
    searcher: WhooshSearcher,
    text: str,
    parsed: wq.Query,
    *,
    count: Callable[[str], int],
    total: int,
    names: Callable[[], list[tuple[str, int]]] | None = None,
    words: WordLists | None = None,
    best_match: Callable[[wq.Query], int | None] | None = None,
) -> Suggestion | None:
    """A better query than ``text`` (which matched ``total`` articles), or None.

    ``parsed`` is ``text`` parsed (its leaves know where in ``text`` they came from);
    ``count(query_text)`` counts the matches of a query with the same filters; ``names()``
    lists the entity names the index holds with their article counts, for correcting a
    multi-word name as a whole; ``words`` keeps the index's word lists for the next query of
    the same searcher; ``best_match(query)`` gives the document number of a query's best match
    (None: Whoosh's search is asked).
    """
    if total >= FEW_MATCHES:
        return None
    corrections: dict[tuple[int, int], str] = {}
    name_words = words.name_words(names) if words is not None else _NameWords(names)
    frequency = words.doc_frequency if words is not None else searcher.reader().doc_frequency
    for word in list(_rare_words(parsed, text, frequency))[:MAX_WORDS]:
        typed = text[word.start : word.end]
        better = _best_candidate(
            searcher,
            typed,
            word.analysed,
            more_than=word.frequency * DOMINANCE,
            name_words=name_words,
            words=words,
            best_match=best_match,
        )
        if better:
            corrections[(word.start, word.end)] = _same_case(typed, better)
    if names is not None:
        known = words.known_names(names) if words is not None else _KnownNames(names)
        _correct_whole_names(text, corrections, known, count)
    if not corrections:
        return None
    suggested = _replace(text, corrections)
    matches = count(suggested)
    if matches <= total:
        return None
    pairs = tuple((text[s:e], fixed) for (s, e), fixed in sorted(corrections.items()))
    return Suggestion(query=suggested, total=matches, corrections=pairs)


def _rare_words(parsed: wq.Query, text: str, doc_frequency: Callable[[str, str], int]) -> Iterator[_Word]:
    """The words of the query (outside NOT) that fewer than ``FEW_MATCHES`` articles contain."""
    seen: set[tuple[int, int]] = set()
    for leaf in positive_leaves(parsed):
        for start, end, analysed in _spans(leaf):
            if (start, end) in seen or not text[start:end].isalpha():
                continue
            seen.add((start, end))
            frequency = max(doc_frequency(field, analysed) for field in f.TEXT_FIELDS)
            if frequency < FEW_MATCHES:
                yield _Word(start, end, analysed, frequency)


def _spans(leaf: wq.Query) -> Iterator[tuple[int, int, str]]:
    """(start, end, analysed text) of each word of a term or phrase in the query text."""
    if isinstance(leaf, wq.Term) and leaf.field() in f.TEXT_FIELDS:
        if leaf.startchar is not None and leaf.endchar is not None:
            yield leaf.startchar, leaf.endchar, str(leaf.text)
    elif isinstance(leaf, wq.Phrase) and leaf.fieldname in f.TEXT_FIELDS and leaf.char_ranges:
        for word, (start, end) in zip(leaf.words, leaf.char_ranges, strict=False):
            yield start, end, str(word)


class _NameWords:
    """The words of the index's entity names, listed once when first needed (per suggestion,
    or per state of the index when ``WordLists`` keeps them)."""

    def __init__(self, names: Callable[[], list[tuple[str, int]]] | None) -> None:
        self._names = names
        self._words: list[str] | None = None

    def __call__(self) -> list[str]:
        if self._words is None:
            found = self._names() if self._names is not None else []
            self._words = sorted({w for name, _count in found for w in utils.default_process(name).split()})
        return self._words


class _KnownNames:
    """The index's entity names, each once, with its article count and its form for comparing
    (rapidfuzz's ``default_process``), made when first needed: done for every suggestion,
    processing every name took most of a misspelt name's suggestion."""

    def __init__(self, names: Callable[[], list[tuple[str, int]]]) -> None:
        self._names = names
        self._made: tuple[list[str], dict[str, int], list[str]] | None = None

    def closest(self, typed: str) -> list[tuple[str, float, int]]:
        """The names most like ``typed``, best first (``process.extract``'s answer)."""
        names, _counts, processed = self._make()
        found = process.extract(
            utils.default_process(typed),
            processed,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=WHOLE_NAME_SIMILARITY,
            limit=CANDIDATES,
        )
        return [(names[index], score, index) for _processed, score, index in found]

    def count(self, name: str) -> int:
        return self._make()[1][name]

    def _make(self) -> tuple[list[str], dict[str, int], list[str]]:
        if self._made is None:
            counts = dict(self._names())
            names = list(counts)
            self._made = (names, counts, [utils.default_process(name) for name in names])
        return self._made


def _best_candidate(
    searcher: WhooshSearcher,
    typed: str,
    analysed: str,
    *,
    more_than: int,
    name_words: Callable[[], list[str]] | None = None,
    words: WordLists | None = None,
    best_match: Callable[[wq.Query], int | None] | None = None,
) -> str | None:
    """The likeliest intended word: fewest edits from what was typed, then most articles.

    Only words in more than ``more_than`` articles count: a rare spelling that the archive
    has is corrected only to a much commoner one.

    Body candidates are stems; the few closest are looked up as written before the final
    ranking, so "missle" is compared with "missile", not with the stem "missil".
    """
    reader = searcher.reader()
    frequency = words.doc_frequency if words is not None else reader.doc_frequency
    lowered = typed.lower()
    allowed = 2 if len(lowered) >= LONG_WORD else 1
    name_like = typed[:1].isupper()
    ranked: list[tuple[int, int, int, str]] = []
    for field, word in ((f.ENTITY_TEXT, lowered), (f.BODY, analysed)):
        # A capitalised word is likelier a name: its first letter may be the typo (Qaddafi).
        maxdist = min(allowed + 1, 2)
        if name_like and field == f.ENTITY_TEXT and name_words is not None:
            near = _within(word, name_words(), maxdist)
        else:
            near = terms_within(reader, field, word, maxdist, words=words)
        found = [
            (edit_distance(word, c), -frequency(field, c), c)
            for c in near
            if c != word and frequency(field, c) > more_than
        ]
        # ...and is corrected to a name before a common word as close (Putn: Putin, not Put).
        preference = 0 if name_like and field == f.ENTITY_TEXT else 1
        for _d, freq, candidate in sorted(found)[:CANDIDATES]:
            written = (
                candidate
                if field == f.ENTITY_TEXT
                else _as_written(searcher, candidate, best_match, forms=words.body_forms() if words else None)
            )
            if written and written.lower() != lowered:
                ranked.append((edit_distance(lowered, written.lower()), preference, freq, written))
    best = min(ranked, default=None)
    return best[3] if best and best[0] <= allowed else None


NAME_RUN = re.compile(r"(?:[a-z]{1,3}-)?[A-Z][\w'\u2019-]*(?:\s+(?:[a-z]{1,3}-)?[A-Z][\w'\u2019-]*)+")
"""Two or more capitalised words in a row (``Bashar al-Asad``, ``Kim Jong Um``): a name."""
WHOLE_NAME_SIMILARITY = 85
"""rapidfuzz ratio (0-100) a known name needs to replace a typed one as a whole."""


def _correct_whole_names(
    text: str,
    corrections: dict[tuple[int, int], str],
    known: _KnownNames,
    count: Callable[[str], int],
) -> None:
    """Correct each multi-word name the index does not know to the closest one it does.

    Word by word, "Kim Jong Um" becomes "Kim Jong Up" and "Bashar al-Asad" nothing; as a
    whole, they are Kim Jong-un and Bashar al-Assad. A name few articles have (as a phrase) is
    corrected to a close name that many more articles name (``DOMINANCE``), unless its
    word-by-word correction is such a name already.
    """
    for run in NAME_RUN.finditer(text):
        start, end = run.span()
        inside = {span: fixed for span, fixed in corrections.items() if start <= span[0] and span[1] <= end}
        corrected = _replace(text, inside)[
            start : end + sum(len(v) - (e - s) for (s, e), v in inside.items())
        ]
        typed = count(_as_phrase(run.group()))
        if typed >= FEW_MATCHES:
            continue
        found = [
            item
            for item in known.closest(run.group())
            if known.count(item[0]) > typed * DOMINANCE
            and utils.default_process(item[0]) != utils.default_process(run.group())
        ]
        if not found or any(
            utils.default_process(name) == utils.default_process(corrected) for name, *_ in found
        ):
            continue  # none close, or the word-by-word correction is a known name already
        best = max(found, key=lambda item: (item[1], known.count(item[0])))[0]
        for span in inside:
            del corrections[span]
        corrections[(start, end)] = best


def _as_phrase(name: str) -> str:
    """``name`` as a phrase query."""
    return '"' + name.replace('"', " ") + '"'


def terms_within(
    reader: IndexReader, field: str, word: str, maxdist: int, *, words: WordLists | None = None
) -> list[str]:
    """The index words of ``field`` that start with the letter ``word`` starts with and are
    within ``maxdist`` edits of it (a swap of two letters is one edit).

    What Whoosh's ``terms_within(..., prefix=1)`` finds, with the distances computed in C
    (rapidfuzz) instead of in Python: 60-160 ms per word on the development corpus became the
    few milliseconds of listing the words (kept in ``words``, when given, for the next query).
    """
    return _within(word, (words or WordLists(reader)).starting_with(field, word[:1]), maxdist)


class WordLists:
    """The index words of each field by first letter, listed once per state of the index,
    and the words of its entity names.

    Listing the words that start with a letter walks Whoosh's term index in Python, merging
    the segments' lists: about 10 µs a word, so most of a misspelt query's time once an
    archive has a large vocabulary; ``words_starting(field, prefix)`` lists them instead (a
    searcher's: from the segments' term lists, ``indexing.term_lists``). The entity names'
    words take a pass over every name. A searcher keeps one of these until it is refreshed.
    ``doc_frequency`` answers ``reader.doc_frequency`` (a searcher's remembered counts), and
    ``listed_frequency(field, word)`` the same from the segments' posting tables, or None: a
    misspelt word has dozens of candidates, each otherwise looked up in every segment's term
    index (merging the counts of every word of a letter instead took 5-10 ms a letter at
    100,000 articles).
    """

    def __init__(
        self,
        reader: IndexReader,
        *,
        doc_frequency: Callable[[str, str], int] | None = None,
        words_starting: Callable[[str, str], list[str]] | None = None,
        listed_frequency: Callable[[str, str], int | None] | None = None,
    ) -> None:
        self._reader = reader
        self._words_starting = words_starting
        self._listed_frequency = listed_frequency
        self._lists: dict[tuple[str, str], list[str]] = {}
        self._name_words: _NameWords | None = None
        self._known_names: _KnownNames | None = None
        self._body_forms: WordForms | None = None
        self._doc_frequency: Callable[[str, str], int] = doc_frequency or reader.doc_frequency

    def doc_frequency(self, field: str, word: str) -> int:
        """``reader.doc_frequency(field, word)``, from the posting tables where they answer."""
        if self._listed_frequency is not None:
            listed = self._listed_frequency(field, word)
            if listed is not None:
                return listed
        return self._doc_frequency(field, word)

    def name_words(self, names: Callable[[], list[tuple[str, int]]] | None) -> Callable[[], list[str]]:
        """The words of the entity names ``names()`` lists (the same for the life of this)."""
        if self._name_words is None:
            self._name_words = _NameWords(names)
        return self._name_words

    def body_forms(self) -> WordForms:
        """The body analyser's forms of single words, kept for the next suggestion."""
        if self._body_forms is None:
            self._body_forms = WordForms(self._reader.schema[f.BODY].analyzer)
        return self._body_forms

    def known_names(self, names: Callable[[], list[tuple[str, int]]]) -> _KnownNames:
        """The entity names ``names()`` lists, ready to compare (the same for the life of this)."""
        if self._known_names is None:
            self._known_names = _KnownNames(names)
        return self._known_names

    def starting_with(self, field: str, letter: str) -> list[str]:
        key = (field, letter)
        listed = self._lists.get(key)
        if listed is None:
            if self._words_starting is not None:
                listed = self._words_starting(field, letter)
            else:
                listed = [term.decode("utf-8") for term in self._reader.expand_prefix(field, letter)]
            self._lists[key] = listed
        return listed


def _within(word: str, words: list[str], maxdist: int) -> list[str]:
    """The ``words`` within ``maxdist`` edits of ``word``, whatever their first letter."""
    found = process.extract(word, words, scorer=OSA.distance, score_cutoff=maxdist, limit=None)
    return [candidate for candidate, _distance, _position in found]


def _as_written(
    searcher: WhooshSearcher,
    stem: str,
    best_match: Callable[[wq.Query], int | None] | None = None,
    *,
    forms: WordForms | None = None,
) -> str | None:
    """A body word as the article that matches it best writes it, for a stemmed index term
    (``missil`` -> ``missile``).

    The body's words are found as snippets find them (``find_term_spans``): only the words
    that can stem to ``stem`` are analysed, each once (``forms`` keeps them for the next
    word), not every word of the article in turn."""
    if best_match is not None:
        docnum = best_match(wq.Term(f.BODY, stem))
        if docnum is None:
            return None
        body = searcher.stored_fields(docnum).get(f.BODY, "") or ""
    else:
        results = searcher.search(wq.Term(f.BODY, stem), limit=1)
        if not results:
            return None
        body = results[0].get(f.BODY, "") or ""
    forms = forms or WordForms(searcher.schema[f.BODY].analyzer)
    spans = find_term_spans(body, frozenset({stem}), forms, scan=len(body))
    return body[spans[0][0] : spans[0][1]] if spans else None


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance: insertions, deletions, changes and swaps of neighbours."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _same_case(typed: str, word: str) -> str:
    """The correction in the case the user typed: ``tilerson`` -> ``tillerson``."""
    if typed.islower():
        return word.lower()
    if typed.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if typed[:1].isupper() else word


def _replace(text: str, corrections: dict[tuple[int, int], str]) -> str:
    out: list[str] = []
    last = 0
    for (start, end), word in sorted(corrections.items()):
        out += [text[last:start], word]
        last = end
    out.append(text[last:])
    return "".join(out)
