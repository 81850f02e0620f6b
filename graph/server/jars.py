"""The server's jars: find Java 17+ and Maven, and resolve Neo4j and its Browser from Maven
Central into the cache, once (``policykg neo4j fetch``)."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from core.errors import Neo4jServerError
from core.settings import Settings
from graph.server.commands import maven_command, parse_java_version, summarize_failure
from graph.server.config import BROWSER_VERSION, NEO4J_VERSION
from graph.server.process import exclusive_lock

log = logging.getLogger(__name__)

POM_PATH = Path(__file__).resolve().parent.parent / "neo4j" / "pom.xml"


#: The jars whose presence marks a complete fetch (the folder is renamed into place whole).
REQUIRED_JARS = (f"neo4j-{NEO4J_VERSION}.jar", f"neo4j-browser-{BROWSER_VERSION}.jar")


MIN_JAVA_VERSION = 17


DEFAULT_JAVA_HOME = Path("/usr/lib/jvm/java-17-openjdk-amd64")


class JavaRuntime(BaseModel):
    """A Java executable and its major version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    executable: Path
    version: int

    @property
    def home(self) -> Path:
        """JAVA_HOME for child processes (Maven, the admin tool's forked JVM)."""
        return Path(os.path.realpath(self.executable)).parent.parent


