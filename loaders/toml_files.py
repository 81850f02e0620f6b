"""Reading the curated TOML files (vocabularies, codebook, cue lists) with errors that name
the file and the line."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from core.errors import VocabularyError

_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The TOML table in ``path``, a file of the kind ``what`` ("vocabulary file", …).

    Raises:
        VocabularyError: the file is missing, or not valid TOML (with the line TOML names).
    """
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise VocabularyError(f"{what} not found", path=path) from e
    except tomllib.TOMLDecodeError as e:
        at = _TOML_LINE.search(str(e))
        raise VocabularyError(
            f"not valid TOML: {_TOML_LINE.sub('', str(e)).strip()}",
            path=path,
            line=int(at.group(1)) if at else None,
        ) from e
