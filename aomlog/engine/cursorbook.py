"""One cursor file for several jobs read side by side (``aomlog metrics JOB JOB ...``).

The file holds one entry per job, each as a one-job cursor file holds it
(``cursorfile.py``: the job's id and version, its positions per stream, what is
carried with them)::

    {"format": 1, "jobs": [{"job_id": ..., "version_id": ..., "positions": {...}}, ...]}

A one-job cursor file of one of the jobs is read as the first entry of such a
file, so a single run's cursor file goes on into a run beside others; a file that
names a job not read now is refused. The jobs' engines store their positions from
their own threads: each write is the whole file, under one lock, replaced atomically.
"""

from __future__ import annotations

import json
import threading
from typing import Dict, List, Optional, Sequence, Tuple

from aomlog.engine.cursorfile import FORMAT, CursorFile
from aomlog.fsutil import write_atomic

Owner = Tuple[str, Optional[str]]


class CursorBook:
    """The cursor file of several jobs; ``cursor(job_id, version_id)`` is one job's part of it,
    which the job's engine uses as it would a ``CursorFile`` of its own."""

    def __init__(self, path: str, jobs: Sequence[Owner]):
        self.lock = threading.Lock()
        self.parts: Dict[Owner, SharedCursorFile] = {}
        for job_id, version_id in jobs:
            part = SharedCursorFile(self, path, job_id, version_id)
            self.parts[(part.job_id, part.version_id)] = part
        self._loaded = False
        self.resumed = False  # the file held a position when it was read

    def cursor(self, job_id: str, version_id: Optional[str]) -> "SharedCursorFile":
        return self.parts[(str(job_id), None if version_id is None else str(version_id))]

    def load(self) -> None:
        """Reads the file once, for every job; a job it names that is not read now is refused."""
        with self.lock:
            if self._loaded:
                return
            first = next(iter(self.parts.values()))
            data = CursorFile.read(first)
            for part in self.parts.values():
                part.path = first.path  # where a link led
            self._loaded = True
            if data is None:
                return
            entries = data.get("jobs") if isinstance(data, dict) and "jobs" in data else [data]
            for entry in entries if isinstance(entries, list) else [None]:
                try:
                    owner = CursorFile.owner_of(entry)
                except ValueError:
                    first.take(entry)  # says the file is not a cursor file
                    raise AssertionError("take() refuses what is no job's entry") from None
                if owner not in self.parts:
                    raise first.not_mine(owner)
                self.parts[owner].take(entry)
            self.resumed = any(part.positions for part in self.parts.values())

    def write(self) -> None:
        """The whole file, with every job's entry (called under the lock)."""
        jobs: List[dict] = [part.entry() for part in self.parts.values() if part.positions]
        for job in jobs:
            job.pop("format", None)
        first = next(iter(self.parts.values()))
        write_atomic(first.path, json.dumps({"format": FORMAT, "jobs": jobs}))


class SharedCursorFile(CursorFile):
    """One job's part of a ``CursorBook``."""

    def __init__(self, book: CursorBook, path: str, job_id: str, version_id: Optional[str]):
        super().__init__(path, job_id, version_id)
        self.book = book

    def load(self) -> Dict[str, str]:
        self.book.load()
        return dict(self.positions)

    def _write(self, log_file: str, position: Optional[str], carried: Optional[dict]) -> None:
        with self.book.lock:
            if self.moved(log_file, position, carried):
                self.book.write()
