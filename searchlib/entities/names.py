"""When two written names can be one name: spelling keys, transliteration and given-name variants.

An archive writes one name many ways: "Al Bab" / "Al-Bab" / "al-Bab", "Deir ez-Zor" / "Deir
Ezzor", "Kim Jong-un" / "Kim Jong Un" (``spelling_key``: case, accents, hyphens, dots and spaces
do not count); "Sergey" / "Sergei", "Khan Sheikhoun" / "Khan Shaykhun" (``same_spelling``:
word by word, the vowel changes transliteration makes); "Mike" / "Michael", "Jim" / "James"
(``same_given_name``, from the ``nicknames`` package's hand-kept table of English given names).

Nothing here decides that two names *are* one entity: ``resolve`` does, with the archive's
evidence. These tests only say that they *can* be: they never pair names whose letters differ
otherwise (Kim Jong-un / Kim Jong-nam, Hama / Hamas, George Bush / George W. Bush).
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nicknames import NickNamer

ARTICLE_WORDS = frozenset({"al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ad-", "ul"})
"""The Arabic article as transliterated, written apart or hyphened ("al-Assad", "al Assad")."""
FUNCTION_WORDS = frozenset({"of", "the", "for", "and", "on", "in", "de", "la", "du"})
"""Words an organisation's name may hold in one word order and not in another."""

LEGAL_FORMS = (
    *("Inc", "Corp", "Corporation", "Co", "Ltd", "Limited"),
    *("LLC", "LLP", "LP", "Plc", "PLC", "plc", "AG", "GmbH", "KG", "SA", "S.A", "NV", "N.V"),
    *("BV", "B.V", "AB", "Oyj", "Bhd", "N.A"),
)
"""Words that end a company's registered name, as English, European and Malaysian registers
and American banks ("Citibank N.A.") write them; a legal form written with dots is listed so.
"SpA" is left out: alone it is the Belgian town of Spa."""
LEGAL_FORM_PATTERN = "|".join(map(re.escape, LEGAL_FORMS))
"""``LEGAL_FORMS`` as alternatives of a regular expression."""
_LEGAL_FORM_TAIL = re.compile(
    r"(?:,?[ \t\n]+(?:and|&)[ \t\n]+Co\b\.?|,?[ \t\n]+(?:" + LEGAL_FORM_PATTERN + r")\b\.?)+$",
    re.IGNORECASE,
)

MIN_LETTERS = 5
"""Words shorter than this must be spelt alike: Chan / Chen, Hama / Homs are different names."""
LONG_WORD = 7
MAX_EDITS_SHORT = 1
MAX_EDITS_LONG = 2
"""Vowel changes allowed between two spellings of one word (two from ``LONG_WORD`` letters)."""

_LEADING_ARTICLE = re.compile(r"^(?i:al|el|ad|an|ar|as|ash|at|az)-|^(?:al|el) (?=[A-Z])")
"""An Arabic article before a name: hyphened in any case, or written apart in lower case."""
_NOT_ALNUM = {ord(ch): None for ch in string.punctuation + string.whitespace}
_APOSTROPHES = re.compile(r"['’‘`ʿʾ]")
_SEPARATORS = re.compile(r"[\s\-‐‑–.]+")
_VOWELS = frozenset("aeiou")
_INITIAL = {"i": "e", "u": "o"}
_SAME_VOWEL = {frozenset("ae"), frozenset("ei"), frozenset("ou")}
"""Short vowels that transliterations write either way: Ahmad / Ahmed, Qasim / Qasem, Muhandis /
Mohandes. Other swaps (Biden / Baden, Hussein / Hassan, Andersen / Anderson) make another name."""
_DROPPED = "e"
"""The vowel transliterations leave out or put in: Hashd / Hashed."""
_FAR = 99
_REWRITES = (("dh", "z"), ("gh", "q"), ("ph", "f"), ("ou", "u"), ("ee", "i"), ("oo", "u"))
_DIPHTHONG_Y = re.compile(r"(?<=[aeiou])y(?![aeiou])|(?<=.)y$")
"""A ``y`` that is a vowel: after a vowel (Husayn / Hussein) or at the end (Sergey / Sergei)."""


