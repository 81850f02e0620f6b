"""The API's error responses, declared once: each status a route can answer with, and what
it means. Routes list theirs with :func:`errors`; the OpenAPI customisation
(:func:`document_problems`) gives every declared error the problem-details schema."""

from __future__ import annotations

from typing import Any

from api import schemas

Responses = dict[int | str, dict[str, Any]]

ERRORS: dict[int, str] = {
    400: "Not valid Cypher, or a parameter Neo4j cannot take (problem details)",
    403: "The query writes, reaches outside the graph, or sets planner options (problem details)",
    404: "Unknown id (problem details)",
    413: "The request body is larger than the limit (problem details)",
    422: "Invalid parameter or body, or JSON that is not strict (NaN, Infinity); for Cypher, "
    "a query refused by a limit or stopped at one: time, memory, complexity (problem details)",
    429: "All slots for this kind of request are taken (problem details, with Retry-After)",
    500: "Internal error (problem details)",
    503: "Neo4j unreachable or busy (problem details, with Retry-After)",
}
#: What any route may answer, declared or not.
ALWAYS = (413, 422, 500)


def errors(*codes: int) -> Responses:
    """The ``responses=`` of a route that can fail with these statuses."""
    return {code: {"description": ERRORS[code]} for code in codes}


def document_problems(spec: dict[str, Any]) -> dict[str, Any]:
    """Give every error response the routes declared (and the ones any route may give) the
    problem-details schema, in place; the generated validation-error schemas go."""
    components = spec.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = schemas.Problem.model_json_schema()
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in spec["paths"].values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code in ALWAYS:
                responses.setdefault(str(code), {"description": ERRORS[code]})
            for code, response in responses.items():
                if code.isdigit() and int(code) >= 400:
                    response["content"] = problem
    return spec
