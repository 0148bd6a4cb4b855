"""One-line messages for an index folder that cannot be written, saying the right cure.

A write fails for want of permission (a read-only folder or disk) or of space, and the two
need different fixes: "free some disk space" is wrong advice for a folder owned by another
user. The message also says what is left: the last committed state, or nothing when a first
build failed.
"""

from __future__ import annotations

import errno
from pathlib import Path

from searchlib.errors import IndexWriteError

NO_PERMISSION = (errno.EACCES, errno.EPERM, errno.EROFS)
NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def write_error(folder: Path, exc: OSError, *, what: str, left: str, retry: str) -> IndexWriteError:
    """``cannot write WHAT at FOLDER: REASON; LEFT: CURE and run `RETRY` again``."""
    reason = exc.strerror or str(exc)
    if exc.errno in NO_PERMISSION:
        denied = Path(exc.filename).parent if isinstance(exc.filename, str) else folder
        cure = f"make {denied} writable for this user (or pass another --index)"
    elif exc.errno in NO_SPACE:
        cure = "free some disk space"
    else:
        cure = "fix that"
    return IndexWriteError(
        f"cannot write {what} at {folder}: {reason}; {left}: {cure} and run `{retry}` again"
    )
