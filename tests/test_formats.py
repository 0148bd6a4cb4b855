"""Reading JSON Lines, CSV, saved web pages and WARC files into articles (``articles/``)."""

from __future__ import annotations

import gzip
import json
import shutil
import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest

from searchlib.articles.fields import FieldMap, parse_fields
from searchlib.articles.formats import article_from_file_bytes, open_container
from searchlib.articles.kinds import kind_of
from searchlib.articles.records import Record, digest_of
from searchlib.errors import ArticleError
from searchlib.models import Article

FORMATS = Path(__file__).parent / "data" / "formats"
LIMIT = 20 * 1024 * 1024


def records(path: Path, fields: FieldMap | None = None, max_bytes: int = LIMIT) -> list[Record]:
    return list(open_container(path, fields=fields or FieldMap(), max_bytes=max_bytes))


def articles(path: Path, fields: FieldMap | None = None) -> list[Article]:
    return [r.read() for r in records(path, fields) if not r.error and _has_article(r)]


def _has_article(record: Record) -> bool:
    try:
        record.read()
    except ArticleError:
        return False
    return True


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", "text"),
        ("a.JSONL", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.json", "jsonl"),
        ("a.csv", "csv"),
        ("a.tsv", "csv"),
        ("a.html", "html"),
        ("a.htm", "html"),
        ("crawl.warc", "warc"),
        ("crawl.warc.gz", "warc"),
        ("a.gz", None),
        ("notes.md", None),
        (".hidden.jsonl", None),
        (".hidden.txt", None),
        (".txt", None),
        ("A.TXT", "text"),
        ("a.txt.gz", None),
    ],
)
def test_formats_are_recognised_by_extension(name: str, kind: str | None) -> None:
    assert kind_of(name) == kind


def test_news_please_jsonl() -> None:
    found = records(FORMATS / "news-please.jsonl")
    bad = [(r.where, r.error) for r in found if r.error]
    assert bad == [("line 3", "not JSON (Unterminated string starting at: line 1 column 40 (char 39))")]
    merkel = found[0].read()
    assert merkel.title == "Merkel defends refugee policy in Bundestag speech"
    assert merkel.source == "www.rheinpost.example"
    assert merkel.date == datetime(2017, 3, 8, 14, 28)
    assert merkel.credit == "Maria Keller"
    assert merkel.url == "https://www.rheinpost.example/politics/merkel-refugees"
    assert merkel.body.split("\n\n")[1].startswith("Merkel said the European Union")
    assert merkel.id.startswith("news-please-u") and merkel.origin == merkel.url
    with pytest.raises(ArticleError, match="no article text"):
        found[3].read()  # line 4: maintext and description are null
    assert [r.where for r in found] == ["line 1", "line 2", "line 3", "line 4", "line 6"]


def test_record_ids_survive_lines_added_above(tmp_path: Path) -> None:
    copy = tmp_path / "news.jsonl"
    original = (FORMATS / "news-please.jsonl").read_text(encoding="utf-8")
    copy.write_text(original, encoding="utf-8")
    before = {r.id: r.content_hash for r in records(copy) if not r.error}
    extra = json.dumps({"title": "New", "text": "A new story.", "url": "https://x.example/new"})
    copy.write_text(extra + "\n" + original, encoding="utf-8")
    after = {r.id: r.content_hash for r in records(copy) if not r.error}
    assert set(after) - set(before) == {f"news-u{digest_of(b'https://x.example/new')[:12]}"}
    assert all(after[doc_id] == digest for doc_id, digest in before.items())


def test_records_without_url_or_id_are_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "plain.jsonl"
    path.write_text('{"text": "One."}\n\n{"text": "Two."}\n', encoding="utf-8")
    found = articles(path)
    assert [(a.id, a.origin) for a in found] == [("plain-L1", "line 1"), ("plain-L3", "line 3")]


def test_unusual_keys_need_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text(
        '{"headline": "Quake hits Chile", "copy": "A strong quake.", "published": "2016-12-25"}\n'
    )
    with pytest.raises(ArticleError, match="keys found: 'headline', 'copy', 'published'"):
        records(path)
    (article,) = articles(path, parse_fields("title=headline,body=copy,date=published"))
    assert (article.title, article.body, article.date) == (
        "Quake hits Chile",
        "A strong quake.",
        datetime(2016, 12, 25),
    )


def test_a_line_over_the_limit_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    huge = json.dumps({"text": "x" * 5000})
    path.write_text(f'{{"text": "Before."}}\n{huge}\n{{"text": "After."}}\n', encoding="utf-8")
    found = records(path, max_bytes=1000)
    assert [(r.where, r.error) for r in found] == [
        ("line 1", None),
        ("line 2", "longer than the limit of 1,000 bytes"),
        ("line 3", None),
    ]


def test_a_json_array_file(tmp_path: Path) -> None:
    path = tmp_path / "dump.json"
    path.write_text(json.dumps([{"title": "A", "body": "Alpha."}, 3, {"title": "B", "body": "Beta."}]))
    found = records(path)
    assert [r.error for r in found] == [None, "a JSON int, not an object", None]
    assert [found[0].read().body, found[2].read().body] == ["Alpha.", "Beta."]


