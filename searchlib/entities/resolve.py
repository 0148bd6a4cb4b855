"""One entity per real thing across the archive: the archive-level resolution pass.

``canonical`` works inside one article; what an archive offers and no single article does is
evidence. ``NameCounts`` gathers it from every article's own entities (cheaply: names, types and
the short forms each article linked), and ``resolve_names`` decides, for each name:

- its type, by vote across articles: a name NER calls a place in 40 articles and a person in 3
  is a place; a name of the gazetteer is a place unless hardly any article calls it one, a
  town's name counts as more votes for a place, a name beginning with the Arabic article or
  written as an acronym is no person, and one whose surname is written after "Ms" or "Mr" is
  a person; a name of the aliases file keeps that file's type;
- which names are one entity, clustering:
  spellings that differ in case, accents, hyphens, spaces or an "al-" ("Al Bab" / "al-Bab",
  "Deir ez-Zor" / "Deir Ezzor"); transliterations ("Sergey" / "Sergei", "Khan Sheikhoun" /
  "Khan Shaykhun"); given names and their short forms ("Mike" / "Michael Flynn"); the same
  words in another order ("Justice Department" / "Department of Justice"); the names of one
  country ("Russian Federation" / "Russia"); possessives written without an apostrophe
  ("Syrias", "Assads"); names cut short ("Syrian Observatory", "Abdel Rahman", "Calif"); a
  short form ("Sturgeon", "AP") standing alone where the articles that hold both forms link
  it to one full name almost always (one they link to several people, "Baker", is nobody's);
- never names that differ otherwise: Kim Jong-un / Kim Jong-nam, Hama / Hamas, George Bush /
  George W. Bush, two names of the aliases file.

The answer (``Resolution``) depends only on the multiset of the articles' entities, never on
their order, so an update that reaches the same corpus gives the same entities as a rebuild.
``apply`` rewrites one article's entities with it. Nothing here knows Whoosh.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, cast

from searchlib.entities.aliases import AliasTable, fold_name
from searchlib.entities.canonical import AMBIGUOUS_EVIDENCE, acronym
from searchlib.entities.context import CONTEXT_EVIDENCE
from searchlib.entities.gazetteer import Gazetteer, country_names, state_abbreviations, town_keys
from searchlib.entities.laws import names_a_law, names_no_body
from searchlib.entities.lookup import Resolution, ResolvedName
from searchlib.entities.name_runs import is_given_name
from searchlib.entities.names import (
    ARTICLE_WORDS,
    FUNCTION_WORDS,
    compact_key,
    compound_key,
    is_possessive_of,
    name_words,
    order_key,
    same_given_name,
    same_spelling,
    skeleton,
    spelling_key,
    without_article,
    without_legal_form,
)
from searchlib.models import ENTITY_TYPES, ArticleEntity, EntityType

SHORT_FORM_SHARE = 0.75
"""A short form joins the full name that at least this share of its linking articles chose."""
MIN_LINKING_ARTICLES = 2
LINKED_SHARE = 0.25
"""... and only when at least two articles, and a quarter as many as use it alone, link it."""
POSSESSIVE_BASE = 2
POSSESSIVE_SHARE = 0.5
POSSESSIVE_DOMINANT = 5
"""A name ending in "s" is a possessive of a base used at least twice as often, when half its
articles name the base too or the base is used five times as often."""
POSSESSIVE_PERSON_BASE = 0.5
"""A person's full name with an "s" glued on ("Donald Trumps new abortion policies") is the
possessive of that name when the name is used at least half as often: two people whose names
differ only by a final "s" are rarer than a link list, repeated in many articles of an archive
that strips apostrophes, that writes the possessive alone."""
TOWN_PRIOR = 0.5
"""Votes a town's name gets as a place, as a share of its articles (plus one)."""
WORD_ARTICLES = 3
"""Articles that must call a town's name no named thing (``misc``: a nationality, an event,
an adjective), and more of them than call it anything else, for it to keep no place's votes:
"Olympic" is a village in some gazetteer, and the model's ``misc`` of one or two articles is
often a real town it did not know ("Carrickfergus")."""
_NAME_PARTS = re.compile(r"[\s\-'\u2019.]+")
"""What separates the parts of a name, each with its own capital ("Al-Bab", "O'Neill")."""
_OPERATION = re.compile(r"Operation\s+[A-Z]")
"""A military or police operation's name ("Operation Inherent Resolve"): an event, as CoNLL
annotates it, whatever type the model gave."""
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
"""An acronym made plural ("MPs", "ICBMs", "NGOs"): members of a class, not one named thing."""
_REPUBLIC_OF = re.compile(r"(?:autonomous )?republic of (.+)")
"""A folded name of a region as a republic ("republic of crimea")."""
_ABSTRACT_NOUN = re.compile(r"([A-Z][a-z]{2,})(ness|ism)")
"""A quality or a doctrine made of a word or a name ("Australianness", "Britishness",
"Thatcherism", "Islamism"): a noun of English grammar, no named thing."""
_GERMAN_ARTICLE = re.compile(r"(?:Der|Die|Das)\s+[A-Z]")
"""A name beginning with a German article is a newspaper's or a body's ("Der Spiegel", "Die
Welt", "Die Linke"), never a person's."""
_SURNAME_PREFIX = re.compile(r"(?:Mc|Mac|O'|O\u2019|D'|De|Di|Da|Du|La|Le|Van|Von)[A-Z]")
"""Surnames written with a capital inside ("McCain", "DeVos", "O'Neill")."""
_POSSESSIVE_WORD = re.compile(r"([^\s'\u2019]+)['\u2019]s\s+\S")
"""A name's first word in the possessive, more words after it ("Moody's Investors Service")."""
MAX_ACRONYM = 5
"""Letters at most of an acronym; a longer word in capitals is a dateline's or a headline's
("STOUGHTON", "GOLDEN VALLEY")."""
ACRONYM_SHARE = 0.8
"""A name this share of whose articles write it in capitals is an acronym, not a person."""
MIN_ABBREVIATION = 4
"""A place name cut shorter than this ("Ga", "Ala") could stand for too many places."""
GAZETTEER_PLACE_SHARE = 0.25
"""A gazetteer place stays a place while at least this share of its articles type it so."""
FULL_NAME_ARTICLES = 2
"""Articles that call a full name a person before its words alone may be that person's name
(see ``_Clusters._ends_of_full_names``)."""
CONTEXT_VOTES = 4
"""Votes for a type an article gives when the words around the name gave it ("the village of
Marea", "Ahrar al-Sham fighters"): the model's label alone is a guess, the sentence is not.
With three, one such article of six lost to five guesses by a tie ("Boko Haram")."""
SURE_TIE = 0.01
"""A little more for such an article, so that on a tie of votes the words win: "Boko Haram" in
seven articles, a person to the model in five, an organisation in two, one of them by its
words ("militants"), was a tie of five to five."""
SHORT_FORM_VOTE = 0.5
"""What a short form's type counts for its entity: the model types a bare "Westpac" or "Assad"
less reliably than the full name ("Westpac Banking Corp" is an organisation)."""
QUALIFIER_ARTICLES = 5
"""Articles that must use a word alone as a nationality before it is stripped from a name."""
TITLE_NAMES = 2
"""Different people's full names a word must stand before, each also used alone, to be read as
a title ("Chair", "Spokeswoman") rather than a given name the tables do not know."""
NAMED = ("person", "org", "place")
_PARTY_WORD = "party"
_PARTY_SUFFIX = " " + _PARTY_WORD
"""How a folded party's name of two words ends ("republican party"): folded names have single spaces."""
COURTESY_TITLES = ("mr", "mrs", "ms", "miss", "dr")
"""Titles written before a person's surname alone ("Ms Haley"), never before a firm's or a place's."""
_COURTESY_PREFIXES = tuple(title + " " for title in COURTESY_TITLES)
_MIN_PARTY_STEM = 4
"""Letters at least of a word naming a party's members ("Tory" has its own entry to be so)."""