def fold_word(word: str) -> str:
    """Lower case, accents and apostrophes dropped ("Dāwūd" -> "dawud")."""
    if word.isascii():  # nothing to decompose (most names: the archive's resolution folds millions)
        return _APOSTROPHES.sub("", word.lower())
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return _APOSTROPHES.sub("", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@lru_cache(maxsize=1 << 17)
def name_words(name: str) -> tuple[str, ...]:
    """The folded words of a name, split at spaces, hyphens and dots ("al-Bab" -> al, bab)."""
    return tuple(w for w in _SEPARATORS.split(fold_word(name)) if w)


def spelling_key(name: str) -> str:
    """Names with the same key are one spelling: only case, accents, apostrophes, hyphens, dots
    and spaces differ ("Deir ez-Zor" / "Deir Ezzor", "Kim Jong-un" / "Kim Jong Un"). An Arabic
    article inside a name does not count either ("Bashar al-Assad" / "Bashar Assad")."""
    words = name_words(name)
    kept = [w for i, w in enumerate(words) if i == 0 or w not in ARTICLE_WORDS or i == len(words) - 1]
    return "".join(kept)


def without_article(name: str) -> str:
    """A name without the Arabic article joined to its first word ("al-Nusra Front" -> "Nusra
    Front"); empty if it has none. "Al Gore" has none: "Al" written apart and capitalised is a
    given name as often as an article."""
    match = _LEADING_ARTICLE.match(name)
    return name[match.end() :].strip() if match else ""


def without_legal_form(name: str) -> str:
    """A company's name without the legal form that ends it ("Diamond Shamrock Corp" ->
    "Diamond Shamrock", "Samuel Montagu and Co Ltd" -> "Samuel Montagu"); ``name`` itself when
    it has none, or nothing but one ("Co")."""
    match = _LEGAL_FORM_TAIL.search(name)
    return name if match is None or match.start() == 0 else name[: match.start()]


def is_legal_form(name: str) -> bool:
    """Whether ``name`` is nothing but a company's legal form ("Co", "Co Inc", "and Co Ltd")."""
    return _LEGAL_FORM_TAIL.fullmatch(" " + name.strip()) is not None


def compact_key(name: str) -> str:
    """A name's letters and digits in lower case, accents dropped ("Al-Bab" -> "albab")."""
    if name.isascii():
        return name.lower().translate(_NOT_ALNUM)
    return "".join(ch for ch in fold_word(name) if ch.isalnum())


_ABD_COMPOUND = re.compile(r"abd[aeiou](?:l(?=[a-z])|([tdrzsn])(?=\1))")
"""The Arabic article inside an "Abd al-" name, however transliteration writes it: Abdel
Rahman, Abdul Rahman, Abdulrahman, Abdurrahman (the article's l taking the next consonant)."""


def compound_key(name: str) -> str:
    """``compact_key`` with the article of an "Abd al-" name left out: "Rami Abdel Rahman",
    "Rami Abdulrahman" and "Rami Abdurrahman" share one key."""
    return _ABD_COMPOUND.sub("abd", compact_key(name))


def order_key(name: str) -> str:
    """Names with the same key hold the same words in another order ("Justice Department" /
    "Department of Justice"); function words do not count. Empty for one-word names."""
    words = [w for w in name_words(name) if w not in FUNCTION_WORDS]
    return " ".join(sorted(words)) if len(words) > 1 else ""


def same_spelling(a: str, b: str) -> bool:
    """Whether two names differ only as transliterations do, word by word: a/e, e/i, o/u, a
    dropped ``e``, ``y`` for ``i`` ("Sergey Lavrov" / "Sergei Lavrov", "Khan Sheikhoun" / "Khan
    Shaykhun"), each changed word having at least ``MIN_LETTERS`` letters."""
    wa, wb = _content_words(a), _content_words(b)
    if len(wa) != len(wb) or not wa:
        return False
    return all(x == y or _word_variants(x, y) for x, y in zip(wa, wb, strict=True))


def same_given_name(a: str, b: str) -> bool:
    """Whether two person names are one name with a given name and its short form ("Mike Flynn" /
    "Michael Flynn", "Jim Mattis" / "James Mattis"): the other words spelt alike."""
    wa, wb = _content_words(a), _content_words(b)
    if len(wa) < 2 or len(wa) != len(wb) or wa[1:] != wb[1:] or wa[0] == wb[0]:
        return False
    return _given_variants(wa[0], wb[0])


def is_possessive_of(name: str, base: str) -> bool:
    """Whether ``name`` is ``base`` with an apostrophe-less possessive "s" ("Syrias", "Assads")."""
    return len(base) >= 3 and name.endswith("s") and name[:-1] == base and not base.endswith("s")


@lru_cache(maxsize=1 << 17)
def normal(word: str) -> str:
    """A word with the spelling differences of transliteration evened out (``kadhemi`` -> ``kazemi``)."""
    text = fold_word(word)
    for old, new in _REWRITES:
        text = text.replace(old, new)
    text = re.sub(r"(.)\1+", r"\1", text)
    return _DIPHTHONG_Y.sub("i", text)


def skeleton(word: str) -> str:
    """The spelling-independent key of a transliterated name (``kadhemi`` -> ``kzm+``): first
    letter (e/i and o/u alike), consonants, final vowel."""
    text = normal(word)
    if not text:
        return ""
    head = _INITIAL.get(text[0], text[0])
    body = "".join(ch for ch in text[1:] if ch not in _VOWELS)
    return head + body + (text[-1] if text[-1] in _VOWELS else "")


def vowel_edits(a: str, b: str) -> int:
    """Edits from ``a`` to ``b`` counting only the vowel changes transliteration makes.

    Swapping a/e, e/i or o/u, or leaving out or adding an ``e``, costs 1; anything else costs
    ``_FAR``, so two spellings that need it are never variants.
    """
    previous = [0]
    for ch in b:
        previous.append(previous[-1] + _drop_cost(ch))
    for ca in a:
        current = [previous[0] + _drop_cost(ca)]
        for j, cb in enumerate(b, start=1):
            change = 0 if ca == cb else (1 if frozenset((ca, cb)) in _SAME_VOWEL else _FAR)
            current.append(
                min(previous[j] + _drop_cost(ca), current[j - 1] + _drop_cost(cb), previous[j - 1] + change)
            )
        previous = current
    return previous[-1]


def _drop_cost(ch: str) -> int:
    return 1 if ch == _DROPPED else _FAR


def _content_words(name: str) -> tuple[str, ...]:
    words = name_words(name)
    return tuple(w for i, w in enumerate(words) if i == 0 or w not in ARTICLE_WORDS)


def _word_variants(a: str, b: str) -> bool:
    na, nb = normal(a), normal(b)
    if na == nb:
        return len(a) >= MIN_LETTERS - 1
    if min(len(na), len(nb)) < MIN_LETTERS or skeleton(a) != skeleton(b):
        return False
    limit = MAX_EDITS_LONG if min(len(na), len(nb)) >= LONG_WORD else MAX_EDITS_SHORT
    return vowel_edits(na, nb) <= limit


def _given_variants(a: str, b: str) -> bool:
    namer = _nick_namer()
    return b in namer.nicknames_of(a) or a in namer.nicknames_of(b)


@cache
def _nick_namer() -> NickNamer:
    """The ``nicknames`` package's table (read once: a packaged file)."""
    from nicknames import NickNamer

    return NickNamer()
