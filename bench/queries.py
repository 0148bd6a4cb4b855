"""The fixed benchmark queries, split so each engine can translate the parts it words differently."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from searchlib.querying.parser import parse_date_bound

QUERIES_FILE = Path(__file__).with_name("queries.txt")
_DATE_PART = re.compile(r"\s*date:(?:\[(?P<start>\S*) TO (?P<end>\S*)\]|(?P<single>\S+))\s*")


@dataclass(frozen=True)
class BenchQuery:
    """One query: as typed for searchlib, and as words plus an inclusive date range for the peers."""

    raw: str
    text: str
    date_from: datetime | None
    date_to: datetime | None


def load_queries(path: Path = QUERIES_FILE) -> list[BenchQuery]:
    """Every non-comment line of ``path``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [split_query(line.strip()) for line in lines if line.strip() and not line.startswith("#")]


def split_query(raw: str) -> BenchQuery:
    """Take the ``date:`` part out of a query, as searchlib would read it."""
    match = _DATE_PART.search(raw)
    if not match:
        return BenchQuery(raw, raw, None, None)
    start = match["single"] or match["start"]
    end = match["single"] or match["end"]
    text = (raw[: match.start()] + " " + raw[match.end() :]).strip()
    return BenchQuery(
        raw,
        text,
        parse_date_bound(start, "from", end=False) if start else None,
        parse_date_bound(end, "to", end=True) if end else None,
    )
