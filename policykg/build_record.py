"""The key a build is known by, and the record the build folder keeps of the build it holds.

A build's output depends on its input files (their bytes, and their times, which become the
load's recorded time unless ``SOURCE_DATE_EPOCH`` is set), on the code that reads, aligns,
builds, validates and maps them, on the libraries that code uses, and on the IRI base. The
**build key** is a SHA-256 over all of these, computed without parsing anything, so it takes
milliseconds. The build folder keeps it in ``build.json`` together with the digest of every
file written; when the key of the current inputs and code matches and every file is still
as written, the build is reused as it is (see :func:`policykg.pipeline.ensure_built`).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from core.files import write_atomically
from core.settings import REPO_ROOT, Settings

RECORD_FILE = "build.json"
ROWS_FILE = "neo4j-rows.json"
#: The code a build runs, relative to the repository: whole packages, and single files.
CODE = (
    "core",
    "loaders",
    "align",
    "ontology",
    "graph/mapping.py",
    "graph/names.toml",
    "graph/rows_file.py",
    "policykg/pipeline.py",
    "policykg/build_record.py",
)
#: The libraries whose versions can change what a build writes.
LIBRARIES = (
    "rdflib",
    "pyshacl",
    "owlrl",
    "jieba",
    "opencc",
    "scikit-learn",
    "scipy",
    "numpy",
    "pydantic",
    "sparse-dot-topn",
)
_KEY_VERSION = b"policykg build key 1"


def _files(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            yield path


def _library_versions() -> list[str]:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return versions


def build_key(settings: Settings, code_root: Path = REPO_ROOT) -> str:
    """The SHA-256 of everything a build's output depends on (see the module docstring)."""
    h = hashlib.sha256(_KEY_VERSION + b"\0")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    h.update(f"iri_base={settings.iri_base}\0epoch={epoch}\0".encode())
    h.update(f"python={sys.version_info[0]}.{sys.version_info[1]}\0".encode())
    h.update(("\0".join(_library_versions()) + "\0").encode())
    data = settings.data_dir.resolve()
    for path in _files(data):
        # without SOURCE_DATE_EPOCH an input's time becomes the load's recorded time
        mtime = "" if epoch else str(int(path.stat().st_mtime))
        h.update(f"input {path.relative_to(data)} {mtime}\0".encode())
        h.update(path.read_bytes() + b"\0")
    for part in CODE:
        root = code_root / part
        for path in _files(root):
            h.update(f"code {path.relative_to(code_root)}\0".encode())
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class BuildRecord:
    """What ``build.json`` says about the build in its folder.

    ``key`` is the :func:`build_key` the build was made under, ``input_digest`` the digest
    of the input files it read (also in the graph and in Neo4j's meta node), ``files`` the
    SHA-256 of every file written, by name.
    """

    key: str
    input_digest: str
    triples: int
    nodes: int
    relationships: int
    files: dict[str, str]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    def intact(self, folder: Path) -> bool:
        """True when every file the build wrote is still in ``folder``, unchanged."""
        try:
            return all(file_digest(folder / name) == d for name, d in self.files.items())
        except OSError:
            return False


def read_record(folder: Path) -> BuildRecord | None:
    """The record of the build in ``folder``, or None (no build, or an unreadable record)."""
    try:
        data = json.loads((folder / RECORD_FILE).read_text(encoding="utf-8"))
        return BuildRecord(
            key=str(data["key"]),
            input_digest=str(data["input_digest"]),
            triples=int(data["triples"]),
            nodes=int(data["nodes"]),
            relationships=int(data["relationships"]),
            files={str(k): str(v) for k, v in data["files"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def forget_record(folder: Path) -> None:
    """Remove the record first when a build starts, so a build cut short is never reused."""
    (folder / RECORD_FILE).unlink(missing_ok=True)


def write_record(
    folder: Path,
    key: str,
    input_digest: str,
    counts: tuple[int, int, int],
    written: Iterable[Path],
) -> BuildRecord:
    """Write ``build.json`` (last, after every other file) and return the record."""
    triples, nodes, relationships = counts
    record = BuildRecord(
        key=key,
        input_digest=input_digest,
        triples=triples,
        nodes=nodes,
        relationships=relationships,
        files={path.name: file_digest(path) for path in sorted(written)},
    )
    write_atomically(folder / RECORD_FILE, record.to_json())
    return record
