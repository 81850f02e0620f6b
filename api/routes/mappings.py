"""``/mappings`` and ``/coverage``: how one document's items map onto another's."""

from typing import Annotated

from fastapi import APIRouter

from api import schemas
from api.deps import Limit, MinScore, Offset, RepoDep, document_key
from api.responses import errors

router = APIRouter(tags=["mappings"])

Source = Annotated[str, document_key("gd2021")]
Target = Annotated[str, document_key("gd2025")]


@router.get("/mappings", response_model=schemas.Mappings, responses=errors(404, 503))
async def mappings(
    repo: RepoDep,
    source: Source = "gd2021",
    target: Target = "gd2025",
    min_score: MinScore = 0.0,
    accepted_only: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> schemas.Mappings:
    """Scored links from the source document's items to the target's, with evidence."""
    for key in (source, target):
        await repo.require_document(key)
    return await repo.mappings(source, target, min_score, accepted_only, limit, offset)


@router.get("/coverage", response_model=schemas.Coverage, responses=errors(404, 503))
async def coverage(
    repo: RepoDep, source: Source = "gd2021", target: Target = "gd2025"
) -> schemas.Coverage:
    """Source items with no accepted successor (dropped or absorbed) and target items with no
    accepted predecessor (new), each with its best candidate."""
    for key in (source, target):
        await repo.require_document(key)
    return await repo.coverage(source, target)
