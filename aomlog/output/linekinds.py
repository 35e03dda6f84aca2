"""What kind of line a log line is: error, warning, info, debug, progress or metric.

A terminal marks each line by its kind so that the few lines that matter stand
out. The rules, first match wins:

1. Inside a Python traceback (from ``Traceback (most recent call last):`` through
   its indented lines to the exception line, e.g. ``KeyError: 'label'``): error.
   The traceback may span pages, so a ``Classifier`` (one per log file) carries
   the state from one page to the next.
2. The first level word near the start of the line (within ``HEAD`` characters,
   where log formats put it): ``ERROR``/``CRITICAL``/``FATAL`` error,
   ``WARN``/``WARNING`` warning, ``DEBUG``/``TRACE``/``VERBOSE`` debug, ``INFO``
   on to the rules below. A line that starts with an
   exception (``RuntimeError: ...``), a chained-traceback header, and a
   ``[ModelArts Service Log]`` line saying the training failed are errors; a
   Python warning (``UserWarning:`` anywhere in the line) is a warning.
3. A progress bar: the line redraws itself with ``\\r`` or has a tqdm bar ``%|``.
4. An epoch or metric summary: an ``Epoch N`` banner or end, ``[eval]``, or a
   validation/eval metric such as ``val_loss=`` or ``'eval_loss':``.
5. Anything else is info.

Speed matters (a catch-up prints millions of lines, and the goal is 20 times
rich's line-by-line speed): one regular expression finds, in a whole page at
once, the lines holding any word a rule looks for; most lines hold none and are
info without a look, and only those few are classified one by one.
"""

from __future__ import annotations

import re
from typing import List, Optional

from aomlog.output.pagescan import matching_lines

ERROR, WARNING, INFO, DEBUG, PROGRESS, METRIC = range(6)

HEAD = 80  # level words further into a line are message text, not the line's level

_LEVEL_KIND = {"ERROR": ERROR, "CRITICAL": ERROR, "FATAL": ERROR, "WARNING": WARNING, "WARN": WARNING,
               "DEBUG": DEBUG, "TRACE": DEBUG, "VERBOSE": DEBUG}
_LEVEL = re.compile(r"(?<![\w-])(%s)(?![\w-])" % "|".join(_LEVEL_KIND))
_LEVEL_WORDS = ("ERROR", "CRITICAL", "FATAL", "WARN", "DEBUG", "TRACE", "VERBOSE")
# Without the look-behind and groups of _LEVEL this is ~5 times faster: it screens.
_LEVEL_WORD = re.compile("|".join(_LEVEL_WORDS))
_EXCEPTION_LINE = re.compile(r"[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b(:|$)")
# The line that ends a traceback: an exception name, optionally with a message.
_TRACEBACK_END = re.compile(r"[A-Za-z_][\w.]*(:|$)")
_CHAINED = ("During handling of the above exception", "The above exception was the direct cause")
_SERVICE = "[ModelArts Service Log]"
_SERVICE_FAILED = re.compile(r"\b(failed|FAILED|Failed)\b|return code: *[1-9]")
_PYTHON_WARNING = re.compile(r"\w*Warning: ")
# Each starts with a literal, so that the regex engine can skip ahead fast (see below).
_EPOCH_SUMMARY = re.compile(r"Epoch \d+(/\d+| (finished|done|completed?|summary|end)\b)|={3,} *Epoch \d")
_VALIDATION_METRIC = re.compile(r"\b(e?val|valid|validation)_\w+'?\s*[=:]")
# Substrings every metric line has one of; "epoch" alone is in every training step line.
_METRIC_HINTS = ("Epoch", "val_", "valid", "[eval]")
_TRACEBACK_START = "Traceback (most recent call last):"
_INDENT = (" ", "\t")
# Every rule above needs one of these in the line (a level word, "Error", "\r", ...).
# Mostly capitalised: a trigger starting with a common lower-case letter would make the
# engine try every alternative at most positions of the page (~40% slower).
_TRIGGERS = (*_LEVEL_WORDS, "Error", "Exception", "Interrupt", "Exit", *_CHAINED, _SERVICE,
             "Warning: ", "\r", "%|", *_METRIC_HINTS, _TRACEBACK_START)
# After the first trigger the rest of the line is consumed: one match per candidate line.
_CANDIDATE = re.compile("(?:%s)[^\n]*" % "|".join(map(re.escape, _TRIGGERS)))


class Classifier:
    """The kinds of a log file's lines, page after page."""

    def __init__(self) -> None:
        self.in_traceback = False

    def kinds(self, lines: List[str], text: Optional[str] = None) -> List[int]:
        """The kind of each line; ``text`` is the lines each ending in a newline, if at hand."""
        if text is None:
            text = "".join(line + "\n" for line in lines)
        kinds = [INFO] * len(lines)
        resume = self._traceback(lines, kinds, 0) if self.in_traceback else 0
        for i in matching_lines(_CANDIDATE, text):
            if i < resume:  # already marked as part of a traceback
                continue
            line = lines[i]
            if _TRACEBACK_START in line:
                kinds[i] = ERROR
                self.in_traceback = True
                resume = self._traceback(lines, kinds, i + 1)
            else:
                kinds[i] = _kind_outside_traceback(line)
        return kinds

    def _traceback(self, lines: List[str], kinds: List[int], i: int) -> int:
        """Mark the traceback going on at line ``i``; where ordinary lines resume."""
        while i < len(lines):
            line = lines[i]
            if not line.startswith(_INDENT):  # not a frame, source line or caret line
                self.in_traceback = False
                if _TRACEBACK_END.match(line):  # the exception line closes the traceback
                    kinds[i] = ERROR
                    return i + 1
                return i
            kinds[i] = ERROR
            i += 1
        return i  # the traceback goes on in the next page


def _kind_outside_traceback(line: str) -> int:
    if _LEVEL_WORD.search(line, 0, HEAD):
        found = _LEVEL.search(line, 0, HEAD)  # the same words, as whole words
        if found and line.find("INFO", 0, found.start()) < 0:  # "INFO ... ERROR": the first level counts
            return _LEVEL_KIND[found.group(1)]
    if ("Error" in line or "Exception" in line or "Interrupt" in line or "Exit" in line) \
            and _EXCEPTION_LINE.match(line):
        return ERROR
    if line.startswith(_CHAINED):
        return ERROR
    if line.startswith(_SERVICE) and _SERVICE_FAILED.search(line):
        return ERROR
    if "Warning: " in line and _PYTHON_WARNING.search(line):
        return WARNING
    if "\r" in line or "%|" in line:
        return PROGRESS
    if "[eval]" in line or ("Epoch" in line and _EPOCH_SUMMARY.search(line)):
        return METRIC
    if ("val_" in line or "valid" in line) and _VALIDATION_METRIC.search(line):
        return METRIC
    return INFO
