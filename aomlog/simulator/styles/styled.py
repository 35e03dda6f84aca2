"""StyledLogText, the base of the Hugging Face, Keras and MindSpore styles, and
the tqdm bars two of them print."""

from __future__ import annotations

from typing import Dict, Tuple

from .base import LogText, format_ms


class StyledLogText(LogText):
    """What the styles other than PyTorch's share: a second timestamp form
    ("{ts2}", see ``_ts2``) in their fixed lines and warnings, warnings as named
    templates, odd lines numbered 10-99, and a crash rule: an epoch whose hash
    ``he`` has ``he % CRASH[1] < CRASH[0]`` crashes from its line CRASH_AT on."""

    ODD_NUMBERS = range(10, 100)
    CRASH: Tuple[int, int]
    CRASH_AT: int

    def _ts2(self, ts: str, ms: int) -> str:
        """The framework's own form of the timestamp ``ts`` (of millisecond ``ms``)."""
        raise NotImplementedError

    def _warning_values(self, ts: str, ms: int, h: int, n: int) -> Dict[str, object]:
        # big: an allocation's size in bytes (Keras').
        return {"ts": ts, "ts2": self._ts2(ts, ms), "n": n, "big": 188160000 + h % 99999}

    def _fixed(self, template: str, ms: int) -> str:
        if "{ts" not in template:
            return template
        ts = format_ms(ms)
        return template.replace("{ts}", ts).replace("{ts2}", self._ts2(ts, ms))


def _tqdm_bar(eighths: int) -> str:
    """tqdm's 10-cell bar, ``eighths`` of 80 filled (its non-terminal width)."""
    full, part = divmod(eighths, 8)
    if full >= 10:
        return "█" * 10
    return "█" * full + " ▏▎▍▌▋▊▉"[part] + " " * (9 - full)


TQDM_BARS = tuple(_tqdm_bar(k) for k in range(81))
