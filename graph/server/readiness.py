"""Is the server ready? Probe it with a query, poll a starting server until it answers, and
end its running transactions before it is stopped.

The probe's driver comes from :func:`graph.connection.open_driver` and its errors are
translated by :func:`graph.connection.driver_errors`, like every other driver's.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator

import neo4j

from core.errors import GraphStoreError, Neo4jServerError, Neo4jUnavailable, QueryRefused
from graph.connection import Neo4jConnection, driver_errors, open_driver
from graph.server.commands import exit_code_meaning, summarize_failure
from graph.server.config import ServerLayout
from graph.server.process import alive, log_since, reap

COMPONENTS_QUERY = (
    "CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS version, edition"
)
log = logging.getLogger(__name__)

POLL_INTERVAL_S = 0.5
RUNNING_TRANSACTIONS = (
    "SHOW TRANSACTIONS YIELD transactionId, currentQuery "
    "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' "
    "RETURN collect(transactionId) AS ids"
)
TERMINATE_TRANSACTIONS = "TERMINATE TRANSACTIONS $ids"


def _probe_driver(connection: Neo4jConnection, timeout_s: float) -> neo4j.Driver:
    return open_driver(
        connection,
        pool_size=2,
        connection_timeout_s=timeout_s,
        acquisition_timeout_s=timeout_s,
        verify=False,
    )


def _components(driver: neo4j.Driver, database: str) -> tuple[str, str]:
    # An auto-commit query: execute_query would retry transient failures for up to 30 s,
    # and the callers poll or report instead.
    with driver_errors("ask the server for its version"), driver.session(database=database) as s:
        record = s.run(COMPONENTS_QUERY).single(strict=True)
    return str(record["version"]), str(record["edition"])


def _refused_credentials(error: GraphStoreError) -> bool:
    return (error.code or "").startswith("Neo.ClientError.Security.")


def query_server_version(
    connection: Neo4jConnection, *, timeout_s: float = 10.0
) -> tuple[str, str]:
    """``(version, edition)`` from ``CALL dbms.components()``.

    Raises:
        Neo4jUnavailable: the server cannot be reached, refuses the credentials, or fails.
    """
    try:
        with quiet_connection_errors(), _probe_driver(connection, timeout_s) as driver:
            return _components(driver, connection.database)
    except GraphStoreError as e:
        if _refused_credentials(e):
            raise Neo4jUnavailable(
                f"Neo4j at {connection.uri} refused the credentials of user {connection.user!r}.",
                code=e.code,
            ) from e
        raise Neo4jUnavailable(f"Neo4j at {connection.uri} does not answer: {e}") from e
    except OSError as e:
        raise Neo4jUnavailable(f"Neo4j at {connection.uri} does not answer: {e}") from e


def end_transactions(connection: Neo4jConnection, *, timeout_s: float = 2.0) -> int:
    """Terminate every running transaction, so that none holds up a stop; how many there
    were (0 when the server does not answer: the stop goes ahead regardless)."""
    try:
        with (
            quiet_connection_errors(),
            _probe_driver(connection, timeout_s) as driver,
            driver_errors("end the running transactions"),
            driver.session(database=connection.database) as session,
        ):
            ids = session.run(RUNNING_TRANSACTIONS).single(strict=True)["ids"]
            if ids:
                session.run(TERMINATE_TRANSACTIONS, ids=ids).consume()
            return len(ids)
    except (GraphStoreError, OSError) as e:
        log.debug("could not end the running transactions: %s", e)
        return 0


def _drop_record(record: logging.LogRecord) -> bool:
    return False


@contextlib.contextmanager
def quiet_connection_errors() -> Iterator[None]:
    """Silence the driver's own ERROR lines about refused or reset connections while polling."""
    loggers = [logging.getLogger(name) for name in ("neo4j.io", "neo4j.pool")]
    for logger in loggers:
        logger.addFilter(_drop_record)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(_drop_record)


def wait_until_ready(
    connection: Neo4jConnection,
    layout: ServerLayout,
    pid: int,
    timeout_s: float,
    log_offset: int,
) -> str:
    """Poll the server until it answers a query; return its version.

    Raises:
        Neo4jServerError: the process exits, refuses the generated password, cannot serve
            its database, or does not answer within ``timeout_s``.
    """
    deadline = time.monotonic() + timeout_s
    last_error: Exception | None = None
    with quiet_connection_errors(), _probe_driver(connection, timeout_s=2.0) as driver:
        while True:
            if not alive(pid):
                exit_code = reap(pid)  # None when the process is not our child
                meaning = (
                    f"exit code {exit_code}: {exit_code_meaning(exit_code)}"
                    if exit_code is not None
                    else "exit code unknown"
                )
                raise Neo4jServerError(
                    f"Neo4j stopped during start-up ({meaning}). From {layout.console_log}:\n"
                    + summarize_failure(log_since(layout.console_log, log_offset))
                )
            try:
                with driver_errors("reach the starting server"):
                    driver.verify_connectivity()
                version, _ = _components(driver, connection.database)
                return version
            except GraphStoreError as e:
                if _refused_credentials(e):
                    raise Neo4jServerError(
                        f"Neo4j refused the generated password in {layout.password_file}. If "
                        "the file was replaced after the first start, restore it, or delete "
                        f"{layout.data_dir} to start with an empty database."
                    ) from e
                if isinstance(e, QueryRefused):
                    raise Neo4jServerError(
                        f"Neo4j started but database {connection.database!r} is not usable: {e}"
                    ) from e
                last_error = e  # not yet up: unreachable, or a transient failure
            except OSError as e:
                last_error = e
            if time.monotonic() > deadline:
                raise Neo4jServerError(
                    f"Neo4j (pid {pid}) did not answer on {connection.uri} within "
                    f"{timeout_s:.0f} s (last error: {last_error}). It may still be starting "
                    f"(see {layout.logs_dir / 'neo4j.log'}); check with `policykg neo4j status` "
                    "or stop it with `policykg neo4j stop`."
                )
            time.sleep(POLL_INTERVAL_S)
