"""Saved web pages (``.html``) and the pages inside web archives: the article, not the page.

A news page is mostly furniture: menus, footers, related links, cookie banners. trafilatura is
the well-kept library for finding the article in it (readability and jusText heuristics with a
fallback between them) and for reading the headline, the publication date and the site name
from the page's own metadata (OpenGraph, JSON-LD, ``<meta>`` tags); hand-written rules would
learn one site's layout and fail on the next. It runs offline on the bytes given.
"""

from __future__ import annotations

from pathlib import Path

from searchlib.articles.fields import parse_date_value
from searchlib.errors import ArticleError
from searchlib.models import Article

_DATE_SEARCH = {"original_date": True, "extensive_search": True}
"""The first publication date, not the last-modified one; looked for in the text too."""


def article_from_html(
    data: bytes, *, id: str, path: Path, url: str | None = None, origin: str | None = None
) -> Article:
    """The article of one HTML page, or ``ArticleError`` when the page holds no article text."""
    import trafilatura  # about 0.3 s to import: only builds that meet a web page pay it

    try:
        found = trafilatura.bare_extraction(
            data,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params=_DATE_SEARCH,
        )
    except (ValueError, TypeError) as exc:  # markup lxml cannot parse at all
        raise ArticleError(f"cannot read the page ({str(exc)[:80]})") from exc
    text = getattr(found, "text", None) if found is not None else None
    if not text or not text.strip():
        raise ArticleError("no article text found in the page")
    title = _one_line(found.title)
    paragraphs = [" ".join(line.split()) for line in text.split("\n") if line.strip()]
    if title and paragraphs and paragraphs[0] == title and len(paragraphs) > 1:
        paragraphs.pop(0)  # the headline repeated as the body's first line
    notes: list[str] = []
    return Article(
        id=id,
        path=path,
        date=parse_date_value(found.date, notes),
        source=_one_line(found.sitename) or _one_line(found.hostname),
        title=title,
        body="\n\n".join(paragraphs),
        credit=_one_line(found.author),
        warnings=tuple(notes),
        url=_one_line(found.url) or url,
        origin=origin,
    )


def _one_line(value: object) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None
