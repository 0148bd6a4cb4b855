"""Columns opened by ``indexing.column_readers`` read what Whoosh's own readers read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import columns
from whoosh.filedb.filestore import FileStorage

from searchlib import Searcher
from searchlib.indexing import schema as f
from searchlib.indexing.column_readers import (
    QuickCompressedBytesColumn,
    QuickVarBytesColumn,
    column_reader,
    quick,
)

VALUES = [b"", b"a", b"", b"longer value " * 40, b"\x00\xff", b"", b"z" * 70_000, b"last"]
"""Empty values (no offset step), a value past 65,535 bytes (a wider lengths array) and short ones."""


def _written(tmp_path: Path, column: columns.Column, values: list[Any], count: int) -> list[list[Any]]:
    """``values`` written as a column of ``count`` documents (the rest default), read back by
    Whoosh's reader and by the quick one: both lists, which must be equal."""
    storage = FileStorage(str(tmp_path))
    with storage.create_file("column") as handle:
        writer = column.writer(handle)
        for docnum, value in enumerate(values):
            if value:
                writer.add(docnum, value)
        writer.finish(count)
    length = storage.file_length("column")
    read = []
    for kind in (column, quick(column)):
        handle = storage.open_file("column")
        reader = kind.reader(handle, 0, length, count)
        read.append([reader[d] for d in range(count)])
        handle.close()
    return read


@pytest.mark.parametrize("cutoff", [2**15, 2], ids=["lengths only", "offsets stored"])
def test_variable_bytes_read_the_same(tmp_path: Path, cutoff: int) -> None:
    """With only lengths stored (segments of up to 32,768 documents) and with offsets."""
    whooshs, quicks = _written(tmp_path, columns.VarBytesColumn(write_offsets_cutoff=cutoff), VALUES, 10)
    assert quicks == whooshs
    assert quicks[:8] == VALUES and quicks[8:] == [b"", b""]


def test_compressed_and_pickled_columns_read_the_same(tmp_path: Path) -> None:
    """Whoosh's stored-fields kind (pickled, compressed) and the entities' kind (pickled)."""
    for column in (
        columns.PickleColumn(columns.CompressedBytesColumn()),
        columns.PickleColumn(columns.VarBytesColumn()),
    ):
        values = [{"a": 1}, None, [("person", "Ann Lee")], None]  # the column pickles them
        whooshs, quicks = _written(tmp_path, column, values, 5)
        assert quicks == whooshs == [{"a": 1}, None, [("person", "Ann Lee")], None, None]


def test_quick_keeps_the_wrapping_and_leaves_other_kinds_alone() -> None:
    kind = quick(columns.PickleColumn(columns.CompressedBytesColumn(level=5)))
    assert isinstance(kind, columns.PickleColumn)
    assert type(kind._child) is QuickCompressedBytesColumn and kind._child._level == 5
    assert type(quick(columns.VarBytesColumn())) is QuickVarBytesColumn
    numeric = columns.NumericColumn("i")
    assert quick(numeric) is numeric


def test_an_index_entity_column_reads_as_whooshs(index_dir: Path) -> None:
    with Searcher(index_dir) as searcher:
        reader = searcher._searcher.reader()
        whooshs, quicks = reader.column_reader(f.ENTITIES), column_reader(reader, f.ENTITIES)
        everything = range(reader.doc_count_all())
        assert [quicks[d] for d in everything] == [whooshs[d] for d in everything]
        assert any(quicks[d] for d in everything)
