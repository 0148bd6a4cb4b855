"""``searchlib update``: bring the index in line with the corpus without rebuilding it."""

from __future__ import annotations

from pathlib import Path

import click

from searchlib.cli.common import ReportingCommand, WriterChoices, run_update, writer_options
from searchlib.cli.render import build_report_text, make_console


@click.command("update", cls=ReportingCommand)
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@writer_options
def update_command(corpus: Path | None, writer: WriterChoices) -> None:
    """Index new and changed articles and drop deleted ones (CORPUS defaults to the indexed one).

    Unchanged files are recognised by size and modification time, or by the hash of their bytes,
    and are not indexed again; with no index yet, this builds one from CORPUS.
    """
    report = run_update(
        corpus_dir=chosen_corpus(corpus, writer.corpus_dir),
        index_dir=writer.index_dir,
        color=writer.color,
        follow_links=writer.follow_links,
        **writer.library_options(),
    )
    text = build_report_text(report, verb="Updated", list_warnings=writer.list_warnings)
    make_console(color=writer.color).print(text)


def chosen_corpus(corpus: Path | None, corpus_dir: Path) -> Path | None:
    """The corpus the user named (argument or --corpus / $SEARCHLIB_CORPUS), else None.

    None lets the update use the folder the index records instead of the `corpus` default.
    """
    if corpus is not None:
        return corpus
    source = click.get_current_context().get_parameter_source("corpus_dir")
    return None if source is click.core.ParameterSource.DEFAULT else corpus_dir
