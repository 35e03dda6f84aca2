"""A list of jobs as bytes: a table on a terminal, tab-separated columns in a pipe, JSON lines.

- Terminal: id, name, status in colour, created (local time), duration, tasks or files.
- Pipe: id, version (``-`` for v2), name, status, created (ISO 8601), duration, tasks or
  files: tab-separated, no header and no colour, so that ``grep``, ``cut -f1`` and
  ``awk -F'\\t'`` work.
- JSON: one object per job with at least id, name, status, api, version and created.

``JobsText`` and ``JobsJson`` are the jobs command's formats (``aomlog.output.formats``).
rich is imported only for the terminal table.
"""

from __future__ import annotations

import io
import json
from typing import List, Optional

from aomlog.api.family import JobInfo, Phase
from aomlog.output.outstream import write_all
from aomlog.output.safetext import visible
from aomlog.output.terminal import Destination
from aomlog.timefmt import duration, iso_time, local_time

PHASE_COLORS = {Phase.WAITING: "yellow", Phase.RUNNING: "cyan", Phase.SUCCEEDED: "green",
                Phase.FAILED: "red", Phase.UNKNOWN: "white"}
COLUMNS = ("ID", "NAME", "STATUS", "CREATED", "DURATION", "TASKS/FILES")


def as_json(jobs: List[JobInfo]) -> bytes:
    rows = []
    for info in jobs:
        rows.append(json.dumps({
            "id": info.ref.job_id, "name": info.name, "status": info.state.name, "phase": info.state.phase.value,
            "api": info.ref.api, "version": info.ref.version, "created": iso_time(info.created_ms),
            "duration_ms": info.state.duration_ms, "streams": info.streams,
        }, ensure_ascii=False))
    return "".join(row + "\n" for row in rows).encode("utf-8", "replace")


def as_tsv(jobs: List[JobInfo]) -> bytes:
    lines = []
    for info in jobs:
        cells = [info.ref.job_id, info.ref.version or "-", info.name, info.state.name, iso_time(info.created_ms) or "-",
                 _duration(info), _count(info)]
        # A tab or newline in a name would shift the columns: neither can stay.
        lines.append("\t".join(" ".join(cell.split()) if cell else "-" for cell in cells))
    return "".join(line + "\n" for line in lines).encode("utf-8", "replace")


def as_table(jobs: List[JobInfo], width: Optional[int] = None, color: bool = True) -> bytes:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for column in COLUMNS:
        table.add_column(column, overflow="fold", no_wrap=column in ("ID", "CREATED"))
    for info in jobs:
        # Text, not markup: a name like "[red]x" is shown as it is.
        status = Text(visible(info.state.shown), style=PHASE_COLORS[info.state.phase])
        table.add_row(Text(visible(_id(info))), Text(visible(info.name)), status,
                      Text(local_time(info.created_ms)), Text(_duration(info)), Text(_count(info)))
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width or 200,
                      highlight=False, emoji=False, markup=False)
    console.print(table)
    return buffer.getvalue().encode("utf-8", "replace")


class JobsText:
    """A table on a terminal (coloured as chosen, cut to its width), tab-separated columns in a pipe."""

    def __init__(self, dest: Destination):
        self.dest = dest

    def write(self, jobs: List[JobInfo]) -> None:
        dest = self.dest
        write_all(dest.out, as_table(jobs, dest.width, dest.color) if dest.tty else as_tsv(jobs))


class JobsJson:
    """One JSON object per job, a line each, wherever it goes."""

    def __init__(self, dest: Destination):
        self.dest = dest

    def write(self, jobs: List[JobInfo]) -> None:
        write_all(self.dest.out, as_json(jobs))


def _id(info: JobInfo) -> str:
    return f"{info.ref.job_id} {info.ref.version}" if info.ref.version is not None else info.ref.job_id


def _duration(info: JobInfo) -> str:
    ms = info.state.duration_ms
    return duration(ms) if ms is not None and (ms or info.state.phase is not Phase.WAITING) else "-"


def _count(info: JobInfo) -> str:
    return str(info.streams) if info.streams is not None else "-"
