"""Policy content becomes RDF: what each clause promises, sets, cites and which instruments it uses.

- ``clause pkg:promises deliverable``: a ``pkg:Deliverable`` with its kind (方案, 办法 …),
  issuing verb, name (``pkg:titleSimplified``) and span;
- ``clause pkg:sets target``: a ``pkg:Target`` with value, unit, comparator, what it measures,
  the year where stated, and span;
- ``clause pkg:cites document``: the corpus's ``pkg:PolicyDocument`` it names in 《…》, or an
  external one (``pkg:external true``, its title as cited) the corpus does not hold;
- ``clause pkg:usesInstrument use``: a ``pkg:InstrumentUse`` (its ordinal: 1 is the main one)
  with the cue and its span, ``pkg:tool`` → the codebook's sub-tool, a SKOS concept whose
  ``skos:broader`` is its Rothwell-Zegveld type (``pkg:instruments`` scheme).

IRIs hang below the clause's (``…/clause/gd2025-t03-c02/deliverable/1``), external documents
below ``…/doc/external-<digest of the title>``, so the same records give the same graph.
"""

from __future__ import annotations

import hashlib

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from loaders.instruments import Codebook
from loaders.normalise import normalise
from loaders.records import Clause, Corpus
from ontology.iris import Iris, add_span, hans, lang
from ontology.namespaces import ELI, PKG


def external_document_id(title: str) -> str:
    """A stable local id for a cited document the corpus does not hold."""
    key = "".join(normalise(title).split())
    return "external-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def instrument_iri(iris: Iris, code: str) -> URIRef:
    """The concept of an instrument type (``supply``) or sub-tool (``funding``)."""
    return URIRef(f"{iris.base}instrument/{code}")


def add_content(g: Graph, iris: Iris, corpus: Corpus, codebook: Codebook) -> None:
    """Add the codebook's concept scheme and every clause's content to ``g``."""
    _codebook(g, iris, codebook)
    for document in corpus.documents:
        for item in document.items:
            for clause in item.clauses:
                _clause_content(g, iris, clause, document.script)


def _codebook(g: Graph, iris: Iris, codebook: Codebook) -> None:
    scheme = iris.scheme("instruments")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("policy instruments (Rothwell-Zegveld)", lang="en")))
    g.add((scheme, SKOS.prefLabel, hans("政策工具（供给型、环境型、需求型）")))
    for t in codebook.type:
        node = instrument_iri(iris, t.id)
        g.add((node, RDF.type, PKG.InstrumentType))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.topConceptOf, scheme))
        g.add((node, SKOS.notation, Literal(t.id)))
        g.add((node, SKOS.prefLabel, hans(t.zh)))
        g.add((node, SKOS.prefLabel, Literal(t.id, lang="en")))
        g.add((node, SKOS.definition, Literal(t.definition, lang="en")))
    for tool in codebook.tool:
        node = instrument_iri(iris, tool.id)
        g.add((node, RDF.type, PKG.InstrumentTool))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.broader, instrument_iri(iris, tool.type)))
        g.add((node, SKOS.notation, Literal(tool.id)))
        g.add((node, SKOS.prefLabel, hans(tool.zh)))
        g.add((node, SKOS.prefLabel, Literal(tool.id, lang="en")))
        g.add((node, SKOS.definition, Literal(tool.definition, lang="en")))


def _clause_content(g: Graph, iris: Iris, clause: Clause, script: str) -> None:
    node = iris.clause(clause.id)
    for n, d in enumerate(clause.deliverables, start=1):
        x = URIRef(f"{node}/deliverable/{n}")
        g.add((x, RDF.type, PKG.Deliverable))
        g.add((node, PKG.promises, x))
        g.add((x, PKG.ordinal, Literal(n)))
        g.add((x, PKG.documentKind, Literal(d.kind)))
        g.add((x, PKG.issuingVerb, Literal(d.verb)))
        g.add((x, PKG.titleSimplified, hans(d.name)))
        add_span(g, x, d.span)
    for n, t in enumerate(clause.targets, start=1):
        x = URIRef(f"{node}/target/{n}")
        g.add((x, RDF.type, PKG.Target))
        g.add((node, PKG.sets, x))
        g.add((x, PKG.ordinal, Literal(n)))
        g.add((x, PKG.targetValue, Literal(t.value, datatype=XSD.double)))
        g.add((x, PKG.unit, Literal(t.unit)))
        g.add((x, PKG.comparator, Literal(t.comparator)))
        g.add((x, PKG.measuredObject, hans(t.object)))
        if t.year is not None:
            g.add((x, PKG.targetYear, Literal(t.year)))
        add_span(g, x, t.span)
    for c in clause.citations:
        if c.document is not None:
            g.add((node, PKG.cites, iris.document(c.document)))
            continue
        local = external_document_id(c.title_simplified)
        x = iris.document(local)
        g.add((x, RDF.type, PKG.PolicyDocument))
        g.add((x, ELI.id_local, Literal(local)))
        g.add((x, PKG.external, Literal(True)))
        g.add((x, ELI.title, lang(c.title, script)))
        g.add((x, PKG.titleSimplified, hans(c.title_simplified)))
        g.add((node, PKG.cites, x))
    for n, i in enumerate(clause.instruments, start=1):
        x = URIRef(f"{node}/instrument/{i.tool}")
        g.add((x, RDF.type, PKG.InstrumentUse))
        g.add((node, PKG.usesInstrument, x))
        g.add((x, PKG.ordinal, Literal(n)))
        g.add((x, PKG.tool, instrument_iri(iris, i.tool)))
        g.add((x, PKG.instrumentType, Literal(i.type)))
        g.add((x, PKG.instrumentTool, Literal(i.tool)))
        g.add((x, PKG.cue, hans(i.cue)))
        add_span(g, x, i.span)
