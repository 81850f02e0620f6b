"""Answers precomputed at load: each item's detail and its links both ways, as JSON bodies
(each under its kind, and again under any kind for the ``/items/…`` routes).

The graph changes only when it is loaded, so the answers that cost many reads each (an
item's detail gathers its parts, agencies, concepts and clauses with their links) are worked
out once, inside the load's own transaction (:data:`graph.store.Derive`), by the same
statements (:mod:`api.queries`) and the same shaping (:mod:`api.repository`) the API would
use, and kept beside the graph under a key. A read is then one indexed lookup of the key,
answered with the stored bytes as they are: no shaping, no validation, no encoding.

The bodies are what FastAPI itself makes of the models (:func:`render`), byte for byte; a
graph loaded without them (or a key not there, an unknown id) is answered the ordinary way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import neo4j
from pydantic import BaseModel
from starlette.responses import Response

from api import queries, schemas
from api.repository import Repository, item_detail

#: The statements that shape every item at once: ``queries.ITEM`` and ``queries.links`` over
#: ``$ids``, and for the links which end of each row is the item asked about.
ITEMS = queries.each_item(queries.ITEM)
LINKS = {
    "successors": ("source", queries.each_item(queries.links(queries.SUCCESSORS))),
    "predecessors": ("target", queries.each_item(queries.links(queries.PREDECESSORS))),
}
#: Items shaped per statement (bounds what one statement returns).
BATCH = 200


#: The kind under which every item is also kept, for the routes taking an item of any kind.
ANY_KIND = "item"


def detail_key(kind: str | None, ident: str) -> str:
    """The key of an item's detail (``detail/measure/gd2021-m12``; ``kind`` None: any kind)."""
    return f"detail/{kind or ANY_KIND}/{ident}"


def links_key(name: str, kind: str | None, ident: str) -> str:
    """The key of an item's links in one direction (``successors/measure/gd2021-m12``)."""
    return f"{name}/{kind or ANY_KIND}/{ident}"


def render(model: BaseModel) -> str:
    """``model`` as the JSON FastAPI answers for it (``JSONResponse``: compact, UTF-8)."""
    return json.dumps(
        model.model_dump(mode="json", by_alias=True),
        ensure_ascii=False,
        allow_nan=False,
        indent=None,
        separators=(",", ":"),
    )


class Body(Response):
    """A stored answer, sent as it is."""

    media_type = "application/json"


def _batches(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def derive(tx: neo4j.Transaction) -> Iterator[tuple[str, str]]:
    """Every item's detail and links, read in the load transaction ``tx`` (see
    :data:`graph.store.Derive`)."""
    kinds = {r["id"]: r["kind"] for r in tx.run(queries.ITEM_KINDS)}
    for batch in _batches(list(kinds)):
        for r in list(tx.run(ITEMS, ids=batch, kind=None)):
            item, body = r["item"], render(item_detail(r))
            yield detail_key(item["kind"], item["id"]), body
            yield detail_key(None, item["id"]), body
        for name, (end, statement) in LINKS.items():
            rows: dict[str, list[dict[str, Any]]] = {i: [] for i in batch}
            for r in list(tx.run(statement, ids=batch, min_score=0.0, accepted_only=False)):
                rows[r["row"][end]["id"]].append(r["row"])
            for ident, found in rows.items():
                body = render(Repository.mappings_of(found))
                yield links_key(name, kinds[ident], ident), body
                yield links_key(name, None, ident), body


def filtered(body: str, min_score: float, accepted_only: bool) -> str:
    """The stored links ``body`` with only those at ``min_score`` or above (and accepted)."""
    page = schemas.Mappings.model_validate_json(body)
    data = [m for m in page.data if m.score >= min_score and (m.accepted or not accepted_only)]
    return render(schemas.Mappings(data=data, count=len(data)))
