"""A faster ``derive_mapping`` + ``to_rows``, as a proposal for :mod:`graph.mapping`.

The load benchmark shows that at 500,000 triples a third of ``graph.store.load_graph``'s time
goes into building rows in Python, before Neo4j sees anything. Three things make it slow:

1. ``derive_mapping`` names a predicate again for *every* triple. ``relationships.setdefault(
   str(p), _identifier(... upper_snake(local_name(str(p))) ...))`` evaluates its default
   (three regular expressions) even when the key exists. Likewise every literal runs
   ``local_name``, ``_lang_key`` and ``_identifier``.
2. ``p == RDF.type`` and ``o.datatype != XSD.string`` inside the loops go through rdflib's
   ``DefinedNamespace.__getattr__`` on every triple (about 620,000 calls per 250,000 triples).
3. The graph is iterated twice, once per function, and rdflib's memory store computes each
   triple's contexts on every iteration.

:func:`mapping_and_rows` does both jobs in one pass, names each (predicate, language,
datatype) once, and hoists the namespace lookups. On the benchmark graph it returns the
*same* mapping and rows, and ``python -m bench.rows_prototype`` checks that before timing
both. It is a proposal to move into ``graph/mapping.py`` and to call from
``graph.store.load_graph`` in place of ``derive_mapping`` + ``to_rows``. It lives here only
because the benchmark may not change project code.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef

from bench import measure
from graph.mapping import (
    RESOURCE,
    GraphMapping,
    PropertyKey,
    Rows,
    _check_unique,
    _identifier,
    _lang_key,
    _overrides,
    _to_neo4j,
    derive_mapping,
    local_name,
    to_rows,
    upper_snake,
)
from policykg.errors import GraphStoreError

RDF_TYPE = RDF.type
XSD_STRING = XSD.string


def mapping_and_rows(graph: Graph) -> tuple[GraphMapping, Rows]:
    """``derive_mapping(graph)`` and ``to_rows(graph, mapping)`` in one pass over the graph."""
    rel_overrides, prop_overrides, fixed_language = _overrides()
    labels: dict[str, str] = {}
    label_of: dict[URIRef, str] = {}
    relationship_of: dict[URIRef, str] = {}
    key_of: dict[tuple[URIRef, str | None, str | None], tuple[str, PropertyKey]] = {}
    properties: dict[str, PropertyKey] = {}
    types: dict[URIRef, set[str]] = defaultdict(set)
    values: dict[URIRef, dict[str, list[Any]]] = defaultdict(dict)
    rels: dict[str, list[dict[str, str]]] = defaultdict(list)
    nodes: set[URIRef] = set()
    for s, p, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            raise GraphStoreError(f"blank node in triple ({s}, {p}, {o}): give it an IRI")
        assert isinstance(s, URIRef)
        assert isinstance(p, URIRef)
        nodes.add(s)
        if p == RDF_TYPE:
            if not isinstance(o, URIRef):
                raise GraphStoreError(f"rdf:type of {s} is a literal")
            label = label_of.get(o)
            if label is None:
                label = labels.setdefault(str(o), _identifier(local_name(str(o)), str(o)))
                label_of[o] = label
            types[s].add(label)
        elif isinstance(o, URIRef):
            name = relationship_of.get(p)
            if name is None:
                iri = str(p)
                name = _identifier(rel_overrides.get(iri) or upper_snake(local_name(iri)), iri)
                relationship_of[p] = name
            nodes.add(o)
            rels[name].append({"s": str(s), "o": str(o)})
        else:
            assert isinstance(o, Literal)
            lang = o.language
            datatype = (
                str(o.datatype) if o.datatype and o.datatype != XSD_STRING and not lang else None
            )
            entry = key_of.get((p, lang, datatype))
            if entry is None:
                entry = _name_property(p, lang, datatype, prop_overrides, fixed_language)
                known = properties.get(entry[0])
                if known is not None and known != entry[1]:
                    raise GraphStoreError(
                        f"property key {entry[0]!r} would stand for both {known} and {entry[1]}"
                    )
                properties[entry[0]] = entry[1]
                key_of[(p, lang, datatype)] = entry
            key, meaning = entry
            values[s].setdefault(key, []).append(_to_neo4j(o, meaning))

    multi = {k for props in values.values() for k, v in props.items() if len(v) > 1}
    properties = {
        k: PropertyKey(v.predicate, v.lang, v.datatype, is_list=k in multi)
        for k, v in properties.items()
    }
    relationships = {str(p): name for p, name in relationship_of.items()}
    _check_unique(labels, "label")
    _check_unique(relationships, "relationship type")
    if RESOURCE in labels.values():
        raise GraphStoreError(f"a class is named {RESOURCE!r}, which every node already has")
    if "uri" in properties:
        raise GraphStoreError("a property is named 'uri', which holds every node's IRI")
    mapping = GraphMapping(labels=labels, relationships=relationships, properties=properties)

    grouped: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for node in sorted(nodes, key=str):
        props: dict[str, Any] = {}
        for key, found in values.get(node, {}).items():
            if key in multi:
                props[key] = sorted(found, key=lambda v: (str(type(v)), v))
            else:
                props[key] = found[0]
        grouped[tuple(sorted(types.get(node, ())))].append({"uri": str(node), "props": props})
    for rows in rels.values():
        rows.sort(key=lambda r: (r["s"], r["o"]))
    return mapping, Rows(nodes=dict(grouped), relationships=dict(rels))


def _name_property(
    p: URIRef,
    lang: str | None,
    datatype: str | None,
    prop_overrides: dict[str, str],
    fixed_language: dict[str, str],
) -> tuple[str, PropertyKey]:
    iri = str(p)
    name = prop_overrides.get(iri) or local_name(iri)
    if lang:
        key = name if fixed_language.get(iri) == lang else _lang_key(name, lang)
        return _identifier(key, iri), PropertyKey(predicate=iri, lang=lang)
    return _identifier(name, iri), PropertyKey(predicate=iri, datatype=datatype)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.rows_prototype",
        description="Check that mapping_and_rows equals derive_mapping + to_rows on a synthetic "
        "graph, then time both (alternating, median).",
    )
    parser.add_argument("--triples", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from bench.synthetic import synthetic_graph
    from policykg.pipeline import read_inputs
    from policykg.settings import Settings

    graph = synthetic_graph(read_inputs(Settings()), args.triples, report=print)
    mapping = derive_mapping(graph)
    rows = to_rows(graph, mapping)
    fast_mapping, fast_rows = mapping_and_rows(graph)
    same = (
        mapping == fast_mapping
        and rows.nodes == fast_rows.nodes
        and rows.relationships == fast_rows.relationships
    )
    print("same mapping and rows:", same)
    if not same:
        return 1
    current: list[float] = []
    proposed: list[float] = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        to_rows(graph, derive_mapping(graph))
        current.append(time.perf_counter() - started)
        started = time.perf_counter()
        mapping_and_rows(graph)
        proposed.append(time.perf_counter() - started)
    print(
        f"derive_mapping + to_rows: {measure.median(current):.1f} s; mapping_and_rows: "
        f"{measure.median(proposed):.1f} s; "
        f"{measure.median(current) / measure.median(proposed):.1f}× faster "
        f"({len(graph):,} triples, medians of {args.repeat})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
