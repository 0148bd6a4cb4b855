"""WARC files (``.warc``, ``.warc.gz``): what web archives and crawlers write.

warcio reads the records as they stream past (gzip members included), so a crawl of any size
costs the memory of one page. Every HTML page a ``response`` (or ``resource``) record holds is
an article, read like a saved page (``webpage``). Redirects, error pages and what is not HTML
(images, scripts, PDFs) are reported with a reason; requests, metadata and the like hold no
pages and pass in silence.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from searchlib.articles.records import Container, Record, bad_record, digest_of, record_key
from searchlib.articles.webpage import article_from_html
from searchlib.errors import ArticleError
from searchlib.models import Article

_PAGE_RECORDS = ("response", "resource")
_HEAD_BYTES = 4096
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class WarcFile(Container):
    """The web pages of a WARC file, one article each."""

    def _records(self, stream: io.BufferedReader) -> Iterator[Record]:
        if not _starts_like_warc(stream.peek(_HEAD_BYTES)[:_HEAD_BYTES]):
            raise ArticleError("not a WARC file: it does not start with a WARC/1.x record header")
        number = 0
        try:
            for entry in ArchiveIterator(stream):
                if entry.rec_type not in _PAGE_RECORDS:
                    continue
                number += 1
                yield self._record(entry, number)
        except ArchiveLoadFailed as exc:
            where = f"after {number:,} records" if number else "at its start"
            raise ArticleError(f"not a readable WARC file {where} ({str(exc)[:80]})") from exc

    def _record(self, entry: object, number: int) -> Record:
        headers = entry.rec_headers  # type: ignore[attr-defined]
        url = headers.get_header("WARC-Target-URI") or None
        where = url or f"record {number}"
        http = entry.http_headers  # type: ignore[attr-defined]
        if http is not None and entry.rec_type == "response":  # type: ignore[attr-defined]
            status = http.get_statuscode() or "?"
            if status.startswith("3"):
                return bad_record(where, f"a redirect (HTTP {status}) to {http.get_header('Location')}")
            if status != "200":
                return bad_record(where, f"not a page (HTTP {status})")
        kind = ((http or headers).get_header("Content-Type") or "").split(";")[0].strip().lower()
        if kind not in _HTML_TYPES:
            return bad_record(where, f"not HTML ({kind or 'no content type'})")
        payload = entry.content_stream().read(self.max_bytes + 1)  # type: ignore[attr-defined]
        if len(payload) > self.max_bytes:
            return bad_record(where, f"a page over the limit of {self.max_bytes:,} bytes")
        own = None if url else headers.get_header("WARC-Record-ID")
        doc_id, origin = record_key(self.path, own_id=own, url=url, position=f"W{number}", where=where)

        def read() -> Article:
            return article_from_html(payload, id=doc_id, path=self.path, url=url, origin=origin)

        return Record(id=doc_id, origin=origin, content_hash=digest_of(payload), read=read, where=where)


def _starts_like_warc(head: bytes) -> bool:
    """Whether a file begins with a WARC record, gzipped or not: warcio itself reads almost any
    text as records of the older ARC format, with a warning for each."""
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")
