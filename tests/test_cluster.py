"""Entity extraction on a real Dask cluster: a ``LocalCluster`` of two worker processes.

The cluster is started once for the module (each worker loads spaCy once, a few seconds).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import dask
import distributed  # the test extra installs searchlib[cluster]
import pytest
from click.testing import CliRunner

from searchlib import Searcher, build_index, update_index
from searchlib.cli.common import ExitStatus
from searchlib.entities.cache import CACHE_FILE, EntityCache
from searchlib.entities.cluster import (
    TEXTS_PER_TASK,
    ClusterMentionFinder,
    NerWorkerPlugin,
    connect,
    plugin_name,
)
from searchlib.entities.extract import EntityExtractor
from searchlib.entities.ner import DEFAULT_MODEL, NER_VERSION
from searchlib.errors import ClusterError
from searchlib.indexing import schema as f
from searchlib.indexing.store import index_exists, open_current

COPIES = 3
"""Each fixture article three times over (each copy a different text) for the fault tests."""


@pytest.fixture(scope="module")
def cluster() -> Any:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster: Any) -> Any:
    with distributed.Client(cluster, set_as_default=False) as opened:
        yield opened


@pytest.fixture(scope="module")
def larger_corpus(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture corpus ``COPIES`` times, each copy with a line of its own (so its own text)."""
    target = tmp_path_factory.mktemp("larger") / "articles"
    target.mkdir()
    for source in sorted(corpus_dir.glob("*.txt")):
        text = source.read_text(encoding="utf-8")
        for copy in range(COPIES):
            (target / f"{source.stem}-{copy}.txt").write_text(
                f"{text}\nCopy {copy} of this report was filed from Geneva.\n", encoding="utf-8"
            )
    return target


def test_cluster_build_has_the_entities_of_a_local_build(
    corpus_dir: Path, index_dir: Path, cluster: Any, client: Any, tmp_path: Path
) -> None:
    before = texts_found(client)
    seen: list[tuple[int, int, float]] = []
    report = build_index(
        corpus_dir,
        index_dir=tmp_path / "index",
        cluster=cluster.scheduler_address,
        cluster_progress=lambda *args: seen.append(args),
    )
    assert entity_columns(tmp_path / "index") == entity_columns(index_dir)
    assert report.added == len(entity_columns(index_dir))
    assert texts_found(client) - before == report.added  # every article's NER ran on a worker
    done, total, rate = seen[-1]
    assert done == total == report.added and rate > 0


def test_finder_gives_spans_in_order(cluster: Any, corpus_dir: Path) -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus_dir.glob("*.txt"))[:4]]
    with ClusterMentionFinder(cluster.scheduler_address, texts_per_task=1) as finder:
        found = finder.find(texts)
    with EntityExtractor(processes=1) as local:
        assert found == local.raw_spans(texts)


def test_a_worker_killed_mid_build_loses_nothing(
    larger_corpus: Path, cluster: Any, client: Any, tmp_path: Path
) -> None:
    killed: list[int] = []

    def kill_a_busy_worker(done: int, total: int, rate: float) -> None:
        if killed or done == 0 or done == total:
            return
        busy = [worker for worker, keys in client.processing().items() if keys]
        if busy:
            pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    index = tmp_path / "index"
    report = build_index(
        larger_corpus, index_dir=index, cluster=cluster.scheduler_address, cluster_progress=kill_a_busy_worker
    )
    assert killed, "no worker was busy to be killed"
    files = sorted(path.stem for path in larger_corpus.glob("*.txt"))
    columns = entity_columns(index)
    assert sorted(columns) == files and report.added == len(files)  # each article once
    assert columns == entity_columns(local_build(larger_corpus, tmp_path / "local"))
    with EntityCache(index / CACHE_FILE, version=f"{DEFAULT_MODEL}/{NER_VERSION}") as cache:
        assert len(cache) == len(files)


def test_an_interrupted_build_resumes_from_the_cache(
    larger_corpus: Path, cluster: Any, client: Any, tmp_path: Path
) -> None:
    index = tmp_path / "index"

    def interrupt_after_the_first_task(done: int, total: int, rate: float) -> None:
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index(
            larger_corpus,
            index_dir=index,
            cluster=cluster.scheduler_address,
            cluster_progress=interrupt_after_the_first_task,
        )
    with EntityCache(index / CACHE_FILE, version=f"{DEFAULT_MODEL}/{NER_VERSION}") as cache:
        kept = len(cache)
    files = len(list(larger_corpus.glob("*.txt")))
    assert 0 < kept < files
    wait_until_idle(client)
    before = texts_found(client)
    report = build_index(larger_corpus, index_dir=index, cluster=cluster.scheduler_address)
    assert report.added == files
    assert texts_found(client) - before == files - kept  # the finished articles were not sent again


