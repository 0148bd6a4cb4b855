"""Snippets: the fragments of an article that show why it matched, with the terms marked.

Built only for the hits on the page shown, from the stored text: the text is run through the
field's own analyser (so "elections" is marked for a search on "election") and the windows
with the most distinct query terms are kept. The cost is one pass over each shown article,
whatever the number of matches: a C regex finds the words, and each distinct word goes through
the analyser once per ``Searcher`` (``WordForms``), not once per occurrence. Only the first
``MAX_SCAN_CHARS`` of a text are searched, so a giant article cannot stall a page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from searchlib.models import Snippet

ELLIPSIS = "\u2026"
MAX_SCAN_CHARS = 100_000

Analyzer = Callable[..., Iterable]
"""A Whoosh analyser: called with text, yields tokens with ``text``, ``startchar``, ``endchar``."""


class WordForms:
    """The analysed forms of single words, remembered (a bounded cache, cleared when full).

    searchlib's analysers work word by word (tokenise, lower-case, fold accents, drop stop
    words, stem), so analysing each distinct word alone gives what analysing the text gives.
    """

    def __init__(self, analyzer: Analyzer, *, max_words: int = 200_000) -> None:
        self.analyzer = analyzer
        self.max_words = max_words
        self._forms: dict[str, tuple[str, ...]] = {}

    def __call__(self, word: str) -> tuple[str, ...]:
        forms = self._forms.get(word)
        if forms is None:
            if len(self._forms) >= self.max_words:
                self._forms.clear()
            forms = tuple(token.text for token in self.analyzer(word, mode="query"))
            self._forms[word] = forms
        return forms


def written_forms(text: str, stems: Sequence[str], analyzer: Analyzer) -> tuple[str, ...]:
    """Each stem as ``text`` writes it (``educ`` -> ``education``), its commonest form there;
    a stem the text does not have stays as it is."""
    seen: dict[str, Counter[str]] = {stem: Counter() for stem in stems}
    for token in analyzer(text[:MAX_SCAN_CHARS], chars=True, mode="query"):
        forms = seen.get(token.text)
        if forms is not None:
            forms[text[token.startchar : token.endchar].lower()] += 1
    return tuple(forms.most_common(1)[0][0] if forms else stem for stem, forms in seen.items())


def make_snippets(
    text: str,
    terms: frozenset[str],
    analyzer: Analyzer | WordForms,
    *,
    fragments: int = 2,
    width: int = 240,
) -> tuple[Snippet, ...]:
    """Up to ``fragments`` snippets of about ``width`` characters around the query terms.

    An article that matched on something other than its text (an entity, the source) gets its
    opening words instead, unmarked.
    """
    if not text:
        return ()
    spans = _merge_adjacent(text, find_term_spans(text, terms, analyzer)) if terms else []
    if not spans:
        return (_fragment(text, 0, min(len(text), width), []),)
    windows = _best_windows(text, spans, fragments=fragments, width=width)
    return tuple(_fragment(text, start, end, spans) for start, end in windows)


def highlight_spans(
    text: str, terms: frozenset[str], analyzer: Analyzer | WordForms
) -> tuple[tuple[int, int], ...]:
    """Where the query terms occur in a whole text, a phrase marked as one span."""
    if not text or not terms:
        return ()
    return tuple(_merge_adjacent(text, find_term_spans(text, terms, analyzer, scan=len(text))))


def find_term_spans(
    text: str, terms: frozenset[str], analyzer: Analyzer | WordForms, *, scan: int = MAX_SCAN_CHARS
) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` (its first ``scan`` characters) whose analysed
    form is one of ``terms``."""
    forms = analyzer if isinstance(analyzer, WordForms) else WordForms(analyzer)
    if text[:scan].isascii():
        candidates = _ascii_candidates(text, terms, scan)
    else:
        candidates = _mixed_candidates(text, terms, scan)
    return [(start, end) for start, end in candidates if not terms.isdisjoint(forms(text[start:end]))]


_TOKEN = re.compile(r"\w+(?:\.?\w+)*")
"""A word as ``candidate_words`` reads it (and Whoosh's ``RegexTokenizer``)."""


