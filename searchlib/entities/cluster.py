"""Finding entities on a Dask cluster: the same job as ``ner.ParallelMentionFinder``, on many machines.

Named entity recognition is nearly all of what a build costs (tens of articles a second per
core); a scheduler and workers of Dask's ``distributed`` (``pip install "searchlib[cluster]"``)
spread it over every core of every machine that runs a worker. The client reads the articles and
sends their text with each task, so workers need no shared file system, only searchlib itself.
Each worker loads the spaCy model once, in a worker plugin, and keeps it for every later task
and build. Tasks are pure (a list of texts in, their spans out), so when a worker dies the
scheduler runs its tasks again on another one and nothing is lost or found twice.

This module imports ``distributed`` at the top: it is imported only when a cluster is asked for.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from typing import Any, TypeVar

from searchlib.entities.cache import EntityCache, text_key
from searchlib.entities.mentions import SpanLabel
from searchlib.entities.ner import DEFAULT_MODEL, NER_VERSION, MentionFinder
from searchlib.errors import ClusterError
from searchlib.models import BuildReport

try:
    import distributed
    from distributed import Client, WorkerPlugin, as_completed, get_worker
    from distributed.client import ClosedClientError
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ClusterError(
        'a cluster needs Dask\'s distributed package: pip install "searchlib[cluster]"'
    ) from exc

K = TypeVar("K")

TEXTS_PER_TASK = 8
"""Texts per Dask task: about half a second of NER on one core, against a few milliseconds of
scheduling (see docs/scaling.md), so no worker waits long for the last tasks of a build."""
TASKS_PER_THREAD = 3
"""Tasks kept submitted per worker thread: enough that a worker never waits for the client to
read the next articles, few enough that the texts waiting on the cluster stay small."""
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for the scheduler, and then for its first worker."""

DASK_CLIENT_LOGGERS = ("distributed.client", "distributed.utils")
"""Where a Dask client logs the end of its attempts to reach a scheduler that went away."""

ClusterProgress = Callable[[int, int, float], None]
"""Called as ``progress(done, total, rate)``: articles whose entities are known (from the
cache or found on the cluster), articles to look at, and NER articles a second across the
cluster since the start."""


class NerWorkerPlugin(WorkerPlugin):
    """Lives in each worker process: one ``MentionFinder`` loaded once and kept for every task.

    The model loads on the worker's first task (in its task thread, not its event loop, which
    must keep answering the scheduler); a worker with several threads runs one NER call at a
    time, because spaCy holds the interpreter lock anyway.
    """

    idempotent = True
    """A second build on the same cluster keeps the model the workers have already loaded."""

    def __init__(self, model: str, batch_size: int) -> None:
        self.model = model
        self.batch_size = batch_size
        self.name = plugin_name(model)

    def setup(self, worker: Any) -> None:
        self._finder = MentionFinder(model=self.model, batch_size=self.batch_size)
        self._lock = threading.Lock()
        self.texts_found = 0
        """Texts this worker ran NER on, for monitoring (``client.run``)."""

    def find(self, texts: list[str]) -> list[list[SpanLabel]]:
        with self._lock:
            found = self._finder.find(texts)
            self.texts_found += len(texts)
            return found


def plugin_name(model: str) -> str:
    return f"searchlib-ner/{model}"


def find_on_worker(texts: list[str], model: str) -> tuple[str, list[list[SpanLabel]]]:
    """A Dask task: the raw spans of ``texts``, with the NER version that found them (the client
    refuses spans from a worker whose searchlib finds entities differently from its own)."""
    plugin = get_worker().plugins.get(plugin_name(model))
    if plugin is None:  # pragma: no cover - the client registers it before submitting
        raise ClusterError(f"this worker has no searchlib NER plugin for {model!r}")
    return NER_VERSION, plugin.find(texts)


