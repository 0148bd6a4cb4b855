"""Batch search: many queries (a list of names, one per line), one summary row each.

An analyst with a list of 300 people wants to know, for each, how often and when the archive
mentions them and where. Each line is searched on its own through ``Searcher``; a line that
cannot be searched becomes a row with an ``error`` and the batch goes on.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from searchlib.analyst.export import spreadsheet_safe
from searchlib.errors import QuerySyntaxError, UsageError
from searchlib.models import BatchRow
from searchlib.querying.parser import filter_queries
from searchlib.querying.searcher import Searcher, make_filters

COMMENT = "#"
EARLIEST = "0001"
"""A ``date_from`` that every dated article passes and undated ones fail (they sort as newest)."""

BatchProgress = Callable[[int, int], None]
CSV_COLUMNS = ("line", "query", "hits", "first_date", "last_date", "top_sources")
ID_SEPARATOR = " "


def read_queries(path: Path) -> list[tuple[int, str]]:
    """The (line number, query) pairs of a names file; blank lines and ``#`` comments skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"no file {path}: give a text file with one query per line") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text: save it as UTF-8 and try again") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        query = line.strip()
        if query and not query.startswith(COMMENT):
            pairs.append((number, query))
    return pairs


def run_batch(
    searcher: Searcher,
    queries: Iterable[tuple[int, str]],
    *,
    ids: bool = False,
    sources: int = 3,
    progress: BatchProgress | None = None,
    **filters: Any,
) -> Iterator[BatchRow]:
    """One ``BatchRow`` per query, in order; ``filters`` are those of ``Searcher.search``.

    Bad filters raise at once (they would fail every line); a bad query fails only its row.
    """
    filter_queries(make_filters(**filters))
    return _rows(searcher, list(queries), ids=ids, sources=sources, progress=progress, filters=filters)


def _rows(
    searcher: Searcher,
    pending: list[tuple[int, str]],
    *,
    ids: bool,
    sources: int,
    progress: BatchProgress | None,
    filters: dict[str, Any],
) -> Iterator[BatchRow]:
    for done, (line, query) in enumerate(pending, start=1):
        try:
            yield summarise(searcher, line, query, ids=ids, sources=sources, **filters)
        except QuerySyntaxError as exc:
            yield BatchRow(line=line, query=query, error=str(exc))
        if progress:
            progress(done, len(pending))


def summarise(
    searcher: Searcher, line: int, query: str, *, ids: bool, sources: int, **filters: Any
) -> BatchRow:
    """Count, first and last date, top sources (and ids) of one query's matches."""
    oldest = searcher.search(
        query,
        sort="oldest",
        page_size=1,
        facets=("source",),
        facet_limit=sources,
        snippets=0,
        suggest=False,
        collapse=False,
        **filters,
    )
    if not oldest.total:
        return BatchRow(line=line, query=query)
    dated = {**filters, "date_from": filters.get("date_from") or EARLIEST}
    newest = searcher.search(
        query, sort="date", page_size=1, facets=None, snippets=0, suggest=False, collapse=False, **dated
    )
    source_facet = oldest.facet("source")
    return BatchRow(
        line=line,
        query=query,
        total=oldest.total,
        first_date=oldest.hits[0].date,
        last_date=newest.hits[0].date if newest.hits else None,
        top_sources=source_facet.values if source_facet else (),
        ids=tuple(hit.id for hit in searcher.iter_hits(query, snippets=0, **filters)) if ids else (),
    )


def write_batch_csv(
    rows: Iterable[BatchRow], out: TextIO, *, ids: bool = False, on_error: Callable[[BatchRow], None]
) -> tuple[int, int]:
    """Write the rows that worked as CSV, hand the others to ``on_error``; (written, failed)."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS + (("ids",) if ids else ()))
    written = failed = 0
    for row in rows:
        if row.error:
            on_error(row)
            failed += 1
            continue
        cells = [
            str(row.line),
            row.query,
            str(row.total),
            row.first_date.date().isoformat() if row.first_date else "",
            row.last_date.date().isoformat() if row.last_date else "",
            "; ".join(f"{value.value} ({value.count})" for value in row.top_sources),
        ]
        if ids:
            cells.append(ID_SEPARATOR.join(row.ids))
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
        out.flush()
        written += 1
    return written, failed
