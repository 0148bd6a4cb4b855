"""Which keys of a JSON object or CSV row hold an article's title, text, date and source.

Scrapers and data sets name the same things differently: news-please writes ``maintext`` and
``date_publish``, Kaggle dumps ``content`` and ``publication``, others ``body``, ``headline``,
``published``. A ``FieldMap`` lists, for each part of an article, the keys tried in order (the
first present and non-empty wins); the defaults cover the common names, and the user names
others with ``--fields title=headline,body=text`` or the same in a TOML file's ``[fields]``
table. Only the text is required: a record without a date or a source is still an article.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from searchlib.errors import ArticleError, ConfigError

ROLES = ("title", "body", "date", "source", "url", "id", "authors")
"""The parts of an article a key can be mapped to."""

_DEFAULT_KEYS: dict[str, tuple[str, ...]] = {
    role: tuple(keys.split())
    for role, keys in {
        "title": "title headline heading head name",
        "body": "maintext text body content article article_text full_text fulltext story articlebody "
        "description summary",
        "date": "date_publish date published published_at publish_date publication_date pubdate "
        "date_published datepublished datetime timestamp created_at time",
        "source": "source_domain source publication publisher site_name sitename site outlet source_name "
        "domain feed",
        "url": "url link href source_url canonical_url uri permalink",
        "id": "id article_id doc_id uuid guid",
        "authors": "authors author byline creator writer",
    }.items()
}
"""The keys tried for each role, in order: news-please's, Kaggle dumps', schema.org's, feeds'."""
_SPEC_ITEM = re.compile(r"^\s*(?P<role>\w+)\s*=\s*(?P<key>.+?)\s*$")
_FUTURE_SLACK = timedelta(days=2)
_EPOCH_MS = 100_000_000_000
"""A number above this is an epoch in milliseconds (seconds reach it only in the year 5138)."""


@dataclass(frozen=True)
class FieldMap:
    """For each role (``ROLES``), the keys tried in order, compared without regard to case."""

    title: tuple[str, ...] = _DEFAULT_KEYS["title"]
    body: tuple[str, ...] = _DEFAULT_KEYS["body"]
    date: tuple[str, ...] = _DEFAULT_KEYS["date"]
    source: tuple[str, ...] = _DEFAULT_KEYS["source"]
    url: tuple[str, ...] = _DEFAULT_KEYS["url"]
    id: tuple[str, ...] = _DEFAULT_KEYS["id"]
    authors: tuple[str, ...] = _DEFAULT_KEYS["authors"]
    named: tuple[tuple[str, str], ...] = ()
    """The (role, key) pairs the user chose, in their order: recorded with the index."""

    def keys(self, role: str) -> tuple[str, ...]:
        return getattr(self, role)

    @property
    def spec(self) -> str:
        """The user's choices as ``--fields`` text ("" for the defaults)."""
        return ",".join(f"{role}={key}" for role, key in self.named)

    def check_keys(self, found: Iterable[str], *, what: str) -> None:
        """Raise ``ArticleError`` naming the keys found when none of them holds the text, or when
        a key the user named is not among them."""
        present = {key.lower() for key in found}
        for role, key in self.named:
            if key.lower() not in present:
                raise ArticleError(f"{what} has no key {key!r} for the {role}; {_keys_found(found)}")
        if not any(key.lower() in present for key in self.body):
            raise ArticleError(
                f"{what} has none of the keys holding an article's text ({', '.join(self.body[:6])}, ...); "
                f"{_keys_found(found)}: name the text's key with --fields body=KEY"
            )


def parse_fields(spec: str | Path | None) -> FieldMap:
    """The field map of ``--fields``: ``title=headline,body=text`` or a TOML file's path.

    Raises ``ConfigError`` for a malformed mapping or an unknown role.
    """
    if spec is None or str(spec).strip() == "":
        return FieldMap()
    text = str(spec)
    if text.lower().endswith(".toml"):
        return fields_from_toml(Path(text))
    pairs = []
    for item in text.split(","):
        match = _SPEC_ITEM.match(item)
        if not match:
            raise ConfigError(f"--fields {text!r}: write ROLE=KEY pairs, e.g. title=headline,body=text")
        pairs.append((match.group("role").lower(), match.group("key")))
    return field_map(pairs, where=f"--fields {text!r}")


def fields_from_toml(path: Path) -> FieldMap:
    """The ``[fields]`` table of a TOML file (``title = "headline"``) as a field map."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the fields file {path}: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"the fields file {path} is not valid TOML: {exc}") from exc
    table = data.get("fields", data)
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ConfigError(f'the fields file {path} needs a [fields] table of role = "key" lines')
    return field_map(list(table.items()), where=f"the fields file {path}")


def field_map(pairs: list[tuple[str, str]], *, where: str) -> FieldMap:
    """The default map with each named role's key tried first."""
    chosen = FieldMap()
    for role, key in pairs:
        if role not in ROLES:
            raise ConfigError(f"{where}: unknown field {role!r}; use {', '.join(ROLES)}")
        chosen = replace(chosen, **{role: (key, *chosen.keys(role))})
    return replace(chosen, named=tuple(pairs))


def _keys_found(found: Iterable[str]) -> str:
    keys = list(found)
    shown = ", ".join(repr(k) for k in keys[:20]) + (", ..." if len(keys) > 20 else "")
    return f"keys found: {shown}" if keys else "it has no keys"


def pick(record: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    """The value of the first of ``keys`` the record has with a non-empty value, else None."""
    lowered = {str(k).lower(): v for k, v in record.items()}
    for key in keys:
        value = lowered.get(key.lower())
        if value not in (None, "", [], {}):
            return value
    return None


def as_text(value: Any) -> str | None:
    """A value as one line of text: a list joined with commas, an object by its name."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("id")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in (as_text(item) for item in value) if v)
    text = " ".join(str(value).split())
    return text or None


def parse_date_value(value: Any, notes: list[str]) -> datetime | None:
    """A date from text ("2017-03-08 14:28:00", "Mar 8, 2017") or an epoch number (s or ms).

    What cannot be read is a warning in ``notes``, never a lost article.
    """
    if value in (None, ""):
        return None
    from dateutil import parser as date_parser

    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            seconds = value / 1000 if value > _EPOCH_MS else value
            parsed = datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
        else:
            parsed = date_parser.parse(str(value).strip())
    except (ValueError, OverflowError, OSError):
        notes.append(f"date {str(value)[:40]!r} not understood")
        return None
    if parsed.tzinfo is not None:  # the wall time where it was published, as in a .txt header
        parsed = parsed.replace(tzinfo=None)
    if parsed > datetime.now() + _FUTURE_SLACK:
        notes.append(f"date {str(value)[:40]!r} is in the future")
    return parsed
