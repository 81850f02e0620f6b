"""Fixtures shared by every kind of test: the repository's own corpus and vocabularies."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from align.records import Alignment
from loaders.corpus import load_corpus
from loaders.lexicon import Lexicon
from loaders.records import Corpus
from loaders.vocabulary import read_vocabularies
from policykg.pipeline import Inputs, align_all, build, read_inputs
from policykg.settings import Settings

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
def inputs(repo_settings: Settings) -> Inputs:
    return read_inputs(repo_settings)


@pytest.fixture(scope="session")
def alignments(inputs: Inputs) -> list[Alignment]:
    return align_all(inputs)


@pytest.fixture(scope="session")
def graph(repo_settings: Settings, inputs: Inputs, alignments: list[Alignment]) -> Graph:
    return build(repo_settings, inputs, alignments)
