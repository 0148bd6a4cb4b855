"""The web page caps what one URL can ask for: past the caps, a 400 with the reason, at once.

A URL repeating ``source=`` a thousand times once made the page render 400 MB; the test sends
it to a real `searchlib serve` on localhost.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import serving

from searchlib.web import create_app
from searchlib.web.params import MAX_ARGUMENTS, MAX_VALUES_PER_ARGUMENT

REPEATED = 1_000


def get(url: str) -> tuple[int, str, float]:
    """Status, body and seconds taken of a GET."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read().decode()
    return status, body, time.perf_counter() - started


@pytest.mark.parametrize("name", ["source", "person", "more", "year"])
def test_a_thousand_repeated_values_get_a_400_within_a_second(index_dir: Path, name: str) -> None:
    query = urlencode([(name, f"S{i}") for i in range(REPEATED)])
    with serving(index_dir) as address:
        for path in ("/", "/api/search", "/search.csv"):
            status, body, seconds = get(f"{address}{path}?{query}")
            assert status == 400, body[:300]
            assert f"too many values of {name!r}" in body or "too many URL arguments" in body
            assert seconds < 1.0


def test_the_caps_allow_what_a_page_needs(index_dir: Path) -> None:
    client = create_app(index_dir).test_client()
    sources = [("source", f"S{i}") for i in range(MAX_VALUES_PER_ARGUMENT)]
    assert client.get("/?" + urlencode(sources)).status_code == 200
    assert client.get("/?" + urlencode([*sources, ("source", "one more")])).status_code == 400
    many = [(name, f"v{i}") for name in ("person", "org", "place", "misc", "entity", "q") for i in range(20)]
    assert len(many) > MAX_ARGUMENTS
    assert client.get("/?" + urlencode(many)).status_code == 400
