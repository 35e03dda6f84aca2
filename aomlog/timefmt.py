"""Times and durations as people read them: local times, and "1h02m03s"."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional


def local_time(ms: Optional[int]) -> str:
    """Epoch milliseconds as local time to the minute, e.g. '2026-11-27 15:32'; '-' if unknown."""
    if ms is None:
        return "-"
    try:
        return datetime.fromtimestamp(ms / 1000).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        return "-"


def iso_time(ms: Optional[int]) -> Optional[str]:
    """Epoch milliseconds as ISO 8601 with the local offset, e.g. '2026-11-27T15:32:39+08:00'."""
    if ms is None:
        return None
    try:
        return datetime.fromtimestamp(ms / 1000, timezone.utc).astimezone().isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return None


def duration(ms: Optional[int]) -> str:
    if ms is None:
        return "unknown time"
    seconds = int(ms // 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{seconds:02d}s"
    if minutes:
        return f"{minutes}m{seconds:02d}s"
    return f"{seconds}s"
