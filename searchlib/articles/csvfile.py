"""CSV exports (Kaggle-style news dumps: ``title, content, date, publication, url``).

Python's ``csv`` module reads the rows as they stream past, quoted fields spanning many lines
included, so a file of hundreds of megabytes costs the memory of one row. The first line is the
header; its delimiter (comma, semicolon, tab or bar) is the one it uses most. A byte order mark
is dropped and bytes that are not UTF-8 are replaced, never fatal. A row is named by its row
number as a spreadsheet shows it (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator

from searchlib.articles.fields import as_text, pick
from searchlib.articles.records import (
    Container,
    Record,
    article_from_mapping,
    bad_record,
    digest_of,
    record_key,
)
from searchlib.errors import ArticleError
from searchlib.models import Article

_DELIMITERS = ",;\t|"


class CsvFile(Container):
    """The records of a CSV (or ``.tsv``) file with a header row."""

    def _records(self, stream: io.BufferedReader) -> Iterator[Record]:
        _allow_fields_of(self.max_bytes)
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
        try:
            yield from self._rows(text)
        finally:
            text.detach()  # the stream goes on to be hashed to its end (``Container``)

    def _rows(self, text: io.TextIOWrapper) -> Iterator[Record]:
        header_line = text.readline()
        if not header_line.strip():
            raise ArticleError("empty file, or no header row")
        delimiter = "\t" if self.path.suffix.lower() == ".tsv" else _delimiter_of(header_line)
        header = next(csv.reader([header_line], delimiter=delimiter))
        keys = [key.strip() for key in header]
        self.fields.check_keys(keys, what=f"{self.path.name}'s header row")
        rows = csv.reader(text, delimiter=delimiter)
        row_number = 1
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:  # a field over the limit; the reader goes on after it
                row_number += 1
                yield bad_record(f"row {row_number}", f"unreadable ({exc})")
                continue
            row_number += 1
            if not any(cell.strip() for cell in row):
                continue
            yield self._record(keys, row, row_number)

    def _record(self, keys: list[str], row: list[str], number: int) -> Record:
        where = f"row {number}"
        if len(row) > len(keys):
            return bad_record(where, f"{len(row)} fields where the header names {len(keys)}")
        value = dict(zip(keys, row, strict=False))
        url = as_text(pick(value, self.fields.url))
        own = pick(value, self.fields.id)
        doc_id, origin = record_key(self.path, own_id=own, url=url, position=f"R{number}", where=where)
        raw = "\x1f".join(row).encode("utf-8", errors="replace")

        def read() -> Article:
            return article_from_mapping(value, fields=self.fields, id=doc_id, path=self.path, origin=origin)

        return Record(id=doc_id, origin=origin, content_hash=digest_of(raw), read=read, where=where)


def _delimiter_of(header_line: str) -> str:
    """The delimiter the header uses most (a comma when it uses none: a one-column file)."""
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _allow_fields_of(max_bytes: int) -> None:
    """Raise the ``csv`` module's field limit (128 KB: less than a long article) to the article
    size limit. The limit is the module's one setting for the whole process; only raised."""
    wanted = min(max_bytes, sys.maxsize)
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)
