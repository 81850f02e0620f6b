"""An item's candidate links, both ways, from one route factory (:func:`link_route`).

``/items/{id}/successors`` and ``/items/{id}/predecessors`` take an item of any kind: in a
series, a yearly plan's task has predecessors in the plan before it and successors in the one
after. ``/measures/{id}/…`` and ``/tasks/{id}/…`` are the same reads, checking the kind.
"""

from typing import Annotated

from fastapi import APIRouter
from starlette.responses import Response

from api import queries, schemas, shapes
from api.deps import MinScore, RepoDep, ident
from api.responses import errors
from loaders.records import ItemKind

router = APIRouter(tags=["mappings"])


def link_route(
    kind: ItemKind | None, plural: str, name: str, direction: queries.LinkDirection, example: str
) -> None:
    """Add ``GET /{plural}/{id}/{name}``: the item's links in ``direction``, best first
    (``kind`` None: an item of any kind)."""

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

    where = "later" if name == "successors" else "earlier"
    item_links.__doc__ = (
        f"{'An item' if kind is None else f'A {kind}'}'s candidate {name}: items of the {where} "
        "documents it is aligned with (in a series, the next or previous one), best first, "
        "with scores and evidence."
    )
    router.add_api_route(
        f"/{plural}/{{id}}/{name}", item_links, methods=["GET"], response_model=schemas.Mappings,
        responses=errors(404, 503), name=f"{plural}_{name}",
    )  # fmt: skip


_ROUTES: tuple[tuple[ItemKind | None, str, str], ...] = (
    (None, "items", "gd2021-m07"),
    ("measure", "measures", "gd2021-m07"),
    ("task", "tasks", "gd2025-t03"),
)
for _kind, _plural, _example in _ROUTES:
    link_route(_kind, _plural, "successors", queries.SUCCESSORS, _example)
    link_route(_kind, _plural, "predecessors", queries.PREDECESSORS, _example)
