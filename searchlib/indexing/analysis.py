"""searchlib's analysers, with a fast path for indexing that yields exactly Whoosh's terms.

Whoosh analyses text as a chain of generators passing one ``Token`` object through each filter:
about 2 µs per word per filter, which made analysis the largest part of a build. Indexing only
needs each term's positions, so ``TextAnalyzer`` and ``NameAnalyzer`` also compute those
directly (one regex pass, a memo from each written word to its term) and ``FastPositions``, the
posting format of searchlib's text fields, asks them for it. The analysers are still the same
Whoosh chains for everything else (queries, highlighting), and the fast path must give the same
terms and positions as the chain (``tests/test_analysis.py`` compares them on random text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import (
    CharsetFilter,
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Tokenizer,
)
from whoosh.formats import Positions
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

VALUE_SEPARATOR = "\n"
"""Separates the values of a multi-valued field in the text handed to Whoosh."""
POSITION_GAP = 100
"""Positions left free between two values, so no phrase matches across two names."""
MEMO_WORDS = 200_000
"""Distinct written words remembered per analyser (then forgotten at once): bounds its memory."""

_WORDS = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)
"""RegexTokenizer's default expression without its capturing group, so ``findall`` gives words."""
_UNSEEN = object()
TEXT_CHUNK = 1 << 20
"""Characters of a text whose words are listed at once (``_words_of``)."""
_CUT = re.compile(r"[^\w.]")
"""A character no word (``_WORDS``) runs across: a text may be cut there."""

TermPositions = dict[str, list[int]]


class ValuesTokenizer(Tokenizer):
    """Tokenises each newline-separated value on its own, leaving a gap of positions between.

    A phrase query then never matches across two names: ``person:"Trump Putin"`` does not
    match an article that names "Donald Trump" and "Vladimir Putin".
    """

    def __init__(self) -> None:
        self.words = RegexTokenizer()

    def __call__(
        self, value: str, positions: bool = False, start_pos: int = 0, **kwargs: Any
    ) -> Iterator[Any]:
        pos = start_pos
        for part in value.split(VALUE_SEPARATOR):
            for token in self.words(part, positions=positions, start_pos=pos, **kwargs):
                if positions:
                    pos = token.pos + 1
                yield token
            pos += POSITION_GAP


class TextAnalyzer(CompositeAnalyzer):
    """Body and title: words, lower case, accents folded, stop words dropped, Porter-stemmed."""

    def __init__(self) -> None:
        super().__init__(
            RegexTokenizer(), LowercaseFilter(), CharsetFilter(accent_map), StopFilter(), StemFilter()
        )

    def term_positions(self, value: str) -> TermPositions:
        """Each term of ``value`` with its positions, as the chain would index them.

        The stop filter renumbers: the first kept word keeps its own position, each later one
        follows the one before.
        """
        memo = _memo(self)
        found: TermPositions = {}
        pos = -1
        for i, word in enumerate(_words_of(value)):
            term = memo.get(word, _UNSEEN)
            if term is _UNSEEN:
                if len(memo) >= MEMO_WORDS:  # one huge text: forget, as between texts
                    memo.clear()
                term = memo[word] = self._term(word)
            if term is None:  # a stop word
                continue
            pos = i if pos < 0 else pos + 1
            places = found.get(term)
            if places is None:
                found[term] = [pos]
            else:
                places.append(pos)
        return found

    def _term(self, word: str) -> str | None:
        stopper: StopFilter = self.items[3]
        text = word.lower().translate(accent_map)
        if len(text) < stopper.min or text in stopper.stops:
            return None
        return stem(text)

    def __getstate__(self) -> dict[str, Any]:
        return _without_memo(self)


