"""``searchlib entities``: the names the index knows best, and what was merged under each."""

from __future__ import annotations

from pathlib import Path

import click

from searchlib.cli.common import ReportingCommand, index_option, traceback_option
from searchlib.controls import visible_controls
from searchlib.models import ENTITY_TYPES, EntityList
from searchlib.querying.facets import FACETS
from searchlib.querying.searcher import Searcher
from searchlib.wording import counted

MAX_VARIANTS_SHOWN = 6


@click.command("entities", cls=ReportingCommand)
@click.option("--type", "kind", type=click.Choice(ENTITY_TYPES), help="Only entities of this type.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="How many to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@index_option
@traceback_option
def entities_command(kind: str | None, limit: int, as_json: bool, index_dir: Path, traceback: bool) -> None:
    """The entities most articles name, with counts and the variants merged under each.

    Variants are the other names articles used ("US" under "United States", "Sergei Lavrov"
    under "Sergey Lavrov"); "typed" shows how articles typed an entity when they disagreed.
    Names listed apart that are one thing belong in the aliases file.
    """
    with Searcher(index_dir, memory_map=False) as searcher:  # one-shot: see docs/architecture.md, "Memory"
        listing = searcher.entities(type=kind, limit=limit)
    if as_json:
        click.echo(listing.to_json(indent=2))
        return
    for line in entity_lines(listing):
        click.echo(visible_controls(line))


def entity_lines(listing: EntityList) -> list[str]:
    """The listing as aligned text lines: articles, name (type), variants with their counts."""
    what = FACETS[listing.type].label if listing.type else "Entities"
    shown = len(listing.entities)
    lines = [f"{what}: top {shown:,} of {listing.total:,} in {counted(listing.documents, 'article')}"]
    width = max((len(e.name) for e in listing.entities), default=0)
    for entity in listing.entities:
        kind = "" if listing.type else f"  {entity.type:<6}"
        variants = " \u00b7 ".join(f"{v.name} {v.articles:,}" for v in entity.variants[:MAX_VARIANTS_SHOWN])
        if len(entity.variants) > MAX_VARIANTS_SHOWN:
            variants += f" \u2026 (+{len(entity.variants) - MAX_VARIANTS_SHOWN})"
        also = f"  also: {variants}" if variants else ""
        votes = " \u00b7 ".join(f"{v.type} {v.articles:,}" for v in entity.votes)
        typed = f"  typed: {votes}" if len(entity.votes) > 1 else ""
        lines.append(f"{entity.articles:>8,}{kind}  {entity.name:<{width}}{also}{typed}".rstrip())
    return lines
