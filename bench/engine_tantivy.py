"""tantivy-py: ``en_stem`` text fields, ``SnippetGenerator``, and a terms aggregation per facet."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import tantivy

from bench.documents import FACET_TYPES, iter_documents, names_by_type
from bench.queries import BenchQuery
from searchlib.indexing.build import Extractor

NAME = "tantivy"
_NOT = re.compile(r"\bNOT\s+")
FACET_FIELDS = ("source", "year", *FACET_TYPES)


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    builder.add_date_field("date", stored=True, indexed=True, fast=True)
    for name in FACET_FIELDS:
        builder.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")
    return builder.build()


def build(corpus_dir: Path, out_dir: Path, extractor: Extractor) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    ix = tantivy.Index(schema(), path=str(out_dir))
    writer = ix.writer(heap_size=256_000_000)
    count = 0
    for article, entities in iter_documents(corpus_dir, extractor):
        doc = tantivy.Document(id=article.id, title=article.title or "", body=article.body)
        if article.date:
            doc.add_date("date", article.date.replace(tzinfo=None))
            doc.add_text("year", f"{article.date.year}")
        if article.source:
            doc.add_text("source", article.source)
        for kind, names in names_by_type(entities).items():
            for name in names:
                doc.add_text(kind, name)
        writer.add_document(doc)
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return count


class Engine:
    def __init__(self, out_dir: Path) -> None:
        self.index = tantivy.Index.open(str(out_dir))
        self.searcher = self.index.searcher()
        self.aggregation = {name: {"terms": {"field": name, "size": 10}} for name in FACET_FIELDS}

    def query(self, q: BenchQuery) -> int:
        query = self.index.parse_query(self._text(q), ["title", "body"], conjunction_by_default=True)
        result = self.searcher.search(query, 10, count=True)
        snippets = tantivy.SnippetGenerator.create(self.searcher, query, self.index.schema, "body")
        for _score, address in result.hits:
            snippets.snippet_from_doc(self.searcher.doc(address)).to_html()
        self.searcher.aggregate(query, self.aggregation)
        return result.count

    def _text(self, q: BenchQuery) -> str:
        parts = [_NOT.sub("-", q.text)] if q.text else []
        if q.date_from or q.date_to:
            start = _rfc3339(q.date_from) if q.date_from else "*"
            end = _rfc3339(q.date_to + timedelta(microseconds=1)) if q.date_to else "*"
            parts.append(f"date:[{start} TO {end}}}")
        return " ".join(parts) or "*"

    def close(self) -> None:
        pass


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
