"""The web UI's routes through Flask's test client, over real indexes of the fixture corpus."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from click.testing import CliRunner
from conftest import HOSTILE_ID
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from searchlib import Searcher, UsageError, build_index, update_index
from searchlib.cli import cli
from searchlib.cli.common import ExitStatus
from searchlib.cli.serve_cmd import is_loopback
from searchlib.web import create_app
from searchlib.web.format import marked, page_window, paragraphs
from searchlib.web.params import FILTERS, PAGE_FACETS, SearchState, parse_state


@pytest.fixture(scope="module")
def client(index_dir: Path) -> FlaskClient:
    return create_app(index_dir).test_client()


@pytest.fixture(scope="module")
def hostile(hostile_index_dir: Path) -> FlaskClient:
    return create_app(hostile_index_dir).test_client()


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:2000])
    return response.get_data(as_text=True)


def total(html: str) -> int:
    found = re.search(r'<p class="total"><strong>([\d,]+)</strong>', html)
    assert found, html[:3000]
    return int(found.group(1).replace(",", ""))


def hit_ids(html: str) -> list[str]:
    return re.findall(r'<span class="id">([^<]+)</span>', html)


def links(html: str, css_class: str) -> list[str]:
    """The hrefs of the links with ``css_class``, unescaped."""
    pattern = rf'<a class="{css_class}[^"]*"\s+href="([^"]+)"'
    return [href.replace("&amp;", "&") for href in re.findall(pattern, html)]


# The search page -------------------------------------------------------------------------------


def test_results_show_total_time_and_highlighted_snippets(client: FlaskClient) -> None:
    html = page(client, "/?q=rockets")
    assert total(html) == 3
    assert re.search(r"<mark>rockets?</mark>", html, re.IGNORECASE)
    assert re.search(r"\d+ ms</span>", html)
    assert set(hit_ids(html)) == {"106_a1b2c3d4e5f60006", "000_21f7ebbefd25b24b", "101_a1b2c3d4e5f60001"}


def test_the_empty_page_browses_the_whole_archive_newest_first(
    client: FlaskClient, searcher: Searcher
) -> None:
    html = page(client, "/")
    assert total(html) == searcher.search("").total
    assert hit_ids(html)[0] == "108_a1b2c3d4e5f60008"  # 2021-03-05, the newest


def test_a_facet_click_narrows_and_a_second_click_removes_it(client: FlaskClient) -> None:
    html = page(client, "/?sort=oldest")
    before = total(html)
    narrow = next(href for href in links(html, "facet-value") if "source=BBC" in href)
    narrowed = page(client, narrow)
    assert total(narrowed) < before
    assert set(hit_ids(narrowed)) <= {"103_a1b2c3d4e5f60003", "104_a1b2c3d4e5f60004"}
    assert 'class="facet-value selected"' in narrowed
    assert '<span class="chip-kind">Source</span> BBC' in narrowed
    widen = next(href for href in links(narrowed, "facet-value selected"))
    assert dict(parse_qsl(urlsplit(widen).query)) == {"sort": "oldest"}
    assert total(page(client, widen)) == before


def test_a_chip_removes_its_filter(client: FlaskClient) -> None:
    html = page(client, "/?source=BBC&from=2020-11")
    assert hit_ids(html) == ["104_a1b2c3d4e5f60004"]
    chips = links(html, "chip")
    assert len(chips) == 2
    assert total(page(client, chips[0])) == 6  # source removed: everything from November 2020 on
    assert total(page(client, chips[1])) == 2  # dates removed: both BBC articles


def test_show_more_expands_a_facet(client: FlaskClient) -> None:
    html = page(client, "/")
    more = next(href for href in re.findall(r'<a class="more" href="([^"]+)">show more', html))
    expanded = page(client, more.replace("&amp;", "&"))
    assert "show fewer" in expanded
    assert expanded.count('class="facet-value') > html.count('class="facet-value')


def test_histogram_bars_narrow_to_their_dates(client: FlaskClient, searcher: Searcher) -> None:
    html = page(client, "/?hist=month")
    bars = re.findall(r'<a class="bar" href="([^"]+)" data-key="([^"]+)"\s+title="[^:]+: (\d+)', html)
    assert bars, "no non-empty bars"
    for href, key, count in bars:
        assert f"from={key}" in href and f"to={key}" in href
        assert total(page(client, href.replace("&amp;", "&"))) == int(count)
    assert len(re.findall(r'class="bar[ "]', html)) == len(
        searcher.search("", histogram="month").histogram.buckets
    )


def test_pagination_and_sort(client: FlaskClient) -> None:
    first = page(client, "/?size=3&sort=oldest")
    assert hit_ids(first)[0] == "105_a1b2c3d4e5f60005"  # 2019, the oldest
    following = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert following
    second = page(client, following.group(1).replace("&amp;", "&"))
    assert "page=2" in following.group(1)
    assert not set(hit_ids(first)) & set(hit_ids(second))
    assert '<span class="current" aria-current="page">2</span>' in second
    assert "showing 4–6" in second


def test_a_misspelt_query_offers_the_correction(client: FlaskClient, searcher: Searcher) -> None:
    suggestion = searcher.search("Hezbollak").suggestion
    assert suggestion is not None, "the library suggests a correction for this query"
    html = page(client, "/?q=Hezbollak&sort=date")
    link = re.search(r'<p class="suggestion">Did you mean\s*<a href="([^"]+)">(.*?)</a>', html, re.S)
    assert link and "<strong>" in link.group(2)
    assert dict(parse_qsl(urlsplit(link.group(1).replace("&amp;", "&")).query)) == {
        "q": suggestion.query,
        "sort": "date",
    }
    assert total(page(client, link.group(1).replace("&amp;", "&"))) == suggestion.total


def test_name_variants_are_listed_and_can_be_turned_off(client: FlaskClient, searcher: Searcher) -> None:
    with_variants = searcher.search("Hezbolah")
    exact = searcher.search("Hezbolah", variants=False)
    assert with_variants.variants and with_variants.total > exact.total, "the library expands this name"
    html = page(client, "/?q=Hezbolah")
    assert total(html) == with_variants.total
    assert "Also matching other spellings" in html and "Hezbollah" in html
    off = re.search(r'<a href="([^"]+)">Only the spelling typed</a>', html)
    assert off and "exact=1" in off.group(1)
    exact_html = page(client, off.group(1).replace("&amp;", "&"))
    assert total(exact_html) == exact.total
    assert '<input type="hidden" name="exact" value="1">' in exact_html
    assert "Match other spellings of names too" in exact_html
    rows = list(csv.DictReader(io.StringIO(page(client, "/search.csv?q=Hezbolah&exact=1"))))
    assert len(rows) == exact.total


def test_a_page_past_the_end_says_so(client: FlaskClient) -> None:
    assert "No results on page 99" in page(client, "/?q=rockets&page=99")


def test_the_search_box_keeps_the_filters(client: FlaskClient) -> None:
    html = page(client, "/?q=rockets&source=BBC&from=2020")
    assert '<input type="hidden" name="source" value="BBC">' in html
    assert '<input type="hidden" name="from" value="2020">' in html


def test_help_page_explains_the_syntax_with_runnable_examples(client: FlaskClient) -> None:
    html = page(client, "/help")
    for example in ("person:Kadhemi", "date:2017-02", "Soleimany~", "elect*"):
        assert example in html
    assert 'href="/?q=%22Kataeb+Hezbollah%22"' in html or 'href="/?q=%22Kataeb%20Hezbollah%22"' in html


def test_pages_load_nothing_from_outside(client: FlaskClient) -> None:
    for url in ("/", "/?q=rockets", "/article/106_a1b2c3d4e5f60006", "/help", "/?page=abc"):
        html = page(client, url, status=400 if "abc" in url else 200)
        for target in re.findall(r'(?:src|href)="([^"]*)"', html):
            assert target.startswith(("/", "#")), (url, target)
    assert page(client, "/static/style.css").startswith("/*")
    assert "addEventListener" in page(client, "/static/app.js")


# The article page ------------------------------------------------------------------------------


def test_article_page_marks_the_query_and_links_its_entities(client: FlaskClient, searcher: Searcher) -> None:
    html = page(client, "/article/106_a1b2c3d4e5f60006?q=rockets")
    assert "<mark>rockets</mark>" in html
    article = searcher.article("106_a1b2c3d4e5f60006")
    for entity in article.entities:
        if entity.type == "org":
            quoted = entity.name.replace(" ", "+").replace("&", "%26")
            assert f"/?org={quoted}" in html.replace("&amp;", "&"), entity
    assert 'href="/?q=rockets"' in html  # back to the results
    assert "Iraq News" in html and "ThisDay | Iraq News Now" in html


def test_article_page_lists_related_articles_and_duplicates(analyst_index: Path) -> None:
    client = create_app(analyst_index).test_client()
    with Searcher(analyst_index) as searcher:
        related = searcher.related("101_a1b2c3d4e5f60001", limit=8, snippets=0)
    assert related.hits and related.duplicates, "the analyst fixture has both"
    html = page(client, "/article/101_a1b2c3d4e5f60001?q=drone")
    section = html.split('<section class="panel related">', 1)[1].split("</section>", 1)[0]
    listed = re.findall(r'href="/article/([^"?]+)\?q=drone"', section)
    assert listed == [hit.id for hit in related.hits] + list(related.duplicates)
    assert "The same story also appears as" in section


def test_syndicated_copies_are_folded_into_one_hit_and_can_be_listed(analyst_index: Path) -> None:
    client = create_app(analyst_index).test_client()
    with Searcher(analyst_index) as searcher:
        folded = searcher.search("drone")
        every = searcher.search("drone", collapse=False)
    copies = {copy.id for hit in folded.hits for copy in hit.also_in}
    assert copies, "the analyst fixture has a syndicated copy"
    html = page(client, "/?q=drone")
    assert hit_ids(html) == [hit.id for hit in folded.hits]
    also = html.split('<p class="also">', 1)[1].split("</p>", 1)[0]
    assert {re.search(r"/article/([^?\"]+)", a).group(1) for a in re.findall(r'href="[^"]+"', also)} == copies
    assert f"{folded.stories} stories, copies folded" in html and folded.stories < folded.total
    listing = re.search(r'copies folded \(<a href="([^"]+)">list every copy</a>\)', html)
    assert listing and "all=1" in listing.group(1)
    every_html = page(client, listing.group(1).replace("&amp;", "&"))
    assert hit_ids(every_html) == [hit.id for hit in every.hits]
    assert copies <= set(hit_ids(every_html))
    assert '<p class="also">' not in every_html and "fold copies" in every_html
    one_a_page = page(client, "/?q=drone&size=1")
    pager = one_a_page.split('<nav class="pager"', 1)[1]
    assert f">{folded.stories}</a>" in pager and f">{folded.stories + 1}</a>" not in pager


def words_of(html: str, opening: str) -> str:
    """The text of the paragraph that starts with ``opening``: tags removed, spaces folded."""
    paragraph = html.split(opening, 1)[1].split("</p>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", "", paragraph).split())


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/?q=zeppelin", "0 articles match zeppelin ·"),
        ("/?q=Mosul", "1 article matches Mosul ·"),
        ("/?q=rockets", "3 articles match rockets ·"),
        ("/?source=BBC", "2 articles match the filters ·"),
    ],
)
def test_the_total_and_its_verb_agree_with_the_count(client: FlaskClient, url: str, said: str) -> None:
    assert words_of(page(client, url), '<p class="total">').startswith(said)


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("struck", "2 articles match struck · 1 story, copies folded"),
        ("drones airport", "3 articles match drones airport · 2 stories, copies folded"),
    ],
)
def test_folded_stories_agree_with_their_count(analyst_index: Path, query: str, said: str) -> None:
    html = page(create_app(analyst_index).test_client(), f"/?q={query}")
    assert words_of(html, '<p class="total">').startswith(said)


@pytest.mark.parametrize(
    ("query", "said"), [("Kansass", "Kansas? 1 article"), ("Hezbollak", "Hezbollah? 5 articles")]
)
def test_the_correction_s_count_agrees_with_it(analyst_index: Path, query: str, said: str) -> None:
    html = page(create_app(analyst_index).test_client(), f"/?q={query}")
    assert words_of(html, '<p class="suggestion">') == f"Did you mean {said}"


def test_histogram_bars_say_article_for_one(client: FlaskClient) -> None:
    titles = re.findall(
        r'<a class="bar[^"]*" href="[^"]+" data-key="[^"]+"\s+title="([^"]+)"', page(client, "/?hist=month")
    )
    counts = {title.split(": ", 1)[1] for title in titles}
    assert {"0 articles", "1 article"} < counts
    assert all(re.fullmatch(r"1 article|(0|[2-9]|\d\d+) articles", count) for count in counts), counts


def test_article_without_a_query_has_no_marks(client: FlaskClient) -> None:
    assert "<mark>" not in page(client, "/article/106_a1b2c3d4e5f60006")


def test_an_unknown_article_is_a_404(client: FlaskClient) -> None:
    assert "There is no article with that id" in page(client, "/article/nope", status=404)
    assert json.loads(page(client, "/api/article/nope", status=404))["error"]


@pytest.mark.parametrize(
    "url",
    [
        "/article/..%2F..%2F..%2Fetc%2Fpasswd",
        "/article/%2Fetc%2Fpasswd",
        "/article/../../etc/passwd",
        "/article/..%2Fsearchlib.json",
        "/api/article/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/article/%2Fetc%2Fpasswd",
        "/static/../../../../etc/passwd",
        "/static/..%2F..%2Fsearchlib.json",
        "/static/%2Fetc%2Fpasswd",
        "//etc/passwd",
    ],
)
def test_no_request_reads_a_file_by_path(client: FlaskClient, url: str) -> None:
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 404, url
    body = response.get_data(as_text=True)
    assert "root:" not in body and "schema_version" not in body


def test_the_page_follows_an_update_and_a_rebuild_of_the_index(fresh_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "ix"
    build_index(fresh_corpus, index_dir=index)
    client = create_app(index).test_client()
    assert total(page(client, "/?q=zeppelin")) == 0
    (fresh_corpus / "109_new.txt").write_text(" date 2022-01-01 - Source: X\n\nA zeppelin over the city.")
    update_index(fresh_corpus, index_dir=index)
    assert total(page(client, "/?q=zeppelin")) == 1
    (fresh_corpus / "110_new.txt").write_text(" date 2022-01-02 - Source: X\n\nAnother zeppelin story.")
    build_index(fresh_corpus, index_dir=index)
    assert total(page(client, "/?q=zeppelin")) == 2
    assert "zeppelin" in page(client, "/article/110_new?q=zeppelin")


def test_an_index_that_goes_away_is_a_503_with_the_reason(index_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ix"
    shutil.copytree(index_dir, copy)
    client = create_app(copy).test_client()
    assert total(page(client, "/?q=rockets")) == 3
    (copy / "searchlib.json").unlink()
    html = page(client, "/?q=rockets", status=503)
    assert "The index cannot be read right now" in html and "no index at" in html
    assert "no index at" in json.loads(page(client, "/api/search?q=rockets", status=503))["error"]


# The JSON API and CSV --------------------------------------------------------------------------


def test_api_search_is_the_library_answer(client: FlaskClient, searcher: Searcher) -> None:
    data = json.loads(page(client, "/api/search?q=rockets&source=Iraq+News&size=5"))
    expected = searcher.search(
        "rockets",
        source="Iraq News",
        page_size=5,
        facets=("source", "person", "org", "place", "year", "month"),
        histogram="auto",
    ).to_dict()
    data.pop("elapsed_ms"), expected.pop("elapsed_ms")
    assert data == expected


def test_api_search_has_the_same_keys_as_search_json(client: FlaskClient, index_dir: Path) -> None:
    cli_json = CliRunner().invoke(cli, ["search", "rockets", "--json", "--index", str(index_dir)])
    assert cli_json.exit_code == 0, cli_json.output
    api = json.loads(page(client, "/api/search?q=rockets&facet=source"))
    assert set(api) == set(json.loads(cli_json.output))
    assert [f["name"] for f in api["facets"]] == ["source"]


def test_csv_has_every_match_not_only_the_page(client: FlaskClient) -> None:
    response = client.get("/search.csv?q=rockets&size=1")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {row["id"] for row in rows} == {
        "106_a1b2c3d4e5f60006",
        "000_21f7ebbefd25b24b",
        "101_a1b2c3d4e5f60001",
    }
    assert all(row["date"] and row["source"] and row["title"] for row in rows)
    assert any("Kataeb Hezbollah" in row["entities"] for row in rows)
    assert list(rows[0]) == ["date", "source", "title", "snippet", "entities", "path", "id", "score"]


def test_csv_keeps_the_filters_and_sort(client: FlaskClient) -> None:
    text = page(client, "/search.csv?source=BBC&source=Reuters&from=2020&sort=oldest")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["date"] for row in rows] == ["2020-06-15", "2020-06-20", "2020-11-04", "2021-02-10"]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(hostile: FlaskClient) -> None:
    rows = list(csv.reader(io.StringIO(page(hostile, "/search.csv?q=zeppelin"))))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


# Bad parameters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=-1", "page must be a whole number from 1 up"),
        ("page=0", "page must be a whole number from 1 up"),
        ("page=abc", "page must be a whole number, not &#39;abc&#39;"),
        ("page=" + "9" * 5000, "page must be a whole number"),
        ("size=0", "page size must be from 1"),
        ("size=100000", "size must be from 1 to 100"),
        ("size=1.5", "size must be a whole number"),
        ("more=nonsense", "unknown facet"),
        ("from=2020-13", "from date &#39;2020-13&#39; is not a date"),
        ("to=yesterday", "to date &#39;yesterday&#39; is not a date"),
        ("from=2021&to=2020", "the date range is empty"),
        ("sort=sideways", "unknown sort"),
        ("hist=fortnight", "unknown histogram interval"),
        ("q=*bad", "starts with a wildcard"),
        ("q=*", "&#39;*&#39; alone is not a search: to list every article, give no query"),
        ("q=*:*&source=BBC", "&#39;*:*&#39; alone is not a search"),
        ('q=date:"a b"', "is not a date"),
        ('q=indexed_at:"a b"', "is not a date"),
        ("q=" + "x" * 2500, "the limit is 2,000"),
    ],
)
def test_bad_parameters_are_a_400_with_a_message(client: FlaskClient, query: str, message: str) -> None:
    html = page(client, f"/?{query}", status=400)
    assert 'class="error-message"' in html and message in html


@pytest.mark.parametrize("query", ["from=2020-13", "q=*bad", "person=%20%2C", "more=x", "size=x"])
def test_bad_csv_parameters_are_a_400_before_any_row(client: FlaskClient, query: str) -> None:
    assert 'class="error-message"' in page(client, f"/search.csv?{query}", status=400)


def test_a_huge_page_number_is_an_empty_page_not_an_error(client: FlaskClient) -> None:
    assert "No results on page" in page(client, "/?page=" + "9" * 60)


@pytest.mark.parametrize(
    "query", ["page=-1", "size=100000", "facet=nonsense", "from=2020-02-31", "q=*bad", "q=*", "page=x"]
)
def test_api_bad_parameters_are_a_400_with_a_json_message(client: FlaskClient, query: str) -> None:
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]


def test_the_api_accepts_the_library_page_size(client: FlaskClient) -> None:
    assert len(json.loads(page(client, "/api/search?size=1000"))["hits"]) == 9


# Escaping --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/?q=zeppelin",
        "/",
        f"/article/{HOSTILE_ID}?q=zeppelin",
        f"/article/{HOSTILE_ID}",
        "/?q=zeppelin&hist=day",
    ],
)
def test_hostile_article_text_is_shown_as_text(hostile: FlaskClient, url: str) -> None:
    html = page(hostile, url)
    assert "<script>" not in html.replace('<script src="/static/app.js" defer></script>', "")
    assert "<img" not in html and "onerror=" not in html.replace("onerror=&#34;", "")
    assert "&lt;script&gt;" in html


def test_hostile_source_stays_inside_its_attributes(hostile: FlaskClient) -> None:
    html = page(hostile, "/")
    assert "Evil &#34;Quote&#39; &lt;b&gt;Source&lt;/b&gt;" in html
    link = next(href for href in links(html, "facet-value") if "source=Evil" in href)
    assert "Evil" in page(hostile, link)
    assert total(page(hostile, link)) == 1


def test_hostile_query_text_is_escaped(hostile: FlaskClient) -> None:
    attack = '"><script>alert(1)</script>'
    for url in (f"/?q={attack}", f"/article/{HOSTILE_ID}?q={attack}", f"/?q=*{attack}"):
        response = hostile.get(url)
        assert response.status_code in (200, 400), url
        assert "<script>alert(1)" not in response.get_data(as_text=True), url


# Formatting and URL state ---------------------------------------------------------------------


def test_marked_escapes_before_marking() -> None:
    assert marked('<b>"x"</b> & y', [(3, 6)]) == "&lt;b&gt;<mark>&#34;x&#34;</mark>&lt;/b&gt; &amp; y"
    assert marked("abc", [(0, 1), (0, 2), (2, 2)]) == "<mark>a</mark>bc"


def test_paragraphs_keep_their_marks() -> None:
    text = "First rocket.\n\nSecond rocket here."
    spans = [(6, 12), (22, 28)]
    assert paragraphs(text, spans) == ["First <mark>rocket</mark>.", "Second <mark>rocket</mark> here."]


def test_page_window() -> None:
    assert page_window(1, 1) == [1]
    assert page_window(5, 20) == [1, None, 3, 4, 5, 6, 7, None, 20]
    assert page_window(2, 4) == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "state",
    [
        SearchState(),
        SearchState(query='"a b" & c', filters=(("person", "Jo & Co"), ("source", "BBC")), page=3, size=50),
        SearchState(date_from="2020-01", date_to="2020-02", sort="oldest", more=("person",), histogram="day"),
        SearchState(query="Kadhimi", exact=True, every_copy=True),
    ],
)
def test_the_url_holds_the_whole_state(state: SearchState) -> None:
    assert parse_state(MultiDict(parse_qsl(state.query_string()))) == state


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_value = _text.map(str.strip).filter(bool)


@given(
    query=_text,
    filters=st.lists(st.tuples(st.sampled_from(sorted(FILTERS)), _value), max_size=4, unique=True),
    date_from=_text.map(str.strip),
    sort=_text.map(str.strip),
    page=st.integers(-5, 10**6),
    size=st.integers(-5, 100),
    more=st.lists(st.sampled_from(PAGE_FACETS), max_size=2, unique=True),
    histogram=_value,
)
def test_any_state_survives_its_url(query, filters, date_from, sort, page, size, more, histogram) -> None:
    # Werkzeug groups repeated arguments by name, so filters come back grouped by kind.
    first = {name: i for i, (name, _) in reversed(list(enumerate(filters)))}
    state = SearchState(
        query=query,
        filters=tuple(sorted(filters, key=lambda pair: first[pair[0]])),
        date_from=date_from,
        sort=sort,
        page=page,
        size=size,
        more=tuple(more),
        histogram=histogram,
    )
    assert parse_state(MultiDict(parse_qsl(state.query_string(), keep_blank_values=True))) == state


@given(st.lists(st.tuples(st.sampled_from(["q", "page", "size", "more", "from", "source", "x"]), _text)))
def test_parsing_any_arguments_gives_a_state_or_a_usage_error(pairs) -> None:
    try:
        parse_state(MultiDict(pairs))
    except UsageError as exc:
        assert str(exc)


def test_toggle_adds_then_removes() -> None:
    state = SearchState(query="x", page=4)
    added = parse_state(MultiDict(parse_qsl(urlsplit(state.toggle("org", "UN")).query)))
    assert added.filters == (("org", "UN"),) and added.page == 1
    removed = parse_state(MultiDict(parse_qsl(urlsplit(added.toggle("org", "UN")).query)))
    assert removed == SearchState(query="x")


# The command -----------------------------------------------------------------------------------


def test_serve_refuses_a_missing_index(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--index", str(tmp_path / "none"), "--port", "0"])
    assert result.exit_code == ExitStatus.INDEX_NOT_FOUND
    assert "no index at" in result.output


def test_serve_warns_before_listening_beyond_this_machine(index_dir: Path) -> None:
    # 192.0.2.1 is a documentation address no machine has: binding fails, nothing is exposed.
    result = CliRunner().invoke(
        cli, ["serve", "--index", str(index_dir), "--host", "192.0.2.1", "--port", "0"]
    )
    assert "warning: listening on 192.0.2.1" in result.output
    assert result.exit_code == ExitStatus.USAGE
    assert "cannot listen on 192.0.2.1:0" in result.output


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True), ("0.0.0.0", False)],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


# Headers and hosts ------------------------------------------------------------------------------


def test_pages_forbid_outside_scripts_and_framing(client: FlaskClient) -> None:
    for url in ("/", "/article/nope", "/api/search?q=x", "/static/app.js"):
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("host", "status"),
    [("localhost:8000", 200), ("127.0.0.1:8000", 200), ("[::1]:8000", 200), ("attacker.example", 400)],
)
def test_a_local_server_answers_only_to_local_host_names(index_dir: Path, host: str, status: int) -> None:
    """A page elsewhere whose name resolves to 127.0.0.1 (DNS rebinding) is refused."""
    app = create_app(index_dir, trusted_hosts=("localhost", "127.0.0.1", "::1", "[::1]"))
    assert app.test_client().get("/api/search?q=rockets", headers={"Host": host}).status_code == status
