"""Truecasing capitals lines before NER: same length, common words lowered, names kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from searchlib.entities.truecase import Lexicon, is_capitals_line, truecase

LEXICON = Lexicon(
    common=frozenset({"take", "over", "at", "top", "after", "victory", "innings", "visits", "city", "us"}),
    proper=frozenset({"baghdad"}),
    phrases=frozenset({"kansas city"}),
)


def test_a_capitals_headline_is_truecased() -> None:
    assert truecase("LEICESTERSHIRE TAKE OVER AT TOP AFTER INNINGS VICTORY .", LEXICON) == (
        "Leicestershire take over at top after innings victory ."
    )


def test_names_phrases_and_acronyms() -> None:
    assert (
        truecase("KADHEMI VISITS BAGHDAD AND KANSAS CITY", LEXICON)
        == "Kadhemi visits Baghdad And Kansas City"
    )
    assert truecase("US TROOPS VISIT NATO", LEXICON) == "US Troops Visit NATO"


def test_ordinary_lines_are_left_alone() -> None:
    text = "Kataeb Hezbollah said on Friday that the US was to blame.\nIt is ALL CAPS only in part."
    assert truecase(text, LEXICON) == text


def test_only_the_capitals_line_changes() -> None:
    text = "IRAQ VICTORY\nKadhemi spoke in Baghdad."
    assert truecase(text, LEXICON) == "Iraq victory\nKadhemi spoke in Baghdad."


def test_short_lines_are_not_capitals_lines() -> None:
    assert not is_capitals_line("UN")
    assert is_capitals_line("IRAQI PM VISITS TEHRAN")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_length_and_line_breaks_never_change(text: str) -> None:
    """Offsets found in the truecased text must be offsets into the original."""
    out = truecase(text.upper(), LEXICON)
    assert len(out) == len(text.upper())
    assert [i for i, ch in enumerate(out) if ch == "\n"] == [
        i for i, ch in enumerate(text.upper()) if ch == "\n"
    ]


def test_a_title_case_headline_and_its_copy_in_the_story_are_truecased() -> None:
    headline = "Kadhemi Takes Victory Over Baghdad After Innings"
    cased = "Kadhemi takes victory over Baghdad after innings"
    text = f"{headline}\n\nMay 3 {headline}. He won."
    assert truecase(text, LEXICON) == f"{cased}\n\nMay 3 {cased}. He won."


def test_a_sentence_case_headline_or_a_name_list_is_left_alone() -> None:
    for text in (
        "Kadhemi takes victory over Baghdad\n\nText.",
        "Kadhemi Hashem Baghdad Nasiriyah Visits\n\nText.",  # mostly names
        "Takes Victory, Innings Over, After Kadhemi\n\nText.",  # a list
    ):
        assert truecase(text, LEXICON) == text


def test_inflected_forms_of_common_words_are_common() -> None:
    lexicon = Lexicon(common=frozenset({"debate", "approve", "victory"}))
    assert (
        lexicon.is_common("DEBATED")
        and lexicon.is_common("approves")
        and lexicon.is_common("victories") is False
    )
    assert truecase("CONTROLS DEBATED AT APC MEETING", lexicon).startswith("Controls debated")


def test_a_word_the_text_writes_in_lower_case_elsewhere_is_lowered_in_its_capitals_lines() -> None:
    text = "ACME SETS PAYOUT OF 15 MLN DLRS\nAcme Corp said the payout, 15 mln dlrs, is Reagan's idea."
    assert truecase(text, LEXICON).splitlines()[0] == "Acme Sets payout OF 15 mln dlrs"
    assert truecase("ACME SETS PAYOUT\nAcme Corp said so.", LEXICON).splitlines()[0] == "Acme Sets Payout"


def test_a_name_lowered_by_mistake_where_a_sentence_starts_stays_a_name_in_the_headline() -> None:
    text = "VANZETTI SETS PAYOUT\nSTOUGHTON, Mass - vanzetti Systems Inc said the payout is due."
    assert truecase(text, LEXICON).splitlines()[0] == "Vanzetti Sets payout"
