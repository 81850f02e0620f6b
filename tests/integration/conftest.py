"""What the integration tests share: an HTTP client of the API served over the loaded test
graph, and checks of its answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest


@pytest.fixture(scope="module")
def http(api_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_url, timeout=60) as client:
        yield client


def get(http: httpx.Client, path: str, **params: Any) -> Any:
    """GET ``path``, check it answered 200, and return the JSON body."""
    response = http.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """Check ``response`` is problem details with ``status``; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["type"].startswith("https://w3id.org/policykg/problems/")
    return body
