"""Writing files so that a failure never leaves a half-written one behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, content: str | bytes, *, mode: int | None = None) -> None:
    """Write ``content`` to ``path`` via a synced temporary file in the same folder and a rename.

    Args:
        path: the file to write; its folder is created if needed.
        content: text (written as UTF-8) or bytes.
        mode: the file's permissions (``0o600`` for a secret); by default those a plain
            ``open`` would give under the process's umask.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is None:
            # mkstemp creates the file private; give it the permissions a normal write would
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
