"""Researchers' Cypher as a bounded resource of its own, beside the API's reads.

:class:`CypherService` is created once, in the application's lifespan, with drivers of its
own, so nothing a query does can take the connections the other endpoints read with:

* **Admission**: at most ``concurrency`` queries hold a slot; one more is answered at once
  with :class:`~core.errors.Overloaded` (429 and ``Retry-After``), never queued. A slot is
  given back when the query's server-side transaction is gone, not merely when the HTTP
  answer was sent.
* **Deadline**: the answer comes by the time limit, whatever the server does. The
  transaction carries the same limit as its server-side timeout and a metadata tag; a
  watcher reads ``SHOW TRANSACTIONS`` for the tagged ones about four times a second,
  terminates any past its deadline (or over its memory allowance, answered as ``memory``)
  on a connection of its own, and gives the slot back once the transaction has gone. One
  that Neo4j cannot interrupt (pure expression work: see :mod:`api.cypher.text`) is logged
  and keeps its slot until it ends.
* **Memory**: a query may hold at most ``memory_bytes`` of server memory, and never more
  than its share of the memory all transactions share (``dbms.memory.transaction.total.max``,
  read from the server once): the queries' slots together take at most half of it, so the
  reads always find the rest.
* **Results** are pulled a hundred records at a time and stop at ``row_cap`` rows or
  ``max_bytes`` bytes of JSON, whichever comes first; the answer says which.
* **Cache**: given the graph version, a complete result is kept and the same query with the
  same parameters is answered from it until the next load (:mod:`api.cypher.cache`), without
  a slot or a round trip.

Every failure is the project's error tree (:func:`graph.connection.driver_errors`), made
precise here for the researcher (:func:`explain`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import neo4j
from neo4j import AsyncDriver, AsyncResult, Query

from api.cypher.cache import ResultCache, result_key
from api.cypher.plan import check_plan
from api.cypher.text import check_query
from api.cypher.values import encoded_size, to_json
from core.errors import (
    CypherRejected,
    GraphStoreError,
    Neo4jBusy,
    Neo4jUnavailable,
    Overloaded,
    QueryFailed,
    QueryRefused,
    QueryTimeout,
)
from core.settings import Settings
from graph.connection import (
    TERMINATED_CODES,
    Neo4jConnection,
    driver_errors,
    open_async_driver,
    rollback_quietly,
)

log = logging.getLogger(__name__)

#: The key of the transaction metadata that tags a researcher's query with its ticket.
METADATA_KEY = "policykg_cypher"
FETCH_SIZE = 100
WATCH_INTERVAL_S = 0.25
#: After the deadline, how long a transaction may take to go before it is logged as stuck,
#: and how long its driver call is given to return before it is cancelled.
GRACE_S = 2.0
CANCEL_AFTER_S = 0.5
RETRY_AFTER_S = 2

SHOW_TAGGED = (
    "SHOW TRANSACTIONS YIELD transactionId, metaData, estimatedUsedHeapMemory "
    f"WHERE metaData.{METADATA_KEY} IN $tickets "
    f"RETURN transactionId AS id, metaData.{METADATA_KEY} AS ticket, "
    "estimatedUsedHeapMemory AS memory"
)
TERMINATE = "TERMINATE TRANSACTIONS $ids"
POOL_SETTING = (
    "SHOW SETTINGS YIELD name, value WHERE name = 'dbms.memory.transaction.total.max' RETURN value"
)
_SIZE = re.compile(r"^\s*([0-9.]+)\s*([KMGT]?)i?B?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}

TruncatedBy = Literal["rows", "bytes"]


@dataclass(frozen=True)
class CypherLimits:
    """What one query may take: time, rows, bytes of JSON, server memory; and how many
    queries may run at once."""

    timeout_s: float
    row_cap: int
    max_bytes: int
    memory_bytes: int
    concurrency: int

    @classmethod
    def from_settings(cls, settings: Settings) -> CypherLimits:
        return cls(
            timeout_s=settings.cypher_timeout_s,
            row_cap=settings.cypher_row_cap,
            max_bytes=settings.cypher_max_bytes,
            memory_bytes=settings.cypher_memory_mb * 1024 * 1024,
            concurrency=settings.cypher_concurrency,
        )


@dataclass(frozen=True)
class CypherOutcome:
    columns: list[str]
    rows: list[list[Any]]
    truncated_by: TruncatedBy | None
    notice: str | None
    cached: bool = False  # answered from the cache of results

    @property
    def truncated(self) -> bool:
        return self.truncated_by is not None


@dataclass(eq=False)
class _Ticket:
    """One admitted query: its slot, deadline and what the watcher did to it."""

    id: str
    deadline: float
    task: asyncio.Task[CypherOutcome] | None = None
    abandoned: bool = False  # answered (time limit, client gone) while its work went on
    abandoned_at: float = 0.0
    over_memory: bool = False
    reported: bool = False
    transactions: set[str] = field(default_factory=set)


class CypherService:
    """Run researchers' read-only queries within :class:`CypherLimits` (module docstring).

    Args:
        connection: the server to query (the same one the API reads).
        limits: the limits, usually :meth:`CypherLimits.from_settings`.
        cache: where complete results are kept per graph version (none: every query runs).

    Example::

        service = CypherService(connection, CypherLimits.from_settings(settings))
        outcome = await service.run("MATCH (t:Task) RETURN count(t) AS n", {})
        await service.close()
    """

    def __init__(
        self, connection: Neo4jConnection, limits: CypherLimits, cache: ResultCache | None = None
    ):
        self.database = connection.database
        self.limits = limits
        self.cache = cache
        self._driver: AsyncDriver = open_async_driver(
            connection,
            pool_size=2 * limits.concurrency,
            acquisition_timeout_s=2.0,
            connection_timeout_s=2.0,
            fetch_size=FETCH_SIZE,
        )
        # the watcher's own connections: never waiting behind the queries it watches
        self._control: AsyncDriver = open_async_driver(
            connection, pool_size=2, acquisition_timeout_s=2.0, connection_timeout_s=2.0
        )
        self._tickets: dict[str, _Ticket] = {}
        self._watcher: asyncio.Task[None] | None = None
        self._allowance: int | None = None
        self.stuck = 0  # transactions that outlived their deadline by more than GRACE_S

    @property
    def full(self) -> bool:
        """Every slot is taken: a query now would be answered 429."""
        return len(self._tickets) >= self.limits.concurrency

    async def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        tasks = [t.task for t in self._tickets.values() if t.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)  # answered long ago
        await self._driver.close()
        await self._control.close()

    async def run(
        self, query: str, parameters: Mapping[str, Any], version: str | None = None
    ) -> CypherOutcome:
        """Check, plan and run ``query`` within the limits; with the graph ``version`` and a
        cache, answer from the cache what was answered before for that version.

        Raises:
            CypherRejected: refused before it ran (:func:`~api.cypher.text.check_query`,
                :func:`~api.cypher.plan.check_plan`), or stopped (``timeout``, ``memory``),
                or failed as the query's own fault (``syntax``, ``invalid``, ``failed`` …).
            Overloaded: every slot is taken.
            Neo4jUnavailable, Neo4jBusy: the server cannot answer now.
        """
        check_query(query, parameters)
        key = result_key(query, parameters, self.limits)
        if self.cache is not None and version is not None:
            hit = self.cache.get(version, key)
            if hit is not None:
                return dataclasses.replace(hit, cached=True)
        outcome = await self._run(query, parameters)
        if self.cache is not None and version is not None:
            self.cache.put(version, key, outcome)
        return outcome

    async def _run(self, query: str, parameters: Mapping[str, Any]) -> CypherOutcome:
        ticket = self._admit()
        ticket.task = asyncio.create_task(self._execute(ticket, query, dict(parameters)))
        try:
            outcome = await asyncio.wait_for(asyncio.shield(ticket.task), self.limits.timeout_s)
        except TimeoutError:
            self._abandon(ticket)
            raise timeout_error(self.limits.timeout_s) from None
        except asyncio.CancelledError:  # the client went away
            self._abandon(ticket)
            raise
        except (CypherRejected, QueryRefused, QueryFailed, Neo4jBusy):
            self._release(ticket)  # the server answered: its transaction is over
            raise
        except BaseException:
            self._abandon(ticket)  # unreachable, or a fault here: the watcher makes sure
            raise
        self._release(ticket)
        return outcome

    def _admit(self) -> _Ticket:
        if self.full:
            raise Overloaded(
                f"All {self.limits.concurrency} slots for researchers' queries are taken; "
                f"try again in {RETRY_AFTER_S} s.",
                retry_after_s=RETRY_AFTER_S,
            )
        loop = asyncio.get_running_loop()
        ticket = _Ticket(id=uuid.uuid4().hex, deadline=loop.time() + self.limits.timeout_s)
        self._tickets[ticket.id] = ticket
        return ticket

    def _release(self, ticket: _Ticket) -> None:
        self._tickets.pop(ticket.id, None)

    def _abandon(self, ticket: _Ticket) -> None:
        ticket.abandoned = True
        ticket.abandoned_at = asyncio.get_running_loop().time()
        if ticket.task is not None:
            ticket.task.add_done_callback(lambda task: self._answered_late(ticket, task))
        self._ensure_watcher()

    def _answered_late(self, ticket: _Ticket, task: asyncio.Task[CypherOutcome]) -> None:
        """An abandoned query the server answered after all (a result, its own time limit,
        a refusal): its transaction is over, so the slot is free now, not at the watcher's
        next look. Cancelled or unreachable, it is left to the watcher."""
        if task.cancelled():
            return
        error = task.exception()
        if error is None or isinstance(
            error, CypherRejected | QueryRefused | QueryFailed | Neo4jBusy
        ):
            self._release(ticket)

    async def _execute(
        self, ticket: _Ticket, query: str, parameters: dict[str, Any]
    ) -> CypherOutcome:
        loop = asyncio.get_running_loop()
        metadata = {METADATA_KEY: ticket.id}
        self._ensure_watcher()
        try:
            with driver_errors("run the query"):
                async with self._driver.session(
                    database=self.database, default_access_mode=neo4j.READ_ACCESS
                ) as session:
                    remaining = max(ticket.deadline - loop.time(), 0.001)
                    plan = Query("EXPLAIN " + query, timeout=remaining, metadata=metadata)
                    summary = await (await session.run(plan, parameters)).consume()
                    check_plan(summary.query_type, summary.plan, self.database)
                    remaining = max(ticket.deadline - loop.time(), 0.001)
                    tx = await session.begin_transaction(timeout=remaining, metadata=metadata)
                    try:
                        result = await tx.run(query, parameters)
                        return await self._collect(result)
                    finally:
                        await rollback_quietly(tx)  # a read: nothing to keep
        except (OverflowError, TypeError, ValueError) as e:
            # the driver cannot send a parameter (an integer beyond 64 bits, say)
            raise CypherRejected(
                f"A parameter cannot be sent to Neo4j: {e}", reason="invalid"
            ) from e
        except CypherRejected:
            raise
        except GraphStoreError as e:
            expired = loop.time() >= ticket.deadline
            raise explain(
                e,
                self.limits,
                over_memory=ticket.over_memory,
                expired=expired,
                allowance=self._allowance,
            ) from e

    async def _collect(self, result: AsyncResult) -> CypherOutcome:
        columns = list(result.keys())
        rows: list[list[Any]] = []
        used = 2  # the brackets of the rows' list
        truncated_by: TruncatedBy | None = None
        async for record in result:
            if len(rows) >= self.limits.row_cap:
                truncated_by = "rows"
                break
            row = [to_json(v) for v in record.values()]
            size = encoded_size(row) + 1
            if used + size > self.limits.max_bytes:
                truncated_by = "bytes"
                break
            rows.append(row)
            used += size
        return CypherOutcome(columns, rows, truncated_by, self._notice(truncated_by, len(rows)))

    def _notice(self, truncated_by: TruncatedBy | None, n_rows: int) -> str | None:
        if truncated_by == "rows":
            return (
                f"Stopped after {self.limits.row_cap} rows (the cap); add LIMIT or narrow the "
                "query."
            )
        if truncated_by == "bytes":
            return (
                f"Stopped after {n_rows} rows: the next would pass the "
                f"{self.limits.max_bytes / 2**20:g} MiB limit of a result; return fewer or "
                "smaller values."
            )
        return None

    def _ensure_watcher(self) -> None:
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        """While queries hold slots: stop what is past its deadline or over its memory, and
        give abandoned slots back once their transactions are gone."""
        loop = asyncio.get_running_loop()
        while self._tickets:
            await asyncio.sleep(WATCH_INTERVAL_S)
            tickets = list(self._tickets.values())
            try:
                live = await self._tagged([t.id for t in tickets])
            except Neo4jUnavailable:
                # nothing runs on a server that cannot be reached: give back what was left
                for ticket in tickets:
                    if ticket.abandoned and ticket.task is not None and ticket.task.done():
                        self._follow_up(ticket, False, loop.time())
                continue
            except GraphStoreError as e:
                log.warning("cannot read the running transactions: %s", e)
                continue
            now = loop.time()
            allowance = await self.memory_allowance()
            doomed: list[str] = []
            for ticket in tickets:
                transactions = live.get(ticket.id, [])
                ticket.transactions.update(tx for tx, _ in transactions)
                memory = max((m for _, m in transactions), default=0)
                if memory > allowance and not ticket.over_memory:
                    ticket.over_memory = True
                    doomed += [tx for tx, _ in transactions]
                elif transactions and (now > ticket.deadline or ticket.abandoned):
                    doomed += [tx for tx, _ in transactions]
                self._follow_up(ticket, bool(transactions), now)
            if doomed:
                await self._terminate(doomed)

    def _follow_up(self, ticket: _Ticket, running: bool, now: float) -> None:
        if not ticket.abandoned:
            return
        task = ticket.task
        if task is not None and not task.done() and now - ticket.abandoned_at > CANCEL_AFTER_S:
            task.cancel()  # closes its connection; the server ends the transaction too
        if not running and (task is None or task.done()):
            if task is not None and not task.cancelled():
                task.exception()  # retrieved: the answer was already given
            self._release(ticket)
            overrun = now - ticket.deadline
            if overrun > GRACE_S:
                log.warning("a researcher's query outlived its deadline by %.1f s", overrun)
        elif running and now - ticket.deadline > GRACE_S and not ticket.reported:
            ticket.reported = True
            self.stuck += 1
            log.error(
                "Neo4j has not stopped transaction %s %.0f s after its deadline: it is "
                "expression work the server cannot interrupt. It keeps one of the %d Cypher "
                "slots until it ends or the server restarts.",
                ", ".join(sorted(ticket.transactions)) or "(unknown)",
                now - ticket.deadline,
                self.limits.concurrency,
            )

    async def memory_allowance(self) -> int:
        """What one query may hold: ``memory_bytes``, within half the server's shared pool
        divided among the slots (read once; ``memory_bytes`` alone until it can be read)."""
        if self._allowance is not None:
            return self._allowance
        try:
            with driver_errors("read the server's memory settings"):
                records, _, _ = await self._control.execute_query(
                    POOL_SETTING, database_=self.database
                )
        except GraphStoreError as e:
            log.debug("cannot read the transaction memory pool: %s", e)
            return self.limits.memory_bytes
        pool = parse_byte_size(str(records[0]["value"])) if records else None
        share = pool // (2 * self.limits.concurrency) if pool else None
        self._allowance = min(self.limits.memory_bytes, share or self.limits.memory_bytes)
        return self._allowance

    async def _tagged(self, tickets: list[str]) -> dict[str, list[tuple[str, int]]]:
        """Ticket → its running transactions (id, estimated heap bytes)."""
        with driver_errors("list the running transactions"):
            records, _, _ = await self._control.execute_query(
                SHOW_TAGGED, tickets=tickets, database_=self.database
            )
        live: dict[str, list[tuple[str, int]]] = {}
        for r in records:
            live.setdefault(r["ticket"], []).append((r["id"], int(r["memory"] or 0)))
        return live

    async def _terminate(self, transaction_ids: list[str]) -> None:
        try:
            with driver_errors("terminate a researcher's transaction"):
                await self._control.execute_query(
                    TERMINATE, ids=sorted(set(transaction_ids)), database_=self.database
                )
        except GraphStoreError as e:
            log.warning("could not terminate %s: %s", ", ".join(transaction_ids), e)


def parse_byte_size(text: str) -> int | None:
    """Bytes in a size as Neo4j shows its settings (``512.00MiB``, ``1g``, ``0B``)."""
    match = _SIZE.match(text)
    if match is None:
        return None
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def timeout_error(timeout_s: float) -> CypherRejected:
    return CypherRejected(
        f"The query ran longer than the limit of {timeout_s:g} s and was stopped; "
        "narrow it (add a label, a LIMIT, or fewer variable-length steps).",
        reason="timeout",
    )


def explain(
    e: GraphStoreError,
    limits: CypherLimits,
    *,
    over_memory: bool,
    expired: bool,
    allowance: int | None = None,
) -> GraphStoreError:
    """The researcher's error for a failure of their query, by class and status code.

    ``over_memory`` and ``expired`` say whether the watcher stopped it, and why.
    """
    if over_memory:
        return CypherRejected(
            f"The query used more than the {(allowance or limits.memory_bytes) / 2**20:g} MiB "
            "of server memory a researcher's query may use and was stopped; aggregate less "
            "at once (collect, ORDER BY and DISTINCT hold their rows in memory).",
            reason="memory",
            code=e.code,
        )
    if isinstance(e, QueryTimeout) or (expired and e.code in TERMINATED_CODES):
        return timeout_error(limits.timeout_s)
    if isinstance(e, QueryFailed):
        return CypherRejected(
            f"Neo4j could not execute the query: {_detail(e)}", reason="failed", code=e.code
        )
    if isinstance(e, QueryRefused):
        return _refused(e)
    return e


def _detail(e: GraphStoreError) -> str:
    """Neo4j's own message, without the project's prefix."""
    return str(e).split(": ", 1)[-1]


def _refused(e: QueryRefused) -> CypherRejected:
    """Why Neo4j refused the query, by its status code."""
    code = e.code or ""
    detail = _detail(e)
    if code == "Neo.ClientError.Statement.SyntaxError":
        return CypherRejected(
            f"The query is not valid Cypher: {detail}", reason="syntax", code=code
        )
    if code.startswith("Neo.ClientError.Security.") or code.endswith(".AccessMode"):
        return CypherRejected(
            f"The query was refused by the database: {detail}", reason="write", code=code
        )
    if code == "Neo.ClientError.Procedure.ProcedureNotFound":
        return CypherRejected(f"Unknown procedure: {detail}", reason="procedure", code=code)
    return CypherRejected(f"The database refused the query: {detail}", reason="invalid", code=code)
