"""Page furniture that scraped news text carries along: where it is, so no entity comes from it.

Articles scraped from news sites keep bits of the page around the story. Their names are real
names, but they say nothing about the story, and because every article of a site has them they
top the entity lists ("Digg" a place in 144 articles, "Newsvine Permalink", "Source:-Al
Jazeera", "China Daily European Weekly"). Three shapes are recognised, none tied to one site:

- a share bar: three or more share-button words in a row ("Send Facebook Twitter Google+
  Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink");
- a source sign-off ending a line: "Source:-Al Jazeera and news agencies", or "Source: AFP"
  starting a line or following a sentence;
- a print-edition credit in brackets: "(China Daily European Weekly 01/20/2017 page12)";
- a photo credit: a photographer and the outlet, after a slash ("Li Tiecheng / For China
  Daily", "[Showkat Shafi/Al Jazeera]"), which names a caption's author, not the story's.

The article text itself is left as it is (it is what the NER cache is keyed on); the mention
rules drop what falls inside these regions.
"""

from __future__ import annotations

import re

SHARE_WORDS = (
    "Send",
    "Share",
    "Facebook",
    "Twitter",
    "Google\\+",
    "WhatsApp",
    "Tumblr",
    "LinkedIn",
    "StumbleUpon",
    "Stumble",
    "Digg",
    "Reddit",
    "Newsvine",
    "Permalink",
    "E-?mail",
    "Print",
    "Pinterest",
    "Messenger",
    "Telegram",
    "Flipboard",
    "Pocket",
    "Xing",
    "VK",
)
"""Labels of share buttons (regular expressions, matched without regard to case)."""

_SHARE_WORD = "(?:" + "|".join(SHARE_WORDS) + ")"
_SHARE_BAR = re.compile(rf"(?<!\S){_SHARE_WORD}(?:[ \t]+{_SHARE_WORD}){{2,}}(?!\S)", re.IGNORECASE)
_SIGN_OFF = re.compile(
    r"(?:(?<!\S)Source:-|(?:^|(?<=[.!?\"'\u201d)\-][ \t]))Source:[ \t]+)[^\n]{1,80}$", re.MULTILINE
)
_PRINT_CREDIT = re.compile(
    r"\([^()\n]{1,80}?\d{1,2}/\d{1,2}/\d{2,4}[ \t]+page[ \t]*\d+[ \t]*\)", re.IGNORECASE
)

_CREDIT_NAME = r"[A-Z][\w.'\u2019&-]*(?:[ \t][A-Z][\w.'\u2019&-]*){0,3}"
"""A photographer's or an outlet's name in a credit: one to four capitalised words."""
_PHOTO_CREDIT = re.compile(
    rf"(?<![\w/]){_CREDIT_NAME}[ \t]*/[ \t]*[Ff]or[ \t]+{_CREDIT_NAME}"
    rf"|\[[ \t]*{_CREDIT_NAME}[ \t]*/[ \t]*{_CREDIT_NAME}[ \t]*\]"
)

Region = tuple[int, int]


def debris_regions(text: str) -> list[Region]:
    """``(start, end)`` of every share bar, sign-off, print and photo credit of ``text``, in order."""
    patterns = (_SHARE_BAR, _SIGN_OFF, _PRINT_CREDIT, _PHOTO_CREDIT)
    found = [m.span() for pattern in patterns for m in pattern.finditer(text)]
    return sorted(found)


def in_regions(start: int, end: int, regions: list[Region]) -> bool:
    """True when ``text[start:end]`` overlaps one of ``regions``."""
    return any(r_start < end and start < r_end for r_start, r_end in regions)
