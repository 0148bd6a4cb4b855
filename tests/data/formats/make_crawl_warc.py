"""Writes crawl.warc.gz, the web-archive fixture: run `python make_crawl_warc.py` here.

A crawl as wget or Heritrix leaves one: a warcinfo record, then request and response pairs:
two news pages (HTML, 200), a redirect (301), an image (PNG) and a missing page (404).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).parent

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} - Gulf Wire</title>
<meta property="og:site_name" content="Gulf Wire"><meta property="og:title" content="{title}">
<meta property="article:published_time" content="{date}"></head>
<body><nav><a href="/">Home</a> <a href="/region">Region</a> <a href="/markets">Markets</a></nav>
<article><h1>{title}</h1>{paragraphs}</article>
<footer>Gulf Wire &copy; 2017. <a href="/terms">Terms</a></footer></body></html>"""

PAGES = [
    (
        "https://gulfwire.example/markets/aramco-listing",
        "Saudi Aramco picks banks for record share sale",
        "2017-07-04T08:00:00+03:00",
        [
            "RIYADH - Saudi Aramco has chosen JPMorgan and Morgan Stanley to advise on its share sale, "
            "which could be the largest listing in history, people familiar with the matter said on Tuesday.",
            "Crown Prince Mohammed bin Salman has said the sale would value the oil company at two trillion "
            "dollars, and exchanges in New York, London and Hong Kong are competing to host it.",
        ],
    ),
    (
        "https://gulfwire.example/region/qatar-talks",
        "Kuwait mediates as Qatar rift deepens",
        "2017-07-06T15:30:00+03:00",
        [
            "KUWAIT CITY - The emir of Kuwait, Sheikh Sabah al-Ahmad al-Sabah, met envoys from Qatar and "
            "Saudi Arabia on Thursday in an effort to end the diplomatic crisis in the Gulf.",
            "Qatar has rejected a list of demands that included closing the Al Jazeera television network, "
            "and its foreign minister said the blockade violated international law.",
        ],
    ),
]


def main() -> None:
    with open(HERE / "crawl.warc.gz", "wb") as output:
        writer = WARCWriter(output, gzip=True)
        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "fixture crawler"}))
        for url, title, date, paragraphs in PAGES:
            html = PAGE.format(title=title, date=date, paragraphs="".join(f"<p>{p}</p>" for p in paragraphs))
            _exchange(writer, url, "200 OK", "text/html; charset=utf-8", html.encode())
        _exchange(
            writer, "http://gulfwire.example/markets", "301 Moved Permanently", "text/html", b"",
            extra=[("Location", "https://gulfwire.example/markets")],
        )  # fmt: skip
        _exchange(
            writer,
            "https://gulfwire.example/logo.png",
            "200 OK",
            "image/png",
            b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        )
        _exchange(
            writer, "https://gulfwire.example/old-story", "404 Not Found", "text/html", b"<html>gone</html>"
        )


def _exchange(
    writer: WARCWriter,
    url: str,
    status: str,
    kind: str,
    body: bytes,
    extra: list[tuple[str, str]] | None = None,
) -> None:
    request = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True)
    writer.write_record(writer.create_warc_record(url, "request", payload=BytesIO(b""), http_headers=request))
    headers = StatusAndHeaders(status, [("Content-Type", kind), *(extra or [])], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers)
    )


if __name__ == "__main__":
    main()
