"""One entity per real thing in an article: canonical names, short forms and aliases.

Analysts complain most about entity lists where "US", "U.S." and "United States" are three
entries and "Kadhemi" sits beside "Mustafa al-Kadhemi". Within one article:

- a name of the aliases file becomes that entry's canonical name and type;
- the usual abbreviations of a few ubiquitous names normalise ("U.S." -> "United States");
- a bare surname links to the person named in full ("Kadhemi" -> "Mustafa al-Kadhemi"), a
  leading part or the acronym of an organisation's name links to it ("Hashed" ->
  "Hashed al-Shaabi", "AAH" -> "Asaib Ahl al-Haq") when exactly one full name fits;
- spellings that differ only in case or dots are one entity, shown in its ordinary-case form.

This runs on cached mentions on every build and update: it is cheap and needs no spaCy.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from searchlib.entities.aliases import AliasTable, fold_name
from searchlib.entities.context import ContextEntity, ContextMention
from searchlib.entities.gazetteer import Gazetteer
from searchlib.entities.laws import names_a_law
from searchlib.entities.truecase import Lexicon
from searchlib.models import ArticleEntity, EntityType, Mention

NORMAL_FORMS: dict[str, tuple[str, EntityType]] = {
    "us": ("United States", "place"),
    "usa": ("United States", "place"),
    "united states": ("United States", "place"),
    "united states of america": ("United States", "place"),
    "uk": ("United Kingdom", "place"),
    "un": ("United Nations", "org"),
    "eu": ("European Union", "org"),
    "uae": ("United Arab Emirates", "place"),
}
"""Abbreviations written in capitals (dots ignored) and the one name they stand for."""

TITLES = frozenset(
    [
        "president",
        "general",
        "gen",
        "prime",
        "minister",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sheikh",
        "shaikh",
        "ayatollah",
        "grand",
        "king",
        "prince",
        "colonel",
        "col",
        "lieutenant",
        "lt",
        "commander",
        "senator",
        "sen",
        "rep",
        "pope",
        "imam",
        "sayyed",
        "sayyid",
        "judge",
        "chancellor",
        "emir",
        "crown",
        "sir",
        "lord",
        "lady",
        *("representative", "congressman", "congresswoman", "governor", "mayor", "ambassador"),
        *("secretary", "speaker", "chief", "deputy", "professor", "prof", "captain", "capt"),
        *("sergeant", "sgt", "detective", "det", "inspector", "insp", "ch", "superintendent", "supt"),
    ]
)
"""Words a person's name may be preceded by ("General Soleimani"): dropped from person names."""

_FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "de", "la", "du"})
SUB_BODY_WORDS = frozenset({"Committee", "Subcommittee", "Caucus", "Panel"})
"""Last words of a body formed inside another that its first word names ("Senate Intelligence
Committee", "House Freedom Caucus"): that first word alone is the other body, no short form."""
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az)-", re.IGNORECASE)


AMBIGUOUS_EVIDENCE = "ambiguous"
"""The mark an ``AmbiguousEntity`` carries among an article's own entities
(``indexing.resolution.local_of``)."""


@dataclass(frozen=True)
class AmbiguousEntity(ArticleEntity):
    """A short form that fits more than one person of its article: "Kim" beside Kim Jong-un and
    Kim Jong-nam, "Bush" beside George Bush and George W. Bush. It names one of them, not a
    person of its own, and which one only a reader can tell. The archive counts the type the
    article gave it (the model's evidence about the name), and the article lists it under no
    entity (``resolve.apply``)."""


_NO_GAZETTEER = Gazetteer(places=frozenset(), lexicon=Lexicon(common=frozenset()))


@dataclass
class _Group:
    """The mentions that turned out to name one entity."""

    name: str
    type: EntityType
    fixed: bool
    surfaces: Counter[str] = field(default_factory=Counter)
    aliases: tuple[str, ...] = ()
    by_context: EntityType | None = None
    """The type the words around one of its mentions gave (``context``), if any did."""
    one_of: bool = False
    """A short form that fits more than one person of the article (``AmbiguousEntity``)."""


