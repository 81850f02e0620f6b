"""What the benchmarks read from the kernel: peak and current RSS, CPU time, the machine.

Linux only (``/proc``). A process's peak RSS (``VmHWM``, which is also what
``getrusage().ru_maxrss`` reports for a live process) can be reset by writing ``5`` to its
``/proc/<pid>/clear_refs``; the benchmarks do that before each measured step, so each step's
peak is its own and not the peak of whatever ran before it in the same process.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
from collections.abc import Sequence
from pathlib import Path

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


def _status_field(pid: int | str, name: str) -> int | None:
    """A ``kB`` field of ``/proc/<pid>/status`` in bytes (``VmRSS``, ``VmHWM``)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1]) * KIB
    except (OSError, ValueError, IndexError):
        return None
    return None


def rss(pid: int | str = "self") -> int | None:
    """Current resident set size in bytes."""
    return _status_field(pid, "VmRSS")


def peak_rss(pid: int | str = "self") -> int | None:
    """Peak resident set size (``VmHWM``) in bytes since start or the last reset."""
    return _status_field(pid, "VmHWM")


def python_peak_rss() -> int:
    """This process's peak RSS in bytes, from ``resource.getrusage`` (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB


def reset_peak_rss(pid: int | str = "self") -> bool:
    """Reset the peak RSS of a process to its current RSS; False if the kernel refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU seconds a process has used (``/proc/<pid>/stat``)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After the command name: state is field 3, utime 14 and stime 15 (1-based, man 5 proc).
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def gib(n_bytes: int | None) -> str:
    return "n/a" if n_bytes is None else f"{n_bytes / GIB:.2f} GiB"


def mib(n_bytes: int | None) -> str:
    return "n/a" if n_bytes is None else f"{n_bytes / MIB:,.0f} MiB"


def git_revision(root: Path, paths: Sequence[str]) -> str:
    """The commit the code was measured at, and whether ``paths`` had uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", *paths)
    return commit + (" with uncommitted changes in " + ", ".join(paths) if dirty else "")


def machine() -> dict[str, str]:
    """CPU model, cores, memory and Python version, for the results file."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    free = subprocess.run(["free", "-g"], capture_output=True, text=True, check=False).stdout
    return {
        "cpu": model,
        "nproc": str(os.cpu_count()),
        "memory": free.strip(),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }
