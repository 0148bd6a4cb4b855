"""Reading article files into ``Article`` records.

Archives are messy: headers drift, encodings vary, page breaks leave debris in the text. This
module turns whatever is on disk into a clean ``Article`` or an ``ArticleError`` that says why
the file is not one, so that one bad file never stops a build. It knows nothing about Whoosh.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from searchlib.articles.kinds import INDEX_MARKER, kind_of
from searchlib.errors import ArticleError, CorpusNotFound
from searchlib.models import Article

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ARTICLE_SUFFIX = ".txt"

_HEADER = re.compile(
    r"""^\s*date\s*:?\s+
        (?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}/\d{1,2}/\d{1,2}
           |\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})
        (?:\s+\d{4}/\d{1,2}/\d{1,2})?
        \s*\|?\s*
        (?P<time>\d{1,2}:\d{2}(?::\d{2})?)?
        \s*-?\s*
        (?:(?:source|src|publisher)\s*:\s*(?P<source>.*?))?
        \s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_LOOSE_HEADER = re.compile(r"^\s*date\b", re.IGNORECASE)
_SOURCE_ONLY = re.compile(r"source\s*:\s*(?P<source>.+?)\s*$", re.IGNORECASE)
_CREDIT = re.compile(r"^\((?P<credit>[^()\n]{2,80})\)\s*[-\u2013\u2014:]\s*")
_DEBRIS_LINE = re.compile(
    r"^\s*(?:\.{2,}|\u2026+|[-\u2013\u2014_=*~#]{2,}|-?\s*\d{1,4}\s*-?|page\s+\d+(?:\s+of\s+\d+)?"
    r"|\f+)\s*$",
    re.IGNORECASE,
)
_TRAILING_ELLIPSIS = re.compile(r"\s*(?:\.{3,}|\u2026)\s*$")
_INLINE_BREAK = re.compile(r"(?P<end>[.!?][\"\u201d\u2019]?)-(?P<space>\s*)(?=[\"\u201cA-Z])")
"""A paragraph break flattened to "-" after a sentence: "this year.- Protesters chanted"."""
_TITLE_MAX_CHARS = 200
_BINARY_CONTROL_RATIO = 0.10
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
"""Bytes no text holds: controls other than tab, line feed, form feed and carriage return."""
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_FUTURE_SLACK = timedelta(days=2)
"""Time zones and clock skew: a date up to this far ahead is not reported as in the future."""


