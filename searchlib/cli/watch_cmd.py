"""``searchlib watch add|run|list|remove``: saved searches and what is new for them."""

from __future__ import annotations

import json
from pathlib import Path

import click

from searchlib.analyst.watch import add_watch, list_watches, remove_watch, run_watches
from searchlib.cli.common import ReportingCommand, color_option, index_option, traceback_option
from searchlib.cli.render import make_console
from searchlib.cli.render_analysis import watch_report_text
from searchlib.controls import json_dumps_safe
from searchlib.errors import IndexNotFound
from searchlib.indexing.store import index_exists
from searchlib.querying.searcher import Searcher
from searchlib.wording import counted


@click.group("watch")
def watch_command() -> None:
    """Saved searches: `watch add NAME QUERY`, then `watch run` lists the articles each saved
    search matches that it had not matched before (new since its last run)."""


@watch_command.command("add", cls=ReportingCommand)
@click.argument("name")
@click.argument("query", nargs=-1, required=True)
@index_option
@traceback_option
def add_command(name: str, query: tuple[str, ...], index_dir: Path, traceback: bool) -> None:
    """Save QUERY as NAME; the articles it matches now count as seen."""
    with Searcher(index_dir, memory_map=False) as searcher:  # one-shot: see docs/architecture.md, "Memory"
        saved = add_watch(searcher, name, " ".join(query))
    click.echo(f"saved {saved.name!r}: {saved.query} ({counted(saved.seen, 'matching article')} so far)")


@watch_command.command("run", cls=ReportingCommand)
@click.argument("names", nargs=-1)
@click.option("--peek", is_flag=True, help="Show what is new without marking it as seen.")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@index_option
@color_option
@traceback_option
def run_command(
    names: tuple[str, ...], peek: bool, as_json: bool, index_dir: Path, color: str, traceback: bool
) -> None:
    """List, for each saved search (or those NAMES), the articles new since its last run."""
    with Searcher(index_dir, memory_map=False) as searcher:
        reports = run_watches(searcher, names, mark=not peek)
    if as_json:
        click.echo(json_dumps_safe([r.to_dict() for r in reports], indent=2))
        return
    console = make_console(color=color)
    if not reports:
        console.print("no saved searches: add one with `searchlib watch add NAME QUERY`")
    for report in reports:
        console.print(watch_report_text(report))


@watch_command.command("list", cls=ReportingCommand)
@click.option("--json", "as_json", is_flag=True, help="Print the saved searches as JSON.")
@index_option
@traceback_option
def list_command(as_json: bool, index_dir: Path, traceback: bool) -> None:
    """The saved searches, with when each last ran."""
    if not index_exists(index_dir):
        raise IndexNotFound(f"no index at {index_dir}: run `searchlib index CORPUS --index {index_dir}`")
    saved = list_watches(index_dir)
    if not saved and not as_json:
        click.echo("no saved searches yet: save one with `searchlib watch add NAME QUERY`", err=True)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in saved], ensure_ascii=False, indent=2))
        return
    for item in saved:
        click.echo(f"{item.name}\t{item.query}\tlast run {item.last_run_at or 'never'}\t{item.seen:,} seen")


@watch_command.command("remove", cls=ReportingCommand)
@click.argument("name")
@index_option
@traceback_option
def remove_command(name: str, index_dir: Path, traceback: bool) -> None:
    """Forget the saved search NAME."""
    removed = remove_watch(index_dir, name)
    click.echo(f"removed {removed.name!r}: {removed.query}")