def canonicalise(
    mentions: Iterable[Mention], aliases: AliasTable, *, gazetteer: Gazetteer | None = None
) -> tuple[ArticleEntity, ...]:
    """The entities of one article, once each, in order of first mention.

    ``gazetteer`` keeps a place from linking to an organisation it starts ("China" is not
    "China Daily") and gives a place written only in capitals its usual form ("MOSCOW" ->
    "Moscow")."""
    gazetteer = gazetteer if gazetteer is not None else _NO_GAZETTEER
    mentions = list(mentions)
    seen: Counter[tuple[str, EntityType]] = Counter()
    for mention in mentions:
        surface = clean_name(mention.text)
        if surface:
            seen[(surface, mention.type)] += 1
    by_context = {(clean_name(m.text), m.type) for m in mentions if isinstance(m, ContextMention)}
    resolved = [_resolve(surface, kind, count, aliases) for (surface, kind), count in seen.items()]
    for group, key in zip(resolved, seen, strict=True):
        group.by_context = key[1] if key in by_context else None
    _link_short_forms(resolved, gazetteer)
    groups: dict[str, _Group] = {}
    for group in resolved:
        key = fold_name(group.name)
        if key not in groups:
            groups[key] = group
            continue
        kept = groups[key]
        kept.surfaces.update(group.surfaces)
        kept.by_context = kept.by_context or group.by_context
        if group.fixed and not kept.fixed:
            kept.name, kept.type, kept.fixed, kept.aliases = group.name, group.type, True, group.aliases
        kept.one_of = kept.one_of and group.one_of
    return tuple(_entity(g, gazetteer.places) for g in groups.values())


def clean_name(text: str) -> str:
    """Whitespace folded, a leading "the" and commas dropped; empty if no letters remain."""
    name = " ".join(text.replace(",", " ").split())
    if name[:4].casefold() == "the " and len(name) > 4:
        name = name[4:]
    return name if any(ch.isalpha() for ch in name) else ""


def acronym(name: str) -> str:
    """The initials of a name's words ("Asaib Ahl al-Haq" -> "AAH"), skipping "of", "the"..."""
    letters = []
    for word in name.split():
        if word.casefold() in _FUNCTION_WORDS:
            continue
        bare = _ARTICLE_PREFIX.sub("", word)
        if bare[:1].isalpha():
            letters.append(bare[0].upper())
    return "".join(letters)


def _resolve(surface: str, kind: EntityType, count: int, aliases: AliasTable) -> _Group:
    """The entity one spelling names on its own: from the aliases file, a normal form, or itself."""
    surfaces = Counter({surface: count})
    entry = aliases.lookup(surface)
    if entry is not None:
        return _Group(entry.name, entry.type, True, surfaces, entry.aliases)
    normal = NORMAL_FORMS.get(fold_name(surface))
    if normal is not None and (" " in surface or not any(ch.islower() for ch in surface)):
        return _Group(normal[0], normal[1], True, surfaces)
    name = _without_titles(surface) if kind == "person" else surface
    return _Group(name, kind, False, surfaces)


def _without_titles(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].rstrip(".").casefold() in TITLES:
        words = words[1:]
    return " ".join(words)


def _link_short_forms(groups: Sequence[_Group], gazetteer: Gazetteer) -> None:
    """Point short forms (not from the aliases file) at the one full name they can stand for."""
    people = {g.name for g in groups if g.type == "person" and " " in g.name}
    orgs = {g.name: acronym(g.name) for g in groups if g.type == "org" and " " in g.name}
    laws = {
        acronym(g.name): g.name for g in groups if g.type == "misc" and " " in g.name and names_a_law(g.name)
    }
    for group in groups:
        tail_of_org = any(o.endswith(" " + group.name) for o in orgs)
        if group.fixed or group.name in people:
            continue
        if group.type != "person" and group.name in laws:  # "NAFTA" (an organisation to the model)
            group.name, group.type = laws[group.name], "misc"
            continue
        if group.name in orgs and not tail_of_org:
            target = _titled_person(group, people)  # a full name of its own, unless a title's
            if target is not None:
                group.name, group.type = target, "person"
            continue
        target, kind = _full_name(group, people, orgs, gazetteer)
        if kind is None:
            group.one_of = True
        elif target is not None:
            group.name, group.type = target, kind


