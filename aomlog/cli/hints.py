"""The only place below the commands where options are spelt: the words of errors that are
about something the command line sets.

Layers below the CLI raise ``AomlogError(..., about=KEY, facts={...})`` with a message
and hint that name no option; ``worded`` gives the message and hint the user sees. Each
layer's keys have a table of their own here, so that a reader finds every option a
layer's errors point at in one place.
"""

from __future__ import annotations

from typing import Callable, Dict, Optional, Tuple

from aomlog.errors import AomlogError

# A key's wording: the error -> (message, hint) as the user sees them.
Wording = Callable[[AomlogError], Tuple[str, Optional[str]]]


# -- the transport's errors (aomlog.transport) -----------------------------------------
TRANSPORT: Dict[str, Wording] = {
}


# -- the settings' errors (aomlog.settings) --------------------------------------------
SETTINGS: Dict[str, Wording] = {
}


# -- the API families' and the engine's errors (aomlog.api, aomlog.engine) -------------
def _since_needs_times(err: AomlogError) -> Tuple[str, Optional[str]]:
    return (f"the API's positions in {err.facts['stream']} are not times (the newest line is at "
            f"{err.facts['position']}), so --since cannot find a time",
            "Start with -n N, -n +N or --base-line instead.")


ENGINE: Dict[str, Wording] = {
    "since": _since_needs_times,  # catchup/read.py: a log whose positions are not times
}


# -- output's errors (aomlog.output, aomlog.metrics) ----------------------------------
OUTPUT: Dict[str, Wording] = {
}


WORDINGS: Dict[str, Wording] = {**TRANSPORT, **SETTINGS, **ENGINE, **OUTPUT}


def worded(err: AomlogError) -> Tuple[str, Optional[str]]:
    """The message and hint of ``err`` as the user sees them."""
    wording = WORDINGS.get(err.about) if err.about else None
    if wording is None:
        return err.message, err.hint
    return wording(err)
