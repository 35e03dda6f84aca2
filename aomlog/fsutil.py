"""Replacing a small file atomically: a reader, or a crash at any moment, sees the old text or the new."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str, *, make_dir: bool = False) -> None:
    """Replace ``path`` with ``text`` (mode 0600); raises OSError.

    The text goes to a temporary file beside ``path``, is flushed to disk, and
    only then renamed over it: the rename must not land before the data (power
    loss). ``make_dir`` creates a missing directory, mode 0700.
    """
    directory = path.parent if str(path.parent) else Path(".")
    if make_dir and not directory.exists():
        directory.mkdir(mode=0o700, parents=True)
        directory.chmod(0o700)  # mkdir's mode passes through the umask
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
