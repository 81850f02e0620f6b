"""The API's routes, one module per resource, each an ``APIRouter`` joined in
:func:`api.main.create_app`."""

from fastapi import APIRouter

from api.routes import (
    agencies,
    clauses,
    concepts,
    cypher,
    documents,
    export,
    health,
    instruments,
    items,
    links,
    mappings,
    search,
    series,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    documents.router,
    items.router,
    clauses.router,
    instruments.router,
    links.router,
    series.router,
    agencies.router,
    concepts.router,
    mappings.router,
    search.router,
    cypher.router,
    export.router,
)
