"""The page's state in its URL: request arguments -> the keyword arguments of one search, and back.

Every part of what a person sees (query, filters, dates, sort, page, expanded facets) is an
argument in the URL, so a search can be bookmarked and shared. Parsing only turns text into
the types ``Searcher.search`` takes; the library checks the values and raises ``UsageError`` or
``QuerySyntaxError``, which the app turns into a 400 page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from searchlib.errors import UsageError

FILTERS: dict[str, str] = {
    "source": "Source",
    "person": "Person",
    "org": "Organisation",
    "place": "Place",
    "misc": "Name",
    "entity": "Entity",
    "year": "Year",
    "month": "Month",
}
"""URL argument (and ``Searcher.search`` keyword) -> the label of its chip."""

PAGE_FACETS: tuple[str, ...] = ("source", "person", "org", "place", "year", "month")
FACET_VALUES_SHOWN = 10
"""Values a facet lists before its "show more" link."""
FACET_VALUES_MORE = 100
"""Values a facet lists once expanded."""
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE_HTML = 100
"""The page draws every hit with its snippets; the JSON API and CSV accept the library's limit."""


@dataclass(frozen=True)
class SearchState:
    """One search as the URL holds it."""

    query: str = ""
    filters: tuple[tuple[str, str], ...] = ()
    date_from: str = ""
    date_to: str = ""
    sort: str = ""
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    more: tuple[str, ...] = ()
    histogram: str = "auto"
    exact: bool = False
    """Only the spellings typed: no name variants (``Kadhemi`` without ``Kadhimi``)."""
    every_copy: bool = False
    """List each outlet's copy of a syndicated story as its own hit instead of folding them."""

    @property
    def effective_sort(self) -> str:
        """Relevance for a query; newest first when browsing with no query words."""
        return self.sort or ("relevance" if self.query.strip() else "date")

    def search_kwargs(self, *, facets: Iterable[str] | None = PAGE_FACETS) -> dict[str, Any]:
        """The keyword arguments of ``Searcher.search`` for this state."""
        kwargs = self.filter_kwargs()
        kwargs.update(
            sort=self.effective_sort,
            variants=not self.exact,
            collapse=not self.every_copy,
            page=self.page,
            page_size=self.size,
            facets=tuple(facets) if facets else None,
            facet_limit=FACET_VALUES_MORE if self.more else FACET_VALUES_SHOWN,
            histogram=self.histogram,
        )
        return kwargs

    def export_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of ``Searcher.iter_hits``: every match, in the page's order."""
        return {**self.filter_kwargs(), "sort": self.effective_sort, "variants": not self.exact}

    def filter_kwargs(self) -> dict[str, Any]:
        """The filters and dates as keyword arguments of ``Searcher.search`` and ``iter_hits``."""
        kwargs: dict[str, Any] = {name: self.values(name) for name in FILTERS}
        kwargs.update(date_from=self.date_from or None, date_to=self.date_to or None)
        return kwargs

    def values(self, name: str) -> tuple[str, ...]:
        """The values of one filter, in the order they were chosen."""
        return tuple(value for key, value in self.filters if key == name)

    def has(self, name: str, value: str) -> bool:
        return (name, value) in self.filters

    @property
    def narrowed(self) -> bool:
        """True when any filter or date bound applies."""
        return bool(self.filters or self.date_from or self.date_to)

    # URLs -------------------------------------------------------------------------------------

    def url(self, path: str = "/", **changes: Any) -> str:
        """``path`` with this state (changed by ``changes``) as its query string."""
        state = replace(self, **changes) if changes else self
        query = state.query_string()
        return f"{path}?{query}" if query else path

    def query_string(self) -> str:
        """The state as URL arguments, leaving out defaults so URLs stay short."""
        pairs: list[tuple[str, str]] = []
        if self.query:
            pairs.append(("q", self.query))
        pairs += list(self.filters)
        if self.date_from:
            pairs.append(("from", self.date_from))
        if self.date_to:
            pairs.append(("to", self.date_to))
        if self.sort:
            pairs.append(("sort", self.sort))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        if self.size != DEFAULT_PAGE_SIZE:
            pairs.append(("size", str(self.size)))
        pairs += [("more", name) for name in self.more]
        if self.histogram != "auto":
            pairs.append(("hist", self.histogram))
        if self.exact:
            pairs.append(("exact", "1"))
        if self.every_copy:
            pairs.append(("all", "1"))
        return urlencode(pairs)

    def toggle(self, name: str, value: str) -> str:
        """The URL with a filter value added, or removed when already chosen; back to page 1."""
        pair = (name, value)
        filters = (
            tuple(p for p in self.filters if p != pair) if pair in self.filters else (*self.filters, pair)
        )
        return self.url(filters=filters, page=1)

    def dates(self, date_from: str, date_to: str) -> str:
        """The URL narrowed to a date range (a histogram bar or a drag over bars)."""
        return self.url(date_from=date_from, date_to=date_to, page=1)

    def expand(self, facet: str) -> str:
        return self.url(more=(*self.more, facet))

    def collapse(self, facet: str) -> str:
        return self.url(more=tuple(name for name in self.more if name != facet))


