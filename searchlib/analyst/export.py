"""Writing every match of a query to CSV or JSON Lines, one row at a time.

Rows are written as ``Searcher.iter_hits`` yields them, so an export of a million matches
needs the memory of one hit, and a reader of the output (``head``, a pipe) sees rows at once.
The CSV has the columns a spreadsheet user expects; cells that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``) get a leading apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import TextIO

from searchlib.controls import visible_controls
from searchlib.models import Hit

CSV_COLUMNS = ("date", "source", "title", "snippet", "entities", "path", "id", "score")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ENTITY_SEPARATOR = "; "

Writer = Callable[[Iterable[Hit], TextIO], int]


def write_csv(hits: Iterable[Hit], out: TextIO) -> int:
    """Write a header and one row per hit; return the number of rows."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for hit in hits:
        writer.writerow([spreadsheet_safe(value) for value in csv_row(hit)])
        count += 1
    return count


def write_jsonl(hits: Iterable[Hit], out: TextIO) -> int:
    """Write each hit as one JSON object per line (as in ``search --json``); return the count."""
    count = 0
    for hit in hits:
        out.write(hit.to_json())
        out.write("\n")
        count += 1
    return count


WRITERS: dict[str, Writer] = {"csv": write_csv, "jsonl": write_jsonl}


def csv_row(hit: Hit) -> tuple[str, ...]:
    """The CSV columns of one hit: the first snippet as plain text, entity names once each;
    control characters as visible stand-ins (see ``controls``)."""
    cells = (
        hit.date.date().isoformat() if hit.date else "",
        hit.source or "",
        hit.heading,
        hit.snippets[0].text if hit.snippets else "",
        ENTITY_SEPARATOR.join(dict.fromkeys(entity.name for entity in hit.entities)),
        hit.path,
        hit.id,
        f"{hit.score:g}" if hit.score is not None else "",
    )
    return tuple(visible_controls(cell) for cell in cells)


def spreadsheet_safe(value: str) -> str:
    """The value with a leading apostrophe if a spreadsheet would run it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_START) else value