LocalEntity = tuple[Any, ...]
"""An article's own entity before resolution: ``(type, name, variants)``, and
``CONTEXT_EVIDENCE`` after them when the words around it in the article gave its type, and
``AMBIGUOUS_EVIDENCE`` when it is a short form of several of the article's people."""


_NO_COUNTS: Counter[str] = cast("Counter[str]", MappingProxyType({}))
"""The ``sure`` and ``linked`` of most names: shared and read-only, replaced by a ``Counter``
on a name's first such count (a million names would otherwise hold two million empty ones)."""


def _positive(counts: Counter[str]) -> Counter[str]:
    """The counts above zero, or the shared empty ``_NO_COUNTS`` if none is."""
    return (+counts or _NO_COUNTS) if counts is not _NO_COUNTS else counts


@dataclass(slots=True)
class _Name:
    """Everything the archive says about one name (folded). Slots: an archive has millions."""

    name: str
    votes: Counter[str] = field(default_factory=Counter)
    spellings: Counter[str] = field(default_factory=Counter)
    sure: Counter[str] = field(default_factory=lambda: _NO_COUNTS)
    """Of ``votes``, the articles where the words around the name gave the type."""
    linked: Counter[str] = field(default_factory=lambda: _NO_COUNTS)
    """Full names (folded) articles linked this name to as a short form."""
    with_base: int = 0
    """Articles that name this name and, if it ends in "s", the name without it."""
    parties: Counter[str] = field(default_factory=lambda: _NO_COUNTS)
    """Of a word alone, the parties ("... Party", folded) named by the articles that use it as
    no named thing (a member of one: "Republicans")."""
    _majority: str | None = None
    _spelling: str | None = None
    _articles: int | None = None

    def absorb(self, other: _Name) -> None:
        """Add the counts of ``other``, the same name in other articles."""
        self.votes.update(other.votes)
        self.spellings.update(other.spellings)
        self.with_base += other.with_base
        for attribute in ("sure", "linked", "parties"):
            theirs = getattr(other, attribute)
            if theirs:
                mine = getattr(self, attribute)
                if mine is _NO_COUNTS:
                    mine = Counter()
                    setattr(self, attribute, mine)
                mine.update(theirs)
        self._majority = self._spelling = self._articles = None

    def prune(self) -> bool:
        """Drop the counts taken back to nothing; whether nothing is left of the name."""
        self.votes = +self.votes
        self.spellings = +self.spellings
        self.sure = _positive(self.sure)
        self.linked = _positive(self.linked)
        self.parties = _positive(self.parties)
        self._majority = self._spelling = self._articles = None
        return not (self.votes or self.spellings or self.linked or self.with_base)

    @property
    def spelling(self) -> str:
        """The commonest way articles write it standing alone (ties by spelling; counted once,
        as ``majority``)."""
        if self._spelling is None:
            spellings = self.spellings
            self._spelling = max(spellings.items(), key=lambda i: (i[1], i[0]))[0] if spellings else self.name
        return self._spelling

    @property
    def articles(self) -> int:
        if self._articles is None:
            self._articles = sum(self.votes.values())
        return self._articles

    @property
    def majority(self) -> str:
        """The type most articles gave (counted once: the votes are final when it is asked)."""
        if self._majority is None:
            self._majority = _majority(self.votes)
        return self._majority


