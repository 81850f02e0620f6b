"""schemathesis against the API's own OpenAPI schema: no 5xx, every response as documented.

Runs schemathesis's command line against the live API (with the test graph loaded), with a
bounded number of examples per operation and a fixed seed, so a run is reproducible.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graph.store import LoadResult

pytestmark = pytest.mark.integration

MAX_EXAMPLES = 25
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CONFIG = Path(__file__).resolve().parents[1] / "data" / "schemathesis.toml"


def test_api_conforms_to_its_schema(api_url: str, loaded: LoadResult, tmp_path: Path) -> None:
    assert SCHEMATHESIS.is_file(), f"schemathesis is not installed next to {sys.executable}"
    result = subprocess.run(
        [
            str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", f"{api_url}/openapi.json",
            "--checks", "all",
            "--max-examples", str(MAX_EXAMPLES),
            "--seed", "20261122",
            "--generation-deterministic",
            "--request-timeout", "30",
            "--report", "junit", "--report-dir", str(tmp_path),
        ],
        capture_output=True, text=True, timeout=1500, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