def _ascii_candidates(text: str, terms: frozenset[str], scan: int) -> list[tuple[int, int]]:
    """The spans ``candidate_words`` finds in an ASCII text, found with ``str.find``.

    Python's regex engine tries the pattern at every character: about 0.4 ms for an article
    of 3,400 characters, most of the snippets of a page. In ASCII text no word can hold a
    non-ASCII letter, so only the terms' first letters need finding: ``str.find`` on the
    lower-cased text finds them ten times as fast, and each is kept where the pattern would
    start a word (not after a word character, nor after one followed by a dot).
    """
    lowered = text[:scan].lower()
    starts = _starts_of(lowered, {_prefix(term).lower() for term in terms if term})
    spans = []
    for at in sorted(starts):
        if at and (
            _word_char(lowered[at - 1]) or (lowered[at - 1] == "." and at > 1 and _word_char(lowered[at - 2]))
        ):
            continue
        match = _TOKEN.match(text, at, scan)
        if match:
            spans.append(match.span())
    return spans


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _mixed_candidates(text: str, terms: frozenset[str], scan: int) -> list[tuple[int, int]]:
    """The spans ``candidate_words`` finds in a text with some non-ASCII characters (curly
    quotes, accented names), its pattern tried only where a word can start that it may take.

    Those are the words starting with a term's first letters (found with ``str.find`` as in
    ``_ascii_candidates``) and the words with a non-ASCII character (found from each run of
    such characters: the start of the word it ends or is in, and each word starting inside
    it): the pattern itself decides at each.
    Trying it at every character took 0.4 ms for an article of 3,400 characters; a text whose
    lower case is longer (a dotted capital I) is searched the slow way.
    """
    head = text[:scan]
    lowered = head.lower()
    if len(lowered) != len(head):
        return [match.span() for match in candidate_words(terms).finditer(text, 0, scan)]
    starts = _starts_of(lowered, {_prefix(term).lower() for term in terms if term})
    for run in _NON_ASCII.finditer(head):
        at = run.start()
        while at and _word_char(head[at - 1]):
            at -= 1
        starts.add(at)
        inside = range(run.start() + 1, run.end())
        starts.update(i for i in inside if _word_char(head[i]) and not _word_char(head[i - 1]))
    pattern = candidate_words(terms)
    return [match.span() for at in sorted(starts) if (match := pattern.match(text, at, scan))]


def _starts_of(lowered: str, prefixes: Iterable[str]) -> set[int]:
    """Every place in ``lowered`` where one of ``prefixes`` starts."""
    starts: set[int] = set()
    for prefix in prefixes:
        at = lowered.find(prefix)
        while at != -1:
            starts.add(at)
            at = lowered.find(prefix, at + 1)
    return starts


def _word_char(char: str) -> bool:
    """Whether the regex ``\\w`` matches ``char``."""
    return char.isalnum() or char == "_"


def _prefix(term: str) -> str:
    """The start every word that analyses to ``term`` has (see ``candidate_words``)."""
    return term[: max(1, min(3, len(term) - 1))]


def candidate_words(terms: frozenset[str]) -> re.Pattern[str]:
    """The words that may analyse to one of ``terms``: a cheap C-level filter before the analyser.

    Words are Whoosh's ``RegexTokenizer`` tokens, which every searchlib text analyser starts
    with. Stemming and lower-casing only change the end of a word and its case, so a word can
    only stem to a term if it starts with the term's first letters (all but the last, at most
    three; checked against every word of news-dev). Words with non-ASCII letters may fold to
    anything and are always candidates.
    """
    prefixes = sorted({re.escape(_prefix(term)) for term in terms if term})
    return re.compile(
        rf"(?<!\w)(?<!\w\.)(?=(?i:{'|'.join(prefixes)})|\w*[^\x00-\x7f])\w+(?:\.?\w+)*"
        if prefixes
        else r"(?!)"
    )


def _merge_adjacent(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join spans separated only by spaces or hyphens, so a phrase is marked as one."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and not text[merged[-1][1] : start].strip(" -"):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _best_windows(
    text: str, spans: list[tuple[int, int]], *, fragments: int, width: int
) -> list[tuple[int, int]]:
    """Pick non-overlapping windows that hold the most distinct terms, in text order."""
    candidates = []
    right = 0
    for left, (start, _end) in enumerate(spans):
        window_start = max(0, start - width // 4)
        window_end = min(len(text), window_start + width)
        right = max(right, left)
        while right + 1 < len(spans) and spans[right + 1][1] <= window_end:
            right += 1
        inside = spans[left : right + 1]
        distinct = len({text[s:e].casefold() for s, e in inside})
        candidates.append((distinct, len(inside), -start, window_start, window_end))
    candidates.sort(reverse=True)
    chosen: list[tuple[int, int]] = []
    for *_score, window_start, window_end in candidates:
        if all(window_end <= s or window_start >= e for s, e in chosen):
            chosen.append((window_start, window_end))
        if len(chosen) == fragments:
            break
    return sorted(chosen)


def _fragment(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> Snippet:
    """Cut ``text[start:end]`` at word boundaries and shift the spans into it."""
    if start > 0:
        space = text.find(" ", start, start + 30)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", end - 30, end)
        end = space if space > start else end
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    body = text[start:end].replace("\n", " ")  # same length, so the spans stay valid
    shift = len(prefix) - start
    highlights = tuple((s + shift, e + shift) for s, e in spans if s >= start and e <= end)
    return Snippet(text=prefix + body + suffix, highlights=highlights)
