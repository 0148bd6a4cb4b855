"""What the words around a name say about its type, whatever label the model gave it.

The small English model knows the world's big places, not its villages: "Tall Tawil",
"Binnesh" or "al-Hola" come out as people or organisations. The sentence usually says what
they are, in the grammar of English rather than in the name: "the village of Rityan", "Tall
Tawil village", "in Binnesh town", "the neighbourhoods of Sheikh Saeed and Shurfa". Those
words are few and closed (nouns for kinds of settlement, locative prepositions), so the rule
holds in any archive, and it speaks only for the mention it stands beside; across the archive,
``resolve`` then counts each article's type as one vote.

- **Strong**: a lower-case settlement noun right after the name ("Tall Tawil village",
  "Saif al-Dawleh neighborhood") or "<noun> of" right before it ("the town of Marea",
  "outskirts of Erbin"). Enough to make a person or an organisation a place.
- **Weak**: a locative preposition right before the name ("in Jazal", "near Marea"). Enough
  for a name the model calls a person (people are seldom "in" or "near" anyone), and for an
  organisation written with the Arabic article ("in al-Hola"), never for other organisations
  ("in Congress", "in NATO").
- **Lists**: names joined by commas or "and" to a name with a strong sign share it ("the
  villages of Um Sahrij, Twlol al-Hawa and Maksar al-Hissan").
- **Within a place**: a locative preposition before a name (or a list of names) and "in" a
  place after it ("wounded in Foua and Kafyra in Idleb") make places even of names the model
  calls organisations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from searchlib.models import ArticleEntity, Mention

CONTEXT_EVIDENCE = "context"
"""The mark an article's own entity carries (``indexing.resolution.local_of``) when the words
around it gave its type: ``resolve`` counts such an article as ``CONTEXT_VOTES`` votes."""


@dataclass(frozen=True)
class ContextMention(Mention):
    """A mention whose type the words around it gave: surer than the model's label."""


@dataclass(frozen=True)
class ContextEntity(ArticleEntity):
    """An article's entity whose type the words around one of its mentions gave."""


SETTLEMENT_NOUNS = (
    "village",
    "town",
    "township",
    "city",
    "neighbourhood",
    "neighborhood",
    "district",
    "suburb",
    "province",
    "governorate",
    "countryside",
    "region",
    "area",
    "municipality",
    "county",
    "hamlet",
    "outskirts",
    "environs",
)
"""Nouns for a kind of place, in the lower case they take when they follow or introduce a name.
A capitalised one is part of the name itself ("Manchester City", "Gaza Strip"): not a sign."""

LOCATIVE_PREPOSITIONS = (
    "in",
    "near",
    "around",
    "outside",
    "towards",
    "toward",
    "into",
    "across",
    "throughout",
)
"""Prepositions of place. "at", "from" and "to" are left out: they introduce people and
organisations as often ("at Google", "from Reuters", "to Trump")."""

CLOSED_WORDS = frozenset(
    """in on at near of to from and or but nor where which who whom whose that with without after
    before during since for as by under over into onto while when until till amid among between
    is was are were has had have will would could can may might must shall should said says
    the a an this these those last earlier later yesterday today overnight late early
    north south east west northeast northwest southeast southwest northern southern eastern
    western central outside inside across along""".split()  # noqa: SIM905 - a paragraph of words
)
"""Closed-class words: after a name one of them (or punctuation) shows the phrase has ended.
Any other lower-case word makes the name a modifier of what follows: "in the McLaren report",
"in the Clinton administration"."""

COMPOUND_HEADS = frozenset(["hall", "halls", "council", "councils", "centre", "center", "centres", "centers"])
"""Nouns that make a settlement noun part of a compound ("Fox News town hall", "GOP town halls",
"the Labour city council"), whose first word need not be a place."""

