"""Which files are articles, by their names: the formats searchlib reads and their extensions.

Kept apart from the readers so that walking a corpus (which only needs names) never imports
them.
"""

from __future__ import annotations

TEXT = "text"
JSON_LINES = "jsonl"
CSV = "csv"
WEB_PAGE = "html"
WARC = "warc"

SUFFIX_KINDS: dict[str, str] = {
    ".txt": TEXT,
    ".jsonl": JSON_LINES,
    ".ndjson": JSON_LINES,
    ".json": JSON_LINES,
    ".csv": CSV,
    ".tsv": CSV,
    ".html": WEB_PAGE,
    ".htm": WEB_PAGE,
    ".xhtml": WEB_PAGE,
    ".warc": WARC,
    ".warc.gz": WARC,
}
"""Extension (lower case) -> format. ``.warc.gz`` is the only double one."""

INDEX_MARKER = "searchlib.json"
"""The manifest at the top of every index: a folder holding it is an index, never articles
(an index kept inside the corpus folder would otherwise be read as JSON files)."""

CONTAINER_KINDS = frozenset({JSON_LINES, CSV, WARC})
"""Formats whose files hold many articles each."""


def kind_of(name: str) -> str | None:
    """The format of a file by its name, or None when searchlib does not read it (or it is hidden)."""
    if name.startswith("."):
        return None
    dot = name.rfind(".")
    known = SUFFIX_KINDS.get(name[dot:]) if dot > 0 else None  # most names end in lower case already
    if known is not None:
        return known
    lowered = name.lower()
    if lowered.endswith(".warc.gz"):
        return WARC
    dot = lowered.rfind(".")
    return SUFFIX_KINDS.get(lowered[dot:]) if dot > 0 else None


def is_container_name(name: str) -> bool:
    """Whether a file of this name holds many articles (JSON Lines, CSV, WARC)."""
    return kind_of(name) in CONTAINER_KINDS
