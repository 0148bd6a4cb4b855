"""``search QUERY``: the command people use most; also ``searchlib search``."""

from __future__ import annotations

from pathlib import Path

import click

from searchlib import __version__
from searchlib.cli.analysis import export_matches, show_related
from searchlib.cli.common import (
    ReportingCommand,
    argv_text,
    chosen_aliases,
    color_option,
    corpus_option,
    index_option,
    run_update,
    traceback_option,
)
from searchlib.cli.render import build_report_text, make_console, print_results
from searchlib.cli.render_analysis import histogram_text, suggestion_text, variants_text
from searchlib.indexing.freshness import corpus_changed
from searchlib.indexing.store import index_exists
from searchlib.querying.facets import DEFAULT_FACETS, FACETS
from searchlib.querying.histogram import INTERVALS
from searchlib.querying.searcher import SORTS, Searcher

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

--like ID lists the articles most like one article instead (no QUERY);
--csv and --jsonl write every match (not one page) to stdout.

With no QUERY, every article matches (use the filters to narrow).
The index is built from --corpus on first use when there is none; when its articles changed
since, a note on stderr says so, and --update brings the index up to date first.
"""


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
@click.option(
    "--like",
    metavar="ID",
    help="List the articles most like article ID (key terms, shared names; its duplicates left out).",
)
@click.option(
    "--histogram",
    type=click.Choice(INTERVALS),
    help="Also count all matches by year, month or day (auto: by the span) and draw a bar chart.",
)
@click.option(
    "--variants/--no-variants",
    default=True,
    show_default=True,
    help="Also match other spellings of names typed with a capital (Kadhemi: Kadhimi, Kazemi).",
)
@click.option(
    "--collapse/--no-collapse",
    default=True,
    show_default=True,
    help="Show the same story from several outlets once, with 'also in: ...'.",
)
@click.option("--csv", "export", flag_value="csv", help="Write ALL matches as CSV to stdout (streamed).")
@click.option("--jsonl", "export", flag_value="jsonl", help="Write ALL matches as JSON Lines to stdout.")
@click.option(
    "--update",
    "update_first",
    is_flag=True,
    help="Bring the index up to date with its corpus first (as `searchlib update`).",
)
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
    like: str | None,
    histogram: str | None,
    variants: bool,
    collapse: bool,
    export: str | None,
    update_first: bool,
    index_dir: Path,
    corpus_dir: Path,
    color: str,
    traceback: bool,
) -> None:
    text = argv_text(query)
    if not index_exists(index_dir):
        _build_on_first_use(index_dir=index_dir, corpus_dir=corpus_dir, color=color)
    elif update_first:
        report = run_update(corpus_dir=None, index_dir=index_dir, color=color, aliases=chosen_aliases(None))
        make_console(color=color, stderr=True).print(build_report_text(report, verb="Updated"))
    if like:
        show_related(
            index_dir=index_dir, article_id=like, query=text, limit=limit, as_json=as_json, color=color
        )
        return
    filters = {
        "source": source,
        "entity": entity,
        "person": person,
        "org": org,
        "place": place,
        "date_from": date_from,
        "date_to": date_to,
    }
    if export:
        export_matches(
            index_dir=index_dir, query=text, filters=filters, sort=sort, fmt=export, variants=variants
        )
        return
    with Searcher(index_dir, memory_map=False) as searcher:  # one query: open fast, hold little
        results = searcher.search(
            text,
            **filters,
            sort=sort,
            page=page,
            page_size=limit,
            facets=(facet_names or DEFAULT_FACETS) if facets else None,
            histogram=histogram,
            variants=variants,
            collapse=collapse,
        )
    if as_json:
        click.echo(results.to_json(indent=2))
    else:
        console = make_console(color=color)
        print_results(console, results, show_facets=facets)
        if results.variants:
            console.print(variants_text(results.variants))
        if results.suggestion:
            console.print(suggestion_text(results.suggestion))
        if results.histogram and results.total:
            console.print()
            console.print(histogram_text(results.histogram))
    if not update_first and corpus_changed(index_dir):
        click.echo(
            "note: the articles changed since the index was last updated: run `searchlib update` "
            "(or search with --update)",
            err=True,
        )


def _build_on_first_use(*, index_dir: Path, corpus_dir: Path, color: str) -> None:
    err = make_console(color=color, stderr=True)
    err.print(f"No index at {index_dir} yet: building it from {corpus_dir} (first use).")
    # As an update: a search started meanwhile waits for this build and then finds the index.
    report = run_update(corpus_dir=corpus_dir, index_dir=index_dir, color=color, aliases=chosen_aliases(None))
    err.print(build_report_text(report, verb="Indexed" if report.rebuilt else "Updated"))
