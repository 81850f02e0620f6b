"""The Neo4j boundary: how to reach a server, the one driver factory, and the one place where
the driver's exceptions become the project's.

Every driver the project opens — the loader's, the API's, the researcher's Cypher pool, the
launcher's readiness probe — comes from :func:`open_driver` or :func:`open_async_driver`,
and every call into the driver runs inside :func:`driver_errors`, which translates by
exception class and Neo4j status code (never by message text)::

    ServiceUnavailable, SessionExpired          → Neo4jUnavailable
    AuthError (credentials refused)             → Neo4jUnavailable
    ConnectionAcquisitionTimeoutError           → Neo4jBusy      (no free connection in time)
    Neo.ClientError.Transaction.TransactionTimedOut*
                                                → QueryTimeout
    Neo.*.Transaction.Terminated, LockClientStopped
                                                → Neo4jBusy      (ended by an administrator,
                                                                  or the server is stopping)
    Neo.TransientError.*                        → Neo4jBusy      (memory pool full, heap
                                                                  exhausted, deadlock …)
    Neo.ClientError.*                           → QueryRefused   (syntax, types, access mode …)
    Neo.DatabaseError.Statement.*               → QueryFailed    (accepted, but cannot execute)
    any other Neo4jError or DriverError         → GraphStoreError

The translated error keeps Neo4j's status code in ``code``; the API answers by class (and,
for the memory limits, by code: :mod:`api.problems`). Its message is one line, without the
driver's own wording (addresses as the driver prints them, retry notes).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_exc
from pydantic import BaseModel, ConfigDict, Field

from core.errors import (
    GraphStoreError,
    Neo4jBusy,
    Neo4jUnavailable,
    QueryFailed,
    QueryRefused,
    QueryTimeout,
)

log = logging.getLogger(__name__)

TIMEOUT_CODES = frozenset(
    {
        "Neo.ClientError.Transaction.TransactionTimedOut",
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
    }
)
TERMINATED_CODES = frozenset(
    {
        "Neo.ClientError.Transaction.Terminated",
        "Neo.TransientError.Transaction.Terminated",
        "Neo.ClientError.Transaction.LockClientStopped",
        "Neo.TransientError.Transaction.LockClientStopped",
    }
)
#: A transaction asked for more memory than it, or all transactions together, may hold
#: (``db.memory.transaction.max``, ``dbms.memory.transaction.total.max``; Neo4j gives both
#: the same code), or the heap itself ran out.
MEMORY_CODES = frozenset(
    {
        "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
        "Neo.TransientError.General.OutOfMemoryError",
    }
)


class Neo4jConnection(BaseModel):
    """How to reach a Neo4j server: the bolt URI, credentials and database.

    For the managed server the password is the generated one from its home folder; for an
    external server (``NEO4J_URI``) these are the ``NEO4J_*`` settings.

    Example::

        conn = graph.server.ensure_running(settings)
        with open_driver(conn) as driver:
            driver.execute_query("RETURN 1", database_=conn.database)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    uri: str
    user: str
    password: str | None = Field(default=None, repr=False)
    database: str

    @property
    def auth(self) -> tuple[str, str] | None:
        """The driver's ``auth=`` argument (``None`` for a server without authentication)."""
        return (self.user, self.password) if self.password is not None else None


def _options(
    pool_size: int | None,
    connection_timeout_s: float | None,
    acquisition_timeout_s: float | None,
    max_retry_s: float | None,
    fetch_size: int | None = None,
) -> dict[str, Any]:
    options: dict[str, Any] = {"notifications_min_severity": "OFF"}
    if fetch_size is not None:
        options["fetch_size"] = fetch_size
    if pool_size is not None:
        options["max_connection_pool_size"] = pool_size
    if connection_timeout_s is not None:
        options["connection_timeout"] = connection_timeout_s
    if acquisition_timeout_s is not None:
        options["connection_acquisition_timeout"] = acquisition_timeout_s
    if max_retry_s is not None:
        options["max_transaction_retry_time"] = max_retry_s
    return options


