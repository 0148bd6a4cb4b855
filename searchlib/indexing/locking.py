"""One writer at a time: an exclusive lock on a file in the index folder.

Builds and updates hold ``searchlib.lock`` (``fcntl.flock``) for as long as they write; searches
never take it, so readers never wait. The kernel releases a flock when its holder dies, however
it dies (SIGKILL included), so a lock left by a dead process is recovered without any clean-up
or stale-pid guessing. The holder writes its pid into the file only so that the message a waiting
writer gets can say who holds the lock.

A flock belongs to the open file, which a forked child shares: Whoosh's multiprocessing writer
forks workers while the lock is held, and if the writer was then SIGKILLed those orphans would
keep the index locked for ever (they wait on a queue nobody feeds). So a process forked while
this process holds the lock closes its copy of the descriptor at once and, on Linux, is killed
when its parent dies (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from searchlib.errors import IndexLocked, IndexNotFound

LOCK_FILE = "searchlib.lock"
DEFAULT_LOCK_TIMEOUT = 10.0
"""Seconds a writer waits for another one to finish before giving up with ``IndexLocked``."""

WATCH_LOCK_FILE = "watches.lock"
WATCH_LOCK_TIMEOUT = 60.0
"""Seconds a saved-search command waits for another one (a run searches every saved query)."""
WAIT_HINT = ", or wait longer (`--wait SECONDS`)"

_POLL_SECONDS = 0.05
_PR_SET_PDEATHSIG = 1

_HELD: set[int] = set()
"""Descriptors of the locks this process holds: module state only because a fork hook (which
takes no arguments) must find them."""


@contextmanager
def write_lock(index_dir: Path, *, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the index folder's write lock, waiting up to ``timeout`` seconds for it.

    Raises ``IndexLocked`` when another live process still holds it after that.
    """
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    with _locked(index_dir, LOCK_FILE, timeout=timeout, busy="is writing the index", hint=WAIT_HINT):
        yield


@contextmanager
def watch_lock(index_dir: Path, *, timeout: float = WATCH_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the saved searches' lock (``watches.lock``), so that their file is read, changed and
    written by one command at a time: two ``watch run`` at once never report an article twice,
    and a ``watch add`` during a run is not lost. Separate from the write lock, so that saved
    searches neither wait for an update nor hold one up. ``IndexNotFound`` without the folder.
    """
    if not Path(index_dir).is_dir():
        raise IndexNotFound(f"no index at {index_dir}: build one first (`searchlib index CORPUS`)")
    with _locked(index_dir, WATCH_LOCK_FILE, timeout=timeout, busy="is using the saved searches", hint=""):
        yield


@contextmanager
def _locked(index_dir: Path, name: str, *, timeout: float, busy: str, hint: str) -> Iterator[None]:
    index_dir = Path(index_dir)
    path = index_dir / name
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, index_dir=index_dir, timeout=timeout, busy=busy, hint=hint)
        _HELD.add(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        _HELD.discard(fd)
        os.close(fd)  # closing the last descriptor of the open file releases the flock


def _acquire(fd: int, path: Path, *, index_dir: Path, timeout: float, busy: str, hint: str) -> None:
    deadline = time.monotonic() + max(0.0, timeout)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise IndexLocked(
                    f"another process{_holder(path)} {busy} at {index_dir} and did not "
                    f"finish within {timeout:g} s: try again when it is done{hint}"
                ) from None
            time.sleep(min(_POLL_SECONDS, remaining))


def _holder(path: Path) -> str:
    """`` (pid 123)`` when the lock file names its holder."""
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


def _after_fork_in_child() -> None:
    """In a child forked by a writer: let go of the writer's lock and die with the writer."""
    if not _HELD:
        return
    for fd in list(_HELD):
        with suppress(OSError):
            os.close(fd)
    _HELD.clear()
    with suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


os.register_at_fork(after_in_child=_after_fork_in_child)
