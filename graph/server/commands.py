"""Command lines and what the processes say back, as pure functions: the server's and the
admin tool's Java command lines, Maven's, Java's version, exit codes and log summaries."""

from __future__ import annotations

import os
import re
import secrets
import signal
import string
from collections.abc import Mapping, Sequence
from pathlib import Path

from graph.server.config import (
    ADMIN_ENTRY_POINT,
    ENTRY_POINT,
    JVM_ADDITIONAL,
    ServerConfig,
)
from graph.server.memory import KIB, MemoryPlan

#: What the server's exit codes mean (``NeoBootstrapper``), as observed on 5.26.30: an unknown
#: or malformed setting, a missing log configuration or a port that cannot be bound all end
#: with 1, because they fail before the database starts or escape as uncaught exceptions.
EXIT_CODE_MEANINGS: Mapping[int, str] = {
    1: "the server failed to start: an invalid or unknown setting, a missing log "
    "configuration, a port it could not bind, or the web server",
    2: "the database failed to start",
    3: "invalid configuration, e.g. heap plus page cache larger than the physical memory",
    4: "the licence was not accepted",
}


_JAVA_VERSION_RE = re.compile(r'version "(\d+)(?:\.(\d+))?[^"]*"')


_FAILURE_MARKERS = ("ERROR", "Exception", "Caused by", "Error:", "error:")


def jvm_arguments(memory: MemoryPlan) -> list[str]:
    """The JVM flags, in the order Neo4j's launcher passes them (flags, encoding, heap in KiB)."""
    heap_kib = max(memory.heap // KIB, 1)
    return [*JVM_ADDITIONAL, "-Dfile.encoding=UTF-8", f"-Xms{heap_kib}k", f"-Xmx{heap_kib}k"]


def classpath(lib_dir: Path, plugins_dir: Path | None = None) -> str:
    """The JVM class path: plugin jars first when there are any (as the launcher does), then lib."""
    parts = [f"{plugins_dir}/*"] if plugins_dir is not None else []
    return os.pathsep.join([*parts, f"{lib_dir}/*"])


def server_command(
    java: Path, lib_dir: Path, config: ServerConfig, *, plugins_present: bool = False
) -> list[str]:
    """The command line that runs the server in the foreground (``bin/neo4j console``)."""
    lay = config.layout
    return [
        str(java),
        "-cp",
        classpath(lib_dir, lay.plugins_dir if plugins_present else None),
        *jvm_arguments(config.memory),
        ENTRY_POINT,
        f"--home-dir={lay.home}",
        f"--config-dir={lay.conf_dir}",
        "--console-mode",
    ]


def set_initial_password_command(java: Path, lib_dir: Path, argument_file: Path) -> list[str]:
    """``neo4j-admin dbms set-initial-password``, reading the password from a picocli @-file.

    The @-file keeps the password out of the process list (``ps``) of both the launcher JVM and
    the admin JVM it forks.
    """
    return [
        str(java),
        "-cp",
        classpath(lib_dir),
        ADMIN_ENTRY_POINT,
        "dbms",
        "set-initial-password",
        f"@{argument_file}",
    ]


def maven_command(mvn: Path, pom: Path, repo_local: Path, output_dir: Path) -> list[str]:
    """The Maven invocation that copies the server's runtime jars into ``output_dir``."""
    return [
        str(mvn),
        "-B",
        "-q",
        "-f",
        str(pom),
        f"-Dmaven.repo.local={repo_local}",
        "dependency:copy-dependencies",
        f"-DoutputDirectory={output_dir}",
        "-DincludeScope=runtime",
    ]


def parse_java_version(version_output: str) -> int | None:
    """The major version from ``java -version`` output (``"1.8.0_392"`` → 8, ``"17.0.15"`` → 17)."""
    match = _JAVA_VERSION_RE.search(version_output)
    if match is None:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2) is not None:
        return int(match.group(2))
    return major


def is_server_cmdline(args: Sequence[str], home: Path) -> bool:
    """True if a process's arguments are those of a Neo4j server running from ``home``."""
    return ENTRY_POINT in args and f"--home-dir={home}" in args


def exit_code_meaning(code: int) -> str:
    """What a server exit code means, in words."""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"killed by {name}"
    return EXIT_CODE_MEANINGS.get(code, "an unexpected failure")


def summarize_failure(log_text: str, *, max_lines: int = 12) -> str:
    """The lines of a start-up log that explain a failure: errors first, else the last lines."""
    lines = [line.rstrip() for line in log_text.splitlines() if line.strip()]
    errors = [line for line in lines if any(marker in line for marker in _FAILURE_MARKERS)]
    chosen = errors[:max_lines] if errors else lines[-max_lines:]
    return "\n".join(chosen) if chosen else "(the log is empty)"


def generate_password(length: int = 32) -> str:
    """A random password of letters and digits (safe in a picocli @-file and a shell)."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))
