"""The ``search`` options that answer something other than a page of hits.

``search_cmd`` hands over to these when ``--like`` (and the other analyst options) are given;
each opens the index, makes one library call and formats the answer.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from searchlib.analyst.export import WRITERS
from searchlib.cli.render import make_console
from searchlib.cli.render_analysis import print_related
from searchlib.errors import UsageError
from searchlib.querying.searcher import Searcher
from searchlib.wording import counted


def show_related(
    *, index_dir: Path, article_id: str, query: str, limit: int, as_json: bool, color: str
) -> None:
    """``search --like ID``: the articles most like one article."""
    if query:
        raise UsageError("--like finds articles like one article: give it an id and no query words")
    with Searcher(index_dir, memory_map=False) as searcher:  # one call: see Searcher
        related = searcher.related(article_id, limit=limit)
    if as_json:
        click.echo(related.to_json(indent=2))
        return
    print_related(make_console(color=color), related)


def export_matches(
    *, index_dir: Path, query: str, filters: dict[str, Any], sort: str, fmt: str, variants: bool = True
) -> None:
    """``search --csv`` / ``--jsonl``: every match, streamed to stdout; the count on stderr."""
    out = sys.stdout
    with Searcher(index_dir, memory_map=False) as searcher:  # one call: see Searcher
        print_warnings(searcher.warnings(query, **filters))
        count = WRITERS[fmt](searcher.iter_hits(query, sort=sort, variants=variants, **filters), out)
    out.flush()
    click.echo(f"{counted(count, 'match')} written as {fmt}", err=True)


def print_warnings(warnings: tuple[str, ...]) -> None:
    """Each warning as one line on stderr, so stdout stays the answer (``--json`` too)."""
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
