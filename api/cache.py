"""Responses of the read-mostly graph, cached per graph version (pure ASGI middleware).

A GET to a cacheable path is answered from memory when the same path and query were
answered for the graph version now loaded. The version is re-read from Neo4j in the
background about once a second (:meth:`api.repository.Repository.version`), so a new load
is visible within a second or two; once a read has found Neo4j down, requests answer 503
until it is back.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import unavailable
from api.repository import Repository
from core.errors import GraphStoreError

CACHEABLE = (
    "/documents", "/measures", "/tasks", "/agencies", "/technologies", "/regions",
    "/mappings", "/coverage", "/search", "/export",
)  # fmt: skip


class ResponseCache:
    """Bounded LRU of (version, path, query) → (status, headers, body)."""

    def __init__(self, max_entries: int = 4096):
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str, bytes], tuple[int, list[Any], bytes]] = (
            OrderedDict()
        )
        self._version: str | None = None

    def get(self, key: tuple[str, str, bytes]) -> tuple[int, list[Any], bytes] | None:
        if key[0] != self._version:
            self._entries.clear()
            self._version = key[0]
            return None
        hit = self._entries.get(key)
        if hit is not None:
            self._entries.move_to_end(key)
        return hit

    def put(self, key: tuple[str, str, bytes], value: tuple[int, list[Any], bytes]) -> None:
        if key[0] != self._version:
            return
        self._entries[key] = value
        if len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)


class CacheMiddleware:
    def __init__(self, app: ASGIApp, repository: Callable[[], Repository], cache: ResponseCache):
        self.app = app
        self.repository = repository
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(CACHEABLE)
        ):
            await self.app(scope, receive, send)
            return
        try:
            version = (await self.repository().version()).version or ""
        except GraphStoreError:
            response = unavailable("The graph database cannot be reached right now.", scope["path"])
            await response(scope, receive, send)
            return
        key = (version, scope["path"], scope.get("query_string", b""))
        hit = self.cache.get(key)
        if hit is not None:
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status,
                        "headers": [*headers, (b"x-cache", b"hit")]})  # fmt: skip
            await send({"type": "http.response.body", "body": body})
            return
        await self._store(scope, receive, send, key)

    async def _store(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[str, str, bytes]
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    assert start is not None
                    body = b"".join(chunks)
                    if start["status"] == 200:
                        self.cache.put(key, (200, list(start.get("headers", [])), body))
                    await send(start)
                    await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)
