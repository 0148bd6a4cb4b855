"""Spelling variants of names transliterated from Arabic and Persian.

One name reaches English in many spellings: Kadhemi / Kadhimi / Kazemi, Hashed / Hashd,
Qasem / Qassem / Ghasem, Muhandis / Mohandes. A query word typed with a capital letter (a
name, as people type names) is matched by the other spellings of it that the archive's entity
names contain. Two spellings are variants when, evened out (``normal``: lower case, accents and
apostrophes dropped, ``dh``/``z``, ``gh``/``q``, ``ph``/``f``, ``ou``/``u`` made one, doubled
letters single, a vowel ``y`` made ``i``), they share a *skeleton* (first letter, with e/i and
o/u alike; the consonants; the final vowel, so Kazem is not Kazemi) and differ only by the vowel
changes transliteration makes (a/e, e/i, o/u, a dropped ``e``): once, or twice for names of
seven letters or more. To keep the expansion from flooding results, only words that look
transliterated from Arabic or Persian get variants (``looks_transliterated``: a known name word
of ``data/arabic_names.txt`` or a letter pattern such as ``kh``, ``dh`` or a ``q`` without
``u``), so Western names are searched as typed (Sergi never matches Sergey); the typed word must
have five letters or more and both spellings must be used mostly in names (the searcher
decides); ``al-`` and ``el-`` before a name in a phrase are treated as one. Measured precision
(``bench/variant_precision.py``): docs/query-syntax.md.

No Whoosh import but the query classes: the searcher hands over the name vocabulary and maps
words to index terms. How two spellings are compared (``normal``, ``skeleton``, ``vowel_edits``)
lives in ``entities.names``, which the archive-level entity resolution shares.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources

from whoosh import query as wq

from searchlib.entities.names import fold_word as _fold
from searchlib.entities.names import normal, skeleton, vowel_edits
from searchlib.indexing import schema as f
from searchlib.models import NameVariants

ARTICLES = ("al", "el")
"""The Arabic article as transliterated; ``al-Muhandis`` and ``el-Mohandes`` are one name."""
MIN_SKELETON = 3
MIN_LETTERS = 5
"""Shorter words are left alone: Chan / Chen, Iran / Eran, Ding / Deng are different names."""
MAX_EDITS_SHORT = 1
MAX_EDITS_LONG = 2
LONG_NAME = 7
"""After evening out, names this long may differ in two letters (Muhandis / Mohandes), shorter
ones in one (Hussein / Hossein, but not Hussein / Hassan, Putin / Patan or Hamas / Homs)."""
KNOWN_NAMES_FILE = "arabic_names.txt"
MAX_VARIANTS = 8
"""Variants per word at most, the commonest first."""

_VOWELS = set("aeiou")
_PREFIXES = {"e": ("e", "i"), "o": ("o", "u"), "q": ("q", "gh"), "z": ("z", "dh"), "f": ("f", "ph")}
"""How a name whose skeleton starts with a letter may be written at its start."""
_TRANSLITERATED = re.compile(r"kh|dh|^gh|q(?!u)|aa")
_LETTERS = re.compile(r"^[a-z]+$")


class NameVocabulary:
    """The words of the archive's entity names, and the variants found among them.

    A searcher makes one per state of the index and keeps it, so that each query's expansion is
    a lookup: the words starting with a letter are grouped by skeleton the first time a name
    starting with it is looked up, and each word's variants are kept once found.
    """

    def __init__(
        self,
        *,
        words_starting: Callable[[str], Iterable[str]],
        frequency: Callable[[str], int],
        is_name: Callable[[str], bool],
        known: frozenset[str] | None = None,
    ) -> None:
        self.words_starting = words_starting
        """The entity-name words that start with a prefix."""
        self.frequency = frequency
        """How many articles have a word in their entity names."""
        self.is_name = is_name
        """Whether a word is mostly used as (part of) a name: "Kazemi" yes, "Back" or "Both" no."""
        self.known = known_names() if known is None else known
        """Arabic and Persian name words, evened out (``normal``): see ``looks_transliterated``."""
        self._groups: dict[str, dict[str, list[str]]] = {}
        self._found: dict[str, tuple[str, ...]] = {}

    def variants(self, word: str) -> tuple[str, ...]:
        """Other spellings of ``word`` found in the archive's names, commonest first."""
        lowered = _fold(word)
        if lowered not in self._found:
            self._found[lowered] = self._variants(lowered)
        return self._found[lowered]

    def _variants(self, lowered: str) -> tuple[str, ...]:
        key = skeleton(lowered)
        evened = normal(lowered)
        if (
            len(evened) < MIN_LETTERS
            or _consonants(key) < MIN_SKELETON
            or not looks_transliterated(lowered, self.known)
            or not self.is_name(lowered)
        ):
            return ()
        limit = MAX_EDITS_LONG if len(evened) >= LONG_NAME else MAX_EDITS_SHORT
        found = {
            other
            for prefix in _PREFIXES.get(key[0], (key[0],))
            for other in self._group(prefix).get(key, ())
            if other != lowered and vowel_edits(evened, normal(other)) <= limit and self.is_name(other)
        }
        ranked = sorted(found, key=lambda other: (-self.frequency(other), other))
        return tuple(ranked[:MAX_VARIANTS])

    def _group(self, prefix: str) -> dict[str, list[str]]:
        """The words starting with ``prefix`` by skeleton, read from the index once."""
        if prefix not in self._groups:
            groups: dict[str, list[str]] = {}
            for other in self.words_starting(prefix):
                if _LETTERS.match(other):
                    groups.setdefault(skeleton(other), []).append(other)
            self._groups[prefix] = groups
        return self._groups[prefix]


