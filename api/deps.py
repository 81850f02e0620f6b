"""What routes depend on: the repository, the researchers' Cypher service and the settings
of the running application, and the parameter types they share (ids, paging, filters)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi import Path as PathParam

from api.cypher import CypherService
from api.repository import Repository
from core.settings import Settings

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,99}$"


def _repository(request: Request) -> Repository:
    repo: Repository = request.app.state.repository
    return repo


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _cypher(request: Request) -> CypherService:
    service: CypherService = request.app.state.cypher
    return service


RepoDep = Annotated[Repository, Depends(_repository)]
SettingsDep = Annotated[Settings, Depends(_settings)]
CypherDep = Annotated[CypherService, Depends(_cypher)]

Limit = Annotated[int, Query(ge=1, le=500, description="page size", examples=[50])]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="items to skip", examples=[0])]
Filter = Annotated[str | None, Query(pattern=ID_PATTERN, max_length=100)]
MinScore = Annotated[float, Query(ge=0, le=1, description="lowest score to list")]


def ident(example: str) -> object:
    """A path parameter ``{id}``: a lowercase id such as ``gd2025-t05``."""
    return PathParam(pattern=ID_PATTERN, max_length=100, examples=[example])


def document_key(example: str) -> object:
    """A query parameter naming a document by its manifest key (``gd2021``)."""
    return Query(pattern=ID_PATTERN, max_length=100, examples=[example])
