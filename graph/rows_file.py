"""The graph as Neo4j rows in a file: what the build writes and what the load reads.

A load then needs neither rdflib nor the RDF graph: :func:`read_rows` gives back exactly
the :class:`~graph.mapping.GraphMapping` and :class:`~graph.mapping.Rows` that
:func:`~graph.mapping.mapping_and_rows` made from the graph, with every value of the same
Python type (dates and date-times are tagged, since JSON has neither). The file is written
with sorted keys, so the same graph always gives the same bytes.

Format (``format`` 1), one JSON object::

    {"format": 1, "triples": 9708, "mapping": {…GraphMapping.to_json…},
     "nodes": [[["Item", "Measure"], [{"uri": …, "props": {…}}, …]], …],
     "relationships": [["CONTINUED_BY", [[s, o], …]], …]}
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import GraphStoreError
from core.files import write_atomically
from graph.mapping import GraphMapping, Rows

FORMAT = 1
_DATE, _DATETIME = "$date", "$datetime"


@dataclass(frozen=True)
class RowsFile:
    """What a rows file holds: the names, the rows, and how many triples they came from."""

    mapping: GraphMapping
    rows: Rows
    triples: int


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # before date: a datetime is also a date
        return {_DATETIME: value.isoformat()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if _DATETIME in value:
            return dt.datetime.fromisoformat(value[_DATETIME])
        if _DATE in value:
            return dt.date.fromisoformat(value[_DATE])
        raise GraphStoreError(f"unknown tagged value in a rows file: {value!r}")
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def rows_json(mapping: GraphMapping, rows: Rows, triples: int) -> str:
    """The text of a rows file (deterministic: keys sorted, rows in the order given)."""
    data = {
        "format": FORMAT,
        "triples": triples,
        "mapping": json.loads(mapping.to_json()),
        "nodes": [
            [list(labels), [{"uri": r["uri"], "props": _encode_props(r["props"])} for r in group]]
            for labels, group in sorted(rows.nodes.items())
        ],
        "relationships": [
            [rel_type, [[r["s"], r["o"]] for r in group]]
            for rel_type, group in sorted(rows.relationships.items())
        ],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _encode_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: _encode(v) for k, v in props.items()}


def write_rows(path: Path, mapping: GraphMapping, rows: Rows, triples: int) -> None:
    """Write the rows file atomically."""
    write_atomically(path, rows_json(mapping, rows, triples))


def read_rows(path: Path) -> RowsFile:
    """Read a rows file back into the mapping and rows it was written from.

    Raises:
        GraphStoreError: the file is missing, not a rows file, or of another format.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise GraphStoreError(f"cannot read the graph's rows from {path}: {e}") from e
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise GraphStoreError(f"{path} is not a rows file of format {FORMAT}; rebuild it")
    nodes = {
        tuple(labels): [
            {"uri": r["uri"], "props": {k: _decode(v) for k, v in r["props"].items()}}
            for r in group
        ]
        for labels, group in data["nodes"]
    }
    relationships = {
        rel_type: [{"s": s, "o": o} for s, o in group] for rel_type, group in data["relationships"]
    }
    return RowsFile(
        mapping=GraphMapping.from_json(json.dumps(data["mapping"])),
        rows=Rows(nodes=nodes, relationships=relationships),
        triples=int(data["triples"]),
    )
