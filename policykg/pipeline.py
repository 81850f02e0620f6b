"""The main job, composed once: corpus → records → alignments → validated RDF → files → Neo4j.

Every caller goes through these steps — the command line, the benchmarks and the test
fixtures — so there is one way to build, validate, write and load. Each layer does its
own work; this module only wires them together in the one direction the data flows, and
reports what it is doing to a :class:`Steps` observer (the command line shows spinners and
a progress bar; the tests and benchmarks pass nothing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from core.errors import AlignmentError, OntologyError
from core.files import write_atomically
from core.settings import Settings
from core.version import __version__
from policykg.build_record import (
    RECORD_FILE,
    ROWS_FILE,
    BuildRecord,
    build_key,
    forget_record,
    read_record,
    write_record,
)

if TYPE_CHECKING:  # the layers are imported where they are used: `policykg --help` stays fast
    import neo4j
    from rdflib import Graph

    from align.config import AlignConfig
    from align.records import Alignment
    from graph.connection import Neo4jConnection
    from graph.store import LoadResult
    from loaders.lexicon import Lexicon
    from loaders.manifest import Manifest
    from loaders.records import Corpus

log = logging.getLogger(__name__)


class Steps(Protocol):
    """What the pipeline tells its caller while it works."""

    def stage(self, message: str) -> AbstractContextManager[None]:
        """A step starts (``Validating 9708 triples…``); it ends with the block."""

    def rows(self, done: int, total: int) -> None:
        """Rows written to Neo4j so far, out of ``total``."""


class Quiet:
    """Steps that show nothing: for the tests and benchmarks."""

    @contextmanager
    def _nothing(self) -> Iterator[None]:
        yield

    def stage(self, message: str) -> AbstractContextManager[None]:
        log.debug("%s", message)
        return self._nothing()

    def rows(self, done: int, total: int) -> None:
        pass


@dataclass(frozen=True)
class Inputs:
    """Everything read from disk for one run."""

    manifest: Manifest
    corpus: Corpus
    lexicon: Lexicon
    originals: dict[str, str]
    config: AlignConfig
    files: tuple[Path, ...]  # every input file, for the digest and the load's time
    digest: str  # SHA-256 over the input files' names and bytes


def read_inputs(settings: Settings, align_config: Path | None = None) -> Inputs:
    """Read the manifest, vocabularies, corpus and alignment configuration."""
    from align.config import DEFAULT_CONFIG, read_config
    from loaders.clause_content import ContentReader
    from loaders.content import DEFAULT_CUES
    from loaders.corpus import build_corpus, corpus_titles, read_document_text
    from loaders.instruments import CODEBOOK_FILE
    from loaders.lexicon import Lexicon
    from loaders.manifest import read_manifest
    from loaders.vocabulary import VOCAB_FILES, read_vocabularies

    config_path = align_config or DEFAULT_CONFIG
    manifest = read_manifest(settings.corpus_manifest)
    lexicon = Lexicon(read_vocabularies(settings.vocab_dir))
    originals = {s.key: read_document_text(manifest.file(s)) for s in manifest.documents}
    by_file = {manifest.file(s): s.key for s in manifest.documents}
    content = ContentReader.from_files(settings.vocab_dir, corpus_titles(manifest))
    corpus = build_corpus(
        manifest, list(manifest.documents), lexicon, lambda path: originals[by_file[path]],
        content,
    )  # fmt: skip
    files = (
        settings.corpus_manifest,
        *by_file,
        *(settings.vocab_dir / name for name, _, _ in VOCAB_FILES.values()),
        config_path,
        settings.vocab_dir / CODEBOOK_FILE,
        DEFAULT_CUES,
    )
    return Inputs(
        manifest=manifest,
        corpus=corpus,
        lexicon=lexicon,
        originals=originals,
        config=read_config(config_path),
        files=files,
        digest=input_digest(files, settings.data_dir.parent),
    )


def input_digest(files: Iterable[Path], root: Path) -> str:
    """SHA-256 over every input file's path (relative to ``root``) and bytes."""
    h = hashlib.sha256()
    for path in sorted(files, key=lambda p: str(p)):
        try:
            name = str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            name = path.name
        h.update(name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def input_time(files: Iterable[Path]) -> dt.datetime:
    """The load's time: ``SOURCE_DATE_EPOCH`` if set, else the newest input file's mtime.

    Taking the time from the inputs rather than the clock is what makes rebuilding
    unchanged inputs give byte-identical output.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch else int(max(p.stat().st_mtime for p in files))
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def document_pairs(corpus: Corpus, manifest: Manifest | None = None) -> list[tuple[str, str]]:
    """The (earlier, later) pairs of documents the build aligns: every consecutive pair of
    each series the manifest declares, or, when it declares none, every pair by date."""
    if manifest is not None and manifest.series:
        return list(dict.fromkeys(p for series in manifest.series for p in series.pairs()))
    ordered = sorted(corpus.documents, key=lambda d: (d.date, d.key))
    return [(a.key, b.key) for a, b in combinations(ordered, 2)]


def pick_pair(
    pairs: Sequence[tuple[str, str]], source: str | None, target: str | None
) -> tuple[str, str]:
    """The pair to align when asked for ``source`` → ``target``, either or both left out: the
    first of the build's ``pairs`` (:func:`document_pairs`) with the given end(s). Both given:
    that pair, aligned or not (any pair may be asked for).

    Raises:
        AlignmentError: no pair of the build has the given end (the error lists them).
    """
    if source is not None and target is not None:
        return source, target
    for s, t in pairs:
        if source in (None, s) and target in (None, t):
            return s, t
    given = f"--source {source}" if source is not None else f"--target {target}"
    listed = ", ".join(f"{s} → {t}" for s, t in pairs) or "none"
    raise AlignmentError(
        f"no pair the build aligns has {given} (its pairs: {listed}); give both --source and "
        "--target to align any other pair"
    )


def align(inputs: Inputs, source: str, target: str) -> Alignment:
    """The alignment of one document pair."""
    from align.pipeline import align_documents

    return align_documents(
        inputs.corpus, inputs.lexicon, inputs.config, source, target, inputs.originals
    )


def align_all(inputs: Inputs) -> list[Alignment]:
    """The alignment of every pair :func:`document_pairs` names."""
    pairs = document_pairs(inputs.corpus, inputs.manifest)
    if not pairs:
        raise AlignmentError("the corpus needs at least two documents to align")
    return [align(inputs, s, t) for s, t in pairs]


@dataclass(frozen=True)
class Build:
    """A built and validated graph, with what it was built from."""

    inputs: Inputs
    alignments: list[Alignment]
    graph: Graph


def build_graph(settings: Settings, inputs: Inputs, alignments: list[Alignment]) -> Graph:
    """The RDF graph of the whole corpus, not yet validated."""
    from loaders.instruments import CODEBOOK_FILE, read_codebook
    from ontology.build import BuildParameters
    from ontology.build import build_graph as records_to_rdf
    from ontology.content import add_content
    from ontology.iris import Iris

    params = BuildParameters(
        iri_base=settings.iri_base,
        software_version=__version__,
        input_digest=inputs.digest,
        time=input_time(inputs.files),
    )
    graph = records_to_rdf(inputs.corpus, inputs.lexicon, alignments, params)
    add_content(
        graph, Iris(settings.iri_base), inputs.corpus,
        read_codebook(settings.vocab_dir / CODEBOOK_FILE),
    )  # fmt: skip
    return graph


def build(settings: Settings, inputs: Inputs | None = None, steps: Steps | None = None) -> Build:
    """Read (unless given), align, build and validate the graph.

    Raises:
        LoaderError, AlignmentError: the inputs cannot be read or aligned.
        OntologyError: the graph does not conform to the SHACL shapes (nothing is returned,
            so nothing can be written or loaded).
    """
    from ontology.validate import validate

    steps = steps or Quiet()
    if inputs is None:
        with steps.stage("Reading the corpus and vocabularies…"):
            inputs = read_inputs(settings)
    with steps.stage("Aligning documents…"):
        alignments = align_all(inputs)
    with steps.stage("Building the RDF graph…"):
        graph = build_graph(settings, inputs, alignments)
    with steps.stage(f"Validating {len(graph)} triples against the SHACL shapes…"):
        report = validate(graph)
    if not report.conforms:
        raise OntologyError("the graph does not conform; nothing was written.\n" + report.summary())
    return Build(inputs=inputs, alignments=alignments, graph=graph)


def write_outputs(settings: Settings, built: Build, out_dir: Path | None = None) -> list[Path]:
    """Write the graph (Turtle, JSON-LD, context), one SSSOM file per aligned pair and the
    Neo4j name mapping into ``out_dir`` (the build folder by default); the paths written."""
    from align.sssom import to_sssom_tsv
    from graph.mapping import derive_mapping
    from ontology.serialise import write_graph

    out = out_dir or settings.build_dir
    written = write_graph(built.graph, out, settings.iri_base)
    titles = {i.id: i.title_simplified for i in built.inputs.corpus.items()}
    for alignment in built.alignments:
        path = out / f"alignment-{alignment.source}-{alignment.target}.sssom.tsv"
        write_atomically(path, to_sssom_tsv(alignment, settings.iri_base, titles))
        written.append(path)
    mapping = out / "neo4j-mapping.json"
    write_atomically(mapping, derive_mapping(built.graph).to_json() + "\n")
    written.append(mapping)
    return written


@dataclass(frozen=True)
class Built:
    """The build folder holding the build of the current inputs and code.

    Besides the files :func:`write_outputs` writes, it holds the graph as Neo4j rows (what a
    load reads) and the record of the build (``build.json``: its key, what it read, the
    digest of every file). ``reused`` says the folder already held this build, so nothing
    was parsed, aligned, built or validated.
    """

    folder: Path
    record: BuildRecord
    reused: bool

    @property
    def rows_file(self) -> Path:
        return self.folder / ROWS_FILE

    @property
    def files(self) -> list[Path]:
        """Every file of the build, the record last."""
        return [*(self.folder / name for name in sorted(self.record.files)), self.record_file]

    @property
    def record_file(self) -> Path:
        return self.folder / RECORD_FILE


def ensure_built(settings: Settings, steps: Steps | None = None, *, force: bool = False) -> Built:
    """The build of the current inputs and code in the build folder: reused when the folder's
    record has the same build key and its files are unchanged; otherwise (or with ``force``)
    read, aligned, built, validated and written, the record last.

    Raises:
        LoaderError, AlignmentError, OntologyError: as :func:`build`.
    """
    from graph.mapping import mapping_and_rows
    from graph.rows_file import write_rows

    steps = steps or Quiet()
    folder = settings.build_dir
    key = build_key(settings)
    record = read_record(folder)
    if not force and record is not None and record.key == key and record.intact(folder):
        log.debug("the build %s in %s is up to date", key[:12], folder)
        return Built(folder=folder, record=record, reused=True)
    forget_record(folder)
    built = build(settings, steps=steps)
    with steps.stage(f"Writing the graph files to {folder}…"):
        written = write_outputs(settings, built, folder)
        mapping, rows = mapping_and_rows(built.graph)
        write_rows(folder / ROWS_FILE, mapping, rows, len(built.graph))
        counts = (len(built.graph), rows.node_count(), rows.relationship_count())
        record = write_record(
            folder, key, built.inputs.digest, counts, [*written, folder / ROWS_FILE]
        )
    return Built(folder=folder, record=record, reused=False)


def load(
    driver: neo4j.Driver, database: str, built: Build, steps: Steps | None = None
) -> LoadResult:
    """Replace the graph in Neo4j with ``built``, in one transaction (see :mod:`graph.store`)."""
    from api.shapes import derive
    from graph.store import load_graph

    steps = steps or Quiet()
    return load_graph(
        driver, database, built.graph, input_digest=built.inputs.digest, progress=steps.rows,
        derive=derive,
    )  # fmt: skip


def load_built(
    driver: neo4j.Driver,
    database: str,
    built: Built,
    steps: Steps | None = None,
    *,
    force: bool = False,
) -> LoadResult | None:
    """Load the build's rows into Neo4j, unless the database already holds that build.

    The database holds it when its meta node carries the same build key: then nothing is
    sent (None is returned), unless ``force``. Otherwise the load replaces the graph in one
    transaction (see :mod:`graph.store`), without rdflib: the rows come from the build folder.
    """
    from api.shapes import derive
    from graph.rows_file import read_rows
    from graph.store import load_rows, read_meta

    steps = steps or Quiet()
    meta = read_meta(driver, database)
    if not force and meta is not None and meta.build_digest == built.record.key:
        return None
    with steps.stage("Reading the graph's rows…"):
        rows_file = read_rows(built.rows_file)
    return load_rows(
        driver,
        database,
        rows_file.rows,
        rows_file.mapping,
        triples=rows_file.triples,
        input_digest=built.record.input_digest,
        build_digest=built.record.key,
        progress=steps.rows,
        derive=derive,
    )


@dataclass(frozen=True)
class Loaded:
    """Where the graph is after a load, which version it is, and how much of it there is
    (counted in the database). ``result`` is the load's report, or None when the database
    already held the build and nothing was sent."""

    connection: Neo4jConnection
    version: str
    nodes: int
    relationships: int
    result: LoadResult | None

    @property
    def skipped(self) -> bool:
        return self.result is None


def _load_and_count(
    driver: neo4j.Driver,
    connection: Neo4jConnection,
    built: Build | Built,
    steps: Steps,
    force: bool,
) -> Loaded:
    from graph.store import counts, read_meta

    database = connection.database
    if isinstance(built, Built):
        result = load_built(driver, database, built, steps, force=force)
    else:
        result = load(driver, database, built, steps)
    if result is not None:
        version = result.version
    else:
        meta = read_meta(driver, database)
        version = meta.version if meta is not None else ""
    nodes, relationships = counts(driver, database)
    return Loaded(connection, version, nodes, relationships, result)


def sized_to_graph(settings: Settings, rows_file: Path) -> Settings:
    """``settings`` with an ``auto`` heap or page cache (the default) replaced by the sizes
    for the graph in ``rows_file`` (:func:`graph.server.memory.memory_for_graph`; the least
    sizes when there is no such file yet)."""
    from graph.server.memory import AUTO, format_size, memory_for_graph
    from graph.server.process import physical_memory

    if AUTO not in (settings.neo4j_heap, settings.neo4j_pagecache):
        return settings
    size = rows_file.stat().st_size if rows_file.is_file() else 0
    heap, pagecache = memory_for_graph(size, physical_memory())
    update = {}
    if settings.neo4j_heap == AUTO:
        update["neo4j_heap"] = format_size(heap)
    if settings.neo4j_pagecache == AUTO:
        update["neo4j_pagecache"] = format_size(pagecache)
    return settings.model_copy(update=update)


def _start(settings: Settings, steps: Steps, rows_file: Path | None) -> Neo4jConnection:
    from graph import server

    sized = sized_to_graph(settings, rows_file) if rows_file is not None else settings
    with steps.stage("Starting Neo4j…" if settings.manages_neo4j else "Connecting to Neo4j…"):
        return server.ensure_running(sized)


def start_and_load(
    settings: Settings, built: Build | Built, steps: Steps | None = None, *, force: bool = False
) -> Loaded:
    """Start the managed Neo4j if needed (or reach ``NEO4J_URI``), load ``built`` (an
    in-memory build; or a build folder, skipped when the database holds it, unless
    ``force``) and count what the database holds."""
    from graph.connection import open_driver

    steps = steps or Quiet()
    connection = _start(settings, steps, built.rows_file if isinstance(built, Built) else None)
    with open_driver(connection) as driver:
        return _load_and_count(driver, connection, built, steps, force)


def build_start_and_load(
    settings: Settings, steps: Steps | None = None, *, force: bool = False
) -> tuple[Built, Loaded]:
    """The main job: the build (reused when up to date) and Neo4j's start, then the load
    (skipped when the database already holds the build); ``force`` redoes both.

    When the build folder holds a build already, the managed server starts in a thread
    while this one builds, sized to that build: the server is a process of its own, so its
    start and the build share the machine's cores instead of taking turns. The first build
    comes first, so that the server is sized to it.
    """
    from graph.connection import open_driver

    steps = steps or Quiet()
    rows_file = settings.build_dir / ROWS_FILE
    if rows_file.is_file():
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="neo4j-start") as pool:
            starting = pool.submit(_start, settings, Quiet(), rows_file)
            built = ensure_built(settings, steps, force=force)
            with steps.stage("Starting Neo4j…" if settings.manages_neo4j else "Connecting…"):
                connection = starting.result()
    else:
        built = ensure_built(settings, steps, force=force)
        connection = _start(settings, steps, built.rows_file)
    with open_driver(connection) as driver:
        return built, _load_and_count(driver, connection, built, steps, force)


def build_and_import(
    settings: Settings, steps: Steps | None = None, *, force: bool = False
) -> tuple[Built, Loaded]:
    """The build (reused when up to date), then the offline import into the managed server
    (``neo4j-admin database import``, :mod:`graph.bulk_import`): the path for a first load of
    a very large graph, which needs no transaction memory in the server."""
    from graph import server
    from graph.bulk_import import import_offline
    from graph.rows_file import read_rows

    steps = steps or Quiet()
    built = ensure_built(settings, steps, force=force)
    sized = sized_to_graph(settings, built.rows_file)
    with steps.stage("Reading the graph's rows…"):
        rows_file = read_rows(built.rows_file)
    with steps.stage("Importing the graph with neo4j-admin (Neo4j stops meanwhile)…"):
        result = import_offline(
            sized,
            rows_file.rows,
            rows_file.mapping,
            triples=rows_file.triples,
            input_digest=built.record.input_digest,
            build_digest=built.record.key,
        )
    loaded = Loaded(
        server.connection_for(sized), result.version, result.nodes, result.relationships, result
    )
    return built, loaded


@contextmanager
def managed_graph(settings: Settings, built: Build) -> Iterator[Loaded]:
    """A managed Neo4j of the caller's own with ``built`` loaded, stopped when the block
    ends, even on error (for tests and benchmarks: see :meth:`Settings.isolated`)."""
    from graph import server

    try:
        yield start_and_load(settings, built)
    finally:
        server.stop_server(settings)
