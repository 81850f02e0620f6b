"""A first load of a very large graph, offline: the build's rows as CSV files, imported by
Neo4j's own ``neo4j-admin database import full`` into a store of its own, which then takes
the place of the managed server's database while the server is stopped.

The online load (:mod:`graph.store`) is one transaction through the server; this path
skips the transaction altogether and writes the store files directly, which is what Neo4j
offers for large initial loads. It only exists for the managed server (an external one
cannot be stopped from here), and it keeps the online load's guarantees that matter:

* **all or nothing**: the import runs into a staging folder; the server's database is
  replaced only once the import has succeeded, and put back if the server then fails to
  start with the new one;
* **the same graph**: the nodes, labels, properties (with their Neo4j types: an integer is a
  long, a date a date …) and relationships are those the online load writes, with the same
  meta node (version, mapping, counts, digests), so ``policykg export`` gives back the
  same RDF; the indexes are created once the server is up again.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import GraphStoreError
from core.files import write_atomically
from core.settings import Settings
from graph import queries
from graph.mapping import GraphMapping, Rows
from graph.store import LoadResult

log = logging.getLogger(__name__)

#: Between the values of an array, and between labels: a character no text of the corpus
#: holds (checked for every value written).
ARRAY_DELIMITER = "\x1f"
META_ID_SPACE = "meta"


@dataclass(frozen=True)
class ImportFiles:
    """The CSV files of one import: one node file per label set, the meta node, the
    relationships; and which of them have values that span lines (which the importer reads
    more slowly, so it is told which)."""

    nodes: tuple[Path, ...]
    meta: Path
    relationships: Path
    multiline: tuple[Path, ...]


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _csv_type(key: str, values: Iterable[Any]) -> str:
    """The import header's type of a property (the type the online load gives it)."""
    kinds = set()
    for value in values:
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, bool):
                kinds.add("boolean")
            elif isinstance(v, int):
                kinds.add("long")
            elif isinstance(v, float):
                kinds.add("double")
            elif isinstance(v, dt.datetime):
                kinds.add("datetime" if v.tzinfo is not None else "localdatetime")
            elif isinstance(v, dt.date):
                kinds.add("date")
            elif isinstance(v, str):
                kinds.add("string")
            else:
                raise GraphStoreError(f"property {key!r} has a value of type {type(v).__name__}")
    if len(kinds) != 1:
        raise GraphStoreError(f"property {key!r} has values of several types: {sorted(kinds)}")
    return kinds.pop()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise GraphStoreError(f"{value} cannot be imported offline; load the graph online")
        return repr(float(value))
    if isinstance(value, dt.date):  # and datetime
        return value.isoformat()
    return str(value)


def _field(value: Any) -> str:
    if value is None:
        return ""  # an empty field: no such property on this node
    if isinstance(value, list):
        texts = [_text(v) for v in value]
        if any(ARRAY_DELIMITER in t for t in texts):
            raise GraphStoreError(
                "a value in a list holds the character U+001F, which the offline import uses "
                f"between values: {value!r:.80}; load the graph online instead"
            )
        return _quoted(ARRAY_DELIMITER.join(texts))
    return _quoted(_text(value))


def _write_lines(path: Path, header: Sequence[str], lines: Iterable[Sequence[Any]]) -> bool:
    """Write a CSV file; whether any of its values spans lines."""
    multiline = False
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(",".join(header) + "\n")
        for line in lines:
            text = ",".join(_field(v) for v in line)
            multiline = multiline or "\n" in text or "\r" in text
            out.write(text + "\n")
    return multiline


