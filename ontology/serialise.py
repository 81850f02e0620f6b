"""Deterministic Turtle, JSON-LD and CSV: the same graph always gives byte-identical files.

rdflib's Turtle writer sorts subjects and predicates; its JSON-LD writer follows the graph's
iteration order, which varies between processes, so the JSON-LD is put in a canonical order
(``@graph`` by ``@id``, every array sorted, keys sorted) before it is written.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal

from core.files import write_atomically
from ontology.files import CONTEXT_FILE


def published_context() -> dict[str, Any]:
    """The JSON-LD context the project publishes (``ontology/context.jsonld``)."""
    context: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    return context


def to_turtle(g: Graph) -> str:
    return g.serialize(format="turtle")


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def to_jsonld(g: Graph, base: str) -> str:
    """JSON-LD compacted with the published context (plus the instance base as ``id:``)."""
    context = dict(published_context())
    context["id"] = base
    raw = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True))
    body = {k: v for k, v in raw.items() if k != "@context"}
    nodes = body.get("@graph", [body] if body else [])
    document = {"@context": context, "@graph": _canonical(nodes)}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_graph(g: Graph, out_dir: Path, base: str, stem: str = "policykg") -> list[Path]:
    """Write ``<stem>.ttl``, ``<stem>.jsonld`` and the context into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ttl = out_dir / f"{stem}.ttl"
    jsonld = out_dir / f"{stem}.jsonld"
    context = out_dir / "context.jsonld"
    write_atomically(ttl, to_turtle(g))
    write_atomically(jsonld, to_jsonld(g, base))
    write_atomically(context, CONTEXT_FILE.read_text(encoding="utf-8"))
    return [ttl, jsonld, context]


def to_csv(g: Graph) -> str:
    """Every triple as a CSV row: subject, predicate, object, datatype, language (sorted)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["subject", "predicate", "object", "datatype", "language"])
    for s, p, o in sorted(g, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        if isinstance(o, Literal):
            writer.writerow([s, p, str(o), o.datatype or "", o.language or ""])
        else:
            writer.writerow([s, p, o, "", ""])
    return out.getvalue()
