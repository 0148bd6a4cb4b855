"""The Whoosh schema: every field name searchlib uses, and how each is analysed.

Field names live here as constants so the indexer, the query parser and the searcher cannot
drift apart. Bump ``SCHEMA_VERSION`` whenever a field or analyser changes: an index written
with another version must be rebuilt, and the searcher says so instead of answering wrongly.
"""

from __future__ import annotations

from typing import Any

from whoosh import columns, fields
from whoosh.analysis import CompositeAnalyzer

from searchlib.indexing.analysis import VALUE_SEPARATOR, FastPositions, NameAnalyzer, TextAnalyzer
from searchlib.indexing.analysis import (
    ValuesTokenizer as ValuesTokenizer,  # indexes before 0.x pickled it here
)
from searchlib.models import ENTITY_TYPES, EntityType

SCHEMA_VERSION = 3

ID = "id"
PATH = "path"
CONTENT_HASH = "content_hash"
DATE = "date"
YEAR = "year"
MONTH = "month"
SOURCE = "source"
SOURCE_TEXT = "source_text"
CREDIT = "credit"
TITLE = "title"
BODY = "body"
ENTITIES = "entities"
"""A per-document column of ``(type, name)`` pairs: read fast for facets and hits."""
ENTITY_VARIANTS = "entity_variants"
"""A per-document column of ``(type, name, variant)``: the other forms an article uses for a
canonical name, for ``searchlib entities`` to show what was merged."""
ENTITY_LOCAL = "entity_local"
"""A per-document column of ``(type, name, variants)``: the article's own entities before the
archive-level resolution (``entities.resolve``), which counts them across the archive."""
ENTITY_TEXT = "entity_text"
"""Every name of every entity (canonical, variants, aliases), word-searchable (``entity:``)."""
INDEXED_AT = "indexed_at"
URL = "url"
"""Where the article was published, when its file says (web pages, JSON Lines, CSV, WARC)."""
ORIGIN = "origin"
"""Where in its file an article from a file of many is ("line 12", "row 40", a URL)."""
PROVENANCE_FIELDS = (URL, ORIGIN)
"""Stored only, and added to an older index's schema by the update that first needs them, so
an index from before they existed keeps working without a rebuild."""

TEXT_FIELDS = (TITLE, BODY)
"""Fields searched by words that name no field."""

FACET_FIELD = {kind: kind for kind in ENTITY_TYPES}
"""Entity type -> exact-name keyword field used for facets and facet filters."""

NAME_TEXT_FIELD = {kind: f"{kind}_text" for kind in ENTITY_TYPES}
"""Entity type -> word-searchable field of its names, aliases included (``person:kadhemi``)."""


def text_analyzer() -> TextAnalyzer:
    """Body and title: words, lower case, accents folded, stop words dropped, stemmed."""
    return TextAnalyzer()


def name_analyzer() -> NameAnalyzer:
    """Names: words, lower case, accents folded; no stemming, so names match as written."""
    return NameAnalyzer()


def text_field(analyzer: CompositeAnalyzer, **options: Any) -> fields.TEXT:
    """A phrase-searchable ``TEXT`` field whose postings come from the analyser's fast path."""
    field = fields.TEXT(analyzer=analyzer, phrase=True, **options)
    field.format = FastPositions(field_boost=field.format.field_boost)
    return field


def build_schema() -> fields.Schema:
    """The schema of a searchlib index."""
    names = name_analyzer()
    entity_fields: dict[str, fields.FieldType] = {}
    for kind in ENTITY_TYPES:
        entity_fields[FACET_FIELD[kind]] = fields.KEYWORD(commas=True, lowercase=False, scorable=False)
        entity_fields[NAME_TEXT_FIELD[kind]] = text_field(names)
    return fields.Schema(
        **{
            ID: fields.ID(unique=True, stored=True),
            PATH: fields.STORED(),
            CONTENT_HASH: fields.ID(stored=True),
            DATE: fields.DATETIME(stored=True, sortable=True),
            YEAR: fields.ID(stored=True, sortable=True),
            MONTH: fields.ID(stored=True, sortable=True),
            SOURCE: fields.ID(stored=True, sortable=True),
            SOURCE_TEXT: text_field(names),
            CREDIT: fields.STORED(),
            TITLE: text_field(text_analyzer(), stored=True, field_boost=2.0),
            BODY: text_field(text_analyzer(), stored=True),
            ENTITIES: fields.COLUMN(columns.PickleColumn(columns.VarBytesColumn())),
            ENTITY_VARIANTS: fields.COLUMN(columns.PickleColumn(columns.VarBytesColumn())),
            ENTITY_LOCAL: fields.COLUMN(columns.PickleColumn(columns.VarBytesColumn())),
            ENTITY_TEXT: text_field(names),
            INDEXED_AT: fields.DATETIME(stored=True, sortable=True),
            **{name: fields.STORED() for name in PROVENANCE_FIELDS},
            **entity_fields,
        }
    )


def join_values(values: list[str] | tuple[str, ...]) -> str:
    """Several names as one field value for ``ValuesTokenizer`` (a separator inside a name
    becomes a space). Joined first: a build joins a few dozen names per article, and almost
    none holds the separator."""
    joined = VALUE_SEPARATOR.join(values)
    if joined.count(VALUE_SEPARATOR) == max(len(values) - 1, 0):
        return joined
    return VALUE_SEPARATOR.join(v.replace(VALUE_SEPARATOR, " ") for v in values)


def keyword_value(values: list[str] | tuple[str, ...]) -> str:
    """Several exact names as one comma-separated ``KEYWORD`` value."""
    return ",".join(v.replace(",", " ").strip() for v in values if v.strip())


def entity_type_of(field_name: str) -> EntityType | None:
    """The entity type whose facet field is ``field_name``, if any."""
    for kind, name in FACET_FIELD.items():
        if name == field_name:
            return kind
    return None