def looks_transliterated(word: str, known: frozenset[str]) -> bool:
    """Whether a word looks transliterated from Arabic or Persian, so that variants may apply.

    It does when, evened out, it is a known name word (``data/arabic_names.txt``) or one with the
    ``-i`` of a family name (Hashemi from Hashem), or when it has a letter pattern English names
    rarely have: ``kh``, ``dh``, a leading ``gh``, a ``q`` without ``u``, a double ``a``.
    """
    folded = _fold(word)
    evened = normal(folded)
    if evened in known or (evened.endswith("i") and evened[:-1] in known):
        return True
    return bool(_TRANSLITERATED.search(folded))


@cache
def known_names() -> frozenset[str]:
    """The name words of ``data/arabic_names.txt``, evened out (read once: a packaged file)."""
    text = resources.files("searchlib").joinpath("data", KNOWN_NAMES_FILE).read_text(encoding="utf-8")
    words = (w for line in text.splitlines() for w in line.split("#", 1)[0].split())
    return frozenset(normal(w) for w in words)


Analyse = Callable[[str, str], str | None]
"""``analyse(fieldname, word)``: the index term of a word in a field (stemmed for the body)."""


def expand(
    q: wq.Query, text: str, index: NameVocabulary, analyse: Analyse
) -> tuple[wq.Query, tuple[NameVariants, ...]]:
    """``q`` with each name-like word (capitalised in ``text``) also matching its variants.

    Returns the new query and, per word expanded, the variant spellings added.
    """
    added: dict[str, tuple[str, ...]] = {}

    def rewrite(node: wq.Query) -> wq.Query:
        if isinstance(node, (wq.Not, wq.AndNot)):
            return node
        if isinstance(node, wq.Term):
            return _expand_term(node, text, index, analyse, added)
        if isinstance(node, wq.Phrase):
            return _expand_phrase(node, text, index, analyse, added)
        if node.is_leaf():
            return node
        return node.apply(rewrite)

    expanded = rewrite(q)
    return expanded, tuple(
        NameVariants(word, tuple(s.capitalize() if word[:1].isupper() else s for s in spellings))
        for word, spellings in added.items()
    )


def _expand_term(
    node: wq.Term, text: str, index: NameVocabulary, analyse: Analyse, added: dict[str, tuple[str, ...]]
) -> wq.Query:
    typed = _typed(text, node.startchar, node.endchar)
    spellings = _name_variants(typed, index) if node.fieldname in _FIELDS else ()
    terms = _terms(node.fieldname, spellings, analyse, exclude=str(node.text))
    if not terms:
        return node
    added[typed] = spellings
    return wq.Or([node, *(_spelling_query(node.fieldname, s, t, boost=node.boost) for s, t in terms)])


def _expand_phrase(
    node: wq.Phrase, text: str, index: NameVocabulary, analyse: Analyse, added: dict[str, tuple[str, ...]]
) -> wq.Query:
    if node.fieldname not in _FIELDS or not node.char_ranges:
        return node
    parts: list[wq.Query] = []
    changed = False
    for word, (start, end) in zip(node.words, node.char_ranges, strict=False):
        typed = _typed(text, start, end)
        spellings = ARTICLES if _fold(typed) in ARTICLES else _name_variants(typed, index)
        terms = _terms(node.fieldname, spellings, analyse, exclude=str(word))
        if terms:
            changed = True
            if _fold(typed) not in ARTICLES:
                added[typed] = spellings
        parts.append(wq.Or([wq.Term(node.fieldname, word), *(wq.Term(node.fieldname, t) for _s, t in terms)]))
    if not changed:
        return node
    return wq.Sequence(parts, slop=node.slop, boost=node.boost)


_FIELDS = frozenset((*f.TEXT_FIELDS, f.ENTITY_TEXT, *f.NAME_TEXT_FIELD.values()))
"""Fields whose words may be names: the text, and the entity-name fields (``person:``)."""


def _name_variants(typed: str, index: NameVocabulary) -> tuple[str, ...]:
    """Variants of a word typed like a name (capital first letter, letters only)."""
    if not typed[:1].isupper() or not typed.isalpha():
        return ()
    return index.variants(typed)


def spelling_query(fieldname: str, spelling: str, analyse: Analyse) -> wq.Query | None:
    """What matches one variant spelling (a word of the name vocabulary) in a field, if anything."""
    term = analyse(fieldname, spelling)
    return _spelling_query(fieldname, spelling, term) if term else None


def _spelling_query(fieldname: str, spelling: str, term: str, *, boost: float = 1.0) -> wq.Query:
    """In a stemmed field a spelling that the stemmer changes (Hashed -> hash) would also match
    ordinary words ("hashed out"), so there it counts only in articles that name it."""
    if term == spelling or fieldname not in f.TEXT_FIELDS:
        return wq.Term(fieldname, term, boost=boost)
    return wq.And([wq.Term(fieldname, term, boost=boost), wq.Term(f.ENTITY_TEXT, spelling, boost=0.0)])


def _terms(
    fieldname: str, spellings: Iterable[str], analyse: Analyse, *, exclude: str
) -> list[tuple[str, str]]:
    """(spelling, index term) of each spelling whose term is new."""
    found: dict[str, str] = {}
    for spelling in spellings:
        term = analyse(fieldname, spelling)
        if term and term != exclude and term not in found:
            found[term] = spelling
    return [(spelling, term) for term, spelling in found.items()]


def _typed(text: str, start: int | None, end: int | None) -> str:
    return text[start:end] if start is not None and end is not None else ""


def _consonants(key: str) -> int:
    return len(key) - (1 if key[-1:] in _VOWELS else 0)
