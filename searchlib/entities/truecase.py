"""Restoring the case of ALL-CAPS lines (headlines, datelines, sports tables) before NER.

spaCy's English model leans on capital letters to find names, so a headline such as
``IRAQI PM KADHEMI VISITS TEHRAN`` yields nothing or nonsense. A line that is mostly capitals is
rewritten word by word: a common English word (from a cased dictionary) is lower-cased, a word
the dictionary only knows capitalised, or does not know at all, is capitalised, and short
acronyms stay as they are. Each character maps to exactly one character, so entity offsets
found in the rewritten text are offsets into the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019.][^\W\d_]+)*\.?")
_CAPS_SHARE = 0.7
_MIN_LETTERS = 4
_KEEP_UPPER = frozenset({"US", "UK", "UN", "EU", "USA", "UAE", "NATO", "OPEC", "IS", "ISIS", "ISIL"})
"""Acronyms that are also common words ("us", "is"): in a capitals line they stay capitals."""

_LOWER_WORD = re.compile(r"(?<=[a-z0-9,;] )[a-z]+(?![\w'\u2019-])")
"""A word written in lower case, whole, inside a sentence ("dlrs" of "15 mln dlrs"; not a
name the source lowered by mistake where a sentence starts, "- vanzetti Systems Inc said")."""
_SHORT_WORD = 3
"""Words this short ("in", "of", "to", "the") are written in lower case even in Title Case."""
_MIN_TITLE_WORDS = 4
_TITLE_SHARE = 0.8
_COMMON_SHARE = 0.5

_SUFFIXES = ("'s", "s", "es", "ed", "ing", "ers", "er")


@dataclass(frozen=True)
class Lexicon:
    """Which words are common lower-case English words and which are always capitalised.

    ``common`` holds lower-case words that are ordinary vocabulary ("take", "victory");
    ``proper`` holds lower-cased forms of names that must be capitalised even though the
    dictionary also knows them as common words (city and country names from the gazetteer).
    """

    common: frozenset[str]
    proper: frozenset[str] = frozenset()
    phrases: frozenset[str] = frozenset()
    """Lower-cased names of several words ("kansas city") whose every word is capitalised."""

    def is_common(self, word: str) -> bool:
        lower = word.lower()
        if lower in self.proper:
            return False
        if lower in self.common:
            return True
        return any(
            lower.endswith(suffix)
            and (stem := lower[: -len(suffix)])
            and (stem in self.common or stem + "e" in self.common)
            for suffix in _SUFFIXES
            if len(lower) > len(suffix) + 2
        )

    def is_plural(self, word: str) -> bool:
        """Whether ``word`` is the plural of a common word ("banks", "crises", "bodies")."""
        lower = word.casefold()
        if not lower.endswith("s") or lower.endswith(("ss", "us", "is")):
            return False
        singulars = [lower[:-1], lower[:-2]]
        if lower.endswith("ies"):
            singulars.append(lower[:-3] + "y")
        if lower.endswith("ses"):
            singulars.append(lower[:-2] + "is")
        return any(s in self.common for s in singulars)


def truecase(text: str, lexicon: Lexicon) -> str:
    """``text`` with every mostly-capitals line, and a Title-Case headline on its first line
    (and its copies further on), rewritten in ordinary case (same length)."""
    if not any(ch.isupper() for ch in text):
        return text
    lines = text.splitlines(keepends=True)
    shouted = [is_capitals_line(line) for line in lines]
    if any(shouted):
        pairs = list(zip(lines, shouted, strict=True))
        own = frozenset(_LOWER_WORD.findall("".join(line for line, caps in pairs if not caps)))
        lines = [_truecase_line(line, lexicon, own) if caps else line for line, caps in pairs]
    return _truecase_headline("".join(lines), lexicon)


def _truecase_headline(text: str, lexicon: Lexicon) -> str:
    """Lower-case the common words of a Title-Case headline ("Syrian Army Kills Top Terrorist
    Commander in Daraa Province"), where they would read as one long name, and of every copy of
    it in the text (some sites repeat the headline at the start of the story)."""
    title, _, _ = text.partition("\n")
    if not is_title_case(title, lexicon):
        return text
    words = list(_WORD.finditer(title))
    cased = list(title)
    for index, match in enumerate(words):
        word = match.group(0)
        lower = word[0].lower()
        if (
            index
            and word[:1].isupper()
            and not word.isupper()
            and len(lower) == 1
            and lexicon.is_common(word.rstrip("."))
        ):
            cased[match.start()] = lower
    fixed = "".join(cased)
    return text.replace(title.strip(), fixed.strip()) if title.strip() else text


def is_title_case(line: str, lexicon: Lexicon) -> bool:
    """True for a line whose longer words are nearly all capitalised, ordinary words making at
    least half of them: a headline in Title Case, which reads to the model as one long name. A
    list of names ("Tiger Woods, Nick Price, Mark Waugh") has commas or brackets, and its
    words are mostly names."""
    if any(ch in line for ch in ",;:()[]"):
        return False
    words = [w.group(0) for w in _WORD.finditer(line)][1:]
    long_words = [w for w in words if len(w) > _SHORT_WORD]
    if len(long_words) < _MIN_TITLE_WORDS:
        return False
    capitalised = [w for w in long_words if w[:1].isupper() and not w.isupper()]
    common = [w for w in capitalised if lexicon.is_common(w.rstrip("."))]
    return len(capitalised) >= _TITLE_SHARE * len(long_words) and len(common) >= _COMMON_SHARE * len(
        long_words
    )


def is_capitals_line(line: str) -> bool:
    """True for a line whose letters are mostly capitals (a shouted headline or table)."""
    letters = [ch for ch in line if ch.isalpha()]
    if len(letters) < _MIN_LETTERS:
        return False
    return sum(ch.isupper() for ch in letters) / len(letters) >= _CAPS_SHARE


def _truecase_line(line: str, lexicon: Lexicon, own: frozenset[str]) -> str:
    """A capitals line in ordinary case; ``own`` are the words the text itself writes in lower
    case elsewhere ("dlrs" of "15 mln dlrs" under "NET PROFIT 15 MLN DLRS"), common words here
    whatever the dictionary says."""
    words = list(_WORD.finditer(line))
    in_phrase = _phrase_words(words, lexicon.phrases)
    out = []
    last = 0
    for index, match in enumerate(words):
        word = match.group(0)
        if index in in_phrase and word.isupper():
            cased = _capitalise(word)
        else:
            cased = _case_word(word, lexicon, own, sentence_start=index == 0)
        out += [line[last : match.start()], _same_length(word, cased)]
        last = match.end()
    out.append(line[last:])
    return "".join(out)


def _phrase_words(words: list[re.Match[str]], phrases: frozenset[str], longest: int = 4) -> set[int]:
    """Indexes of the words that form a known multi-word name, longest match first."""
    found: set[int] = set()
    index = 0
    while index < len(words):
        for size in range(min(longest, len(words) - index), 1, -1):
            candidate = " ".join(w.group(0).lower() for w in words[index : index + size])
            if candidate in phrases:
                found.update(range(index, index + size))
                index += size - 1
                break
        index += 1
    return found


def _case_word(word: str, lexicon: Lexicon, own: frozenset[str], *, sentence_start: bool) -> str:
    if not word.isupper():
        return word
    bare = word.rstrip(".")
    if bare in _KEEP_UPPER or "." in bare:
        return word
    if lexicon.is_common(bare) or bare.lower() in own:
        return word.lower()
    if len(bare) <= 2 and not sentence_start:
        return word
    return _capitalise(word)


def _capitalise(word: str) -> str:
    """``O'NEILL`` -> ``O'Neill``, ``AL-SHAABI`` is handled per word by the caller's regex."""
    parts = re.split(r"(['\u2019])", word.lower())
    out = []
    for index, part in enumerate(parts):
        short_clitic = index > 0 and len(part) == 1 and parts[index - 1] in ("'", "\u2019")
        out.append(part if short_clitic else part[:1].upper() + part[1:])
    return "".join(out)


def _same_length(original: str, cased: str) -> str:
    """Keep offsets stable: fall back per character where case mapping changes the length."""
    if len(cased) == len(original):
        return cased
    return "".join(
        low if len(low := ch.lower()) == 1 else ch for ch in original
    )  # pragma: no cover - rare letters
