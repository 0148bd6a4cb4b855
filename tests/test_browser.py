"""The web UI end to end: `searchlib serve` on a free localhost port, driven by a real headless
Chromium (Debian's ``chromium`` package) through Playwright.

Without the browser these tests skip on a developer's machine and fail in CI (``CI=true``),
where ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_browser() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append('playwright (pip install -e ".[test]")')
    if not missing:
        return
    message = "browser tests need " + " and ".join(missing)
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message + ": CI must install them (see .ci/run)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def server(index_dir: Path) -> Iterator[str]:
    with serving(index_dir) as address:
        yield address


@pytest.fixture(scope="module")
def hostile_server(hostile_index_dir: Path) -> Iterator[str]:
    with serving(hostile_index_dir) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def total(page) -> int:
    return int(page.locator(".total strong").inner_text().replace(",", ""))


def test_type_a_query_and_see_highlighted_results(page, server: str, tmp_path: Path) -> None:
    page.goto(server + "/")
    page.fill("#q", "rockets")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=rockets"))
    assert total(page) == 3
    assert page.locator(".hit").count() == 3
    marks = page.locator(".hit .snippet mark")
    assert marks.count() >= 3
    assert {text.lower() for text in marks.all_inner_texts()} <= {"rocket", "rockets"}
    assert page.locator(".histogram .bar").count() > 0
    shot = tmp_path / "results.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_click_a_facet_and_see_the_count_change(page, server: str) -> None:
    page.goto(server + "/")
    everything = total(page)
    page.locator('.facet[data-facet="source"] .facet-value', has_text="BBC").click()
    page.wait_for_url(re.compile(r"source=BBC"))
    assert total(page) == 2 < everything
    assert page.locator(".chip", has_text="BBC").count() == 1
    page.locator('.facet[data-facet="source"] .facet-value.selected').click()
    page.wait_for_url(lambda url: "source=" not in url)
    assert total(page) == everything
    assert page.locator(".chip").count() == 0


def test_a_chip_removes_its_filter(page, server: str) -> None:
    page.goto(server + "/?source=BBC&source=Reuters")
    assert total(page) == 4
    page.locator(".chip", has_text="Reuters").click()
    page.wait_for_url(lambda url: "Reuters" not in url)
    assert total(page) == 2


def test_open_an_article_and_follow_an_entity(page, server: str) -> None:
    page.goto(server + "/?q=intercepted")
    page.locator(".hit h3 a").first.click()
    page.wait_for_url(re.compile(r"/article/106_a1b2c3d4e5f60006"))
    assert "Rockets hit the US embassy" in page.locator(".doc .body").inner_text()
    assert page.locator(".doc .body mark").all_inner_texts() == ["intercepted"]
    page.locator(".doc-side a.tag", has_text="Baghdad").first.click()
    page.wait_for_url(re.compile(r"place=Baghdad"))
    assert page.locator(".chip", has_text="Baghdad").count() == 1
    assert total(page) >= 1


def test_page_forward(page, server: str) -> None:
    page.goto(server + "/?size=3&sort=oldest")
    first = page.locator(".hit .id").all_inner_texts()
    page.locator('.pager a[rel="next"]').click()
    page.wait_for_url(re.compile(r"page=2"))
    second = page.locator(".hit .id").all_inner_texts()
    assert len(second) == 3 and not set(first) & set(second)
    assert page.locator(".pager .current").inner_text() == "2"


def test_a_histogram_bar_narrows_the_dates(page, server: str) -> None:
    page.goto(server + "/?hist=year")
    bar = page.locator('.histogram .bar[data-key="2020"]')
    bar.click()
    page.wait_for_url(re.compile(r"from=2020&to=2020"))
    assert total(page) == 5
    assert page.locator(".chip", has_text="2020").count() == 1


def test_dragging_across_bars_picks_a_range(page, server: str) -> None:
    page.goto(server + "/?hist=year")
    page.locator('.histogram .bar[data-key="2019"]').hover()
    page.mouse.down()
    page.locator('.histogram .bar[data-key="2020"]').hover()
    page.mouse.up()
    page.wait_for_url(re.compile(r"from=2019&to=2020"))
    assert total(page) == 6


def test_typing_dates_narrows_and_keeps_the_query(page, server: str) -> None:
    page.goto(server + "/?q=rockets&source=Iraq+News")
    page.fill('.daterange input[name="from"]', "2021")
    page.locator(".daterange button").click()
    page.wait_for_url(re.compile(r"from=2021"))
    assert "q=rockets" in page.url and "source=Iraq+News" in page.url
    assert page.locator(".hit .id").all_inner_texts() == ["101_a1b2c3d4e5f60001"]


def test_hostile_article_runs_no_script(page, hostile_server: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in ("/?q=zeppelin", "/article/900_hostile?q=zeppelin"):
        page.goto(hostile_server + path)
        assert page.title() != "pwned"
        assert page.locator("img").count() == 0
        assert "<script>" in page.locator("main, article").first.inner_text()
        page.locator(".doc .body, .hits").first.hover()
    assert dialogs == []


def test_the_server_answers_only_to_local_host_names(server: str) -> None:
    """The real server refuses a request naming another host (a DNS-rebinding page)."""
    import http.client

    host, port = server.removeprefix("http://").split(":")
    for name, status in ((f"127.0.0.1:{port}", 200), (f"localhost:{port}", 200), ("attacker.example", 400)):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/api/search?q=rockets", headers={"Host": name})
        assert connection.getresponse().status == status, name
        connection.close()
