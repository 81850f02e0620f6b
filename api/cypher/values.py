"""Driver values as JSON, and what they weigh as the response will send them."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Any

from neo4j.graph import Node, Path, Relationship


def to_json(value: Any) -> Any:
    """A driver value as JSON: nodes, relationships and paths as maps, times as ISO text."""
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": to_json(dict(value))}
    if isinstance(value, Relationship):
        return {
            "type": value.type,
            "start": value.start_node.get("uri") if value.start_node else None,
            "end": value.end_node.get("uri") if value.end_node else None,
            "properties": to_json(dict(value)),
        }
    if isinstance(value, Path):
        return {"nodes": [to_json(n) for n in value.nodes],
                "relationships": [to_json(r) for r in value.relationships]}  # fmt: skip
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, dt.date | dt.datetime | dt.time | dt.timedelta):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def encoded_size(value: Any) -> int:
    """Bytes of ``value`` (already :func:`to_json`) in the response's compact UTF-8 JSON."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return len(text.encode("utf-8"))
