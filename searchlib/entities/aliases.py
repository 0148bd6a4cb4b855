"""The aliases file: which names are one real entity, under which canonical name and type.

A TOML file of ``[[entity]]`` tables, each with a canonical ``name``, a ``type`` (person, org,
place or misc) and a list of ``aliases``::

    [[entity]]
    name = "Hashed al-Shaabi"
    type = "org"
    aliases = ["Hashd al-Shaabi", "Popular Mobilisation Forces", "PMF"]

searchlib ships a starter file for Middle East news (``searchlib/data/aliases.toml``); a user's
file is read on top of it, and an entry of the user's file replaces a starter entry that shares
any of its names. An entity named in the file always keeps the file's type. Names match without
regard to case, accents, dots or the kind of apostrophe or dash.

``AliasTable.fingerprint`` changes whenever the effective aliases (or the rules that apply them)
change; it is part of ``EntityExtractor.fingerprint``, which the index records, so
``searchlib update`` re-applies changed aliases to every article, from the entity cache, without
running NER again.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

from searchlib.errors import ConfigError
from searchlib.models import ENTITY_TYPES, EntityType

STARTER_NAME = "aliases.toml"
RULES_VERSION = "rules-23"
"""Part of the fingerprint: change it when the mention rules or canonicalisation change output
(``mentions``, ``canonical``), so an update finds every article's entities again, from the cache."""

_ENTRY_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*entity[ \t]*\]\]", re.MULTILINE)
_FOLD_PUNCT = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "`": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-"}
)


@dataclass(frozen=True)
class AliasEntry:
    """One real entity of the aliases file."""

    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name first, then the aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class AliasTable:
    """Entries by every folded name they go by; ``lookup`` answers for a name seen in text."""

    entries: tuple[AliasEntry, ...] = ()
    sources: tuple[str, ...] = ()
    user_file: str | None = None
    """The user's aliases file these entries were read from (beside the starter), if any."""
    _by_name: dict[str, AliasEntry] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        by_name: dict[str, AliasEntry] = {}
        for entry in self.entries:
            for name in entry.names:
                by_name.setdefault(fold_name(name), entry)
        object.__setattr__(self, "_by_name", by_name)

    def lookup(self, name: str) -> AliasEntry | None:
        """The entry one of whose names is ``name`` (folded), if any."""
        return self._by_name.get(fold_name(name))

    def lookup_spelling(self, name: str) -> AliasEntry | None:
        """The entry one of whose names ``name`` writes but for hyphens, spaces and an Arabic
        article inside it ("Jeish Al Fatah" of "Jeish al-Fatah"; ``names.spelling_key``)."""
        from searchlib.entities.names import spelling_key

        return self._by_spelling.get(spelling_key(name))

    @cached_property
    def _by_spelling(self) -> dict[str, AliasEntry]:
        from searchlib.entities.names import spelling_key

        by_spelling: dict[str, AliasEntry] = {}
        for entry in self.entries:
            for name in entry.names:
                by_spelling.setdefault(spelling_key(name), entry)
        return by_spelling

    def find_phrases(self, text: str) -> list[tuple[int, int, AliasEntry]]:
        """Where ``text`` writes a name of the file of two words or more, in any case but
        beginning with a capital ("Islamic State in Iraq and the Levant", "Hezbollah Brigades"),
        left to right, longest first; one-word names are left to the model (many are words too).
        """
        found = []
        for match in self._phrase_pattern.finditer(text):
            entry = self.lookup(" ".join(match.group().split()))
            if entry is not None and match.group()[:1].isupper():
                found.append((match.start(), match.end(), entry))
        return found

    @cached_property
    def _phrase_pattern(self) -> re.Pattern[str]:
        """One pattern for every name of two words or more, longest first (made on first use)."""
        names = sorted(
            {n for e in self.entries for n in e.names if len(n.split()) > 1}, key=len, reverse=True
        )
        body = "|".join(r"\s+".join(map(re.escape, n.split())) for n in names) or "(?!)"
        return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)

    @property
    def fingerprint(self) -> str:
        """A short hash of the effective entries and of the rules that apply them."""
        payload = json.dumps(
            [RULES_VERSION, sorted([e.name, e.type, sorted(e.aliases)] for e in self.entries)],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def merged_with(self, other: AliasTable) -> AliasTable:
        """This table with ``other``'s entries added; an entry of ``other`` replaces any here
        that shares one of its names."""
        taken = {fold_name(n) for entry in other.entries for n in entry.names}
        kept = [e for e in self.entries if not any(fold_name(n) in taken for n in e.names)]
        return AliasTable(entries=(*kept, *other.entries), sources=(*self.sources, *other.sources))


def load_aliases(path: Path | str | None = None, *, starter: bool = True) -> AliasTable:
    """The effective aliases: the shipped starter file (unless ``starter`` is false) and ``path``.

    ``ConfigError`` names the file and line of anything wrong in either.
    """
    table = AliasTable()
    if starter:
        text = resources.files("searchlib").joinpath("data", STARTER_NAME).read_text(encoding="utf-8")
        table = parse_aliases(text, source=f"searchlib/data/{STARTER_NAME}")
    if path is not None:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"no aliases file at {path}: create it or leave out --aliases") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read the aliases file {path}: {exc}") from None
        table = replace(
            table.merged_with(parse_aliases(text, source=str(path))), user_file=str(path.resolve())
        )
    return table


