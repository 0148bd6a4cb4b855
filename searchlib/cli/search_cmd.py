"""``search QUERY``: the command people use most; also ``searchlib search``."""

from __future__ import annotations

from pathlib import Path

import click

from searchlib import __version__
from searchlib.cli.analysis import export_matches, print_warnings, show_related
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
from searchlib.errors import IndexNotFound, UsageError
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


class SearchCommand(ReportingCommand):
    """``search``: a word starting with ``-`` (``-trump``) is part of the query, not an option.

    ``-trump`` leaves out articles with the word, as in most search engines; click would read
    it as the options ``-t -r ...`` and fail. Unknown ``--long`` options stay errors, so a
    mistyped option is never searched for.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options = [p for p in self.params if isinstance(p, click.Option)]
        known = {opt for p in options for opt in (*p.opts, *p.secondary_opts)} | set(ctx.help_option_names)
        takes_value = {opt for p in options if not p.is_flag and not p.count for opt in p.opts}
        kept: list[str] = []
        words: list[str] = []
        for position, arg in enumerate(args):
            if arg == "--":
                kept += args[position:]
                break
            is_word = arg.startswith("-") and not arg.startswith("--") and len(arg) > 1 and arg not in known
            value_of_option = bool(kept) and kept[-1] in takes_value  # --to -5
            (words if is_word and not value_of_option else kept).append(arg)
        if words:
            kept += ([] if "--" in kept else ["--"]) + words
        return super().parse_args(ctx, kept)


@click.command(
    "search", cls=SearchCommand, help=QUERY_HELP, context_settings={"help_option_names": ["-h", "--help"]}
)
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
@click.option("--csv", "as_csv", is_flag=True, help="Write ALL matches as CSV to stdout (streamed).")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Write ALL matches as JSON Lines to stdout.")
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
    as_csv: bool,
    as_jsonl: bool,
    update_first: bool,
    index_dir: Path,
    corpus_dir: Path,
    color: str,
    traceback: bool,
) -> None:
    text = argv_text(query)
    ctx = click.get_current_context()
    refuse_conflicts(ctx)
    export = "csv" if as_csv else "jsonl" if as_jsonl else None
    if not index_exists(index_dir):
        if given(ctx, "index_dir") and not given(ctx, "corpus_dir"):
            raise IndexNotFound(
                f"no index at {index_dir}: build it with `searchlib index CORPUS --index {index_dir}` "
                f"(or add --corpus CORPUS to build it now)"
            )
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
    print_warnings(results.warnings)
    if as_json:
        click.echo(results.to_json(indent=2))
    else:
        console = make_console(color=color)
        print_results(console, results, show_facets=facets, filters=filters)
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


_FILTERS = ("source", "entity", "person", "org", "place", "date_from", "date_to")
CONFLICTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("as_json", ("as_csv", "as_jsonl")),
    ("as_csv", ("as_jsonl",)),
    ("like", ("as_csv", "as_jsonl", *_FILTERS, "sort", "page", "histogram", "facet_names")),
    ("as_csv", ("page", "limit", "histogram", "facet_names")),
    ("as_jsonl", ("page", "limit", "histogram", "facet_names")),
)
"""Options that make no sense together: each first option with any of the others."""


def refuse_conflicts(ctx: click.Context) -> None:
    """A usage error for options given together that cannot both apply (``--csv --json``).

    Only options the user gave count: a default never conflicts.
    """
    for first, others in CONFLICTS:
        if not given(ctx, first):
            continue
        for other in others:
            if given(ctx, other):
                raise UsageError(
                    f"{_spelled(ctx, first)} and {_spelled(ctx, other)} cannot be used together: "
                    "leave one out"
                )


def given(ctx: click.Context, name: str) -> bool:
    """Whether the user set option ``name`` (on the command line or in the environment)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source not in (
        click.core.ParameterSource.DEFAULT,
        click.core.ParameterSource.DEFAULT_MAP,
    )


def _spelled(ctx: click.Context, name: str) -> str:
    option = next(p for p in ctx.command.params if p.name == name)
    return option.opts[0]


def _build_on_first_use(*, index_dir: Path, corpus_dir: Path, color: str) -> None:
    err = make_console(color=color, stderr=True)
    err.print(f"No index at {index_dir} yet: building it from {corpus_dir} (first use).")
    # As an update: a search started meanwhile waits for this build and then finds the index.
    aliases = chosen_aliases(None)
    report = run_update(
        corpus_dir=corpus_dir, index_dir=index_dir, color=color, aliases=aliases, label="Indexing"
    )
    err.print(build_report_text(report, verb="Indexed" if report.rebuilt else "Updated"))
