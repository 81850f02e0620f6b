"""Records become RDF: the corpus, the vocabularies and the alignments as one rdflib graph.

IRIs are derived from the loaders' ids under one configurable base, never from run order, so
the same input always gives the same graph. No blank nodes are used: every resource has an
IRI, which keeps the graph comparable by plain set equality and loadable into Neo4j.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, SKOS

from align.records import RELATION_PREDICATES, Alignment, ClauseLink
from core.errors import OntologyError
from loaders.lexicon import Lexicon
from loaders.normalise import OPENCC_PROFILE
from loaders.records import (
    Clause,
    Corpus,
    Document,
    Item,
    Mention,
    Responsibility,
)
from loaders.vocabulary import Vocabularies
from ontology.agency_changes import change_events, series_nodes
from ontology.files import ontology_graph
from ontology.iris import Iris, add_span, hans, lang, unresolved_slug
from ontology.namespaces import ELI, PKG, PREFIXES, ROLE_CONCEPT, ROLE_DIRECT, SEMAPV, SSSOM

PLACE_CLASS = {
    "country": PKG.AdministrativeArea,
    "province": PKG.AdministrativeArea,
    "special-administrative-region": PKG.AdministrativeArea,
    "prefecture-level-city": PKG.AdministrativeArea,
    "district": PKG.AdministrativeArea,
    "county": PKG.AdministrativeArea,
    "zone": PKG.Zone,
    "region": PKG.Region,
    "river-basin": PKG.RiverBasin,
}
MAPPING_TOOL = "policykg-align"


@dataclass(frozen=True)
class BuildParameters:
    """What a build records about itself in the load activity.

    ``time`` is the load's time: taken from the inputs (``SOURCE_DATE_EPOCH`` or the newest
    input file), not the clock, so rebuilding unchanged inputs gives byte-identical files.
    """

    iri_base: str
    software_version: str
    input_digest: str
    time: dt.datetime


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def build_graph(
    corpus: Corpus,
    lexicon: Lexicon,
    alignments: Sequence[Alignment],
    params: BuildParameters,
) -> Graph:
    """The whole instance graph: documents, items, agencies, vocabularies, load, alignments.

    Raises:
        OntologyError: a record refers to something that does not exist (an alignment to an
            unknown item, a document's jurisdiction missing from the gazetteer).
    """
    iris = Iris(params.iri_base)
    g = new_graph()
    g.bind("id", iris.base)
    vocab = lexicon.vocab
    _concept_schemes(g)
    _vocabularies(g, iris, vocab)
    change_events(g, iris, vocab)
    series_nodes(g, iris, corpus)
    load = iris.load(params.input_digest)
    _load_activity(g, iris, load, corpus, params)
    places = {p.id for p in vocab.places}
    items: set[str] = set()
    for document in corpus.documents:
        for jurisdiction in document.relevant_for:
            if jurisdiction not in places:
                raise OntologyError(
                    f"document {document.key!r} is relevant for {jurisdiction!r}, "
                    "which the gazetteer does not know"
                )
        _document(g, iris, load, document)
        items.update(i.id for i in document.items)
    for alignment in alignments:
        _alignment(g, iris, alignment, items)
    return g


def _labels(
    g: Graph,
    node: URIRef,
    hans: str,
    hant: str,
    en: str,
    alt: Iterable[str],
    alt_hant: Iterable[str],
) -> None:
    g.add((node, SKOS.prefLabel, Literal(hans, lang="zh-Hans")))
    g.add((node, SKOS.prefLabel, Literal(hant, lang="zh-Hant")))
    g.add((node, SKOS.prefLabel, Literal(en, lang="en")))
    for a in alt:
        if a != hans:
            g.add((node, SKOS.altLabel, Literal(a, lang="zh-Hans")))
    for a in alt_hant:
        if a != hant:
            g.add((node, SKOS.altLabel, Literal(a, lang="zh-Hant")))


def _concept_schemes(g: Graph) -> None:
    """Copy the ontology's own concept schemes (roles, kinds of agency) into the data.

    Responsibilities and agencies point at these concepts; carrying them makes the instance
    graph self-contained (a Neo4j user sees the role's labels, not a bare IRI).
    """
    ontology = ontology_graph()
    schemes = set(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    members = {
        c
        for c in ontology.subjects(SKOS.inScheme, None)
        if ontology.value(c, SKOS.inScheme) in schemes
    }
    for node in sorted(schemes | members, key=str):
        for p, o in ontology.predicate_objects(node):
            g.add((node, p, o))


def _vocabularies(g: Graph, iris: Iris, vocab: Vocabularies) -> None:
    for a in vocab.agencies:
        node = iris.agency(a.id)
        g.add((node, RDF.type, PKG.Agency))
        g.add((node, ELI.id_local, Literal(a.id)))
        g.add((node, PKG.resolved, Literal(True)))
        _labels(g, node, a.name, a.name_hant, a.en, a.aliases, a.aliases_hant)
        for former in a.former_names:
            g.add((node, PKG.formerName, hans(former)))
        if a.parent:
            g.add((node, ORG.subOrganizationOf, iris.agency(a.parent)))
        g.add((node, ORG.classification, PKG[f"kind-{a.kind}"]))

    technologies = iris.scheme("technologies")
    g.add((technologies, RDF.type, SKOS.ConceptScheme))
    g.add((technologies, SKOS.prefLabel, Literal("technologies", lang="en")))
    g.add((technologies, SKOS.prefLabel, hans("技术")))
    for c in vocab.concepts:
        node = iris.technology(c.id)
        g.add((node, RDF.type, PKG.Technology))
        g.add((node, ELI.id_local, Literal(c.id)))
        g.add((node, SKOS.inScheme, technologies))
        _labels(g, node, c.pref, c.pref_hant, c.en, c.alt, c.alt_hant)
        for b in c.broader:
            g.add((node, SKOS.broader, iris.technology(b)))
        if not c.broader:
            g.add((node, SKOS.topConceptOf, technologies))

    programmes = iris.scheme("programmes")
    g.add((programmes, RDF.type, SKOS.ConceptScheme))
    g.add((programmes, SKOS.prefLabel, Literal("programmes and platforms", lang="en")))
    g.add((programmes, SKOS.prefLabel, hans("工作品牌与平台")))
    for p in vocab.programmes:
        node = iris.programme(p.id)
        g.add((node, RDF.type, PKG.Programme))
        g.add((node, ELI.id_local, Literal(p.id)))
        g.add((node, SKOS.inScheme, programmes))
        g.add((node, SKOS.topConceptOf, programmes))
        g.add((node, PKG.programmeKind, Literal(p.kind)))
        _labels(g, node, p.name, p.name_hant, p.en, p.alt, p.alt_hant)

    for pl in vocab.places:
        node = iris.place(pl.id)
        g.add((node, RDF.type, PKG.Place))
        g.add((node, RDF.type, PLACE_CLASS[pl.kind]))
        g.add((node, ELI.id_local, Literal(pl.id)))
        g.add((node, PKG.placeKind, Literal(pl.kind)))
        _labels(g, node, pl.name, pl.name_hant, pl.en, pl.alt, pl.alt_hant)
        if pl.code:
            g.add((node, PKG.divisionCode, Literal(pl.code)))
        for container in [pl.parent, *pl.within]:
            if container:
                g.add((node, PKG.within, iris.place(container)))


def _load_activity(
    g: Graph, iris: Iris, load: URIRef, corpus: Corpus, params: BuildParameters
) -> None:
    g.add((load, RDF.type, PKG.LoadActivity))
    g.add((load, PROV.startedAtTime, Literal(params.time, datatype=XSD.dateTime)))
    g.add((load, PROV.endedAtTime, Literal(params.time, datatype=XSD.dateTime)))
    g.add((load, PKG.softwareVersion, Literal(params.software_version)))
    g.add((load, PKG.openccProfile, Literal(OPENCC_PROFILE)))
    g.add((load, PKG.inputDigest, Literal(params.input_digest)))
    for document in corpus.documents:
        g.add((load, PROV.used, iris.source(document.key)))
    for repair in corpus.report.repairs:
        node = iris.repair(params.input_digest, repair)
        g.add((node, RDF.type, PKG.Repair))
        g.add((load, PKG.reported, node))
        g.add((node, PKG.inSource, iris.source(repair.document)))
        g.add((node, PKG.repairKind, Literal(repair.kind)))
        g.add((node, PKG.offset, Literal(repair.offset)))
        g.add((node, PKG.sourceLine, Literal(repair.line)))
        g.add((node, PKG.before, Literal(repair.before)))
        g.add((node, PKG.after, Literal(repair.after)))
    seen: dict[tuple[str, str, int], int] = {}
    for warning in corpus.report.warnings:
        key = (warning.document, warning.code, warning.line or 0)
        seen[key] = seen.get(key, 0) + 1
        node = iris.warning(params.input_digest, warning, seen[key])
        g.add((node, RDF.type, PKG.LoadWarning))
        g.add((load, PKG.reported, node))
        g.add((node, PKG.inSource, iris.source(warning.document)))
        g.add((node, PKG.warningCode, Literal(warning.code)))
        g.add((node, PKG.message, Literal(warning.message)))
        if warning.line is not None:
            g.add((node, PKG.sourceLine, Literal(warning.line)))


def _document(g: Graph, iris: Iris, load: URIRef, d: Document) -> None:
    node = iris.document(d.key)
    source = iris.source(d.key)
    g.add((source, RDF.type, PKG.SourceFile))
    g.add((source, PKG.fileName, Literal(d.file)))
    g.add((source, PKG.sha256, Literal(d.sha256)))
    g.add((source, PKG.characters, Literal(d.characters)))

    g.add((node, RDF.type, PKG.PolicyDocument))
    g.add((node, ELI.id_local, Literal(d.key)))
    g.add((node, ELI.title, hans(d.title)))
    g.add((node, PKG.titleSimplified, hans(d.title_simplified)))
    if d.number:
        g.add((node, ELI.number, Literal(d.number)))
    g.add((node, ELI.date_document, Literal(d.date, datatype=XSD.date)))
    doc_type = iris.document_type(d.type)
    g.add((doc_type, RDF.type, SKOS.Concept))
    g.add((doc_type, SKOS.prefLabel, Literal(d.type, lang="en")))
    g.add((node, ELI.type_document, doc_type))
    if d.issuer_agency is None:
        issuer_node = _unresolved_agency(g, iris, d.issuer, d.issuer, d.script)
    else:
        issuer_node = iris.agency(d.issuer_agency)
    g.add((node, ELI.passed_by, issuer_node))
    for jurisdiction in d.relevant_for:
        g.add((node, ELI.relevant_for, iris.place(jurisdiction)))
    if d.preamble:
        g.add((node, PKG.preamble, lang(d.preamble, d.script)))
    if d.note:
        g.add((node, PKG.note, Literal(d.note)))
    g.add((node, PROV.wasDerivedFrom, source))
    g.add((node, PROV.wasGeneratedBy, load))

    for part in d.parts:
        p = iris.part(part.id)
        g.add((p, RDF.type, PKG.Part))
        g.add((p, ELI.id_local, Literal(part.id)))
        g.add((p, ELI.number, Literal(_number_as_written(part.marker))))
        g.add((p, PKG.ordinal, Literal(part.number)))
        g.add((p, ELI.title, lang(part.title, d.script)))
        g.add((p, PKG.titleSimplified, hans(part.title_simplified)))
        if part.text:
            g.add((p, PKG.originalText, lang(part.text, d.script)))
        g.add((p, ELI.is_part_of, node))
        add_span(g, p, part.span)
    for group in d.groups:
        gr = iris.group(group.id)
        g.add((gr, RDF.type, PKG.Group))
        g.add((gr, ELI.id_local, Literal(group.id)))
        g.add((gr, ELI.number, Literal(_number_as_written(group.marker))))
        g.add((gr, PKG.ordinal, Literal(group.number)))
        g.add((gr, ELI.title, lang(group.title, d.script)))
        g.add((gr, PKG.titleSimplified, hans(group.title_simplified)))
        g.add((gr, ELI.is_part_of, iris.part(group.part)))
        g.add((gr, ELI.is_part_of, node))
        add_span(g, gr, group.span)
    for item in d.items:
        _item(g, iris, node, source, item, d.script)


def _number_as_written(marker: str) -> str:
    """``（三十七）`` → ``三十七``; ``5.`` → ``5``; ``二、`` → ``二``."""
    return marker.strip("()（）、.．。 ")


def _item(g: Graph, iris: Iris, doc: URIRef, source: URIRef, item: Item, script: str) -> None:
    node = iris.item(item.id)
    g.add((node, RDF.type, PKG.Item))
    g.add((node, RDF.type, PKG.Measure if item.kind == "measure" else PKG.Task))
    g.add((node, ELI.id_local, Literal(item.id)))
    g.add((node, ELI.number, Literal(_number_as_written(item.marker))))
    g.add((node, PKG.ordinal, Literal(item.number)))
    g.add((node, PKG.documentId, Literal(item.document)))
    g.add((node, PKG.itemKind, Literal(item.kind)))
    g.add((node, ELI.title, lang(item.title, script)))
    g.add((node, PKG.titleSimplified, hans(item.title_simplified)))
    g.add((node, PKG.originalText, lang(item.text, script)))
    g.add((node, PKG.textSimplified, hans(item.text_simplified)))
    g.add((node, ELI.is_part_of, doc))
    g.add((node, ELI.is_part_of, iris.part(item.part)))
    if item.group:
        g.add((node, ELI.is_part_of, iris.group(item.group)))
    g.add((node, PROV.wasDerivedFrom, source))
    add_span(g, node, item.span)
    if item.kind == "task":
        g.add((node, PKG.openEnded, Literal(item.open_ended)))
    if item.responsibility_clause:
        g.add((node, PKG.responsibilityClause, lang(item.responsibility_clause, script)))
    for r in item.responsibilities:
        _responsibility(g, iris, node, item, r, script)
    for clause in item.clauses:
        _clause(g, iris, doc, node, source, clause, script)
    _mentions(g, iris, node, item.mentions)


def _clause(
    g: Graph, iris: Iris, doc: URIRef, item: URIRef, source: URIRef, clause: Clause, script: str
) -> None:
    node = iris.clause(clause.id)
    g.add((node, RDF.type, PKG.Clause))
    g.add((node, ELI.id_local, Literal(clause.id)))
    g.add((node, PKG.ordinal, Literal(clause.number)))
    g.add((node, ELI.is_part_of, item))
    g.add((node, ELI.is_part_of, doc))
    g.add((node, PKG.originalText, lang(clause.text, script)))
    g.add((node, PKG.textSimplified, hans(clause.text_simplified)))
    g.add((node, PROV.wasDerivedFrom, source))
    add_span(g, node, clause.span)
    _mentions(g, iris, node, clause.mentions)


def _mentions(g: Graph, iris: Iris, node: URIRef, mentions: Iterable[Mention]) -> None:
    for m in mentions:
        if m.kind == "place":
            g.add((node, DCTERMS.spatial, iris.place(m.ref)))
        elif m.kind == "technology":
            g.add((node, PKG.mentions, iris.technology(m.ref)))
        elif m.kind == "programme":
            g.add((node, PKG.mentions, iris.programme(m.ref)))
        else:
            g.add((node, PKG.mentions, iris.agency(m.ref)))


def _unresolved_agency(
    g: Graph, iris: Iris, name: str, surface: str, script: str, generic: bool = False
) -> URIRef:
    """A party the registry does not know: unresolved, or a generic body (相关地市政府) typed
    as a collective one."""
    slug = (
        unresolved_slug(name).replace("unresolved-", "generic-")
        if generic
        else (unresolved_slug(name))
    )
    node = iris.agency(slug)
    g.add((node, RDF.type, PKG.Agency))
    g.add((node, ELI.id_local, Literal(slug)))
    g.add((node, PKG.resolved, Literal(generic)))
    if generic:
        g.add((node, PKG.generic, Literal(True)))
        g.add((node, ORG.classification, PKG["kind-collective"]))
    g.add((node, SKOS.prefLabel, hans(name)))
    if script != "zh-Hans" and surface != name:
        g.add((node, SKOS.altLabel, lang(surface, script)))
    return node


def _responsibility(
    g: Graph, iris: Iris, task: URIRef, item: Item, r: Responsibility, script: str
) -> None:
    if r.agency is None:
        agency = _unresolved_agency(g, iris, r.name, r.surface, script, r.generic)
    else:
        agency = iris.agency(r.agency)
    node = iris.responsibility(item.id, r.role, iris.slug_of(agency))
    g.add((node, RDF.type, PKG.Responsibility))
    g.add((task, PROV.qualifiedAssociation, node))
    g.add((node, PROV.agent, agency))
    g.add((node, PROV.hadRole, ROLE_CONCEPT[r.role]))
    g.add((node, PKG.surfaceForm, lang(r.surface, script)))
    add_span(g, node, r.span)
    if r.inherited_from:
        g.add((node, PKG.inheritedFrom, iris.item(r.inherited_from)))
    g.add((task, PROV.wasAssociatedWith, agency))
    g.add((agency, ROLE_DIRECT[r.role], task))


def _alignment(g: Graph, iris: Iris, alignment: Alignment, items: set[str]) -> None:
    for link in alignment.links:
        for end in (link.source, link.target):
            if end not in items:
                raise OntologyError(f"alignment link refers to unknown item {end!r}")
        node = iris.alignment(link.source, link.target)
        source, target = iris.item(link.source), iris.item(link.target)
        g.add((node, RDF.type, PKG.Alignment))
        g.add((node, OWL.annotatedSource, source))
        g.add((node, OWL.annotatedProperty, PKG.continuedBy))
        g.add((node, OWL.annotatedTarget, target))
        g.add((node, SSSOM.confidence, Literal(round(link.score, 6), datatype=XSD.double)))
        g.add((node, PKG.rank, Literal(link.rank)))
        g.add((node, PKG.accepted, Literal(link.accepted)))
        g.add((node, SSSOM.mapping_justification, SEMAPV.CompositeMatching))
        g.add((node, SSSOM.mapping_tool, Literal(MAPPING_TOOL)))
        g.add((node, SSSOM.mapping_tool_version, Literal(alignment.method_version)))
        evidence = json.dumps(
            link.evidence.model_dump(mode="json"),
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        g.add((node, PKG.evidence, Literal(evidence, datatype=RDF.JSON)))
        if link.share is not None:
            g.add((node, PKG.share, Literal(round(link.share, 6), datatype=XSD.double)))
        if link.accepted:
            g.add((source, PKG.continuedBy, target))
        if link.accepted and link.relation is not None:
            prefix, _, local = RELATION_PREDICATES[link.relation].partition(":")
            predicate = URIRef(PREFIXES[prefix] + local)
            g.add((node, PKG.succession, PKG[link.relation]))
            g.add((node, PKG.mappingPredicate, predicate))
            g.add((source, predicate, target))
    for clause_link in alignment.clause_links:
        _clause_alignment(g, iris, alignment, clause_link)
    _coverage(g, iris, alignment)


def _clause_alignment(g: Graph, iris: Iris, alignment: Alignment, link: ClauseLink) -> None:
    node = iris.clause_alignment(link.source.id, link.target.id)
    source, target = iris.clause(link.source.id), iris.clause(link.target.id)
    g.add((node, RDF.type, PKG.ClauseAlignment))
    g.add((node, OWL.annotatedSource, source))
    g.add((node, OWL.annotatedProperty, PKG.continuedIn))
    g.add((node, OWL.annotatedTarget, target))
    g.add((node, SSSOM.confidence, Literal(round(link.score, 6), datatype=XSD.double)))
    g.add((node, PKG.accepted, Literal(link.accepted)))
    g.add((node, SSSOM.mapping_justification, SEMAPV.CompositeMatching))
    g.add((node, SSSOM.mapping_tool, Literal(MAPPING_TOOL)))
    g.add((node, SSSOM.mapping_tool_version, Literal(alignment.method_version)))
    signals = json.dumps(link.signals, sort_keys=True, separators=(",", ":"))
    g.add((node, PKG.signals, Literal(signals, datatype=RDF.JSON)))
    if link.accepted:
        g.add((source, PKG.continuedIn, target))


def _coverage(g: Graph, iris: Iris, alignment: Alignment) -> None:
    node = iris.coverage(alignment.source, alignment.target)
    g.add((node, RDF.type, PKG.Coverage))
    g.add((node, PKG.sourceDocument, iris.document(alignment.source)))
    g.add((node, PKG.targetDocument, iris.document(alignment.target)))
    for entry in alignment.coverage.dropped:
        g.add((node, PKG.dropped, iris.item(entry.item)))
    for entry in alignment.coverage.new:
        g.add((node, PKG.new, iris.item(entry.item)))
    for verdict in alignment.coverage.not_continued:
        g.add((node, PKG.notContinued, iris.clause(verdict.clause.id)))
