"""SHACL validation of instance data, with a report a person can read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from ontology.files import ontology_graph, shapes_graph

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    """One failed constraint: which node, along which property, and why."""

    focus: str
    path: str | None
    message: str
    severity: str


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]

    def summary(self, limit: int = 5) -> str:
        """Violations grouped by message, with a few example nodes each."""
        if self.conforms:
            return "The data conforms to the shapes."
        by_message: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            by_message[v.message].append(v)
        lines = [f"{len(self.violations)} violation(s) of the SHACL shapes:"]
        for message, vs in sorted(by_message.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"- {message} ({len(vs)} node(s))")
            for v in vs[:limit]:
                path = f" via {v.path}" if v.path else ""
                lines.append(f"    {v.focus}{path}")
            if len(vs) > limit:
                lines.append(f"    … and {len(vs) - limit} more")
        return "\n".join(lines)


def validate(data: Graph) -> ValidationReport:
    """Check ``data`` together with the ontology against the shapes.

    The ontology is validated with the data: it supplies the class hierarchy that
    ``sh:targetClass`` follows (a pkg:Task is a pkg:Item), and its own concept schemes
    must pass the same shapes.
    """
    combined = Graph(bind_namespaces="none")
    for prefix, ns in data.namespaces():
        combined.bind(prefix, ns)
    combined += data
    combined += ontology_graph()
    conforms, report, _text = shacl_validate(
        combined,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=_short(data, focus),
                path=_short(data, path) if path is not None else None,
                message=str(message) if isinstance(message, Literal) else "constraint violated",
                severity=_short(data, severity),
            )
        )
    violations.sort(key=lambda v: (v.message, v.focus, v.path or ""))
    return ValidationReport(conforms=bool(conforms), violations=tuple(violations))


def _short(g: Graph, node: object) -> str:
    if isinstance(node, URIRef):
        try:
            return g.namespace_manager.normalizeUri(node)
        except Exception:  # normalizeUri refuses IRIs it cannot shorten safely
            return str(node)
    return str(node)
