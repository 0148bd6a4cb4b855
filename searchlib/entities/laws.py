"""Names of laws and treaties, known by the noun that heads them.

"American Health Care Act", "Lisbon Treaty", "Treaty of Rome", "Good Friday Agreement",
"Minsk Accords", "Chemical Weapons Convention": the model labels such names organisations, but
the name itself says it names a document, which CoNLL-2003 and a reader's facets leave out as
they leave out events (``misc``). The head is the name's last word, or the word before its
first preposition ("Treaty of Rome", "Convention on the Rights of the Child"), so a body named
after an accord stays a body ("Government of National Accord").
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

_PREPOSITIONS = frozenset({"of", "on", "for", "against", "between", "to", "in"})


def head_noun(name: str) -> str:
    """The word a name is named by: its last word, or the word before its first preposition."""
    words = name.split()
    for i, word in enumerate(words[1:], start=1):
        if word in _PREPOSITIONS:
            return words[i - 1]
    return words[-1] if words else ""


def names_a_law(name: str) -> bool:
    """Whether ``name`` names a law, a treaty or a convention by its head noun. A name in
    capitals is an acronym or a headline's ("ACT", the Australian Capital Territory): left."""
    return not name.isupper() and head_noun(name).casefold() in LAW_HEADS
