"""Reading article files in parallel, in their order, for a full build.

Before a build's writer processes get any article, its main process reads every file twice:
the two ends of each for the page furniture, then the whole article, parsed and fingerprinted
for near-duplicates. In one process that was about half of a build's time, with the writers
idle and every other core too. A ``ReadingPool`` does these steps, which depend on one file
alone, in worker processes, and hands the results back in the order of the files: what the
build does with them next (claiming ids, counting names, clustering) sees the same sequence as
when it read them itself, so the index is the same.

At most ``IN_FLIGHT`` chunks of ``CHUNK_FILES`` files are read ahead of the consumer, so the
results waiting never hold more than a few hundred articles however slow the consumer is. A
worker that dies (killed, out of memory) stops the build with ``BrokenProcessPool``, never a
hang.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from typing import TypeVar

CHUNK_FILES = 32
"""Files per task: enough that a task's overhead (two pickles, a queue round trip) is small
next to reading and parsing its files."""
IN_FLIGHT_PER_PROCESS = 4
"""Chunks read ahead per worker process."""
MIN_FILES = 512
"""Fewer files are read in the build's own process: starting workers would cost more."""

In = TypeVar("In")
Out = TypeVar("Out")


class ReadingPool:
    """Maps a function over files in ``procs`` worker processes (none: in this process).

    The workers start on the first ``map`` that uses them, as forks of this process.
    """

    def __init__(self, procs: int) -> None:
        self.procs = procs
        self._executor: ProcessPoolExecutor | None = None

    def map(self, func: Callable[[In], Out], items: Iterable[In]) -> Iterator[Out]:
        """``func`` of each item, in order; the items are taken as the results are consumed."""
        if self.procs < 1:
            yield from map(func, items)
            return
        executor = self._start()
        found = iter(items)
        waiting: deque[Future[list[Out]]] = deque()
        while chunk := list(islice(found, CHUNK_FILES)):
            waiting.append(executor.submit(_each, func, chunk))
            if len(waiting) >= IN_FLIGHT_PER_PROCESS * self.procs:
                yield from waiting.popleft().result()
        while waiting:
            yield from waiting.popleft().result()

    def close(self) -> None:
        """Stop the workers (at once: any task still queued is dropped)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.procs, mp_context=multiprocessing.get_context())
        return self._executor


@contextmanager
def reading_pool(procs: int, files: int) -> Iterator[ReadingPool]:
    """A pool of ``procs`` workers for ``files`` files (none for fewer than ``MIN_FILES``),
    stopped when the block ends."""
    pool = ReadingPool(procs if files >= MIN_FILES else 0)
    try:
        yield pool
    finally:
        pool.close()


def _each(func: Callable[[In], Out], chunk: list[In]) -> list[Out]:
    return [func(item) for item in chunk]
