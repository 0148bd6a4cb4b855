"""The records searchlib hands to callers.

They are frozen dataclasses, never Whoosh objects, so a caller can keep them after the index is
closed, compare them in tests and turn them into JSON with one call (``to_dict`` / ``to_json``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from searchlib.controls import json_dumps_safe

EntityType = Literal["person", "org", "place", "misc"]
ENTITY_TYPES: tuple[EntityType, ...] = ("person", "org", "place", "misc")


def _plain(value: Any) -> Any:
    """Turn a record's value into something ``json.dumps`` accepts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class JsonRecord:
    """Mixin: a dataclass that serialises to plain JSON."""

    def to_dict(self) -> dict[str, Any]:
        """The record as plain dicts, lists, strings and numbers (dates as ISO 8601)."""
        return _plain(self)

    def to_json(self, *, indent: int | None = None) -> str:
        """The record as one JSON document."""
        return json_dumps_safe(self.to_dict(), indent=indent)


@dataclass(frozen=True)
class Article(JsonRecord):
    """One news article read from a file, with its header parsed and its body cleaned.

    ``warnings`` lists what was odd about the file but did not stop it being indexed
    (undecodable bytes, an impossible date, no header), so a build can report them.
    """

    id: str
    path: Path
    date: datetime | None
    source: str | None
    title: str | None
    body: str
    credit: str | None = None
    warnings: tuple[str, ...] = ()
    url: str | None = None
    """The address the article was published at, when its file says (web pages, JSON, CSV)."""
    origin: str | None = None
    """Where it is inside a file holding many articles: "line 12", "row 40" or a URL."""

    @property
    def text(self) -> str:
        """Title and body together: what entity extraction and search read."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body


@dataclass(frozen=True)
class Entity(JsonRecord):
    """A named thing an article mentions, under its canonical name."""

    name: str
    type: EntityType


@dataclass(frozen=True)
class ArticleEntity(Entity):
    """An entity of one article with every other name it goes by: what indexing stores.

    ``variants`` are the other forms the article itself uses ("Kadhemi", "KADHEMI");
    ``aliases`` come from the aliases file. Both are indexed as searchable names, so a search
    for any of them finds the article under the canonical ``name``.
    """

    variants: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def search_names(self) -> tuple[str, ...]:
        """The canonical name, the variants and the aliases, each once."""
        return tuple(dict.fromkeys((self.name, *self.variants, *self.aliases)))


@dataclass(frozen=True)
class NameCount(JsonRecord):
    """A variant of an entity's name and how many articles use it."""

    name: str
    articles: int


@dataclass(frozen=True)
class TypeVote(JsonRecord):
    """How many articles' own entities typed an entity so, before the archive decided."""

    type: str
    articles: int


@dataclass(frozen=True)
class EntitySummary(JsonRecord):
    """One canonical entity across the index.

    ``variants`` are its other names with the articles using each (spellings, short forms and
    names the archive-level resolution merged); ``votes`` how the articles typed it."""

    name: str
    type: EntityType
    articles: int
    variants: tuple[NameCount, ...] = ()
    votes: tuple[TypeVote, ...] = ()


@dataclass(frozen=True)
class EntityList(JsonRecord):
    """The top entities (of one type, or all), out of ``total`` distinct ones in ``documents``."""

    type: EntityType | None
    documents: int
    total: int
    entities: tuple[EntitySummary, ...]
    truncated: bool = False

    def __iter__(self) -> Iterator[EntitySummary]:
        """``for entity in searcher.entities()``: the entities, commonest first."""
        return iter(self.entities)

    def __len__(self) -> int:
        return len(self.entities)

    def __getitem__(self, index: int) -> EntitySummary:
        return self.entities[index]


@dataclass(frozen=True)
class Mention(JsonRecord):
    """One place a text names an entity: character offsets, the surface text and its type.

    This is what NER (with its rules) finds, before canonical names and aliases are applied;
    the entity cache stores it, so a changed aliases file never re-runs NER.
    """

    start: int
    end: int
    type: EntityType
    text: str


