"""A list of jobs as bytes: a table on a terminal, tab-separated columns in a pipe, JSON lines.

- Terminal: id, name, status in colour, created (local time), duration, tasks or files; one
  row per job whatever the width: a v2 id is cut to the start that picks it among the jobs
  listed (as git shortens a commit's), a name with an ellipsis, and the last columns go first.
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
from typing import Dict, List, Optional, Tuple

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
    """One row per job, never wrapped: v2 ids cut to a start that picks one job, names cut with
    an ellipsis, and the columns of least worth left out while the table is still too wide."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    width = width or 200
    ids = short_ids(jobs)
    cells = [[visible(_id(info, ids)), visible(info.name), visible(info.state.shown), local_time(info.created_ms),
              _duration(info), _count(info)] for info in jobs]
    shown, name_width = _fitting(cells, width)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for i in shown:
        table.add_column(COLUMNS[i], no_wrap=True, overflow="ellipsis",
                         max_width=name_width if COLUMNS[i] == "NAME" else None)
    for info, row in zip(jobs, cells):
        # Text, not markup: a name like "[red]x" is shown as it is.
        texts = [Text(cell, style=PHASE_COLORS[info.state.phase] if COLUMNS[i] == "STATUS" else "")
                 for i, cell in enumerate(row)]
        table.add_row(*(texts[i] for i in shown))
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False, emoji=False, markup=False)
    console.print(table)
    return buffer.getvalue().encode("utf-8", "replace")


GAP = 3  # between two columns: a cell's padding on each side and the box's blank rule
NAME_AT_LEAST = 12  # a name cut shorter than this says little: the creation time goes instead
# While the names do not fit, these columns go, in this order: the first two to show the names
# whole, the creation time only to show at least NAME_AT_LEAST of them.
DROPPED_FIRST = (("TASKS/FILES", None), ("DURATION", None), ("CREATED", NAME_AT_LEAST))


def _fitting(cells: List[List[str]], width: int) -> Tuple[List[int], int]:
    """The columns shown (indexes into COLUMNS) and the widest the names may be, in ``width``."""
    natural = [max([len(column)] + [len(row[i]) for row in cells]) for i, column in enumerate(COLUMNS)]
    shown = list(range(len(COLUMNS)))
    name = COLUMNS.index("NAME")

    def room() -> int:  # for the names, beside the other columns and the space between each
        return width - sum(natural[i] for i in shown if i != name) - GAP * (len(shown) - 1)

    for column, enough in DROPPED_FIRST:
        if room() >= min(natural[name], enough or natural[name]):
            break
        shown.remove(COLUMNS.index(column))
    return shown, max(room(), 4)


def short_ids(jobs: List[JobInfo], least: int = 8) -> Dict[str, str]:
    """Each v2 job's id cut, as git cuts a commit's, to its shortest start (``least`` characters at
    least) that no other listed job's id starts with. Never all digits: that would be a v1 id."""
    ids = [info.ref.job_id for info in jobs if info.ref.version is None]
    short = {}
    for one in ids:
        n = least
        while n < len(one) and (one[:n].isdigit() or any(o != one and o.startswith(one[:n]) for o in ids)):
            n += 1
        short[one] = one[:n]
    return short


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


def _id(info: JobInfo, short: Optional[Dict[str, str]] = None) -> str:
    if info.ref.version is not None:
        return f"{info.ref.job_id} {info.ref.version}"
    return (short or {}).get(info.ref.job_id, info.ref.job_id)


def _duration(info: JobInfo) -> str:
    ms = info.state.duration_ms
    return duration(ms) if ms is not None and (ms or info.state.phase is not Phase.WAITING) else "-"


def _count(info: JobInfo) -> str:
    return str(info.streams) if info.streams is not None else "-"
