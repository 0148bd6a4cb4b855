"""Articles read, with their own entities, held on disk until the archive's entities are decided.

Every article is written to the index once, under the entities the whole archive resolves
(``resolution``), and that resolution needs every article's own entities first. So a build or
an update reads each article once, finds its entities, counts them, and puts the article here;
when all are counted, the articles are written from here in the order they were read. Reading
the files a second time instead would cost as much again on a slow disk, and a file changed
in between would be written with entities that were never counted.

The articles wait in an anonymous temporary file in the index's folder (on Linux it has no
name from the start): it takes the space of the articles, compressed, while the build runs and
nothing after, however the process ends, even by SIGKILL. Memory holds one batch at a time.
"""

from __future__ import annotations

import pickle
import struct
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from searchlib.entities.resolve import LocalEntity
from searchlib.models import Article

COMPRESSION = 1
"""zlib level: news text shrinks about three times at level 1, and level 1 is the fastest."""
_HEADER = struct.Struct("<Q")


@dataclass(frozen=True)
class PendingArticle:
    """An article read and not yet written: what writing it needs."""

    article: Article
    content_hash: str
    local: tuple[LocalEntity, ...]
    """Its own entities, before the archive's resolution (``ENTITY_LOCAL``)."""


class PendingArticles:
    """A sequence of ``PendingArticle`` batches on disk, read back in the order added.

    Use it as a context manager: the file is closed (and so gone) when the block ends.
    """

    def __init__(self, folder: Path | str) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(dir=folder, prefix=".pending-")  # noqa: SIM115
        self.count = 0

    def __enter__(self) -> PendingArticles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, batch: Sequence[PendingArticle]) -> None:
        """Append a batch (kept together: it is read back whole)."""
        if not batch:
            return
        data = zlib.compress(pickle.dumps(list(batch), protocol=pickle.HIGHEST_PROTOCOL), COMPRESSION)
        self._file.write(_HEADER.pack(len(data)) + data)
        self.count += len(batch)

    def __iter__(self) -> Iterator[PendingArticle]:
        """Every article added, in order (the file is read from its start each time)."""
        self._file.flush()
        self._file.seek(0)
        while header := self._file.read(_HEADER.size):
            (size,) = _HEADER.unpack(header)
            yield from pickle.loads(zlib.decompress(self._file.read(size)))
        self._file.seek(0, 2)  # further batches go to the end

    def __len__(self) -> int:
        return self.count

    def close(self) -> None:
        self._file.close()
