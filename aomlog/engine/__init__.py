"""The engine: reads a job's log (streams chosen, the catch-up, the follow, cursor files) and
hands the pages to its caller, who writes them. It prints nothing and names no option.

``Tail(api, TailSettings(...), Collaborators(...)).pages(on_start)`` is the whole of it:
``on_start`` gets a ``Started`` before the first page, the generator's value is an
``Outcome``. Stop requests come in as a ``Stop``, what a reader keeps with its positions
as a ``Keeper``. The names below are imported when first asked for, so that importing
``aomlog.engine.signals`` (the CLI's entry point does) costs nothing more.
"""

from __future__ import annotations

from typing import Any

_WHERE = {
    "Tail": "tail", "TailSettings": "settings", "Collaborators": "settings", "Progress": "settings",
    "Streams": "streams", "Start": "start", "Timing": "follow", "Started": "outcome", "Outcome": "outcome",
    "Keeper": "keeper", "KeepsNothing": "keeper", "Stop": "stop", "NoStop": "stop",
}
__all__ = list(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
