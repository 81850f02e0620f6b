"""Instance IRIs and the literals every part of the graph is written with.

IRIs are derived from the loaders' ids under one configurable base, never from run order.
"""

from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, URIRef

from loaders.records import LoadWarning, Repair, Role, Span
from ontology.namespaces import PKG


class Iris:
    """Every instance IRI, derived from ids under one base (default ``https://w3id.org/policykg/``)."""

    def __init__(self, base: str):
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(parts))

    def document(self, key: str) -> URIRef:
        return self._iri("doc", key)

    def source(self, key: str) -> URIRef:
        return self._iri("source", key)

    def document_type(self, kind: str) -> URIRef:
        return self._iri("document-type", kind)

    def part(self, part_id: str) -> URIRef:
        return self._iri("part", part_id)

    def group(self, group_id: str) -> URIRef:
        return self._iri("group", group_id)

    def item(self, item_id: str) -> URIRef:
        return self._iri("item", item_id)

    def clause(self, clause_id: str) -> URIRef:
        return self._iri("clause", clause_id)

    def agency(self, slug: str) -> URIRef:
        return self._iri("agency", slug)

    def technology(self, slug: str) -> URIRef:
        return self._iri("technology", slug)

    def programme(self, slug: str) -> URIRef:
        return self._iri("programme", slug)

    def place(self, slug: str) -> URIRef:
        return self._iri("place", slug)

    def scheme(self, name: str) -> URIRef:
        return self._iri("scheme", name)

    def responsibility(self, item_id: str, role: Role, agency_slug: str) -> URIRef:
        return self._iri("item", item_id, "responsibility", f"{role.value}-{agency_slug}")

    def alignment(self, source: str, target: str) -> URIRef:
        return self._iri("alignment", source, target)

    def clause_alignment(self, source: str, target: str) -> URIRef:
        return self._iri("clause-alignment", source, target)

    def coverage(self, source: str, target: str) -> URIRef:
        return self._iri("coverage", source, target)

    def load(self, digest: str) -> URIRef:
        return self._iri("load", digest[:16])

    def repair(self, digest: str, repair: Repair) -> URIRef:
        return self._iri("load", digest[:16], "repair", f"{repair.document}-{repair.offset}")

    def warning(self, digest: str, warning: LoadWarning, n: int) -> URIRef:
        line = warning.line or 0
        return self._iri(
            "load", digest[:16], "warning", f"{warning.document}-{warning.code}-{line}-{n}"
        )

    def series(self, key: str) -> URIRef:
        return self._iri("series", key)

    def change(self, slug: str) -> URIRef:
        return self._iri("change", slug)

    def slug_of(self, iri: URIRef) -> str:
        """The id an instance IRI was built from (``…/item/gd2021-m12`` → ``gd2021-m12``)."""
        return str(iri).rsplit("/", 1)[-1]


def unresolved_slug(name: str) -> str:
    """A stable slug for an agency name the registry does not know."""
    return "unresolved-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def lang(text: str, script: str) -> Literal:
    """``text`` tagged with its script (``zh-Hans`` or ``zh-Hant``)."""
    return Literal(text, lang=script)


def hans(text: str) -> Literal:
    """``text`` tagged ``zh-Hans``."""
    return Literal(text, lang="zh-Hans")


def add_span(g: Graph, node: URIRef, span: Span) -> None:
    """Where ``node`` sits in its original file: start, end (exclusive) and line."""
    g.add((node, PKG.spanStart, Literal(span.start)))
    g.add((node, PKG.spanEnd, Literal(span.end)))
    g.add((node, PKG.sourceLine, Literal(span.line)))
