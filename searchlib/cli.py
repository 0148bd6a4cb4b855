"""The command line: ``search`` for queries, ``searchlib`` for the index and everything else.

Each command parses its options, makes one library call and formats the answer. Errors a user
can cause print one line on stderr and exit with a named status (``ExitStatus``); ``--traceback``
shows the whole story for a bug report.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Any

import click

from searchlib import __version__
from searchlib.errors import (
    ArticleNotFound,
    ConfigError,
    CorpusNotFound,
    IndexLocked,
    IndexNotFound,
    QuerySyntaxError,
    SchemaMismatch,
    SearchlibError,
    UsageError,
)
from searchlib.facets import DEFAULT_FACETS, FACETS
from searchlib.indexer import build_index
from searchlib.models import BuildReport
from searchlib.render import build_report_text, make_console, print_results
from searchlib.search import SORTS, Searcher
from searchlib.store import index_exists


class ExitStatus(IntEnum):
    """Every exit code the CLI uses, by name."""

    SUCCESS = 0
    ERROR = 1
    USAGE = 2
    """Bad options or a query that cannot be understood (click uses 2 for usage errors too)."""
    INDEX_NOT_FOUND = 3
    INDEX_LOCKED = 4
    SCHEMA_MISMATCH = 5
    CORPUS_NOT_FOUND = 6
    ARTICLE_NOT_FOUND = 7
    CONFIG_ERROR = 8
    INTERRUPTED = 130


ERROR_STATUS: dict[type[SearchlibError], ExitStatus] = {
    QuerySyntaxError: ExitStatus.USAGE,
    UsageError: ExitStatus.USAGE,
    IndexNotFound: ExitStatus.INDEX_NOT_FOUND,
    IndexLocked: ExitStatus.INDEX_LOCKED,
    SchemaMismatch: ExitStatus.SCHEMA_MISMATCH,
    CorpusNotFound: ExitStatus.CORPUS_NOT_FOUND,
    ArticleNotFound: ExitStatus.ARTICLE_NOT_FOUND,
    ConfigError: ExitStatus.CONFIG_ERROR,
}

QUERY_HELP = """\
Search the article index. QUERY is words, "phrases", AND / OR / NOT, ( ) for grouping, and
fields:

\b
  Kataeb Hezbollah              both words (AND is the default)
  "Kataeb Hezbollah"            the exact phrase
  Soleimani OR Muhandis         either word
  Iraq NOT Syria                leave out articles that mention Syria
  person:Kadhemi                a person named Kadhemi (also org:, place:, entity:)
  org:"Hashed al-Shaabi"        an organisation, as a phrase
  source:"Iraq News"            articles from one source
  title:election                a word in the headline
  date:2020-12                  December 2020 (also date:2020, date:2020-12-31)
  date:[2020-01-01 TO 2020-06-30]   a date range
  Soleimany~                    fuzzy: words within one edit (Soleimani)
  elect*                        prefix: election, elected, electoral ...

With no QUERY, every article matches (use the filters to narrow).
The index is built from --corpus on first use when there is none.
"""


class ReportingCommand(click.Command):
    """A command whose known errors become one line on stderr and a named exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SearchlibError as exc:
            if _wants_traceback(ctx):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(_status_for(exc))
        except KeyboardInterrupt:
            if _wants_traceback(ctx):
                raise
            click.echo("interrupted", err=True)
            ctx.exit(ExitStatus.INTERRUPTED)


def _wants_traceback(ctx: click.Context) -> bool:
    return any(c.params.get("traceback") for c in _context_chain(ctx))


def _context_chain(ctx: click.Context | None) -> list[click.Context]:
    chain = []
    while ctx is not None:
        chain.append(ctx)
        ctx = ctx.parent
    return chain


def _status_for(exc: SearchlibError) -> ExitStatus:
    for kind in type(exc).__mro__:
        if kind in ERROR_STATUS:
            return ERROR_STATUS[kind]  # type: ignore[index]
    return ExitStatus.ERROR


def index_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--index DIR``, the same on every command."""
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("index"),
        envvar="SEARCHLIB_INDEX",
        show_default=True,
        show_envvar=True,
        help="Index folder.",
    )(func)


def corpus_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--corpus DIR``, on every command that reads articles."""
    return click.option(
        "--corpus",
        "corpus_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("corpus"),
        envvar="SEARCHLIB_CORPUS",
        show_default=True,
        show_envvar=True,
        help="Folder of article .txt files.",
    )(func)


