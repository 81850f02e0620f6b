"""How the API learns the graph's version: a background re-read, one at a time, failures seen."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from neo4j.exceptions import ServiceUnavailable

from api.repository import Repository
from core.errors import Neo4jUnavailable
from tests.aio import run_async


class FakeDriver:
    """Answers the version query with ``self.version``; raises while ``self.down``."""

    def __init__(self) -> None:
        self.version = "v1"
        self.down = False
        self.reads = 0
        self.delay = 0.0

    async def execute_query(self, query: str, params: Any, **kwargs: Any) -> Any:
        self.reads += 1
        await asyncio.sleep(self.delay)
        if self.down:
            raise ServiceUnavailable("connection refused")
        row = {"version": self.version, "loaded_at": None, "nodes": 1, "relationships": 0}
        return [row], None, None


def repository(driver: FakeDriver, ttl: float) -> Repository:
    return Repository(driver, "neo4j", version_ttl_s=ttl)  # type: ignore[arg-type]


def test_concurrent_first_requests_read_the_version_once() -> None:
    async def run() -> list[str | None]:
        driver = FakeDriver()
        driver.delay = 0.01
        repo = repository(driver, ttl=60)
        versions = await asyncio.gather(*(repo.version() for _ in range(32)))
        assert driver.reads == 1
        return [v.version for v in versions]

    assert run_async(run) == ["v1"] * 32


def test_an_expired_version_is_read_again_in_the_background() -> None:
    async def run() -> None:
        driver = FakeDriver()
        repo = repository(driver, ttl=0)
        assert (await repo.version()).version == "v1"
        driver.version = "v2"
        driver.delay = 0.01
        # requests arriving while the re-read runs get the known version without waiting,
        # and start no second read
        seen = await asyncio.gather(*(repo.version() for _ in range(10)))
        assert {v.version for v in seen} == {"v1"}
        await asyncio.sleep(0.05)
        assert driver.reads == 2
        assert (await repo.version()).version == "v2"

    run_async(run)


def test_once_a_read_fails_requests_see_the_failure_until_neo4j_is_back() -> None:
    async def run() -> None:
        driver = FakeDriver()
        repo = repository(driver, ttl=0)
        await repo.version()
        driver.down = True
        await repo.version()  # starts the background read, which fails
        await asyncio.sleep(0.01)
        with pytest.raises(Neo4jUnavailable):
            await repo.version()
        driver.down = False
        assert (await repo.version()).version == "v1"

    run_async(run)


def test_fresh_always_reads() -> None:
    async def run() -> None:
        driver = FakeDriver()
        repo = repository(driver, ttl=60)
        await repo.version()
        driver.version = "v2"
        assert (await repo.version(fresh=True)).version == "v2"
        assert driver.reads == 2

    run_async(run)
