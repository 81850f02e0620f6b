"""RDF ↔ property graph: the naming rules, and the graph as rows for Neo4j and back.

Pure functions: an rdflib graph becomes node rows (grouped by label set) and relationship
rows (grouped by type), and rows become an rdflib graph again, through a
:class:`GraphMapping` derived from the data and the naming rules in ``graph/names.toml``.
Because every literal property records its predicate, language and datatype, the round trip
is lossless: exporting what was loaded gives an isomorphic graph.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef

from ontology.namespaces import PREFIXES
from policykg.errors import GraphStoreError

NAMES_FILE = Path(__file__).resolve().parent / "names.toml"
RESOURCE = "Resource"
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# Datatypes Neo4j stores natively; any other typed literal is stored as its lexical form.
NATIVE = {str(XSD.integer), str(XSD.double), str(XSD.boolean), str(XSD.date), str(XSD.dateTime)}


@dataclass(frozen=True)
class PropertyKey:
    """What a node property key stands for: a predicate, with a language or a datatype."""

    predicate: str
    lang: str | None = None
    datatype: str | None = None
    is_list: bool = False


@dataclass(frozen=True)
class GraphMapping:
    """Names for every class, object property and literal property the data uses."""

    labels: dict[str, str]  # class IRI → label
    relationships: dict[str, str]  # predicate IRI → relationship type
    properties: dict[str, PropertyKey]  # property key → meaning
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))

    def to_json(self) -> str:
        data = {
            "prefixes": self.prefixes,
            "labels": dict(sorted(self.labels.items())),
            "relationships": dict(sorted(self.relationships.items())),
            "properties": {k: asdict(v) for k, v in sorted(self.properties.items())},
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> GraphMapping:
        data = json.loads(text)
        return cls(
            labels=data["labels"],
            relationships=data["relationships"],
            properties={k: PropertyKey(**v) for k, v in data["properties"].items()},
            prefixes=data["prefixes"],
        )

    def label_classes(self) -> dict[str, str]:
        return {label: iri for iri, label in self.labels.items()}

    def relationship_predicates(self) -> dict[str, str]:
        return {name: iri for iri, name in self.relationships.items()}


@lru_cache(maxsize=1)
def _overrides() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    raw = tomllib.loads(NAMES_FILE.read_text(encoding="utf-8"))
    return (
        dict(raw.get("relationships", {})),
        dict(raw.get("properties", {})),
        dict(raw.get("fixed_language", {})),
    )


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def upper_snake(name: str) -> str:
    """``continuedBy`` → ``CONTINUED_BY``; ``is_part_of`` → ``IS_PART_OF``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"[^A-Za-z0-9]+", "_", spaced).strip("_").upper()


def _identifier(name: str, iri: str) -> str:
    if not IDENTIFIER.match(name):
        raise GraphStoreError(f"{iri} gives the name {name!r}, which is not a plain identifier")
    return name


def _lang_key(name: str, lang: str) -> str:
    return f"{name}_{re.sub(r'[^A-Za-z0-9]+', '_', lang)}"


def derive_mapping(graph: Graph) -> GraphMapping:
    """Name every term the graph uses, by the rules and overrides of ``graph/names.toml``.

    Raises:
        GraphStoreError: a blank node (every resource needs an IRI), a name that is not a
            plain identifier, or two terms that would get the same name.
    """
    rel_overrides, prop_overrides, fixed_language = _overrides()
    labels: dict[str, str] = {}
    relationships: dict[str, str] = {}
    properties: dict[str, PropertyKey] = {}
    counts: dict[tuple[str, str], int] = defaultdict(int)

    for s, p, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            raise GraphStoreError(f"blank node in triple ({s}, {p}, {o}): give it an IRI")
        if p == RDF.type:
            if not isinstance(o, URIRef):
                raise GraphStoreError(f"rdf:type of {s} is a literal")
            labels.setdefault(str(o), _identifier(local_name(str(o)), str(o)))
        elif isinstance(o, URIRef):
            relationships.setdefault(
                str(p),
                _identifier(rel_overrides.get(str(p)) or upper_snake(local_name(str(p))), str(p)),
            )
        else:
            assert isinstance(o, Literal)
            name = prop_overrides.get(str(p)) or local_name(str(p))
            if o.language:
                fixed = fixed_language.get(str(p)) == o.language
                key = name if fixed else _lang_key(name, o.language)
                meaning = PropertyKey(predicate=str(p), lang=o.language)
            else:
                key = name
                datatype = str(o.datatype) if o.datatype and o.datatype != XSD.string else None
                meaning = PropertyKey(predicate=str(p), datatype=datatype)
            key = _identifier(key, str(p))
            known = properties.get(key)
            if known is not None and (known.predicate, known.lang, known.datatype) != (
                meaning.predicate, meaning.lang, meaning.datatype,
            ):  # fmt: skip
                raise GraphStoreError(
                    f"property key {key!r} would stand for both {known} and {meaning}"
                )
            properties[key] = meaning
            counts[(str(s), key)] += 1

    multi = {key for (_, key), n in counts.items() if n > 1}
    properties = {
        k: PropertyKey(v.predicate, v.lang, v.datatype, is_list=k in multi)
        for k, v in properties.items()
    }
    _check_unique(labels, "label")
    _check_unique(relationships, "relationship type")
    if RESOURCE in labels.values():
        raise GraphStoreError(f"a class is named {RESOURCE!r}, which every node already has")
    if "uri" in properties:
        raise GraphStoreError("a property is named 'uri', which holds every node's IRI")
    return GraphMapping(labels=labels, relationships=relationships, properties=properties)


