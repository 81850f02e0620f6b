"""``/measures`` and ``/tasks``: items of one kind, listed with filters, and one by one;
``/items/{id}``: one item of any kind.

Both kinds are served by the same two routes, made once per kind by :func:`item_routes`.
"""

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from api import schemas, shapes
from api.deps import Filter, Limit, Offset, RepoDep, ident
from api.responses import errors
from loaders.records import ItemKind, Role

router = APIRouter()


def item_routes(kind: ItemKind, plural: str, example: str) -> None:
    """Add ``GET /{plural}`` and ``GET /{plural}/{id}`` for items of ``kind``."""

    async def list_items(
        repo: RepoDep,
        doc: Filter = None,
        agency: Filter = None,
        role: Annotated[Role | None, Query()] = None,
        technology: Filter = None,
        region: Filter = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.Items:
        return await repo.items(
            kind=kind, doc=doc, agency=agency, role=role, technology=technology,
            region=region, limit=limit, offset=offset,
        )  # fmt: skip

    list_items.__doc__ = (
        f"List {plural}, filtered by document, agency (optionally in a role), technology "
        "(including narrower concepts) and region (including places inside it)."
    )
    router.add_api_route(
        f"/{plural}", list_items, methods=["GET"], tags=[plural], response_model=schemas.Items,
        responses=errors(503), name=f"list_{plural}",
    )  # fmt: skip

    async def get_item(
        repo: RepoDep, id: Annotated[str, ident(example)]
    ) -> schemas.ItemDetail | Response:
        body = await repo.shape(shapes.detail_key(kind, id))
        if body is not None:
            return shapes.Body(body)
        return await repo.item(id, kind)

    get_item.__doc__ = (
        f"One {kind}: number, title, original and Simplified text, part and group, agencies "
        "with roles, technologies, regions and programmes."
    )
    router.add_api_route(
        f"/{plural}/{{id}}", get_item, methods=["GET"], tags=[plural],
        response_model=schemas.ItemDetail, responses=errors(404, 503), name=f"get_{kind}",
    )  # fmt: skip


item_routes("measure", "measures", "gd2021-m12")
item_routes("task", "tasks", "gd2025-t05")


@router.get(
    "/items/{id}", tags=["items"], response_model=schemas.ItemDetail,
    responses=errors(404, 503), name="get_item",
)  # fmt: skip
async def get_any_item(
    repo: RepoDep, id: Annotated[str, ident("gd2025-t05")]
) -> schemas.ItemDetail | Response:
    """One item of any kind (a measure, a task of any year's plan), as ``/measures/{id}`` and
    ``/tasks/{id}`` show it."""
    body = await repo.shape(shapes.detail_key(None, id))
    if body is not None:
        return shapes.Body(body)
    return await repo.item(id, None)
