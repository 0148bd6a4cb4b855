"""Articles inside container files (JSON Lines, CSV, WARC): records, their ids and hashes.

A container holds many articles, so each record gets an id from its container's name and a key
inside it: the record's own id when it has one, else its URL, else its line or row number. A
key that does not depend on position keeps an article's id when lines are added above it, so an
update rewrites only the records that changed. Each record also carries the hash of its own
bytes (an update compares those) and says where it is ("line 12", "row 40", its URL), which
search results show.

Records are parsed only when asked (``Record.read``): an update that finds a record's hash
unchanged never pays for its JSON mapping or its web-page extraction.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from searchlib.articles.fields import FieldMap, as_text, parse_date_value, pick
from searchlib.errors import ArticleError
from searchlib.models import Article

_UNSAFE_ID = re.compile(r"[^\w.\-]+")
_MAX_KEY_CHARS = 64


@dataclass(frozen=True)
class Record:
    """One article-to-be in a container, or (``error`` set) why that place holds none."""

    id: str
    origin: str
    """Where in the container it is: "line 12", "row 40" or the URL of a web-archive record."""
    content_hash: str
    read: Callable[[], Article]
    """Parse the record into an ``Article``; raises ``ArticleError`` when it is not one."""
    error: str | None = None
    where: str = ""
    """Where it is now ("line 12"), for the build report; ``origin`` is what stays true."""

    @property
    def place(self) -> str:
        """How a build report names the record: its line or row, and its key when it has one."""
        if self.where and self.where != self.origin:
            return f"{self.where} ({self.origin})"
        return self.origin


def bad_record(origin: str, reason: str) -> Record:
    """A place in a container that holds no article, with the reason for the build report."""
    return Record(id="", origin=origin, content_hash="", read=_no_article(reason), error=reason, where=origin)


def record_key(
    container: Path, *, own_id: Any = None, url: str | None = None, position: str, where: str
) -> tuple[str, str]:
    """The id and the origin of a record: ``<container name>-<key>``, the key being the record's
    own id, else a hash of its URL, else its position (``position``, shown as ``where``).

    The origin names the same key ("id 17283", the URL, "line 12"), never a line number for a
    record found by id or URL: an unchanged record is not written again when lines are added
    above it, so a line number stored with it would go stale. Ids go into web addresses
    (``/article/<id>``), so a key is reduced to letters, digits, ``.``, ``_`` and ``-``.
    """
    stem = container.name.split(".")[0] or container.name
    own = as_text(own_id)
    if own:
        key = _UNSAFE_ID.sub("_", own).strip("_")[:_MAX_KEY_CHARS] or digest_of(own.encode())[:12]
        return f"{stem}-{key}", f"id {own}"
    if url:
        return f"{stem}-u{digest_of(url.strip().encode())[:12]}", url.strip()
    return f"{stem}-{position}", where


def digest_of(data: bytes) -> str:
    """The content hash searchlib records for a file or a record (the same as ``content_hash``)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def article_from_mapping(
    record: Mapping[str, Any], *, fields: FieldMap, id: str, path: Path, origin: str
) -> Article:
    """An ``Article`` from a JSON object or CSV row, its parts found through ``fields``.

    A newline inside a text field is a paragraph break (these formats do not wrap lines).
    """
    body = pick(record, fields.body)
    paragraphs = _paragraphs(body if isinstance(body, str) else as_text(body) or "")
    if not paragraphs:
        raise ArticleError("no article text")
    notes: list[str] = []
    return Article(
        id=id,
        path=path,
        date=parse_date_value(pick(record, fields.date), notes),
        source=as_text(pick(record, fields.source)),
        title=as_text(pick(record, fields.title)),
        body="\n\n".join(paragraphs),
        credit=as_text(pick(record, fields.authors)),
        warnings=tuple(notes),
        url=as_text(pick(record, fields.url)),
        origin=origin,
    )


def _paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n") if line.strip()]


def _no_article(reason: str) -> Callable[[], Article]:
    def read() -> Article:
        raise ArticleError(reason)

    return read


class HashingReader(io.RawIOBase):
    """A binary file read through: hashes every byte and counts them, so a container is read
    once for its records, its whole-file hash and the progress bar."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._digest = hashlib.blake2b(digest_size=16)
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self._digest.update(data)
        self.position += n
        return n

    def hexdigest(self) -> str:
        """The hash of the bytes read so far (of the whole file once it is read to the end)."""
        return self._digest.hexdigest()

    def close(self) -> None:
        self._raw.close()
        super().close()


class Container:
    """A container file being read: its records one at a time, then its whole-file hash.

    Subclasses implement ``_records`` over ``self.stream`` (a buffered ``HashingReader``).
    The file is opened when iteration starts and closed when it ends, and it is never held
    whole: memory stays at one record (at most ``max_bytes``) whatever the file's size.
    """

    def __init__(self, path: Path, *, fields: FieldMap, max_bytes: int) -> None:
        self.path = Path(path)
        self.fields = fields
        self.max_bytes = max_bytes
        self.hashing: HashingReader | None = None

    def __iter__(self) -> Iterator[Record]:
        try:
            raw = open(self.path, "rb")  # noqa: SIM115 (closed by the HashingReader below)
        except OSError as exc:
            raise ArticleError(f"cannot read: {exc.strerror or exc}") from exc
        self.hashing = HashingReader(raw)
        with io.BufferedReader(self.hashing, buffer_size=1 << 20) as stream:
            try:
                yield from self._records(stream)
                while stream.read(1 << 20):  # the rest, for the whole-file hash
                    pass
            except OSError as exc:
                reason = exc.strerror or exc
                raise ArticleError(f"cannot read past {self.position:,} bytes: {reason}") from exc

    def _records(self, stream: io.BufferedReader) -> Iterator[Record]:
        raise NotImplementedError

    @property
    def position(self) -> int:
        """Bytes read so far, for a progress estimate."""
        return self.hashing.position if self.hashing else 0

    @property
    def digest(self) -> str:
        """The whole file's hash, once iteration has ended."""
        return self.hashing.hexdigest() if self.hashing else ""
