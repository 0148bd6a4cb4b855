"""Page furniture found as repetition: lines an outlet prints around many of its articles.

A footer ("TRT World Careers Press Releases Documentary Contact Us"), a "Read Also" or
"Related" heading, a subscription plea, a wire service's closing "Reuter": each is written by a
site or an agency, not by the story, and each names things ("TRT World", "Reuter") that would
otherwise top the entity lists. No word list can know every site's furniture, but an archive
shows it: a line found at the start or the end of many articles of one source is furniture,
whatever its words.

Each article file gives the keys (hashes of normalised lines) of its first ``HEAD_LINES`` and
last ``TAIL_LINES`` lines (``edge_keys``). ``FurnitureCounts`` counts, per source, in how many
articles each key is found; a key found in at least ``min_articles(n)`` of a source's ``n``
articles is furniture. Entity extraction then ignores every line of an article whose key is
furniture, and in the last lines, everything after one (a "Related" heading and the varying
links below it; ``furniture_regions``). The counting is the same for a build and for any
sequence of updates over the same files, so both find the same furniture.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from searchlib.articles.textfile import clean_paragraphs

HEAD_LINES = 3
"""Lines (not blank, after the header line) at an article's start where furniture is looked for."""
TAIL_LINES = 6
"""Lines at its end: footers and link lists run longer than mastheads."""
MIN_ARTICLES = 5
"""Fewer repeats than this prove nothing: five articles can quote the same sentence."""
MIN_SHARE = 0.01
"""A key must also be found in this share of its source's articles (1 in 100)."""
TAIL_SENTENCES = 6
"""Sentences at an article's end that are keyed too: a site's footer is often glued to the
varying links before it on one line, so only its sentences repeat."""
MIN_SENTENCE_WORDS = 5
"""A shorter sentence ("Read more.", a dateline: "MOSCOW, February 6.") is keyed only as a
whole line. Sentences of an article's first lines are never keyed: its dateline is there."""
HEAD_BYTES = 4096
TAIL_BYTES = 8192
"""How much of a file ``edge_keys_of_file`` reads at each end: the edge lines, never the whole
article (a build reads every file once more for this)."""

