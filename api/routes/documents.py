"""``/documents``: the policy documents and their outlines."""

from typing import Annotated

from fastapi import APIRouter

from api import schemas
from api.deps import RepoDep, ident
from api.responses import errors

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get("", response_model=schemas.Documents, responses=errors(503))
async def documents(repo: RepoDep) -> schemas.Documents:
    """The policy documents in the graph."""
    return await repo.documents()


@router.get("/{id}", response_model=schemas.DocumentDetail, responses=errors(404, 503))
async def document(repo: RepoDep, id: Annotated[str, ident("gd2021")]) -> schemas.DocumentDetail:
    """One document with its outline: parts, their groups, and the items of each."""
    return await repo.document(id)
