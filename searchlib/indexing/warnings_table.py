"""What was odd about each indexed file, kept beside the index so it can be listed and counted.

A build or update reports per-file warnings (undecodable bytes, an impossible date, NUL bytes,
no header line) for the files it read; the files an update left alone were read by an earlier
run. ``searchlib-warnings.json`` in the generation folder therefore holds the warnings of every
indexed article, by id: a build writes it whole, an update keeps the entries of the articles
it did not read again and replaces the rest. ``searchlib stats`` counts it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from searchlib.indexing.atomic import write_json_atomically
from searchlib.models import SkippedFile

WARNINGS_FILE = "searchlib-warnings.json"

Warned = dict[str, tuple[str, tuple[str, ...]]]
"""Article id -> (its file's path, its warnings)."""


def load_warnings(folder: Path) -> Warned:
    """The warnings saved in a generation folder; empty when there are none (or none readable:
    the table is a report, never a reason to refuse the index)."""
    try:
        data = json.loads((Path(folder) / WARNINGS_FILE).read_text(encoding="utf-8"))
        return {str(i): (str(path), tuple(map(str, notes))) for i, (path, notes) in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def save_warnings(folder: Path, warned: Mapping[str, tuple[str, tuple[str, ...]]]) -> None:
    write_json_atomically(
        Path(folder) / WARNINGS_FILE,
        {i: [path, list(notes)] for i, (path, notes) in sorted(warned.items())},
        prefix=".warnings-",
        ensure_ascii=False,
    )


def merged(old: Warned, *, kept: Iterable[str], read_again: Iterable[str], new: Warned) -> Warned:
    """The table after an update: ``old`` entries of the ``kept`` ids not ``read_again``, and
    the ``new`` ones."""
    again = set(read_again)
    still = set(kept)
    return {**{i: v for i, v in old.items() if i in still and i not in again}, **new}


def as_files(warned: Warned) -> tuple[SkippedFile, ...]:
    """Each warning as (path, note), by path."""
    return tuple(SkippedFile(path, note) for path, notes in sorted(warned.values()) for note in notes)
