"""A realistic query workload: many distinct queries made from the corpus, each run once.

A benchmark that repeats a few dozen queries measures the postings cache: after the warm-up
every word is decoded. People rarely repeat a query, so this workload is made of over a thousand
*distinct* queries, each with at least one word that no query before it (the warm-up included)
used, and times each once, after a warm-up on a *different* set: every timed query meets some
word for the first time, as a user's query does.

The queries are made deterministically from the real articles the synthetic archives are built
from (``corpus.Seed``) and from the entity names the index knows (the stand-in's gazetteer), in
the kinds people type: entity names of one to four words, pairs of headline words, quoted
phrases, boolean queries, field filters (``title:``, ``person:``...), date filters, facet filters
(a word and a source or an entity), rare words, misspelt words, and filters with no words at
all. Only words that every engine's query language reads as plain words are used (letters and
digits; no ``AND``/``OR``/``NOT``/``NEAR`` as words), so every engine runs the same list.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from whoosh.analysis import STOP_WORDS

from bench.corpus import EXTRA_SOURCES, Seed
from bench.queries import BenchQuery, split_query

TIMED = 1_000
WARM_UP = 250
KINDS: dict[str, float] = {
    "entity": 0.22,
    "headline pair": 0.15,
    "phrase": 0.12,
    "boolean": 0.10,
    "field": 0.10,
    "date": 0.08,
    "facet filter": 0.07,
    "rare word": 0.07,
    "misspelling": 0.06,
    "filters only": 0.03,
}
"""The share of each kind of query in the workload."""
_WORD = re.compile(r"\w+")
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR", "TO"})
_STOP = frozenset(STOP_WORDS) | {"said", "says", "also", "would", "could", "will", "mr", "mrs", "ms"}
_ATTEMPTS = 200


@dataclass(frozen=True)
class Workload:
    """The warm-up queries and the timed ones (disjoint), and each timed query's kind."""

    warm_up: tuple[BenchQuery, ...]
    timed: tuple[BenchQuery, ...]
    kinds: tuple[str, ...]


def make_workload(
    seeds: Sequence[Seed], names: dict[str, str], *, timed: int = TIMED, warm_up: int = WARM_UP
) -> Workload:
    """``warm_up`` then ``timed`` distinct queries from ``seeds`` and entity ``names`` (name -> type).

    The same inputs always give the same queries.
    """
    maker = _QueryMaker(seeds, names, random.Random("searchlib-workload-1"))
    warm = [query for query, _kind in maker.queries(warm_up)]
    made = maker.queries(timed)
    return Workload(tuple(warm), tuple(q for q, _k in made), tuple(k for _q, k in made))


