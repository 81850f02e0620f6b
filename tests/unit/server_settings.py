"""Settings of a managed server under a temporary folder, for the launcher's unit tests."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings


def settings_in(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "state_dir": tmp_path / "state",
        "cache_dir": tmp_path / "cache",
        "neo4j_uri": None,
        "neo4j_bolt_port": 7687,
        "neo4j_http_port": 7474,
        "neo4j_heap": "2g",
        "neo4j_pagecache": "1g",
        "neo4j_tx_timeout": "120s",
        "neo4j_database": "neo4j",
    }
    values.update(overrides)
    return Settings.model_validate(values)
