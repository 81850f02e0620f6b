"""Request bodies bounded and strict, and every error answered as problem details — on a
small application of the API's own middleware and handlers, without a database."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from api import problems
from api.limits import RequestLimits
from core.errors import Overloaded

LIMIT = 4096


def app() -> FastAPI:
    application = FastAPI()
    problems.install(application)
    application.add_middleware(RequestLimits, max_body_bytes=LIMIT)

    @application.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @application.post("/echo")
    async def echo(request: Request) -> dict[str, Any]:
        body: dict[str, Any] = await request.json()
        return body

    @application.get("/boom")
    async def boom() -> None:
        raise RuntimeError("a bug with /secret/path in its message")

    @application.get("/full")
    async def full() -> None:
        raise Overloaded("All 2 slots are taken.", retry_after_s=2)

    return application


def call(method: str, path: str, **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        # raise_app_exceptions=False: answer as a server would, after the app re-raises
        transport = httpx.ASGITransport(app=app(), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(go())


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def test_a_body_over_the_limit_is_413_even_on_a_get() -> None:
    response = call("GET", "/health", content=b"x" * (LIMIT + 1))
    body = assert_problem(response, 413)
    assert f"{LIMIT:,}" in body["detail"]


def test_a_streamed_body_is_read_only_until_it_passes_the_limit() -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(1000):
            sent += 1024
            yield b"x" * 1024

    response = call("POST", "/echo", content=chunks(), headers={"content-type": "text/plain"})
    assert_problem(response, 413)
    assert sent < 1000 * 1024  # it stopped reading long before the end


def test_a_body_within_the_limit_reaches_the_route_unchanged() -> None:
    payload = {"query": "RETURN 1", "parameters": {"name": "数据", "n": 1.5}}
    response = call("POST", "/echo", json=payload)
    assert response.status_code == 200
    assert response.json() == payload
    assert call("GET", "/health").json() == {"status": "ok"}


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_json_that_is_not_strict_is_422(number: str) -> None:
    response = call(
        "POST", "/echo", content=f'{{"x": {number}}}', headers={"content-type": "application/json"}
    )
    body = assert_problem(response, 422)
    assert body["type"].endswith("/invalid-json")


def test_an_unexpected_error_is_a_500_problem_without_its_traceback() -> None:
    response = call("GET", "/boom")
    body = assert_problem(response, 500)
    text = json.dumps(body)
    assert "Traceback" not in text
    assert "/secret/path" not in text


def test_a_full_resource_is_429_with_retry_after() -> None:
    response = call("GET", "/full")
    assert_problem(response, 429)
    assert response.headers["retry-after"] == "2"