def parse_aliases(text: str, *, source: str = "aliases.toml") -> AliasTable:
    """Parse the text of an aliases file; ``ConfigError`` says which line is wrong and how."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: {exc}: fix the TOML syntax there") from None
    unknown = sorted(set(data) - {"entity"})
    if unknown:
        raise ConfigError(
            f"{source}: unknown key {unknown[0]!r}: an aliases file holds only [[entity]] tables"
        )
    tables = data.get("entity", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{source}: 'entity' must be written as [[entity]] tables")
    places = _Places(text, source)
    entries = [_entry(table, places.at(i)) for i, table in enumerate(tables)]
    _check_unique(entries, [places.at(i, "aliases") for i in range(len(entries))])
    return AliasTable(entries=tuple(entries), sources=(source,))


class _Places:
    """Where each ``[[entity]]`` table and its keys are in the file, for error messages."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        starts = [m.start() for m in _ENTRY_HEADER.finditer(text)]
        self.blocks = list(zip(starts, [*starts[1:], len(text)], strict=False))

    def at(self, index: int, key: str | None = None) -> _Where:
        return _Where(self, index, key)

    def line(self, index: int, key: str | None) -> int:
        if index >= len(self.blocks):
            return 1
        start, end = self.blocks[index]
        if key is not None:
            found = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.MULTILINE).search(self.text, start, end)
            if found:
                start = found.start()
        return self.text.count("\n", 0, start) + 1


@dataclass(frozen=True)
class _Where:
    places: _Places
    index: int
    key: str | None = None

    def __call__(self, key: str | None = None) -> str:
        """``file, line N`` of the entry, or of one of its keys."""
        line = self.places.line(self.index, key or self.key)
        return f"{self.places.source}, line {line}"


@lru_cache(maxsize=1 << 16)
def fold_name(name: str) -> str:
    """The form names are compared in: case, accents, dots, quotes and spacing folded.

    Memoised: the same few thousand names are folded again for every article. Most names are
    ASCII, with nothing to decompose (a million-article archive folds millions of them)."""
    if name.isascii():
        return " ".join(name.translate(_FOLD_PUNCT).replace(".", "").casefold().split())
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD_PUNCT))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace(".", "").casefold().split())


def _entry(table: Any, where: _Where) -> AliasEntry:
    if not isinstance(table, dict):
        raise ConfigError(f"{where()}: each [[entity]] must be a table")
    extra = sorted(set(table) - {"name", "type", "aliases"})
    if extra:
        raise ConfigError(f"{where(extra[0])}: unknown key {extra[0]!r}: use name, type and aliases")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f'{where("name")}: the entity has no name: add name = "..."')
    kind = table.get("type")
    if kind not in ENTITY_TYPES:
        raise ConfigError(
            f"{where('type')}: {name!r} has type {kind!r}: use one of {', '.join(ENTITY_TYPES)}"
        )
    aliases = table.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ConfigError(
            f'{where("aliases")}: aliases of {name!r} must be a list of names: aliases = ["...", "..."]'
        )
    cleaned = _distinct(" ".join(a.split()) for a in aliases)
    return AliasEntry(" ".join(name.split()), cast(EntityType, kind), tuple(a for a in cleaned if a != name))


def _check_unique(entries: Sequence[AliasEntry], places: Sequence[_Where]) -> None:
    """A name may belong to one entry only, or lookups would depend on file order."""
    owner: dict[str, str] = {}
    for entry, where in zip(entries, places, strict=True):
        for name in entry.names:
            key = fold_name(name)
            if key in owner and owner[key] != entry.name:
                raise ConfigError(
                    f"{where()}: {name!r} is already a name of {owner[key]!r}: keep it in one entry"
                )
            owner[key] = entry.name


def _distinct(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(fold_name(name), name)
    return list(seen.values())
