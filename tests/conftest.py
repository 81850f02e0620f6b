"""Fixtures shared by every kind of test.

These are pure: the repository's corpus, vocabularies, alignments and validated RDF graph,
built by the project's own pipeline, need nothing but Python. The fixtures that start a
real Neo4j (and serve the API over it) are in :mod:`tests.plugins.neo4j`, loaded here for
the integration, end-to-end and notebook tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from align.records import Alignment
from core.settings import Settings
from loaders.corpus import load_corpus
from loaders.lexicon import Lexicon
from loaders.records import Corpus
from loaders.vocabulary import read_vocabularies
from policykg.pipeline import Build, Inputs, build, read_inputs

pytest_plugins = ["tests.plugins.neo4j"]

REPO = Path(__file__).resolve().parent.parent
TEST_DATA = REPO / "tests" / "data"


@pytest.fixture(scope="session")
def repo_settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def lexicon(repo_settings: Settings) -> Lexicon:
    return Lexicon(read_vocabularies(repo_settings.vocab_dir))


@pytest.fixture(scope="session")
def corpus(repo_settings: Settings) -> Corpus:
    return load_corpus(repo_settings.corpus_manifest, repo_settings.vocab_dir)


@pytest.fixture(scope="session")
def family() -> Corpus:
    """The test family (``tests/data/family``): an opinion and two yearly plans."""
    family_dir = TEST_DATA / "family"
    return load_corpus(family_dir / "corpus" / "manifest.toml", family_dir / "vocab")


@pytest.fixture(scope="session")
def inputs(repo_settings: Settings) -> Inputs:
    return read_inputs(repo_settings)


@pytest.fixture(scope="session")
def built(repo_settings: Settings, inputs: Inputs) -> Build:
    """The corpus through the pipeline: aligned, built and validated against the shapes."""
    return build(repo_settings, inputs)


@pytest.fixture(scope="session")
def alignments(built: Build) -> list[Alignment]:
    return built.alignments


@pytest.fixture(scope="session")
def graph(built: Build) -> Graph:
    return built.graph
