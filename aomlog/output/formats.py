"""Every command's output formats, in one table: what ``-o`` offers, its help, and what writes each.

``FORMATS`` has an entry per command; an entry lists the command's formats and says
what its colour choice colours. The command line builds ``-o`` and ``--color`` from it
(choices, default, help), and a command asks it for its writer::

    chosen = formats_of("jobs").chosen(output, dest.tty)    # None: the default here
    chosen.make(dest).write(jobs)

A writer is named as ``"module:callable"`` and imported only when its format is used, so
``--help`` and TAB completion, which read this table, load no writer, and the pipe path
no rich. A command's writers are called alike: with the ``Destination``
(``aomlog.output.terminal``) and the command's own keyword arguments:

- tail: ``job``, ``files``, ``line_filter``; the writer has ``page(stream, page)``.
- metrics: ``curves``, ``live``, ``header`` (whether CSV starts with a header), ``runs`` (rows
  of several jobs: the job first), ``smooth`` (a moving average of that many values); rows have
  ``page(stream, samples)`` (``page(stream, samples, run)`` with ``runs``) and ``finish()``; a format that ``draws`` makes a view
  (``aomlog.metrics.view``) that is fed the curves instead.
- jobs: no more; the writer has ``write(jobs)``.
- status: no more; the writer has ``write(report)`` (an ``api.family.JobReport``).
- events: no more; the writer has ``write(events)``, a batch at a time.
- usage: no more; the writer has ``write(usages, anchor_ms)``: each task's usage and the
  time its last values stand for.

A new format is one ``Format`` in its command's entry; a new command's formats are one entry.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

TERMINAL = "terminal"
PIPE = "pipe"
EVERYWHERE = (TERMINAL, PIPE)


class Format:
    """One way a command writes its output.

    Args:
        name: what ``-o`` takes.
        words: what it writes, for ``--help``; empty when the name says enough.
        writer: ``"module:callable"``: the factory of its writer, given the destination and the
            command's keyword arguments.
        default_on: where it is the default when no ``-o`` is given: on a terminal, in a pipe, both.
        draws: it draws a picture on the terminal (charts) instead of writing rows as they come.
    """

    __slots__ = ("name", "words", "writer", "default_on", "draws")

    def __init__(self, name: str, words: str, writer: str, default_on: Tuple[str, ...] = (),
                 draws: bool = False):
        self.name = name
        self.words = words
        self.writer = writer
        self.default_on = default_on
        self.draws = draws

    def make(self, dest: Any, **given: Any) -> Any:
        """Its writer, writing to ``dest``."""
        import importlib

        module, _, factory = self.writer.partition(":")
        return getattr(importlib.import_module(module), factory)(dest, **given)

    def described(self) -> str:
        """Its part of ``-o``'s help; empty when there is nothing to say."""
        if not self.words:
            return ""
        where = ""  # the default everywhere shows as click's [default: ...]
        if self.default_on == (TERMINAL,):
            where = " (the default on a terminal)"
        elif self.default_on == (PIPE,):
            where = " (the default in a pipe)"
        return f"{self.name}: {self.words}{where}"


class CommandFormats:
    """A command's formats and what its colour choice colours.

    Args:
        formats: in the order ``-o`` offers them; one is the default on a terminal, one in a pipe
            (the same one, or two).
        colors: the help of the colour choice: what it colours.
    """

    __slots__ = ("formats", "colors")

    def __init__(self, formats: Sequence[Format], colors: str):
        self.formats = tuple(formats)
        self.colors = colors

    def names(self) -> List[str]:
        return [one.name for one in self.formats]

    def default(self) -> Optional[str]:
        """The format used wherever the output goes when none is named; None when that depends."""
        everywhere = [one.name for one in self.formats if set(one.default_on) == set(EVERYWHERE)]
        return everywhere[0] if everywhere else None

    def chosen(self, name: Optional[str], tty: bool) -> Format:
        """The format named, or (None) the default for a terminal (``tty``) or a pipe."""
        if name is None:
            here = TERMINAL if tty else PIPE
            return next(one for one in self.formats if here in one.default_on)
        for one in self.formats:
            if one.name == name:
                return one
        raise ValueError(f"no output format {name!r}")

    def help(self) -> str:
        described = [text for text in (one.described() for one in self.formats) if text]
        return "; ".join(described) + "." if described else ""


FORMATS: Dict[str, CommandFormats] = {
    "tail": CommandFormats([
        Format("text", "", "aomlog.output.render:text_renderer", EVERYWHERE),
        Format("json", "JSON Lines, one object per log line with job, task (v1: version, file), end_line "
                       "and text; read it with jq", "aomlog.output.render:json_renderer"),
    ], colors="Colour lines by kind (auto: when stdout is a terminal, unless NO_COLOR or TERM=dumb; "
              "FORCE_COLOR forces it). An explicit always/never beats the environment."),
    "metrics": CommandFormats([
        Format("chart", "charts and a table", "aomlog.metrics.view:chart_view", (TERMINAL,), draws=True),
        Format("csv", "one row per value with a header", "aomlog.metrics.export:csv_rows", (PIPE,)),
        Format("json", "JSON Lines", "aomlog.metrics.export:json_rows"),
    ], colors="Colour the charts (auto: on a terminal, unless NO_COLOR or TERM=dumb)."),
    "jobs": CommandFormats([
        Format("text", "", "aomlog.output.joblist:JobsText", EVERYWHERE),
        Format("json", "one JSON object per line (JSON Lines) with id, name, status, phase, api, version, "
                       "created, duration_ms, streams", "aomlog.output.joblist:JobsJson"),
    ], colors="Colour the status on a terminal (auto: unless NO_COLOR or TERM=dumb)."),
    "status": CommandFormats([
        Format("text", "", "aomlog.output.status:StatusText", EVERYWHERE),
        Format("json", "one JSON object with id, name, phase, secondary_phase, created, duration_ms, stage, "
                       "tasks, runs, restarts, events, usage", "aomlog.output.status:StatusJson"),
    ], colors="Colour the phase, failed tasks and events on a terminal (auto: unless NO_COLOR or TERM=dumb)."),
    "events": CommandFormats([
        Format("text", "", "aomlog.output.events:EventsText", EVERYWHERE),
        Format("json", "JSON Lines with time, level, source, message", "aomlog.output.events:EventsJson"),
    ], colors="Colour the level on a terminal (auto: unless NO_COLOR or TERM=dumb)."),
    "usage": CommandFormats([
        Format("chart", "charts and a table", "aomlog.metrics.usageview:usage_chart", (TERMINAL,), draws=True),
        Format("csv", "time,task,metric,value with a header", "aomlog.metrics.usage:usage_csv", (PIPE,)),
        Format("json", "JSON Lines", "aomlog.metrics.usage:usage_json"),
    ], colors="Colour the charts (auto: on a terminal, unless NO_COLOR or TERM=dumb)."),
}


def formats_of(command: str) -> CommandFormats:
    """The formats of ``command`` (a command's name, e.g. ``"tail"``)."""
    return FORMATS[command]
