"""Counts in words: ``1 article``, ``2 articles``, ``1 story``, ``3 queries``.

Every message of the CLI and every count on the web page that puts a number before a noun says
it through ``counted`` (the page through its Jinja filters ``counted`` and ``agreeing``), so the
noun agrees with the number everywhere ("1 article", never "1 articles") without an ``if`` at
each message. It imports nothing, so any stage may use it, as it may ``models`` and ``errors``.
"""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` with thousands separators and ``noun`` agreeing with it: ``1,204 articles``.

    ``noun`` may be a phrase (``new article``, ``indexed file``): its last word agrees.
    ``plural`` is for a phrase whose plural is not its last word's (``file or record``).
    """
    return f"{count:,} {agreeing(count, noun, plural)}"


def agreeing(count: int, noun: str, plural: str | None = None) -> str:
    """``noun`` as it reads after ``count`` (singular for exactly one), without the number; a
    verb too, with its ``plural`` (``agreeing(n, "matches", "match")``)."""
    if count == 1:
        return noun
    if plural is not None:
        return plural
    head, _, last = noun.rpartition(" ")
    return f"{head} {plural_of(last)}" if head else plural_of(last)


def plural_of(word: str) -> str:
    """The English plural of the nouns the messages count (article, story, match, query)."""
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"
