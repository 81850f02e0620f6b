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
    └── GraphStoreError        Neo4j is unreachable, fails, or cannot be started
        ├── Neo4jUnavailable   the server cannot be reached (the API answers 503)
        ├── Neo4jServerError   the managed server cannot be fetched, started or stopped
        └── CypherRejected     a researcher's query writes or reaches outside the graph

Driver and library exceptions are wrapped with ``raise ... from e`` at the layer that
meets them.
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


class GraphStoreError(PolicyKGError):
    """Neo4j is unreachable, fails a query, or the managed server cannot be run."""


class Neo4jUnavailable(GraphStoreError):
    """The Neo4j server cannot be reached; the API answers 503 and retries later."""


class Neo4jServerError(GraphStoreError):
    """The managed Neo4j server cannot be fetched, configured, started or stopped."""


class CypherRejected(GraphStoreError):
    """A researcher's Cypher query writes, reaches outside the graph, or runs too long.

    Args:
        message: why the query was refused, in words a researcher can act on.
        reason: a short machine-readable code (``write``, ``procedure``, ``timeout`` …).
    """

    def __init__(self, message: str, *, reason: str):
        self.reason = reason
        super().__init__(message)