def _full_name(
    group: _Group, people: set[str], orgs: dict[str, str], gazetteer: Gazetteer
) -> tuple[str | None, EntityType | None]:
    """The full name a short form stands for: a person by surname, or by the first word when no
    surname fits ("Xi" -> "Xi Jinping": family names come first in Chinese and Korean); then an
    organisation that starts with it or whose acronym it is (spaCy often calls a bare "Hashed" a
    person), unless it is a body formed inside the one so named ("Senate" of "Senate Intelligence
    Committee"). A one-word organisation that is a person's surname (or family name written first) is
    that person: "the Trump administration" gives an organisation "Trump", "Wang said" for Wang Yi
    an organisation "Wang". ``(None, None)`` when the short form fits several of the people and
    is no place of the gazetteer (a list of towns glued into "people" ends in one)."""
    short = group.name
    one_word = " " not in short
    titled = _titled_person(group, people)
    if titled is not None:
        return titled, "person"
    if group.type == "person" or (group.type == "org" and one_word):
        surname = _bare(short.split()[-1])
        fits = {p for p in people if p != short and _bare(p.split()[-1]) == surname}
        if not one_word:  # a longer form must be the tail of the full name
            fits = {p for p in fits if p.endswith(short)}
        elif not fits:
            fits = {p for p in people if _bare(p.split()[0]) == surname}
        if len(fits) == 1:
            return fits.pop(), "person"
        if fits and short in gazetteer.places:  # "Homs" beside the "people" "Tadmor Homs" and
            return None, group.type  # "Tartous Homs", which the model made of a list of towns
        if fits:
            return None, None
    if group.type in ("org", "misc", "person"):
        fits: set[str] = set()
        # "European" is an adjective, not a short "European Union"; "China" is a place, not a
        # short "China Daily" (but "Fox" may be "Fox News", and "Amnesty" "Amnesty International")
        if group.type != "misc" and not (one_word and short in gazetteer.places):
            fits = {
                o
                for o in orgs
                if o != short and o.startswith(short + " ") and o.split()[-1] not in SUB_BODY_WORDS
            }
        if group.type != "person":
            fits |= {o for o, initials in orgs.items() if initials == short}
        if not fits and not one_word and group.type == "org":  # "Interior Ministry" of "Libyan ..."
            fits = {o for o in orgs if o != short and o.endswith(" " + short)}
        if not fits and one_word and short.casefold() in gazetteer.lexicon.common:
            fits = {o for o in orgs if short in o.split()[1:]}  # "Observatory", "Council"
        if len(fits) == 1:
            return fits.pop(), "org"
    return None, group.type


def _titled_person(group: _Group, people: set[str]) -> str | None:
    """The one person of the article whose surname a title precedes in a name the model gave
    another type: "Representative Farrar" (an organisation) is Jessica Farrar, "Mr Black" (a
    place) Jack Black. A name whose first word is a title and whose other words are more than
    a surname is left alone: "General Dynamics" is a company."""
    untitled = _without_titles(group.name)
    if group.type == "person" or untitled == group.name or " " in untitled:
        return None
    fits = {p for p in people if _bare(p.split()[-1]) == _bare(untitled)}
    return fits.pop() if len(fits) == 1 else None


def _bare(word: str) -> str:
    return _ARTICLE_PREFIX.sub("", word).casefold()


def _entity(group: _Group, places: frozenset[str]) -> ArticleEntity:
    name = group.name if group.fixed else _display_form(group.surfaces, fallback=group.name, places=places)
    variants = sorted(s for s in group.surfaces if s != name)
    kind = (
        AmbiguousEntity
        if group.one_of
        else ContextEntity
        if group.by_context == group.type
        else ArticleEntity
    )
    return kind(name=name, type=group.type, variants=tuple(variants), aliases=group.aliases)


def _display_form(surfaces: Counter[str], *, fallback: str, places: frozenset[str]) -> str:
    """The commonest spelling of the name itself, preferring ordinary case to capitals; a place
    written only in capitals (a dateline's "MOSCOW") takes the gazetteer's form."""
    key = fold_name(fallback)
    same = [(count, s) for s, count in surfaces.items() if fold_name(s) == key]
    if not same:
        return fallback
    best = max(same, key=lambda item: (not item[1].isupper(), item[0]))[1]
    if best.isupper() and best.title() in places:
        return best.title()
    return best
