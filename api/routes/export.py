"""``/ontology`` and ``/export``: the ontology, and the whole graph as loaded in Neo4j."""

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import RepoDep, SettingsDep
from api.responses import Responses, errors
from graph.store import export_graph_async
from ontology.files import ONTOLOGY_FILE
from ontology.serialise import to_csv, to_jsonld, to_turtle

router = APIRouter(tags=["export"])

MEDIA_TYPES = {"turtle": "text/turtle", "jsonld": "application/ld+json", "csv": "text/csv"}
EXPORT_TYPES: Responses = {200: {"content": {media: {} for media in MEDIA_TYPES.values()}}}
ONTOLOGY_TYPES: Responses = {
    200: {
        "content": {
            "text/turtle": {"example": "@prefix pkg: <https://w3id.org/policykg/ontology#> ."}
        }
    }
}


@router.get("/ontology", response_class=Response, responses=ONTOLOGY_TYPES)
async def ontology() -> Response:
    """The ontology (OWL, Turtle)."""
    return Response(ONTOLOGY_FILE.read_text(encoding="utf-8"), media_type="text/turtle")


@router.get("/export", response_class=Response, responses=EXPORT_TYPES | errors(503))
async def export(
    repo: RepoDep,
    settings: SettingsDep,
    format: Annotated[Literal["turtle", "jsonld", "csv"], Query(examples=["turtle"])] = "turtle",
) -> Response:
    """The whole graph as loaded in Neo4j: Turtle, JSON-LD, or CSV triples
    (subject, predicate, object, datatype, language)."""
    graph = await export_graph_async(repo.driver, repo.database)
    if format == "turtle":
        text = await asyncio.to_thread(to_turtle, graph)
    elif format == "jsonld":
        text = await asyncio.to_thread(to_jsonld, graph, settings.iri_base)
    else:
        text = await asyncio.to_thread(to_csv, graph)
    return Response(text, media_type=MEDIA_TYPES[format])
