"""The exceptions searchlib raises.

Every error a user can cause is a ``SearchlibError`` whose message is one line that says what
went wrong and what to do next; the CLI prints that line and exits with the code named in
``searchlib.cli.ExitStatus``. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class SearchlibError(Exception):
    """Base class for the errors searchlib reports to users."""


class IndexNotFound(SearchlibError):
    """There is no index where one was expected."""


class IndexLocked(SearchlibError):
    """Another process is writing the index and did not finish in time."""


class IndexWriteError(SearchlibError):
    """The index could not be written (a full disk, permissions); it keeps its last committed state."""


class SchemaMismatch(SearchlibError):
    """The index was written with another schema version and must be rebuilt."""


class QuerySyntaxError(SearchlibError):
    """The query text cannot be understood."""


class ArticleError(SearchlibError):
    """A file cannot be read as an article."""


class CorpusNotFound(SearchlibError):
    """The article folder does not exist or is not a folder."""


class ArticleNotFound(SearchlibError):
    """No article with that id is in the index."""


class ConfigError(SearchlibError):
    """A settings or aliases file is malformed."""


class UsageError(SearchlibError):
    """An option or parameter has a value searchlib does not accept."""


class ClusterError(SearchlibError):
    """The Dask cluster asked for cannot be used (unreachable, no workers, workers that differ)."""
