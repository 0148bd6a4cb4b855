"""A query naming an entity also matches its other names, as the archive resolved them.

The resolution pass (``indexing.resolution``) decided that "Sergei Lavrov" and "Sergey Lavrov",
"Mike Flynn" and "Michael Flynn", "AP" and "Associated Press", "Justice Department" and
"Department of Justice" are one entity. A query word or phrase typed like a name (a capital
first letter) that is a known name of such an entity is ORed with:

- the entity's canonical name in the entity-name fields, which every article naming the entity
  holds, whatever spelling the article used;
- its other names in the field searched, so an article whose text uses one that NER missed is
  found too.

Other names made of a subset or a superset of the typed words are left out: "Trump" adds
nothing to "Donald Trump", and searching "Donald Trump" must not match every "Trump". Turned off
with the spelling variants (``variants=False``, ``--no-variants``).
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh import query as wq

from searchlib.entities.lookup import EntityLookup
from searchlib.entities.names import name_words
from searchlib.indexing import schema as f
from searchlib.models import NameVariants

MAX_NAMES = 8
"""Other names ORed in per typed name at most, the commonest first."""

AnalyseAll = Callable[[str, str], list[str]]
"""``analyse(fieldname, text)``: the index terms of a text in a field, in order."""

_FIELDS = frozenset((*f.TEXT_FIELDS, f.ENTITY_TEXT, *f.NAME_TEXT_FIELD.values()))


def expand_entity_names(
    q: wq.Query, text: str, resolution: EntityLookup, analyse: AnalyseAll
) -> tuple[wq.Query, tuple[NameVariants, ...]]:
    """``q`` with each name typed in ``text`` also matching the other names of its entity;
    and, per name expanded, the other names added."""
    if resolution.empty():
        return q, ()
    added: dict[str, tuple[str, ...]] = {}

    def rewrite(node: wq.Query) -> wq.Query:
        if isinstance(node, (wq.Not, wq.AndNot)):
            return node
        if isinstance(node, (wq.Term, wq.Phrase)) and node.fieldname in _FIELDS:
            return _expand(node, text, resolution, analyse, added)
        if node.is_leaf():
            return node
        return node.apply(rewrite)

    expanded = rewrite(q)
    return expanded, tuple(NameVariants(word, names) for word, names in added.items())


def other_names(typed: str, resolution: EntityLookup) -> tuple[str, ...]:
    """The other names of the entity ``typed`` names that are not part or whole of it."""
    words = set(name_words(typed))
    kept = []
    for name in resolution.other_names(typed):
        other = set(name_words(name))
        if other and not (other <= words or other >= words):
            kept.append(name)
    return tuple(kept[:MAX_NAMES])


def _expand(
    node: wq.Term | wq.Phrase,
    text: str,
    resolution: EntityLookup,
    analyse: AnalyseAll,
    added: dict[str, tuple[str, ...]],
) -> wq.Query:
    typed = _typed(node, text)
    if not typed[:1].isupper():
        return node
    target = resolution.target(typed)
    if target is None:
        return node
    names = other_names(typed, resolution)
    alternatives: list[wq.Query] = []
    canonical = _phrase(f.ENTITY_TEXT, analyse(f.ENTITY_TEXT, target[0]), boost=node.boost)
    if canonical is not None and set(name_words(target[0])) != set(name_words(typed)):
        alternatives.append(canonical)
    for name in names:
        found = _phrase(node.fieldname, analyse(node.fieldname, name), boost=node.boost)
        if found is not None:
            alternatives.append(found)
    if not alternatives:
        return node
    if names:
        added[typed] = names
    return wq.Or([node, *alternatives])


def _typed(node: wq.Term | wq.Phrase, text: str) -> str:
    """The text the user typed for a term or phrase (empty if the parser did not say)."""
    if isinstance(node, wq.Term):
        start, end = node.startchar, node.endchar
    else:
        ranges = node.char_ranges or []
        if not ranges:
            return ""
        start, end = ranges[0][0], ranges[-1][1]
    if start is None or end is None:
        return ""
    return text[start:end].strip("\"'")


def _phrase(fieldname: str, terms: list[str], *, boost: float) -> wq.Query | None:
    if not terms:
        return None
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0], boost=boost)
    return wq.Phrase(fieldname, terms, boost=boost)
