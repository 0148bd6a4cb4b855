"""Which written names can be one name: spelling keys, transliterations, given names."""

from __future__ import annotations

import pytest

from searchlib.entities.names import (
    compact_key,
    is_legal_form,
    is_possessive_of,
    order_key,
    same_given_name,
    same_spelling,
    spelling_key,
    without_legal_form,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Al Bab", "al-Bab"),
        ("Deir ez-Zor", "Deir Ezzor"),
        ("Kim Jong-un", "Kim Jong Un"),
        ("George W. Bush", "George W Bush"),
        ("Bashar al-Assad", "Bashar Assad"),
    ],
)
def test_one_spelling(a: str, b: str) -> None:
    assert spelling_key(a) == spelling_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sergey Lavrov", "Sergei Lavrov"),
        ("Dmitry Peskov", "Dmitri Peskov"),
        ("Khan Sheikhoun", "Khan Shaykhun"),
        ("Khan Sheikhun", "Khan Shaykhun"),
    ],
)
def test_transliterations(a: str, b: str) -> None:
    assert same_spelling(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong-un", "Kim Jong-nam"),
        ("Hama", "Hamas"),
        ("Hamas", "Homs"),
        ("George Bush", "George W. Bush"),
        ("Hussein", "Hassan"),
        ("Chan", "Chen"),
    ],
)
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert not same_spelling(a, b)
    assert spelling_key(a) != spelling_key(b)
    assert not same_given_name(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Mike Flynn", "Michael Flynn"), ("Jim Mattis", "James Mattis"), ("Steve Bannon", "Stephen Bannon")],
)
def test_given_names_and_their_short_forms(a: str, b: str) -> None:
    assert same_given_name(a, b) and same_given_name(b, a)


def test_a_given_name_alone_or_another_family_is_not_a_short_form() -> None:
    assert not same_given_name("Mike", "Michael")
    assert not same_given_name("Mike Pence", "Michael Flynn")


def test_word_order() -> None:
    assert order_key("Justice Department") == order_key("Department of Justice")
    assert order_key("Bank of China") != order_key("China Construction Bank")
    assert order_key("Syria") == ""


def test_possessives_and_compact_keys() -> None:
    assert is_possessive_of("syrias", "syria")
    assert not is_possessive_of("hamas", "ham")
    assert not is_possessive_of("assads", "syria")
    assert compact_key("Al-Bab") == compact_key("Al Bab") == "albab"


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("Diamond Shamrock Corp", "Diamond Shamrock"),
        ("Samuel Montagu and Co Ltd", "Samuel Montagu"),
        ("Citibank N.A.", "Citibank"),
        ("Philips N.V.", "Philips"),
        ("Robert Bosch GmbH", "Robert Bosch"),
        ("Volvo AB", "Volvo"),
        ("Kim Jong-un", "Kim Jong-un"),
        ("Bank of England", "Bank of England"),
    ],
)
def test_a_legal_form_ends_a_company_s_name_with_or_without_dots(name: str, bare: str) -> None:
    assert without_legal_form(name) == bare


@pytest.mark.parametrize(
    ("surface", "alone"), [("S.A.", True), ("N.V.", True), ("Co Inc", True), ("Spa", False), ("Sana", False)]
)
def test_a_legal_form_alone_is_recognised(surface: str, alone: bool) -> None:
    assert is_legal_form(surface) is alone
