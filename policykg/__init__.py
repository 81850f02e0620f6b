"""policykg: a knowledge graph of policy relationships — the top floor.

This package composes the layers below it (see :mod:`core` for the picture): the pipeline
(corpus → records → alignments → validated RDF → Neo4j) and the ``policykg`` command line.
Nothing below imports it.
"""

from core.version import __version__

__all__ = ["__version__"]
