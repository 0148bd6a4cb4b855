"""The rules between spaCy's raw spans and clean mentions, on hand-made spans (no spaCy)."""

from __future__ import annotations

import pytest

from searchlib.gazetteer import Gazetteer, load_gazetteer
from searchlib.mentions import split_span, tidy_mentions, trim_span
from searchlib.truecase import Lexicon

SMALL = Gazetteer(
    places=frozenset({"Baghdad", "Iraq", "Boston", "Estonia", "Jordan"}),
    lexicon=Lexicon(common=frozenset()),
    countries=frozenset({"Iraq", "Estonia", "Jordan"}),
)


def span(text: str, part: str, label: str) -> tuple[int, int, str]:
    start = text.index(part)
    return start, start + len(part), label


def tidy(text: str, *spans: tuple[int, int, str]) -> list[tuple[str, str]]:
    return [(m.type, m.text) for m in tidy_mentions(text, spans, gazetteer=SMALL)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the United States", "United States"),
        ("Iraq's", "Iraq"),
        ("Benard 's", "Benard"),
        ('"Hashed al-Shaabi",', "Hashed al-Shaabi"),
        ("Reuters'", "Reuters"),
    ],
)
def test_trim_span(text: str, expected: str) -> None:
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == expected


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Estonia 1-0", ["Estonia"]),
        ("Norwich 1 Wolverhampton", ["Norwich", "Wolverhampton"]),
        ("Oval ( London", ["Oval", "London"]),
        ("SOCCER - CANADA", ["SOCCER", "CANADA"]),
        ("Paris, France", ["Paris,", "France"]),
        ("Hashed al-Shaabi", ["Hashed al-Shaabi"]),
    ],
)
def test_split_span(text: str, parts: list[str]) -> None:
    assert [text[s:e] for s, e in split_span(text, 0, len(text))] == parts


def test_unwanted_labels_are_dropped() -> None:
    text = "On Friday 12 people died in Baghdad"
    found = tidy(
        text, span(text, "Friday", "DATE"), span(text, "12", "CARDINAL"), span(text, "Baghdad", "GPE")
    )
    assert found == [("place", "Baghdad")]


def test_a_gazetteer_place_is_a_place_whatever_the_model_said() -> None:
    text = "Iraq protested."
    assert tidy(text, span(text, "Iraq", "ORG")) == [("place", "Iraq")]


def test_organisation_words_make_an_organisation() -> None:
    text = "Kataeb Hezbollah and the Baath Party and the Bank of Ireland"
    found = tidy(
        text,
        span(text, "Kataeb Hezbollah", "PERSON"),
        span(text, "Baath Party", "PERSON"),
        span(text, "Bank of Ireland", "GPE"),
    )
    assert found == [("org", "Kataeb Hezbollah"), ("org", "Baath Party"), ("org", "Bank of Ireland")]


def test_a_city_with_a_score_is_a_team_but_a_country_stays_a_place() -> None:
    text = "Boston 65 71 .478\nEstonia 1 Jordan 2"
    found = tidy(text, span(text, "Boston", "GPE"), span(text, "Estonia", "GPE"), span(text, "Jordan", "GPE"))
    assert found == [("org", "Boston"), ("place", "Estonia"), ("place", "Jordan")]


def test_a_dateline_is_a_place() -> None:
    text = "HERZLIYA, Israel 1996-08-31\nRANGOON 1996-08-31\nBAGHDAD (AFP) - Rockets hit."
    assert [n for t, n in tidy(text) if t == "place"] == ["HERZLIYA", "RANGOON", "BAGHDAD"]


def test_an_initial_and_a_surname_is_a_person_but_us_open_is_not() -> None:
    text = "J. Adams scored 54 at the U.S. Open"
    assert tidy(text, span(text, "Adams", "ORG")) == [("person", "J. Adams")]


def test_a_bare_surname_follows_its_person_and_repeats_are_found() -> None:
    text = "Mustafa al-Kadhemi spoke. Kadhemi left. Later Kadhemi returned."
    second = text.index("Kadhemi left")
    found = tidy(text, span(text, "Mustafa al-Kadhemi", "PERSON"), (second, second + len("Kadhemi"), "GPE"))
    assert found == [
        ("person", "Mustafa al-Kadhemi"),
        ("person", "Kadhemi"),
        ("person", "Kadhemi"),
    ]


def test_the_real_gazetteer_knows_countries_cities_and_english_words() -> None:
    gazetteer = load_gazetteer()
    assert {"Iraq", "Baghdad", "United States", "Texas", "Africa"} <= gazetteer.places
    assert "Iraq" in gazetteer.countries and "Baghdad" not in gazetteer.countries
    assert gazetteer.lexicon.is_common("victory") and not gazetteer.lexicon.is_common("Baghdad")
    assert "Mobile" not in gazetteer.places  # a city named like a common word is left out


def test_a_span_without_a_capital_is_no_name() -> None:
    text = "the senate voted; methanol prices rose at al-Aqsa"
    found = tidy(
        text, span(text, "senate", "ORG"), span(text, "methanol", "PRODUCT"), span(text, "al-Aqsa", "FAC")
    )
    assert found == [("place", "al-Aqsa")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Al Jazeera.", "Al Jazeera"), ("U.S.", "U.S."), ("Jr.", "Jr."), ("Salomon Bros.", "Salomon Bros.")],
)
def test_a_sentence_full_stop_is_trimmed_but_not_an_abbreviation_dot(text: str, expected: str) -> None:
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == expected
