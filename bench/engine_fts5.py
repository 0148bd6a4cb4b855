"""SQLite FTS5: ``bm25`` ranking, ``snippet()``, and ``GROUP BY`` for the facet counts."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from bench.documents import FACET_TYPES, iter_documents, names_by_type
from bench.queries import BenchQuery
from searchlib.indexing.build import Extractor

NAME = "SQLite FTS5"
DB = "fts.db"
_FIELD = re.compile(r"\b(person|org|place|source|title):")

SCHEMA = """
CREATE VIRTUAL TABLE fts USING fts5(title, body, source, person, org, place, tokenize='porter unicode61');
CREATE TABLE docs (id INTEGER PRIMARY KEY, name TEXT, source TEXT, date TEXT);
CREATE TABLE ents (doc INTEGER, type TEXT, name TEXT);
"""


def build(corpus_dir: Path, out_dir: Path, extractor: Extractor) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(out_dir / DB)
    db.executescript(SCHEMA)
    count = 0
    for rowid, (article, entities) in enumerate(iter_documents(corpus_dir, extractor), start=1):
        names = names_by_type(entities)
        date = article.date.strftime("%Y-%m-%d %H:%M:%S") if article.date else None
        db.execute(
            "INSERT INTO fts(rowid, title, body, source, person, org, place) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                rowid,
                article.title or "",
                article.body,
                article.source or "",
                *("\n".join(names[k]) for k in FACET_TYPES),
            ),
        )
        db.execute("INSERT INTO docs VALUES (?, ?, ?, ?)", (rowid, article.id, article.source, date))
        db.executemany(
            "INSERT INTO ents VALUES (?, ?, ?)", [(rowid, k, n) for k in FACET_TYPES for n in names[k]]
        )
        count += 1
    db.execute("CREATE INDEX ents_doc ON ents(doc)")
    db.execute("CREATE INDEX docs_date ON docs(date)")
    db.commit()
    db.close()
    return count


class Engine:
    def __init__(self, out_dir: Path) -> None:
        self.db = sqlite3.connect(out_dir / DB)

    def query(self, q: BenchQuery) -> int:
        dates, date_params = self._dates(q)
        if q.text:
            match = _FIELD.sub(r"\1 : ", q.text)
            within = f" AND rowid IN (SELECT id FROM docs WHERE {dates})" if date_params else ""
            self.db.execute(
                "SELECT rowid, snippet(fts, 1, '[', ']', '…', 40) FROM fts WHERE fts MATCH ?"
                f"{within} ORDER BY bm25(fts, 2.0, 1.0) LIMIT 10",
                (match, *date_params),
            ).fetchall()
            matches = f"SELECT rowid FROM fts WHERE fts MATCH ?{within}"
            params: tuple[str, ...] = (match, *date_params)
        else:
            self.db.execute(
                f"SELECT id, substr(body, 1, 240) FROM docs JOIN fts ON fts.rowid = docs.id WHERE {dates} "
                "ORDER BY date DESC LIMIT 10",
                date_params,
            ).fetchall()
            matches, params = f"SELECT id FROM docs WHERE {dates}", date_params
        total = self.db.execute(f"SELECT count(*) FROM ({matches})", params).fetchone()[0]
        self.db.execute(
            f"SELECT source, count(*) c FROM docs WHERE id IN ({matches}) "
            "GROUP BY 1 ORDER BY c DESC LIMIT 10",
            params,
        ).fetchall()
        self.db.execute(
            f"SELECT substr(date, 1, 4) y, count(*) FROM docs WHERE id IN ({matches}) GROUP BY y", params
        ).fetchall()
        for kind in FACET_TYPES:
            self.db.execute(
                f"SELECT name, count(*) c FROM ents WHERE type = ? AND doc IN ({matches}) "
                "GROUP BY name ORDER BY c DESC LIMIT 10",
                (kind, *params),
            ).fetchall()
        return total

    def _dates(self, q: BenchQuery) -> tuple[str, tuple[str, ...]]:
        clauses, params = [], []
        if q.date_from:
            clauses.append("date >= ?")
            params.append(q.date_from.strftime("%Y-%m-%d %H:%M:%S"))
        if q.date_to:
            clauses.append("date <= ?")
            params.append(q.date_to.strftime("%Y-%m-%d %H:%M:%S"))
        return " AND ".join(clauses) or "1", tuple(params)

    def close(self) -> None:
        self.db.close()
