"""NER worker processes exit when the build that started them is killed outright.

A real `searchlib index` with the real extractor (two NER worker processes) is SIGKILLed
once its workers run; every process it started must be gone soon after, not left holding a
spaCy model each under PID 1.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from helpers import alive, children_of, copies_of_the_fixtures, ner_workers, start_build

ARTICLES = 240
DEADLINE_SECONDS = 30  # a bound, not a wait: a loaded machine reaps slowly


def test_ner_workers_exit_when_the_build_is_killed(tmp_path: Path) -> None:
    corpus = copies_of_the_fixtures(tmp_path / "articles", ARTICLES)
    build = start_build(corpus, tmp_path / "index", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 300
        while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
            workers = ner_workers(build.pid)
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
