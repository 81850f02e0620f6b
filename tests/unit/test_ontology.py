"""The ontology, the RDF graph built from the records, SHACL validation and serialisation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, SKOS

from align.records import Alignment
from core.settings import Settings
from ontology.files import ONTOLOGY_FILE, ontology_graph
from ontology.namespaces import ELI, PKG
from ontology.serialise import to_jsonld, to_turtle
from ontology.validate import validate

ITEM = "https://w3id.org/policykg/item/"
DECLARED = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def declared_terms() -> set[URIRef]:
    g = ontology_graph()
    return {s for t in DECLARED for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)}


def test_ontology_parses_with_a_versioned_iri_and_bilingual_labels() -> None:
    g = Graph().parse(ONTOLOGY_FILE)
    onto = URIRef("https://w3id.org/policykg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in g
    assert str(g.value(onto, OWL.versionIRI)).endswith("/0.1.0")
    for cls in (PKG.Measure, PKG.Task, PKG.Agency, PKG.Technology, PKG.Place, PKG.Alignment):
        langs = {o.language for o in g.objects(cls, RDFS.label) if isinstance(o, Literal)}
        assert {"en", "zh-Hans"} <= langs, cls
        assert (cls, SKOS.definition, None) in g, cls


def test_reused_standard_terms_are_subclassed_not_reinvented() -> None:
    g = ontology_graph()
    assert (PKG.Measure, RDFS.subClassOf, PKG.Item) in g
    assert (PKG.Item, RDFS.subClassOf, ELI.LegalResourceSubdivision) in g
    assert (PKG.PolicyDocument, RDFS.subClassOf, ELI.LegalResource) in g
    assert (PKG.Agency, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Organization")) in g
    assert (PKG.Responsibility, RDFS.subClassOf, PROV.Association) in g
    assert (PKG.Technology, RDFS.subClassOf, SKOS.Concept) in g


def test_the_ontology_declares_every_class_and_property_the_data_uses(graph: Graph) -> None:
    declared = declared_terms()
    predicates = set(graph.predicates()) - {RDF.type}
    classes = {o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)}
    assert predicates - declared == set()
    assert classes - declared - {SKOS.ConceptScheme, SKOS.Concept} == set()


def test_every_pkg_term_in_the_python_namespace_is_in_the_ontology() -> None:
    g = ontology_graph()
    subjects = {s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(str(PKG._NS))}
    names = set(PKG.__annotations__) | set(PKG._extras)
    assert {PKG[n] for n in names} == subjects


def test_the_built_graph_conforms_to_the_shapes(graph: Graph) -> None:
    report = validate(graph)
    assert report.conforms, report.summary()


def test_a_broken_graph_is_rejected_with_a_readable_message(graph: Graph) -> None:
    broken = Graph()
    broken += graph
    task = URIRef(ITEM + "gd2025-t07")
    for association in list(broken.objects(task, PROV.qualifiedAssociation)):
        broken.remove((task, PROV.qualifiedAssociation, association))
    broken.remove((URIRef(ITEM + "gd2025-t05"), ELI.is_part_of, None))
    agency = next(broken.subjects(RDF.type, PKG.Agency))
    broken.remove((agency, PKG.resolved, None))
    broken.add((URIRef(ITEM + "gd2021-m01"), ELI.title, Literal("无语言标签的标题")))

    report = validate(broken)
    assert not report.conforms
    summary = report.summary()
    assert "A task names at least one responsible body" in summary
    assert "gd2025-t07" in summary
    assert "part of exactly one document" in summary
    assert "marked unresolved" in summary
    assert "language tag" in summary
    assert len(report.violations) >= 4


def test_items_link_to_document_source_and_span(graph: Graph) -> None:
    t05 = URIRef(ITEM + "gd2025-t05")
    assert (t05, ELI.is_part_of, URIRef("https://w3id.org/policykg/doc/gd2025")) in graph
    assert (t05, PROV.wasDerivedFrom, URIRef("https://w3id.org/policykg/source/gd2025")) in graph
    start, end = graph.value(t05, PKG.spanStart), graph.value(t05, PKG.spanEnd)
    assert isinstance(start, Literal) and isinstance(end, Literal)
    assert start.toPython() < end.toPython()
    original = graph.value(t05, PKG.originalText)
    assert isinstance(original, Literal) and original.language == "zh-Hant"
    simplified = graph.value(t05, PKG.textSimplified)
    assert isinstance(simplified, Literal) and simplified.language == "zh-Hans"


def test_responsibilities_are_qualified_and_direct(graph: Graph) -> None:
    task = URIRef(ITEM + "gd2025-t17")
    roles = {
        (graph.value(a, PROV.agent), graph.value(a, PROV.hadRole))
        for a in graph.objects(task, PROV.qualifiedAssociation)
    }
    pboc = URIRef("https://w3id.org/policykg/agency/")
    leads = [agent for agent, role in roles if role == PKG.lead]
    assert len(leads) == 1 and str(leads[0]).startswith(str(pboc))
    assert (leads[0], PKG.leads, task) in graph
    assert (task, PROV.wasAssociatedWith, leads[0]) in graph
    inherited = [
        a
        for a in graph.objects(task, PROV.qualifiedAssociation)
        if graph.value(a, PKG.inheritedFrom) == URIRef(ITEM + "gd2025-t01")
    ]
    assert len(inherited) == 1
    assert graph.value(inherited[0], PROV.hadRole) == PKG.implementing


def test_load_activity_carries_repairs_and_warnings(graph: Graph) -> None:
    loads = list(graph.subjects(RDF.type, PKG.LoadActivity))
    assert len(loads) == 1
    reported = set(graph.objects(loads[0], PKG.reported))
    kinds = {graph.value(r, RDF.type) for r in reported}
    assert kinds == {PKG.Repair, PKG.LoadWarning}
    assert sum(1 for r in reported if graph.value(r, RDF.type) == PKG.Repair) == 15
    gap = [r for r in reported if graph.value(r, PKG.warningCode) == Literal("numbering-gap")]
    assert len(gap) == 1


def test_accepted_alignments_are_direct_links_too(graph: Graph) -> None:
    alignments = list(graph.subjects(RDF.type, PKG.Alignment))
    assert alignments
    for a in alignments:
        source, target = graph.value(a, OWL.annotatedSource), graph.value(a, OWL.annotatedTarget)
        accepted = graph.value(a, PKG.accepted)
        assert isinstance(accepted, Literal)
        assert ((source, PKG.continuedBy, target) in graph) == accepted.toPython()
        evidence = graph.value(a, PKG.evidence)
        assert isinstance(evidence, Literal) and "contributions" in json.loads(str(evidence))


def test_iris_come_from_ids_under_a_configurable_base(inputs, alignments) -> None:  # type: ignore[no-untyped-def]
    from policykg.pipeline import build_graph

    other = build_graph(Settings(iri_base="https://example.org/kg/"), inputs, alignments)
    assert (URIRef("https://example.org/kg/item/gd2021-m12"), RDF.type, PKG.Measure) in other
    assert not list(other.subjects(RDF.type, URIRef(ITEM + "gd2021-m12")))


def test_turtle_and_jsonld_round_trip_to_an_isomorphic_graph(graph: Graph) -> None:
    turtle = Graph().parse(data=to_turtle(graph), format="turtle")
    assert isomorphic(turtle, graph)
    jsonld = Graph().parse(data=to_jsonld(graph, "https://w3id.org/policykg/"), format="json-ld")
    assert isomorphic(jsonld, graph)


def test_build_is_byte_identical_across_processes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "policykg", "build", "--out", str(out)],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0].keys() == {
        "policykg.ttl",
        "policykg.jsonld",
        "context.jsonld",
        "alignment-gd2021-gd2025.sssom.tsv",
        "neo4j-mapping.json",
    }
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("fmt", ["turtle", "json-ld"])
def test_written_files_parse(tmp_path: Path, graph: Graph, fmt: str) -> None:
    from ontology.serialise import write_graph

    files = write_graph(graph, tmp_path, "https://w3id.org/policykg/")
    path = next(p for p in files if p.suffix == (".ttl" if fmt == "turtle" else ".jsonld"))
    assert isomorphic(Graph().parse(path, format=fmt), graph)


CLAUSE = "https://w3id.org/policykg/clause/"


def test_clauses_are_subdivisions_of_their_item_with_text_and_span(graph: Graph) -> None:
    clause = URIRef(CLAUSE + "gd2021-m06-c04")
    assert (clause, RDF.type, PKG.Clause) in graph
    assert (clause, ELI.is_part_of, URIRef(ITEM + "gd2021-m06")) in graph
    assert (clause, ELI.is_part_of, URIRef("https://w3id.org/policykg/doc/gd2021")) in graph
    text = graph.value(clause, PKG.originalText)
    assert isinstance(text, Literal) and text.language == "zh-Hans"
    assert str(text).startswith("构建智慧化能源互联网")
    assert isinstance(graph.value(clause, PKG.spanStart), Literal)
    assert len(set(graph.subjects(RDF.type, PKG.Clause))) == 183 + 219
    task_clause = URIRef(CLAUSE + "gd2025-t03-c02")
    assert graph.value(task_clause, PKG.originalText).language == "zh-Hant"  # type: ignore[union-attr]


def test_clause_links_coverage_and_kinds_of_succession_are_in_the_graph(
    graph: Graph, alignments: list[Alignment]
) -> None:
    (alignment,) = alignments
    links = set(graph.subjects(RDF.type, PKG.ClauseAlignment))
    assert len(links) == len(alignment.clause_links)
    accepted = [c for c in alignment.clause_links if c.accepted]
    for c in accepted:
        assert (
            URIRef(CLAUSE + c.source.id),
            PKG.continuedIn,
            URIRef(CLAUSE + c.target.id),
        ) in graph
    coverage = URIRef("https://w3id.org/policykg/coverage/gd2021/gd2025")
    assert (coverage, RDF.type, PKG.Coverage) in graph
    not_continued = set(graph.objects(coverage, PKG.notContinued))
    assert not_continued == {URIRef(CLAUSE + v.clause.id) for v in alignment.coverage.not_continued}
    assert set(graph.objects(coverage, PKG.new)) == {
        URIRef(ITEM + e.item) for e in alignment.coverage.new
    }
    skos = {
        "continued": SKOS.closeMatch, "split": SKOS.narrowMatch, "merged": SKOS.broadMatch,
        "partial": SKOS.relatedMatch,
    }  # fmt: skip
    typed = [lk for lk in alignment.links if lk.accepted]
    assert typed
    for lk in typed:
        assert lk.relation is not None
        assert (URIRef(ITEM + lk.source), skos[lk.relation], URIRef(ITEM + lk.target)) in graph
        node = URIRef(f"https://w3id.org/policykg/alignment/{lk.source}/{lk.target}")
        assert graph.value(node, PKG.succession) == PKG[lk.relation]
