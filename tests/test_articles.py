"""Reading article files: headers, encodings, credits, titles, paragraph clean-up, bad files."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from dateutil import parser as date_parser
from hypothesis import given
from hypothesis import strategies as st

from searchlib.articles.textfile import (
    _iso_datetime,
    _looks_binary,
    clean_paragraphs,
    iter_article_paths,
    parse_article,
    read_article,
)
from searchlib.errors import ArticleError, CorpusNotFound

BODY = "\n\nFirst paragraph of the story.\n\nSecond paragraph."


def parse(text: str):
    return parse_article(text, id="x", path=Path("x.txt"))


@pytest.mark.parametrize(
    ("header", "date", "source"),
    [
        (
            " date 2020-12-31 2020/12/31 | 07:30 - Source: Iraq News",
            datetime(2020, 12, 31, 7, 30),
            "Iraq News",
        ),
        (
            "date 2020-12-31 2020/12/31 | 07:30 - Source: Iraq News",
            datetime(2020, 12, 31, 7, 30),
            "Iraq News",
        ),
        (
            "   date   2020-12-31   2020/12/31  |  07:30  -  Source:   Iraq   News  ",
            datetime(2020, 12, 31, 7, 30),
            "Iraq News",
        ),
        (" date 2020-12-31 - Source: BBC", datetime(2020, 12, 31), "BBC"),
        (" date 2020-12-31 2020/12/31 | 07:30", datetime(2020, 12, 31, 7, 30), None),
        (
            " date 2020-12-31 2020/12/31 | 07:30 - source: Al Jazeera",
            datetime(2020, 12, 31, 7, 30),
            "Al Jazeera",
        ),
        (" Date 2020-1-5 | 7:05 - Source: TASS", datetime(2020, 1, 5, 7, 5), "TASS"),
        (" date 31 December 2020 - Source: RTE", datetime(2020, 12, 31), "RTE"),
        (" date 31.12.2020 | 07:30 - Source: DW", datetime(2020, 12, 31, 7, 30), "DW"),
        (
            " date 2020-12-31 2020/12/31 | 07:30 - Publisher: ABC News",
            datetime(2020, 12, 31, 7, 30),
            "ABC News",
        ),
    ],
)
def test_header_variations(header: str, date: datetime, source: str | None) -> None:
    article = parse(header + BODY)
    assert article.date == date
    assert article.source == source
    assert article.body.startswith("First paragraph")


def test_impossible_date_is_a_warning_not_a_failure() -> None:
    article = parse(" date 2020-13-45 2020/13/45 | 07:30 - Source: X" + BODY)
    assert article.date is None
    assert article.source == "X"
    assert any("impossible date" in w for w in article.warnings)


def test_missing_header_keeps_the_text() -> None:
    article = parse("Just a story with no header.\n\nAnd more of it.")
    assert article.date is None and article.source is None
    assert "no header" in " ".join(article.warnings)
    assert "Just a story" in article.text


def test_credit_is_taken_from_the_first_paragraph() -> None:
    article = parse(
        " date 2020-12-31 - Source: Iraq News\n\n(ThisDay | Iraq News Now )- One year after the strike."
    )
    assert article.credit == "ThisDay | Iraq News Now"
    assert article.body == "One year after the strike."


def test_title_is_a_short_first_paragraph_without_a_full_stop() -> None:
    article = parse(" date 2020-12-31 - Source: BBC\n\nOil prices climb\n\nOil rose on Monday.")
    assert article.title == "Oil prices climb"
    assert article.body == "Oil rose on Monday."


def test_a_long_first_sentence_is_not_a_title() -> None:
    article = parse(" date 2020-12-31 - Source: BBC\n\nOil prices rose on Monday after the cuts.\n\nMore.")
    assert article.title is None


def test_broken_lines_are_rejoined_and_debris_dropped() -> None:
    lines = ["A sentence broken", "across lines.", "", "...", "", "- 3 -", "", "Next paragraph."]
    assert clean_paragraphs(lines) == ["A sentence broken across lines.", "Next paragraph."]


def test_a_sentence_cut_by_a_page_break_is_mended() -> None:
    lines = ['threatened to "cut off the ears...', "", "", "", 'of the traitor".']
    assert clean_paragraphs(lines) == ['threatened to "cut off the ears of the traitor".']


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("a deficit this year.- Protesters chanted.", ["a deficit this year.", "Protesters chanted."]),
        (
            "in the World Music Category.-The ladies sang.",
            ["in the World Music Category.", "The ladies sang."],
        ),
        ('he said.- "We will not pay."', ["he said.", '"We will not pay."']),
        ('"Why?"- Nobody knew.', ['"Why?"', "Nobody knew."]),
        ("back to the US.- Mr Mulvaney said", ["back to the US.", "Mr Mulvaney said"]),
        ("along the U.S.-Mexico border.", ["along the U.S.-Mexico border."]),
        ("the U.S.-Japan alliance.", ["the U.S.-Japan alliance."]),
        ("a well-known fact. Yes-men agreed.", ["a well-known fact. Yes-men agreed."]),
        (".- Start", [".- Start"]),
    ],
)
def test_paragraph_breaks_flattened_to_a_dash_are_restored(paragraph: str, expected: list[str]) -> None:
    assert clean_paragraphs([paragraph]) == expected


def test_a_flattened_break_splits_the_body_into_paragraphs() -> None:
    text = " date 2017-03-19 2017/03/19 | 00:00 - Source: Al Jazeera\n\nA rally\n\nThey met.- Crowds grew."
    article = parse_article(text, id="x", path=Path("x.txt"))
    assert (article.title, article.body) == ("A rally", "They met.\n\nCrowds grew.")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


HEADER = b" date 2020-12-31 2020/12/31 | 07:30 - Source: Iraq News\n\n"


@pytest.mark.parametrize(
    "data",
    [
        HEADER.replace(b"\n", b"\r\n") + b"Body line one\r\ncontinues.\r\n\r\nSecond.",
        HEADER.replace(b"\n", b"\r") + b"Body line one\rcontinues.\r\rSecond.",
        codecs.BOM_UTF8 + HEADER + b"Body line one\ncontinues.\n\nSecond.",
        (HEADER.decode() + "Body line one\ncontinues.\n\nSecond.").encode("utf-16"),
    ],
    ids=["crlf", "lone-cr", "utf8-bom", "utf16-bom"],
)
def test_line_ends_and_encodings(tmp_path: Path, data: bytes) -> None:
    article = read_article(write(tmp_path, "a.txt", data))
    assert article.source == "Iraq News"
    assert article.date == datetime(2020, 12, 31, 7, 30)
    assert article.body == "Body line one continues.\n\nSecond."


def test_bad_bytes_are_replaced_and_reported(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "a.txt", HEADER + b"Caf\xe9 owners protest.\n"))
    assert "Caf\ufffd owners" in article.body
    assert article.warnings == ("1 undecodable byte sequence(s) replaced",)


def test_replacement_characters_already_in_the_text_are_not_reported(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "a.txt", HEADER + "Sinn F\ufffdin".encode()))
    assert article.warnings == ()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n \n", "empty file"),
        (bytes(range(256)) * 40, "binary file"),
        (HEADER, "no text after the header"),
    ],
    ids=["empty", "blank", "binary", "header-only"],
)
def test_files_that_are_not_articles(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(ArticleError, match=reason):
        read_article(write(tmp_path, "a.txt", data))


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", HEADER + b"word " * 1000)
    with pytest.raises(ArticleError, match="too large"):
        read_article(path, max_bytes=1000)


def test_nul_bytes_are_removed(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "a.txt", HEADER + b"Some\x00 text here."))
    assert article.body == "Some text here."
    assert "NUL bytes removed" in article.warnings


def test_article_id_is_the_file_stem(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "000_21f7ebbefd25b24b.txt", HEADER + b"Text."))
    assert article.id == "000_21f7ebbefd25b24b"


def test_corpus_walk_yields_only_regular_txt_files(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", HEADER + b"B.")
    write(tmp_path, "a.txt", HEADER + b"A.")
    write(tmp_path, "notes.md", b"# not an article")
    (tmp_path / "dir.txt").mkdir()
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "c.txt", HEADER + b"C.")
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    names = [p.relative_to(tmp_path).as_posix() for p in iter_article_paths(tmp_path)]
    assert names == ["a.txt", "b.txt", "sub/c.txt"]


def test_missing_corpus_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusNotFound, match="no article folder"):
        list(iter_article_paths(tmp_path / "missing"))


@given(
    year=st.integers(1000, 9999),
    month=st.integers(0, 13),
    day=st.integers(0, 32),
    clock=st.one_of(
        st.none(),
        st.tuples(st.integers(0, 25), st.integers(0, 61)).map(lambda t: f"{t[0]}:{t[1]:02d}"),
        st.tuples(st.integers(0, 24), st.integers(0, 60), st.integers(0, 61)).map(
            lambda t: f"{t[0]:02d}:{t[1]:02d}:{t[2]:02d}"
        ),
    ),
    padded=st.booleans(),
)
def test_a_year_first_header_date_is_read_as_dateutil_reads_it(
    year: int, month: int, day: int, clock: str | None, padded: bool
) -> None:
    text = f"{year}-{month:02d}-{day:02d}" if padded else f"{year}-{month}-{day}"

    def read(parse: Callable[[], datetime | None]) -> datetime | str | None:
        try:
            return parse()
        except (ValueError, OverflowError):
            return "impossible"

    ours = read(lambda: _iso_datetime(text, clock))
    theirs = read(lambda: date_parser.parse(f"{text} {clock}" if clock else text))
    assert ours == theirs


@given(st.binary(min_size=1, max_size=300))
def test_binary_data_is_told_by_its_share_of_control_bytes(data: bytes) -> None:
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    assert _looks_binary(data) == (controls / len(data) > 0.10)