class NameAnalyzer(CompositeAnalyzer):
    """Names: each value's words, lower case, accents folded; no stemming, so names match as written."""

    def __init__(self) -> None:
        super().__init__(ValuesTokenizer(), LowercaseFilter(), CharsetFilter(accent_map))

    def term_positions(self, value: str) -> TermPositions:
        """Each term of ``value`` with its positions, as the chain would index them."""
        memo = _memo(self)
        found: TermPositions = {}
        pos = 0
        for part in value.split(VALUE_SEPARATOR):
            for word in _WORDS.findall(part):
                term = memo.get(word)
                if term is None:
                    term = memo[word] = word.lower().translate(accent_map)
                found.setdefault(term, []).append(pos)
                pos += 1
            pos += POSITION_GAP
        return found

    def __getstate__(self) -> dict[str, Any]:
        return _without_memo(self)


class FastPositions(Positions):
    """Whoosh's ``Positions`` format, taking terms from the analyser's ``term_positions`` when it has one."""

    def word_values(
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        fast = getattr(analyzer, "term_positions", None)
        if fast is None or not isinstance(value, str) or set(kwargs) - {"mode"}:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        once = 1.0 * boost
        encode = self.encode
        single = _single_positions(self)
        for term, places in fast(value).items():
            if len(places) == 1:
                pos = places[0]
                encoded = single.get(pos)
                if encoded is None:
                    encoded = encode(places)
                    if len(single) < MEMO_WORDS:
                        single[pos] = encoded
                yield term, 1, once, encoded
            else:
                yield term, len(places), float(len(places)) * boost, encode(places)

    def postings(
        self, value: str, analyzer: Any
    ) -> tuple[list[str], list[int], list[float], list[bytes], list[list[int]]] | None:
        """``word_values(value, analyzer)`` as four lists (terms, frequencies, weights, values), in
        the same order, for a writer that stores postings as columns, and a fifth: each term's
        positions as the values encode them (so the writer's posting table need not decode
        them again); None when the analyser has no fast path (then use ``word_values``)."""
        fast = getattr(analyzer, "term_positions", None)
        if fast is None or not isinstance(value, str):
            return None
        found = fast(value)
        places = list(found.values())
        freqs = list(map(len, places))
        boost = self.field_boost
        encode = self.encode
        single = _single_positions(self)
        values = []
        for positions in places:
            encoded = single.get(positions[0]) if len(positions) == 1 else None
            if encoded is None:
                encoded = encode(positions)
                if len(positions) == 1 and len(single) < MEMO_WORDS:
                    single[positions[0]] = encoded
            values.append(encoded)
        return list(found), freqs, [float(n) * boost for n in freqs], values, places

    def __getstate__(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if key != "_single"}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__getstate__() == other.__getstate__()  # type: ignore[attr-defined]


def _words_of(text: str) -> Iterator[str]:
    """``_WORDS.findall(text)``, listed ``TEXT_CHUNK`` characters at a time.

    A list of every word of a 20 MB article held 230 MB while its terms were found; each
    chunk ends where no word can run across, so the words are the same.
    """
    start = 0
    while start < len(text):
        cut = _CUT.search(text, start + TEXT_CHUNK) if len(text) - start > TEXT_CHUNK else None
        end = cut.start() if cut else len(text)
        yield from _WORDS.findall(text, start, end)
        start = end


def _single_positions(fmt: FastPositions) -> dict[int, bytes]:
    """The format's memo of encoded one-position lists (most terms occur once in a text)."""
    memo: dict[int, bytes] | None = fmt.__dict__.get("_single")
    if memo is None or len(memo) >= MEMO_WORDS:
        memo = fmt.__dict__["_single"] = {}
    return memo


def _memo(analyzer: CompositeAnalyzer) -> dict[str, Any]:
    """The analyser's word -> term memo, emptied when it reaches ``MEMO_WORDS``."""
    memo: dict[str, Any] | None = analyzer.__dict__.get("_memo")
    if memo is None or len(memo) >= MEMO_WORDS:
        memo = analyzer.__dict__["_memo"] = {}
    return memo


def _without_memo(analyzer: CompositeAnalyzer) -> dict[str, Any]:
    """Pickle an analyser (it is saved in the index's schema) without its memo."""
    return {key: value for key, value in analyzer.__dict__.items() if key != "_memo"}
