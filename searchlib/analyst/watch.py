"""Saved searches: name a query once, then ask what is new for it since the last time.

"New" means an article id the saved search has not matched before. Ids are remembered, not
timestamps: a rebuild re-stamps every document's ``indexed_at`` and would make the whole
archive look new, while article ids (file names) stay the same. So an article that is edited
is not reported again, and one that starts matching after an edit is. The saved searches live
in ``watches.json`` in the index folder (beside the generations, so rebuilds and updates keep
it), written to a temporary file and renamed so a crash never leaves half a file. Each change
reads, changes and writes the file under the saved searches' lock (``locking.watch_lock``), so
two commands at once neither lose a change nor report an article twice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from searchlib.errors import ConfigError, UsageError
from searchlib.indexing.atomic import write_json_atomically
from searchlib.indexing.locking import watch_lock
from searchlib.indexing.write_errors import write_error
from searchlib.models import Hit, SavedSearch, WatchReport
from searchlib.querying.searcher import Searcher

WATCH_FILE = "watches.json"
FILE_VERSION = 1
NAME_PATTERN = re.compile(r"^[\w.-]{1,64}$")


@dataclass
class Watch:
    """A saved search as stored: its query and every article id it has matched so far."""

    query: str
    created_at: str
    last_run_at: str | None = None
    seen: set[str] = field(default_factory=set)

    def record(self, name: str) -> SavedSearch:
        return SavedSearch(name, self.query, self.created_at, self.last_run_at, len(self.seen))


def add_watch(searcher: Searcher, name: str, query: str) -> SavedSearch:
    """Save ``query`` as ``name``; what it matches now counts as seen."""
    _check_name(name)
    with writing_watches(searcher.index_dir):
        watches = load_watches(searcher.index_dir)
        if name in watches:
            raise UsageError(
                f"a saved search named {name!r} exists: remove it first (`searchlib watch remove {name}`)"
            )
        watch = Watch(query=query, created_at=_now(), seen=_matching_ids(searcher, query))
        watches[name] = watch
        save_watches(searcher.index_dir, watches)
    return watch.record(name)


def remove_watch(index_dir: Path, name: str) -> SavedSearch:
    """Forget the saved search ``name``."""
    with writing_watches(index_dir):
        watches = load_watches(index_dir)
        watch = _get(watches, name)
        del watches[name]
        save_watches(index_dir, watches)
    return watch.record(name)


def list_watches(index_dir: Path) -> tuple[SavedSearch, ...]:
    """The saved searches, by name."""
    return tuple(watch.record(name) for name, watch in sorted(load_watches(index_dir).items()))


def run_watches(
    searcher: Searcher, names: tuple[str, ...] = (), *, mark: bool = True
) -> tuple[WatchReport, ...]:
    """For each saved search (or those named), the articles it matches that it has not seen.

    With ``mark`` (the default) they count as seen afterwards, so the next run reports only
    what arrives after this one. Marking runs under the saved searches' lock, on the newest
    state of the index: a second run at the same time waits, then reports only what this one
    did not.
    """
    if not mark:
        return _reports(searcher, load_watches(searcher.index_dir), names)
    with writing_watches(searcher.index_dir):
        searcher.refresh()
        watches = load_watches(searcher.index_dir)
        reports = _reports(searcher, watches, names)
        now = _now()
        for report in reports:
            watch = watches[report.name]
            watch.seen.update(hit.id for hit in report.new)
            watch.last_run_at = now
        save_watches(searcher.index_dir, watches)
    return reports


def _reports(
    searcher: Searcher, watches: dict[str, Watch], names: tuple[str, ...]
) -> tuple[WatchReport, ...]:
    reports = []
    for name in names or tuple(sorted(watches)):
        watch = _get(watches, name)
        hits = list(searcher.iter_hits(watch.query, sort="date", snippets=0))
        new = tuple(hit for hit in hits if hit.id not in watch.seen)
        reports.append(WatchReport(name, watch.query, watch.last_run_at or watch.created_at, len(hits), new))
    return tuple(reports)


@contextmanager
def writing_watches(index_dir: Path) -> Iterator[None]:
    """Hold the saved searches' lock; an ``OSError`` (a read-only index folder, a full disk)
    becomes a one-line ``IndexWriteError``."""
    try:
        with watch_lock(index_dir):
            yield
    except OSError as exc:
        left = "the saved searches are as they were"
        raise write_error(
            Path(index_dir), exc, what="the saved searches", left=left, retry="searchlib watch"
        ) from exc


def load_watches(index_dir: Path) -> dict[str, Watch]:
    """The saved searches of an index (none when it has no watch file yet)."""
    path = Path(index_dir) / WATCH_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {
            name: Watch(
                query=item["query"],
                created_at=item["created_at"],
                last_run_at=item.get("last_run_at"),
                seen=set(item.get("seen", ())),
            )
            for name, item in data["watches"].items()
        }
    except FileNotFoundError:
        return {}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"the saved searches in {path} are unreadable ({exc}): fix or delete the file"
        ) from None


def save_watches(index_dir: Path, watches: dict[str, Watch]) -> None:
    """Write the saved searches atomically (temporary file, then rename)."""
    data: dict[str, Any] = {
        "version": FILE_VERSION,
        "watches": {
            name: {
                "query": w.query,
                "created_at": w.created_at,
                "last_run_at": w.last_run_at,
                "seen": sorted(w.seen),
            }
            for name, w in sorted(watches.items())
        },
    }
    write_json_atomically(
        Path(index_dir) / WATCH_FILE, data, prefix=".watches-", indent=1, ensure_ascii=False
    )


def _matching_ids(searcher: Searcher, query: str) -> set[str]:
    hits: list[Hit] = list(searcher.iter_hits(query, snippets=0))
    return {hit.id for hit in hits}


def _get(watches: dict[str, Watch], name: str) -> Watch:
    try:
        return watches[name]
    except KeyError:
        known = ", ".join(sorted(watches)) or "none yet"
        raise UsageError(
            f"no saved search named {name!r} (saved: {known}): see `searchlib watch list`"
        ) from None


def _check_name(name: str) -> None:
    if not NAME_PATTERN.match(name):
        raise UsageError(
            f"{name!r} cannot name a saved search: use up to 64 letters, digits, '_', '-' or '.'"
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