def test_kaggle_csv_with_bom_and_multiline_fields() -> None:
    found = records(FORMATS / "all-the-news.csv")
    assert [r.where for r in found] == ["row 2", "row 3", "row 4", "row 5"]
    tillerson = found[0].read()
    assert tillerson.id == "all-the-news-17283" and tillerson.origin == "id 17283"
    assert tillerson.source == "Capitol Ledger"
    assert tillerson.date == datetime(2017, 1, 11)
    paragraphs = tillerson.body.split("\n\n")
    assert len(paragraphs) == 3
    assert 'call Vladimir Putin a "war criminal"' in paragraphs[1]
    kenya = found[1].read()
    assert kenya.title == "Drought, heat push Kenya maize prices to record"
    assert kenya.body.endswith('"have nothing left to sell, not even seed".')
    with pytest.raises(ArticleError, match="no article text"):
        found[2].read()


def test_csv_delimiter_and_extra_fields(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text('title;text\nOne;"First; with a semicolon."\nTwo;Second.;stray\n', encoding="utf-8")
    found = records(path)
    assert found[0].read().body == "First; with a semicolon."
    assert (found[1].where, found[1].error) == ("row 3", "3 fields where the header names 2")


def test_csv_header_without_a_text_column(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("headline,published\nA,2017-01-01\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="header row has none of the keys holding an article's text"):
        records(path)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_large_container_is_streamed(tmp_path: Path, suffix: str) -> None:
    """Reading a 14 MB file holds about one record, not the file (1 GB files read the same way)."""
    path = tmp_path / f"big{suffix}"
    body = "Words of a long article body. " * 150  # 4.5 KB, twice a record
    with open(path, "w", encoding="utf-8") as handle:
        if suffix == ".csv":
            handle.write("title,content\n")
        for n in range(1500):
            if suffix == ".csv":
                handle.write(f'T{n},"{body}\n{body}"\n')
            else:
                handle.write(json.dumps({"title": f"T{n}", "text": f"{body}\n{body}"}) + "\n")
    assert path.stat().st_size > 13_000_000
    tracemalloc.start()
    try:
        container = open_container(path, fields=FieldMap(), max_bytes=LIMIT)
        count = sum(1 for record in container if record.read().title)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 1500
    assert peak < 5_000_000  # the 1 MB read buffer and a record or two
    assert container.position == path.stat().st_size
    assert container.digest == digest_of(path.read_bytes())


@pytest.mark.parametrize(
    ("page", "title", "source", "day", "furniture"),
    [
        (
            "harbour-times/port-strike.html",
            "Dock workers strike shuts Port of Rotterdam",
            "The Harbour Times",
            datetime(2017, 5, 16),
            ["Subscribe now", "Most read", "cookies", "All rights reserved"],
        ),
        (
            "valley-courier/dam-approved.html",
            "Ethiopia approves second dam on the Omo river",
            "Valley Courier",
            datetime(2016, 11, 2),
            ["Log in", "Popular", "Advertisement", "Advertise with us"],
        ),
    ],
)
def test_saved_pages_of_two_layouts(
    page: str, title: str, source: str, day: datetime, furniture: list[str]
) -> None:
    path = FORMATS / "pages" / page
    article = article_from_file_bytes(path.read_bytes(), path=path)
    assert (article.title, article.source, article.date) == (title, source, day)
    assert article.id == path.stem
    assert len(article.body.split("\n\n")) >= 3
    assert not any(word in article.text for word in furniture)


def test_page_url_comes_from_its_metadata() -> None:
    path = FORMATS / "pages" / "harbour-times" / "port-strike.html"
    article = article_from_file_bytes(path.read_bytes(), path=path)
    assert article.url == "https://www.harbourtimes.example/news/2017/05/rotterdam-strike"
    assert article.credit == "Pieter de Vries"


def test_a_txt_file_holding_a_page_is_read_as_one(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    shutil.copy(FORMATS / "pages" / "harbour-times" / "port-strike.html", path)
    article = article_from_file_bytes(path.read_bytes(), path=path)
    assert article.title == "Dock workers strike shuts Port of Rotterdam"


def test_a_page_without_text() -> None:
    with pytest.raises(ArticleError, match="no article text found"):
        article_from_file_bytes(
            b"<html><head><title>Gone</title></head><body></body></html>", path=Path("e.html")
        )


def test_warc_pages_redirects_and_other_records() -> None:
    found = records(FORMATS / "crawl.warc.gz")
    bad = [(r.origin, r.error) for r in found if r.error]
    assert bad == [
        ("http://gulfwire.example/markets", "a redirect (HTTP 301) to https://gulfwire.example/markets"),
        ("https://gulfwire.example/logo.png", "not HTML (image/png)"),
        ("https://gulfwire.example/old-story", "not a page (HTTP 404)"),
    ]
    pages = [r.read() for r in found if not r.error]
    assert [(a.title, a.source, a.date) for a in pages] == [
        ("Saudi Aramco picks banks for record share sale", "Gulf Wire", datetime(2017, 7, 4)),
        ("Kuwait mediates as Qatar rift deepens", "Gulf Wire", datetime(2017, 7, 6)),
    ]
    assert pages[0].url == pages[0].origin == "https://gulfwire.example/markets/aramco-listing"
    assert "Home" not in pages[0].text and "Terms" not in pages[0].text


def test_an_uncompressed_warc_reads_the_same(tmp_path: Path) -> None:
    plain = tmp_path / "crawl.warc"
    plain.write_bytes(gzip.decompress((FORMATS / "crawl.warc.gz").read_bytes()))
    assert [r.id for r in records(plain)] == [r.id for r in records(FORMATS / "crawl.warc.gz")]


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc.gz"
    path.write_bytes(b"hello, not a web archive\n" * 10)
    with pytest.raises(ArticleError, match="not a WARC file: it does not start with a WARC"):
        records(path)
    path.write_bytes(gzip.compress(b"hello, not a web archive\n"))
    with pytest.raises(ArticleError, match="not a WARC file"):
        records(path)
