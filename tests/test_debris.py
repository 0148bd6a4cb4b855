"""Page furniture in scraped articles: share bars, source sign-offs, print and photo credits."""

from __future__ import annotations

import pytest

from searchlib.articles.debris import debris_regions, in_regions

SHARE_BAR = (
    'to protect our people." Send Facebook Twitter Google+ Whatsapp Tumblr linkedin stumble Digg '
    "reddit Newsvine Permalink http://dw.com/p/2Xhmb Trump dismisses ties to Russia"
)
SIGN_OFF = 'to the logic of sanctions and the logic of confrontation." Source:-Al Jazeera News'
PRINT_CREDIT = (
    "The views do not necessarily reflect those of China Daily.  "
    "(China Daily European Weekly 01/20/2017 page12)\nNext paragraph"
)


def regions_text(text: str) -> list[str]:
    return [text[start:end] for start, end in debris_regions(text)]


def test_a_share_bar_is_debris_from_its_first_to_its_last_button() -> None:
    assert regions_text(SHARE_BAR) == [
        "Send Facebook Twitter Google+ Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink"
    ]


def test_a_source_sign_off_is_debris_to_the_end_of_its_line() -> None:
    assert regions_text(SIGN_OFF) == ["Source:-Al Jazeera News"]
    assert regions_text("Prices fell.\nSource: AFP news agency\nMore text") == ["Source: AFP news agency"]


def test_a_print_edition_credit_is_debris() -> None:
    assert regions_text(PRINT_CREDIT) == ["(China Daily European Weekly 01/20/2017 page12)"]


@pytest.mark.parametrize(
    ("text", "credit"),
    [
        ("at the center. Li Tiecheng / For China Daily  State media said", "Li Tiecheng / For China Daily"),
        ("A protest in Paris [Arnaud Journois/Le Parisien] Police said", "[Arnaud Journois/Le Parisien]"),
        ("Smog over the city [ZHU LIXIN/CHINA DAILY]", "[ZHU LIXIN/CHINA DAILY]"),
    ],
)
def test_a_photo_credit_is_debris(text: str, credit: str) -> None:
    assert regions_text(text) == [credit]


@pytest.mark.parametrize(
    "text",
    [
        "He complained on Twitter and Facebook about the ruling.",  # two platforms are no bar
        "He travelled [through Israel/Palestine and abroad] for years",  # a slash, no credit
        "Fans of AC/DC and the Israel/Palestine border",
        "Open Source: a movement that changed software",  # not at a line's end after a sentence
        "They called it the Single Source: one supplier for every hospital",
        "(China Daily, page 3)",  # no date: a citation, not a print credit
    ],
)
def test_ordinary_text_is_not_debris(text: str) -> None:
    assert debris_regions(text) == []


def test_in_regions_is_true_only_for_an_overlap() -> None:
    regions = [(10, 20)]
    assert in_regions(12, 14, regions) and in_regions(5, 11, regions) and in_regions(19, 30, regions)
    assert not in_regions(0, 10, regions) and not in_regions(20, 25, regions)