def traceback_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--traceback``: let errors raise, for bug reports."""
    return click.option(
        "--traceback", is_flag=True, hidden=False, help="Show the full traceback of an error."
    )(func)


def color_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour: on a terminal only (auto; NO_COLOR turns it off), always or never.",
    )(func)


@click.command("search", cls=ReportingCommand, help=QUERY_HELP)
@click.argument("query", nargs=-1)
@click.option("--source", multiple=True, help="Only articles from this source (repeat for several).")
@click.option("--entity", multiple=True, help="Only articles naming this person, organisation or place.")
@click.option("--person", multiple=True, help="Only articles naming this person.")
@click.option("--org", multiple=True, help="Only articles naming this organisation.")
@click.option("--place", multiple=True, help="Only articles naming this place.")
@click.option(
    "--from",
    "date_from",
    metavar="DATE",
    help="Only articles from this date on (YYYY, YYYY-MM or YYYY-MM-DD).",
)
@click.option("--to", "date_to", metavar="DATE", help="Only articles up to this date (inclusive).")
@click.option(
    "--sort", type=click.Choice(SORTS), default="relevance", show_default=True, help="Order of the hits."
)
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True, help="Which page of hits.")
@click.option("--facets/--no-facets", default=True, show_default=True, help="Show facet counts.")
@click.option(
    "--facet",
    "facet_names",
    multiple=True,
    type=click.Choice(list(FACETS)),
    help=f"Facets to count (default: {', '.join(DEFAULT_FACETS)}).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON document.")
@index_option
@corpus_option
@color_option
@traceback_option
@click.version_option(__version__, prog_name="searchlib")
def search_command(
    query: tuple[str, ...],
    source: tuple[str, ...],
    entity: tuple[str, ...],
    person: tuple[str, ...],
    org: tuple[str, ...],
    place: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    sort: str,
    limit: int,
    page: int,
    facets: bool,
    facet_names: tuple[str, ...],
    as_json: bool,
    index_dir: Path,
    corpus_dir: Path,
    color: str,
    traceback: bool,
) -> None:
    text = " ".join(query)
    if not index_exists(index_dir):
        _build_on_first_use(index_dir=index_dir, corpus_dir=corpus_dir, color=color)
    with Searcher(index_dir) as searcher:
        results = searcher.search(
            text,
            source=source,
            entity=entity,
            person=person,
            org=org,
            place=place,
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            page=page,
            page_size=limit,
            facets=(facet_names or DEFAULT_FACETS) if facets else None,
        )
    if as_json:
        click.echo(results.to_json(indent=2))
        return
    print_results(make_console(color=color), results, show_facets=facets)


def _build_on_first_use(*, index_dir: Path, corpus_dir: Path, color: str) -> None:
    err = make_console(color=color, stderr=True)
    err.print(f"No index at {index_dir} yet: building it from {corpus_dir} (first use).")
    report = _run_build(corpus_dir=corpus_dir, index_dir=index_dir, color=color)
    err.print(build_report_text(report))


def _run_build(*, corpus_dir: Path, index_dir: Path, color: str, max_bytes: int | None = None) -> BuildReport:
    """A build with a progress bar on stderr."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    options: dict[str, Any] = {} if max_bytes is None else {"max_bytes": max_bytes}
    err = make_console(color=color, stderr=True)
    with Progress(
        TextColumn("Indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("index", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return build_index(corpus_dir, index_dir=index_dir, progress=progress, **options)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="searchlib")
def cli() -> None:
    """searchlib: full-text search for folders of news articles.

    Build an index with `searchlib index CORPUS`, then query it with `search QUERY`
    (or `searchlib search QUERY`).
    """


cli.add_command(search_command)


@cli.command("index", cls=ReportingCommand)
@click.argument("corpus", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--rebuild",
    is_flag=True,
    help="Build again from scratch when an index exists (searches keep working meanwhile).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(1),
    default=None,
    help="Skip article files larger than this (default 20 MB).",
)
@index_option
@corpus_option
@color_option
@traceback_option
def index_command(
    corpus: Path | None,
    rebuild: bool,
    max_bytes: int | None,
    index_dir: Path,
    corpus_dir: Path,
    color: str,
    traceback: bool,
) -> None:
    """Build the index from a folder of articles (CORPUS, or --corpus)."""
    source = corpus or corpus_dir
    if index_exists(index_dir) and not rebuild:
        raise UsageError(f"an index already exists at {index_dir}: pass --rebuild to build it again")
    report = _run_build(corpus_dir=source, index_dir=index_dir, color=color, max_bytes=max_bytes)
    make_console(color=color).print(build_report_text(report))


@cli.command("stats", cls=ReportingCommand)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@index_option
@traceback_option
def stats_command(as_json: bool, index_dir: Path, traceback: bool) -> None:
    """How many articles the index holds, from which sources, and how it was made."""
    with Searcher(index_dir) as searcher:
        stats = searcher.stats()
    if as_json:
        click.echo(stats.to_json(indent=2))
        return
    click.echo(
        f"{stats.documents:,} articles in {stats.index_dir} (schema {stats.schema_version}, "
        f"searchlib {stats.searchlib_version}, built {stats.built_at}) from {stats.corpus_dir}"
    )
    for value in stats.sources:
        click.echo(f"  {value.count:>8,}  {value.value}")


def main() -> None:
    """Entry point of the ``searchlib`` command."""
    cli(prog_name="searchlib")


def search_main() -> None:
    """Entry point of the ``search`` command."""
    search_command(prog_name="search")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
