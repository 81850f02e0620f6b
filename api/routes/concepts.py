"""``/technologies`` and ``/regions``: the concepts items name, in their hierarchies.

Both are served by the same two routes, made once per kind by :func:`concept_routes`.
"""

from typing import Annotated, Any

from fastapi import APIRouter

from api.deps import Limit, Offset, RepoDep, ident
from api.repository import REGIONS, TECHNOLOGIES, ConceptView
from api.responses import errors

router = APIRouter()


def concept_routes(
    view: ConceptView, plural: str, example: str, list_doc: str, detail_doc: str
) -> None:
    """Add ``GET /{plural}`` and ``GET /{plural}/{id}`` for the concepts of ``view``."""

    async def list_concepts(repo: RepoDep, limit: Limit = 50, offset: Offset = 0) -> Any:
        return await repo.concepts(view, limit, offset)

    async def get_concept(repo: RepoDep, id: Annotated[str, ident(example)]) -> Any:
        return await repo.concept(view, id)

    list_concepts.__doc__, get_concept.__doc__ = list_doc, detail_doc
    router.add_api_route(
        f"/{plural}", list_concepts, methods=["GET"], tags=[plural], response_model=view.page,
        responses=errors(503), name=plural,
    )  # fmt: skip
    router.add_api_route(
        f"/{plural}/{{id}}", get_concept, methods=["GET"], tags=[plural],
        response_model=view.detail, responses=errors(404, 503), name=view.what,
    )  # fmt: skip


concept_routes(
    TECHNOLOGIES, "technologies", "artificial-intelligence",
    "Technology concepts with how many items name each directly.",
    "One technology: broader and narrower concepts, and the items naming it or anything "
    "narrower.",
)  # fmt: skip
concept_routes(
    REGIONS, "regions", "guangzhou",
    "Places in the gazetteer with how many items name each directly.",
    "One place: what it lies within, the places inside it, and the items naming any of them.",
)  # fmt: skip