MAX_VALUES_PER_ARGUMENT = 20
"""Values one URL argument may repeat (``source=A&source=B``...): a page draws a chip and a
link per value, each link carrying all the others, so its size grows with the square."""
MAX_ARGUMENTS = 100


def parse_state(args: MultiDict[str, str], *, max_size: int | None = MAX_PAGE_SIZE_HTML) -> SearchState:
    """Read a ``SearchState`` from request arguments.

    ``UsageError`` for numbers that are not numbers, unknown facets, a page size over
    ``max_size`` and URLs past the caps above; everything else is checked by the library when
    it runs the search.
    """
    check_caps(args)
    filters = tuple(
        dict.fromkeys((k, v.strip()) for k, v in args.items(multi=True) if k in FILTERS and v.strip())
    )
    size = _whole_number(args, "size", DEFAULT_PAGE_SIZE)
    if max_size is not None and size > max_size:
        raise UsageError(f"size must be from 1 to {max_size} on this page, not {size}: use the JSON API")
    more = tuple(args.getlist("more"))
    unknown = [name for name in more if name not in PAGE_FACETS]
    if unknown:
        raise UsageError(f"unknown facet {unknown[0]!r}: choose from {', '.join(PAGE_FACETS)}")
    return SearchState(
        query=args.get("q", ""),
        filters=filters,
        date_from=args.get("from", "").strip(),
        date_to=args.get("to", "").strip(),
        sort=args.get("sort", "").strip(),
        page=_whole_number(args, "page", 1),
        size=size,
        more=more,
        histogram=args.get("hist", "").strip() or "auto",
        exact=_flag(args, "exact"),
        every_copy=_flag(args, "all"),
    )


def check_caps(args: MultiDict[str, str]) -> None:
    """``UsageError`` for a URL that asks for more work than any page needs."""
    counts = Counter(key for key, _value in args.items(multi=True))
    if sum(counts.values()) > MAX_ARGUMENTS:
        raise UsageError(f"too many URL arguments ({sum(counts.values()):,}; at most {MAX_ARGUMENTS})")
    name, count = max(counts.items(), key=lambda item: item[1], default=("", 0))
    if count > MAX_VALUES_PER_ARGUMENT:
        raise UsageError(
            f"too many values of {name!r} ({count:,}; at most {MAX_VALUES_PER_ARGUMENT} in one search)"
        )


def facet_names(args: MultiDict[str, str]) -> tuple[str, ...] | None:
    """The facets the API was asked for (``facet=`` repeated), or ``None`` for the page's set."""
    return tuple(args.getlist("facet")) or None


def _flag(args: MultiDict[str, str], name: str) -> bool:
    return args.get(name, "").strip() not in ("", "0")


def _whole_number(args: MultiDict[str, str], name: str, default: int) -> int:
    text = args.get(name, "").strip()
    if not text:
        return default
    try:
        return int(text, 10)
    except ValueError:
        raise UsageError(f"{name} must be a whole number, not {text!r}") from None
