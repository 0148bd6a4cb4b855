"""A list of places written without commas, which the model took for one place."""

from __future__ import annotations

import pytest
from test_mentions import span, tidy

from searchlib.entities.place_runs import place_runs, strips_commas

FILLER = " Units of the army continued their operations in the area on Tuesday." * 16
"""More than a thousand characters of text without a comma."""


def places(run: str) -> list[str]:
    words = run.split()
    return [" ".join(words[first:last]) for first, last in place_runs(words)]


def test_a_second_word_with_the_article_after_one_starts_a_new_place() -> None:
    assert places("Khan al-Jouz al-Eido al-Hor") == ["Khan al-Jouz", "al-Eido", "al-Hor"]
    assert places("al-Zahraa al-Rashideen") == ["al-Zahraa", "al-Rashideen"]


@pytest.mark.parametrize(
    "name",
    [
        "Deir al-Zour",
        "Ras al-Ain",
        "al-Samdania al-Gharbia",
        "al-Kark al-Sharqi",
        "al-Hajar al-Aswad",
        "al-Villat al-Humr",
        "al-Araby al-Jadeed",
        "Nour al-Din al-Zinki",
    ],
)
def test_a_name_with_its_adjective_or_a_compound_stays_whole(name: str) -> None:
    assert places(name) == [name]


def test_only_a_long_text_without_a_comma_has_lost_its_commas() -> None:
    assert strips_commas(FILLER)
    assert not strips_commas(FILLER + " Aleppo, Syria.")
    assert not strips_commas("Aleppo Syria")


def test_a_place_span_over_a_list_is_each_place_only_where_commas_were_stripped() -> None:
    text = "Army units destroyed dens in Khan al-Jouz al-Eido al-Hor and Salma." + FILLER
    found = tidy(text, span(text, "Khan al-Jouz al-Eido al-Hor", "GPE"))
    assert [name for _kind, name in found] == ["Khan al-Jouz", "al-Eido", "al-Hor"]
    with_commas = text.replace("and Salma.", "and Salma, in Latakia.")
    found = tidy(with_commas, span(with_commas, "Khan al-Jouz al-Eido al-Hor", "GPE"))
    assert [name for _kind, name in found] == ["Khan al-Jouz al-Eido al-Hor"]


def test_a_person_span_that_begins_with_the_article_is_a_list_of_places() -> None:
    text = "Terrorists positioned in al-Zahraa al-Rashideen fired shells." + FILLER
    found = tidy(text, span(text, "al-Zahraa al-Rashideen", "PERSON"))
    assert [name for _kind, name in found] == ["al-Zahraa", "al-Rashideen"]
