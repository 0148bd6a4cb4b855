"""Turning library records into safe HTML pieces: escaped text with marked matches, paragraphs,
numbers, dates and the page links of a result list.

Article text is untrusted: it is escaped piece by piece *before* the ``<mark>`` tags go in, so
a ``<script>`` or a stray quote in an article is shown as text, never run or parsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from markupsafe import Markup, escape

Spans = Sequence[tuple[int, int]]


def marked(text: str, spans: Spans) -> Markup:
    """``text`` escaped, with each ``(start, end)`` span wrapped in ``<mark>``."""
    parts: list[str] = []
    last = 0
    for start, end in spans:
        if start < last or end <= start:
            continue  # overlapping or empty spans would break the nesting
        parts += [escape(text[last:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        last = end
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def paragraphs(text: str, spans: Spans) -> list[Markup]:
    """The text cut at blank lines into marked paragraphs; a span never crosses a paragraph."""
    out: list[Markup] = []
    offset = 0
    for block in text.split("\n\n"):
        end = offset + len(block)
        inside = [(s - offset, e - offset) for s, e in spans if s >= offset and e <= end]
        if block.strip():
            out.append(marked(block, inside))
        offset = end + 2
    return out


def web_link(url: str | None) -> str | None:
    """An article's original address, if it is one a browser may follow: only ``http`` and
    ``https`` (an archive's ``javascript:`` address must never become a link)."""
    if not url:
        return None
    scheme = url.strip().split(":", 1)[0].lower()
    return url.strip() if scheme in ("http", "https") and "://" in url else None


def file_name(path: str) -> str:
    """The last part of a stored path, for showing where an article came from."""
    return path.replace("\\", "/").rstrip("/").rpartition("/")[2]


def number(value: int) -> str:
    """``3410`` as ``3,410``."""
    return f"{value:,}"


def day(value: datetime | date | None) -> str:
    """A date as ``2017-02-07``, or an empty string for an undated article."""
    return value.strftime("%Y-%m-%d") if value else ""


def long_day(value: datetime | date | None) -> str:
    """A date as ``Tuesday 7 February 2017``, for an article's own page."""
    return f"{value:%A} {value.day} {value:%B %Y}" if value else "no date"


def page_window(page: int, pages: int, *, around: int = 2) -> list[int | None]:
    """Page numbers to link: the first, the last and those near ``page``; ``None`` is a gap."""
    wanted = {1, pages, *range(page - around, page + around + 1)}
    shown = sorted(n for n in wanted if 1 <= n <= pages)
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out
