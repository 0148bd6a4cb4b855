"""Plain Whoosh used the obvious way: one writer, ``groupedby`` facets, ``hit.highlights``."""

from __future__ import annotations

from pathlib import Path

from whoosh import fields, index, sorting
from whoosh import query as wq
from whoosh.analysis import StemmingAnalyzer
from whoosh.qparser import MultifieldParser

from bench.documents import FACET_TYPES, iter_documents, names_by_type
from bench.queries import BenchQuery
from searchlib.indexing.build import Extractor

NAME = "plain Whoosh"


def schema() -> fields.Schema:
    names = {kind: fields.KEYWORD(commas=True, stored=True) for kind in FACET_TYPES}
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        body=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        source=fields.ID(stored=True),
        year=fields.ID(stored=True),
        date=fields.DATETIME(stored=True),
        **names,
    )


def build(corpus_dir: Path, out_dir: Path, extractor: Extractor) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    writer = index.create_in(str(out_dir), schema()).writer()
    count = 0
    for article, entities in iter_documents(corpus_dir, extractor):
        date = article.date.replace(tzinfo=None) if article.date else None
        names = {
            kind: ",".join(n.replace(",", " ") for n in values)
            for kind, values in names_by_type(entities).items()
        }
        writer.add_document(
            id=article.id,
            title=article.title or "",
            body=article.body,
            source=article.source or "",
            year=f"{date.year}" if date else "",
            date=date,
            **names,
        )
        count += 1
    writer.commit()
    return count


class Engine:
    def __init__(self, out_dir: Path) -> None:
        self.index = index.open_dir(str(out_dir))
        self.searcher = self.index.searcher()
        self.parser = MultifieldParser(["title", "body"], self.index.schema)
        self.facets = {
            "source": sorting.FieldFacet("source", maptype=sorting.Count),
            "year": sorting.FieldFacet("year", maptype=sorting.Count),
            **{k: sorting.FieldFacet(k, allow_overlap=True, maptype=sorting.Count) for k in FACET_TYPES},
        }

    def query(self, q: BenchQuery) -> int:
        parsed = self.parser.parse(q.text) if q.text else wq.Every()
        if q.date_from or q.date_to:
            parsed = wq.And([parsed, wq.DateRange("date", q.date_from, q.date_to)])
        results = self.searcher.search(parsed, limit=10, groupedby=self.facets, terms=True)
        for hit in results:
            hit.highlights("body", top=2)
        for name in self.facets:
            counts = results.groups(name)
            sorted(counts.items(), key=lambda item: -item[1])[:10]
        return len(results)

    def close(self) -> None:
        self.searcher.close()
