"""How the project reaches a server: an external one (NEO4J_URI), or the managed one."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import Neo4jUnavailable
from graph.server import lifecycle
from tests.unit.server_settings import settings_in


def test_external_connection_comes_from_the_neo4jsettings_in(tmp_path: Path) -> None:
    settings = settings_in(
        tmp_path,
        neo4j_uri="neo4j+s://example.databases.neo4j.io",
        neo4j_user="reader",
        neo4j_password="s3cret-value",
        neo4j_database="policies",
    )
    connection = lifecycle.connection_for(settings)
    assert connection.uri == "neo4j+s://example.databases.neo4j.io"
    assert connection.auth == ("reader", "s3cret-value")
    assert connection.database == "policies"
    assert "s3cret-value" not in repr(connection)


def test_managed_connection_reads_the_generated_password(tmp_path: Path) -> None:
    settings = settings_in(tmp_path, neo4j_bolt_port=17687, neo4j_user="ignored")
    home = settings.neo4j_home
    home.mkdir(parents=True)
    (home / "password").write_text("Abc123generated\n", encoding="utf-8")
    connection = lifecycle.connection_for(settings)
    assert connection.uri == "bolt://127.0.0.1:17687"
    assert connection.auth == ("neo4j", "Abc123generated")


def test_managed_connection_without_a_password_says_to_start_the_server(
    tmp_path: Path,
) -> None:
    with pytest.raises(Neo4jUnavailable, match="policykg neo4j start"):
        lifecycle.connection_for(settings_in(tmp_path))
