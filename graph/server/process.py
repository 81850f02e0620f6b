"""The server as an operating-system process: spawn it detached, find it by its home, tell
whether it lives, stop it, and the locks and ports around it (Linux ``/proc``)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Literal

from core.errors import Neo4jServerError
from graph.server.commands import is_server_cmdline
from graph.server.config import LOOPBACK, ServerLayout
from graph.server.memory import KIB


def physical_memory() -> int:
    """The machine's physical memory in bytes."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


@contextlib.contextmanager
def exclusive_lock(lock_file: Path) -> Iterator[None]:
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cmdline(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def reap(pid: int) -> int | None:
    """The exit code if ``pid`` is our child and has exited, else None (collects zombies)."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return None
    return os.waitstatus_to_exitcode(status) if done == pid else None


def alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (exited, not yet collected) counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    # the state follows the parenthesised command name; Z = zombie, X = dead
    return stat.rsplit(")", 1)[-1].split()[0] not in {"Z", "X"}


def rss_bytes(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * KIB
    except (OSError, ValueError, IndexError):
        return None
    return None


def read_pid_file(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def find_server_pid(layout: ServerLayout) -> int | None:
    """The pid of the server running from this home: its pid file, else a scan of /proc."""
    pid = read_pid_file(layout.pid_file)
    if pid is not None:
        reap(pid)  # collect our own child if it has died
    if pid is not None and alive(pid):
        args = cmdline(pid)
        if args is None or is_server_cmdline(args, layout.home):
            return pid
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    for entry in proc.iterdir():
        if entry.name.isdigit():
            args = cmdline(int(entry.name))
            if args and is_server_cmdline(args, layout.home) and alive(int(entry.name)):
                return int(entry.name)
    return None


def port_in_use(port: int, host: str = LOOPBACK) -> bool:
    """True if something already listens on ``host:port`` (binding as the server would)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                return True
            raise Neo4jServerError(f"Cannot use port {port} on {host}: {e}") from e
    return False


def spawn_detached(command: Sequence[str], log_file: Path) -> int:
    """Start a process in its own session, stdout/stderr appended to ``log_file``."""
    # posix_spawn rather than Popen: the server outlives this process, and a Popen object for a
    # still-running child warns (ResourceWarning) when it is garbage-collected. Every path on
    # the command line is absolute, so the child's working directory does not matter.
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(log_file), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    try:
        return os.posix_spawn(
            command[0], list(command), dict(os.environ), file_actions=actions, setsid=True
        )
    except OSError as e:
        raise Neo4jServerError(f"Cannot start {command[0]}: {e}") from e


def log_since(path: Path, offset: int) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            return handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while reap(pid) is None and alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def holds_lock(path: Path) -> bool:
    """True while another process holds a POSIX lock on ``path``.

    Neo4j locks ``data/databases/store_lock`` (and each database's ``database_lock``) while
    its stores are open, and releases them once they are checkpointed and closed.
    """
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def terminate(
    pid: int,
    timeout_s: float,
    *,
    store_closed: Callable[[], bool] | None = None,
    linger_s: float = 3.0,
) -> Literal["clean", "after-close", "killed"]:
    """Stop ``pid``: SIGTERM, and SIGKILL if it is still there after ``timeout_s`` — or
    ``linger_s`` after ``store_closed()`` says its data is safely closed, whichever is first.

    Neo4j 5.26 checkpoints and closes its stores first and its Bolt server last; a worker
    thread busy with work it cannot interrupt keeps that last step waiting for ever, after
    nothing is left to lose.

    Returns ``"clean"`` when it exited by itself, ``"after-close"`` when it was killed once its
    store was closed, ``"killed"`` when it was killed at the timeout.

    Raises:
        Neo4jServerError: not allowed to signal it, or it survived SIGKILL.
    """
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return "clean"
    except PermissionError as e:
        raise Neo4jServerError(f"Not allowed to stop process {pid}: {e}") from e
    deadline = time.monotonic() + timeout_s
    closed_at: float | None = None
    outcome: Literal["after-close", "killed"] = "killed"
    while reap(pid) is None and alive(pid):
        now = time.monotonic()
        if closed_at is None and store_closed is not None and store_closed():
            closed_at = now
        if closed_at is not None and now - closed_at > linger_s:
            outcome = "after-close"
            break
        if now > deadline:
            break
        time.sleep(0.2)
    else:
        return "clean"
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if not wait_gone(pid, 10.0):
        raise Neo4jServerError(f"Process {pid} survived SIGKILL; check the machine.")
    return outcome
