"""The web UI: a Flask app over one open ``Searcher``.

Each route parses the URL (``params``), makes one library call and renders the answer
(templates, ``format``). Errors a person can cause (a bad page number, a query that cannot be
read, a malformed date) come back as a 400 page or JSON error with the library's message; an
unknown article is a 404. Articles are looked up by id in the index, never by a path.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, Response, abort, render_template, request
from werkzeug.exceptions import HTTPException

from searchlib import __version__
from searchlib.analyst.export import CSV_COLUMNS, csv_row, spreadsheet_safe
from searchlib.errors import ArticleNotFound, QuerySyntaxError, SearchlibError, UsageError
from searchlib.models import Hit, StoredArticle
from searchlib.querying.facets import FACETS
from searchlib.querying.searcher import Searcher
from searchlib.web import format as fmt
from searchlib.web.params import FILTERS, PAGE_FACETS, SearchState, facet_names, parse_state
from searchlib.wording import agreeing, counted

T = TypeVar("T")

JSON = "application/json"


class Library:
    """The app's one open index; calls are serialised because a Whoosh searcher is not
    documented as safe to share between threads."""

    def __init__(self, index_dir: Path | str) -> None:
        self.index_dir = index_dir
        self.searcher = Searcher(index_dir)
        self._lock = threading.Lock()

    def export(self, work: Callable[[Searcher], Iterator[T]]) -> Iterator[T]:
        """Stream what ``work`` yields from a searcher of its own, closed when the stream ends.

        A download outlives its request's turn at the shared searcher, and the index may be
        refreshed meanwhile; its own searcher keeps the export on one state of the index. Bad
        input raises here, before the response starts. It reads through file handles: a memory
        -mapped searcher copies the whole index into memory when it opens (about 1 GB and 0.3 s
        at 100,000 articles, see docs/architecture.md), too much for one download.
        """
        searcher = Searcher(self.index_dir, memory_map=False)
        try:
            items = work(searcher)
        except BaseException:
            searcher.close()
            raise

        def stream() -> Iterator[T]:
            try:
                yield from items
            finally:
                searcher.close()

        return stream()

    def call(self, work: Callable[[Searcher], T]) -> T:
        """Run ``work`` with the searcher, first picking up a rebuilt or updated index."""
        with self._lock:
            self.searcher.refresh()
            return work(self.searcher)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""Only this server's own files run or load: a second line of defence behind the escaping, and
the proof that the page needs nothing from the internet. Bar heights are inline styles."""


def create_app(
    index_dir: Path | str, *, trusted_hosts: Sequence[str] | None = None, warm_up: bool = False
) -> Flask:
    """The web app over the index in ``index_dir``; ``IndexNotFound`` if there is none.

    ``trusted_hosts`` (e.g. ``localhost``, ``127.0.0.1``) refuses requests naming any other
    host, so a web site whose name is made to resolve to this machine (DNS rebinding) cannot
    read the archive through a visitor's browser. ``warm_up`` runs the front page's search
    once, so the first person to open the page does not wait for the index files to load.
    """
    app = Flask(__name__)
    if trusted_hosts:
        _answer_only_to(app, {name.strip("[]").lower() for name in trusted_hosts})
    library = Library(index_dir)
    if warm_up:
        library.call(lambda s: s.search(**SearchState().search_kwargs()))
    app.extensions["searchlib"] = library
    app.jinja_env.filters.update(
        number=fmt.number,
        counted=counted,
        agreeing=agreeing,
        day=fmt.day,
        long_day=fmt.long_day,
        web_link=fmt.web_link,
        file_name=fmt.file_name,
    )
    app.jinja_env.globals.update(
        marked=fmt.marked, page_window=fmt.page_window, version=__version__, filter_labels=FILTERS
    )
    _add_routes(app, library)
    _add_error_pages(app)
    app.after_request(_safety_headers)
    return app


