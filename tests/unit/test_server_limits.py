"""The managed server's limits and its stop, without Java: the memory one transaction may
hold, the settings that keep a stop short, and a stop that a process ignoring SIGTERM cannot
hold once its store is closed (a stand-in process plays the server)."""

from __future__ import annotations

import contextlib
import fcntl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.cypher.service import parse_byte_size
from core.errors import Neo4jServerError
from graph.server import config, memory, process
from tests.unit.server_settings import settings_in

GIB = 1024**3
MIB = 1024**2
MACHINE = 24 * GIB


def conf(tmp_path: Path, **overrides: object) -> dict[str, str]:
    text = config.render_neo4j_conf(
        config.server_config(settings_in(tmp_path, **overrides), MACHINE)
    )
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return dict(line.partition("=")[::2] for line in lines if "jvm.additional" not in line)


def test_one_transaction_may_hold_three_quarters_of_the_shared_memory(tmp_path: Path) -> None:
    plan = memory.plan_memory("2g", "1g", MACHINE)
    assert plan.transaction_total_max == 1 * GIB
    assert plan.transaction_max == 768 * MIB
    entries = conf(tmp_path)
    assert entries["dbms.memory.transaction.total.max"] == "1g"
    assert entries["db.memory.transaction.max"] == "768m"


def test_the_per_transaction_limit_can_be_set_within_the_shared_one(tmp_path: Path) -> None:
    assert conf(tmp_path, neo4j_tx_memory="128m")["db.memory.transaction.max"] == "128m"
    with pytest.raises(Neo4jServerError, match="POLICYKG_NEO4J_TX_MEMORY"):
        memory.plan_memory("2g", "1g", MACHINE, "2g")
    with pytest.raises(Neo4jServerError, match="POLICYKG_NEO4J_TX_MEMORY"):
        memory.plan_memory("2g", "1g", MACHINE, "1m")


def test_timeouts_are_checked_often_and_a_stop_waits_little_for_transactions(
    tmp_path: Path,
) -> None:
    entries = conf(tmp_path)
    assert entries["db.transaction.monitor.check.interval"] == "500ms"
    assert entries["db.shutdown_transaction_end_timeout"] == "2s"
    assert entries["internal.server.bolt.thread_pool_shutdown_wait_time"] == "1s"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("512.00MiB", 512 * MIB), ("1.00GiB", GIB), ("1g", GIB), ("0B", 0), ("many", None)],
)
def test_sizes_as_neo4j_shows_its_settings(text: str, expected: int | None) -> None:
    assert parse_byte_size(text) == expected


STUBBORN = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print(1, flush=True); time.sleep(120)"  # noqa: E501
OBEDIENT = "import time; print(1, flush=True); time.sleep(120)"


@contextlib.contextmanager
def stand_in(code: str) -> Iterator[subprocess.Popen[str]]:
    """A Python process running ``code``, once it has said it is ready; gone at the end."""
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        child.stdout.readline()  # its signal handler is in place
        try:
            yield child
        finally:
            if child.poll() is None:
                child.kill()
            child.wait(timeout=10)


def test_a_process_that_stops_on_sigterm_stops_cleanly() -> None:
    with stand_in(OBEDIENT) as child:
        assert process.terminate(child.pid, 30) == "clean"


def test_a_process_holding_out_after_closing_its_store_is_killed() -> None:
    with stand_in(STUBBORN) as child:
        outcome = process.terminate(child.pid, 60, store_closed=lambda: True, linger_s=0.5)
        assert outcome == "after-close"
        assert not process.alive(child.pid)


def test_a_process_that_never_closes_its_store_is_killed_at_the_timeout() -> None:
    with stand_in(STUBBORN) as child:
        assert process.terminate(child.pid, 1.0, store_closed=lambda: False) == "killed"


def test_a_store_lock_is_seen_while_another_process_holds_it(tmp_path: Path) -> None:
    lock = tmp_path / "store_lock"
    lock.touch()
    holder = (
        f"import fcntl; f = open({str(lock)!r}, 'r+'); fcntl.lockf(f, fcntl.LOCK_EX); "
        "print(1, flush=True); import time; time.sleep(120)"
    )
    with stand_in(holder) as child:
        assert process.holds_lock(lock)
        child.kill()
        child.wait(timeout=10)
    assert not process.holds_lock(lock)
    assert not process.holds_lock(tmp_path / "missing")
    with lock.open("r+") as ours:  # and the check never left a lock of its own behind
        fcntl.lockf(ours, fcntl.LOCK_EX | fcntl.LOCK_NB)
