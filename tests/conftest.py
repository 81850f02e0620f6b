"""Fixtures shared by every kind of test: the repository's own corpus and vocabularies."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.corpus import load_corpus
from loaders.lexicon import Lexicon
from loaders.records import Corpus
from loaders.vocabulary import read_vocabularies
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
