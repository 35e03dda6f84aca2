"""A job's report (``status``) as bytes: lines of text (coloured on a terminal), or one JSON object.

The text is the same in a pipe and on a terminal, less the colour; server text is made
safe for the terminal (``safetext.visible``) and kept on one line.
"""

from __future__ import annotations

import json
from datetime import datetime
from statistics import mean
from typing import Dict, List, Optional, Sequence

from aomlog.api.family import JobReport, Phase
from aomlog.api.story import ACCELERATOR_METRICS, METRIC_NAMES, Event, Usage, in_percent, metric_order
from aomlog.output.outstream import write_all
from aomlog.output.safetext import visible
from aomlog.output.terminal import Destination
from aomlog.timefmt import duration, iso_time, local_time

ANSI = {"red": "31", "green": "32", "yellow": "33", "cyan": "36", "dim": "2", "bold": "1"}
PHASE_COLORS = {Phase.WAITING: "yellow", Phase.RUNNING: "cyan", Phase.SUCCEEDED: "green", Phase.FAILED: "red",
                Phase.UNKNOWN: "bold"}
LEVEL_COLORS = {"Error": "red", "Warning": "yellow", "Info": "dim"}


class Paint:
    """Colour on a terminal (when chosen), server text made safe there; plain text in a pipe."""

    def __init__(self, dest: Destination):
        self.color = dest.color
        self.tty = dest.tty

    def __call__(self, text: str, color: Optional[str]) -> str:
        if not self.color or not color:
            return text
        return f"\x1b[{ANSI[color]}m{text}\x1b[0m"

    def server(self, text: str) -> str:
        one = " ".join(str(text).split())
        return visible(one) if self.tty else one


def event_time(event: Event) -> str:
    """ISO 8601, for machines; as the API gave it when it could not be read."""
    return iso_time(event.time_ms) or event.time_text


def shown_time(event: Event) -> str:
    """Local time to the second, for people."""
    if event.time_ms is None:
        return visible(event.time_text)
    try:
        return datetime.fromtimestamp(event.time_ms / 1000).strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, OSError, ValueError):
        return visible(event.time_text)


def stats(series: Sequence[float]) -> Dict[str, float]:
    return {"last": round(series[-1], 1), "mean": round(mean(series), 1), "max": round(max(series), 1)}


def _table(rows: List[List[str]], indent: str = "  ") -> List[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]


def _tasks(report: JobReport, paint: Paint) -> List[str]:
    places = {p.task: p for p in report.places}
    ends = {e.task: e for e in report.story.ends}
    rows = [["TASK", "IP", "HOST IP", "EXIT", "MESSAGE"]]
    for task in report.story.tasks or list(places):
        place, end = places.get(task), ends.get(task)
        code = "" if end is None or end.exit_code is None else str(end.exit_code)
        rows.append([paint.server(task), place.ip if place else "-", place.host_ip if place else "-", code or "-",
                     paint.server(end.message) if end and end.message else ""])
    lines = _table(rows)
    return [lines[0]] + [paint(line, "red") if row[3] not in ("-", "0") else line
                         for line, row in zip(lines[1:], rows[1:])]


def _restarts(report: JobReport, paint: Paint) -> List[str]:
    story = report.story
    lines = [f"Runs:     {story.runs} ({len(story.recoveries)} fault recover"
             f"{'y' if len(story.recoveries) == 1 else 'ies'})"]
    for r in story.recoveries:
        lines.append(f"  {local_time(r.start_ms)}  {paint.server(r.task)}  {paint.server(r.scenario)}: "
                     f"{paint.server(r.reason)} -> {paint.server(r.recover)}, {paint.server(r.result)}")
    return lines


def _usage(report: JobReport) -> List[str]:
    usages, fraction = in_percent(report.usage)
    metrics = metric_order(m for usage in usages.values() for m in usage)
    if not metrics:
        return []
    reading = "rates read as fractions of 1, shown in %" if fraction else "%"
    rows = [["TASK"] + [METRIC_NAMES.get(m, m) for m in metrics]]
    for task, usage in usages.items():
        rows.append([task] + [_cell(usage.get(m)) for m in metrics])
    return [f"Usage ({reading}; last / mean):"] + _table(rows)


