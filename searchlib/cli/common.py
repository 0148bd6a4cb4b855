"""What every command shares: named exit statuses, one-line errors, the common options."""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from enum import IntEnum
from pathlib import Path
from typing import Any

import click

from searchlib.articles.fields import FieldMap, parse_fields
from searchlib.articles.textfile import DEFAULT_MAX_BYTES
from searchlib.cli.render import make_console
from searchlib.controls import visible_controls
from searchlib.errors import (
    ArticleNotFound,
    ClusterError,
    ConfigError,
    CorpusNotFound,
    IndexLocked,
    IndexNotFound,
    IndexWriteError,
    QuerySyntaxError,
    SchemaMismatch,
    SearchlibError,
    UsageError,
)
from searchlib.indexing.locking import DEFAULT_LOCK_TIMEOUT
from searchlib.indexing.store import index_exists
from searchlib.models import BuildReport


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
    WRITE_FAILED = 9
    CLUSTER_FAILED = 10
    """The Dask cluster of ``--cluster`` cannot be reached or used."""
    INTERRUPTED = 130
    BROKEN_PIPE = 141
    """The reader of the output went away (``search --jsonl | head``), as 128 + SIGPIPE."""


ERROR_STATUS: dict[type[SearchlibError], ExitStatus] = {
    QuerySyntaxError: ExitStatus.USAGE,
    UsageError: ExitStatus.USAGE,
    IndexNotFound: ExitStatus.INDEX_NOT_FOUND,
    IndexLocked: ExitStatus.INDEX_LOCKED,
    SchemaMismatch: ExitStatus.SCHEMA_MISMATCH,
    CorpusNotFound: ExitStatus.CORPUS_NOT_FOUND,
    ArticleNotFound: ExitStatus.ARTICLE_NOT_FOUND,
    ConfigError: ExitStatus.CONFIG_ERROR,
    IndexWriteError: ExitStatus.WRITE_FAILED,
    ClusterError: ExitStatus.CLUSTER_FAILED,
}


class ReportingCommand(click.Command):
    """A command whose known errors become one line on stderr and a named exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SearchlibError as exc:
            if _wants_traceback(ctx):
                raise
            click.echo(f"error: {visible_controls(str(exc))}", err=True)
            ctx.exit(_status_for(exc))
        except KeyboardInterrupt:
            if _wants_traceback(ctx):
                raise
            click.echo("interrupted", err=True)
            ctx.exit(ExitStatus.INTERRUPTED)
        except BrokenPipeError:
            # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(ExitStatus.BROKEN_PIPE)


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


def argv_text(values: tuple[str, ...]) -> str:
    """Command-line words as one valid Unicode string.

    Bytes the locale cannot decode reach Python as lone surrogates, which cannot be printed
    back; they become U+FFFD so the query can be echoed, searched and written as JSON.
    """
    text = " ".join(values)
    try:
        raw = text.encode("utf-8", "surrogateescape")  # the bytes as typed
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


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
        type=click.Path(path_type=Path),
        default=Path("corpus"),
        envvar="SEARCHLIB_CORPUS",
        show_default=True,
        show_envvar=True,
        help="Folder of articles (.txt, .jsonl, .csv, .html, .warc.gz), or one such file.",
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


def wait_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--wait SECONDS``: how long a writer waits for another one to finish."""
    return click.option(
        "--wait",
        "lock_timeout",
        type=click.FloatRange(0),
        default=DEFAULT_LOCK_TIMEOUT,
        show_default=True,
        metavar="SECONDS",
        help="Wait this long for another process writing the index before giving up.",
    )(func)


def max_bytes_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-bytes N``: the article size limit, the same for builds and updates."""
    return click.option(
        "--max-bytes",
        type=click.IntRange(1),
        default=DEFAULT_MAX_BYTES,
        help="Skip article files larger than this many bytes (default 20 MB).",
    )(func)


DEFAULT_ALIASES_FILE = Path("aliases.toml")


def aliases_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--aliases FILE``: the user's aliases file, read on top of the shipped starter file."""
    return click.option(
        "--aliases",
        "aliases",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        envvar="SEARCHLIB_ALIASES",
        show_envvar=True,
        help="Aliases file (TOML) merging entity names; default: aliases.toml here if it exists, "
        "else the one the index was built with.",
    )(func)


def chosen_aliases(aliases: Path | None) -> Path | None:
    """The aliases file named, else ``aliases.toml`` in the current folder if there is one."""
    if aliases is not None:
        return aliases
    return DEFAULT_ALIASES_FILE if DEFAULT_ALIASES_FILE.is_file() else None


def warnings_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--warnings``: list every per-file warning, not only their count."""
    return click.option(
        "--warnings",
        "list_warnings",
        is_flag=True,
        help="List each file's warnings (bad bytes, impossible dates, no header...), not only their count.",
    )(func)


def fields_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--fields``: the keys of JSON Lines and CSV records, when not the usual ones."""
    return click.option(
        "--fields",
        "fields",
        default=None,
        metavar="ROLE=KEY,...|FILE.toml",
        help="Keys of JSON Lines/CSV records holding the parts of an article, e.g. "
        "title=headline,body=text,date=published, or a TOML file with a [fields] table "
        "(default: the usual names; an update reuses the index's).",
    )(func)


