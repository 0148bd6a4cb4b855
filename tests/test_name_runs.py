"""A run of capitalised words the model took for one person: one full name, or a list of them."""

from __future__ import annotations

import pytest
from test_mentions import span, tidy

from searchlib.entities.name_runs import name_runs


def names(run: str) -> list[str]:
    words = run.split()
    return [" ".join(words[first:last]) for first, last in name_runs(words)]


def test_a_list_written_without_commas_is_each_of_its_people() -> None:
    assert names("Hisham Zako Marwan Zahira Ali Kerkasi Mahmoud Ashira") == [
        "Hisham Zako",
        "Marwan Zahira",
        "Ali Kerkasi",
        "Mahmoud Ashira",
    ]
    assert names("Peter Graff Dominic Evans Mary Smith") == ["Peter Graff", "Dominic Evans", "Mary Smith"]


@pytest.mark.parametrize(
    "name",
    [
        "Omar Abdel Hamid el-Hussein",
        "Chaudhry Nisar Ali Khan",
        "Salman bin Abdulaziz Al Saud",
        "Mohammed bin Rashid Al Maktoum",
        "Abu Abdul Rahman al-Madani",
        "Charles Edward Anderson Berry Sr.",
        "Hojatoleslam Ali Akbar Hashemi Rafsanjani",
        "Ali Abdullah Saleh",
        "Oliver Holmes Suleiman Al-Khalidi",  # two names: one person's four words look alike
    ],
)
def test_one_persons_long_name_stays_whole(name: str) -> None:
    assert names(name) == [name]


def test_the_model_span_over_a_list_gives_each_person_a_mention() -> None:
    text = "Among the dead were Hisham Zako Marwan Zahira Ali Kerkasi and Mohammad Safu."
    found = tidy(text, span(text, "Hisham Zako Marwan Zahira Ali Kerkasi", "PERSON"))
    assert found == [("person", "Hisham Zako"), ("person", "Marwan Zahira"), ("person", "Ali Kerkasi")]
