"""Policy content in the RDF graph: deliverables, targets, citations, instruments; SHACL."""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from loaders.records import Corpus
from ontology.namespaces import ELI, PKG
from ontology.validate import validate

CLAUSE = "https://w3id.org/policykg/clause/"


def test_every_record_of_content_is_in_the_graph(corpus: Corpus, graph: Graph) -> None:
    clauses = [c for i in corpus.items() for c in i.clauses]
    for kind, prop, cls in (
        ("deliverables", PKG.promises, PKG.Deliverable),
        ("targets", PKG.sets, PKG.Target),
        ("instruments", PKG.usesInstrument, PKG.InstrumentUse),
    ):
        expected = sum(len(getattr(c, kind)) for c in clauses)
        assert expected > 0, kind
        assert len(set(graph.subject_objects(prop))) == expected, kind
        assert len(set(graph.subjects(RDF.type, cls))) == expected, kind


def test_a_deliverable_carries_its_kind_verb_name_and_span(corpus: Corpus, graph: Graph) -> None:
    clause = next(c for i in corpus.items() for c in i.clauses if c.deliverables)
    d = clause.deliverables[0]
    node = graph.value(URIRef(CLAUSE + clause.id), PKG.promises)
    assert graph.value(node, PKG.documentKind) == Literal(d.kind)
    assert graph.value(node, PKG.issuingVerb) == Literal(d.verb)
    assert graph.value(node, PKG.titleSimplified) == Literal(d.name, lang="zh-Hans")
    assert graph.value(node, PKG.spanStart) == Literal(d.span.start)


def test_a_citation_the_corpus_does_not_hold_is_an_external_document(
    corpus: Corpus, graph: Graph
) -> None:
    cited = [(c, x) for i in corpus.items() for c in i.clauses for x in c.citations]
    assert cited
    for clause, citation in cited:
        targets = set(graph.objects(URIRef(CLAUSE + clause.id), PKG.cites))
        assert len(targets) >= 1
        titles = {graph.value(t, PKG.titleSimplified) for t in targets}
        assert Literal(citation.title_simplified, lang="zh-Hans") in titles
        for t in targets:
            assert (t, RDF.type, PKG.PolicyDocument) in graph
            assert graph.value(t, PKG.external) == Literal(True)
            assert graph.value(t, ELI.id_local) is not None


def test_each_instrument_use_points_to_a_tool_under_its_type(graph: Graph) -> None:
    uses = set(graph.subjects(RDF.type, PKG.InstrumentUse))
    for use in uses:
        tool = graph.value(use, PKG.tool)
        kind = graph.value(tool, SKOS.broader)
        assert graph.value(kind, SKOS.notation) == graph.value(use, PKG.instrumentType)
        assert graph.value(tool, SKOS.notation) == graph.value(use, PKG.instrumentTool)


def test_shapes_refuse_a_target_without_a_unit_and_an_uncoded_instrument(graph: Graph) -> None:
    broken = Graph()
    for t in graph:
        broken.add(t)
    target = next(iter(graph.subjects(RDF.type, PKG.Target)))
    broken.remove((target, PKG.unit, None))
    use = next(iter(graph.subjects(RDF.type, PKG.InstrumentUse)))
    broken.remove((use, PKG.tool, None))
    report = validate(broken)
    assert not report.conforms
    messages = {v.message for v in report.violations}
    assert "A target has one unit." in messages
    assert "An instrument use names one sub-tool of the codebook." in messages
