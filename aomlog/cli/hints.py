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
ENGINE: Dict[str, Wording] = {
}


# -- output's errors (aomlog.output, aomlog.metrics) ----------------------------------
def _bad_pattern(option: str) -> Wording:
    """A pattern of tail's line filters that is no regular expression (facts: pattern, problem)."""
    def wording(err: AomlogError) -> Tuple[str, Optional[str]]:
        facts = err.facts
        return f"{option} {facts['pattern']!r} is not a valid regular expression: {facts['problem']}", err.hint

    return wording


OUTPUT: Dict[str, Wording] = {
    "grep": _bad_pattern("--grep"),
    "exclude": _bad_pattern("--exclude"),
    "highlight": _bad_pattern("--highlight"),
}


WORDINGS: Dict[str, Wording] = {**TRANSPORT, **SETTINGS, **ENGINE, **OUTPUT}


def worded(err: AomlogError) -> Tuple[str, Optional[str]]:
    """The message and hint of ``err`` as the user sees them."""
    wording = WORDINGS.get(err.about) if err.about else None
    if wording is None:
        return err.message, err.hint
    return wording(err)
