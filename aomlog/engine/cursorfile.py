"""The cursor file: where a follower stopped, so a restarted one goes on from there.

It is JSON naming the job, version (null for a v2 job) and, per stream (log
file or task), the newest position printed, and what the reader of the lines
carries over to the next ones (``carried``: ``aomlog metrics``' Keras epoch). It is
replaced atomically (write a temporary file, then rename), so a follower killed at
any moment leaves either the old or the new cursor, never half.

Its errors name no option: each says what is wrong with the file (``about``:
``cursor_file.*``, the path in ``facts``) and the CLI words the hint.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from aomlog.errors import AomlogError, UsageError
from aomlog.fsutil import write_atomic

FORMAT = 1
# A cursor holds a few positions per stream; a file far larger is something else (a copy of /dev/zero).
MAX_BYTES = 1 << 20
KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
         (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


class CursorFile:
    """One job's cursor file: ``load()`` the positions stored, ``save()`` one stream's after its page."""

    def __init__(self, path: str, job_id: str, version_id: Optional[str]):
        # An option given as `name=~/x` reaches us with its `~`: the shell expands it only after a space.
        self.path = Path(os.path.expanduser(path) if path.startswith("~") else path)
        self.job_id = str(job_id)
        self.version_id = None if version_id is None else str(version_id)
        self.positions: Dict[str, str] = {}
        self.carried: Dict[str, dict] = {}

    def load(self) -> Dict[str, str]:
        """The stored positions by stream; {} when there is no cursor file yet."""
        data = self.read()
        if data is None:
            return {}
        if isinstance(data, dict) and "jobs" in data:
            raise self._refused(f"cursor file {self.path} holds the positions of several jobs read together",
                                "Use it with the same jobs, or another cursor file for this one.", "not_ours")
        self.take(data)
        return dict(self.positions)

    def read(self) -> Any:
        """The file's JSON; None when there is none yet (or it is empty).

        Only a regular file will do: renaming a new cursor over /dev/null or a FIFO
        would replace it, and reading one would hang or never end.
        """
        try:
            info = self.path.stat()
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise UsageError(f"cannot use cursor file {self.path}: {exc.strerror or exc}",
                             "Check the path and its permissions.") from None
        if info is not None and not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in KINDS if test(info.st_mode)), "not a regular file")
            raise self._refused(f"cursor file {self.path} is {kind}, not a regular file",
                                "Use the path of a file aomlog may create and replace.", "not_a_file")
        if info is not None and info.st_size > MAX_BYTES:
            raise self._refused(f"cursor file {self.path} is {info.st_size} bytes: far larger than a cursor can be",
                                "It is not an aomlog cursor file: use another.", "too_large")
        self.path = Path(os.path.realpath(self.path))  # a link to the cursor stays a link
        directory = self.path.parent
        if not directory.is_dir() or not os.access(directory, os.W_OK):
            raise self._refused(f"cannot write cursor file {self.path}: no writable directory {directory}",
                                "Create the directory first, or use another cursor file.", "no_directory")
        if info is None:
            return None
        try:
            with open(self.path, "rb") as f:
                raw = f.read(MAX_BYTES + 1).decode("utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read cursor file {self.path}: {getattr(exc, 'strerror', None) or exc}",
                             "Check the path and its permissions.") from None
        if not raw.strip():  # e.g. a file just made by mktemp: no position yet
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise self._refused(f"cursor file {self.path} is not an aomlog cursor file", self._hint(),
                                "not_ours") from None

    @staticmethod
    def owner_of(data: Any) -> Tuple[str, Optional[str]]:
        """The (job id, version id) a job's entry names; ValueError if it is none."""
        try:
            version = data.get("version_id")
            return str(data["job_id"]), None if version is None else str(version)
        except (KeyError, TypeError, AttributeError):
            raise ValueError("not a job's entry") from None

    def take(self, data: Any) -> None:
        """This job's positions, and what is carried with them, from its entry ``data``."""
        try:
            owner = self.owner_of(data)
            positions = {str(k): str(v) for k, v in data["positions"].items()}
            if not all(v.isdigit() for v in positions.values()):
                raise ValueError("a position is not a number")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise self._refused(f"cursor file {self.path} is not an aomlog cursor file", self._hint(),
                                "not_ours") from None
        if owner != (self.job_id, self.version_id):
            raise self.not_mine(owner)
        self.positions = positions
        carried = data.get("carried")  # only a nicety: a bad one carries nothing
        if isinstance(carried, dict):
            self.carried = {str(k): v for k, v in carried.items() if str(k) in positions and isinstance(v, dict)}

    def not_mine(self, owner: Tuple[str, Optional[str]]) -> UsageError:
        whose = f"job {owner[0]}" + (f" version {owner[1]}" if owner[1] is not None else "")
        return self._refused(f"cursor file {self.path} belongs to {whose}", self._hint(), "not_ours")

    def _hint(self) -> str:
        return f"Delete {self.path} to start afresh, or use another cursor file."

    def _refused(self, message: str, hint: str, problem: str) -> UsageError:
        return UsageError(message, hint, about=f"cursor_file.{problem}", facts={"path": str(self.path)})

    def save(self, log_file: str, position: Optional[str], carried: Optional[dict] = None) -> None:
        try:
            self._write(log_file, position, carried)
        except OSError as exc:
            raise AomlogError(f"cannot write cursor file {self.path}: {exc.strerror or exc}",
                              "Check the disk and the directory; the log printed so far is complete.") from None

    def _write(self, log_file: str, position: Optional[str], carried: Optional[dict]) -> None:
        if self.moved(log_file, position, carried):
            write_atomic(self.path, json.dumps(self.entry()))

    def moved(self, log_file: str, position: Optional[str], carried: Optional[dict]) -> bool:
        """Takes a stream's new position; whether there is anything new to write."""
        moved = self.positions.get(log_file) != position
        # A reader that carries nothing (tail) drops what another carried, but only as it moves on.
        if not position or (not moved and (carried is None or self.carried.get(log_file) == carried)):
            return False
        self.positions[log_file] = position
        if carried:
            self.carried[log_file] = carried
        else:
            self.carried.pop(log_file, None)
        return True

    def entry(self) -> dict:
        """The file's JSON for this job alone."""
        data = {"format": FORMAT, "job_id": self.job_id, "version_id": self.version_id,
                "positions": self.positions}
        if self.carried:
            data["carried"] = self.carried
        return data
