"""Crashes and concurrency with real processes: SIGKILL mid-write, searches during writes, two writers.

Each writer runs in a child process (``writer_child.py``) with a fast, real entity finder, so the
tests exercise Whoosh's files, searchlib's sidecar and manifest and the kernel's locks as they
are, without spaCy in every child.
"""

from __future__ import annotations

import contextlib
import json
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from writer_child import DIE_AT, NameExtractor

from searchlib import Searcher, build_index, update_index
from searchlib.cli import ExitStatus, cli
from searchlib.errors import IndexLocked, IndexNotFound
from searchlib.indexing.locking import write_lock
from searchlib.indexing.store import read_manifest

CHILD = Path(__file__).with_name("writer_child.py")
BASE, ADDED, CHANGED, DELETED = 60, 80, 10, 10


@dataclass(frozen=True)
class State:
    """What a search sees: which articles, and how many carry the revised text."""

    ids: frozenset[str]
    revised: int


@dataclass(frozen=True)
class Scenario:
    corpus: Path
    index: Path
    old: State
    new: State


def write_article(folder: Path, number: int, *, revised: bool = False) -> None:
    word = "revised" if revised else "original"
    (folder / f"a{number:03d}.txt").write_text(
        f" date 2021-05-{number % 28 + 1:02d} - Source: Wire {number % 3}\n\n"
        f"Headline number {number}\n\nMaria Lopez of ACME said token{number} is {word}. "
        f"John Smith disagreed.\n"
    )


@pytest.fixture()
def scenario(tmp_path: Path) -> Scenario:
    """An index of BASE articles; then the corpus gains, changes and loses some."""
    corpus, index = tmp_path / "corpus", tmp_path / "ix"
    corpus.mkdir()
    for number in range(BASE):
        write_article(corpus, number)
    build_index(corpus, index_dir=index, extractor=NameExtractor())
    old = State(frozenset(f"a{n:03d}" for n in range(BASE)), 0)
    for number in range(BASE, BASE + ADDED):
        write_article(corpus, number)
    for number in range(CHANGED):
        write_article(corpus, number, revised=True)
    for number in range(BASE - DELETED, BASE):
        (corpus / f"a{number:03d}.txt").unlink()
    new = State(frozenset(p.stem for p in corpus.glob("*.txt")), CHANGED)
    return Scenario(corpus, index, old, new)


def state(index: Path) -> State:
    with Searcher(index) as searcher:
        everything = searcher.search("", page_size=1000, facets=None, snippets=0)
        ids = [hit.id for hit in everything.hits]
        assert len(ids) == len(set(ids)) == everything.total, "duplicate or missing documents"
        return State(frozenset(ids), searcher.search("revised", facets=None).total)


