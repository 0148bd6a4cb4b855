"""JSON Lines files: one article per line, as scrapers (news-please) and data sets write them.

Read a line at a time, so a file of any size costs the memory of its longest line (at most
``max_bytes``). A line that is not a JSON object is reported with its number and the rest of
the file is still read. A ``.json`` file that holds one array of objects (or one object) is
read whole when it is under ``max_bytes``; a larger one must be JSON Lines.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

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

_WHITESPACE = b" \t\r\n\xef\xbb\xbf"
"""Blank bytes, with a UTF-8 byte order mark."""


class JsonLinesFile(Container):
    """The records of a JSON Lines file (``.jsonl``, ``.ndjson``, and ``.json`` holding lines)."""

    def _records(self, stream: io.BufferedReader) -> Iterator[Record]:
        head = stream.peek(64)[:64].lstrip(_WHITESPACE)
        if self.path.suffix.lower() == ".json" and head.startswith(b"["):
            yield from self._array(stream)
            return
        checked = False
        for number, line in self._lines(stream):
            where = f"line {number}"
            if line is None:
                yield bad_record(where, f"longer than the limit of {self.max_bytes:,} bytes")
                continue
            try:
                value = json.loads(line)
            except (ValueError, RecursionError) as exc:
                yield bad_record(where, f"not JSON ({str(exc)[:80]})")
                continue
            if not isinstance(value, dict):
                yield bad_record(where, f"a JSON {type(value).__name__}, not an object")
                continue
            if not checked:
                self.fields.check_keys(value, what=f"{self.path.name} {where}")
                checked = True
            yield self._record(value, where, position=f"L{number}", raw=line)

    def _lines(self, stream: io.BufferedReader) -> Iterator[tuple[int, bytes | None]]:
        """(line number, the line's bytes) of each non-blank line; None for one over the limit."""
        number = 0
        while True:
            line = stream.readline(self.max_bytes + 1)
            if not line:
                return
            number += 1
            if len(line) > self.max_bytes and not line.endswith(b"\n"):
                while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                yield number, None
                continue
            line = line.strip(_WHITESPACE)
            if line:
                yield number, line

    def _array(self, stream: io.BufferedReader) -> Iterator[Record]:
        data = stream.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise ArticleError(
                f"a JSON array over {self.max_bytes:,} bytes: write it as JSON Lines, one object a line "
                "(e.g. jq -c '.[]' in.json > out.jsonl)"
            )
        try:
            items = json.loads(data.decode("utf-8-sig", errors="replace"))
        except (ValueError, RecursionError) as exc:
            raise ArticleError(f"not JSON ({str(exc)[:80]})") from exc
        for number, value in enumerate(items, 1):
            where = f"item {number}"
            if not isinstance(value, dict):
                yield bad_record(where, f"a JSON {type(value).__name__}, not an object")
                continue
            if number == 1:
                self.fields.check_keys(value, what=f"{self.path.name} {where}")
            raw = json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
            yield self._record(value, where, position=f"I{number}", raw=raw)

    def _record(self, value: Mapping[str, Any], where: str, *, position: str, raw: bytes) -> Record:
        url = as_text(pick(value, self.fields.url))
        own = pick(value, self.fields.id)
        doc_id, origin = record_key(self.path, own_id=own, url=url, position=position, where=where)

        def read() -> Article:
            return article_from_mapping(value, fields=self.fields, id=doc_id, path=self.path, origin=origin)

        return Record(id=doc_id, origin=origin, content_hash=digest_of(raw), read=read, where=where)