class NameCounts:
    """The archive's evidence about names, gathered one article at a time (``add``) and taken
    back one article at a time (``remove``), so that an update can start from the counts saved
    with the index instead of counting every article again. The derived values of each name
    (``majority``...) are worked out once, when the counts are final: change them only before
    they are decided on, or on a copy made by ``from_state``."""

    def __init__(self) -> None:
        self.names: dict[str, _Name] = {}
        self.documents = 0

    def add(self, entities: Iterable[LocalEntity]) -> None:
        """Count one article's own entities."""
        self._count(list(entities), 1)

    def remove(self, entities: Iterable[LocalEntity]) -> None:
        """Take back one article's own entities, as ``add`` counted them; a name no article is
        left to give evidence of is forgotten."""
        for key in self._count(list(entities), -1):
            entry = self.names.get(key)
            if entry is not None and entry.prune():
                del self.names[key]

    def merge(self, other: NameCounts) -> None:
        """Add the counts of ``other``, of other articles (it is consumed: its names are kept)."""
        self.documents += other.documents
        for key, theirs in other.names.items():
            mine = self.names.get(key)
            if mine is None:
                self.names[key] = theirs
            else:
                mine.absorb(theirs)

    def state(self) -> dict[str, Any]:
        """The counts as plain data, for saving beside the index (``from_state`` reads it)."""
        return {
            "documents": self.documents,
            "names": {
                key: (
                    e.name,
                    dict(e.votes),
                    dict(e.spellings),
                    dict(e.sure),
                    dict(e.linked),
                    e.with_base,
                    dict(e.parties),
                )
                for key, e in self.names.items()
            },
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> NameCounts:
        """The counts ``state`` saved."""
        counts = cls()
        counts.documents = state["documents"]
        for key, (name, votes, spellings, sure, linked, with_base, parties) in state["names"].items():
            counts.names[key] = _Name(
                name,
                Counter(votes),
                Counter(spellings),
                Counter(sure) if sure else _NO_COUNTS,
                Counter(linked) if linked else _NO_COUNTS,
                with_base,
                Counter(parties) if parties else _NO_COUNTS,
            )
        return counts

    def _count(self, local: list[LocalEntity], sign: int) -> set[str]:
        """Add (``sign`` 1) or take back (-1) one article's entities; the names it touched."""
        self.documents += sign
        folded: dict[str, str] = {}
        for entity in local:
            folded[entity[1]] = fold_name(entity[1])
            for variant in entity[2]:
                folded[variant] = fold_name(variant)
        present = set(folded.values())
        parties = sorted(k for k in present if _is_party(k))
        seen: set[str] = set()
        linked: set[str] = set()
        names = self.names
        for kind, name, variants, *evidence in local:
            key = folded[name]
            if key in seen:
                continue
            seen.add(key)
            entry = names.get(key)
            if entry is None:
                entry = names[key] = _Name(name)
            entry.votes[kind] += sign
            if CONTEXT_EVIDENCE in evidence and kind in NAMED:  # a sure ``misc`` is its article's alone
                if entry.sure is _NO_COUNTS:
                    entry.sure = Counter()
                entry.sure[kind] += sign
            entry.spellings[name] += sign
            if key.endswith("s") and key[:-1] in present:
                entry.with_base += sign
            if parties and kind == "misc" and " " not in key:
                if entry.parties is _NO_COUNTS:
                    entry.parties = Counter()
                entry.parties.update(dict.fromkeys(parties, sign))
            if not variants:
                continue
            forms = {folded[v]: v for v in sorted(variants)}
            for variant, spelling in sorted(forms.items()):
                if variant != key:
                    short = names.get(variant)
                    if short is None:
                        short = names[variant] = _Name(spelling)
                    if short.linked is _NO_COUNTS:
                        short.linked = Counter()
                    short.linked[key] += sign
                    linked.add(variant)
        return seen | linked


def resolve_names(counts: NameCounts, *, aliases: AliasTable, gazetteer: Gazetteer) -> Resolution:
    """The archive's entities: each name's canonical entity and type (see the module doc)."""
    clusters = _Clusters(counts.names, aliases)
    clusters.join_aliases()
    clusters.join_countries(country_names())
    clusters.join_states(state_abbreviations())
    clusters.join_republics()
    clusters.join_spellings()
    clusters.join_transliterations()
    clusters.join_compounds()
    clusters.join_given_names()
    clusters.join_word_orders()
    clusters.join_possessives()
    clusters.join_truncated()
    clusters.join_tails()
    clusters.join_heads()
    clusters.join_qualified()
    clusters.join_party_members()
    clusters.join_legal_forms(gazetteer)
    clusters.join_possessive_heads()
    clusters.join_abbreviations(gazetteer)
    clusters.join_short_forms(gazetteer)
    clusters.join_titled()
    return clusters.resolution(gazetteer, towns=town_keys())


def apply(
    resolution: Resolution, local: Sequence[LocalEntity], aliases: AliasTable
) -> tuple[ArticleEntity, ...]:
    """One article's own entities under the archive's names and types, each entity once.

    The names an article used that resolution replaced stay as its variants, so a search by
    them still finds the article and ``searchlib entities`` shows what was merged. A name the
    article's own words made no named thing (a portfolio: "Labour Minister", "Opera Director")
    stays so there, whatever the archive makes of the name elsewhere (the Labour party). A short
    form of several of the article's people ("Kim" beside Kim Jong-un and Kim Jong-nam) is one
    of them, not an entity of its own, whichever person the archive makes of it elsewhere."""
    merged: dict[tuple[str, str], dict[str, None]] = {}
    for kind, name, variants, *evidence in local:
        if AMBIGUOUS_EVIDENCE in evidence:
            continue
        target = resolution.target(name)
        if target is None or (kind == "misc" and CONTEXT_EVIDENCE in evidence):
            to_name, to_type = name, kind  # "Labour Minister": a portfolio here, the party elsewhere
        else:
            to_name, to_type = target
        forms = merged.setdefault((to_type, to_name), {})
        forms.update(dict.fromkeys(n for n in (name, *variants) if n != to_name))
    _join_company_heads(merged)
    out = []
    for (kind, name), forms in merged.items():
        entry = aliases.lookup(name)
        extra = entry.aliases if entry is not None and entry.name == name else ()
        out.append(ArticleEntity(name, kind, tuple(sorted(forms)), extra))  # type: ignore[arg-type]
    return tuple(out)


def _join_company_heads(merged: dict[tuple[str, str], dict[str, None]]) -> None:
    """In one article, a name that begins the one company name with a legal form the article
    holds is that company ("CARGILL" in a story on "Cargill U.K. Ltd"): a story names the
    company in full, then short. Places keep their own entity ("Russia" of "Russia Today Ltd")."""
    companies = {
        (kind, name): fold_name(name)
        for kind, name in merged
        if kind == "org" and without_legal_form(name) != name
    }
    if not companies:
        return
    for kind, name in list(merged):
        if kind == "place" or (kind, name) in companies:
            continue
        head = fold_name(name) + " "
        fits = [company for company, folded in companies.items() if folded.startswith(head)]
        if len(fits) == 1:
            forms = merged.pop((kind, name))
            merged[fits[0]].update(dict.fromkeys([name, *forms]))


class _Clusters:
    """Union-find over the archive's names; a cluster holds at most one aliases-file entry."""

    def __init__(self, heard: dict[str, _Name], aliases: AliasTable) -> None:
        self.heard = heard
        """Every name, also those only ever used beside a longer one ("Assad")."""
        names = {k: v for k, v in heard.items() if v.articles}
        self.names = names
        """The names articles use standing alone: what the resolution maps."""
        self.order = sorted(names)
        """Their keys in order, the order every pass visits them in (sorted once)."""
        self.parent = {k: k for k in names}
        self.short: set[str] = set()
        """Names joined as a short form: never a cluster's display name."""
        self.members: set[str] = set()
        """Names of an organisation's members ("Republicans"): its names, without a type vote."""
        self.fixed: dict[str, str] = {}
        for key in names:
            entry = aliases.lookup(key) or aliases.lookup_spelling(key)  # "Jeish Al Fatah"
            if entry is not None:
                self.fixed[key] = entry.name
        self.aliases = aliases
        self.country: dict[str, str] = {}
        """Names of countries, and the country each names."""
        self.state: dict[str, str] = {}
        """Abbreviations of US states, and the state each stands for."""

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        fa, fb = self.fixed.get(ra), self.fixed.get(rb)
        if fa is not None and fb is not None and fa != fb:
            return False  # two entries of the aliases file are two entities
        if (fb is not None, self.names[rb].articles, rb) > (fa is not None, self.names[ra].articles, ra):
            ra, rb = rb, ra  # the root: an aliases-file name, else the name more articles use
        self.parent[rb] = ra
        return True

    def join_aliases(self) -> None:
        """The names the aliases file gives one entry are one entity, however each is spelled."""
        self._join_buckets(lambda key, entry: self.fixed.get(key, ""), named_only=False)

    def join_countries(self, countries: dict[str, str]) -> None:
        """The names of one country are one place ("Russian Federation", "Russia")."""
        first: dict[str, str] = {}
        for key in self.order:
            country = countries.get(key)
            if country is not None:
                self.country[key] = country
                self.union(first.setdefault(country, key), key)

    def join_states(self, abbreviations: dict[str, str]) -> None:
        """A US state's abbreviation ("Mass.", "N.J.") is the state, shown under its name
        (Massachusetts), when the archive's articles call it a place."""
        for key in self.order:
            state = abbreviations.get(key)
            if state is None or self.names[key].majority != "place":
                continue
            self.state[key] = state
            self.short.add(key)
            full = fold_name(state)
            if full in self.names:
                self.union(full, key)

    def join_republics(self) -> None:
        """A region's name as a republic ("Republic of Crimea", "Autonomous Republic of Crimea",
        "Republic of Tatarstan") is the region the archive names alone, shown under that name.
        A country's names are ``join_countries``'s: "Republic of China" is not "China"."""
        for key in self.order:
            found = _REPUBLIC_OF.fullmatch(key)
            region = found.group(1) if found else None
            if (
                region is None
                or region not in self.names
                or self.names[region].majority != "place"
                or region in self.country
                or key in self.country
                or key in self.fixed
            ):
                continue
            if self.union(region, key):
                self.short.add(key)

    def join_spellings(self) -> None:
        self._join_buckets(lambda key, entry: spelling_key(key), named_only=False)
        by_key = {spelling_key(k): k for k in reversed(self.order)}
        for key in self.order:  # "al-Nusra Front" and "Nusra Front"; "Al Gore" not "Gore"
            rest = without_article(self.names[key].spelling)
            if rest and spelling_key(rest) in by_key:
                self.union(by_key[spelling_key(rest)], key)

    def join_transliterations(self) -> None:
        """Transliterations of one name are one name (``names.same_spelling``). A name of one
        word is compared with names of its type only ("Hasan" the person, a village "Hasan"); a
        longer one whatever the model called each ("Khan Sheikhoun" a person in two articles,
        "Khan Sheikhun" a place in four): the votes of the whole decide its type."""

        def bucket(key: str, entry: _Name) -> str:
            words = [w for i, w in enumerate(name_words(key)) if i == 0 or w not in ARTICLE_WORDS]
            kind = entry.majority if len(words) < 2 else "any"
            return kind + ":" + " ".join(skeleton(w) for w in words)

        self._join_buckets(bucket, test=same_spelling)

    def join_compounds(self) -> None:
        """People's names that differ only in how an "Abd al-" compound is written ("Rami Abdel
        Rahman", "Rami Abdulrahman", "Rami Abdurrahman")."""

        by_compound: dict[str, str] = {}
        for key in self.order:
            if self.names[key].majority == "person":
                by_compound.setdefault(compound_key(key), key)
        for key in self.order:
            other = by_compound.get(compound_key(key))
            if other is not None and other != key and self.names[key].majority == "person":
                self.union(other, key)

    def join_given_names(self) -> None:
        def bucket(key: str, entry: _Name) -> str:
            words = name_words(key)
            return " ".join(words[1:]) if entry.majority == "person" and len(words) > 1 else ""

        self._join_buckets(bucket, test=same_given_name)

    def join_word_orders(self) -> None:
        self._join_buckets(lambda key, entry: order_key(key) if entry.majority == "org" else "")

    def join_possessives(self) -> None:
        """A possessive written without its apostrophe joins its base ("Syrias" Syria, "Assads"
        the entity "Assad" stands for) when the base is used at least ``POSSESSIVE_BASE`` times
        as often (``POSSESSIVE_PERSON_BASE`` for a person's full name) and, for a one-word name,
        the articles using the possessive name the base too (or the base is used
        ``POSSESSIVE_DOMINANT`` times as often)."""
        for key in self.order:
            entry = self.names[key]
            base = self.heard.get(key[:-1])
            if base is None or key in self.fixed or not is_possessive_of(key, key[:-1]):
                continue
            uses = base.articles + sum(base.linked.values())
            people = " " in key and entry.majority == base.majority == "person"
            if uses < (POSSESSIVE_PERSON_BASE if people else POSSESSIVE_BASE) * entry.articles:
                continue
            alone = " " not in key  # "Williams" may be a name of its own; "Bashar al-Assads" is not
            if (
                alone
                and entry.with_base < POSSESSIVE_SHARE * entry.articles
                and uses < POSSESSIVE_DOMINANT * entry.articles
            ):
                continue
            if key[:-1] in self.names:
                target: str | None = key[:-1]
            else:
                target, count, total = self._linked_root(base, base.linked)
                if target is None or count < SHORT_FORM_SHARE * total:
                    continue
            if self.union(target, key):
                self.short.add(key)

    def join_truncated(self) -> None:
        """A name cut before a phrase of a longer organisation's name ("Syrian Observatory" of
        "Syrian Observatory for Human Rights") joins it when that is used at least as often and
        has ``SHORT_FORM_SHARE`` of the articles of all names so cut. Cut elsewhere ("General
        Motors" of "General Motors Acceptance Corp"), the shorter may be another organisation."""
        heads: dict[str, list[str]] = defaultdict(list)
        for key, entry in self.names.items():
            words = key.split()
            if entry.majority != "org" or len(words) < 3:
                continue
            for i in range(2, len(words) - 1):
                if words[i] in FUNCTION_WORDS:
                    heads[" ".join(words[:i])].append(key)
        for key in sorted(heads):
            entry = self.names.get(key)
            if entry is None or key in self.fixed:
                continue
            self._join_dominant(key, Counter({full: self.names[full].articles for full in heads[key]}))

    def join_tails(self) -> None:
        """A person's name of two words or more that ends a longer person's name ("Abdel
        Rahman" of "Rami Abdel Rahman") joins it when that is used at least as often and has
        ``SHORT_FORM_SHARE`` of the articles of all names it ends ("Le Pen" of both Marine and
        Jean-Marie Le Pen stays apart unless one of them has)."""
        tails: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for key, entry in self.names.items():
            words = name_words(key)
            if entry.majority == "person":
                for start in range(1, len(words) - 1):
                    tails[words[start:]].append(key)
        for key in self.order:
            entry = self.names[key]
            fulls = tails.get(name_words(key)) if entry.majority == "person" else None
            if not fulls or key in self.fixed:
                continue
            self._join_dominant(key, Counter({full: self.names[full].articles for full in fulls}))

    def join_heads(self) -> None:
        """A person's name of two words or more that begins a longer person's name ("Marine Le" of
        "Marine Le Pen", "George W." of "George W. Bush": the model cut the name short) joins
        it when that is used at least as often and has ``SHORT_FORM_SHARE`` of the articles of
        all names it begins. "Kim Jong" begins both Kim Jong-un and Kim Jong-nam: apart."""
        heads: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for key, entry in self.names.items():
            words = name_words(entry.spelling)
            if entry.majority == "person":
                for end in range(2, len(words)):
                    heads[words[:end]].add(key)
        for key in self.order:
            entry = self.names[key]
            fulls = heads.get(name_words(entry.spelling)) if entry.majority == "person" else None
            if not fulls or key in self.fixed:
                continue
            uses: Counter[str] = Counter()
            for full in fulls:
                uses[self.find(full)] += self.names[full].articles
            self._join_dominant(key, uses)

    def _join_dominant(self, key: str, uses: Counter[str]) -> None:
        """Join the name ``key`` to the longer name (or cluster) of ``uses`` (articles each)
        that is used at least as often as it and has ``SHORT_FORM_SHARE`` of all their articles."""
        (full, count), total = max(uses.items(), key=lambda i: (i[1], i[0])), sum(uses.values())
        if count >= max(self.names[key].articles, SHORT_FORM_SHARE * total) and self.union(full, key):
            self.short.add(key)

    def join_qualified(self) -> None:
        """A person's name or an acronym with a nationality glued before it ("Australian Simone
        Young", "Kurdish YPG") joins the name alone, when the archive uses that first word
        standing alone as no named thing (a nationality, ``misc``) in ``QUALIFIER_ARTICLES``
        articles or more, and in more than the qualified name ("Jared", which the model once
        took for a nationality, is no qualifier of "Jared Kushner"), and the name alone as a
        person or an acronym."""
        for key in self.order:
            entry = self.names[key]
            words = entry.spelling.split()
            if len(words) < 2 or key in self.fixed:
                continue
            qualifier = self.heard.get(fold_name(words[0]))
            rest = self.names.get(fold_name(" ".join(words[1:])))
            if (
                qualifier is None
                or qualifier.articles < max(QUALIFIER_ARTICLES, entry.articles)
                or qualifier.majority != "misc"
                or rest is None
                or not (rest.majority == "person" or _acronym(rest.spellings))
            ):
                continue
            if self.union(fold_name(" ".join(words[1:])), key):
                self.short.add(key)

    def join_party_members(self) -> None:
        """A party's members, as a group or one of them ("Republicans", "a Democrat", "the
        Socialists"), stand for the party the archive names with that word and "Party"
        ("Republican Party", "Democratic Party"), as a reader takes them: when the word, used
        of people in the plural too, and the party are named together in at least
        ``MIN_LINKING_ARTICLES`` articles ("Christians" and a "Christian Party" named once are
        not). The members' articles do not vote on the party's type: to the model they are a
        nationality-like word."""
        for key in self.order:
            entry = self.names[key]
            if not entry.parties or entry.majority != "misc" or key in self.fixed or entry.spelling.isupper():
                continue
            stem = key[:-1] if key.endswith("s") else key
            plural = self.heard.get(stem + "s")
            if len(stem) < _MIN_PARTY_STEM or plural is None or plural.articles < MIN_LINKING_ARTICLES:
                continue
            fits = Counter(
                {
                    party: count
                    for party, count in entry.parties.items()
                    if party in self.names
                    and party.split()[0].startswith(stem)
                    and len(party.split()[0]) - len(stem) <= 2
                    and count >= MIN_LINKING_ARTICLES
                }
            )
            if fits:
                party = max(fits.items(), key=lambda i: (i[1], i[0]))[0]
                if self.union(party, key):
                    self.short.add(key)
                    self.members.add(key)

    def join_legal_forms(self, gazetteer: Gazetteer) -> None:
        """A company's name without its legal form ("Diamond Shamrock" of "Diamond Shamrock
        Corp", "Samuel Montagu" of "Samuel Montagu and Co") is the company, whatever the model
        called the bare name: people lend companies their names, and a bare company name looks
        like a person's to the model. A country's or a gazetteer place's name stays apart
        ("Mexico" of "Mexico SA"), and so does an ordinary word ("Southern" of "Southern Corp")
        and a name articles link to another full name ("Wilson" of Michael Wilson)."""
        places = {fold_name(p) for p in gazetteer.places}
        common = gazetteer.lexicon.common
        for key in self.order:
            entry = self.names[key]
            if entry.majority != "org":
                continue
            base = fold_name(without_legal_form(entry.spelling))
            if base == key or base not in self.names or base in self.fixed or base in self.country:
                continue
            elsewhere, count, _total = self._linked_root(self.names[base], self.names[base].linked)
            if elsewhere is not None and elsewhere != self.find(key) and count >= MIN_LINKING_ARTICLES:
                continue  # "Wilson", which articles link to Michael Wilson, not "Wilson Foods Corp"
            if base not in places and base not in common and self.union(key, base):
                self.short.add(base)

    def join_possessive_heads(self) -> None:
        """An organisation's name that is the possessive beginning another's ("Moody" of
        "Moody's Investors Service": the trimmed "Moody's said") joins it, when it holds
        ``SHORT_FORM_SHARE`` of the articles of the organisations whose names so begin."""
        heads: dict[str, Counter[str]] = defaultdict(Counter)
        for key, entry in self.names.items():
            first = _POSSESSIVE_WORD.match(entry.spelling)
            if entry.majority == "org" and first is not None:
                heads[fold_name(first.group(1))][self.find(key)] += entry.articles
        for base in sorted(heads):
            entry = self.names.get(base)
            if entry is None or entry.majority != "org" or base in self.fixed:
                continue
            (full, count), total = heads[base].most_common(1)[0], sum(heads[base].values())
            if count >= SHORT_FORM_SHARE * total and self.union(full, base):
                self.short.add(base)

    def join_abbreviations(self, gazetteer: Gazetteer) -> None:
        """A one-word place cut short ("Calif" of "California") joins the one place of the
        gazetteer and the archive whose name it begins, unless it is a place name itself: one
        the gazetteer knows, or one the archive also writes with the Arabic article ("Hara" of
        "al-Hara", a town in Daraa, is no "Harare")."""
        places = {fold_name(p) for p in gazetteer.places if " " not in p}
        known = sorted(k for k in self.names if k in places)
        with_article = {without_article(k) for k in self.names} - {""}
        for key in self.order:
            entry = self.names[key]
            if (
                entry.majority != "place"
                or len(key) < MIN_ABBREVIATION
                or " " in key
                or key in places
                or key in with_article
                or key in gazetteer.lexicon.common
                or key in self.fixed
                or not key.isalpha()
            ):
                continue
            fits = [k for k in _starting(known, key) if len(k) > len(key) + 1]
            if len(fits) == 1 and self.union(fits[0], key):
                self.short.add(key)

    def join_short_forms(self, gazetteer: Gazetteer) -> None:
        """A name standing alone joins the full name the archive's articles link it to."""
        places = {fold_name(p) for p in gazetteer.places}
        common = gazetteer.lexicon.common
        votes = self._cluster_votes()
        for key in self.order:
            entry = self.names[key]
            if not entry.linked or key in self.fixed or key in self.short:
                continue  # a short form already joined stands for that entity ("Gates" of "Gates Corp")
            spelled_out = self._spelled_out(entry)
            root, count, total = self._linked_root(entry, spelled_out or entry.linked)
            if root is None or root == self.find(key) or count < SHORT_FORM_SHARE * total:
                continue
            full_type = _majority(votes[root])
            structural = bool(spelled_out) or _abbreviates(
                entry.spelling, self.names[root].spelling, full_type
            )
            if not _attested(count, entry, structural=structural):
                continue
            if not structural and key in common:  # "Bank" stays apart from "Bank of England"
                continue
            law = structural and names_a_law(self.names[root].spelling)  # "NAFTA": an org to the model
            if not (law or _compatible(entry.majority, full_type)):
                continue
            if key in places and full_type != "place":
                continue
            if self.union(root, key):
                self.short.add(key)

    def join_titled(self) -> None:
        """A person's name that is a title and another person's full name ("Chair Devin Nunes",
        "Spokeswoman Maria Zakharova", "Follow Julie Pace" of a byline's link) joins that name,
        when the archive uses it alone in as many articles. A title is a word that is no given
        name and stands before ``TITLE_NAMES`` different people's full names so used. A
        surname alone after it is left: "Jason Miller" is not whoever "Miller" alone is, and
        no table knows every given name."""
        titled = [(key, *found) for key in self.order if (found := self._title_and_rest(key))]
        after: dict[str, set[str]] = defaultdict(set)
        for _key, title, rest in titled:
            after[title].add(rest)
        for key, title, rest in titled:
            if len(after[title]) < TITLE_NAMES or key in self.fixed:
                continue
            if self.names[rest].articles >= self.names[key].articles and self.union(rest, key):
                self.short.add(key)

    def _title_and_rest(self, key: str) -> tuple[str, str] | None:
        """A person's name's first word and the key of the person's name after it, when that
        word may be a title and the rest is a name people are called by alone; else None."""
        entry = self.names[key]
        words = entry.spelling.split()
        if len(words) < 3 or entry.majority != "person" or not words[0][:1].isupper():
            return None
        if is_given_name(words[0]):  # after "Jason" or "Sergei", a surname alone is another's as often
            return None
        rest = fold_name(" ".join(words[1:]))
        named = self.names.get(rest)
        return (words[0], rest) if named is not None and named.majority == "person" else None

    def _spelled_out(self, entry: _Name) -> Counter[str]:
        """Of the full names articles linked an acronym to, those it is the initials of, with or
        without their legal forms ("EC" of "European Community", not of "EC Commission"; "GM" of
        "General Motors Corp", "CCC" of "Commodity Credit Corporation"): what the acronym stands
        for. Names that merely hold it as a word say nothing of what it means."""
        if not entry.spelling.isupper():
            return Counter()
        return Counter(
            {
                full: count
                for full, count in entry.linked.items()
                if full in self.names
                and entry.spelling not in self.names[full].spelling.split()
                and any(
                    _abbreviates(entry.spelling, spelling, "org")
                    for spelling in {self.names[full].spelling, without_legal_form(self.names[full].spelling)}
                )
            }
        )

    def _linked_root(self, entry: _Name, linked: Counter[str]) -> tuple[str | None, int, int]:
        """The cluster most articles linked a short form to, how many did, and how many linked.
        A full name that ends with another it was linked to counts for that one: "Homeland
        Security" linked to "US Department of Homeland Security" in two articles and to
        "Department of Homeland Security" in four is linked six times to the department."""
        roots: Counter[str] = Counter()
        for full, count in linked.items():
            if full in self.names:
                words = full.split()
                tails = (" ".join(words[i:]) for i in range(1, len(words)))
                inner = next((tail for tail in tails if tail in linked and tail in self.names), full)
                roots[self.find(inner)] += count
        if not roots:
            return None, 0, 0
        root, count = max(roots.items(), key=lambda item: (item[1], item[0]))
        return root, count, sum(roots.values())

    def resolution(self, gazetteer: Gazetteer, *, towns: frozenset[str] = frozenset()) -> Resolution:
        members: dict[str, list[str]] = defaultdict(list)
        for key in self.order:
            members[self.find(key)].append(key)
        places = {fold_name(p) for p in gazetteer.places}
        targets: dict[str, tuple[str, EntityType]] = {}
        entities: list[ResolvedName] = []
        cluster_votes = self._cluster_votes()
        sure: dict[str, Counter[str]] = defaultdict(Counter)
        plain = self._cluster_votes(short_weight=SHORT_FORM_VOTE, sure_into=sure)  # articles
        name_ends, credible_ends = self._ends_of_full_names()
        titled = self._surnames_after_courtesy_titles()
        common = gazetteer.lexicon.common
        for root, keys in sorted(members.items()):
            votes = cluster_votes[root]
            deciding = Counter(plain[root])  # the articles whose words gave the type count for more
            deciding.update({t: n * (CONTEXT_VOTES - 1 + SURE_TIE) for t, n in sure[root].items()})
            name, kind = self._identity(
                root, keys, deciding, sum(plain[root].values()), places, towns, common
            )
            if (
                kind == "person"
                and " " not in name
                and fold_name(name) not in (credible_ends if gazetteer.lexicon.is_common(name) else name_ends)
                and not any(k in self.fixed for k in keys)
            ):  # "Xinhua", "Revs", "Easter": no person of the archive is so named in full
                kind = _type_other_than_person(deciding)  # type: ignore[assignment]
            elif kind != "person" and self._named_by_titled_surname(keys, name, titled, common):
                kind = "person"  # "Nikki Haley", whom the model calls an organisation, is "Ms Haley"
            elif kind == "person" and " " not in name and self._names_several_people(keys, cluster_votes):
                kind = "misc"  # "Baker" alone: James Baker in 14 articles, Howard Baker in 10
            spellings = Counter({s: c for k in keys for s, c in self.names[k].spellings.items()})
            for key in keys:
                own = self.names[key]
                if (
                    len(keys) > 1
                    or len(own.votes) > 1
                    or len(own.spellings) > 1
                    or own.majority != kind
                    or own.spelling != name
                ):
                    targets[key] = (name, kind)
            if len(keys) > 1 or len(votes) > 1 or name not in spellings:
                others = [s for s, _c in sorted(spellings.items(), key=lambda i: (-i[1], i[0])) if s != name]
                counted = sorted(((t, n) for t, n in votes.items() if n > 0), key=lambda i: (-i[1], i[0]))
                entities.append(ResolvedName(name, kind, tuple(others), tuple(counted)))
        return Resolution(targets=targets, entities=tuple(entities))

    def _cluster_votes(
        self, *, short_weight: float = 1.0, sure_into: dict[str, Counter[str]] | None = None
    ) -> dict[str, Counter[str]]:
        """Each cluster's type votes, by its root; a short form's votes count ``short_weight``.
        ``sure_into`` collects, weighted alike, the votes of the articles whose words gave the
        type (``resolution`` counts them for more)."""
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for key, entry in self.names.items():
            weight = 0.0 if key in self.members else short_weight if key in self.short else 1.0
            votes[self.find(key)].update(
                entry.votes if weight == 1.0 else {t: n * weight for t, n in entry.votes.items()}
            )
            if sure_into is not None and entry.sure:
                sure_into[self.find(key)].update({t: n * weight for t, n in entry.sure.items()})
        return votes

    def _identity(
        self,
        root: str,
        keys: list[str],
        votes: Counter[str],
        articles: float,
        places: set[str],
        towns: frozenset[str],
        common: frozenset[str],
    ) -> tuple[str, EntityType]:
        """The name and type a cluster is shown under: an aliases-file entry's; else the
        commonest spelling of its full names and the type most articles (a country: a place)
        gave, a place of the gazetteer staying a place while a quarter of them agree, and a
        name of a town counting as half its ``articles`` more for a place, whatever extra votes
        the words around it gave a type (a village that NER
        calls a person in one article is a place; "Obama", also a town, stays a person, and
        "SANA", written as an acronym, is no town). A name that cannot be a person's takes the
        next type, a place if articles gave none: one beginning with the Arabic article
        ("al-Midan", "al-Zahraa": a person's name begins with a given name; "Al Gore" is not so
        written), or with a German article ("Der Spiegel"). A name ending in a company's legal
        form ("... Bank NV"), unless it is also used without one, is an organisation whatever the
        votes. An acronym the gazetteer does not know ("RT", "SANA") is an organisation, a name
        written with a capital inside ("AfD") is no town, and one ordinary English word the
        gazetteer does not know ("the West"; but "Tripoli", a town's name) is no place, and the
        singular of a people the archive names ("Kurd" of "Kurds") is no named thing, nor is a
        quality or a doctrine ("Australianness", "Thatcherism": ``_abstract_noun``)."""
        fixed = self.fixed.get(root)
        if fixed is not None:
            entry = self.aliases.lookup(fixed)
            assert entry is not None
            return entry.name, entry.type
        full = [k for k in keys if k not in self.short] or keys
        spellings = Counter({s: c for k in full for s, c in self.names[k].spellings.items()})
        name = _fullest(spellings)
        bare = fold_name(without_legal_form(name))
        if bare != fold_name(name) and bare in keys:  # "American Express", not "... Co"; as the
            shown = _fullest(self.names[bare].spellings)  # full name writes it when the bare
            name = without_legal_form(name) if shown.isupper() else shown  # is only in capitals
        registered = without_legal_form(name) != name  # "Amsterdam-Rotterdam Bank NV": a company
        if any(k in self.country for k in keys):
            return name, "place"
        states = {self.state[k] for k in keys if k in self.state}
        if states:
            return (name if keys != [k for k in keys if k in self.state] else min(states)), "place"
        total = sum(votes.values())
        if any(k in places for k in keys) and votes["place"] >= GAZETTEER_PLACE_SHARE * total:
            return name, "place"
        acronym = _acronym(spellings)
        if (
            compact_key(name) in towns
            and not acronym
            and not _inner_capital(name)
            and not (_majority(votes) == "misc" and votes["misc"] >= WORD_ARTICLES)  # "Olympic"
        ):
            votes = votes + Counter({"place": 1 + TOWN_PRIOR * articles})  # not the words' extra votes
        kind = _majority(votes)
        if (
            acronym
            and kind in ("person", "place")
            and len(name) <= MAX_ACRONYM
            and " " not in name
            and "." not in name  # "N.J.", "D.C.": abbreviated words, not an acronym
            and not (kind == "place" and compact_key(name) in towns)  # "YORK" in a capitals headline
        ):  # "RT", "SANA": neither a person nor, unless
            kind = "org"  # the gazetteer says so ("UAE", "US"), a place
        elif (
            kind == "person" and " " not in name and _inner_capital(name) and not _SURNAME_PREFIX.match(name)
        ):
            kind = "org"  # "SpaceX", "YouTube": brands, not people; "McCain", "DeVos" are
        elif kind == "person" and without_article(name):
            kind = _type_other_than_person(votes, otherwise="place")
        elif kind == "person" and _GERMAN_ARTICLE.match(name):
            kind = _type_other_than_person(votes, otherwise="org")
        elif (
            kind == "place"
            and " " not in name
            and name.casefold() in common
            and compact_key(name) not in towns
        ):
            kind = "misc"  # "the West": a word, not a place the gazetteer knows
        if registered and kind in ("person", "place"):
            kind = "org"
        if kind != "misc" and " " not in name and self._member_of_people(keys):
            kind = "misc"  # "Kurd", "Briton": one of a people the archive names as such
        if (
            _OPERATION.match(name)
            or names_no_body(name)
            or _PLURAL_ACRONYM.fullmatch(name)
            or self._abstract_noun(name, common)
        ):  # "Operation Euphrates Shield", "World Cup": events; "Lisbon Treaty": a document;
            kind = "misc"  # "Australianness": a quality
        if acronym and kind != "place" and len(name) <= MAX_ACRONYM:  # "SANA", not "Sana"; "YORK" a place
            name = max((c, s) for s, c in spellings.items() if s.isupper())[1]
        return name, kind  # type: ignore[return-value]

    def _abstract_noun(self, name: str, common: frozenset[str]) -> bool:
        """Whether ``name`` is one word made a noun of a quality or a doctrine: "-ism" after a
        word of three letters or more ("Thatcherism"), or "-ness" after an English word or a
        name the archive hears ("Australianness" of "Australian"; "Highness" of "high"). A place
        of the gazetteer ("Inverness") is decided before this, and a name whose stem is no word
        ("Guinness") stays a name."""
        found = _ABSTRACT_NOUN.fullmatch(name)
        if found is None:
            return False
        stem, suffix = found.group(1).casefold(), found.group(2)
        if suffix == "ism":
            return True
        stems = (stem, stem[:-1] + "y") if stem.endswith("i") else (stem,)  # "Holiness" of "holy"
        return any(s in common or s in self.names for s in stems)

    def _ends_of_full_names(self) -> tuple[frozenset[str], frozenset[str]]:
        """The first and the last words of the archive's people's full names, folded: a name of
        one word is a person's only if some article names a person of it in full ("Sturgeon" of
        "Nicola Sturgeon", "Moon" of "Moon Jae-in", "Hillary" of "Hillary Clinton"). Second,
        those of the full names ``FULL_NAME_ARTICLES`` articles call a person or an article
        linked that word alone to, which an ordinary English word needs: a "person" of one
        article is often words the model glued ("Coast Guard Rescue Helicopter", "Holly
        Holi", "Bell Helicopter" with "Bell" alone), which make no dictionary word of it a name
        ("Helicopter", "Holly"), while a surname named in full once ("Zinke", "Donohoe") is
        still one."""
        linked: dict[str, set[str]] = defaultdict(set)
        for short, entry in self.heard.items():
            for full in entry.linked:
                linked[full].add(short)
        ends: set[str] = set()
        credible: set[str] = set()
        for key, entry in self.heard.items():
            words = entry.spelling.split()
            if len(words) > 1 and entry.majority == "person":
                pair = (fold_name(words[0]), fold_name(words[-1]))
                ends.update(pair)
                if entry.votes["person"] >= FULL_NAME_ARTICLES:
                    credible.update(pair)
                elif key in linked:  # only the word the article wrote alone: "Bell" of a "Bell
                    credible.update(w for w in pair if w in linked[key])  # Helicopter" person
        return frozenset(ends), frozenset(credible)

    def _names_several_people(self, keys: list[str], cluster_votes: dict[str, Counter[str]]) -> bool:
        """Whether a name of one word stands for different people: articles linked it to two
        or more people's full names, each in ``MIN_LINKING_ARTICLES`` articles or more, and to
        none in ``SHORT_FORM_SHARE`` of them. Standing alone, it is then nobody in particular,
        not one person under the name of many ("Baker", "Paul", "Li")."""
        if any(k in self.fixed or " " in k for k in keys):  # "Bill Owens" named in full is one man
            return False
        people: Counter[str] = Counter()
        for key in keys:
            for full, count in self.names[key].linked.items():
                root = self.find(full) if full in self.names else None
                if root is not None and count > 0 and _majority(cluster_votes[root]) == "person":
                    people[root] += count
        linked = sorted(people.values(), reverse=True)
        return (
            len(linked) >= 2
            and linked[1] >= MIN_LINKING_ARTICLES
            and linked[0] < SHORT_FORM_SHARE * sum(linked)
        )

    def _surnames_after_courtesy_titles(self) -> frozenset[str]:
        """The names (folded) the archive writes after "Mr", "Mrs", "Ms", "Miss" or "Dr": only a
        person is so called."""
        titled = (key.split(" ", 1)[1] for key in self.heard if key.startswith(_COURTESY_PREFIXES))
        return frozenset(rest for rest in titled if " " not in rest)

    def _named_by_titled_surname(
        self, keys: list[str], name: str, titled: frozenset[str], common: frozenset[str]
    ) -> bool:
        """Whether a name of two words that most articles gave another type is a person's: its
        last word is written after a courtesy title somewhere in the archive ("Ms Haley"), and
        some article linked that word alone to this name ("Haley" to "Nikki Haley"). A firm
        named after its founders ("Merrill Lynch") is not called by one of their surnames in a
        story about it, and an ordinary word first ("King Power", "West Lake") makes no given
        name."""
        words = name.split()
        if len(words) != 2 or words[0].casefold() in common or not words[0][1:].islower():
            return False
        surname = fold_name(words[1])
        short = self.heard.get(surname)
        return surname in titled and short is not None and any(short.linked.get(k) for k in keys)

    def _member_of_people(self, keys: list[str]) -> bool:
        """Whether a one-word name is the singular of a people: its plural ("Kurds") is a
        nationality or a group (``misc``) in at least as many articles, and in two or more."""
        articles = sum(self.names[k].articles for k in keys)
        for key in keys:
            plural = self.heard.get(key + "s")
            if plural is not None and plural.majority == "misc" and plural.articles >= max(2, articles):
                return True
        return False

    def _join_buckets(self, bucket, *, test=None, named_only: bool = True) -> None:  # type: ignore[no-untyped-def]
        groups: dict[str, list[str]] = defaultdict(list)
        for key in self.order:
            entry = self.names[key]
            if named_only and entry.majority not in NAMED:
                continue
            label = bucket(key, entry)
            if label:
                groups[label].append(key)
        for keys in groups.values():
            for i, a in enumerate(keys):
                for b in keys[i + 1 :]:
                    if test is None or test(a, b):
                        self.union(a, b)


def _is_party(key: str) -> bool:
    """Whether a folded name is a party's of two words ("republican party"); asked of every name
    of every article counted, so without splitting it."""
    return key.endswith(_PARTY_SUFFIX) and key.count(" ") == 1


def _type_other_than_person(votes: Counter[str], otherwise: str | None = None) -> str:
    """The type most articles gave but "person", for a name that cannot be a person's;
    ``otherwise`` (half a vote) when the articles gave it no other, else ``misc``."""
    others = votes - Counter({"person": votes["person"]})
    return _majority(others + Counter({otherwise: 0.5}) if otherwise else others)


def _majority(votes: Counter[str]) -> str:
    """The type most articles gave; a named type beats ``misc`` on a tie, ties by type order."""
    if not votes:
        return "misc"
    order = {t: i for i, t in enumerate(ENTITY_TYPES)}
    return max(votes.items(), key=lambda i: (i[1], i[0] != "misc", -order.get(i[0], 9)))[0]


def _fullest(spellings: Counter[str]) -> str:
    """The name a cluster is shown under: its commonest spelling (ordinary case before capitals),
    written in full: of the spellings that differ from it only by an Arabic article, the one
    that has the article ("al-Nusra Front" rather than "Nusra Front", "Bashar al-Assad" rather
    than "Bashar Assad"), as reference works write such names."""
    commonest = max(spellings.items(), key=lambda i: (not i[0].isupper(), i[1], i[0]))[0]
    key = spelling_key(without_article(commonest) or commonest)
    fuller = [
        (articles, count, spelling)
        for spelling, count in spellings.items()
        if not spelling.isupper()
        and spelling_key(without_article(spelling) or spelling) == key
        and (articles := sum(w in ARTICLE_WORDS for w in name_words(spelling))) > 0
    ]
    return max(fuller)[2] if fuller else commonest


def _starting(ordered: Sequence[str], prefix: str) -> Iterator[str]:
    """The strings of ``ordered`` (sorted) that begin with ``prefix``, in order."""
    for i in range(bisect_left(ordered, prefix), len(ordered)):
        if not ordered[i].startswith(prefix):
            return
        yield ordered[i]


def _inner_capital(name: str) -> bool:
    """Whether a word of the name has a capital after its first letter ("AfD", "SpaceX"), as
    acronyms and brands do and no town's name."""
    return any(any(ch.isupper() for ch in word[1:]) for word in _NAME_PARTS.split(name) if word[:1].isalpha())


def _acronym(spellings: Counter[str]) -> bool:
    """Whether nearly all articles write a name in capitals, as an acronym ("SANA")."""
    caps = sum(count for spelling, count in spellings.items() if spelling.isupper() and len(spelling) > 1)
    return caps >= ACRONYM_SHARE * sum(spellings.values())


def _attested(linked: int, entry: _Name, *, structural: bool) -> bool:
    """Whether enough articles link a short form for its standing alone to mean the same:
    "Google" linked twice to "Google Play Music" and used alone in 30 articles is not that
    name. An acronym or a surname of the full name needs only ``MIN_LINKING_ARTICLES``."""
    if linked < MIN_LINKING_ARTICLES:
        return False
    return structural or linked >= LINKED_SHARE * entry.articles


def _abbreviates(short: str, full: str, full_type: str) -> bool:
    """Whether ``short`` is the acronym of ``full`` ("AP") or, of a person's name, its last words
    ("Sturgeon", "Abdel Rahman" of "Rami Abdel Rahman"). An organisation's last word is the
    kind of body it is ("Congress" of "American Pork Congress"), no short form of its own."""
    words, tail = name_words(full), name_words(short)
    if len(full.split()) < 2 or not tail:
        return False
    if short.isupper() and acronym(full) == short.replace(".", ""):
        return True
    return full_type == "person" and len(tail) < len(words) and words[-len(tail) :] == tail


def _compatible(short_type: str, full_type: str) -> bool:
    """Whether a short form typed so may stand for a full name typed so: spaCy types a bare
    surname as an organisation ("the Trump administration") or a bare organisation as a person."""
    if short_type == full_type:
        return True
    return {short_type, full_type} == {"person", "org"}
