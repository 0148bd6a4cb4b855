"""Fewer full garbage collections while an update runs.

Python's collector walks every live object of the process in a full collection, and starts one
each time enough objects have survived the younger collections. An update holds a few large
tables for its whole run (the file table, the page furniture, the name counts: about a million
objects at 100,000 articles) and makes many short-lived ones beside them, so full collections
come again and again and each walks the large tables: 0.5 s of an unchanged update and 2 s of
one that adds 100 articles at 100,000 articles, about 15% of either, found nothing to free.
While an index is written, only the younger generations are collected (what reference
counting leaves, cycles among new objects, is still found there); full collections resume
when it is done. (A build's full collections cost about 3% of it, in the main process and its
writers: it keeps Python's settings, which its forked NER workers inherit.)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FULL_COLLECTION_EVERY = 1_000_000
"""Collections of the middle generation before a full one, while an index is written (Python's
default is 10): in effect, none."""


@contextmanager
def fewer_full_collections() -> Iterator[None]:
    """Run the block with full collections put off; the process's own settings return after."""
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, max(full, FULL_COLLECTION_EVERY))
    try:
        yield
    finally:
        gc.set_threshold(young, middle, full)