def write_import_files(
    folder: Path, rows: Rows, mapping: GraphMapping, meta: dict[str, Any]
) -> ImportFiles:
    """Write the rows (and the meta node's properties, ``meta``) as import CSV files."""
    folder.mkdir(parents=True, exist_ok=True)
    node_files, multiline = [], []
    for n, (labels, group) in enumerate(sorted(rows.nodes.items())):
        names = queries.checked_labels(labels)
        keys = sorted({k for row in group for k in row["props"]})
        types = {k: _csv_type(k, (r["props"][k] for r in group if k in r["props"])) for k in keys}
        suffix = {k: "[]" if mapping.properties[k].is_list else "" for k in keys}
        header = ["uri:ID", ":LABEL", *(f"{k}:{types[k]}{suffix[k]}" for k in keys)]
        path = folder / f"nodes-{n:03d}.csv"
        lines = ([r["uri"], names, *(r["props"].get(k) for k in keys)] for r in group)
        if _write_lines(path, header, lines):
            multiline.append(path)
        node_files.append(path)
    meta_keys = sorted(meta)
    meta_types = {k: _csv_type(k, [meta[k]]) for k in meta_keys}
    meta_file = folder / "meta.csv"
    if _write_lines(
        meta_file,
        [f":ID({META_ID_SPACE})", ":LABEL", *(f"{k}:{meta_types[k]}" for k in meta_keys)],
        [["graph", [queries.META], *(meta[k] for k in meta_keys)]],
    ):
        multiline.append(meta_file)
    rel_file = folder / "relationships.csv"
    _write_lines(
        rel_file,
        [":START_ID", ":END_ID", ":TYPE"],
        (
            [r["s"], r["o"], queries.plain_name(rel_type)]
            for rel_type, group in sorted(rows.relationships.items())
            for r in group
        ),
    )
    return ImportFiles(
        nodes=tuple(node_files),
        meta=meta_file,
        relationships=rel_file,
        multiline=tuple(multiline),
    )


def meta_properties(
    rows: Rows, mapping: GraphMapping, *, triples: int, input_digest: str, build_digest: str
) -> dict[str, Any]:
    """The meta node's properties, as the online load writes them (``queries.CREATE_META``)."""
    return {
        "key": "graph",
        "version": uuid.uuid4().hex[:16],
        "loadedAt": dt.datetime.now(dt.UTC),
        "mapping": mapping.to_json(),
        "nodes": rows.node_count(),
        "relationships": rows.relationship_count(),
        "triples": triples,
        "inputDigest": input_digest,
        "buildDigest": build_digest,
    }


def import_arguments(files: ImportFiles, database: str, report: Path) -> list[str]:
    """The arguments of ``neo4j-admin`` for one import (after the entry point)."""
    return [
        "database",
        "import",
        "full",
        *(f"--nodes={path}" for path in files.nodes),
        f"--nodes={files.meta}",
        f"--relationships={files.relationships}",
        "--array-delimiter=U+001F",
        *(
            ["--multiline-fields-format=v2", "--multiline-fields=" + ",".join(map(str, multi))]
            if (multi := files.multiline)
            else []
        ),
        "--id-type=string",
        "--strict=true",
        "--bad-tolerance=0",
        "--overwrite-destination=true",
        f"--report-file={report}",
        database,
    ]