def open_driver(
    connection: Neo4jConnection,
    *,
    pool_size: int | None = None,
    connection_timeout_s: float | None = None,
    acquisition_timeout_s: float | None = None,
    max_retry_s: float | None = None,
    verify: bool = True,
) -> neo4j.Driver:
    """A synchronous driver for ``connection`` (create once, share it, close it).

    Args:
        connection: where the server is and how to log in.
        pool_size, connection_timeout_s, acquisition_timeout_s, max_retry_s: the driver's
            pool size and timeouts; the driver's defaults when None.
        verify: check at once that the server answers and accepts the credentials.

    Raises:
        Neo4jUnavailable: ``verify`` is set and the server cannot be reached or refuses the
            credentials.
    """
    driver = neo4j.GraphDatabase.driver(
        connection.uri,
        auth=connection.auth,
        **_options(pool_size, connection_timeout_s, acquisition_timeout_s, max_retry_s),
    )
    if verify:
        try:
            with driver_errors(f"reach Neo4j at {connection.uri}"):
                driver.verify_connectivity()
        except BaseException:
            driver.close()
            raise
    return driver


def open_async_driver(
    connection: Neo4jConnection,
    *,
    pool_size: int | None = None,
    connection_timeout_s: float | None = None,
    acquisition_timeout_s: float | None = None,
    max_retry_s: float | None = None,
    fetch_size: int | None = None,
) -> neo4j.AsyncDriver:
    """An asyncio driver for ``connection``, with the same options as :func:`open_driver`
    and ``fetch_size``, the records asked of the server at a time (the driver's 1,000 when
    None).

    Nothing is checked when it is created: the API starts while Neo4j may still be down, and
    answers 503 until it is up.
    """
    return neo4j.AsyncGraphDatabase.driver(
        connection.uri,
        auth=connection.auth,
        **_options(pool_size, connection_timeout_s, acquisition_timeout_s, max_retry_s, fetch_size),
    )


def translate(error: neo4j_exc.Neo4jError | neo4j_exc.DriverError, action: str) -> GraphStoreError:
    """The project's error for a driver exception met while trying to ``action``."""
    if isinstance(error, neo4j_exc.ServiceUnavailable | neo4j_exc.SessionExpired):
        return Neo4jUnavailable(f"Neo4j is unreachable ({_reason(error)}); could not {action}")
    if isinstance(error, neo4j_exc.AuthError):
        return Neo4jUnavailable(
            f"Neo4j refused the credentials; could not {action}: {error.message or error}",
            code=error.code,
        )
    if isinstance(error, neo4j_exc.ConnectionAcquisitionTimeoutError):
        return Neo4jBusy(f"Neo4j is busy (no free connection in time); could not {action}")
    if isinstance(error, neo4j_exc.Neo4jError):
        code = error.code or ""
        message = error.message or str(error)
        if code in TIMEOUT_CODES:
            return QueryTimeout(f"the query ran past its time limit; could not {action}", code=code)
        if code in TERMINATED_CODES:
            return Neo4jBusy(
                f"the transaction was terminated (by an administrator, or because the server "
                f"is stopping); could not {action}",
                code=code,
            )
        if code.startswith("Neo.TransientError."):
            return Neo4jBusy(f"Neo4j failed transiently; could not {action}: {message}", code=code)
        if code.startswith("Neo.ClientError."):
            return QueryRefused(f"Neo4j refused to {action}: {message}", code=code)
        if code.startswith("Neo.DatabaseError.Statement."):
            return QueryFailed(f"Neo4j could not {action}: {message}", code=code)
        return GraphStoreError(f"Neo4j failed to {action}: {message}", code=code or None)
    return GraphStoreError(f"the Neo4j driver failed to {action}: {type(error).__name__}")


def _reason(error: BaseException) -> str:
    """Why a connection failed, in the operating system's words when it gave any."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        if isinstance(seen, TimeoutError):
            return "timed out"
        seen = seen.__cause__ or seen.__context__
    return "no answer"


async def rollback_quietly(tx: neo4j.AsyncTransaction) -> None:
    """Roll back a read transaction whose outcome is already decided (its rows read, or its
    failure raised): that the rollback fails too — the server ended the transaction, or
    the connection went with it — changes nothing and must not hide the first error."""
    try:
        await tx.rollback()
    except (neo4j_exc.Neo4jError, neo4j_exc.DriverError) as e:
        log.debug("rollback of a finished read transaction failed: %s", e)


@contextmanager
def driver_errors(action: str) -> Iterator[None]:
    """Translate the driver's exceptions raised inside the block (see the module docstring).

    ``action`` says what was being done, for the message: ``"load the graph"``.
    """
    try:
        yield
    except (neo4j_exc.Neo4jError, neo4j_exc.DriverError) as e:
        raise translate(e, action) from e