def spawn(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


WRITER_DELAYS = ("0.004", "0.02", "0.1")
"""Seconds a test writer sleeps per article, slower on each try until searches overlap it."""


def wait_started(proc: subprocess.Popen[str]) -> None:
    line = proc.stdout.readline() if proc.stdout else ""
    assert line.strip() == "started", f"child failed: {line}{proc.stderr.read() if proc.stderr else ''}"


def debris(index: Path) -> list[str]:
    """What a killed writer may leave that the next writer must remove."""
    current = read_manifest(index).generation
    folder = index / current
    found = [p for p in index.glob("gen-*") if p.name > current]
    found += list(index.glob(".manifest-*")) + list(folder.glob(".files-*")) + list(folder.glob(".facets-*"))
    found += list(folder.glob(".clusters-*")) + list(folder.glob(".resolution-*"))
    found += list(folder.glob("_*.toc.*")) + [p for p in folder.glob("*.tmp") if p.is_dir()]
    return sorted(p.name for p in found)


def recover_and_check(scenario: Scenario, seen: State) -> None:
    """The next update completes the work, cleans up, and a further one finds nothing to do."""
    report = update_index(index_dir=scenario.index, extractor=NameExtractor())
    assert state(scenario.index) == scenario.new
    if seen == scenario.new:
        assert report.indexed == 0 and report.removed == 0, "committed work was done twice"
    assert debris(scenario.index) == []
    again = update_index(index_dir=scenario.index, extractor=NameExtractor())
    assert (again.indexed, again.removed, again.unchanged) == (0, 0, len(scenario.new.ids))


@pytest.mark.parametrize("command", ["update", "build"])
@pytest.mark.parametrize("point", sorted(set(DIE_AT) - {"extracting-late"}))
def test_sigkill_at_each_point_of_a_write(scenario: Scenario, command: str, point: str) -> None:
    proc = spawn(command, scenario.index, scenario.corpus, "--die-at", point)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    seen = state(scenario.index)
    assert seen in (scenario.old, scenario.new), f"killed when {DIE_AT[point]}: a half-written index"
    if command == "build":
        assert seen == scenario.old, "a build that never switched must not be visible"
    recover_and_check(scenario, seen)


@pytest.mark.parametrize("seed", range(4))
def test_sigkill_at_random_moments_of_an_update(scenario: Scenario, seed: int) -> None:
    delay = random.Random(seed).uniform(0, 0.8)
    proc = spawn("update", scenario.index, scenario.corpus, "--slow", "0.005")
    wait_started(proc)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    seen = state(scenario.index)
    assert seen in (scenario.old, scenario.new), f"killed {delay:.3f} s in: a half-written index"
    recover_and_check(scenario, seen)


def processes_mentioning(token: str) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            if token.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
    return found


def test_a_killed_build_leaves_no_writer_processes_holding_the_lock(tmp_path: Path) -> None:
    """Whoosh's writer processes, forked while the lock is held, die with the build."""
    corpus, index = tmp_path / "corpus", tmp_path / "ix"
    corpus.mkdir()
    for number in range(400):
        write_article(corpus, number)
    proc = spawn("build", index, corpus, "--die-at", "extracting-late")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, err
    assert int(out.split()[-1]) >= 1, "the build had no writer processes to leave behind"
    deadline = time.monotonic() + 30  # a deadline, not a wait: a loaded machine reaps slowly
    while processes_mentioning(str(index)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_mentioning(str(index)) == []
    with write_lock(index, timeout=0):
        pass
    update_index(corpus, index_dir=index, extractor=NameExtractor())
    assert len(state(index).ids) == 400


def test_a_first_build_killed_leaves_no_index_and_the_next_update_builds(scenario: Scenario) -> None:
    fresh = scenario.index.parent / "fresh"
    proc = spawn("build", fresh, scenario.corpus, "--die-at", "extracting")
    proc.wait(timeout=60)
    with pytest.raises(IndexNotFound, match="searchlib index"):
        Searcher(fresh)
    update_index(scenario.corpus, index_dir=fresh, extractor=NameExtractor())
    assert state(fresh) == scenario.new
    assert [p.name for p in fresh.glob("gen-*")] == [read_manifest(fresh).generation]


@pytest.mark.parametrize("command", ["build", "update"])
def test_searches_in_a_loop_during_a_write_see_the_old_or_the_new_index(
    scenario: Scenario, command: str
) -> None:
    seen: list[State] = []
    long_lived = Searcher(scenario.index)
    writers = 2 if command == "build" else 1  # two rebuilds: the first generation gets deleted
    for slow in WRITER_DELAYS:  # a loaded machine may finish a write between two searches
        for _ in range(writers):
            proc = spawn(command, scenario.index, scenario.corpus, "--slow", slow)
            wait_started(proc)
            while proc.poll() is None:
                seen.append(state(scenario.index))
                long_lived.refresh()
                total = long_lived.search("", facets=None).total
                assert total in (len(scenario.old.ids), len(scenario.new.ids))
            assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
        if len(seen) >= 3:
            break
    long_lived.close()
    assert len(seen) >= 3, "the write finished before the searches could overlap it"
    assert set(seen) <= {scenario.old, scenario.new}
    assert state(scenario.index) == scenario.new


def test_a_second_writer_gives_up_with_index_locked_and_a_dead_writer_frees_the_lock(
    scenario: Scenario,
) -> None:
    holder = spawn("hold-lock", scenario.index)
    wait_started(holder)
    result = CliRunner().invoke(cli, ["update", "--index", str(scenario.index), "--wait", "0.3"])
    assert result.exit_code == ExitStatus.INDEX_LOCKED
    assert result.stderr.startswith(f"error: another process (pid {holder.pid}) is writing the index")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    with pytest.raises(IndexLocked):
        build_index(scenario.corpus, index_dir=scenario.index, extractor=NameExtractor(), lock_timeout=0)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    update_index(index_dir=scenario.index, extractor=NameExtractor(), lock_timeout=0)
    assert state(scenario.index) == scenario.new


def test_two_updates_at_once_one_waits_for_the_other(scenario: Scenario) -> None:
    first = spawn("update", scenario.index, scenario.corpus, "--slow", "0.005")
    wait_started(first)
    second = spawn("update", scenario.index, scenario.corpus)
    outputs = sorted(proc.communicate(timeout=60)[0].split("\n")[-2] for proc in (first, second))
    assert (first.returncode, second.returncode) == (0, 0)
    assert outputs == ["done 0 0 0", f"done {ADDED} {CHANGED} {DELETED}"]
    assert state(scenario.index) == scenario.new


def test_two_first_builds_at_once_build_once(scenario: Scenario) -> None:
    """What `search` on first use and `searchlib index` do: the second waits, then updates."""
    fresh = scenario.index.parent / "fresh"
    first = spawn("update", fresh, scenario.corpus, "--slow", "0.005")
    wait_started(first)
    second = spawn("update", fresh, scenario.corpus)
    reports = [json.loads(proc.communicate(timeout=60)[0].splitlines()[-2]) for proc in (first, second)]
    assert [(r["rebuilt"], r["added"], r["unchanged"]) for r in reports] == [
        (True, len(scenario.new.ids), 0),
        (False, 0, len(scenario.new.ids)),
    ]
    assert state(fresh) == scenario.new


@pytest.mark.parametrize("command", ["update", "build"])
@pytest.mark.parametrize("limit", [8_000, 50_000])  # below a table of contents; below a segment
def test_a_failed_write_keeps_the_last_committed_state_and_its_space(
    scenario: Scenario, command: str, limit: int
) -> None:
    """A full disk, simulated by a file size limit (RLIMIT_FSIZE) on the writer's process."""
    generations = sorted(p.name for p in scenario.index.glob("gen-*"))
    proc = spawn(command, scenario.index, scenario.corpus, "--file-limit", str(limit))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 9, err
    error = out.splitlines()[-1]
    assert error.startswith("IndexWriteError: cannot write the index at") and "File too large" in error
    assert error.endswith("run `searchlib update` again")
    assert state(scenario.index) == scenario.old
    assert sorted(p.name for p in scenario.index.glob("gen-*")) == generations, (
        "a failed build kept its files"
    )
    recover_and_check(scenario, scenario.old)


def seen_by(searcher: Searcher) -> State:
    """``state`` as a searcher that stays up sees the index."""
    everything = searcher.search("", page_size=1000, facets=None, snippets=0)
    ids = [hit.id for hit in everything.hits]
    assert len(ids) == len(set(ids)) == everything.total, "duplicate or missing documents"
    return State(frozenset(ids), searcher.search("revised", facets=None).total)


def test_a_searcher_that_stays_up_takes_a_commit_once_its_tables_are_written(scenario: Scenario) -> None:
    """An update killed between Whoosh's commit and the tables that describe it: a searcher
    that stays up keeps the state it had (a new one may see the commit), and takes the commit
    when the next update has written them."""
    with Searcher(scenario.index) as long_lived:
        proc = spawn("update", scenario.index, scenario.corpus, "--die-at", "whoosh-committed")
        proc.wait(timeout=60)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
        assert not long_lived.refresh()
        assert seen_by(long_lived) == scenario.old
        update_index(index_dir=scenario.index, extractor=NameExtractor())
        assert long_lived.refresh()
        assert seen_by(long_lived) == scenario.new == state(scenario.index)


def leaves(searcher: Searcher) -> dict[str, Any]:
    """The open segment readers of a searcher, by segment id."""
    return {leaf.segment().segment_id(): leaf for leaf, _ in searcher._searcher.reader().leaf_readers()}


def test_a_refresh_reuses_the_segments_a_commit_kept_and_answers_as_a_new_searcher(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "ix"
    corpus.mkdir()
    for number in range(BASE):
        write_article(corpus, number)
    build_index(corpus, index_dir=index, extractor=NameExtractor(), procs=2, segment_docs=15)
    queries = ["", "revised", "original", "token3", "token70", '"Maria Lopez"', "person:smith"]
    with Searcher(index) as long_lived:
        before = {
            leaf.segment().segment_id(): leaf for leaf, _ in long_lived._searcher.reader().leaf_readers()
        }
        assert len(before) >= 4
        for number in range(BASE, BASE + ADDED):
            write_article(corpus, number)
        for number in range(0, BASE, 7):  # a revised article in most segments: deletions in each
            write_article(corpus, number, revised=True)
        update_index(index_dir=index, extractor=NameExtractor())
        assert long_lived.refresh()
        after = {
            leaf.segment().segment_id(): leaf for leaf, _ in long_lived._searcher.reader().leaf_readers()
        }
        kept = set(before) & set(after)
        assert kept and all(after[s]._terms is before[s]._terms for s in kept), "kept segments are reused"
        assert any(after[s].has_deletions() and not before[s].has_deletions() for s in kept)
        with Searcher(index) as fresh:
            for query in queries:
                ours = long_lived.search(query, page_size=200, facets=("source", "person", "org"))
                theirs = fresh.search(query, page_size=200, facets=("source", "person", "org"))
                assert ours.total == theirs.total, query
                assert [(h.id, h.score) for h in ours.hits] == [(h.id, h.score) for h in theirs.hits], query
                assert [(f.name, f.values) for f in ours.facets] == [
                    (f.name, f.values) for f in theirs.facets
                ]
