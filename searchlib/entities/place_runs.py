"""Several places the model took for one, in a text whose punctuation was stripped.

Some archives strip punctuation from their articles, and a list of villages loses its commas:
"in Khan al-Jouz al-Eido al-Hor", "in al-Zahraa al-Rashideen". The model labels such a run one
place. In an Arabic place name a word with the article ("al-", "el-") follows a word of its
own ("Khan al-Jouz", "Deir al-Zour", "Ras al-Ain"); a second word with the article right
after one is a new place ("al-Eido"), unless it is an adjective of the first ("al-Samdania
al-Gharbia", western Samdania; "al-Kark al-Sharqi"; "al-Hajar al-Aswad", the Black Stone).

Only in a text that ``strips_commas``: with commas, the list is written as one, and the model
cuts it there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from searchlib.entities.names import fold_word

MIN_TEXT_CHARS = 1000
"""A text this long with no comma had its commas stripped: news writes one every few lines."""
ADJECTIVE_STEMS = (
    *("gharb", "sharq", "shamal", "janub", "janoub", "junub", "wusta", "aqsa"),
    *("kabir", "kabeer", "kebir", "kubra", "saghir", "sagheer", "sghir", "sughra"),
    *("jadid", "jadeed", "qadim", "qadeem", "fawqa", "fouqa", "tahta"),
    *("ahmar", "aswad", "abyad", "akhdar", "azraq", "azrak"),
)
"""The starts of the Arabic adjectives a place name ends with: the directions (western,
eastern, northern, southern, middle, farthest), great and little, new and old, upper and
lower, the colours."""
ADJECTIVE_WORDS = frozenset(
    {"humr", "homr", "hamra", "sud", "soud", "sawda", "bid", "baida", "khudr", "khadra"}
)
"""Short adjectives, whole: the colours' plural and feminine forms ("al-Villat al-Humr", the
red villas; "al-Tloul al-Sud", the black hills)."""
NAME_JOINS = frozenset({"din", "deen", "dine", "dawla", "dawleh", "dawlah"})
"""Words after the article that end the first half of a compound name, which a second word
with the article completes ("Nour al-Din al-Zinki", "Saif al-Dawla al-Hamdani")."""
_ARTICLE = re.compile(r"(?:al|el|ad|an|ar|as|ash|at|az)-(?P<rest>\w+)", re.IGNORECASE)


def strips_commas(text: str) -> bool:
    """True for a text long enough to have commas that has none (Latin or Arabic)."""
    return len(text) >= MIN_TEXT_CHARS and "," not in text and "\u060c" not in text


def starts_with_article(text: str, start: int) -> bool:
    """Whether the word at ``start`` has the Arabic article ("al-Zahraa"): no person's name
    begins so, and a run the model called a person that does is a list of places."""
    return _ARTICLE.match(text, start) is not None


def place_runs(words: Sequence[str]) -> list[tuple[int, int]]:
    """``(first, end)`` word ranges of the places in a run of one place's words."""
    bounds = [0]
    for i in range(1, len(words)):
        article, before = _ARTICLE.fullmatch(words[i]), _ARTICLE.fullmatch(words[i - 1])
        if article is None or before is None:
            continue
        rest = fold_word(article.group("rest"))
        if not (
            rest.startswith(ADJECTIVE_STEMS)
            or rest in ADJECTIVE_WORDS
            or fold_word(before.group("rest")) in NAME_JOINS
        ):
            bounds.append(i)
    return list(zip(bounds, [*bounds[1:], len(words)], strict=True))