def read_article(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read one file as an article, or raise ``ArticleError`` saying why it is not one."""
    return article_from_bytes(read_article_bytes(path, max_bytes=max_bytes), path=Path(path))


def read_article_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes, refusing files over ``max_bytes`` before reading them whole."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ArticleError("cannot read: not a regular file")  # a FIFO would block for ever
        size = info.st_size
        if size > max_bytes:
            raise ArticleError(f"too large ({size:,} bytes; the limit is {max_bytes:,})")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ArticleError(f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise ArticleError(f"too large (over the limit of {max_bytes:,} bytes)")
    return data


def article_from_bytes(data: bytes, *, path: Path) -> Article:
    """Decode and parse a file's bytes; the article's id is the file name without suffix."""
    text, warnings = decode_article_bytes(data)
    return parse_article(text, id=path.stem, path=path, warnings=warnings)


def decode_article_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode a file's bytes, honouring BOMs and replacing what is not UTF-8.

    Returns the text and warnings to report. Raises ``ArticleError`` for empty or binary data.
    """
    if not data.strip():
        raise ArticleError("empty file")
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    else:
        if _looks_binary(data):
            raise ArticleError("binary file, not text")
        text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad > 0:
        warnings.append(f"{bad} undecodable byte sequence(s) replaced")
    if "\x00" in text:
        text = text.replace("\x00", "")
        warnings.append("NUL bytes removed")
    return text, warnings


def _looks_binary(data: bytes) -> bool:
    """True for data that is mostly control bytes (images, archives, executables)."""
    sample = data[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > _BINARY_CONTROL_RATIO


def parse_article(text: str, *, id: str, path: Path, warnings: list[str] | tuple[str, ...] = ()) -> Article:
    """Parse decoded text: the header line, then the credit, title and body paragraphs."""
    notes = list(warnings)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_at is None:
        raise ArticleError("empty file")
    date, source, found = _parse_header(lines[header_at], notes)
    body_lines = lines[header_at + 1 :] if found else lines[header_at:]
    if not found:
        notes.append("no header line; date and source unknown")
    paragraphs = clean_paragraphs(body_lines)
    if not paragraphs:
        raise ArticleError("no text after the header")
    credit = None
    match = _CREDIT.match(paragraphs[0])
    if match:
        credit = " ".join(match.group("credit").split())
        paragraphs[0] = paragraphs[0][match.end() :].strip()
        if not paragraphs[0]:
            paragraphs.pop(0)
    title = None
    if len(paragraphs) > 1 and _looks_like_title(paragraphs[0]):
        title = paragraphs.pop(0)
    if not paragraphs:
        raise ArticleError("no text after the header")
    return Article(
        id=id,
        path=path,
        date=date,
        source=source,
        title=title,
        body="\n\n".join(paragraphs),
        credit=credit,
        warnings=tuple(notes),
    )


def _parse_header(line: str, notes: list[str]) -> tuple[datetime | None, str | None, bool]:
    """Return (date, source, whether the line is a header)."""
    match = _HEADER.match(line)
    if not match:
        if _LOOSE_HEADER.match(line):
            source = _SOURCE_ONLY.search(line)
            notes.append("header date not understood")
            return None, _clean_source(source.group("source")) if source else None, True
        return None, None, False
    date = _parse_date(match.group("date"), match.group("time"), notes)
    return date, _clean_source(match.group("source")), True


def _iso_datetime(day: str, time: str | None) -> datetime | None:
    """The date of a header written year first ("2020-12-31", "07:30"), as ``dateutil`` reads
    it, without it (a tenth of a build's parsing); None for any other form. ``ValueError`` for
    an impossible date, as ``dateutil`` raises."""
    date = _ISO_DAY.fullmatch(day)
    clock = _CLOCK.fullmatch(time) if time else None
    if date is None or (time and clock is None):
        return None
    hour, minute, second = (int(part or 0) for part in clock.groups()) if clock else (0, 0, 0)
    return datetime(*(int(part) for part in date.groups()), hour, minute, second)


def _clean_source(raw: str | None) -> str | None:
    source = " ".join((raw or "").split()).strip(" -|")
    return source or None


def _parse_date(day: str, time: str | None, notes: list[str]) -> datetime | None:
    """Parse the header's date and time; an impossible date is a warning, not a failure."""
    from dateutil import parser as date_parser

    text = f"{day} {time}" if time else day
    try:
        parsed = _iso_datetime(day, time) or date_parser.parse(text, dayfirst=not re.match(r"\d{4}", day))
    except (ValueError, OverflowError):
        notes.append(f"impossible date {day!r} ignored")
        return None
    if parsed.replace(tzinfo=None) > datetime.now() + _FUTURE_SLACK:
        notes.append(f"date {day!r} is in the future")
    return parsed


def clean_paragraphs(lines: list[str]) -> list[str]:
    """Rebuild paragraphs: rejoin broken lines, drop page-break debris, mend split sentences.

    A paragraph that ends in an ellipsis and is followed by one starting in lower case is one
    sentence cut by a page break ("cut off the ears..." / "of the traitor"), so they are joined.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        stripped = line.strip()
        if _DEBRIS_LINE.match(stripped) and stripped:
            continue
        if stripped:
            current.append(" ".join(stripped.split()))
            continue
        if current:
            paragraphs.extend(split_inline_breaks(" ".join(current)))
            current = []
    mended: list[str] = []
    for paragraph in paragraphs:
        if mended and _continues(mended[-1], paragraph):
            mended[-1] = _TRAILING_ELLIPSIS.sub("", mended[-1]) + " " + paragraph
        else:
            mended.append(paragraph)
    return mended


def split_inline_breaks(paragraph: str) -> list[str]:
    """Split a paragraph where a sentence ends in "-" and the next one starts ("year.- The").

    Some archives flatten paragraph breaks to a dash glued to the full stop, which runs
    paragraphs together in snippets. "U.S.-Mexico" is no break: after a capital (an
    abbreviation) only a dash followed by a space counts.
    """
    parts: list[str] = []
    start = 0
    for match in _INLINE_BREAK.finditer(paragraph):
        before = paragraph[match.start() - 1 : match.start()]
        if before and (match.group("space") or before.islower() or before.isdigit()):
            parts.append(paragraph[start : match.start("end") + len(match.group("end"))].strip())
            start = match.end()
    parts.append(paragraph[start:].strip())
    return [part for part in parts if part]


def _continues(previous: str, paragraph: str) -> bool:
    first = paragraph[:1]
    if not first.islower():
        return False
    return bool(_TRAILING_ELLIPSIS.search(previous)) or previous[-1:].isalpha()


def _looks_like_title(paragraph: str) -> bool:
    """Headlines are short and, unlike body sentences, rarely end with a full stop."""
    return len(paragraph) <= _TITLE_MAX_CHARS and not paragraph.rstrip().endswith(
        (".", '?"', '."', ":", ";", ",")
    )


def iter_article_paths(corpus_dir: Path) -> Iterator[Path]:
    """Yield the article files under ``corpus_dir`` in a stable order.

    Follows no symbolic link to a directory (so a link loop cannot trap the walk), and yields
    only regular ``.txt`` files: a directory named like an article is not one.
    """
    for root, name in iter_article_files(corpus_dir):
        yield Path(root, name)


def iter_article_files(
    corpus_dir: Path, *, unlisted: list[tuple[str, str]] | None = None
) -> Iterator[tuple[str, str]]:
    """``iter_article_paths`` as (folder, file name) strings: no ``Path`` objects, for speed.

    A subfolder that cannot be listed is appended to ``unlisted`` as (path, reason) instead of
    being passed over in silence, so that an update can keep the articles it holds.
    """
    corpus_dir = Path(corpus_dir)
    if corpus_dir.is_file() and is_article_name(corpus_dir.name):
        yield str(corpus_dir.parent), corpus_dir.name  # a corpus of one file (a .jsonl, a .warc.gz)
        return
    if not corpus_dir.is_dir():
        raise CorpusNotFound(
            f"no article folder or file at {corpus_dir}: pass a folder of articles, or one "
            ".txt, .jsonl, .csv, .html or .warc.gz file"
        )

    def cannot_list(exc: OSError) -> None:
        if exc.filename == str(corpus_dir):
            raise CorpusNotFound(f"cannot list the article folder {corpus_dir}: {exc.strerror}") from exc
        if unlisted is not None:
            unlisted.append((str(exc.filename), f"cannot list folder: {exc.strerror or exc}"))

    for root, dirs, files in os.walk(corpus_dir, onerror=cannot_list, followlinks=False):
        if INDEX_MARKER in files and root != str(corpus_dir):
            dirs[:] = []  # an index kept inside the corpus: its JSON files are no articles
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if is_article_name(name):
                yield root, name


def is_article_name(name: str) -> bool:
    """Whether a file of this name is read: a format searchlib knows (``kinds``), not hidden."""
    return kind_of(name) is not None
