"""Helpers several test modules share (not a test module): a corpus of many articles made from
the fixtures, a build in a process of its own, the processes it starts, and an extractor that
counts what it reads.

Fixtures live in ``conftest.py``; what is here is plain functions and classes a test calls.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from conftest import FIXTURE_CORPUS

from searchlib.entities.extract import EntityExtractor
from searchlib.models import Entity


def copies_of_the_fixtures(corpus: Path, count: int) -> Path:
    """``count`` articles in a new folder ``corpus``, each fixture article again with a line of
    its own (so no two are the same text): enough work for a build to be caught in the middle."""
    corpus.mkdir()
    sources = sorted(FIXTURE_CORPUS.glob("*.txt"))
    for number in range(count):
        text = sources[number % len(sources)].read_text(encoding="utf-8")
        (corpus / f"copy{number:04d}.txt").write_text(f"{text}\nNote {number} of the copies.\n")
    return corpus


def start_build(corpus: Path, index: Path, **popen: Any) -> subprocess.Popen[str]:
    """`searchlib index CORPUS --index INDEX` in a process of its own, its output piped unless
    ``popen`` says otherwise."""
    options: dict[str, Any] = {
        "stdout": subprocess.PIPE,
        "stderr": subprocess.PIPE,
        "text": True,
        "preexec_fn": _interruptible,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "searchlib", "index", str(corpus), "--index", str(index)],
        **(options | popen),
    )


def _interruptible() -> None:
    """In the child: Ctrl-C (SIGINT) back to its default, as a terminal's command has it. A
    process started while SIGINT is ignored (by a test runner's earlier children, or a shell's
    background job) inherits the ignoring, and Python then never turns SIGINT into
    KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def children_of(pid: int) -> set[int]:
    """Living (not zombie) processes whose parent is ``pid``, from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            state, parent = _state_and_parent(int(entry.name))
            if parent == pid and state != "Z":
                found.add(int(entry.name))
    return found


def alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (a zombie has ended, only not yet been reaped)."""
    return {pid for pid in pids if _state_and_parent(pid)[0] != "Z"}


def ner_workers(pid: int) -> set[int]:
    """The spawned worker processes among ``pid``'s children (not multiprocessing's resource
    tracker, which every spawning parent has)."""
    return {
        child
        for child in children_of(pid)
        if b"spawn_main" in (command := _command_line(child)) and b"resource_tracker" not in command
    }


def _state_and_parent(pid: int) -> tuple[str, int]:
    """A process's state letter and parent from /proc; ("Z", 0) once it is gone, as for a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return "Z", 0
    return fields[0], int(fields[1])


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class CountingExtractor:
    """The real spaCy extractor, counting the texts it is asked to read."""

    def __init__(self, real: EntityExtractor) -> None:
        self.real = real
        self.texts = 0

    def extract(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        self.texts += len(texts)
        return self.real.extract(texts)


def updated_copy(built: Path, root: Path, *, appended: str, new_articles: list[str]) -> Path:
    """An index of small segments (two articles each) of a copy of ``built``'s corpus that an
    update then changed: its first article deleted, ``appended`` added to its second, and
    ``new_articles`` (article texts) added; Whoosh's writer writes the update's segment and
    merges others. Returns ``root``, holding ``corpus`` and ``index``."""
    from writer_child import NameExtractor

    from searchlib import build_index, update_index

    corpus, index = root / "corpus", root / "index"
    shutil.copytree(built / "corpus", corpus)
    build_index(corpus, index_dir=index, extractor=NameExtractor(), segment_docs=2)
    files = sorted(corpus.rglob("*.txt"))
    files[0].unlink()
    files[1].write_text(files[1].read_text(encoding="utf-8") + appended, encoding="utf-8")
    for number, text in enumerate(new_articles):
        (corpus / f"extra-{number}.txt").write_text(text, encoding="utf-8")
    update_index(corpus, index_dir=index, extractor=NameExtractor())
    return root


def generation(index: Path) -> Path:
    """The folder of the current generation of ``index``, where its derived tables are."""
    from searchlib.indexing.store import read_manifest

    return index / read_manifest(index).generation
