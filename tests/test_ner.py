"""The NER worker pool: a worker that dies is a one-line error, and the next call recovers."""

from __future__ import annotations

import os
import signal

import pytest

from searchlib.errors import SearchlibError
from searchlib.ner import ParallelMentionFinder

TEXTS = [f"Mustafa al-Kadhemi met Pope Francis in Baghdad on day {n}." for n in range(40)]


def test_a_killed_worker_is_a_clear_error_and_the_next_call_starts_new_workers() -> None:
    with ParallelMentionFinder(processes=2) as finder:
        first = finder.find(TEXTS)
        assert len(first) == len(TEXTS)
        pool = finder._pool
        assert pool is not None
        for pid in list(pool._processes):  # type: ignore[attr-defined]
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(SearchlibError, match=r"worker process died.*searchlib update"):
            finder.find(TEXTS)
        assert finder.find(TEXTS) == first
