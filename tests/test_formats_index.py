"""Indexes built from JSON Lines, CSV, saved pages and WARC files: search, provenance, updates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import CountingExtractor

from searchlib import Searcher, build_index, update_index
from searchlib.articles.records import HashingReader
from searchlib.cli import cli
from searchlib.cli.common import ExitStatus
from searchlib.entities.extract import EntityExtractor
from searchlib.indexing.store import read_manifest
from searchlib.models import BuildReport
from searchlib.web import create_app

FORMATS = Path(__file__).parent / "data" / "formats"
ARTICLE_FILES = ("*.jsonl", "*.csv", "*.warc.gz", "pages")


def copy_formats(target: Path) -> Path:
    """The format fixtures (without the script that made the WARC) in ``target``."""
    target.mkdir(parents=True)
    for pattern in ARTICLE_FILES:
        for found in FORMATS.glob(pattern):
            if found.is_dir():
                shutil.copytree(found, target / found.name)
            else:
                shutil.copy(found, target / found.name)
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, spacy_extractor: EntityExtractor) -> BuildReport:
    corpus = copy_formats(tmp_path_factory.mktemp("formats") / "corpus")
    return build_index(corpus, index_dir=corpus.parent / "index", extractor=spacy_extractor)


@pytest.fixture(scope="module")
def formats_index(built: BuildReport) -> Path:
    return Path(built.index_dir)


@pytest.fixture()
def searcher(formats_index: Path):
    with Searcher(formats_index) as opened:
        yield opened


def titles(results) -> set[str]:  # type: ignore[no-untyped-def]
    return {hit.title for hit in results.hits}


def test_the_build_reports_each_bad_record_and_keeps_the_rest(built: BuildReport) -> None:
    report = built
    reasons = {(Path(item.path).name, item.reason) for item in report.skipped}
    assert reasons == {
        (
            "news-please.jsonl",
            "line 3: not JSON (Unterminated string starting at: line 1 column 40 (char 39))",
        ),
        ("news-please.jsonl", "line 4 (https://www.rheinpost.example/gallery/mayday): no article text"),
        ("all-the-news.csv", "row 4 (id 17285): no article text"),
        (
            "crawl.warc.gz",
            "http://gulfwire.example/markets: a redirect (HTTP 301) to https://gulfwire.example/markets",
        ),
        ("crawl.warc.gz", "https://gulfwire.example/logo.png: not HTML (image/png)"),
        ("crawl.warc.gz", "https://gulfwire.example/old-story: not a page (HTTP 404)"),
    }
    assert report.indexed == 10


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("refugee policy", "Merkel defends refugee policy in Bundestag speech"),
        ("maize drought", "Drought, heat push Kenya maize prices to record"),
        ("crane drivers", "Dock workers strike shuts Port of Rotterdam"),
        ("Lake Turkana", "Ethiopia approves second dam on the Omo river"),
        ("Al Jazeera", "Kuwait mediates as Qatar rift deepens"),
    ],
)
def test_search_by_text_finds_each_format(searcher: Searcher, query: str, title: str) -> None:
    assert title in titles(searcher.search(query))


def test_search_by_entity(searcher: Searcher) -> None:
    assert titles(searcher.search("", person="Angela Merkel")) == {
        "Merkel defends refugee policy in Bundestag speech"
    }
    assert "Saudi Aramco picks banks for record share sale" in titles(searcher.search("org:morgan"))


def test_search_by_source(searcher: Searcher) -> None:
    assert titles(searcher.search("", source="Capitol Ledger")) == {
        "Senate panel questions Tillerson on Russia ties",
        "Airbus wins order from Qantas",
    }
    assert len(searcher.search("", source="Gulf Wire").hits) == 2
    assert len(searcher.search("", source="The Harbour Times").hits) == 1


def test_search_by_date(searcher: Searcher) -> None:
    july = searcher.search("", date_from="2017-07-01", date_to="2017-07-31")
    assert titles(july) == {
        "Saudi Aramco picks banks for record share sale",
        "Kuwait mediates as Qatar rift deepens",
    }
    years = {v.value: v.count for f in searcher.search("", facets=["year"]).facets for v in f.values}
    assert years == {"2017": 9, "2016": 1}


def test_hits_say_where_they_came_from(searcher: Searcher) -> None:
    (merkel,) = searcher.search("Bundestag").hits
    assert Path(merkel.path).name == "news-please.jsonl"
    assert merkel.origin == merkel.url == "https://www.rheinpost.example/politics/merkel-refugees"
    (airbus,) = searcher.search("Qantas").hits
    assert (Path(airbus.path).name, airbus.origin) == ("all-the-news.csv", "id 17286")
    (page,) = searcher.search("Maasvlakte").hits
    assert (Path(page.path).name, page.origin) == ("port-strike.html", None)
    assert page.url == "https://www.harbourtimes.example/news/2017/05/rotterdam-strike"


def test_the_command_line_shows_the_file_and_place(formats_index: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "Qantas", "--index", str(formats_index), "--color", "never"])
    assert result.exit_code == 0, result.output
    assert "all-the-news-17286  all-the-news.csv id 17286" in result.output


def test_the_article_page_links_the_original(formats_index: Path) -> None:
    client = create_app(formats_index).test_client()
    with Searcher(formats_index) as searcher:
        (hit,) = searcher.search("Aramco").hits
    page = client.get(f"/article/{hit.id}").get_data(as_text=True)
    assert 'href="https://gulfwire.example/markets/aramco-listing"' in page
    assert "crawl.warc.gz, https://gulfwire.example/markets/aramco-listing" in page


def test_the_results_page_shows_the_file_and_place(formats_index: Path) -> None:
    page = create_app(formats_index).test_client().get("/?q=Qantas").get_data(as_text=True)
    assert '<span class="origin">all-the-news.csv, id 17286</span>' in page


def test_an_address_that_is_not_http_is_not_linked(tmp_path: Path, spacy_extractor: EntityExtractor) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    record = {"title": "Trap", "text": "A zeppelin story.", "url": "javascript:alert(1)"}
    (corpus / "trap.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    build_index(corpus, index_dir=tmp_path / "index", extractor=spacy_extractor)
    with Searcher(tmp_path / "index") as searcher:
        (hit,) = searcher.search("zeppelin").hits
    page = create_app(tmp_path / "index").test_client().get(f"/article/{hit.id}").get_data(as_text=True)
    assert 'href="javascript' not in page


def test_one_file_as_the_corpus(tmp_path: Path) -> None:
    source = shutil.copy(FORMATS / "all-the-news.csv", tmp_path / "news.csv")
    result = CliRunner().invoke(
        cli, ["index", str(source), "--index", str(tmp_path / "ix"), "--color", "never"]
    )
    assert result.exit_code == 0, result.output
    assert "Indexed 3 articles" in result.output
    with Searcher(tmp_path / "ix") as searcher:
        assert searcher.search("Tillerson").total == 1
    result = CliRunner().invoke(cli, ["update", "--index", str(tmp_path / "ix"), "--color", "never"])
    assert "3 unchanged" in result.output


def test_fields_mapping_on_the_command_line_and_in_updates(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    wire = corpus / "wire.jsonl"
    wire.write_text(
        json.dumps(
            {
                "headline": "Quake hits Chile",
                "copy": "A strong earthquake hit Santiago.",
                "when": "2016-12-25",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    index = str(tmp_path / "ix")
    result = CliRunner().invoke(cli, ["index", str(corpus), "--index", index, "--color", "never"])
    assert "wire.jsonl: wire.jsonl line 1 has none of the keys holding an article's text" in result.output
    assert "keys found: 'headline', 'copy', 'when'" in result.output
    fields = "title=headline,body=copy,date=when"
    result = CliRunner().invoke(
        cli, ["index", str(corpus), "--rebuild", "--index", index, "--fields", fields]
    )
    assert "Indexed 1 article" in result.output
    with wire.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"headline": "Aftershock", "copy": "An aftershock hit Valparaiso."}) + "\n")
    result = CliRunner().invoke(cli, ["update", "--index", index, "--color", "never"])
    assert "1 added" in result.output
    assert read_manifest(Path(index)).fields == fields
    with Searcher(Path(index)) as searcher:
        (quake,) = searcher.search("Santiago").hits
        assert (quake.title, quake.date.year) == ("Quake hits Chile", 2016)


def test_a_bad_fields_option_is_a_config_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["index", str(FORMATS), "--index", str(tmp_path / "ix"), "--fields", "oops"]
    )
    assert result.exit_code == ExitStatus.CONFIG_ERROR
    assert "write ROLE=KEY pairs" in result.output


def test_update_rewrites_only_the_records_that_changed(
    tmp_path: Path, spacy_extractor: EntityExtractor
) -> None:
    ner = CountingExtractor(spacy_extractor)
    corpus = copy_formats(tmp_path / "corpus")
    index = tmp_path / "index"
    build_index(corpus, index_dir=index, extractor=ner)
    news = corpus / "news-please.jsonl"
    lines = news.read_text(encoding="utf-8").splitlines()
    airship = json.loads(lines[1])
    airship["maintext"] += "\nThe mayor of Friedrichshafen welcomed the plan."
    lines[1] = json.dumps(airship)
    lines = [line for line in lines if "g20-march" not in line]
    danube = {
        "title": "Danube floods",
        "maintext": "Floodwater reached Budapest.",
        "url": "https://d.example",
    }
    news.write_text("\n".join([json.dumps(danube), *lines]) + "\n", encoding="utf-8")
    ner.texts = 0
    report = update_index(index_dir=index, extractor=ner)
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 8)
    assert ner.texts == 2
    with Searcher(index) as searcher:
        assert searcher.search("Budapest").total == 1
        assert searcher.search("welcomed the plan").total == 1
        assert searcher.search("G20").total == 0
        (merkel,) = searcher.search("Bundestag").hits
        assert merkel.origin == "https://www.rheinpost.example/politics/merkel-refugees"
    again = update_index(index_dir=index, extractor=ner)
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 10)


def test_a_container_that_cannot_be_read_now_keeps_its_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spacy_extractor: EntityExtractor
) -> None:
    corpus = copy_formats(tmp_path / "corpus")
    index = tmp_path / "index"
    build_index(corpus, index_dir=index, extractor=spacy_extractor)
    news = corpus / "all-the-news.csv"
    news.write_bytes(news.read_bytes() + b"\n")  # changed: it must be read again

    def failing(self: HashingReader, buffer: object) -> int:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(HashingReader, "readinto", failing)
    report = update_index(index_dir=index, extractor=spacy_extractor)
    assert report.removed == 0
    reasons = [item.reason for item in report.skipped if item.path.endswith("all-the-news.csv")]
    assert reasons == ["cannot read past 0 bytes: Input/output error; its indexed articles are kept"]
    with Searcher(index) as searcher:
        assert searcher.search("Tillerson").total == 1


def test_an_index_inside_the_corpus_is_not_read(tmp_path: Path, spacy_extractor: EntityExtractor) -> None:
    corpus = copy_formats(tmp_path / "corpus")
    report = build_index(corpus, index_dir=corpus / "index", extractor=spacy_extractor)
    assert report.indexed == 10
    assert not any("searchlib" in Path(item.path).name for item in report.skipped)
    again = update_index(index_dir=corpus / "index", extractor=spacy_extractor)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 10)


def test_the_progress_bar_counts_records(tmp_path: Path, spacy_extractor: EntityExtractor) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [
        json.dumps({"title": f"Story {n}", "text": f"Report number {n} from Basra."}) for n in range(150)
    ]
    (corpus / "many.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    calls: list[tuple[int, int]] = []
    build_index(
        corpus, index_dir=tmp_path / "index", extractor=spacy_extractor, progress=lambda *c: calls.append(c)
    )
    assert [done for done, _total in calls] == [0, 64, 128, 150]  # the bar shows the total first
    assert calls[-1] == (150, 150)
    assert all(total >= done for done, total in calls)


def test_an_index_from_before_provenance_takes_records_on_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spacy_extractor: EntityExtractor
) -> None:
    """An index whose schema has no ``url`` and ``origin`` fields is updated, not refused."""
    import searchlib.indexing.store as store
    from searchlib.indexing import schema

    def schema_before() -> object:
        older = schema.build_schema()
        for name in schema.PROVENANCE_FIELDS:
            older.remove(name)
        return older

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FORMATS / "pages" / "valley-courier" / "dam-approved.html", corpus)
    monkeypatch.setattr(store, "build_schema", schema_before)
    build_index(corpus, index_dir=tmp_path / "index", extractor=spacy_extractor)
    monkeypatch.undo()
    shutil.copy(FORMATS / "all-the-news.csv", corpus)
    report = update_index(index_dir=tmp_path / "index", extractor=spacy_extractor)
    assert report.added == 3
    with Searcher(tmp_path / "index") as searcher:
        (hit,) = searcher.search("Qantas").hits
        assert hit.origin == "id 17286"
        assert searcher.search("Turkana").hits[0].url is None