@dataclass(frozen=True)
class Snippet(JsonRecord):
    """A fragment of an article with the spans that match the query.

    ``highlights`` are ``(start, end)`` character offsets into ``text``; the CLI colours them,
    the web page wraps them in ``<mark>`` after escaping the text.
    """

    text: str
    highlights: tuple[tuple[int, int], ...] = ()

    def marked(self, before: str = "[", after: str = "]") -> str:
        """The text with each highlighted span wrapped in ``before`` and ``after``."""
        parts: list[str] = []
        last = 0
        for start, end in self.highlights:
            parts += [self.text[last:start], before, self.text[start:end], after]
            last = end
        parts.append(self.text[last:])
        return "".join(parts)


@dataclass(frozen=True)
class Copy(JsonRecord):
    """Another outlet's copy of a hit's story (a near-duplicate folded into the hit)."""

    id: str
    source: str | None
    date: datetime | None


@dataclass(frozen=True)
class Hit(JsonRecord):
    """One matching article as a result row."""

    id: str
    path: str
    date: datetime | None
    source: str | None
    title: str | None
    score: float | None
    """Relevance; ``None`` when the hits are sorted by date (no relevance was computed)."""
    snippets: tuple[Snippet, ...]
    entities: tuple[Entity, ...] = ()
    lead: str = ""
    also_in: tuple[Copy, ...] = ()
    """Near-duplicates of this article that match too, folded into it (``collapse=True``)."""
    url: str | None = None
    """The address the article was published at, if its file recorded one."""
    origin: str | None = None
    """Where in ``path`` the article is, for a file holding many ("line 12", "row 40", a URL)."""

    @property
    def heading(self) -> str:
        """The title, or the first words of the article when it has none."""
        return self.title or self.lead


@dataclass(frozen=True)
class FacetValue(JsonRecord):
    """One value of a facet with the number of matching articles that have it."""

    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Facet(JsonRecord):
    """Counts of one field's values over all matches of a query.

    ``truncated`` is true when more values exist than are listed.
    """

    name: str
    label: str
    values: tuple[FacetValue, ...]
    truncated: bool = False


HistogramInterval = Literal["year", "month", "week", "day"]


@dataclass(frozen=True)
class Bucket(JsonRecord):
    """How many matches fall in one year, month, week or day.

    ``key`` is ``2017``, ``2017-02`` or ``2017-02-07`` (a week: its Monday): the same text
    ``date_from``/``date_to`` accept, so a bucket can be turned into a filter without any date
    arithmetic (a week ends at ``to_key``).
    """

    key: str
    start: date
    count: int
    to_key: str = ""
    """The ``date_to`` that ends the bucket: its last day for a week, else ``key`` itself."""


@dataclass(frozen=True)
class Histogram(JsonRecord):
    """Matches per year, month or day over all matches of a query, oldest first.

    Every bucket from the first dated match to the last is listed, empty ones too, so the
    buckets can be drawn as bars in order. ``undated`` counts matches without a date.
    """

    interval: HistogramInterval
    buckets: tuple[Bucket, ...] = ()
    undated: int = 0

    @property
    def peak(self) -> int:
        """The largest bucket count (0 when there are none): what a bar chart scales to."""
        return max((b.count for b in self.buckets), default=0)


