"""searchlib: full-text search for folders of news articles, on an embedded Whoosh index.

from searchlib import build_index, search
build_index("corpus", index_dir="index")
update_index(index_dir="index")  # later: only new, changed and deleted files
results = search('"Kataeb Hezbollah"', index_dir="index")
for hit in results.hits:
    print(hit.date, hit.source, hit.heading)
"""

from __future__ import annotations

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
from searchlib.indexing.build import build_index
from searchlib.indexing.freshness import corpus_changed
from searchlib.indexing.update import update_index
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
