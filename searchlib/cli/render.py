"""Turning results into terminal text with rich: hits, highlighted snippets, facets, reports.

Article text is wrapped in ``rich.text.Text`` and never parsed as markup, so brackets in an
article print as they are. Colour is rich's decision (terminal, ``NO_COLOR``) unless forced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from searchlib.controls import CONTROL, visible_controls, visible_record
from searchlib.models import BuildReport, Facet, Hit, SearchResults, SkippedFile, Snippet
from searchlib.wording import agreeing, counted

MATCH_STYLE = "bold black on yellow"
FACET_VALUES_SHOWN = 8


class PipeConsole(Console):
    """A console that reports a closed pipe (``search ... | head -1``) as ``BrokenPipeError``.

    rich's own answer is ``SystemExit(1)``, an exit status that reads as a failure; the
    commands turn the error into their quiet BROKEN_PIPE exit instead.
    """

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def make_console(*, color: str = "auto", stderr: bool = False) -> Console:
    """A console for ``auto`` (colour on a terminal only), ``always`` or ``never``."""
    if color == "always":
        return VisibleConsole(force_terminal=True, stderr=stderr, highlight=False, soft_wrap=True)
    if color == "never":
        return VisibleConsole(color_system=None, stderr=stderr, highlight=False, soft_wrap=True)
    return VisibleConsole(stderr=stderr, highlight=False, soft_wrap=True)


class VisibleConsole(PipeConsole):
    """A console that prints control characters in text as visible stand-ins.

    What it prints carries articles' sources, titles, bodies and file names, which may hold
    terminal escapes (see ``controls``); cleaning here, where every line leaves, misses none.
    The stand-ins are one character each, so the styled spans of a ``Text`` stay in place.
    """

    def print(self, *objects: Any, **options: Any) -> None:
        super().print(*(_visible(item) for item in objects), **options)


def _visible(item: Any) -> Any:
    if isinstance(item, str):
        return visible_controls(item)
    if isinstance(item, Text) and CONTROL.search(item.plain):
        shown = item.copy()
        shown.plain = visible_controls(item.plain)
        return shown
    return item


def print_results(
    console: Console, results: SearchResults, *, show_facets: bool = True, filters: FilterValues | None = None
) -> None:
    """Hits of the page, then the facet counts."""
    results = visible_record(results)  # before rich, which drops some controls (BEL, CR) itself
    console.print(summary_line(results, filters=filters))
    first = (results.page - 1) * results.page_size + 1
    for number, hit in enumerate(results.hits, start=first):
        console.print()
        console.print(hit_text(number, hit))
    if show_facets and results.facets and results.total:
        console.print()
        for facet in results.facets:
            if facet.values:
                console.print(facet_text(facet))


FilterValues = Mapping[str, "str | Sequence[str] | None"]
"""The search command's filter options: ``source``, ``person`` ..., ``date_from``, ``date_to``."""

SORT_WORDS = {
    "relevance": "sorted by relevance",
    "date": "sorted by date, newest first",
    "oldest": "sorted by date, oldest first",
}
_NAMING = ("entity", "person", "org", "place", "misc")


def summary_line(results: SearchResults, *, filters: FilterValues | None = None) -> Text:
    """``12 articles match 'x', naming Donald Trump, from 2017-02 as 11 stories (page 1 of 2, ...)``."""
    articles = counted(results.total, "article")
    described = filters_text(filters or {})
    if results.query:
        head = f"{articles} {agreeing(results.total, 'matches', 'match')} {results.query!r}"
        head += f", {described}" if described else ""
    elif described:
        head = f"{articles} {described}"
    else:
        head = f"{articles} (every article)"
    line = Text(head, style="bold")
    if results.stories is not None and results.stories < results.total:
        line.append(f" as {counted(results.stories, 'story')} (copies folded)", style="bold")
    order = SORT_WORDS.get(results.sort, results.sort)
    line.append(
        f"  (page {results.page} of {results.pages}, {order}, {results.elapsed_ms:.1f} ms)",
        style="dim",
    )
    return line


