"""Bulk writing for full builds: worker processes that each write whole segments.

Whoosh's multiprocessing writer gives each worker one segment for the whole build, so a
worker's term index and columns grow with the corpus. ``BulkWriter`` instead hands batches of
documents to ``procs`` worker processes, each of which starts a new segment every
``segment_docs`` documents and keeps at most ``limitmb`` MB of postings in memory before
spilling them to disk: a worker's memory is bounded by these two settings, not by the corpus.

Each worker writes with ``ArraySegmentWriter``: Whoosh's ``SegmentWriter`` for everything
per document (stored fields, lengths, columns, vectors), but its postings are gathered in
arrays and written in one pass in Whoosh's own format (``segment_postings``) instead of
through Whoosh's posting pool, which cost most of a build. A worker cuts a segment after
``segment_docs`` documents or when its postings reach ``limitmb`` MB, whichever comes first.
``LeanSegmentWriter`` (Whoosh's pool, field lengths read once per field instead of once per
posting) remains for a codec or schema the array writer does not handle.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import traceback
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.fields import FieldType
from whoosh.filedb.filestore import Storage
from whoosh.index import Index
from whoosh.util import random_name
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from searchlib.indexing.segment_postings import COMPRESS_MIN, FieldPostings, supports, write_postings

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

    def is_full(self, segment_docs: int) -> bool:
        """Whether this segment has its ``segment_docs`` documents."""
        return self.doc_count() >= segment_docs

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

    def array(self, fieldname: str) -> np.ndarray | None:
        """Each document's length of the field (0 for none), or None if the segment has no lengths for it."""
        column = f"_{fieldname}_len"
        if not self._reader.has_column(column):
            return None
        values = self._reader.column_reader(column, LENGTHS_COLUMN)
        return _BYTE_LENGTHS[np.fromiter(values, dtype=np.uint8, count=len(values))]

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
_BYTE_LENGTHS = np.array([0] + [byte_to_length(b) for b in range(1, 256)], dtype=np.int64)
"""A length column's byte -> the length Whoosh reads back (0 for the byte 0, which it reads as None)."""


class ArraySegmentWriter(LeanSegmentWriter):
    """``LeanSegmentWriter`` whose postings go to arrays and are written once (``segment_postings``).

    ``add_document`` does what ``SegmentWriter.add_document`` does for each field, except that a
    field's postings are appended to its ``FieldPostings`` instead of Whoosh's posting pool.
    """

    def __init__(self, ix: Index, *, limitmb: int, compress_min: int = COMPRESS_MIN, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        if not supports(self.codec, self.schema):
            self.cancel()
            raise ValueError(
                "ArraySegmentWriter writes W3Codec's default segments without spelling words only"
            )
        self.limit_bytes = limitmb * 1024 * 1024
        self.compress_min = compress_min
        self._postings: dict[str, FieldPostings] = {}

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                freqs = self._add_postings(
                    fieldname, field, value, self._field_boost(fields, fieldname, docboost)
                )
                if field.scorable:
                    length = freqs
            if field.vector:
                items = field.vector.word_values(value, field.analyzer, mode="index")
                perdocwriter.add_vector_items(
                    fieldname, field, sorted((text, weight, vbytes) for text, _, weight, vbytes in items)
                )
            stored = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
            if field.column_type and stored is not None:
                perdocwriter.add_column_value(fieldname, field.column_type, field.to_column_value(stored))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_postings(self, fieldname: str, field: FieldType, value: Any, boost: float) -> int:
        """Add the field's postings of the current document; the sum of their frequencies."""
        postings = self._postings.get(fieldname)
        if postings is None:
            postings = self._postings[fieldname] = FieldPostings()
        columns = _columns(field, value)
        if columns is not None:
            terms, freqs, weights, values, places = columns
            return (
                postings.add_columns(self.docnum, terms, freqs, weights, values, boost, places)
                if terms
                else 0
            )
        items = list(_index(field, value))
        return postings.add_document(self.docnum, items, boost) if items else 0

    def is_full(self, segment_docs: int) -> bool:
        """Whether this segment has ``segment_docs`` documents or ``limitmb`` MB of postings."""
        if super().is_full(segment_docs):
            return True
        return sum(field.nbytes() for field in self._postings.values()) >= self.limit_bytes

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = _Lengths(self.per_document_reader()) if self.codec.length_stats else None
        try:
            write_postings(
                self.fieldwriter,
                self.schema,
                self._postings,
                lengths.array if lengths is not None else _no_lengths,
                compress_min=self.compress_min,
            )
        finally:
            if lengths is not None:
                lengths.close()
        self._postings = {}
        self.fieldwriter.close()


def _columns(
    field: FieldType, value: Any
) -> tuple[list[str], list[int], list[float], list[bytes], list[list[int]]] | None:
    """The field's postings of ``value`` as columns, with each one's positions, if its format
    can give them (``FastPositions``)."""
    columns = getattr(field.format, "postings", None)
    if columns is None or type(field).index is not FieldType.index:
        return None
    return columns(value, field.analyzer)  # type: ignore[no-any-return]


def _index(field: FieldType, value: Any) -> Iterable[tuple[str | bytes, int, float, bytes | None]]:
    """``field.index(value)``, with terms as text where that is all it would do is encode them
    (``FieldPostings`` encodes each distinct term once instead of each posting)."""
    if type(field).index is FieldType.index and field.format and isinstance(value, (str, list, tuple)):
        return field.format.word_values(value, field.analyzer, mode="index")
    return field.index(value)


def _no_lengths(fieldname: str) -> None:
    return None


def segment_writer(ix: Index, *, limitmb: int) -> LeanSegmentWriter:
    """The fastest writer for a new segment of ``ix`` that handles its codec and schema."""
    try:
        return ArraySegmentWriter(ix, _lk=False, limitmb=limitmb)
    except ValueError:
        return LeanSegmentWriter(ix, _lk=False, limitmb=limitmb)


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
                    writer = segment_writer(ix, limitmb=settings["limitmb"])
                writer.add_document(**fields)
                if writer.is_full(settings["segment_docs"]):
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
