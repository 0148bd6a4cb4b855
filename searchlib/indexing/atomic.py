"""Replacing a small file so that readers see the old version or the new one, never half.

The manifest and the sidecars beside each generation (file table, cluster table, facet
tables, saved searches) are all written this way: to a temporary file in the same folder,
flushed to disk, then renamed over the old one. A writer killed midway leaves only a temporary
file named with ``prefix``, which the next writer removes.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO


def write_atomically(path: Path, data: bytes, *, prefix: str) -> None:
    """Replace ``path`` with ``data`` in one rename, readable like the index's other files."""
    with replacing(path, prefix=prefix) as handle:
        handle.write(data)


@contextmanager
def replacing(path: Path, *, prefix: str) -> Iterator[BinaryIO]:
    """A handle to stream ``path``'s new content into; ``path`` is replaced when the block ends
    without an error (and left as it was otherwise). For sidecars too big to hold in memory."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; the index is not
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomically(path: Path, value: Any, *, prefix: str, **dump_options: Any) -> None:
    """``write_atomically`` of ``value`` as UTF-8 JSON (``dump_options`` go to ``json.dumps``)."""
    write_atomically(path, json.dumps(value, **dump_options).encode("utf-8"), prefix=prefix)
