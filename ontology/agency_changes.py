"""Time in the graph: reorganisations as W3C ORG change events (with each body's names
from its predecessors), and the series documents form.

``org:ChangeEvent`` with ``org:originalOrganization`` / ``org:resultingOrganization``, the day
(``pkg:changeDate``), the kind of change, what it is known from (``pkg:citation``) and how
exact the day is (``pkg:note``); each body points at the event that ended it
(``org:changedBy``) and the one that began it (``org:resultedFrom``). A resulting body also
carries its predecessors' names as ``pkg:formerName`` (曾用名).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import RDF, XSD, Graph, Literal
from rdflib.namespace import ORG, SKOS

from loaders.agency_time import AgencyTimeline
from loaders.records import Corpus
from loaders.vocabulary import Vocabularies, agency_names
from ontology.namespaces import ELI, PKG

if TYPE_CHECKING:
    from ontology.iris import Iris


def change_events(g: Graph, iris: Iris, vocab: Vocabularies) -> None:
    """Add every change event of the registry, and the former names it gives."""
    timeline = AgencyTimeline(vocab)
    for event in vocab.changes:
        node = iris.change(event.id)
        g.add((node, RDF.type, ORG.ChangeEvent))
        g.add((node, ELI.id_local, Literal(event.id)))
        g.add((node, SKOS.prefLabel, Literal(event.en, lang="en")))
        g.add((node, PKG.changeDate, Literal(event.date, datatype=XSD.date)))
        g.add((node, PKG.changeKind, Literal(event.kind)))
        g.add((node, PKG.citation, Literal(event.source)))
        if event.date_note:
            g.add((node, PKG.note, Literal(event.date_note)))
        for body in event.original:
            g.add((node, ORG.originalOrganization, iris.agency(body)))
            g.add((iris.agency(body), ORG.changedBy, node))
        for body in event.resulting:
            g.add((node, ORG.resultingOrganization, iris.agency(body)))
            g.add((iris.agency(body), ORG.resultedFrom, node))
    for agency in vocab.agencies:
        own = set(agency_names(agency))
        for body in timeline.lineage(agency.id):
            if body == agency.id or body not in _before(timeline, agency.id):
                continue
            predecessor = vocab.agency(body)
            for name in dict.fromkeys([predecessor.name, *predecessor.aliases]):
                if name not in own:
                    g.add((iris.agency(agency.id), PKG.formerName, Literal(name, lang="zh-Hans")))


def _before(timeline: AgencyTimeline, agency: str) -> list[str]:
    line = timeline.lineage(agency)
    return line[: line.index(agency)]


def series_nodes(g: Graph, iris: Iris, corpus: Corpus) -> None:
    """Each series of the manifest, and every document's place in it (``pkg:inSeries``,
    ``pkg:seriesPosition`` from 1)."""
    for series in corpus.series:
        node = iris.series(series.key)
        g.add((node, RDF.type, PKG.Series))
        g.add((node, ELI.id_local, Literal(series.key)))
        g.add((node, SKOS.prefLabel, Literal(series.title, lang="zh-Hans")))
        for position, key in enumerate(series.documents, start=1):
            g.add((iris.document(key), PKG.inSeries, node))
            g.add((iris.document(key), PKG.seriesPosition, Literal(position)))