class _QueryMaker:
    """Draws queries of each kind; remembers every word used so each query brings a new one."""

    def __init__(self, seeds: Sequence[Seed], names: dict[str, str], rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()
        self.made: set[str] = set()
        self.headlines = [_words(seed.title) for seed in seeds]
        self.paragraphs = [p for seed in seeds for p in seed.paragraphs[:4]]
        counts = Counter(w.lower() for p in self.paragraphs for w in _words(p))
        self.vocabulary = frozenset(counts)
        self.rare = sorted(w for w, n in counts.items() if n <= 2 and len(w) >= 6 and w.isalpha())
        self.content = sorted(w for w, n in counts.items() if n >= 3 and _content(w) and w.isalpha())
        self.names = {
            kind: sorted(
                n
                for n, k in names.items()
                if k == kind and _plain(n) and _searchable(n) and len(n.split()) <= 4
            )
            for kind in ("person", "org", "place")
        }
        self.all_names = sorted(n for kind in self.names.values() for n in kind)
        self.sources = sorted({seed.source for seed in seeds if _plain(seed.source)} | set(EXTRA_SOURCES))
        self.months = sorted({seed.date.replace(day=1) for seed in seeds})
        self.makers: dict[str, Callable[[], str | None]] = {
            "entity": self._entity,
            "headline pair": self._headline_pair,
            "phrase": self._phrase,
            "boolean": self._boolean,
            "field": self._field,
            "date": self._date,
            "facet filter": self._facet_filter,
            "rare word": self._rare_word,
            "misspelling": self._misspelling,
            "filters only": self._filters_only,
        }

    def queries(self, count: int) -> list[tuple[BenchQuery, str]]:
        """``count`` new queries, the kinds in their shares, in a shuffled (fixed) order."""
        plan = [kind for kind, share in KINDS.items() for _ in range(round(share * count))]
        plan = (plan + list(KINDS) * count)[:count]
        self.rng.shuffle(plan)
        return [(split_query(self._one(kind)), kind) for kind in plan]

    def _one(self, kind: str) -> str:
        for _ in range(_ATTEMPTS):
            raw = self.makers[kind]()
            if raw is None or raw in self.made:
                continue
            words = {w.lower() for w in _WORD.findall(_without_filters(raw))}
            if kind != "filters only" and not words - self.seen:
                continue
            self.made.add(raw)
            self.seen |= words
            return raw
        raise ValueError(f"the corpus is too small for {kind!r} queries that are new")

    # -- the kinds -------------------------------------------------------------------------

    def _entity(self) -> str:
        return self.rng.choice(self.all_names)

    def _headline_pair(self) -> str | None:
        words = [w for w in self.rng.choice(self.headlines) if _content(w)]
        if len(words) < 2:
            return None
        first, second = sorted(self.rng.sample(range(len(words)), 2))
        return f"{words[first]} {words[second]}"

    def _phrase(self) -> str | None:
        words = _words(self.rng.choice(self.paragraphs))
        size = self.rng.choice((2, 2, 3))
        if len(words) < size:
            return None
        start = self.rng.randrange(len(words) - size + 1)
        run = words[start : start + size]
        if not all(_content(w) for w in run):
            return None
        return '"' + " ".join(run) + '"'

    def _boolean(self) -> str:
        a, b, c = (self._term() for _ in range(3))
        form = self.rng.randrange(4)
        return [f"{a} OR {b}", f"{a} AND {b}", f"{a} NOT {b}", f"({a} OR {b}) AND {c}"][form]

    def _field(self) -> str:
        kind = self.rng.choice(("title", "person", "org", "place"))
        if kind == "title":
            return f"title:{self.rng.choice(self.content)}"
        return f'{kind}:"{self.rng.choice(self.names[kind])}"'

    def _date(self) -> str:
        month = self.rng.choice(self.months)
        if self.rng.random() < 0.5:
            return f"{self._term()} date:{month:%Y-%m}"
        end = date.fromordinal(month.toordinal() + self.rng.randrange(7, 60))
        return f"{self._term()} date:[{month:%Y-%m-%d} TO {end:%Y-%m-%d}]"

    def _facet_filter(self) -> str:
        if self.rng.random() < 0.5:
            return f'{self.rng.choice(self.content)} source:"{self.rng.choice(self.sources)}"'
        kind = self.rng.choice(("person", "org", "place"))
        return f'{self.rng.choice(self.content)} {kind}:"{self.rng.choice(self.names[kind])}"'

    def _rare_word(self) -> str:
        return self.rng.choice(self.rare)

    def _misspelling(self) -> str | None:
        word = self.rng.choice(self.content)
        if len(word) < 6:
            return None
        at = self.rng.randrange(1, len(word) - 2)
        typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        if typo.lower() in self.vocabulary:
            return None
        return typo if self.rng.random() < 0.5 else f"{self.rng.choice(self.content)} {typo}"

    def _filters_only(self) -> str:
        month = self.rng.choice(self.months)
        if self.rng.random() < 0.5:
            return f'source:"{self.rng.choice(self.sources)}" date:{month:%Y-%m}'
        return f"date:{month:%Y-%m}"

    def _term(self) -> str:
        """A word or an entity name (quoted when it has several words)."""
        if self.rng.random() < 0.5:
            return self.rng.choice(self.content)
        name = self.rng.choice(self.all_names)
        return f'"{name}"' if " " in name else name


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if _plain(w)]


def _plain(text: str) -> bool:
    """Words every engine reads as words: letters and digits, no query operators."""
    return all(w.isalnum() and w not in _OPERATORS and "_" not in w for w in text.split()) and bool(text)


def _searchable(name: str) -> bool:
    """Whether a name holds a word an index keeps: searchlib refuses a query of stop words alone
    ("IT", "US") with a hint, and the other engines match nothing for one."""
    return any(len(w) >= 2 and w.lower() not in STOP_WORDS for w in name.split())


def _content(word: str) -> bool:
    return len(word) >= 4 and word.lower() not in _STOP and not word.isdigit()


def _without_filters(raw: str) -> str:
    """The query's words, without its ``date:`` part and the field names."""
    return re.sub(r"date:\S+( TO \S+)?|\b\w+:", " ", raw)


def summarise_kinds(kinds: Iterable[str]) -> str:
    """``entity 220, phrase 120, ...``: what the workload is made of."""
    counts = Counter(kinds)
    return ", ".join(f"{kind} {counts[kind]}" for kind in KINDS if counts[kind])
