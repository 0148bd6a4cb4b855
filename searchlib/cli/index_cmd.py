"""``searchlib index`` and ``searchlib stats``: making the index and looking at it."""

from __future__ import annotations

from pathlib import Path

import click

from searchlib.cli.common import (
    ReportingCommand,
    WriterChoices,
    index_option,
    run_build,
    run_update,
    traceback_option,
    warnings_option,
    writer_options,
)
from searchlib.cli.render import build_report_text, make_console, warnings_text
from searchlib.cli.update_cmd import chosen_corpus
from searchlib.controls import visible_record
from searchlib.indexing.store import index_exists
from searchlib.querying.searcher import Searcher
from searchlib.wording import counted


@click.command("index", cls=ReportingCommand)
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@click.option(
    "--rebuild",
    is_flag=True,
    help="Build again from scratch when an index exists (searches keep working meanwhile).",
)
@writer_options
def index_command(corpus: Path | None, rebuild: bool, writer: WriterChoices) -> None:
    """Build the index from a folder of articles (CORPUS, or --corpus), or from one file.

    Reads .txt articles, JSON Lines (.jsonl), CSV (.csv), saved web pages (.html) and web
    archives (.warc, .warc.gz), in any mix.

    When an index already exists it is updated (as by `searchlib update`); --rebuild builds it
    again from scratch instead.
    """
    options = writer.library_options()
    console = make_console(color=writer.color)
    if rebuild:
        options["follow_links"] = bool(writer.follow_links)  # a rebuild starts afresh, as with --fields
        report = run_build(
            corpus_dir=corpus or writer.corpus_dir, index_dir=writer.index_dir, color=writer.color, **options
        )
        console.print(build_report_text(report, list_warnings=writer.list_warnings))
        return
    # An update builds when there is no index once it holds the lock, so two `searchlib index`
    # started together build once: the second finds the first one's index and updates it.
    exists = index_exists(writer.index_dir)
    source = chosen_corpus(corpus, writer.corpus_dir) if exists else corpus or writer.corpus_dir
    options["follow_links"] = writer.follow_links
    report = run_update(corpus_dir=source, index_dir=writer.index_dir, color=writer.color, **options)
    if not report.rebuilt:
        click.echo(
            f"An index exists at {writer.index_dir}: updated it (--rebuild builds it from scratch).",
            err=True,
        )
    verb = "Indexed" if report.rebuilt else "Updated"
    console.print(build_report_text(report, verb=verb, list_warnings=writer.list_warnings))


@click.command("stats", cls=ReportingCommand)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@warnings_option
@index_option
@traceback_option
def stats_command(as_json: bool, list_warnings: bool, index_dir: Path, traceback: bool) -> None:
    """How many articles the index holds, from which sources, and how it was made."""
    with Searcher(index_dir, memory_map=False) as searcher:  # one-shot: see docs/architecture.md, "Memory"
        stats = searcher.stats()
    if as_json:
        click.echo(stats.to_json(indent=2))
        return
    stats = visible_record(stats)
    click.echo(
        f"{counted(stats.documents, 'article')} in {stats.index_dir} (schema {stats.schema_version}, "
        f"searchlib {stats.searchlib_version}, built {stats.built_at}) from {stats.corpus_dir}"
    )
    if stats.first_date and stats.last_date:
        undated = f" ({stats.undated:,} undated)" if stats.undated else ""
        click.echo(f"dated {stats.first_date:%Y-%m-%d} to {stats.last_date:%Y-%m-%d}{undated}")
    elif stats.documents:
        click.echo("no article has a date")
    for value in stats.sources:
        click.echo(f"  {value.count:>8,}  {value.value}")
    if stats.warnings:
        click.echo(warnings_text(stats.warnings, listed=list_warnings).plain.lstrip("\n"))
    else:
        click.echo("no warnings about the indexed files")