_NOUN = "(?:" + "|".join(SETTLEMENT_NOUNS) + ")(?:e?s)?"
_AFTER = re.compile(r"[ \t]+" + _NOUN + r"\b(?![-'\u2019])")
_NEXT_WORD = re.compile(r"[ \t]+([a-z]+)\b(?![-'\u2019])")
_BEFORE = re.compile(r"\b" + _NOUN + r"[ \t]+of[ \t]+(?:the[ \t]+)?$")
_PREPOSITION = re.compile(
    r"(?:^|[\s(\"\u201c])(?:" + "|".join(LOCATIVE_PREPOSITIONS) + r")[ \t]+(?:the[ \t]+)?$", re.IGNORECASE
)
_POSSESSIVE_AFTER = re.compile(r"['\u2019](?:s\b|(?!\w))")
_LIST_JOIN = re.compile(r"[ \t]*(?:,[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+)")
_ARABIC_ARTICLE = re.compile(r"(?:al|el|Al|El|AL|EL)[- ]")
LOOK_BEHIND = 40
"""Characters before a name read for the words before it: a preposition, "<noun> of", or what
joins it to a name before ("Standard and", the mention rules')."""


def strong_place_sign(text: str, start: int, end: int) -> bool:
    """Whether a settlement noun stands right after the name ("Tall Tawil village", but not a
    compound's: "GOP town halls") or "<noun> of" right before it."""
    after = _AFTER.match(text, end)
    if after is not None:
        word = _NEXT_WORD.match(text, after.end())
        if word is None or word.group(1) not in COMPOUND_HEADS:
            return True
    return bool(_BEFORE.search(text[max(0, start - LOOK_BEHIND) : start]))


def weak_place_sign(text: str, start: int, end: int) -> bool:
    """Whether a locative preposition stands right before the name (not one that a possessive
    follows: "in Trump's cabinet" is about the cabinet)."""
    if _POSSESSIVE_AFTER.match(text, end) or not _phrase_ends(text, end):
        return False
    return bool(_PREPOSITION.search(text[max(0, start - LOOK_BEHIND) : start]))


def place_by_context(text: str, start: int, end: int, kind: str) -> bool:
    """Whether the words around the name ``text[start:end]``, which the model typed ``kind``,
    make it a place (see the module doc for which signs count for which type)."""
    if kind not in ("person", "org"):
        return False
    if strong_place_sign(text, start, end):
        return True
    if kind == "org" and not _ARABIC_ARTICLE.match(text, start):
        return False
    return weak_place_sign(text, start, end)


ORGANISATION_NOUNS = (
    "group",
    "groups",
    "faction",
    "factions",
    "militants",
    "fighters",
    "insurgents",
    "jihadists",
    "rebels",
    "members",
    "shares",
    "stock",
    "subsidiary",
    "unit",
)
"""Nouns that follow or introduce an organisation's name and hardly ever a person's: "Ahrar
al-Sham fighters", "members of Jund al-Aqsa", "shares of Petrobras". Nouns that people's names
modify as often are left out ("Assad forces", "Trump officials", "a Putin spokesman")."""

INSTITUTION_NOUNS = (
    "company",
    "firm",
    "bank",
    "newspaper",
    "broadcaster",
    "agency",
    "airline",
    "website",
    "party",
    "militia",
    "giant",
    "conglomerate",
    "insurer",
    "retailer",
    "manufacturer",
)
"""Nouns for a kind of institution, which name the institution when set right before its name
("oil company Petrobras", "news agency Tass", "tech giant Alibaba"). Nouns for what people do
("producer Jordan Horowitz", "operator Paul Ormsby") are left out."""

LEADER_NOUNS = ("leader", "leaders", "leadership")
"""Nouns that follow an organisation's name, a party's above all ("Fianna Fail leader Micheal
Martin", "Hamas leaders"), and never a person's; before a name they are a person's title
("Senate Democratic leader Chuck Schumer"), so only a name they follow is an organisation, and
not when "of" follows them: a person's comma lost before "leader of" ("Zahran Alloush leader
of Jaish al-Islam")."""

