"""Bulk writing for full builds: worker processes that each write whole segments.

Whoosh's multiprocessing writer gives each worker one segment for the whole build, so a
worker's term index and columns grow with the corpus. ``BulkWriter`` instead hands batches of
documents to ``procs`` worker processes, each of which starts a new segment every
``segment_docs`` documents and keeps at most ``limitmb`` MB of postings in memory before
spilling them to disk: a worker's memory is bounded by these two settings, not by the corpus.

Each worker writes with ``LeanSegmentWriter``, Whoosh's ``SegmentWriter`` with one change to
its final step: the field lengths that go into each posting block are read once per field from
the segment's length columns instead of once per posting (Whoosh looks for a column file on
disk for every posting of a field that has no lengths). The segment's bytes are the same.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import traceback
from collections.abc import Sequence
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.filedb.filestore import Storage
from whoosh.index import Index
from whoosh.util import random_name
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

SEGMENT_DOCS = 50_000
"""Documents per segment a worker writes before starting the next one."""
BATCH_DOCS = 256
"""Documents per batch handed to a worker."""
_POLL = 1.0
"""Seconds between checks that the workers are still alive while waiting on them."""


class WorkerFailed(RuntimeError):
    """A writer process stopped without finishing its segments (killed, or out of memory)."""


class LeanSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with a private temporary folder and field lengths read once per field."""

    def __init__(self, ix: Index, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        # The default temporary folder is shared by every writer of the index, and the first
        # writer to finish would delete it under the others: each gets its own.
        self._tempstorage = self.storage.temp_storage(f"{self.indexname}-{random_name()}.tmp")
        self.pool.tempstore = self._tempstorage

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = _Lengths(self.per_document_reader()) if self.codec.length_stats else None
        try:
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        finally:
            if lengths is not None:
                lengths.close()
        self.fieldwriter.close()

    def finish(self) -> Any | None:
        """Close this writer: the finished segment, or None (and no files) if it has no documents."""
        if self.doc_count():
            segment = self._finalize_segment()
            self._finish()
            return segment
        self.cancel()
        return None


class _Lengths:
    """A segment's field lengths as lists in memory, for ``FieldWriter.add_postings``."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._fields: dict[str, list[int | None] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        lengths = self._fields.get(fieldname, _UNREAD)
        if lengths is _UNREAD:
            lengths = self._fields[fieldname] = self._read(fieldname)
        if lengths is None:
            return default
        return lengths[docnum]  # type: ignore[index]

    def _read(self, fieldname: str) -> list[int | None] | None:
        # Like W3PerDocReader.doc_field_length: no column gives the default, a 0 byte None.
        column = f"_{fieldname}_len"
        if not self._reader.has_column(column):
            return None
        values = self._reader.column_reader(column, LENGTHS_COLUMN)
        return [byte_to_length(b) if b else None for b in values]

    def close(self) -> None:
        self._reader.close()


_UNREAD: Any = object()


class BulkWriter(SegmentWriter):
    """Writes documents through ``procs`` worker processes; ``commit`` lists all their segments.

    Holds the index's write lock like any ``SegmentWriter``; adds no documents itself.
    """

    def __init__(
        self,
        ix: Index,
        *,
        procs: int,
        limitmb: int,
        segment_docs: int = SEGMENT_DOCS,
        batch_docs: int = BATCH_DOCS,
    ) -> None:
        super().__init__(ix, limitmb=limitmb)
        self.batch_docs = batch_docs
        context = multiprocessing.get_context()
        self._jobs: Any = context.Queue(maxsize=2 * procs)
        self._results: Any = context.Queue()
        settings = {"limitmb": limitmb, "segment_docs": segment_docs}
        self._workers = [
            context.Process(
                target=_work,
                args=(ix.storage, ix.indexname, self._jobs, self._results, settings),
                daemon=True,
            )
            for _ in range(max(1, procs))
        ]
        self._batch: list[dict[str, Any]] = []
        for worker in self._workers:  # now, while this process is small: a fork copies it
            worker.start()

    def add_document(self, **fields: Any) -> None:
        self._batch.append(fields)
        if len(self._batch) >= self.batch_docs:
            self._put(self._batch)
            self._batch = []

    def commit(self, *args: Any, **kwargs: Any) -> None:
        if self._batch:
            self._put(self._batch)
            self._batch = []
        segments: list[Any] = []
        for _ in self._workers:
            self._put(None)
        for _ in self._workers:
            segments.extend(self._collect())
        for worker in self._workers:
            worker.join()
        self._close_segment()
        self._commit_toc(segments)
        self._finish()

    def cancel(self) -> None:
        for worker in self._workers:
            if worker.is_alive():
                worker.terminate()
        for worker in self._workers:
            worker.join()
        super().cancel()

    def _put(self, item: list[dict[str, Any]] | None) -> None:
        while True:
            try:
                self._jobs.put(item, timeout=_POLL)
                return
            except queue.Full:
                self._check_workers()

    def _collect(self) -> Sequence[Any]:
        while True:
            try:
                ok, value = self._results.get(timeout=_POLL)
            except queue.Empty:
                self._check_workers()
                continue
            if not ok:
                raise value
            return value

    def _check_workers(self) -> None:
        for worker in self._workers:
            if not worker.is_alive() and worker.exitcode != 0:
                raise WorkerFailed(f"an index writer process stopped (exit code {worker.exitcode})")


def _work(storage: Storage, indexname: str, jobs: Any, results: Any, settings: dict[str, int]) -> None:
    """A worker: write each batch it is handed, a new segment every ``segment_docs`` documents."""
    segments: list[Any] = []
    writer = None
    try:
        ix = storage.open_index(indexname)
        for batch in iter(jobs.get, None):
            for fields in batch:
                if writer is None:
                    writer = LeanSegmentWriter(ix, _lk=False, limitmb=settings["limitmb"])
                writer.add_document(**fields)
                if writer.doc_count() >= settings["segment_docs"]:
                    segments.append(writer.finish())
                    writer = None
        if writer is not None:
            segments.append(writer.finish())
        results.put((True, [segment for segment in segments if segment is not None]))
    except BaseException as exc:  # reported to the parent, which raises it
        if writer is not None and not writer.is_closed:
            with contextlib.suppress(Exception):  # the first error is the one to report
                writer.cancel()
        results.put((False, _portable(exc)))


def _portable(exc: BaseException) -> BaseException:
    """The error to raise in the parent: an ``OSError`` as itself (a full disk is reported as
    such), anything else as ``WorkerFailed`` with the worker's traceback."""
    if isinstance(exc, OSError):
        return OSError(exc.errno, exc.strerror or str(exc), exc.filename)
    return WorkerFailed("an index writer process failed:\n" + "".join(traceback.format_exception(exc)))