_HEADER = re.compile(r"^\s*date\b", re.IGNORECASE)
_SOURCE = re.compile(r"source\s*:\s*(?P<source>.+?)\s*$", re.IGNORECASE)
_NOISE = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")
_LINE = re.compile(r"[^\n]*\S[^\n]*")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[ \t]+(?=[\"'\u201c(]?[A-Z])")
_TITLE_SEPARATOR = re.compile(r"[ \t]+[|\-\u2013\u2014:][ \t]+")
"""What separates a headline from the outlet's name or section after it."""
_SUFFIX_MARK = "title suffix "
"""Keeps the key of a headline's suffix apart from the key of a whole line of the same words."""

Region = tuple[int, int]
Key = int


def line_key(line: str) -> Key | None:
    """The key of a line: its words, case-folded, digits evened out ("Copyright 2017" and
    "Copyright 2018" agree), punctuation and spacing ignored; None for a line without letters."""
    words = _NOISE.sub(" ", _DIGITS.sub("0", line.casefold())).strip()
    if not any(ch.isalpha() for ch in words):
        return None
    return int.from_bytes(hashlib.blake2b(words.encode("utf-8"), digest_size=8).digest(), "big")


def edge_keys(head: str, tail: str | None = None) -> tuple[Key, ...]:
    """The keys of the first and last paragraphs of an article file, each once.

    ``head`` is the file's text (or its start); ``tail`` its end when only the two ends were
    read (its first paragraph, likely cut, is left out). Paragraphs are made as the article
    reader makes them (``clean_paragraphs``), so the keys are those of the article's text; the
    header line (`` date ... - Source: ...``) is not the article's and is skipped."""
    head_paragraphs = _paragraphs(head, skip_header=True)
    tail_paragraphs = head_paragraphs if tail is None else _paragraphs(tail, skip_header=False)[1:]
    chosen = head_paragraphs[:HEAD_LINES] + tail_paragraphs[-TAIL_LINES:]
    body_end = tail_paragraphs[HEAD_LINES:] if tail is None else tail_paragraphs
    tail_text = "\n".join(body_end[-TAIL_LINES:])
    lines = [(m.start(), m.end()) for m in _LINE.finditer(tail_text)]
    keys = [
        *map(line_key, chosen),
        *title_suffix_keys(head_paragraphs[0] if head_paragraphs else ""),
        *(line_key(tail_text[start:end]) for start, end in tail_sentences(tail_text, lines)),
    ]
    return tuple(dict.fromkeys(key for key in keys if key is not None))


def title_suffix_keys(title: str) -> list[Key | None]:
    """The keys of what follows each separator of a headline ("... north Syria | Jordan Times",
    "... Aleppo - Region - World - Ahram Online"): an outlet's name or its section path, which
    the outlet puts after many of its headlines."""
    return [line_key(_SUFFIX_MARK + title[m.start() :]) for m in _TITLE_SEPARATOR.finditer(title)]


def tail_sentences(text: str, lines: Sequence[Region]) -> list[Region]:
    """``(start, end)`` of the last ``TAIL_SENTENCES`` sentences of ``MIN_SENTENCE_WORDS`` words
    or more in the ``lines`` of ``text``, in text order."""
    found: list[Region] = []
    for line_start, line_end in reversed(lines):
        starts = [line_start, *(m.end() for m in _SENTENCE_BREAK.finditer(text, line_start, line_end))]
        spans = zip(starts, [*starts[1:], line_end], strict=True)
        found[:0] = [(a, b) for a, b in spans if len(text[a:b].split()) >= MIN_SENTENCE_WORDS]
        if len(found) >= TAIL_SENTENCES:
            break
    return found[-TAIL_SENTENCES:]


def source_of(head: str) -> str:
    """The source named on a file's header line, case-folded ("" when none is named)."""
    first = next((line for line in head.splitlines() if line.strip()), "")
    match = _SOURCE.search(first) if _HEADER.match(first) else None
    return match.group("source").casefold() if match else ""


def edge_keys_of_bytes(head: bytes, tail: bytes | None = None) -> tuple[str, tuple[Key, ...]]:
    """``(source, edge keys)`` of a file from its bytes (``tail`` when only its ends were read)."""
    head_text = _decode(head)
    tail_text = None if tail is None else _decode(tail)
    return source_of(head_text), edge_keys(head_text, tail_text)


def min_articles(source_articles: int) -> int:
    """How many articles of a source of ``source_articles`` must share a line for it to be furniture."""
    return max(MIN_ARTICLES, math.ceil(MIN_SHARE * source_articles))


@dataclass
class FurnitureCounts:
    """Per source: how many articles it has, and in how many each edge key is found."""

    articles: Counter[str] = field(default_factory=Counter)
    keys: dict[str, Counter[Key]] = field(default_factory=dict)

    def add(self, source: str, keys: Iterable[Key], sign: int = 1) -> None:
        """Count one article (``sign=-1`` takes one back: a file deleted or changed)."""
        self.articles[source] += sign
        counter = self.keys.setdefault(source, Counter())
        for key in keys:
            counter[key] += sign

    def furniture(self) -> frozenset[Key]:
        """The keys that are furniture in at least one source."""
        found: set[Key] = set()
        for source, counter in self.keys.items():
            needed = min_articles(self.articles[source])
            found.update(key for key, count in counter.items() if count >= needed)
        return frozenset(found)


def furniture_regions(text: str, furniture: frozenset[Key]) -> list[Region]:
    """``(start, end)`` of the furniture of an article's text: its first and last lines whose
    key is furniture, in the last lines everything after the first furniture line or sentence
    (a footer glued on one line to the varying links before it repeats only as sentences), and
    the end of the headline from a separator whose suffix is furniture ("| Jordan Times")."""
    if not furniture:
        return []
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    found: list[Region] = []
    head = lines[:HEAD_LINES]
    tail = lines[max(1, len(lines) - TAIL_LINES) :]  # a run never starts at the first line
    found += [(start, end) for start, end in head if line_key(text[start:end]) in furniture]
    if lines:
        start, end = lines[0]
        for match in _TITLE_SEPARATOR.finditer(text, start, end):
            if line_key(_SUFFIX_MARK + text[match.start() : end]) in furniture:
                found.append((match.start(), end))
                break
    sentences = tail_sentences(text, lines[HEAD_LINES:][-TAIL_LINES:])
    starts = [start for start, end in [*tail, *sentences] if line_key(text[start:end]) in furniture]
    if starts:
        found.append((min(starts), len(text)))
    return found


def _paragraphs(text: str, *, skip_header: bool) -> list[str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if skip_header:
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is not None and _HEADER.match(lines[first]):
            lines = lines[first + 1 :]
    return clean_paragraphs(lines)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")
