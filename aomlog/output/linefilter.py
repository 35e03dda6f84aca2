"""Filters of log lines: Python regular expressions that keep, leave out or highlight lines.

Patterns are matched against the log's own text (before anything is made
visible for a terminal), with ``re.search``: a grep pattern ``loss`` keeps every
line containing ``loss``; ``(?i)`` in a pattern ignores case.
"""

from __future__ import annotations

import re
from typing import List, Optional, Pattern, Tuple

from aomlog.errors import UsageError


def compile_pattern(which: str, pattern: Optional[str]) -> Optional[Pattern[str]]:
    """The compiled pattern; a bad one is a usage error about ``which`` (grep, exclude or
    highlight) that says where it went wrong."""
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        problem = exc.msg + (f" at position {exc.pos}" if exc.pos is not None else "")
        raise UsageError(f"the {which} pattern {pattern!r} is not a valid regular expression: {problem}",
                         "Patterns are Python regular expressions; escape special characters with "
                         "a backslash (e.g. 'loss\\[0\\]') and quote the pattern for the shell.",
                         about=which, facts={"pattern": pattern, "problem": problem}) from None


class LineFilter:
    """Which log lines to print (``grep`` and not ``exclude``) and what to highlight in them."""

    def __init__(self, grep: Optional[str] = None, exclude: Optional[str] = None,
                 highlight: Optional[str] = None):
        self.grep = compile_pattern("grep", grep)
        self.exclude = compile_pattern("exclude", exclude)
        self.highlight = compile_pattern("highlight", highlight)

    @property
    def selects(self) -> bool:
        """Whether some lines may be left out."""
        return self.grep is not None or self.exclude is not None

    def kept(self, lines: List[str]) -> List[int]:
        """The indices of the lines to print."""
        grep, exclude = self.grep, self.exclude
        return [i for i, line in enumerate(lines)
                if (grep is None or grep.search(line)) and (exclude is None or not exclude.search(line))]

    def select(self, lines: List[str]) -> List[str]:
        """The lines to print (``lines`` itself when none may be left out)."""
        return [lines[i] for i in self.kept(lines)] if self.selects else lines

    def spans(self, text: str) -> List[Tuple[int, int]]:
        """Where the highlight pattern matches ``text``; empty matches are left out."""
        if self.highlight is None:
            return []
        return [m.span() for m in self.highlight.finditer(text) if m.end() > m.start()]
