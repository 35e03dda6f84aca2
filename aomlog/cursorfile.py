"""The ``--cursor-file``: where a follower stopped, so a restarted one goes on from there.

It is JSON naming the job, version (null for a v2 job) and, per stream (log
file or task), the newest position printed. It is replaced atomically (write a temporary file, then rename), so a
follower killed at any moment leaves either the old or the new cursor, never half.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Dict, Optional

from aomlog.errors import AomlogError, UsageError
from aomlog.fsutil import write_atomic

FORMAT = 1


class CursorFile:
    def __init__(self, path: str, job_id: str, version_id: Optional[str]):
        self.path = Path(path)
        self.job_id = str(job_id)
        self.version_id = None if version_id is None else str(version_id)
        self.positions: Dict[str, str] = {}

    def load(self) -> Dict[str, str]:
        """The stored positions by file; {} when there is no cursor file yet."""
        directory = self.path.parent
        if not directory.is_dir() or not os.access(directory, os.W_OK):
            raise UsageError(f"cannot write cursor file {self.path}: no writable directory {directory}",
                             "Create the directory first, or pass another --cursor-file.")
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read cursor file {self.path}: {getattr(exc, 'strerror', None) or exc}",
                             "Check the path and its permissions.") from None
        if not raw.strip():  # e.g. --cursor-file "$(mktemp)": no position yet
            return {}
        hint = f"Delete {self.path} to start afresh, or pass another --cursor-file."
        try:
            data = json.loads(raw)
            positions = {str(k): str(v) for k, v in data["positions"].items()}
            version = data.get("version_id")
            owner = (str(data["job_id"]), None if version is None else str(version))
            if not all(v.isdigit() for v in positions.values()):
                raise ValueError("a position is not a number")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise UsageError(f"cursor file {self.path} is not an aomlog cursor file", hint) from None
        if owner != (self.job_id, self.version_id):
            whose = f"job {owner[0]}" + (f" version {owner[1]}" if owner[1] is not None else "")
            raise UsageError(f"cursor file {self.path} belongs to {whose}", hint)
        self.positions = positions
        return dict(positions)

    def get(self, log_file: str) -> Optional[str]:
        return self.positions.get(log_file)

    def save(self, log_file: str, position: Optional[str]) -> None:
        try:
            self._write(log_file, position)
        except OSError as exc:
            raise AomlogError(f"cannot write cursor file {self.path}: {exc.strerror or exc}",
                              "Check the disk and the directory; the log printed so far is complete.") from None

    def _write(self, log_file: str, position: Optional[str]) -> None:
        if not position or self.positions.get(log_file) == position:
            return
        self.positions[log_file] = position
        data = {"format": FORMAT, "job_id": self.job_id, "version_id": self.version_id,
                "positions": self.positions}
        write_atomic(self.path, json.dumps(data))
