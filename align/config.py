"""The alignment method's configuration (``align/config.toml``), read and checked once."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.errors import AlignmentError

DEFAULT_CONFIG = Path(__file__).resolve().parent / "config.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Weights(_Section):
    words: float = Field(ge=0)
    chars: float = Field(ge=0)
    technologies: float = Field(ge=0)
    programmes: float = Field(ge=0)
    places: float = Field(ge=0)
    agencies: float = Field(ge=0)
    parts: float = Field(ge=0)

    @model_validator(mode="after")
    def _positive(self) -> Weights:
        if self.total() <= 0:
            raise ValueError("at least one weight must be positive")
        return self

    def total(self) -> float:
        return sum(self.as_dict().values())

    def as_dict(self) -> dict[str, float]:
        return self.model_dump()


class WordOptions(_Section):
    min_length: int = Field(ge=1)
    sublinear_tf: bool
    stop: tuple[str, ...]


class CharOptions(_Section):
    ngram_min: int = Field(ge=1)
    ngram_max: int = Field(ge=1)
    sublinear_tf: bool


class ConceptOptions(_Section):
    broader_discount: float = Field(ge=0, le=1)
    max_depth: int = Field(ge=0)


class Hubness(_Section):
    neighbours: int = Field(ge=1)
    candidates: int = Field(ge=1)


class Acceptance(_Section):
    floor: float = Field(ge=0, le=1)
    top_k: int = Field(ge=1)
    threshold: float = Field(ge=0, le=1)
    background_z: float = Field(ge=0)


class ClauseOptions(_Section):
    """The clause alignment's candidate search and signals (see align/clause_pairs.py)."""

    candidates: int = Field(ge=1)  # target clauses per source clause
    reverse_candidates: int = Field(ge=1)  # source clauses per target clause
    item_candidates: int = Field(ge=1)  # target items per source item (the item prior)
    hub_neighbours: int = Field(ge=1)
    probe_max_df: float = Field(gt=0, le=1)  # share of clauses above which a bigram …
    probe_min_df: int = Field(ge=1)  # … (and this many at least) is left out of the search
    general_rarity_power: float = Field(ge=0)
    keep: int = Field(ge=1)  # clause links kept per source clause (plus every accepted one)


class Performance(_Section):
    chunk_rows: int = Field(ge=1)
    block_megabytes: int = Field(ge=1)
    threads: int = Field(ge=0)  # 0: one per CPU


class AlignConfig(_Section):
    """Weights, options and thresholds of the alignment method."""

    method: str
    version: str
    weights: Weights
    words: WordOptions
    chars: CharOptions
    concepts: ConceptOptions
    hubness: Hubness
    acceptance: Acceptance
    clauses: ClauseOptions
    performance: Performance
    digest: str = ""

    @property
    def method_version(self) -> str:
        return f"{self.method} {self.version} (config {self.digest[:12]})"


def read_config(path: Path = DEFAULT_CONFIG) -> AlignConfig:
    """Read the configuration; its digest identifies the method version of every link."""
    try:
        data = path.read_bytes()
        raw = tomllib.loads(data.decode("utf-8"))
    except FileNotFoundError as e:
        raise AlignmentError(f"{path}: alignment configuration not found") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise AlignmentError(f"{path}: not valid TOML: {e}") from e
    try:
        return AlignConfig.model_validate({**raw, "digest": hashlib.sha256(data).hexdigest()})
    except ValidationError as e:
        raise AlignmentError(f"{path}: {e}") from e
