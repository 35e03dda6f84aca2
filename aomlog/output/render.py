"""Turning pages into bytes on stdout: plain for pipes, coloured for terminals, JSON lines.

Every renderer writes each page with one write and one flush, so a reader
downstream sees lines as soon as they are read, and a line is never split or
interleaved with another file's.

- In a pipe (``PlainRenderer``) the log's own text passes unchanged; with
  several files each line gets a ``[file] `` prefix.
- On a terminal (``TerminalRenderer``) the text is made safe (``safetext``) and,
  with colour, each line gets a marker letter by its kind (``linekinds``):
  ``E`` error, ``W`` warning, ``I`` info, ``D`` debug, ``P`` progress, ``M`` metric.
- As JSON (``JsonRenderer``): one JSON object per line.

``aomlog.output.formats`` names these as tail's formats; ``make_renderer`` picks one.
rich is imported only when colour is wanted, so the pipe path and the help never
load it. rich supplies the styles and the terminal's colour depth; the ANSI codes
are computed once per style and each page is assembled into one string and
written at once: printing line by line through ``rich.Console.print`` is some 20
times slower (bench/render.py).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Dict, List, Mapping, Optional, Sequence, Tuple

from aomlog.output import linekinds
from aomlog.api.family import JobRef
from aomlog.output.linefilter import LineFilter
from aomlog.output.outstream import write_all
from aomlog.output.safetext import final_state, lines_for_terminal, visible
from aomlog.output.terminal import Destination, destination

# Per kind: the marker letter, its style and the style of the line's text (rich Style arguments).
KIND_STYLES: Dict[int, Tuple[str, Dict[str, Any], Dict[str, Any]]] = {
    linekinds.ERROR: ("E", {"color": "red", "bold": True}, {"color": "red"}),
    linekinds.WARNING: ("W", {"color": "yellow", "bold": True}, {"color": "yellow"}),
    linekinds.INFO: ("I", {"color": "blue", "dim": True}, {}),
    linekinds.DEBUG: ("D", {"dim": True}, {"dim": True}),
    linekinds.PROGRESS: ("P", {"color": "cyan"}, {"color": "cyan"}),
    linekinds.METRIC: ("M", {"color": "green", "bold": True}, {"color": "green", "bold": True}),
}
# Files get these in the order they are named (then again from the first); none is a kind's colour.
FILE_COLORS = ("bright_blue", "magenta", "bright_cyan", "bright_magenta", "bright_white")
HIGHLIGHT: Dict[str, Any] = {"reverse": True, "bold": True}


@dataclass
class Display:
    """How the user asked for lines to be shown."""

    format: str = "text"  # or "json"
    color: str = "auto"  # or "always", "never"
    line_filter: LineFilter = field(default_factory=LineFilter)


def make_renderer(display: Display, stream: BinaryIO, job: JobRef, files: Sequence[str],
                  *, isatty: Optional[bool] = None, environ: Optional[Mapping[str, str]] = None):
    """The renderer of the format ``display`` names, writing to ``stream`` (``isatty`` and
    ``environ``: to decide for a stream other than it is, or an environment of the caller's)."""
    from aomlog.output.formats import formats_of

    dest = destination(stream, display.color, tty=isatty, environ=environ)
    return formats_of("tail").chosen(display.format, dest.tty).make(
        dest, job=job, files=files, line_filter=display.line_filter)


def text_renderer(dest: Destination, *, job: JobRef, files: Sequence[str], line_filter: LineFilter):
    """The log's text: its own bytes in a pipe, made safe (and coloured when chosen) on a terminal."""
    if not (dest.tty or dest.color):
        return PlainRenderer(dest.out, files, line_filter)
    return TerminalRenderer(dest.out, files, line_filter, color=dest.color)


def json_renderer(dest: Destination, *, job: JobRef, files: Sequence[str], line_filter: LineFilter):
    return JsonRenderer(dest.out, job, line_filter)


def encode(text: str) -> bytes:
    # JSON may carry lone surrogates, which UTF-8 cannot hold; everything else is exact.
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


class _Writer:
    def __init__(self, stream: BinaryIO):
        self.stream = stream

    def write(self, data: bytes) -> None:
        if data:
            write_all(self.stream, data)


class PlainRenderer(_Writer):
    """The log's own text, for pipes: nothing added but the ``[file] `` prefix of several files."""

    def __init__(self, stream: BinaryIO, files: Sequence[str] = (), line_filter: Optional[LineFilter] = None):
        super().__init__(stream)
        self.prefixed = len(files) > 1  # with one file there is no prefix
        self.line_filter = line_filter or LineFilter()

    def page(self, log_file: str, page) -> None:
        if not self.prefixed and not self.line_filter.selects:
            self.write(encode(page.text))
            return
        lines = self.line_filter.select(page.lines)
        if lines:
            prefix = f"[{log_file}] " if self.prefixed else ""
            self.write(encode(prefix + ("\n" + prefix).join(lines) + "\n"))


class TerminalRenderer(_Writer):
    """Safe text with, when ``color``, a marker and colours by kind, a colour per file and highlights."""

    PLAIN_TAILS = ["\n"] * len(KIND_STYLES)

    def __init__(self, stream: BinaryIO, files: Sequence[str] = (), line_filter: Optional[LineFilter] = None,
                 *, color: bool = True):
        super().__init__(stream)
        self.files = list(files)
        self.line_filter = line_filter or LineFilter()
        self.codes = _AnsiCodes(_color_system()) if color else None
        self.classifiers: Dict[str, linekinds.Classifier] = {}
        self._leads: Dict[str, List[str]] = {}

    def page(self, log_file: str, page) -> None:
        raw = page.lines
        if not raw:
            return
        kinds = self._classifier(log_file).kinds(raw, page.text) if self.codes else [linekinds.INFO] * len(raw)
        lead = self._leads.get(log_file) or self._lead(log_file)
        tail = self.codes.tails if self.codes else self.PLAIN_TAILS
        line_filter = self.line_filter
        chosen = line_filter.kept(raw) if line_filter.selects else range(len(raw))
        if self.codes and line_filter.highlight is not None:
            out = [self._highlighted(raw[i], kinds[i], lead, tail) for i in chosen]
        elif line_filter.selects:
            shown = lines_for_terminal(raw, page.text)
            out = [lead[kinds[i]] + shown[i] + tail[kinds[i]] for i in chosen]
        else:
            out = [lead[k] + text + tail[k] for k, text in zip(kinds, lines_for_terminal(raw, page.text))]
        self.write(encode("".join(out)))

    def _classifier(self, log_file: str) -> linekinds.Classifier:
        # One per file: a traceback in one file must not colour another's lines.
        classifier = self.classifiers.get(log_file)
        if classifier is None:
            classifier = self.classifiers[log_file] = linekinds.Classifier()
        return classifier

    def _lead(self, log_file: str) -> List[str]:
        """What goes before a line's text, per kind: marker, file prefix, the text's colour."""
        if log_file not in self.files:
            self.files.append(log_file)
        prefix = f"[{visible(log_file)}]" if len(self.files) > 1 else ""
        if self.codes is None:
            leads = [prefix + " " if prefix else ""] * len(KIND_STYLES)
        else:
            if prefix:
                prefix = self.codes.file_color(self.files.index(log_file), prefix) + " "
            leads = [marker + prefix + text_on for marker, text_on in zip(self.codes.markers, self.codes.texts)]
        self._leads[log_file] = leads
        return leads

    def _highlighted(self, line: str, kind: int, lead: List[str], tail: List[str]) -> str:
        assert self.codes is not None  # highlights are drawn only in colour
        text = final_state(line) if "\r" in line else line
        parts = [lead[kind]]
        done = 0
        for start, end in self.line_filter.spans(text):
            parts += [visible(text[done:start]), self.codes.marks[kind], visible(text[start:end]),
                      self.codes.unmarks[kind]]
            done = end
        parts += [visible(text[done:]), tail[kind]]
        return "".join(parts)


def _color_system():
    """The terminal's colour depth as rich detects it (COLORTERM, TERM); basic colours at least."""
    from rich.color import ColorSystem
    from rich.console import Console

    detected = Console(file=io.StringIO(), force_terminal=True).color_system
    return {"truecolor": ColorSystem.TRUECOLOR, "256": ColorSystem.EIGHT_BIT,
            "windows": ColorSystem.WINDOWS}.get(detected or "", ColorSystem.STANDARD)


class _AnsiCodes:
    """The escape sequences of every style, computed once from rich styles."""

    def __init__(self, color_system):
        from rich.style import Style

        def on_off(**style):
            # A fresh Style each time: rich caches a style's codes for the first colour system used.
            on, _, off = Style(**style).render("\0", color_system=color_system).partition("\0")
            return on, off

        self.markers, self.texts, self.tails, self.marks, self.unmarks = [], [], [], [], []
        for kind in sorted(KIND_STYLES):
            letter, marker_style, text_style = KIND_STYLES[kind]
            on, off = on_off(**marker_style)
            self.markers.append(f"{on}{letter}{off} ")
            text_on, text_off = on_off(**text_style)
            self.texts.append(text_on)
            self.tails.append(text_off + "\n")
            mark_on, mark_off = on_off(**{**text_style, **HIGHLIGHT})
            self.marks.append(text_off + mark_on)  # end the line's style, start the highlight ...
            self.unmarks.append(mark_off + text_on)  # ... and back to the line's style
        self.file_colors = [on_off(color=color) for color in FILE_COLORS]

    def file_color(self, index: int, text: str) -> str:
        on, off = self.file_colors[index % len(self.file_colors)]
        return on + text + off


class JsonRenderer(_Writer):
    """One JSON object per line: the job (v1: job, version, file; v2: job, task), the position
    to resume from, the text."""

    def __init__(self, stream: BinaryIO, job: JobRef, line_filter: Optional[LineFilter] = None):
        super().__init__(stream)
        self.job = job
        self.line_filter = line_filter or LineFilter()

    def page(self, log_file: str, page) -> None:
        lines = self.line_filter.select(page.lines)
        if not lines:
            return
        try:
            data = self._json_lines(log_file, page.end_line, lines, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: \u-escapes keep it exact and valid JSON
            data = self._json_lines(log_file, page.end_line, lines, ensure_ascii=True).encode("ascii")
        self.write(data)

    def _json_lines(self, log_file: str, end_line: Optional[str], lines: List[str], ensure_ascii: bool) -> str:
        def dumps(value):
            return json.dumps(value, ensure_ascii=ensure_ascii)

        # Every line of a page shares all but its text: encode that once.
        if self.job.version is not None:
            where = '"job": %s, "version": %s, "file": %s' % (
                dumps(self.job.job_id), dumps(self.job.version), dumps(log_file))
        else:
            where = '"job": %s, "task": %s' % (dumps(self.job.job_id), dumps(log_file))
        head = '{%s, "end_line": %s, "text": ' % (where, dumps(end_line))
        text = "".join([head + dumps(line) + "}\n" for line in lines])
        # Valid JSON either way, but tools that split lines on U+2028/U+2029
        # (Python's str.splitlines, older JavaScript) would cut a record in two.
        if "\u2028" in text or "\u2029" in text:
            text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return text
