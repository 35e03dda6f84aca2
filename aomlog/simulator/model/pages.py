"""Reading a page of one log: the position model both API families share.

v1's aom-log and v2's logs call page the same way and differ only in
presentation (field types, error shapes, the minimum ``lines``) and in which
``order`` word reads onward, so the arguments are parsed and the page is cut
here, once. ``inclusive`` is the simulator's base_line_mode (docs/api-v1.md leaves
it open): exclusive reads onward from pos > base_line and ends on the last
returned position; inclusive reads from pos >= base_line and ends on the next
line's position (or one past the last). Reading back is pos < base_line in both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from .jobs import LogFile

MAX_LINES = 500
DEFAULT_LINES = 50

_DIGITS = re.compile(r"^[0-9]+$")


class BadArgument(Exception):
    """A query parameter the API refuses (ModelArts.0104); the message says which."""


@dataclass(frozen=True)
class Page:
    # Not a NamedTuple: a field named ``count`` would shadow tuple.count.
    content: str
    count: int
    start: Optional[int]  # None: no position to report (an empty page without a cursor)
    end: Optional[int]


def parse_query(query: Dict[str, str], minimum: int) -> Tuple[int, str, Optional[int]]:
    """(lines, order, base_line) of a page request, ``lines`` at least ``minimum``;
    BadArgument names the first bad one, in that order."""
    return (parse_lines(query.get("lines", ""), minimum), parse_order(query.get("order", "")),
            parse_base_line(query.get("base_line", "")))


def parse_lines(raw: str, minimum: int) -> int:
    raw = raw.strip()
    if raw and not _DIGITS.match(raw):
        raise BadArgument("Invalid parameter lines: %r, must be an integer" % raw)
    n = int(raw) if raw else DEFAULT_LINES
    if not minimum <= n <= MAX_LINES:
        raise BadArgument("Invalid parameter lines: %d, must be in [%d, %d]" % (n, minimum, MAX_LINES))
    return n


def parse_order(raw: str) -> str:
    order = raw or "desc"  # both families default to desc
    if order not in ("desc", "asc"):
        raise BadArgument("Invalid parameter order: %r, must be desc or asc" % order)
    return order


def parse_base_line(raw: str) -> Optional[int]:
    # The published request example has "base_line= 1551…": tolerate surrounding blanks.
    raw = raw.strip()
    if raw and not _DIGITS.match(raw):
        raise BadArgument("Invalid parameter base_line: %r" % raw)
    return int(raw) if raw else None


def read(f: LogFile, count: int, base: Optional[int], n: int, onward: bool, *, inclusive: bool,
         strict: bool = False, trailing_newline: bool = False) -> Page:
    """Up to ``n`` of the first ``count`` lines of log file ``f``: the newest without a
    base_line, else onward from it or back from it."""
    if base is not None and strict and not _issued(f, base, count, inclusive):
        raise BadArgument("Invalid parameter base_line: %d is not a log position" % base)
    if base is None:
        lo, hi = max(0, count - n), count
    elif onward:
        lo = f.index_at_or_after(base if inclusive else base + 1, count)
        hi = min(count, lo + n)
    else:
        hi = f.index_at_or_after(base, count)
        lo = max(0, hi - n)
    if lo >= hi:
        # Empty page: echo the cursor so a client trusting it stays put;
        # with no cursor there is nothing to echo.
        return Page("", 0, base, base)
    content = "\n".join(f.lines(lo, hi))
    if trailing_newline:
        content += "\n"
    if not inclusive:
        end = f.position(hi - 1)
    elif hi < count:
        end = f.position(hi)
    else:
        end = f.position(hi - 1) + 1
    return Page(content, hi - lo, f.position(lo), end)


def _issued(f: LogFile, base: int, count: int, inclusive: bool) -> bool:
    """Strict mode: is base a position this server could have handed out?"""
    i = f.index_at_or_after(base, count)
    if i < count and f.position(i) == base:
        return True
    return inclusive and i > 0 and f.position(i - 1) + 1 == base
