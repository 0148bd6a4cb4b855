"""Pickles whose numpy arrays are read in place from a memory-mapped file, not copied.

A joined facet table of a million documents is 233 MB, nearly all of it arrays; unpickling
it copied every byte before a search could count a single match (0.15-0.43 s of a cold
``search``). Pickle protocol 5 hands large buffers to the caller instead of writing them into
the pickle (PEP 574), and numpy's arrays take part. Here those buffers are written after the
pickle, each aligned, and read back as views of one ``mmap`` of the file: loading reads the
small pickle (vocabularies, shapes), and the operating system pages in only the parts of the
arrays a query touches. The arrays come back read-only, as a saved table should be.

File layout: ``MAGIC``, then the pickle's length and the number of buffers (two little-endian
unsigned 64-bit integers), each buffer's offset and length (two more each), the pickle, and
the buffers at their offsets. A file that does not start with ``MAGIC`` is an ordinary pickle
(as written by earlier versions) and is read as one.
"""

from __future__ import annotations

import mmap
import pickle
import struct
from pathlib import Path
from typing import Any, BinaryIO

MAGIC = b"SLMAPPK1"
"""The first bytes of a mapped pickle (an ordinary protocol 2+ pickle starts with ``\\x80``)."""
ALIGNMENT = 64
"""Buffers start at multiples of this, so that every array's items are aligned."""
_COUNTS = struct.Struct("<QQ")
_SPAN = struct.Struct("<QQ")


def dump(value: Any, handle: BinaryIO) -> None:
    """Write ``value`` to ``handle`` (at its start), its large buffers after the pickle."""
    buffers: list[pickle.PickleBuffer] = []
    data = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    views = [buffer.raw() for buffer in buffers]
    position = _aligned(len(MAGIC) + _COUNTS.size + _SPAN.size * len(views) + len(data))
    spans = []
    for view in views:
        spans.append((position, view.nbytes))
        position = _aligned(position + view.nbytes)
    handle.write(MAGIC + _COUNTS.pack(len(data), len(views)))
    handle.write(b"".join(_SPAN.pack(*span) for span in spans))
    handle.write(data)
    written = len(MAGIC) + _COUNTS.size + _SPAN.size * len(spans) + len(data)
    for (offset, _size), view in zip(spans, views, strict=True):
        handle.write(b"\0" * (offset - written))
        handle.write(view)
        written = offset + view.nbytes


def load(path: Path) -> Any:
    """The value saved at ``path`` by ``dump``, its arrays mapped from the file (or an
    ordinary pickle's value). Raises what ``pickle.load`` raises for a damaged file, and
    ``ValueError`` for a mapped pickle cut short."""
    with open(path, "rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            handle.seek(0)
            return pickle.load(handle)
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    whole = memoryview(mapped)
    size = len(mapped)
    try:
        data_length, count = _COUNTS.unpack_from(whole, len(MAGIC))
        start = len(MAGIC) + _COUNTS.size
        spans = [_SPAN.unpack_from(whole, start + i * _SPAN.size) for i in range(count)]
        data_start = start + count * _SPAN.size
        if data_start + data_length > size or any(offset + length > size for offset, length in spans):
            raise ValueError(f"{path} is shorter than its header says")
        buffers = [whole[offset : offset + length] for offset, length in spans]
        return pickle.loads(whole[data_start : data_start + data_length], buffers=buffers)
    except struct.error as error:
        raise ValueError(f"{path} is shorter than its header says") from error
    finally:
        whole.release()  # the arrays keep their own views of the map


def _aligned(position: int) -> int:
    return -(-position // ALIGNMENT) * ALIGNMENT
