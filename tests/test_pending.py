"""Articles waiting on disk for the archive's entities: read back whole, in order, leaving nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from searchlib.indexing.pending import PendingArticle, PendingArticles
from searchlib.models import Article


def pending(number: int) -> PendingArticle:
    article = Article(
        id=f"a{number:04d}",
        path=Path(f"/corpus/a{number:04d}.txt"),
        date=datetime(2017, 3, number % 28 + 1),
        source="Wire",
        title=f"Headline {number}",
        body=f"Body of article {number}, with Ünïcode and a \x00 byte. " * (number % 7 + 1),
        warnings=("no header",) if number % 5 == 0 else (),
    )
    local = (("person", f"Person {number}", (f"P. {number}",)), ("place", "Kefraya", ()))
    return PendingArticle(article, f"hash-{number}", local)


def test_articles_come_back_whole_and_in_the_order_added(tmp_path: Path) -> None:
    items = [pending(n) for n in range(300)]
    with PendingArticles(tmp_path) as waiting:
        for start in range(0, len(items), 64):
            waiting.add(items[start : start + 64])
        waiting.add([])
        assert len(waiting) == 300
        assert list(waiting) == items
        assert list(waiting) == items  # read again from the start
        waiting.add([pending(300)])  # more after a reading go to the end
        assert list(waiting)[-1] == pending(300)


def test_the_file_has_no_name_a_killed_writer_could_leave_behind(tmp_path: Path) -> None:
    with PendingArticles(tmp_path) as waiting:
        waiting.add([pending(1)])
        assert list(tmp_path.iterdir()) == []  # unlinked from the start (POSIX)
        assert list(waiting) == [pending(1)]
    assert list(tmp_path.iterdir()) == []
