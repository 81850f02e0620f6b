"""``/search``: full-text search over measures and tasks, in either script."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError

from api import schemas
from api.deps import Limit, Offset, RepoDep
from api.responses import errors

router = APIRouter(tags=["search"])


@router.get("/search", response_model=schemas.SearchResults, responses=errors(503))
async def search(
    repo: RepoDep,
    q: Annotated[str, Query(min_length=1, max_length=200, examples=["數據要素"])],
    limit: Limit = 20,
    offset: Offset = 0,
) -> schemas.SearchResults:
    """Full-text search over measures and tasks; Simplified and Traditional queries find the
    same items. Each hit has a snippet with the matches in <mark>."""
    if not q.strip():
        raise RequestValidationError(
            [{"loc": ("query", "q"), "msg": "the query is blank", "type": "value_error"}]
        )
    return await repo.search(q, limit, offset)
