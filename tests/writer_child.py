"""A writer in a process of its own, for the crash and concurrency tests (not a test module).

    python writer_child.py update|build INDEX CORPUS [--die-at POINT] [--slow SECONDS] [--file-limit BYTES]
    python writer_child.py hold-lock INDEX
    python writer_child.py hold-watch-lock INDEX

It prints ``started`` once it holds the write lock, so the parent knows when to strike.
``hold-watch-lock`` holds the saved searches' lock instead, for a second, and saves a search
named ``late`` before letting go: what a ``watch add`` does while another command waits.
``--die-at`` makes the process SIGKILL itself at one exact point of the write, to reach moments
a random kill rarely hits (between Whoosh writing a segment and its table of contents, between
the TOC and searchlib's file table, between the table and the manifest). ``--slow`` stretches
entity extraction so that a random kill from outside lands somewhere in the middle.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from searchlib.errors import SearchlibError
from searchlib.models import Entity

DIE_AT = {
    "extracting": "the second batch of entity extraction",
    "extracting-late": "the sixth batch of entity extraction (a build's writer processes are running)",
    "writing": "every article counted and resolved, some handed to the writer, not all",
    "segment-written": "Whoosh wrote the new segment but not the table of contents",
    "toc-unrenamed": "Whoosh wrote the new TOC to a temporary file but did not rename it",
    "toc-written": "Whoosh renamed the new TOC but did not delete unused files",
    "whoosh-committed": "Whoosh committed but searchlib's file table is not saved",
    "table-written": "the file table is saved but the manifest is not (a build: not switched)",
}


class NameExtractor:
    """A real, if crude, entity finder: runs of capitalised words are names (orgs if all caps).

    Fast and deterministic, so process tests need no spaCy model in every child.
    """

    def __init__(self, *, delay: float = 0.0, on_batch: Callable[[int], None] | None = None) -> None:
        self.delay = delay
        self.on_batch = on_batch
        self.batches = 0

    def extract(self, texts: Sequence[str]) -> list[tuple[Entity, ...]]:
        self.batches += 1
        if self.on_batch:
            self.on_batch(self.batches)
        time.sleep(self.delay * len(texts))
        found = []
        for text in texts:
            names = dict.fromkeys(m.group(0) for m in re.finditer(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+", text))
            orgs = dict.fromkeys(re.findall(r"\b[A-Z]{3,}\b", text))
            found.append(tuple(Entity(n, "person") for n in names) + tuple(Entity(o, "org") for o in orgs))
        return found


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def dying(original: Callable[..., Any]) -> Callable[..., Any]:
    def replacement(*args: Any, **kwargs: Any) -> Any:
        die()

    return replacement


def arm(point: str | None) -> Callable[[int], None] | None:
    """Install the self-kill for ``point``; returns the extraction hook if that is the point."""
    import whoosh.index
    import whoosh.writing
    from whoosh.filedb.filestore import FileStorage

    import searchlib.indexing.build
    import searchlib.indexing.update
    from searchlib.indexing.filetable import FileTable, TableStream

    if point == "extracting":
        return lambda batch: die() if batch == 2 else None
    if point == "extracting-late":

        def late(batch: int) -> None:
            if batch == 6:
                import multiprocessing

                print(f"workers {len(multiprocessing.active_children())}", flush=True)
                die()

        return late
    if point == "writing":
        document = searchlib.indexing.build.article_document
        written = 0

        def write_and_die(*args: Any, **kwargs: Any) -> Any:
            nonlocal written
            written += 1
            if written == 5:
                die()
            return document(*args, **kwargs)

        searchlib.indexing.build.article_document = write_and_die
    elif point == "segment-written":
        whoosh.writing.SegmentWriter._commit_toc = dying(whoosh.writing.SegmentWriter._commit_toc)
    elif point == "toc-unrenamed":
        original = FileStorage.rename_file

        def rename(self: FileStorage, old: str, new: str, safe: bool = False) -> None:
            if new.endswith(".toc") and not new.endswith("_0.toc"):
                die()
            original(self, old, new, safe)

        FileStorage.rename_file = rename  # type: ignore[method-assign]
    elif point == "toc-written":
        write_toc = whoosh.index.TOC.write

        def write_and_die(self: whoosh.index.TOC, storage: Any, indexname: str) -> None:
            write_toc(self, storage, indexname)
            if self.generation > 0:
                die()

        whoosh.index.TOC.write = write_and_die  # type: ignore[method-assign]
    elif point == "table-written":
        searchlib.indexing.update.touch_manifest = dying(searchlib.indexing.update.touch_manifest)
        searchlib.indexing.build.switch_to = dying(searchlib.indexing.build.switch_to)
    elif point == "whoosh-committed":
        FileTable.save = dying(FileTable.save)  # type: ignore[method-assign]
        TableStream.finish = dying(TableStream.finish)  # type: ignore[method-assign]  # a build's table
    elif point is not None:
        raise SystemExit(f"unknown point {point!r}: one of {', '.join(DIE_AT)}")
    return None


def main(argv: list[str]) -> int:
    from searchlib import build_index, update_index
    from searchlib.indexing.locking import write_lock

    command, index_dir = argv[0], Path(argv[1])
    if command == "hold-lock":
        with write_lock(index_dir, timeout=0):
            print("started", flush=True)
            time.sleep(600)
        return 0
    if command == "hold-watch-lock":
        hold_watch_lock(index_dir)
        return 0
    corpus = Path(argv[2])
    options = dict(zip(argv[3::2], argv[4::2], strict=True))
    hook = arm(options.get("--die-at"))

    def started(done: int, total: int) -> None:
        if done <= 64:
            print("started", flush=True)

    if "--file-limit" in options:  # every file this process writes stops growing there (EFBIG)
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        limit = int(options["--file-limit"])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    extractor = NameExtractor(delay=float(options.get("--slow", 0)), on_batch=hook)
    write = update_index if command == "update" else build_index
    try:
        report = write(corpus, index_dir=index_dir, extractor=extractor, progress=started, lock_timeout=60)
    except SearchlibError as exc:
        print(f"{type(exc).__name__}: {exc}", flush=True)
        return 9
    print(report.to_json(), flush=True)
    print(f"done {report.added} {report.changed} {report.removed}", flush=True)
    return 0


def hold_watch_lock(index_dir: Path) -> None:
    from searchlib.analyst.watch import Watch, load_watches, save_watches
    from searchlib.indexing.locking import watch_lock

    with watch_lock(index_dir, timeout=0):
        print("started", flush=True)
        time.sleep(1.0)
        watches = load_watches(index_dir)
        watches["late"] = Watch(query="wheat", created_at="2026-01-01T00:00:00+00:00")
        save_watches(index_dir, watches)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