@dataclass(frozen=True)
class NameVariants(JsonRecord):
    """Other spellings of a name in the query that matched too (``Kadhemi``: Kadhimi, Kazemi)."""

    word: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion(JsonRecord):
    """Did you mean: a corrected query that matches more articles (``total``) than the one typed.

    ``corrections`` pairs each word as typed with its correction.
    """

    query: str
    total: int
    corrections: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SearchResults(JsonRecord):
    """The answer to one query: a page of hits; facets and, if asked, a histogram of all matches."""

    query: str
    total: int
    page: int
    page_size: int
    sort: str
    hits: tuple[Hit, ...]
    facets: tuple[Facet, ...] = ()
    elapsed_ms: float = 0.0
    histogram: Histogram | None = None
    suggestion: Suggestion | None = None
    variants: tuple[NameVariants, ...] = ()
    stories: int | None = None
    """With near-duplicate collapse, how many hits the ``total`` matching articles fold into
    (one per story); ``None`` when every copy is listed."""
    warnings: tuple[str, ...] = ()
    """What the user should know about how the query was read: filter values no article has
    (with the closest known ones), punctuation read as such."""

    @property
    def pages(self) -> int:
        """How many pages of ``page_size`` the hits fill (the stories, when copies are folded)."""
        shown = self.total if self.stories is None else self.stories
        return max(1, -(-shown // self.page_size))

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON, with ``pages`` too."""
        return {**super().to_dict(), "pages": self.pages}

    def facet(self, name: str) -> Facet | None:
        """The facet called ``name``, if it was counted."""
        return next((f for f in self.facets if f.name == name), None)


@dataclass(frozen=True)
class RelatedArticles(JsonRecord):
    """The articles most like one article, best first, without its near-duplicates.

    ``key_terms`` are the words that made the articles alike, as the article writes them;
    ``duplicates`` are the ids of the near-duplicates of the article (the same story elsewhere)
    that were left out; ``title`` is the heading of the article they are like.
    """

    id: str
    key_terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    duplicates: tuple[str, ...] = ()
    elapsed_ms: float = 0.0
    title: str | None = None


@dataclass(frozen=True)
class BatchRow(JsonRecord):
    """The summary of one query of a batch (one line of a names file).

    ``error`` is set, and the figures empty, when the line could not be searched; a batch
    reports such lines and carries on.
    """

    line: int
    query: str
    total: int = 0
    first_date: datetime | None = None
    last_date: datetime | None = None
    top_sources: tuple[FacetValue, ...] = ()
    ids: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class SavedSearch(JsonRecord):
    """A query saved with ``searchlib watch add``, and how many of its matches were seen."""

    name: str
    query: str
    created_at: str
    last_run_at: str | None = None
    seen: int = 0


@dataclass(frozen=True)
class WatchReport(JsonRecord):
    """What one saved search found that it had not seen before: new articles, newest first.

    ``since`` is when it last ran (or was saved); ``total`` is all its matches now.
    """

    name: str
    query: str
    since: str | None
    total: int
    new: tuple[Hit, ...] = ()


@dataclass(frozen=True)
class SkippedFile(JsonRecord):
    """A file a build passed over, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class BuildReport(JsonRecord):
    """What a build or update did."""

    index_dir: str
    corpus_dir: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: tuple[SkippedFile, ...] = ()
    warnings: tuple[SkippedFile, ...] = ()
    seconds: float = 0.0
    rebuilt: bool = False

    @property
    def indexed(self) -> int:
        """Articles written in this run (new and changed)."""
        return self.added + self.changed


@dataclass(frozen=True)
class IndexStats(JsonRecord):
    """What an index holds and how it was made."""

    index_dir: str
    documents: int
    schema_version: int
    searchlib_version: str
    corpus_dir: str | None
    built_at: str | None
    sources: tuple[FacetValue, ...] = field(default=())
    warnings: tuple[SkippedFile, ...] = ()
    """What was odd about indexed files (path, note), as the build and updates reported it."""
    first_date: datetime | None = None
    """The date of the oldest dated article (``None`` when none is dated)."""
    last_date: datetime | None = None
    undated: int = 0
    """How many articles have no date."""


@dataclass(frozen=True)
class StoredArticle(JsonRecord):
    """An indexed article in full, as the index holds it: for an article page or export."""

    id: str
    path: str
    date: datetime | None
    source: str | None
    title: str | None
    credit: str | None
    body: str
    entities: tuple[Entity, ...] = ()
    title_highlights: tuple[tuple[int, int], ...] = ()
    """``(start, end)`` spans of ``title`` that match the query the article was opened with."""
    body_highlights: tuple[tuple[int, int], ...] = ()
    """The same for ``body``: a page escapes the text and marks these spans."""
    url: str | None = None
    """The address the article was published at, if its file recorded one."""
    origin: str | None = None
    """Where in ``path`` the article is, for a file holding many ("line 12", "row 40", a URL)."""