class ClusterMentionFinder:
    """Finds raw entity spans on the workers of the Dask scheduler at ``address``.

    It has the interface of ``ParallelMentionFinder`` (``find``, ``close``, a context manager)
    and adds ``stream``, which keeps the cluster busy with texts as they are read and hands back
    each task's spans as it finishes. ``address`` is a scheduler address (``tcp://host:8786``)
    or a ``distributed.LocalCluster``. The client connects on first use.
    """

    def __init__(
        self,
        address: str | Any,
        *,
        model: str = DEFAULT_MODEL,
        batch_size: int = 32,
        texts_per_task: int = TEXTS_PER_TASK,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        self.address = address
        self.model = model
        self.batch_size = batch_size
        self.texts_per_task = max(1, texts_per_task)
        self.connect_timeout = connect_timeout
        self._client: Client | None = None

    def __enter__(self) -> ClusterMentionFinder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def find(self, texts: Sequence[str]) -> list[list[SpanLabel]]:
        """The raw spans of each text, in order."""
        found: dict[int, list[SpanLabel]] = {}
        for part in self.stream(enumerate(texts)):
            found.update(part)
        return [found[i] for i in range(len(texts))]

    def stream(self, items: Iterable[tuple[K, str]]) -> Iterator[list[tuple[K, list[SpanLabel]]]]:
        """The spans of each ``(key, text)``, one finished task's worth at a time, in the order
        the tasks finish; ``items`` is read only as fast as the cluster can take its texts.
        With no items it never connects: an update with nothing new needs no cluster."""
        chunks = _chunks(items, self.texts_per_task)
        first = next(chunks, None)
        if first is None:
            return
        client = self._connect()
        chunks = chain([first], chunks)
        running = as_completed(loop=client.loop)
        keys: dict[str, list[K]] = {}
        exhausted = False
        try:
            while True:
                if not exhausted:
                    exhausted = self._top_up(client, chunks, running, keys)
                if running.is_empty():
                    return
                future = next(running)
                yield list(zip(keys.pop(future.key), self._result(future), strict=True))
        finally:
            for future in list(running.futures):
                future.release()

    def close(self) -> None:
        """Disconnect from the scheduler (the cluster itself keeps running).

        A client that lost its scheduler is still trying to reconnect: closing it stops that,
        which Dask logs as an error with a traceback, and may fail inside its timers ("Cannot
        change state of expiring Timeout"). The user has had the one-line error already, so
        that log is kept off the terminal and such a failure ignored."""
        if self._client is not None:
            lost = self._client.status == "connecting"
            try:
                with _quiet(*DASK_CLIENT_LOGGERS) if lost else nullcontext():
                    self._client.close()
            except (RuntimeError, OSError, TimeoutError):
                if not lost:  # a lost client's connection is gone already: nothing to close
                    raise
            finally:
                self._client = None

    def _top_up(
        self, client: Client, chunks: Iterator[list[tuple[K, str]]], running: Any, keys: dict[str, list[K]]
    ) -> bool:
        """Submit tasks until each worker thread has ``TASKS_PER_THREAD``; True when ``chunks``
        ran out. Counted afresh each time, so workers that join during a build get work too."""
        with self._asking(client):
            threads = sum(client.nthreads().values())
        wanted = TASKS_PER_THREAD * max(1, threads)
        while running.count() < wanted:
            chunk = next(chunks, None)
            if chunk is None:
                return True
            with self._asking(client):
                future = client.submit(find_on_worker, [text for _key, text in chunk], self.model, pure=False)
            keys[future.key] = [key for key, _text in chunk]
            running.add(future)
        return False

    @contextmanager
    def _asking(self, client: Client) -> Iterator[None]:
        """Around a call to the scheduler between tasks: a scheduler lost just before it is the
        same one-line error as one lost while a task runs, never Dask's traceback. A client
        still reconnecting fails with ``OSError`` when its time is up; one that has given up
        (status ``closed``) has no scheduler left to ask, and fails with whatever that gives."""
        try:
            yield
        except (OSError, CancelledError, ClosedClientError) as exc:
            raise self._lost(exc) from None
        except Exception:
            if client.status == "closed":
                raise self._lost(ConnectionError("the client stopped trying to reconnect")) from None
            raise

    def _result(self, future: Any) -> list[list[SpanLabel]]:
        try:
            version, spans = future.result()
        except distributed.KilledWorker as exc:  # more deaths than distributed.scheduler.allowed-failures
            raise ClusterError(
                "the same articles were being analysed by every worker that died during this build "
                f"(out of memory?): {_one_line(exc)}; articles already done are kept: run the command again"
            ) from None
        except (OSError, CancelledError) as exc:
            raise self._lost(exc) from None
        if version != NER_VERSION:
            raise ClusterError(
                f"a worker finds entities with {version}, this machine with {NER_VERSION}: install the "
                "same searchlib version on every worker"
            )
        return [[(int(s), int(e), str(label)) for s, e, label in found] for found in spans]

    def _connect(self) -> Client:
        if self._client is None:
            self._client = connect(self.address, timeout=self.connect_timeout)
            plugin = NerWorkerPlugin(self.model, self.batch_size)
            self._client.register_plugin(plugin, name=plugin_name(self.model))
        return self._client

    def _address_text(self) -> str:
        return str(getattr(self.address, "scheduler_address", self.address))

    def _lost(self, exc: BaseException) -> ClusterError:
        """The error of a build whose scheduler went away; a cancelled task says why in a word
        (``scheduler-connection-lost``), not in Dask's two-line message."""
        why = getattr(exc, "reason", None) or _one_line(exc)
        return ClusterError(
            f"lost the Dask scheduler at {self._address_text()} ({why}); articles already done "
            "are kept: run the command again when the cluster is back"
        )


def connect(address: str | Any, *, timeout: float = CONNECT_TIMEOUT) -> Client:
    """A client of the scheduler at ``address`` that has at least one worker, or ``ClusterError``
    saying what to start."""
    shown = getattr(address, "scheduler_address", address)
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(
            f"cannot reach a Dask scheduler at {shown} ({exc}): start one with `dask scheduler` "
            "and give its address (tcp://HOST:8786)"
        ) from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        client.close()
        raise ClusterError(
            f"the Dask scheduler at {shown} has no workers: start some with `dask worker {shown}`"
        ) from None
    return client


@dataclass(frozen=True)
class FillReport:
    """What ``fill_cache`` did: articles looked at, found in the cache, found on the cluster."""

    texts: int
    cached: int
    found: int
    seconds: float

    def added_to(self, report: BuildReport) -> BuildReport:
        """``report`` of the build or update that followed, its time counting this one's."""
        return replace(report, seconds=report.seconds + self.seconds)


def fill_cache(
    texts: Iterable[str | None],
    *,
    finder: ClusterMentionFinder,
    cache: EntityCache,
    total: int | None = None,
    progress: ClusterProgress | None = None,
    lookup: int = 500,
) -> FillReport:
    """Find the spans of every text not yet in ``cache`` on the cluster and store them there.

    Each task's spans are stored as soon as it finishes, so an interrupted run loses at most the
    tasks in flight and the next one starts where it stopped. Texts are looked up in the cache
    ``lookup`` at a time; a text met again while its first copy is on the cluster is not sent
    twice. A None among ``texts`` stands for an article that needs no NER (it counts as done).
    ``total`` (how many texts will come, if known) is what ``progress`` counts towards.
    """
    started = time.perf_counter()
    counts = _Counts()
    on_cluster: set[str] = set()

    def report() -> None:
        if progress is not None:
            elapsed = max(time.perf_counter() - started, 1e-9)
            progress(counts.done, max(total or 0, counts.seen), counts.found / elapsed)

    def missing() -> Iterator[tuple[str, str]]:
        for batch in _chunks(texts, lookup):
            keyed = [(text_key(text), text) for text in batch if text is not None]
            counts.seen += len(batch)
            counts.done += len(batch) - len(keyed)
            known = cache.get_many([key for key, _text in keyed])
            for key, text in keyed:
                if key in known:
                    counts.done += 1
                    counts.cached += 1
                elif key in on_cluster:  # counted done when its first copy comes back
                    counts.repeats[key] = counts.repeats.get(key, 0) + 1
                else:
                    on_cluster.add(key)
                    yield key, text
            report()

    for part in finder.stream(missing()):
        cache.put_many(dict(part))
        for key, _spans in part:
            on_cluster.discard(key)
            counts.done += 1 + counts.repeats.pop(key, 0)
        counts.found += len(part)
        report()
    report()
    return FillReport(counts.seen, counts.cached, counts.found, time.perf_counter() - started)


@dataclass
class _Counts:
    seen: int = 0
    done: int = 0
    cached: int = 0
    found: int = 0
    repeats: dict[str, int] = field(default_factory=dict)
    """Texts met again while their first copy was on the cluster, by key."""


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line: errors are one line (Dask's may hold several)."""
    return " ".join(str(exc).split())


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """Only critical records from the loggers ``names`` while inside."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    found = iter(items)
    while batch := list(islice(found, size)):
        yield batch
