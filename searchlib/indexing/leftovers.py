"""A command that fails leaves nothing behind: no index folder holding only a lock file.

The write lock lives in the index folder, so taking it creates the folder; a build that then
fails (a missing corpus, ``update`` with no index) would leave a folder that looks like an
index to the next command and to the user. Folders that existed before are never touched.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from searchlib.indexing.locking import LOCK_FILE


@contextlib.contextmanager
def removed_if_failed(index_dir: Path) -> Iterator[None]:
    """Remove ``index_dir`` again if it is new and the block fails leaving only the lock file."""
    existed = index_dir.exists()
    try:
        yield
    except BaseException:
        if not existed:
            _remove_if_only_lock(index_dir)
        raise


def _remove_if_only_lock(index_dir: Path) -> None:
    with contextlib.suppress(OSError):  # another process may have started writing meanwhile
        if {entry.name for entry in index_dir.iterdir()} <= {LOCK_FILE}:
            (index_dir / LOCK_FILE).unlink(missing_ok=True)
            index_dir.rmdir()
