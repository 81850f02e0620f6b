"""Limits applied before any route sees a request (pure ASGI middleware).

:class:`RequestLimits`: every request — a ``GET /health`` too — may carry at most
``max_body_bytes`` of body. A larger ``Content-Length`` is answered 413 without keeping a
byte (what was sent is read and dropped up to :data:`DRAIN_BYTES`, so the client reads the
answer instead of a reset connection; beyond that the connection is closed), and a body
sent without one (chunked) is read only until it passes the limit. A JSON body must be
strict JSON: ``NaN``, ``Infinity`` and numbers too large for a float (``1e400``) are
answered 422, where Python's parser would have taken them. The body read here is handed on
unchanged.

:class:`CypherAdmission`: while every slot of the researchers' Cypher service is taken, a
``POST /cypher`` is answered 429 at once, before the application parses it, so a flood of
queries costs the reads next to it as little as possible.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.cypher import CypherService
from api.cypher.service import RETRY_AFTER_S
from api.problems import problem

#: How much of an oversized body is read (and dropped) before the 413 is sent.
DRAIN_BYTES = 4 * 1024 * 1024


class RequestLimits:
    """Answer 413 for a body over ``max_body_bytes``, 422 for JSON that is not strict."""

    def __init__(self, app: ASGIApp, max_body_bytes: int):
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            if length.isdigit() and int(length) <= DRAIN_BYTES:
                await _drain(receive, DRAIN_BYTES)
            await self._too_large(scope, receive, send)
            return
        body = bytearray()
        disconnected: Message | None = None
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                disconnected = message
                break
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body_bytes:
                if more:
                    await _drain(receive, DRAIN_BYTES - len(body))
                await self._too_large(scope, receive, send)
                return
        if body and _is_json(headers.get(b"content-type", b"")):
            error = _strict_json_error(bytes(body))
            if error is not None:
                response = problem(
                    422, "invalid-json", "Invalid JSON", error, scope.get("path"),
                )  # fmt: skip
                await response(scope, receive, send)
                return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if disconnected is not None:
                return disconnected
            if not sent:
                sent = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            413, "request-too-large", "Request too large",
            f"The request body may be at most {self.max_body_bytes:,} bytes.",
            scope.get("path"), headers={"Connection": "close"},
        )  # fmt: skip
        await response(scope, receive, send)


class CypherAdmission:
    """Answer ``POST /cypher`` with 429 while the Cypher service has no free slot."""

    def __init__(self, app: ASGIApp, service: Callable[[], CypherService]):
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] == "/cypher"
            and self.service().full
        ):
            response = problem(
                429, "too-many-requests", "Too many requests",
                f"All slots for researchers' queries are taken; try again in {RETRY_AFTER_S} s.",
                "/cypher", headers={"Retry-After": str(RETRY_AFTER_S)},
            )  # fmt: skip
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _drain(receive: Receive, limit: int) -> None:
    """Read and drop what is left of a request body, up to ``limit`` bytes."""
    dropped = 0
    while dropped <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        dropped += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _is_json(content_type: bytes) -> bool:
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" or media.endswith(b"+json")


def _not_a_number(text: str) -> Any:
    raise ValueError(f"{text} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large for a number")
    return value


def _strict_json_error(body: bytes) -> str | None:
    """Why ``body`` is not strict JSON (NaN, Infinity, a number beyond a float), or None —
    also None when it is not JSON at all, which the route's own validation reports."""
    try:
        json.loads(body, parse_constant=_not_a_number, parse_float=_finite)
    except ValueError as e:
        if isinstance(e, json.JSONDecodeError):
            return None
        return f"The body is not strict JSON: {e}."
    except RecursionError:
        return "The body nests too deeply."
    return None
