"""``searchlib update``: bring the index in line with the corpus without rebuilding it."""

from __future__ import annotations

from pathlib import Path

import click

from searchlib.cli.common import (
    ReportingCommand,
    chosen_aliases,
    chosen_fields,
    run_update,
    writer_options,
)
from searchlib.cli.render import build_report_text, make_console


@click.command("update", cls=ReportingCommand)
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@writer_options
def update_command(
    corpus: Path | None,
    max_bytes: int,
    lock_timeout: float,
    index_dir: Path,
    corpus_dir: Path,
    color: str,
    traceback: bool,
    aliases: Path | None,
    list_warnings: bool,
    fields: str | None,
    follow_links: bool | None,
    cluster: str | None,
) -> None:
    """Index new and changed articles and drop deleted ones (CORPUS defaults to the indexed one).

    Unchanged files are recognised by size and modification time, or by the hash of their bytes,
    and are not indexed again; with no index yet, this builds one from CORPUS.
    """
    report = run_update(
        corpus_dir=chosen_corpus(corpus, corpus_dir),
        index_dir=index_dir,
        color=color,
        max_bytes=max_bytes,
        lock_timeout=lock_timeout,
        aliases=chosen_aliases(aliases),
        fields=chosen_fields(fields),
        follow_links=follow_links,
        cluster=cluster,
    )
    make_console(color=color).print(build_report_text(report, verb="Updated", list_warnings=list_warnings))


def chosen_corpus(corpus: Path | None, corpus_dir: Path) -> Path | None:
    """The corpus the user named (argument or --corpus / $SEARCHLIB_CORPUS), else None.

    None lets the update use the folder the index records instead of the `corpus` default.
    """
    if corpus is not None:
        return corpus
    source = click.get_current_context().get_parameter_source("corpus_dir")
    return None if source is click.core.ParameterSource.DEFAULT else corpus_dir
