"""``searchlib batch NAMES.txt``: one search per line, one CSV row per search."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import click

from searchlib.analyst.batch import read_queries, run_batch, write_batch_csv
from searchlib.cli.common import (
    ReportingCommand,
    color_option,
    index_option,
    progress_bar,
    traceback_option,
)
from searchlib.cli.render import make_console
from searchlib.models import BatchRow
from searchlib.querying.searcher import Searcher
from searchlib.wording import counted


@click.command("batch", cls=ReportingCommand)
@click.argument("names", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8", lazy=True),
    default="-",
    help="Write the CSV here (default: stdout).",
)
@click.option("--ids", is_flag=True, help="Add a column with the ids of every matching article.")
@click.option(
    "--sources", "top", type=click.IntRange(1, 100), default=3, show_default=True, help="Top sources."
)
@click.option("--source", multiple=True, help="Only articles from this source (repeat for several).")
@click.option("--from", "date_from", metavar="DATE", help="Only articles from this date on.")
@click.option("--to", "date_to", metavar="DATE", help="Only articles up to this date (inclusive).")
@index_option
@color_option
@traceback_option
def batch_command(
    names: Path,
    output: TextIO,
    ids: bool,
    top: int,
    source: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    index_dir: Path,
    color: str,
    traceback: bool,
) -> None:
    """Search each line of NAMES (a query per line; blank lines and # comments skipped) and write
    a CSV row per query: hits, first and last date, top sources (and with --ids the matching
    article ids). A line that cannot be searched is reported on stderr and skipped."""
    queries = read_queries(names)
    err = make_console(color=color, stderr=True)

    def report(row: BatchRow) -> None:
        err.print(f"line {row.line} skipped: {row.error}", markup=False)

    with (
        Searcher(index_dir) as searcher,
        progress_bar(color=color, label="Searching", unit="queries") as progress,
    ):
        for warning in searcher.warnings("", source=source, date_from=date_from, date_to=date_to):
            click.echo(f"warning: {warning}", err=True)
        rows = run_batch(
            searcher,
            queries,
            ids=ids,
            sources=top,
            progress=progress,
            source=source,
            date_from=date_from,
            date_to=date_to,
        )
        written, failed = write_batch_csv(rows, output, ids=ids, on_error=report)
    err.print(f"{counted(written, 'query')} searched, {failed:,} skipped")
