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

from core.errors import GraphStoreError
from ontology.namespaces import PREFIXES

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


def relationship_type(predicate: str) -> str:
    """The relationship type an object property becomes (``names.toml`` overrides first)."""
    overrides = _overrides()[0]
    return _identifier(overrides.get(predicate) or upper_snake(local_name(predicate)), predicate)


def _identifier(name: str, iri: str) -> str:
    if not IDENTIFIER.match(name):
        raise GraphStoreError(f"{iri} gives the name {name!r}, which is not a plain identifier")
    return name


def _lang_key(name: str, lang: str) -> str:
    return f"{name}_{re.sub(r'[^A-Za-z0-9]+', '_', lang)}"


def derive_mapping(graph: Graph) -> GraphMapping:
    """Name every term the graph uses (see :func:`mapping_and_rows`)."""
    return mapping_and_rows(graph)[0]


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


def _check_terms(s: object, p: object, o: object) -> None:
    """The slow path for a triple whose terms are not plain IRIs and literals."""
    if isinstance(s, BNode) or isinstance(o, BNode):
        raise GraphStoreError(f"blank node in triple ({s}, {p}, {o}): give it an IRI")
    if not isinstance(s, URIRef) or not isinstance(p, URIRef):
        raise GraphStoreError(f"triple ({s}, {p}, {o}) has a subject or predicate that is no IRI")
    if not isinstance(o, URIRef | Literal):
        raise GraphStoreError(f"triple ({s}, {p}, {o}) has an object that is no IRI or literal")


def mapping_and_rows(graph: Graph) -> tuple[GraphMapping, Rows]:
    """Name every term the graph uses, and turn the graph into rows, in one pass.

    Names follow the rules and overrides of ``graph/names.toml``; each (predicate, language,
    datatype) is named once. Nodes become ``{"uri": …, "props": {…}}`` rows grouped by label
    set, relationships ``{"s": …, "o": …}`` rows grouped by type, both in IRI order.

    Raises:
        GraphStoreError: a blank node (every resource needs an IRI), a name that is not a
            plain identifier, or two terms that would get the same name.
    """
    # The pass works on plain strings: rdflib's terms compare in Python (``Node.__eq__``)
    # and check their types through ``abc``, which cost more than the rest of the loop.
    _, prop_overrides, fixed_language = _overrides()
    rdf_type, xsd_string = str(RDF.type), str(XSD.string)
    labels: dict[str, str] = {}
    label_of: dict[str, str] = {}
    relationship_of: dict[str, str] = {}
    key_of: dict[tuple[str, str | None, str | None], tuple[str, PropertyKey]] = {}
    properties: dict[str, PropertyKey] = {}
    types: dict[str, set[str]] = defaultdict(set)
    values: dict[str, dict[str, list[Any]]] = defaultdict(dict)
    rels: dict[str, list[dict[str, str]]] = defaultdict(list)
    nodes: set[str] = set()
    for s, p, o in graph:
        to = type(o)
        if (
            type(s) is not URIRef
            or type(p) is not URIRef
            or (to is not URIRef and to is not Literal)
        ):
            _check_terms(s, p, o)
        su, pu = str(s), str(p)
        nodes.add(su)
        if pu == rdf_type:
            if not isinstance(o, URIRef):
                raise GraphStoreError(f"rdf:type of {s} is a literal")
            ou = str(o)
            label = label_of.get(ou)
            if label is None:
                label = labels.setdefault(ou, _identifier(local_name(ou), ou))
                label_of[ou] = label
            types[su].add(label)
        elif to is Literal or (to is not URIRef and isinstance(o, Literal)):
            assert isinstance(o, Literal)
            lang = o.language
            typed = o.datatype
            datatype = str(typed) if typed and not lang else None
            if datatype == xsd_string:
                datatype = None
            entry = key_of.get((pu, lang, datatype))
            if entry is None:
                entry = _name_property(pu, lang, datatype, prop_overrides, fixed_language)
                known = properties.get(entry[0])
                if known is not None and known != entry[1]:
                    raise GraphStoreError(
                        f"property key {entry[0]!r} would stand for both {known} and {entry[1]}"
                    )
                properties[entry[0]] = entry[1]
                key_of[(pu, lang, datatype)] = entry
            key, meaning = entry
            values[su].setdefault(key, []).append(_to_neo4j(o, meaning))
        else:
            name = relationship_of.get(pu)
            if name is None:
                name = relationship_of[pu] = relationship_type(pu)
            ou = str(o)
            nodes.add(ou)
            rels[name].append({"s": su, "o": ou})

    multi = {k for props in values.values() for k, v in props.items() if len(v) > 1}
    properties = {
        k: PropertyKey(v.predicate, v.lang, v.datatype, is_list=k in multi)
        for k, v in properties.items()
    }
    relationships = dict(relationship_of)
    _check_unique(labels, "label")
    _check_unique(relationships, "relationship type")
    if RESOURCE in labels.values():
        raise GraphStoreError(f"a class is named {RESOURCE!r}, which every node already has")
    if "uri" in properties:
        raise GraphStoreError("a property is named 'uri', which holds every node's IRI")
    mapping = GraphMapping(labels=labels, relationships=relationships, properties=properties)

    grouped: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for node in sorted(nodes):
        props: dict[str, Any] = {}
        for key, found in values.get(node, {}).items():
            if key in multi:
                props[key] = sorted(found, key=lambda v: (str(type(v)), v))
            else:
                props[key] = found[0]
        grouped[tuple(sorted(types.get(node, ())))].append({"uri": node, "props": props})
    for rows in rels.values():
        rows.sort(key=lambda r: (r["s"], r["o"]))
    return mapping, Rows(nodes=dict(grouped), relationships=dict(rels))


def _name_property(
    iri: str,
    lang: str | None,
    datatype: str | None,
    prop_overrides: dict[str, str],
    fixed_language: dict[str, str],
) -> tuple[str, PropertyKey]:
    name = prop_overrides.get(iri) or local_name(iri)
    if lang:
        key = name if fixed_language.get(iri) == lang else _lang_key(name, lang)
        return _identifier(key, iri), PropertyKey(predicate=iri, lang=lang)
    return _identifier(name, iri), PropertyKey(predicate=iri, datatype=datatype)


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
