"""Names of laws, treaties and events, known by the noun that heads them.

"American Health Care Act", "Lisbon Treaty", "Treaty of Rome", "Good Friday Agreement",
"Minsk Accords", "Chemical Weapons Convention": the model labels such names organisations, but
the name itself says it names a document, which CoNLL-2003 and a reader's facets leave out as
they leave out events (``misc``). The head is the name's last word, or the word before its
first preposition ("Treaty of Rome", "Convention on the Rights of the Child"), so a body named
after an accord stays a body ("Government of National Accord").

Events are known the same way: "Champions League" is no body but "World Cup", "Cannes Film
Festival", "G20 Summit", "Pritzker Architecture Prize" and "Grammy Awards" are what they say
(the model made the last a person in six news-dev articles and "Grammys" a place in eleven).
Heads that also end firms' and bodies' names are left out: "League" (the Arab League),
"Games" (Scientific Games), "Fair" (Vanity Fair), "Show", "Forum".
"""

from __future__ import annotations

LAW_HEADS = frozenset(
    {
        "act",
        "acts",
        "treaty",
        "treaties",
        "agreement",
        "agreements",
        "accord",
        "accords",
        "protocol",
        "amendment",
        "convention",
        "conventions",
        "directive",
    }
)
"""Nouns that head the name of a law, a treaty or a party's convention (an event)."""

EVENT_HEADS = frozenset(
    {
        "cup",
        "championship",
        "championships",
        "olympics",
        "paralympics",
        "festival",
        "award",
        "awards",
        "prize",
        "prix",
        "marathon",
        "tournament",
        "tour",
        "summit",
        "expo",
        "oscars",
        "grammys",
        "emmys",
    }
)
"""Nouns that head the name of an event: a competition, a festival, a prize, a summit."""

_PREPOSITIONS = frozenset({"of", "on", "for", "against", "between", "to", "in"})
_EVENT_PREPOSITIONS = _PREPOSITIONS | {"de"}
"""An event's name may be French ("Tour de France"); a law's is read in English only."""


def head_noun(name: str, prepositions: frozenset[str] = _PREPOSITIONS) -> str:
    """The word a name is named by: its last word, or the word before its first preposition
    ("Treaty of Rome")."""
    words = name.split()
    for i, word in enumerate(words[1:], start=1):
        if word in prepositions:
            return words[i - 1]
    return words[-1] if words else ""


def names_a_law(name: str) -> bool:
    """Whether ``name`` names a law, a treaty or a convention by its head noun. A name in
    capitals is an acronym or a headline's ("ACT", the Australian Capital Territory): left."""
    return not name.isupper() and head_noun(name).casefold() in LAW_HEADS


def names_an_event(name: str) -> bool:
    """Whether ``name`` names an event by its head noun (``EVENT_HEADS``), read in English
    ("Rio de Janeiro Olympics") or French ("Tour de France"); not a name in capitals."""
    if name.isupper():
        return False
    return any(
        head_noun(name, prepositions).casefold() in EVENT_HEADS
        for prepositions in (_PREPOSITIONS, _EVENT_PREPOSITIONS)
    )


def names_no_body(name: str) -> bool:
    """Whether ``name`` names a law, a treaty or an event, which its head noun says: no named
    thing to a reader's facets, whatever type the model gave it."""
    return names_a_law(name) or names_an_event(name)