def test_update_sends_only_new_articles(
    fresh_corpus: Path, cluster: Any, client: Any, corpus_dir: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    build_index(fresh_corpus, index_dir=index, cluster=cluster.scheduler_address)
    shutil.copy(next(corpus_dir.glob("*.txt")), fresh_corpus / "900_new.txt")
    (fresh_corpus / "901_new.txt").write_text(
        " date 2017-01-02 - Source: Test Wire\n\nTalks in Geneva\n\n"
        "Angela Merkel met Emmanuel Macron in Geneva.\n",
        encoding="utf-8",
    )
    wait_until_idle(client)
    before = texts_found(client)
    report = update_index(index_dir=index, cluster=cluster.scheduler_address)
    assert (report.added, report.changed, report.removed) == (2, 0, 0)
    assert texts_found(client) - before == 1  # the copy's text was in the cache already
    assert "901_new" in entity_columns(index)


def test_cli_index_and_update_take_the_cluster_from_the_environment(
    fresh_corpus: Path, cluster: Any, tmp_path: Path
) -> None:
    from searchlib.cli import cli

    index = tmp_path / "index"
    env = {"SEARCHLIB_CLUSTER": cluster.scheduler_address}
    runner = CliRunner()
    built = runner.invoke(cli, ["index", str(fresh_corpus), "--index", str(index)], env=env)
    assert built.exit_code == 0, built.output
    assert (index / CACHE_FILE).is_file()
    updated = runner.invoke(
        cli, ["update", "--index", str(index), "--cluster", cluster.scheduler_address], catch_exceptions=False
    )
    assert updated.exit_code == 0 and "0 added" in updated.output


def test_cli_reports_an_unreachable_scheduler_in_one_line(fresh_corpus: Path, tmp_path: Path) -> None:
    from searchlib.cli import cli
    from searchlib.cli.common import ExitStatus

    result = CliRunner().invoke(
        cli, ["index", str(fresh_corpus), "--index", str(tmp_path / "index"), "--cluster", "nonsense://here"]
    )
    assert result.exit_code == ExitStatus.CLUSTER_FAILED
    assert result.output.startswith("error: cannot reach a Dask scheduler at nonsense://here")
    assert result.output.count("\n") == 1


def test_connect_names_the_scheduler_that_did_not_answer() -> None:
    with pytest.raises(ClusterError, match=r"cannot reach a Dask scheduler at tcp://127\.0\.0\.1:9 "):
        connect("tcp://127.0.0.1:9", timeout=1)


def test_an_update_with_nothing_new_needs_no_cluster(index_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    report = update_index(index_dir=copy, cluster="tcp://127.0.0.1:9")  # nothing listens there
    assert report.unchanged > 0 and (report.added, report.changed, report.removed) == (0, 0, 0)


def test_without_a_cluster_dask_is_never_imported(index_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    script = (
        "import sys; from searchlib import update_index; import searchlib.cli; "
        f"update_index(index_dir={str(copy)!r}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def entity_columns(index: Path) -> dict[str, tuple[Any, Any]]:
    """id -> (entities, entity variants) of every document of the index."""
    ix, _manifest = open_current(index, memory_map=False)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        entities, variants = reader.column_reader(f.ENTITIES), reader.column_reader(f.ENTITY_VARIANTS)
        return {stored[f.ID]: (entities[docnum], variants[docnum]) for docnum, stored in reader.iter_docs()}


def local_build(corpus: Path, index: Path) -> Path:
    """An index of ``corpus`` built with NER in this process."""
    with EntityExtractor(processes=1, cache_path=index.parent / "local-cache.sqlite") as extractor:
        build_index(corpus, index_dir=index, extractor=extractor)
    return index


def texts_found(client: Any) -> int:
    """Texts the cluster's workers have run NER on so far (restarted workers start again at 0)."""

    def count(dask_worker: Any) -> int:
        plugin = dask_worker.plugins.get(plugin_name(DEFAULT_MODEL))
        return getattr(plugin, "texts_found", 0)

    return sum(client.run(count).values())


def wait_until_idle(client: Any, timeout: float = 240) -> None:
    """Wait for tasks a stopped build left running (their results are dropped) and for both
    workers to be up, so that counting ``texts_found`` afterwards counts only the next build."""
    deadline = time.monotonic() + timeout
    while len(client.nthreads()) < 2 or any(client.run(running_tasks).values()):
        assert time.monotonic() < deadline, "the cluster did not settle"
        time.sleep(0.1)


def running_tasks(dask_worker: Any) -> int:
    """Tasks a worker is running, released ones included (a running task cannot be stopped)."""
    return len(dask_worker.active_threads)


def test_cli_reports_a_scheduler_without_workers_in_one_line(fresh_corpus: Path, tmp_path: Path) -> None:
    """docs/scaling.md: a scheduler with no workers is one line, exit 10, and no index is made."""
    from searchlib.cli import cli
    from searchlib.cli.common import ExitStatus
    from searchlib.indexing.store import index_exists

    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as empty:
        address = empty.scheduler_address
        result = CliRunner().invoke(
            cli, ["index", str(fresh_corpus), "--index", str(tmp_path / "index"), "--cluster", address]
        )
    assert result.exit_code == ExitStatus.CLUSTER_FAILED, result.output
    assert result.output == (
        f"error: the Dask scheduler at {address} has no workers: start some with `dask worker {address}`\n"
    )
    assert not index_exists(tmp_path / "index")


def test_cli_without_the_distributed_package_says_how_to_install_it(
    fresh_corpus: Path, tmp_path: Path
) -> None:
    """docs/scaling.md: `distributed` not installed is one line, exit 10, and no index is made.

    The child process runs the real CLI with the package made unimportable, as Python marks a
    missing module (``sys.modules[name] = None``)."""
    from searchlib.cli.common import ExitStatus
    from searchlib.indexing.store import index_exists

    index = tmp_path / "index"
    code = "import sys; sys.modules['distributed'] = None; from searchlib.cli import cli; cli()"
    command = [sys.executable, "-c", code, "index", str(fresh_corpus), "--index", str(index)]
    result = subprocess.run(
        [*command, "--cluster", "tcp://127.0.0.1:1"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == ExitStatus.CLUSTER_FAILED, result.stderr
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert lines == ['error: a cluster needs Dask\'s distributed package: pip install "searchlib[cluster]"']
    assert not index_exists(index)


@pytest.fixture()
def doomed_cluster() -> Any:
    """A cluster of one worker process whose scheduler a test closes during a build."""
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    )
    yield cluster
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):  # its scheduler is gone
        cluster.close()


def test_cli_build_that_loses_its_scheduler_fails_in_one_line_and_makes_no_index(
    fresh_corpus: Path, doomed_cluster: Any, tmp_path: Path
) -> None:
    """docs/scaling.md: the scheduler lost during the build is one line, exit 10, no index."""
    index = tmp_path / "index"
    result = lose_the_scheduler_mid_build(doomed_cluster, ["index", str(fresh_corpus), "--index", str(index)])
    assert result.returncode == ExitStatus.CLUSTER_FAILED, result.stderr
    assert_lost_the_scheduler(result, doomed_cluster.scheduler_address)
    assert not index_exists(index)


def test_cli_update_that_loses_its_scheduler_keeps_the_index_it_had(
    fresh_corpus: Path, doomed_cluster: Any, tmp_path: Path
) -> None:
    """docs/scaling.md: the scheduler lost during an update is one line, exit 10, and the index
    answers as before it: the old articles found, the new one not yet."""
    index = local_build(fresh_corpus, tmp_path / "index")
    before = entity_columns(index)
    (fresh_corpus / "901_new.txt").write_text(
        " date 2017-01-02 - Source: Test Wire\n\nZeppelin talks in Geneva\n\n"
        "Angela Merkel met Emmanuel Macron in Geneva to talk about zeppelins.\n",
        encoding="utf-8",
    )
    result = lose_the_scheduler_mid_build(doomed_cluster, ["update", "--index", str(index)])
    assert result.returncode == ExitStatus.CLUSTER_FAILED, result.stderr
    assert_lost_the_scheduler(result, doomed_cluster.scheduler_address)
    assert entity_columns(index) == before
    with Searcher(index) as searcher:
        assert searcher.search("Kataeb Hezbollah").total > 0
        assert searcher.search("zeppelins").total == 0


@pytest.mark.parametrize("client_gave_up", [False, True], ids=["reconnecting", "closed"])
def test_a_scheduler_lost_between_tasks_is_the_one_line_error(
    doomed_cluster: Any, client_gave_up: bool
) -> None:
    """The scheduler lost after a task came back and before the next are sent (the finder first
    asks it how many worker threads there are): the same ``ClusterError`` as for one lost while
    a task runs, whether the client is still trying to reconnect or has given up."""
    address = doomed_cluster.scheduler_address
    texts = [(n, f"Angela Merkel met Emmanuel Macron in Geneva on day {n}.") for n in range(12)]
    with ClusterMentionFinder(doomed_cluster, texts_per_task=1, connect_timeout=2) as finder:
        stream = finder.stream(iter(texts))
        assert next(stream)  # a task back; more texts are still to send
        doomed_cluster.sync(doomed_cluster.scheduler.close, reason="lost in a test")
        deadline = time.monotonic() + 60
        while client_gave_up and finder._client is not None and finder._client.status != "closed":
            assert time.monotonic() < deadline, "the client did not give up reconnecting"
            time.sleep(0.1)
        with pytest.raises(ClusterError) as raised:
            next(stream)
    message = str(raised.value)
    assert message.startswith(f"lost the Dask scheduler at {address} (") and "\n" not in message
    assert message.endswith("articles already done are kept: run the command again when the cluster is back")


def lose_the_scheduler_mid_build(cluster: Any, arguments: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``searchlib ARGUMENTS --cluster`` on ``cluster`` and close its scheduler while the
    build's first task runs on the worker.

    The worker's NER plugin (the real one, registered as a build registers it) has its lock
    held, as a long NER call would hold it: the build's task waits for it, so it is surely
    still running when the scheduler closes, however slow the machine."""
    address = cluster.scheduler_address
    command = [sys.executable, "-m", "searchlib", *arguments, "--cluster", address]
    with distributed.Client(cluster, set_as_default=False) as client:
        client.register_plugin(NerWorkerPlugin(DEFAULT_MODEL, batch_size=32), name=plugin_name(DEFAULT_MODEL))
        assert all(client.run(hold_the_ner_lock).values())
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not any(client.run(running_tasks).values()):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the build sent no task"
            time.sleep(0.05)
    cluster.sync(cluster.scheduler.close, reason="lost in a test")
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def hold_the_ner_lock(dask_worker: Any) -> bool:
    """Take the lock a worker's NER calls run under (it is never given back: the worker is
    stopped with its cluster)."""
    return dask_worker.plugins[plugin_name(DEFAULT_MODEL)]._lock.acquire(blocking=False)


def assert_lost_the_scheduler(result: subprocess.CompletedProcess[str], address: str) -> None:
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: lost the Dask scheduler at {address} (scheduler-connection-lost); ")
    assert lines[0].endswith("run the command again when the cluster is back")


WORKER_MEMORY = "1GiB"
"""Each worker's memory limit in the memory test: a worker with the model loaded fits in it
with room to spare, a task of eight 100,000-character articles needs several times more."""


@pytest.fixture()
def small_memory_cluster() -> Any:
    """Two workers of ``WORKER_MEMORY`` whose nanny restarts a worker past 95% of it, as on a
    real machine; a task may see one worker die and be run again, not two (Dask allows three)."""
    settings = {"distributed.scheduler.allowed-failures": 1, "distributed.worker.memory.terminate": 0.95}
    with (
        dask.config.set(settings),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            memory_limit=WORKER_MEMORY,
            processes=True,
            dashboard_address=None,
        ) as cluster,
    ):
        yield cluster


def test_cli_build_whose_articles_kill_every_worker_stops_in_one_line(
    corpus_dir: Path, small_memory_cluster: Any, tmp_path: Path
) -> None:
    """docs/scaling.md: a task that kills more workers than allowed stops the build in one line,
    exit 10, with no index; here its articles need more memory than a worker has."""
    from searchlib.indexing.build import MAX_ENTITY_CHARS

    body = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted(corpus_dir.glob("*.txt")))
    corpus = tmp_path / "long"
    corpus.mkdir()
    for number in range(TEXTS_PER_TASK):  # one task's worth, each as long as NER will look
        header = f" date 2021-01-0{number + 1} - Source: Long Wire\n\nLong report {number}\n\n"
        text = header + body * (MAX_ENTITY_CHARS // len(body) + 1)
        (corpus / f"{number}_long.txt").write_text(text[:MAX_ENTITY_CHARS], encoding="utf-8")
    index = tmp_path / "index"
    address = small_memory_cluster.scheduler_address
    command = [sys.executable, "-m", "searchlib", "index", str(corpus), "--index", str(index)]
    result = subprocess.run([*command, "--cluster", address], capture_output=True, text=True, timeout=300)
    assert result.returncode == ExitStatus.CLUSTER_FAILED, result.stderr
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(
        "error: the same articles were being analysed by every worker that died during this build "
    )
    assert lines[0].endswith("articles already done are kept: run the command again")
    assert not index_exists(index)