def _cell(series: Optional[List[float]]) -> str:
    if not series:
        return "-"
    s = stats(series)
    return f"{s['last']:g} / {s['mean']:g}"


def as_text(report: JobReport, paint: Paint) -> List[str]:
    story = report.story
    state = story.state
    lines = [f"Job:      {paint.server(story.name)} ({story.ref.job_id})",
             f"Phase:    {paint(paint.server(state.shown), PHASE_COLORS[state.phase])}",
             f"Created:  {local_time(story.created_ms)}",
             f"Duration: {duration(state.duration_ms) if state.duration_ms else '-'}"]
    if report.stage is not None and report.stage.name not in ("running", "end"):  # why it is not running
        lines.append(f"Stage:    {paint.server(report.stage.name)}: {paint.server(report.stage.message)}")
    lines += ["Tasks:"] + _tasks(report, paint) + _restarts(report, paint)
    if report.events:
        lines.append("Events (the last warnings and errors):")
        lines += [f"  {shown_time(e)}  {paint(e.level.ljust(7), LEVEL_COLORS.get(e.level))}  "
                  f"{paint.server(e.source).ljust(4)}  {paint.server(e.message)}" for e in report.events]
    lines += _usage(report)
    lines += [paint(f"  {paint.server(task)}: its accelerator stays nearly idle while the others work", "yellow")
              for task in low_accelerator(report.usage)]
    lines += [f"Not shown: {what}: {paint.server(why)}" for what, why in report.missing.items()]
    return lines


def as_json(report: JobReport) -> dict:
    story, state = report.story, report.story.state
    places = {p.task: p for p in report.places}
    ends = {e.task: e for e in report.story.ends}
    usages, fraction = in_percent(report.usage)
    return {
        "id": story.ref.job_id, "name": story.name, "phase": state.name, "secondary_phase": state.detail,
        "created": iso_time(story.created_ms), "duration_ms": state.duration_ms,
        "stage": {"name": report.stage.name, "message": report.stage.message, "run": report.stage.run}
        if report.stage else None,
        "tasks": [{"task": t, "ip": places[t].ip if t in places else None,
                   "host_ip": places[t].host_ip if t in places else None,
                   "exit_code": ends[t].exit_code if t in ends else None,
                   "message": ends[t].message if t in ends else None} for t in story.tasks],
        "runs": story.runs,
        "restarts": [{"time": iso_time(r.start_ms), "recovered": iso_time(r.end_ms), "task": r.task,
                      "fault": r.scenario, "reason": r.reason, "recover": r.recover, "result": r.result}
                     for r in story.recoveries],
        "events": [{"time": event_time(e), "level": e.level, "source": e.source, "message": e.message}
                   for e in report.events],
        "usage": {task: {m: stats(series) for m, series in usage.items()} for task, usage in usages.items()},
        "usage_read_as_fractions": fraction,
        "missing": report.missing,
    }


def low_accelerator(usage: Dict[str, Usage], below: float = 20.0) -> List[str]:
    """The tasks whose accelerator stays low (mean below ``below`` %) while another task's works."""
    usages, _ = in_percent(usage)
    means = {task: mean(u[m][1:] or u[m]) for task, u in usages.items() for m in ACCELERATOR_METRICS if u.get(m)}
    if len(means) < 2 or max(means.values()) < 2 * below:
        return []
    return [task for task, value in means.items() if value < below]


class StatusText:
    """The report as lines of text: coloured on a terminal, plain in a pipe."""

    def __init__(self, dest: Destination):
        self.dest = dest

    def write(self, report: JobReport) -> None:
        lines = as_text(report, Paint(self.dest))
        write_all(self.dest.out, "".join(line + "\n" for line in lines).encode("utf-8", "replace"))


class StatusJson:
    """The report as one JSON object on one line."""

    def __init__(self, dest: Destination):
        self.dest = dest

    def write(self, report: JobReport) -> None:
        write_all(self.dest.out, (json.dumps(as_json(report), ensure_ascii=False) + "\n").encode("utf-8", "replace"))
