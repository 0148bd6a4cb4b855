"""The web UI of ``searchlib serve``: a search page, an article page and a JSON/CSV API.

``create_app(index_dir)`` builds the Flask app; the CLI runs it on a local port.
"""

from searchlib.web.app import create_app

__all__ = ["create_app"]
