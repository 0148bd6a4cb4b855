"""The archive's evidence about names (``entities.resolve.NameCounts``) saved beside the index.

Deciding the archive's entities needs the counts of every article's own entities. Counting them
again from the index's column costs about 10 seconds per 100,000 articles, on every update, even
one that adds a single article. So a build and each update save the counts they decided on,
with the index commit they describe; the next update starts from them, takes back the articles
it deletes or reads again, and adds the ones it reads. A table of another commit (a pass cut
short, an older version's index) or one that cannot be read is ignored, and the update counts
from the column as before: the table only ever saves time.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from searchlib.entities.resolve import NameCounts
from searchlib.indexing.atomic import write_atomically

NAME_COUNTS_FILE = "searchlib-name-counts.pkl"
_FORMAT = 1


def save_counts(folder: Path, counts: NameCounts, *, generation: int) -> None:
    """Save ``counts``, the evidence of the index commit ``generation``, atomically."""
    saved = {"format": _FORMAT, "generation": generation, "counts": counts.state()}
    data = pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL)
    write_atomically(Path(folder) / NAME_COUNTS_FILE, data, prefix=".name-counts-")


def load_counts(folder: Path, *, generation: int) -> NameCounts | None:
    """The counts saved for the index commit ``generation``; None if there are none for it."""
    try:
        data = pickle.loads((Path(folder) / NAME_COUNTS_FILE).read_bytes())
        if data.get("format") != _FORMAT or data.get("generation") != generation:
            return None
        return NameCounts.from_state(data["counts"])
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, KeyError, TypeError, ValueError):
        return None
