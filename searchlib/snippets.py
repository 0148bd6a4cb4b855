"""Snippets: the fragments of an article that show why it matched, with the terms marked.

Built only for the hits on the page shown, from the stored text: the text is run through the
field's own analyser (so "elections" is marked for a search on "election") and the windows
with the most distinct query terms are kept. The cost is one pass over each shown article,
whatever the number of matches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from searchlib.models import Snippet

ELLIPSIS = "\u2026"

Analyzer = Callable[..., Iterable]
"""A Whoosh analyser: called with text, yields tokens with ``text``, ``startchar``, ``endchar``."""


def make_snippets(
    text: str,
    terms: frozenset[str],
    analyzer: Analyzer,
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


def highlight_spans(text: str, terms: frozenset[str], analyzer: Analyzer) -> tuple[tuple[int, int], ...]:
    """Where the query terms occur in a whole text, a phrase marked as one span."""
    if not text or not terms:
        return ()
    return tuple(_merge_adjacent(text, find_term_spans(text, terms, analyzer)))


def find_term_spans(text: str, terms: frozenset[str], analyzer: Analyzer) -> list[tuple[int, int]]:
    """Character spans of the tokens of ``text`` whose analysed form is one of ``terms``."""
    return [
        (token.startchar, token.endchar)
        for token in analyzer(text, chars=True, mode="query")
        if token.text in terms
    ]


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
