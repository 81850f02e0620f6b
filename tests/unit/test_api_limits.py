"""Request bodies bounded and strict, and every error answered as problem details — on a
small application of the API's own middleware and handlers, without a database."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from api import problems
from api.limits import DRAIN_BYTES, RequestLimits
from core.errors import Overloaded
from tests.aio import run_async

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

    return run_async(go)


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


def test_a_streamed_body_past_the_limit_is_dropped_and_read_no_further_than_the_drain() -> None:
    sent = 0
    chunk = 64 * 1024

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(2 * DRAIN_BYTES // chunk):
            sent += chunk
            yield b"x" * chunk

    response = call("POST", "/echo", content=chunks(), headers={"content-type": "text/plain"})
    assert_problem(response, 413)
    # read and dropped up to the drain limit, so the client reads its answer; never the rest
    assert sent <= DRAIN_BYTES + 2 * chunk
    assert sent < 2 * DRAIN_BYTES


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
