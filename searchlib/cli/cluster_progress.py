"""The progress display of a build or update that finds entities on a Dask cluster.

Two bars on stderr, one after the other in one live display: the articles whose entities are
known (from the cache or from the workers) with the cluster's NER rate, then the writing of the
index. ``rich`` allows one live display at a time, hence one ``Progress`` for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from searchlib.cli.render import make_console


@contextmanager
def cluster_progress_bars(*, color: str, label: str) -> Iterator[dict[str, Callable[..., None]]]:
    """The ``progress`` and ``cluster_progress`` callbacks of ``build_index``/``update_index``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=make_console(color=color, stderr=True),
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def show(name: str, done: int, total: int, rate: str) -> None:
        if not tasks:
            bar.start()
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=total, rate=rate)
        bar.update(tasks[name], completed=done, total=total, rate=rate)

    def on_cluster(done: int, total: int, rate: float) -> None:
        show("Entities on the cluster", done, total, f"{rate:,.1f} articles/s")

    def writing(done: int, total: int) -> None:
        show(label, done, total, "")

    try:
        yield {"progress": writing, "cluster_progress": on_cluster}
    finally:
        if tasks:
            bar.stop()