def _check_unique(names: Mapping[str, str], what: str) -> None:
    seen: dict[str, str] = {}
    for iri, name in sorted(names.items()):
        if name in seen:
            raise GraphStoreError(f"{seen[name]} and {iri} would both be {what} {name!r}")
        seen[name] = iri


def _to_neo4j(o: Literal, meaning: PropertyKey) -> Any:
    if meaning.lang is not None or meaning.datatype is None:
        return str(o)
    if meaning.datatype in NATIVE:
        value = o.toPython()
        if isinstance(value, Literal):  # rdflib could not parse the lexical form
            raise GraphStoreError(f"literal {o!r} is not a valid {meaning.datatype}")
        return value
    return str(o)


@dataclass
class Rows:
    """The graph as rows: nodes grouped by label set, relationships grouped by type."""

    nodes: dict[tuple[str, ...], list[dict[str, Any]]]
    relationships: dict[str, list[dict[str, str]]]

    def node_count(self) -> int:
        return sum(len(v) for v in self.nodes.values())

    def relationship_count(self) -> int:
        return sum(len(v) for v in self.relationships.values())


def to_rows(graph: Graph, mapping: GraphMapping) -> Rows:
    """Nodes (``{"uri": …, "props": {…}}``) by label set and relationships by type."""
    key_of: dict[tuple[str, str | None, str | None], str] = {
        (m.predicate, m.lang, m.datatype): k for k, m in mapping.properties.items()
    }
    types: dict[URIRef, set[str]] = defaultdict(set)
    props: dict[URIRef, dict[str, Any]] = defaultdict(dict)
    rels: dict[str, list[dict[str, str]]] = defaultdict(list)
    subjects: set[URIRef] = set()
    objects: set[URIRef] = set()
    for s, p, o in graph:
        assert isinstance(s, URIRef)
        subjects.add(s)
        if p == RDF.type:
            types[s].add(mapping.labels[str(o)])
        elif isinstance(o, URIRef):
            objects.add(o)
            rels[mapping.relationships[str(p)]].append({"s": str(s), "o": str(o)})
        else:
            assert isinstance(o, Literal)
            datatype = str(o.datatype) if o.datatype and o.datatype != XSD.string else None
            key = key_of[(str(p), o.language, None if o.language else datatype)]
            meaning = mapping.properties[key]
            value = _to_neo4j(o, meaning)
            if meaning.is_list:
                props[s].setdefault(key, []).append(value)
            else:
                props[s][key] = value
    nodes: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for node in sorted(subjects | objects, key=str):
        node_props = props.get(node, {})
        for value in node_props.values():
            if isinstance(value, list):
                value.sort(key=lambda v: (str(type(v)), v))
        labels = tuple(sorted(types.get(node, ())))
        nodes[labels].append({"uri": str(node), "props": node_props})
    for rows in rels.values():
        rows.sort(key=lambda r: (r["s"], r["o"]))
    return Rows(nodes=dict(nodes), relationships=dict(rels))


def _from_neo4j(value: Any, meaning: PropertyKey) -> Literal:
    if meaning.lang is not None:
        return Literal(value, lang=meaning.lang)
    if meaning.datatype is None:
        return Literal(value)
    if meaning.datatype in NATIVE:
        native = value.to_native() if hasattr(value, "to_native") else value
        if meaning.datatype == str(XSD.date) and isinstance(native, dt.datetime):
            native = native.date()
        return Literal(native, datatype=URIRef(meaning.datatype))
    return Literal(value, datatype=URIRef(meaning.datatype))


def from_rows(
    nodes: Iterable[tuple[str, Iterable[str], Mapping[str, Any]]],
    relationships: Iterable[tuple[str, str, str]],
    mapping: GraphMapping,
) -> Graph:
    """Rebuild the RDF graph from ``(uri, labels, properties)`` and ``(s, type, o)`` rows."""
    classes = mapping.label_classes()
    predicates = mapping.relationship_predicates()
    g = Graph(bind_namespaces="none")
    for prefix, ns in mapping.prefixes.items():
        g.bind(prefix, ns)
    for uri, labels, properties in nodes:
        s = URIRef(uri)
        for label in labels:
            if label != RESOURCE:
                g.add((s, RDF.type, URIRef(classes[label])))
        for key, value in properties.items():
            if key == "uri":
                continue
            meaning = mapping.properties.get(key)
            if meaning is None:
                raise GraphStoreError(f"node {uri} has property {key!r}, unknown to the mapping")
            for v in value if isinstance(value, list) else [value]:
                g.add((s, URIRef(meaning.predicate), _from_neo4j(v, meaning)))
    for s_uri, rel_type, o_uri in relationships:
        g.add((URIRef(s_uri), URIRef(predicates[rel_type]), URIRef(o_uri)))
    return g