def run_import(
    command: Sequence[str], env: dict[str, str], cwd: Path, timeout_s: float
) -> subprocess.CompletedProcess[str]:
    """Run the import tool; its output is logged at debug level."""
    started = time.monotonic()
    try:
        done = subprocess.run(
            list(command),
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise GraphStoreError(f"cannot run neo4j-admin database import: {e}") from e
    log.debug("neo4j-admin database import: %.1f s\n%s", time.monotonic() - started, done.stdout)
    return done


def swap_in(staged: Sequence[Path], live: Sequence[Path], backup: Path) -> list[tuple[Path, Path]]:
    """Move each ``live`` folder into ``backup`` and each ``staged`` one into its place; the
    moves made, for :func:`swap_back`."""
    backup.mkdir(parents=True, exist_ok=True)
    moves: list[tuple[Path, Path]] = []
    try:
        for new, old in zip(staged, live, strict=True):
            if old.exists():
                kept = backup / old.parent.name / old.name
                kept.parent.mkdir(parents=True, exist_ok=True)
                os.replace(old, kept)
                moves.append((kept, old))
            old.parent.mkdir(parents=True, exist_ok=True)
            os.replace(new, old)
            moves.append((old, new))
    except OSError:
        swap_back(moves)
        raise
    return moves


def swap_back(moves: Sequence[tuple[Path, Path]]) -> None:
    """Undo :func:`swap_in`'s moves, last first."""
    for moved, origin in reversed(moves):
        if moved.exists() and not origin.exists():
            os.replace(moved, origin)


#: ``neo4j-admin``'s own entry point: one JVM (``bin/neo4j-admin``'s launcher would start a
#: second one to run it). It reads NEO4J_HOME and NEO4J_CONF from the environment.
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
IMPORT_TIMEOUT_S = 6 * 3600.0


def import_offline(
    settings: Settings,
    rows: Rows,
    mapping: GraphMapping,
    *,
    triples: int,
    input_digest: str = "",
    build_digest: str = "",
) -> LoadResult:
    """Replace the managed server's database with these rows through ``neo4j-admin database
    import``: the server is stopped for the swap and started again (see the module docstring).

    Raises:
        GraphStoreError: an external server is configured, or the import fails (the database
            is then as it was).
        Neo4jServerError: the server does not start with the imported store (it is then
            started again with the database it had).
    """
    from graph import server
    from graph.connection import open_driver
    from graph.server.commands import classpath, summarize_failure
    from graph.server.config import ServerLayout
    from graph.server.jars import find_java
    from graph.store import counts, ensure_schema

    if not settings.manages_neo4j:
        raise GraphStoreError(
            "the offline import writes the managed server's store, and NEO4J_URI names an "
            "external server: load it online (without --offline)"
        )
    started = time.perf_counter()
    database = settings.neo4j_database
    staging = settings.state_dir / "import"
    shutil.rmtree(staging, ignore_errors=True)
    home = staging / "home"
    meta = meta_properties(
        rows, mapping, triples=triples, input_digest=input_digest, build_digest=build_digest
    )
    files = write_import_files(staging / "csv", rows, mapping, meta)
    write_atomically(home / "conf" / "neo4j.conf", f"server.directories.data={staging / 'data'}\n")
    lib_dir, java = server.fetch_jars(settings), find_java()
    command = [
        str(java.executable),
        "-cp",
        classpath(lib_dir),
        ADMIN_TOOL,
        *import_arguments(files, database, staging / "import.report"),
    ]
    env = {
        **os.environ,
        "NEO4J_HOME": str(home),
        "NEO4J_CONF": str(home / "conf"),
        "JAVA_HOME": str(java.home),
    }
    done = run_import(command, env, staging, IMPORT_TIMEOUT_S)
    if done.returncode != 0:
        raise GraphStoreError(
            f"neo4j-admin database import failed (exit code {done.returncode}); the database "
            "is unchanged:\n" + summarize_failure(done.stdout + done.stderr)
        )
    log.info("imported %d nodes and %d relationships offline", rows.node_count(),
             rows.relationship_count())  # fmt: skip

    layout = ServerLayout(home=settings.neo4j_home.resolve())
    parts = [("databases", database), ("transactions", database)]
    live = [layout.data_dir / folder / name for folder, name in parts]
    staged = [staging / "data" / folder / name for folder, name in parts]
    server.stop_server(settings)
    moves = swap_in(staged, live, staging / "previous")
    try:
        connection = server.ensure_running(settings)
        with open_driver(connection) as driver:
            ensure_schema(driver, database)
            driver.execute_query(AWAIT_INDEXES, database_=database)
            held = counts(driver, database)
        if held != (rows.node_count(), rows.relationship_count()):
            raise GraphStoreError(
                f"the imported database holds {held[0]} nodes and {held[1]} relationships, "
                f"not {rows.node_count()} and {rows.relationship_count()}"
            )
    except Exception:
        # the database as it was, served again
        server.stop_server(settings)
        swap_back(moves)
        server.ensure_running(settings)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    seconds = time.perf_counter() - started
    return LoadResult(str(meta["version"]), held[0], held[1], triples, seconds)


#: Until the indexes the server builds after an import are online (the API's search needs
#: the full-text one).
AWAIT_INDEXES = "CALL db.awaitIndexes(3600)"
