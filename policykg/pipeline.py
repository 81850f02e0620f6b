"""The main job's steps, composed: corpus → records → alignments → RDF graph.

The command line and the API's tests call these; each layer does its own work and this
module only wires them together in the one direction the data flows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from rdflib import Graph

import policykg
from align.config import DEFAULT_CONFIG, AlignConfig, read_config
from align.pipeline import align_documents
from align.records import Alignment
from loaders.corpus import build_corpus, read_document_text
from loaders.lexicon import Lexicon
from loaders.manifest import Manifest, read_manifest
from loaders.records import Corpus
from loaders.vocabulary import VOCAB_FILES, read_vocabularies
from ontology.build import BuildParameters, build_graph
from policykg.errors import AlignmentError
from policykg.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inputs:
    """Everything read from disk for one run."""

    manifest: Manifest
    corpus: Corpus
    lexicon: Lexicon
    originals: dict[str, str]
    config: AlignConfig
    files: tuple[Path, ...]  # every input file, for the digest and the load's time


def read_inputs(settings: Settings, align_config: Path = DEFAULT_CONFIG) -> Inputs:
    """Read the manifest, vocabularies, corpus and alignment configuration."""
    manifest = read_manifest(settings.corpus_manifest)
    lexicon = Lexicon(read_vocabularies(settings.vocab_dir))
    originals = {s.key: read_document_text(manifest.file(s)) for s in manifest.documents}
    corpus = build_corpus(
        manifest, list(manifest.documents), lexicon, lambda p: originals[_key_of(manifest, p)]
    )
    files = (
        settings.corpus_manifest,
        *(manifest.file(s) for s in manifest.documents),
        *(settings.vocab_dir / name for name, _, _ in VOCAB_FILES.values()),
        align_config,
    )
    return Inputs(manifest, corpus, lexicon, originals, read_config(align_config), files)


def _key_of(manifest: Manifest, path: Path) -> str:
    for spec in manifest.documents:
        if manifest.file(spec) == path:
            return spec.key
    raise KeyError(path)


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


def document_pairs(corpus: Corpus) -> list[tuple[str, str]]:
    """Every (earlier, later) pair of documents: what the build aligns."""
    ordered = sorted(corpus.documents, key=lambda d: (d.date, d.key))
    return [(a.key, b.key) for a, b in combinations(ordered, 2)]


def align(inputs: Inputs, source: str, target: str) -> Alignment:
    return align_documents(
        inputs.corpus, inputs.lexicon, inputs.config, source, target, inputs.originals
    )


def align_all(inputs: Inputs) -> list[Alignment]:
    """The alignment of every (earlier, later) document pair."""
    pairs = document_pairs(inputs.corpus)
    if not pairs:
        raise AlignmentError("the corpus needs at least two documents to align")
    return [align(inputs, s, t) for s, t in pairs]


def build(settings: Settings, inputs: Inputs, alignments: list[Alignment]) -> Graph:
    """The RDF graph of the whole corpus; checking it against the shapes is the caller's step."""
    params = BuildParameters(
        iri_base=settings.iri_base,
        software_version=policykg.__version__,
        input_digest=input_digest(inputs.files, settings.data_dir.parent),
        time=input_time(inputs.files),
    )
    return build_graph(inputs.corpus, inputs.lexicon, alignments, params)