def _java_version(executable: Path) -> int | None:
    try:
        done = subprocess.run(
            [str(executable), "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        log.debug("cannot run %s -version: %s", executable, e)
        return None
    return parse_java_version(done.stderr + done.stdout)


def find_java(env: Mapping[str, str] | None = None) -> JavaRuntime:
    """Java ≥ 17: ``$JAVA_HOME`` if it is new enough, else the Debian OpenJDK 17, else PATH."""
    env = os.environ if env is None else env
    candidates: list[tuple[str, Path]] = []
    if env.get("JAVA_HOME"):
        candidates.append(("JAVA_HOME", Path(env["JAVA_HOME"]) / "bin" / "java"))
    candidates.append(("the system OpenJDK 17", DEFAULT_JAVA_HOME / "bin" / "java"))
    on_path = shutil.which("java", path=env.get("PATH"))
    if on_path:
        candidates.append(("PATH", Path(on_path)))
    seen: list[str] = []
    for origin, executable in candidates:
        if not executable.is_file():
            continue
        version = _java_version(executable)
        if version is not None and version >= MIN_JAVA_VERSION:
            log.debug("using Java %d from %s: %s", version, origin, executable)
            return JavaRuntime(executable=executable, version=version)
        seen.append(f"{executable} (from {origin}: version {version or 'unknown'})")
        log.warning("Ignoring %s: Neo4j %s needs Java 17 or newer.", seen[-1], NEO4J_VERSION)
    found = "; found only " + ", ".join(seen) if seen else ""
    raise Neo4jServerError(
        f"Java {MIN_JAVA_VERSION} or newer is needed to run Neo4j {NEO4J_VERSION}{found}. "
        "Install it (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or point "
        "JAVA_HOME at a JDK 17+."
    )


def find_maven() -> Path:
    """The ``mvn`` executable, or a clear error naming what to install."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jServerError(
            "Maven (mvn) is needed to fetch the Neo4j jars from Maven Central. Install it "
            "(Debian/Ubuntu: apt-get install maven) and run `policykg neo4j fetch` again."
        )
    return Path(mvn)


def jar_dir(settings: Settings) -> Path:
    """Where the server's jars live once fetched."""
    return settings.cache_dir.resolve() / f"neo4j-{NEO4J_VERSION}" / "lib"


def jars_present(lib_dir: Path) -> bool:
    """True when a complete fetch is in place."""
    return all((lib_dir / jar).is_file() for jar in REQUIRED_JARS)


def _folder_bytes(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file():
                total += path.stat().st_size
    return total


def fetch_jars(
    settings: Settings, *, progress_every_s: float = 15.0, timeout_s: float = 1800.0
) -> Path:
    """Resolve the server's jars with Maven into the cache, once; return the lib folder.

    Maven copies into a temporary folder beside the final one, which is renamed into place
    only when complete, so an interrupted fetch never leaves a folder that looks complete.
    A second call returns at once. Concurrent calls are serialised by a lock file.

    Raises:
        Neo4jServerError: Java or Maven is missing, or Maven fails (network, proxy).
    """
    lib_dir = jar_dir(settings)
    if jars_present(lib_dir):
        log.debug("Neo4j %s jars already in %s", NEO4J_VERSION, lib_dir)
        return lib_dir
    java = find_java()
    mvn = find_maven()
    dist_dir = lib_dir.parent
    with exclusive_lock(dist_dir / ".fetch.lock"):
        if jars_present(lib_dir):  # another process finished while we waited for the lock
            return lib_dir
        for stale in dist_dir.glob(".lib-partial-*"):
            log.info("Removing an interrupted fetch: %s", stale)
            shutil.rmtree(stale, ignore_errors=True)
        if lib_dir.exists():
            log.warning("Replacing incomplete jar folder %s", lib_dir)
            shutil.rmtree(lib_dir)
        partial = Path(tempfile.mkdtemp(prefix=".lib-partial-", dir=dist_dir))
        repo_local = settings.cache_dir.resolve() / "m2"
        try:
            _run_maven(java, mvn, repo_local, partial, progress_every_s, timeout_s)
            missing = [jar for jar in REQUIRED_JARS if not (partial / jar).is_file()]
            if missing:
                raise Neo4jServerError(
                    f"Maven finished but did not produce {', '.join(missing)}; check {POM_PATH}."
                )
            os.chmod(partial, 0o755)  # mkdtemp made it private
            os.rename(partial, lib_dir)
        finally:
            if partial.exists():
                shutil.rmtree(partial, ignore_errors=True)
    jars = list(lib_dir.glob("*.jar"))
    log.info(
        "Neo4j %s and Browser %s are ready: %d jars, %.0f MB in %s",
        NEO4J_VERSION,
        BROWSER_VERSION,
        len(jars),
        sum(jar.stat().st_size for jar in jars) / 1e6,
        lib_dir,
    )
    return lib_dir


def _run_maven(
    java: JavaRuntime,
    mvn: Path,
    repo_local: Path,
    output_dir: Path,
    progress_every_s: float,
    timeout_s: float,
) -> None:
    command = maven_command(mvn, POM_PATH, repo_local, output_dir)
    env = {**os.environ, "JAVA_HOME": str(java.home)}
    log.info(
        "Fetching Neo4j %s and Browser %s from Maven Central into %s "
        "(about 170 MB the first time; a minute or two) …",
        NEO4J_VERSION,
        BROWSER_VERSION,
        output_dir.parent,
    )
    log.debug("running %s", " ".join(command))
    started = time.monotonic()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as output:
        try:
            proc = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
            )
        except OSError as e:
            raise Neo4jServerError(f"Cannot run Maven ({mvn}): {e}") from e
        try:
            while True:
                try:
                    code = proc.wait(timeout=progress_every_s)
                    break
                except subprocess.TimeoutExpired:
                    elapsed = time.monotonic() - started
                    if elapsed > timeout_s:
                        raise Neo4jServerError(
                            f"Maven did not finish within {timeout_s:.0f} s; check the network "
                            "connection to Maven Central and run `policykg neo4j fetch` again."
                        ) from None
                    log.info(
                        "… still resolving (%.0f s, %.0f MB in the local Maven repository)",
                        elapsed,
                        _folder_bytes(repo_local) / 1e6,
                    )
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if code != 0:
            output.seek(0)
            tail = summarize_failure(output.read(), max_lines=20)
            raise Neo4jServerError(
                f"Maven could not resolve the Neo4j jars (exit code {code}). Check access to "
                "Maven Central (https://repo.maven.apache.org; a proxy goes in "
                f"~/.m2/settings.xml), then run `policykg neo4j fetch` again.\n{tail}"
            )
    log.info("Maven finished in %.0f s", time.monotonic() - started)
