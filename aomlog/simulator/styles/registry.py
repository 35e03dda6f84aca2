"""The log styles by name: what ``Job(..., style=...)`` and ``log_text`` look up.

The registry sits above every style module and below the jobs (model/), so a
style never needs to know the others, and nothing imports back up into it.
"""

from __future__ import annotations

from typing import Dict, Optional, Type

from .base import LogText
from .huggingface import HuggingFaceLogText
from .keras import KerasLogText
from .mindspore import MindSporeLogText

STYLES: Dict[str, Type[LogText]] = {
    "pytorch": LogText,
    "huggingface": HuggingFaceLogText,
    "keras": KerasLogText,
    "mindspore": MindSporeLogText,
}


def style_class(style: str) -> Type[LogText]:
    """The LogText class of a style name (ValueError for an unknown one)."""
    try:
        return STYLES[style]
    except (KeyError, TypeError):
        raise ValueError("unknown log style %r (known: %s)" % (style, ", ".join(STYLES))) from None


def log_text(seed: int, file_name: str, *, style: str = "pytorch", rank: int = 0, world: int = 1,
             total: Optional[int] = None, failed: bool = False, pace: float = 1.0) -> LogText:
    """The text of one log file in a style: ``log_text(1, "log1.log", style="keras")``
    is a ``KerasLogText`` (ValueError for an unknown style)."""
    return style_class(style)(seed, file_name, rank=rank, world=world, total=total, failed=failed, pace=pace)