def chosen_fields(fields: str | None) -> FieldMap | None:
    """The field map named by ``--fields``, or None to use the default (or the index's)."""
    return parse_fields(fields) if fields else None


def follow_links_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--follow-links``: index links to files outside the corpus folder (skipped by default)."""
    return click.option(
        "--follow-links/--no-follow-links",
        "follow_links",
        default=None,
        help="Index links that lead to files outside the article folder (skipped by default: "
        "the folder is untrusted input); an update reuses the index's choice.",
    )(func)


def cluster_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--cluster ADDRESS``: find entities on the workers of a Dask scheduler (docs/scaling.md)."""
    return click.option(
        "--cluster",
        "cluster",
        metavar="ADDRESS",
        default=None,
        envvar="SEARCHLIB_CLUSTER",
        show_envvar=True,
        help="Find entities on the workers of the Dask scheduler at ADDRESS (tcp://HOST:8786); "
        'needs pip install "searchlib[cluster]".',
    )(func)


@dataclass(frozen=True)
class WriterChoices:
    """What the user chose with the options every command that writes the index shares."""

    index_dir: Path
    corpus_dir: Path
    """``--corpus`` or ``$SEARCHLIB_CORPUS``, else its default: a CORPUS argument comes first."""
    color: str
    list_warnings: bool
    max_bytes: int
    lock_timeout: float
    aliases: Path | None
    fields: str | None
    follow_links: bool | None
    cluster: str | None

    def library_options(self) -> dict[str, Any]:
        """The keyword arguments of ``build_index`` and ``update_index`` these make, but for the
        folders and ``follow_links``, which a build and an update settle each in its own way."""
        return {
            "max_bytes": self.max_bytes,
            "lock_timeout": self.lock_timeout,
            "aliases": chosen_aliases(self.aliases),
            "fields": chosen_fields(self.fields),
            "cluster": self.cluster,
        }


def writer_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options of every command that writes the index, given to it as one ``writer``
    (``WriterChoices``). ``--traceback`` is read from the context by ``ReportingCommand``."""
    names = [field.name for field in fields(WriterChoices)]

    @functools.wraps(func)
    def with_choices(*args: Any, traceback: bool, **kwargs: Any) -> Any:
        writer = WriterChoices(**{name: kwargs.pop(name) for name in names})
        return func(*args, writer=writer, **kwargs)

    command = with_choices
    for option in (
        warnings_option,
        fields_option,
        follow_links_option,
        cluster_option,
        aliases_option,
        traceback_option,
        color_option,
        corpus_option,
        index_option,
        wait_option,
        max_bytes_option,
    ):
        command = option(command)
    return command


def run_build(*, corpus_dir: Path, index_dir: Path, color: str, **options: Any) -> BuildReport:
    """A full build with a progress bar on stderr; ``options`` go to ``build_index``."""
    from searchlib.indexing.build import build_index  # not imported for a search of a built index

    with _writer_progress(color=color, label="Indexing", cluster=options.get("cluster")) as callbacks:
        return build_index(corpus_dir, index_dir=index_dir, **callbacks, **options)


def run_update(
    *, corpus_dir: Path | None, index_dir: Path, color: str, label: str | None = None, **options: Any
) -> BuildReport:
    """An incremental update with a progress bar on stderr; ``options`` go to ``update_index``.

    The bar says "Indexing" when there is no index yet (the update builds one), else "Updating".
    """
    if label is None:
        label = "Updating" if index_exists(index_dir) else "Indexing"
    from searchlib.indexing.update import update_index  # not imported for a search of a built index

    with _writer_progress(color=color, label=label, cluster=options.get("cluster")) as callbacks:
        return update_index(corpus_dir, index_dir=index_dir, **callbacks, **options)


@contextmanager
def _writer_progress(*, color: str, label: str, cluster: str | None) -> Iterator[dict[str, Any]]:
    """The progress callbacks of a build or update: one bar, or two with a cluster."""
    if cluster is not None:
        from searchlib.cli.cluster_progress import cluster_progress_bars

        with cluster_progress_bars(color=color, label=label) as callbacks:
            yield callbacks
        return
    with progress_bar(color=color, label=label) as progress:
        yield {"progress": progress}


@contextmanager
def progress_bar(*, color: str, label: str, unit: str = "articles") -> Iterator[Callable[[int, int], None]]:
    """A transient progress bar on stderr, as a ``progress(done, total)`` callback.

    It counts ``unit`` (``1,234/3,410 articles``) with their rate and the time left. The bar
    appears with the first report of progress, so an error before any work (a locked index, a
    missing corpus) stays the one line on stderr.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    err = make_console(color=color, stderr=True)
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.fields[total_text]} " + unit),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    task = bar.add_task(label, total=None, total_text="?", rate="")
    started: list[float] = []

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if not started:
            started.append(now)
        elapsed = now - started[0]
        rate = f"{done / elapsed:,.0f} {unit}/s" if done and elapsed > 0.5 else ""
        bar.update(task, completed=done, total=total, total_text=f"{total:,}", rate=rate)
        if len(started) == 1:
            bar.start()
            started.append(now)

    try:
        yield progress
    finally:
        if len(started) > 1:
            bar.stop()
