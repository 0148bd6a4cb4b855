"""Several people's names the model took for one: "Hisham Zako Marwan Zahira Ali Kerkasi".

A list of names written without its commas (some archives strip punctuation, and a headline
or a caption may list people with none) reaches the model as one run of capitalised words,
which it labels one person. A run holds several full names when a given name starts a new one
after a name of two words or more and before two words or more: "Hisham Zako | Marwan Zahira
| Ali Kerkasi | Mahmoud Ashira". The given names are those of the ``nicknames`` package (its
hand-kept table of English given names) and of ``data/arabic_names.txt`` (its given names).

A run is cut only into three names or more: one person's name of four or five words often
holds given names ("Omar Abdel Hamid el-Hussein", "Chaudhry Nisar Ali Khan", "Charles Edward
Anderson Berry"), while one of six words with three given names where full names would start
is rare. Nor is a run cut after a particle ("Mohammed bin | Rashid", "Abu Abdul | Rahman")
or so that a single word stands alone ("Ali Abdullah Saleh": one word is no full name).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources

from searchlib.entities.names import ARTICLE_WORDS, fold_word

MIN_NAMES = 3
"""Names a run must hold to be cut (so six words at least: three full names of two)."""
PARTICLES = ARTICLE_WORDS | frozenset(
    {"bin", "ibn", "bint", "abu", "abou", "umm", "um", "abd", "abdul", "abdel", "abdal"}
    | {"van", "von", "de", "da", "di", "del", "le", "mc", "mac", "st"}
)
"""Words that join a name to the word after them: no name ends with one, and none is a given
name here ("Al" is short for Albert in the English table, and the Arabic article too)."""
_NAMES_FILE = "arabic_names.txt"
_GIVEN_SECTION = "# given names"


def name_runs(words: Sequence[str]) -> list[tuple[int, int]]:
    """``(first, end)`` word ranges of the full names in a run of one person's words."""
    bounds = [0]
    for i in range(2, len(words) - 1):
        if (
            i - bounds[-1] >= 2
            and is_given_name(words[i])
            and fold_word(words[i - 1]).rstrip("-") not in PARTICLES
        ):
            bounds.append(i)
    if len(bounds) < MIN_NAMES:
        return [(0, len(words))]
    return list(zip(bounds, [*bounds[1:], len(words)], strict=True))


def is_given_name(word: str) -> bool:
    """Whether a capitalised word is a given name of the two tables."""
    folded = fold_word(word)
    return word[:1].isupper() and folded in given_names() and folded not in PARTICLES


@cache
def given_names() -> frozenset[str]:
    """The given names of both tables, folded (read once: packaged files)."""
    from nicknames import NickNamer

    namer = NickNamer()
    english = set(namer.canonical_lookup) | set(namer.nickname_lookup)
    text = resources.files("searchlib").joinpath("data", _NAMES_FILE).read_text(encoding="utf-8")
    arabic: set[str] = set()
    inside = False
    for line in text.splitlines():
        if line.startswith("#"):
            inside = line.strip().casefold() == _GIVEN_SECTION
            continue
        if inside:
            arabic.update(line.split())
    return frozenset(fold_word(name) for name in english | arabic)