_ORG_NOUN = "(?:" + "|".join(ORGANISATION_NOUNS) + ")"
_ORG_AFTER = re.compile(
    r"[ \t]+(?:" + _ORG_NOUN + r"|(?:" + "|".join(LEADER_NOUNS) + r")(?![ \t]+of\b))\b(?![-'\u2019])"
)
_INSTITUTION_NOUN = "(?:" + "|".join(INSTITUTION_NOUNS) + ")"
_ORG_BEFORE = re.compile(
    r"\b(?:"
    + _ORG_NOUN
    + r"(?:[ \t]+(?:of|in|from))?[ \t]+(?:the[ \t]+)?|"
    + _INSTITUTION_NOUN
    + r"[ \t]+)$",
    re.IGNORECASE,
)
_INSTITUTION_BEFORE = re.compile(r"\b" + _INSTITUTION_NOUN + r"[ \t]+$", re.IGNORECASE)


def institution_before(text: str, start: int) -> bool:
    """Whether a noun for a kind of institution stands right before the name at ``start``
    ("e-commerce giant Alibaba", "news agency Tass")."""
    return _INSTITUTION_BEFORE.search(text[max(0, start - LOOK_BEHIND) : start]) is not None


def organisation_sign(text: str, start: int, end: int) -> bool:
    """Whether a noun for members, fighters or shares of an organisation stands right after the
    name or right before it ("Ahrar al-Sham fighters", "members of Jund al-Aqsa"), or a noun for
    a kind of institution right before it ("oil company Petrobras")."""
    return bool(_ORG_AFTER.match(text, end) or _ORG_BEFORE.search(text[max(0, start - LOOK_BEHIND) : start]))


def _phrase_ends(text: str, end: int) -> bool:
    """Whether the noun phrase ending at ``end`` ends there: no lower-case word of the open
    classes follows ("in the McLaren report")."""
    word = _NEXT_WORD.match(text, end)
    return word is None or word.group(1) in CLOSED_WORDS


_IN_PLACE = re.compile(r"[ \t]+in[ \t]+")


def within_places(text: str, spans: list[tuple[int, int]], places: set[int]) -> set[int]:
    """The indexes of ``spans`` (in text order) that a locative preposition introduces and "in"
    joins to the place right after them, alone or in a list: "wounded in Foua and Kafyra in
    Idleb", "killed in the Salem Mosque in Homs". Both signs together make a place of a
    name the model calls an organisation (one alone does not: "in Congress", "Ahrar al-Sham
    in Idlib"); ``places`` are the indexes of the spans already known to be places."""
    found: set[int] = set()
    for last in range(len(spans) - 1):
        if last + 1 not in places or not _IN_PLACE.fullmatch(text, spans[last][1], spans[last + 1][0]):
            continue
        first = last  # back over the list's other names, never over a place ("writers A in X, B in Y")
        while (
            first > 0
            and first - 1 not in places
            and _LIST_JOIN.fullmatch(text, spans[first - 1][1], spans[first][0])
        ):
            first -= 1
        start = spans[first][0]
        if _PREPOSITION.search(text[max(0, start - LOOK_BEHIND) : start]):
            found.update(range(first, last + 1))
    return found


def listed_with(text: str, spans: list[tuple[int, int]], marked: set[int]) -> set[int]:
    """The indexes of ``spans`` (in text order) joined by commas or "and" to a marked one, all
    of a list together with the marked ones."""
    out = set(marked)
    changed = True
    while changed:
        changed = False
        for i in range(len(spans) - 1):
            joined = _LIST_JOIN.fullmatch(text, spans[i][1], spans[i + 1][0])
            if joined and (i in out) != (i + 1 in out):
                out |= {i, i + 1}
                changed = True
    return out