def filters_text(filters: FilterValues) -> str:
    """The filters as words: ``from BBC, naming Donald Trump, from 2017-02 to 2017-03``."""

    def values(key: str) -> list[str]:
        value = filters.get(key)
        if not value:
            return []
        return [value] if isinstance(value, str) else [v for v in value if v]

    parts = []
    if values("source"):
        parts.append(f"from {' or '.join(values('source'))}")
    names = [" or ".join(values(kind)) for kind in _NAMING if values(kind)]
    if names:
        parts.append(f"naming {' and '.join(names)}")
    start, end = filters.get("date_from"), filters.get("date_to")
    if start and end:
        parts.append(f"dated {start} to {end}")
    elif start:
        parts.append(f"dated from {start}")
    elif end:
        parts.append(f"dated up to {end}")
    return ", ".join(parts)


def hit_text(number: int, hit: Hit) -> Text:
    """One hit: number, date, source, id; the heading; its snippets."""
    text = Text()
    text.append(f"{number:>3}. ", style="bold")
    text.append(hit.date.strftime("%Y-%m-%d") if hit.date else "(no date)", style="cyan")
    text.append("  ")
    text.append(hit.source or "(no source)", style="green")
    text.append(f"  {hit.id}", style="dim")
    if where := provenance(hit):
        text.append(f"  {where}", style="dim")
    text.append("\n")
    text.append(f"     {hit.heading}", style="bold")
    for snippet in hit.snippets:
        text.append("\n     ")
        text.append_text(snippet_text(snippet))
    if hit.also_in:
        copies = ", ".join(f"{c.source or '(no source)'} {c.id}" for c in hit.also_in)
        text.append(f"\n     also in: {copies}", style="green")
    return text


def provenance(hit: Hit) -> str:
    """Where an article from a file of many is ("news.jsonl line 12"), or its web address;
    "" for a ``.txt`` article, whose id names its file."""
    name = hit.path.replace("\\", "/").rpartition("/")[2]
    if hit.origin:
        return f"{name} {hit.origin}"
    return hit.url or ""


def snippet_text(snippet: Snippet) -> Text:
    """A snippet with its matches styled."""
    text = Text(snippet.text)
    for start, end in snippet.highlights:
        text.stylize(MATCH_STYLE, start, end)
    return text


def facet_text(facet: Facet, *, shown: int = FACET_VALUES_SHOWN) -> Text:
    """``People: Qasem Soleimani 3 · Donald Trump 2 …``."""
    text = Text(f"{facet.label}: ", style="bold")
    for i, value in enumerate(facet.values[:shown]):
        if i:
            text.append(" \u00b7 ", style="dim")
        text.append(value.value, style="bold" if value.selected else "")
        text.append(f" {value.count:,}", style="dim")
    if facet.truncated or len(facet.values) > shown:
        text.append(" \u2026", style="dim")
    return text


def build_report_text(
    report: BuildReport, *, verb: str = "Indexed", details: int = 20, list_warnings: bool = False
) -> Text:
    """What a build did, with the reasons files were skipped (and, asked, every warning)."""
    report = visible_record(report)
    text = Text()
    text.append(f"{verb} {counted(report.indexed, 'article')}", style="bold")
    if report.unchanged or report.removed or report.changed:
        text.append(
            f" ({report.added:,} added, {report.changed:,} changed, {report.removed:,} removed, "
            f"{report.unchanged:,} unchanged)"
        )
    text.append(f" into {report.index_dir} in {report.seconds:.1f} s")
    if report.skipped:
        skipped = counted(len(report.skipped), "file or record", "files or records")
        text.append(f"\nSkipped {skipped}:", style="yellow")
        for item in report.skipped[:details]:
            text.append(f"\n  {item.path}: {item.reason}")
        if len(report.skipped) > details:
            text.append(f"\n  \u2026 and {len(report.skipped) - details:,} more")
    if report.warnings:
        text.append_text(warnings_text(report.warnings, listed=list_warnings))
    return text


def warnings_text(warnings: tuple[SkippedFile, ...], *, listed: bool) -> Text:
    """``7 warnings in 7 indexed files``, then each ``path: note`` when ``listed``."""
    files = len({w.path for w in warnings})
    text = Text(f"\n{counted(len(warnings), 'warning')} in {counted(files, 'indexed file')}", style="dim")
    if listed:
        for item in warnings:
            text.append(f"\n  {item.path}: {item.reason}")
    else:
        text.append(" (--warnings lists them)", style="dim")
    return text
