"""The ``search`` options that answer something other than a page of hits.

``search_cmd`` hands over to these when ``--like`` (and the other analyst options) are given;
each opens the index, makes one library call and formats the answer.
"""

from __future__ import annotations

from pathlib import Path

import click

from searchlib.errors import UsageError
from searchlib.render import make_console
from searchlib.render_analysis import print_related
from searchlib.search import Searcher


def show_related(
    *, index_dir: Path, article_id: str, query: str, limit: int, as_json: bool, color: str
) -> None:
    """``search --like ID``: the articles most like one article."""
    if query:
        raise UsageError("--like finds articles like one article: give it an id and no query words")
    with Searcher(index_dir) as searcher:
        related = searcher.related(article_id, limit=limit)
    if as_json:
        click.echo(related.to_json(indent=2))
        return
    print_related(make_console(color=color), related)
