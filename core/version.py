"""The project's version: one place, read by the packaging, the ontology build and the API."""

__version__ = "0.1.0"
