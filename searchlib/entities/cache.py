"""The NER cache: raw entity spans by the hash of the text they were found in.

NER is by far the slowest part of indexing (tens of articles per second), so its raw output is
kept in an SQLite file in the index folder (``entity-cache.sqlite``, beside the generation
folders, so a rebuild finds it). Keys are the hash of the exact text handed to NER and the
``NER_VERSION`` that produced the spans; what comes after NER (mention rules, canonical names,
aliases) is recomputed from the cached spans every time, so changing the aliases file never
invalidates the cache. Entries of other NER versions are dropped when the cache is opened for
writing. A damaged cache file is moved aside and started afresh: it only costs time.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from searchlib.entities.mentions import SpanLabel

CACHE_FILE = "entity-cache.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS spans (
    text_hash TEXT NOT NULL,
    version TEXT NOT NULL,
    spans TEXT NOT NULL,
    PRIMARY KEY (text_hash, version)
) WITHOUT ROWID
"""
_CHUNK = 500


def text_key(text: str) -> str:
    """The cache key of a text: a short, collision-resistant hash of its UTF-8 bytes."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class EntityCache:
    """Raw spans of texts seen before, for one NER version; use it as a context manager."""

    def __init__(self, path: Path | str, *, version: str) -> None:
        self.path = Path(path)
        self.version = version
        self._db = self._open()

    def __enter__(self) -> EntityCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_many(self, keys: Sequence[str]) -> dict[str, list[SpanLabel]]:
        """The cached spans of those ``keys`` that are in the cache."""
        found: dict[str, list[SpanLabel]] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT text_hash, spans FROM spans WHERE version = ? AND text_hash IN ({marks})",
                [self.version, *chunk],
            )
            for key, spans in rows:
                found[key] = [(int(s), int(e), str(label)) for s, e, label in json.loads(spans)]
        return found

    def put_many(self, items: Mapping[str, Iterable[SpanLabel]]) -> None:
        """Store the spans of new texts (one transaction)."""
        rows = [(key, self.version, json.dumps(list(spans))) for key, spans in items.items()]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO spans VALUES (?, ?, ?)", rows)

    def __len__(self) -> int:
        (count,) = self._db.execute("SELECT COUNT(*) FROM spans WHERE version = ?", [self.version]).fetchone()
        return int(count)

    def close(self) -> None:
        self._db.close()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.DatabaseError:
            self.path.replace(self.path.with_suffix(".damaged"))
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(_SCHEMA)
        with db:
            db.execute("DELETE FROM spans WHERE version != ?", [self.version])
        return db
