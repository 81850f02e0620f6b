"""One settings object, read from the environment at start-up and passed down.

Nothing reads the environment at import time: the command line (or the API's lifespan)
calls :func:`load_settings` once and hands the result to the layers that need it.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Where the project keeps its files, and how it reaches Neo4j.

    Environment variables use the ``POLICYKG_`` prefix (``POLICYKG_STATE_DIR``), except the
    standard Neo4j connection variables ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD`` and
    ``NEO4J_DATABASE``. When ``NEO4J_URI`` is set the project uses that server (Aura, a
    cluster via ``neo4j+s://``) and never starts one of its own.
    """

    model_config = SettingsConfigDict(env_prefix="POLICYKG_", extra="ignore")

    data_dir: Path = Field(default=REPO_ROOT / "data", description="corpus and vocabularies")
    state_dir: Path = Field(
        default=REPO_ROOT / "var", description="managed Neo4j data and logs, build outputs"
    )
    cache_dir: Path = Field(default=REPO_ROOT / ".cache", description="Neo4j jars from Maven")
    iri_base: str = "https://w3id.org/policykg/"

    neo4j_uri: str | None = Field(default=None, validation_alias=AliasChoices("NEO4J_URI"))
    neo4j_user: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_USER"))
    neo4j_password: str | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE"))

    neo4j_bolt_port: int = 7687
    neo4j_http_port: int = 7474
    neo4j_heap: str = Field(
        default="auto",
        description="the managed server's heap: a size such as 2g, or auto (sized to the graph)",
    )
    neo4j_pagecache: str = Field(
        default="auto",
        description="its page cache: a size such as 1g, or auto (sized to the graph)",
    )
    neo4j_tx_timeout: str = "120s"
    neo4j_tx_memory: str | None = Field(
        default=None,
        description="what one transaction may hold (db.memory.transaction.max); "
        "3/4 of half the heap when unset",
    )

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    cors_origins: list[str] = Field(default_factory=list)
    api_cache: bool = Field(default=True, description="cache responses per graph version")
    api_workers: int = Field(default=1, ge=1, description="API worker processes")
    api_max_body_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="largest request body any endpoint reads"
    )
    cypher_timeout_s: float = Field(default=10.0, gt=0, description="POST /cypher time limit")
    cypher_row_cap: int = Field(default=1000, ge=1, description="rows of one /cypher result")
    cypher_max_bytes: int = Field(
        default=8 * 1024 * 1024, ge=1024, description="bytes of JSON of one /cypher result"
    )
    cypher_memory_mb: int = Field(
        default=256, ge=8, description="server memory one /cypher query may hold"
    )
    cypher_concurrency: int = Field(
        default_factory=lambda: max(1, (os.cpu_count() or 2) // 2),
        ge=1,
        description="/cypher queries running at once (per API worker); half the cores",
    )
    cypher_cache_entries: int = Field(
        default=256, ge=1, description="/cypher results kept per graph version (with api_cache)"
    )
    cypher_cache_mb: int = Field(
        default=64, ge=1, description="MiB of JSON of the /cypher results kept (with api_cache)"
    )

    @classmethod
    def isolated(
        cls,
        state_dir: Path,
        bolt_port: int,
        http_port: int,
        *,
        heap: str = "1g",
        pagecache: str = "512m",
        tx_timeout: str = "120s",
        tx_memory: str | None = None,
    ) -> Settings:
        """Settings for a managed server of the caller's own (a test's, a benchmark's).

        Every Neo4j value is explicit, so the environment can neither point the caller at a
        user's server (``NEO4J_URI``) nor change the server's size.
        """
        return cls(
            state_dir=state_dir,
            neo4j_uri=None,
            neo4j_user="neo4j",
            neo4j_password=None,
            neo4j_database="neo4j",
            neo4j_bolt_port=bolt_port,
            neo4j_http_port=http_port,
            neo4j_heap=heap,
            neo4j_pagecache=pagecache,
            neo4j_tx_timeout=tx_timeout,
            neo4j_tx_memory=tx_memory,
        )

    @property
    def manages_neo4j(self) -> bool:
        """True when the project runs its own Neo4j server (no ``NEO4J_URI`` given)."""
        return self.neo4j_uri is None

    @property
    def corpus_manifest(self) -> Path:
        return self.data_dir / "corpus" / "manifest.toml"

    @property
    def vocab_dir(self) -> Path:
        return self.data_dir / "vocab"

    @property
    def gold_dir(self) -> Path:
        """Hand-written gold standards, kept apart from the methods they judge."""
        return self.data_dir / "gold"

    @property
    def neo4j_home(self) -> Path:
        """The managed server's folder: configuration, data, logs and generated password."""
        return self.state_dir / "neo4j"

    @property
    def build_dir(self) -> Path:
        return self.state_dir / "build"


def load_settings() -> Settings:
    """Read the settings from the environment (call once, at start-up)."""
    return Settings()
