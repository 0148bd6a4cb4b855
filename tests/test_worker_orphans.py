"""NER worker processes exit when the build that started them is killed outright.

A real `searchlib index` with the real extractor (two NER worker processes) is SIGKILLed
once its workers run; every process it started must be gone soon after, not left holding a
spaCy model each under PID 1.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXTURE_CORPUS

ARTICLES = 240
DEADLINE_SECONDS = 30  # a bound, not a wait: a loaded machine reaps slowly


def children_of(pid: int) -> set[int]:
    """Living (not zombie) processes whose parent is ``pid``, from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def is_ner_worker(pid: int) -> bool:
    try:
        return b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def test_ner_workers_exit_when_the_build_is_killed(tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    sources = sorted(FIXTURE_CORPUS.glob("*.txt"))
    for number in range(ARTICLES):
        text = sources[number % len(sources)].read_text(encoding="utf-8")
        (corpus / f"copy{number:04d}.txt").write_text(f"{text}\nNote {number} of the copies.\n")
    build = subprocess.Popen(
        [sys.executable, "-m", "searchlib", "index", str(corpus), "--index", str(tmp_path / "index")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 300
        while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
            workers = {pid for pid in children_of(build.pid) if is_ner_worker(pid)}
            time.sleep(0.2)
        assert len(workers) >= 2, "the build finished or stalled before its NER workers started"
        started = children_of(build.pid)
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + DEADLINE_SECONDS
        while alive(started) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert alive(started) == set(), "processes of the killed build are still running"
    finally:
        if build.poll() is None:
            build.kill()
