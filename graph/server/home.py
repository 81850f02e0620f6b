"""The managed server's home folder: its layout on disk, its configuration files, and the
generated password of user ``neo4j``, set with Neo4j's own admin tool before the first
start."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
from pathlib import Path

from core.errors import Neo4jServerError
from core.files import write_atomically
from graph.server.commands import (
    generate_password,
    set_initial_password_command,
    summarize_failure,
)
from graph.server.config import (
    ServerConfig,
    ServerLayout,
    render_neo4j_conf,
    render_server_logs_xml,
    render_user_logs_xml,
)
from graph.server.jars import JavaRuntime

log = logging.getLogger(__name__)


def read_password(layout: ServerLayout) -> str | None:
    try:
        password = layout.password_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise Neo4jServerError(f"Cannot read {layout.password_file}: {e}") from e
    return password or None


def write_home(config: ServerConfig) -> None:
    """Create the home's folders and (re)write its configuration files."""
    lay = config.layout
    try:
        lay.home.mkdir(parents=True, exist_ok=True)
        os.chmod(lay.home, 0o700)  # it holds the password and the data
        for folder in lay.folders:
            folder.mkdir(exist_ok=True)
        write_atomically(lay.conf_file, render_neo4j_conf(config), mode=0o600)
        write_atomically(lay.server_logs_config, render_server_logs_xml())
        write_atomically(lay.user_logs_config, render_user_logs_xml())
    except OSError as e:
        raise Neo4jServerError(f"Cannot prepare the Neo4j home {lay.home}: {e}") from e
    for folder, why in (
        (lay.import_dir, "LOAD CSV may read it"),
        (lay.plugins_dir, "plugin procedures are not on the allowlist and will not load"),
    ):
        if any(folder.iterdir()):
            log.warning("%s should be empty (%s); it is not.", folder, why)


def ensure_initial_password(config: ServerConfig, java: JavaRuntime, lib_dir: Path) -> None:
    """Generate the password and set it with ``neo4j-admin`` before the server's first start.

    Only while no system database exists: afterwards the users live in it and ``auth.ini``
    is no longer read.
    """
    lay = config.layout
    if lay.system_database_dir.exists():
        if read_password(lay) is None:
            raise Neo4jServerError(
                f"The Neo4j home {lay.home} has a database but its generated password file "
                f"{lay.password_file} is missing, so nobody can log in. Restore the file, or "
                f"delete {lay.data_dir} to start with an empty database."
            )
        return
    password = read_password(lay)
    if password is None:
        password = generate_password()
        try:
            write_atomically(lay.password_file, password + "\n", mode=0o600)
        except OSError as e:
            raise Neo4jServerError(f"Cannot write {lay.password_file}: {e}") from e
        log.info("Generated the password of user 'neo4j' in %s", lay.password_file)
    if len(password) < 8 or not password.isalnum():
        # it travels in a picocli @-file, where spaces, quotes and '#' would change it
        raise Neo4jServerError(
            f"The password in {lay.password_file} must be at least 8 letters and digits; "
            "delete the file to have one generated."
        )
    argument_file = lay.run_dir / ".initial-password.args"
    env = {
        **os.environ,
        "NEO4J_HOME": str(lay.home),
        "NEO4J_CONF": str(lay.conf_dir),
        "JAVA_HOME": str(java.home),
    }
    try:
        write_atomically(argument_file, password + "\n", mode=0o600)
        done = subprocess.run(
            set_initial_password_command(java.executable, lib_dir, argument_file),
            env=env,
            cwd=lay.home,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Neo4jServerError(f"Cannot run neo4j-admin set-initial-password: {e}") from e
    finally:
        with contextlib.suppress(OSError):
            argument_file.unlink()
    if done.returncode != 0 or not lay.auth_ini.is_file():
        raise Neo4jServerError(
            f"neo4j-admin dbms set-initial-password failed (exit code {done.returncode}):\n"
            + summarize_failure(done.stdout + done.stderr)
        )
    os.chmod(lay.auth_ini, 0o600)
    log.info("Set the initial password of user 'neo4j' (data/dbms/auth.ini)")
