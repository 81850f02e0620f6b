"""The error hierarchy shared by every layer.

Every error the project raises on purpose derives from :class:`PolicyKGError`, so a caller
can catch the project's errors without catching programming mistakes::

    PolicyKGError
    ├── LoaderError            the corpus or a vocabulary file cannot be read or parsed
    │   ├── CorpusFileError    a file is missing, empty, or not UTF-8
    │   ├── ManifestError      the corpus manifest is malformed or points nowhere
    │   ├── StructureError     numbering is missing, duplicated or out of place
    │   └── VocabularyError    a curated vocabulary file is malformed
    ├── AlignmentError         an alignment cannot be computed (unknown document, bad config)
    ├── OntologyError          records cannot become RDF, or the RDF does not conform
    ├── NotFound               an id names nothing of the kind asked for (the API's 404)
    ├── Overloaded             a bounded resource is full; try again later (the API's 429)
    └── GraphStoreError        Neo4j fails a request, or the managed server cannot be run
        ├── Neo4jUnavailable   the server cannot be reached, or refuses the credentials
        ├── Neo4jBusy          a transient failure: no free connection, memory pool full …
        ├── QueryTimeout       a query ran past its time limit and was stopped
        ├── QueryRefused       Neo4j refused a statement (syntax, types, access mode …)
        ├── QueryFailed        Neo4j could not execute a statement it accepted
        ├── Neo4jServerError   the managed server cannot be fetched, started or stopped
        └── CypherRejected     a researcher's query is not allowed here, or cannot run

Library exceptions are wrapped with ``raise ... from e`` at the layer that meets them; the
Neo4j driver's are translated in one place, :func:`graph.connection.driver_errors`, by
their status codes. The API turns this tree into HTTP answers in one place too
(:mod:`api.problems`).
"""

from __future__ import annotations

from pathlib import Path


class PolicyKGError(Exception):
    """Root of every error the project raises on purpose."""


class LoaderError(PolicyKGError):
    """The corpus or a vocabulary cannot be read or parsed.

    Args:
        message: what is wrong.
        path: the file it concerns, if any.
        line: the 1-based line in that file, if known.
    """

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path) + (f":{self.line}" if self.line is not None else "")
            where += ": "
        return where + self.message


class CorpusFileError(LoaderError):
    """A corpus file is missing, empty, or not valid UTF-8."""


class ManifestError(LoaderError):
    """The corpus manifest is malformed or names a file that does not exist."""


class StructureError(LoaderError):
    """A document's numbering is missing, duplicated, or out of place."""


class VocabularyError(LoaderError):
    """A curated vocabulary file (agencies, technologies, regions, programmes) is malformed."""


class AlignmentError(PolicyKGError):
    """An alignment cannot be computed: unknown document, bad configuration."""


class OntologyError(PolicyKGError):
    """Records cannot become RDF, or the RDF graph does not conform to the shapes."""


class NotFound(PolicyKGError):
    """The requested object does not exist (the API answers 404).

    Args:
        what: the kind of object asked for (``measure``, ``agency`` …).
        ident: the id that names nothing of that kind.
    """

    def __init__(self, what: str, ident: str):
        self.what = what
        self.ident = ident
        super().__init__(f"no {what} with id {ident!r}")


class Overloaded(PolicyKGError):
    """A bounded resource (the researchers' Cypher slots …) is full; the same request may
    succeed later. The API answers 429 with ``Retry-After``.

    Args:
        message: what is full, in words.
        retry_after_s: when to try again, in whole seconds.
    """

    def __init__(self, message: str, *, retry_after_s: int):
        self.retry_after_s = retry_after_s
        super().__init__(message)


class GraphStoreError(PolicyKGError):
    """Neo4j fails a request, or the managed server cannot be run.

    Args:
        message: what failed, in words.
        code: Neo4j's status code (``Neo.ClientError.Statement.SyntaxError`` …) when the
            failure came from the server.
    """

    def __init__(self, message: str, *, code: str | None = None):
        self.code = code
        super().__init__(message)


class Neo4jUnavailable(GraphStoreError):
    """The Neo4j server cannot be reached; the API answers 503 and retries later."""


class Neo4jBusy(GraphStoreError):
    """A transient failure (no free connection in time, memory pool full, a deadlock):
    the same request may succeed later; the API answers 503 with Retry-After."""


class QueryTimeout(GraphStoreError):
    """A query ran longer than its time limit and the server stopped it."""


class QueryRefused(GraphStoreError):
    """Neo4j refused a statement as the client's error: invalid Cypher, a type or
    argument error, a write in a read transaction, an unknown procedure …"""


class QueryFailed(GraphStoreError):
    """Neo4j accepted a statement but could not execute it (``Neo.DatabaseError.Statement.*``:
    a shortest path between a node and itself, say)."""


class Neo4jServerError(GraphStoreError):
    """The managed Neo4j server cannot be fetched, configured, started or stopped."""


class CypherRejected(GraphStoreError):
    """A researcher's Cypher query writes, reaches outside the graph, or runs too long.

    Args:
        message: why the query was refused, in words a researcher can act on.
        reason: a short machine-readable code (``write``, ``procedure``, ``timeout`` …).
    """

    def __init__(self, message: str, *, reason: str, code: str | None = None):
        self.reason = reason
        super().__init__(message, code=code)
