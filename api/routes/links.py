"""``/measures/{id}/successors`` and ``/tasks/{id}/predecessors``: an item's candidate links,
both ways, from one route factory (:func:`link_route`)."""

from typing import Annotated

from fastapi import APIRouter
from starlette.responses import Response

from api import queries, schemas, shapes
from api.deps import MinScore, RepoDep, ident
from api.responses import errors
from loaders.records import ItemKind

router = APIRouter(tags=["mappings"])


def link_route(
    kind: ItemKind, plural: str, name: str, direction: queries.LinkDirection, example: str
) -> None:
    """Add ``GET /{plural}/{id}/{name}``: the item's links in ``direction``, best first."""

    async def item_links(
        repo: RepoDep,
        id: Annotated[str, ident(example)],
        min_score: MinScore = 0.0,
        accepted_only: bool = False,
    ) -> schemas.Mappings | Response:
        body = await repo.shape(shapes.links_key(name, kind, id))
        if body is not None:
            if min_score > 0 or accepted_only:
                body = shapes.filtered(body, min_score, accepted_only)
            return shapes.Body(body)
        await repo.require_item(id, kind)
        return await repo.links(id, direction, min_score, accepted_only)

    item_links.__doc__ = f"A {kind}'s candidate {name}, best first, with scores and evidence."
    router.add_api_route(
        f"/{plural}/{{id}}/{name}", item_links, methods=["GET"], response_model=schemas.Mappings,
        responses=errors(404, 503), name=name,
    )  # fmt: skip


link_route("measure", "measures", "successors", queries.SUCCESSORS, "gd2021-m07")
link_route("task", "tasks", "predecessors", queries.PREDECESSORS, "gd2025-t03")
