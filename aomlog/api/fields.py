"""Reading the log-page fields both families answer with: positions, counts, content."""

from __future__ import annotations

from typing import Any, Optional, Tuple

from aomlog.api.family import Page


def position(value: Any) -> Optional[str]:
    """A position as an exact decimal string; None for "no position".

    Positions exceed 2**53, so a float would corrupt them: only ints and
    strings are trusted.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return None


def whole(value: Any) -> Optional[int]:
    """An integer field (counts, times in ms), whether sent as a number or a string; None if neither."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def page_text(content: Optional[str], count: Optional[int]) -> Tuple[str, int]:
    """Normalise ``content`` into newline-terminated lines.

    The content is the lines joined by newlines and may or may not end with one.
    When the server's count tells that a trailing empty piece is a real empty
    line, it is kept.
    """
    if not content:
        if count and count > 0:
            return "\n" * count, count
        return "", 0
    pieces = content.count("\n") + 1
    if content.endswith("\n") and count != pieces:
        return content, pieces - 1
    return content + "\n", pieces


def page_of(body: dict) -> Page:
    """The Page of a log call's answer (v1 and v2 share these fields)."""
    text, n = page_text(body.get("content"), whole(body.get("lines")))
    return Page(text, n, position(body.get("start_line")), position(body.get("end_line")))
