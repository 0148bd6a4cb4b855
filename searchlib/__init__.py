"""searchlib: full-text search for folders of news articles, on an embedded Whoosh index.

from searchlib import build_index, search
build_index("corpus", index_dir="index")
update_index(index_dir="index")  # later: only new, changed and deleted files
results = search('"Kataeb Hezbollah"', index_dir="index")
for hit in results.hits:
    print(hit.date, hit.source, hit.heading)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from searchlib.errors import (
    ArticleError,
    ArticleNotFound,
    ConfigError,
    CorpusNotFound,
    IndexLocked,
    IndexNotFound,
    IndexWriteError,
    QuerySyntaxError,
    SchemaMismatch,
    SearchlibError,
    UsageError,
)
from searchlib.indexing.freshness import corpus_changed
from searchlib.models import (
    Article,
    Bucket,
    BuildReport,
    Entity,
    Facet,
    FacetValue,
    Histogram,
    Hit,
    IndexStats,
    RelatedArticles,
    SearchResults,
    Snippet,
    StoredArticle,
)
from searchlib.querying.searcher import Searcher, search

if TYPE_CHECKING:
    from searchlib.indexing.build import build_index
    from searchlib.indexing.update import update_index

_ON_FIRST_USE = {"build_index": "searchlib.indexing.build", "update_index": "searchlib.indexing.update"}
"""Names imported when first asked for: building pulls in the article readers, NER and the
bulk writer (a fifth of a second), which a search of a built index never needs."""


def __getattr__(name: str) -> Any:
    if name in _ON_FIRST_USE:
        import importlib

        value = getattr(importlib.import_module(_ON_FIRST_USE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'searchlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_ON_FIRST_USE})


__all__ = [
    "Article",
    "ArticleError",
    "ArticleNotFound",
    "Bucket",
    "BuildReport",
    "ConfigError",
    "CorpusNotFound",
    "Entity",
    "Facet",
    "FacetValue",
    "Histogram",
    "Hit",
    "IndexLocked",
    "IndexNotFound",
    "IndexStats",
    "IndexWriteError",
    "QuerySyntaxError",
    "RelatedArticles",
    "SchemaMismatch",
    "SearchResults",
    "Searcher",
    "SearchlibError",
    "Snippet",
    "StoredArticle",
    "UsageError",
    "__version__",
    "build_index",
    "corpus_changed",
    "search",
    "update_index",
]
