"""Every format searchlib reads, behind two calls: one article from a file, or a container's records.

A ``.txt`` file is the archive's own format (``textfile``); a saved web page is read with
trafilatura (``webpage``), and so is a ``.txt`` file that turns out to hold HTML. JSON Lines,
CSV and WARC files hold many articles each and are read as streams of records (``records``).
"""

from __future__ import annotations

from pathlib import Path

from searchlib.articles.csvfile import CsvFile
from searchlib.articles.fields import FieldMap
from searchlib.articles.jsonlines import JsonLinesFile
from searchlib.articles.kinds import CSV, JSON_LINES, WARC, WEB_PAGE, kind_of
from searchlib.articles.records import Container
from searchlib.articles.textfile import article_from_bytes
from searchlib.articles.warcfile import WarcFile
from searchlib.articles.webpage import article_from_html
from searchlib.errors import ArticleError
from searchlib.models import Article

_CONTAINERS: dict[str, type[Container]] = {JSON_LINES: JsonLinesFile, CSV: CsvFile, WARC: WarcFile}
_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml")


def open_container(path: Path, *, fields: FieldMap, max_bytes: int) -> Container:
    """The records of a JSON Lines, CSV or WARC file, read when iterated."""
    kind = kind_of(Path(path).name)
    if kind not in _CONTAINERS:
        raise ArticleError(f"not a file of many articles ({Path(path).suffix or 'no extension'})")
    return _CONTAINERS[kind](Path(path), fields=fields, max_bytes=max_bytes)


def article_from_file_bytes(data: bytes, *, path: Path) -> Article:
    """The article of a one-article file (``.txt`` or a web page), its id the file's name.

    The content decides between the two: a ``.txt`` file holding a saved page is read as one.
    """
    path = Path(path)
    if kind_of(path.name) == WEB_PAGE or looks_like_html(data):
        return article_from_html(data, id=path.stem, path=path)
    return article_from_bytes(data, path=path)


def looks_like_html(data: bytes) -> bool:
    """Whether a file's first bytes are an HTML (or XHTML) document's."""
    head = data[:512].lstrip(b" \t\r\n\xef\xbb\xbf").lower()
    return head.startswith(_HTML_STARTS) and b"<html" in data[:4096].lower()