def _answer_only_to(app: Flask, hosts: set[str]) -> None:
    """Refuse requests whose Host header names another host (IPv6 literals in brackets)."""

    @app.before_request
    def check_host() -> None:
        host = request.host.lower()
        name = host if host.endswith("]") else host.rpartition(":")[0] or host
        if name.strip("[]") not in hosts:
            abort(400, f"this server answers only to {', '.join(sorted(hosts))}, not {host!r}")


def _safety_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _add_routes(app: Flask, library: Library) -> None:
    @app.get("/")
    def search_page() -> str:
        state = parse_state(request.args)
        results = library.call(lambda s: s.search(state.query, **state.search_kwargs()))
        return render_template("search.html", state=state, results=results)

    @app.get("/article/<article_id>")
    def article_page(article_id: str) -> str:
        state = parse_state(request.args)
        article, related = library.call(
            lambda s: (s.article(article_id, query=state.query), s.related(article_id, limit=8, snippets=0))
        )
        return render_template(
            "article.html",
            state=state,
            article=article,
            related=related,
            paragraphs=fmt.paragraphs(article.body, article.body_highlights),
            entities=_entities_by_type(article),
        )

    @app.get("/help")
    def help_page() -> str:
        return render_template("help.html", state=parse_state(request.args))

    @app.get("/api/search")
    def api_search() -> Response:
        state = parse_state(request.args, max_size=None)
        kwargs = state.search_kwargs(facets=facet_names(request.args) or PAGE_FACETS)
        results = library.call(lambda s: s.search(state.query, **kwargs))
        return Response(results.to_json(), mimetype=JSON)

    @app.get("/api/article/<article_id>")
    def api_article(article_id: str) -> Response:
        query = request.args.get("q", "")
        article = library.call(lambda s: s.article(article_id, query=query))
        return Response(article.to_json(), mimetype=JSON)

    @app.get("/search.csv")
    def csv_download() -> Response:
        state = parse_state(request.args)
        hits = library.export(lambda s: s.iter_hits(state.query, **state.export_kwargs()))
        headers = {"Content-Disposition": 'attachment; filename="searchlib-results.csv"'}
        return Response(_csv_lines(hits), mimetype="text/csv", headers=headers)


def _csv_lines(hits: Iterator[Hit]) -> Iterator[str]:
    """The CSV of ``search --csv``, a line at a time as the hits are read."""
    yield _csv_line(CSV_COLUMNS)
    for hit in hits:
        yield _csv_line([spreadsheet_safe(value) for value in csv_row(hit)])


def _csv_line(values: list[str] | tuple[str, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def _entities_by_type(article: StoredArticle) -> list[tuple[str, str, list[str]]]:
    """(filter name, label, names) for each entity type the article has, in facet order."""
    grouped = []
    for kind in ("person", "org", "place", "misc"):
        names = sorted({e.name for e in article.entities if e.type == kind}, key=str.casefold)
        if names:
            grouped.append((kind, FACETS[kind].label, names))
    return grouped


def _add_error_pages(app: Flask) -> None:
    def wants_json() -> bool:
        return request.path.startswith("/api/")

    def error(status: int, message: str) -> tuple[Any, int]:
        if wants_json():
            return Response(_json_error(message), mimetype=JSON), status
        try:
            state = parse_state(request.args)
        except UsageError:
            state = SearchState(query=request.args.get("q", ""))
        return render_template("error.html", status=status, message=message, state=state), status

    @app.errorhandler(UsageError)
    @app.errorhandler(QuerySyntaxError)
    def bad_request(exc: Exception) -> tuple[Any, int]:
        return error(400, str(exc))

    @app.errorhandler(SearchlibError)
    def index_unavailable(exc: SearchlibError) -> tuple[Any, int]:
        """The index went away, is being rebuilt with another schema, or is locked."""
        return error(503, str(exc))

    @app.errorhandler(ArticleNotFound)
    def no_article(exc: ArticleNotFound) -> tuple[Any, int]:
        return error(404, "There is no article with that id in this index.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Any, int]:
        return error(exc.code or 500, exc.description or exc.name)


def _json_error(message: str) -> str:
    return json.dumps({"error": message}, ensure_ascii=False)
