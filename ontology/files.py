"""Where the ontology's own files are, and reading them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from core.errors import OntologyError

HERE = Path(__file__).resolve().parent
ONTOLOGY_FILE = HERE / "policykg.ttl"
SHAPES_FILE = HERE / "shapes.ttl"
CONTEXT_FILE = HERE / "context.jsonld"


def _parse(path: Path) -> Graph:
    g = Graph(bind_namespaces="none")
    try:
        g.parse(path, format="turtle")
    except Exception as e:  # rdflib raises parser-specific exception types
        raise OntologyError(f"{path}: cannot be parsed as Turtle: {e}") from e
    return g


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology (OWL, Turtle), parsed once per process."""
    return _parse(ONTOLOGY_FILE)


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The SHACL shapes for the instance data, parsed once per process."""
    return _parse(SHAPES_FILE)
