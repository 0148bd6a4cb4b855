"""The archive's entity resolution on disk, read one name at a time.

A searcher expands a query naming "Sergei Lavrov" with the other names of his entity, and
``searchlib entities`` shows the type votes of twenty entities: a handful of names each. The
resolution covers every name of the archive (about 50 bytes an article in JSON, 45 MB at a
million articles), so parsing it whole at every cold ``search`` costs seconds and a copy in
every process. It is saved instead as an SQLite file (``RESOLUTION_TABLE``, in the generation
folder, beside the index it describes) with two tables keyed for the two questions asked of it:

- ``targets``: a folded name -> the canonical name and type of its entity;
- ``entities``: a canonical (type, name) -> its other names and type votes, as JSON;

and ``meta`` holding the index commit it was made for. SQLite, in the standard library, reads
a key through its B-tree in a few pages; the whole file is never parsed. It is written to a
temporary file in the folder and renamed over the old one, so a reader sees the old table or
the new, never half of one; readers open it read-only and immutable (it is never changed in
place, only replaced). Indexes from before keep ``entity-resolution.json``
(``LEGACY_RESOLUTION_FILE``), still read; the next resolution saved replaces it by the table.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
from contextlib import closing
from pathlib import Path

from searchlib.entities.aliases import fold_name
from searchlib.entities.lookup import EntityLookup, Resolution, ResolvedName
from searchlib.models import EntityType

RESOLUTION_TABLE = "entity-resolution.sqlite"
LEGACY_RESOLUTION_FILE = "entity-resolution.json"
"""Where indexes made before the table kept the resolution (loaded whole)."""
RESOLUTION_PREFIX = ".resolution-"
"""The start of the name of a resolution file being written (debris if a writer was killed)."""
FORMAT = 1
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE targets (name TEXT PRIMARY KEY, entity TEXT NOT NULL, type TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entities (
    type TEXT NOT NULL, name TEXT NOT NULL, names TEXT NOT NULL, votes TEXT NOT NULL,
    position INTEGER NOT NULL, PRIMARY KEY (type, name)
) WITHOUT ROWID;
"""


def save_table(folder: Path, resolution: Resolution, *, generation: int) -> None:
    """Replace the folder's resolution by ``resolution``, made for the index commit ``generation``
    (and remove the JSON file of an index from before the table)."""
    fd, tmp = tempfile.mkstemp(prefix=RESOLUTION_PREFIX, suffix=".sqlite", dir=folder)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        try:
            db.execute("PRAGMA journal_mode=OFF")  # a new file, renamed into place only when whole
            db.executescript(_SCHEMA)
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("format", FORMAT), ("generation", generation), ("targets", len(resolution.targets))],
            )
            db.executemany(
                "INSERT INTO targets VALUES (?, ?, ?)",
                ((key, name, kind) for key, (name, kind) in sorted(resolution.targets.items())),
            )
            db.executemany(
                "INSERT INTO entities VALUES (?, ?, ?, ?, ?)",
                (
                    (e.type, e.name, _dumps(list(e.names)), _dumps([list(v) for v in e.votes]), position)
                    for position, e in sorted(
                        enumerate(resolution.entities), key=lambda i: (i[1].type, i[1].name)
                    )
                ),
            )
            db.commit()
        finally:
            db.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; the index is not
        os.replace(tmp, folder / RESOLUTION_TABLE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    (folder / LEGACY_RESOLUTION_FILE).unlink(missing_ok=True)


def open_table(folder: Path) -> EntityLookup:
    """The saved resolution of a generation folder, to look names up in: the table, the JSON
    file of an index from before it, or an empty resolution if there is neither (names are then
    searched as written) or it cannot be read."""
    path = folder / RESOLUTION_TABLE
    if path.is_file():
        try:
            return ResolutionTable(path)
        except sqlite3.DatabaseError:
            return Resolution()
    return _legacy(folder)


def saved_generation(folder: Path) -> int | None:
    """The index commit the folder's saved resolution was made for (None: none saved)."""
    path = folder / RESOLUTION_TABLE
    if not path.is_file():
        return _legacy(folder).generation
    try:
        with closing(_connect(path)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return int(row[0]) if row and row[0] is not None else None


def load_whole(folder: Path) -> Resolution:
    """The folder's saved resolution read whole into memory (to compare or copy it; a search
    looks names up with ``open_table``)."""
    path = folder / RESOLUTION_TABLE
    if not path.is_file():
        return _legacy(folder)
    with closing(_connect(path)) as db:
        targets = {
            k: (n, t) for k, n, t in db.execute("SELECT name, entity, type FROM targets ORDER BY name")
        }
        entities = tuple(
            _entity(*row)
            for row in db.execute("SELECT type, name, names, votes FROM entities ORDER BY position")
        )
        (generation,) = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return Resolution(targets=targets, entities=entities, generation=generation)  # type: ignore[arg-type]


class ResolutionTable(EntityLookup):
    """A saved resolution read name by name. One connection, shared by a searcher's threads."""

    def __init__(self, path: Path) -> None:
        self._db = _connect(path)
        self._lock = threading.Lock()
        row = self._one("SELECT value FROM meta WHERE key = 'targets'")
        self._empty = not row or not row[0]

    def target(self, name: str) -> tuple[str, EntityType] | None:
        row = self._one("SELECT entity, type FROM targets WHERE name = ?", fold_name(name))
        return (row[0], row[1]) if row else None

    def entity(self, kind: str, name: str) -> ResolvedName | None:
        row = self._one(
            "SELECT type, name, names, votes FROM entities WHERE type = ? AND name = ?", kind, name
        )
        return _entity(*row) if row else None

    def empty(self) -> bool:
        return self._empty

    def close(self) -> None:
        self._db.close()

    def _one(self, sql: str, *values: str) -> tuple[str, ...] | None:
        with self._lock:
            return self._db.execute(sql, values).fetchone()  # type: ignore[no-any-return]


def _legacy(folder: Path) -> Resolution:
    try:
        return Resolution.from_json((folder / LEGACY_RESOLUTION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return Resolution()


def _entity(kind: str, name: str, names: str, votes: str) -> ResolvedName:
    return ResolvedName(name, kind, tuple(json.loads(names)), tuple((t, n) for t, n in json.loads(votes)))  # type: ignore[arg-type]


def _connect(path: Path) -> sqlite3.Connection:
    """A read-only connection; ``immutable``: the file is replaced, never written in place, so
    no lock is taken (a searcher on a read-only copy of an index reads it too)."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
