"""The command line: ``search`` for queries, ``searchlib`` for the index and everything else.

Each command parses its options, makes one library call and formats the answer. Errors a user
can cause print one line on stderr and exit with a named status (``ExitStatus``); ``--traceback``
shows the whole story for a bug report. One module per command (or small group of commands);
this module only assembles them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import click

from searchlib import __version__
from searchlib.cli.batch_cmd import batch_command
from searchlib.cli.common import ExitStatus, ReportingCommand
from searchlib.cli.entities_cmd import entities_command
from searchlib.cli.index_cmd import index_command, stats_command
from searchlib.cli.search_cmd import search_command
from searchlib.cli.serve_cmd import serve_command
from searchlib.cli.update_cmd import update_command
from searchlib.cli.watch_cmd import watch_command

__all__ = ["ExitStatus", "ReportingCommand", "cli", "main", "search_command", "search_main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="searchlib")
def cli() -> None:
    """searchlib: full-text search for folders of news articles.

    Build an index with `searchlib index CORPUS`, then query it with `search QUERY`
    (or `searchlib search QUERY`).
    """


for command in (
    search_command,
    index_command,
    update_command,
    stats_command,
    entities_command,
    batch_command,
    serve_command,
    watch_command,
):
    cli.add_command(command)


def main() -> None:
    """Entry point of the ``searchlib`` command."""
    with exit_without_collecting():
        cli(prog_name="searchlib")


def search_main() -> None:
    """Entry point of the ``search`` command."""
    with exit_without_collecting():
        search_command(prog_name="search")


@contextmanager
def exit_without_collecting() -> Iterator[None]:
    """Run a command whose process ends with it, and leave what it loaded to the operating system.

    While Python shuts down it runs full garbage collections, each walking every object still
    alive: after a first search that built its index, spaCy's model and the place lists (a
    million references), 0.4 s of a two-second command, spent freeing memory that the end of
    the process frees anyway. Frozen (``gc.freeze``), those objects are left out of the
    collections. The rest of the shutdown is as before: ``atexit`` handlers run, streams are
    flushed, objects no longer referenced are freed; only objects caught in reference cycles
    stay until the process ends (Python never promised to finalise those at exit).
    """
    try:
        yield
    finally:
        gc.freeze()
