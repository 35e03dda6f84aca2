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
def _streams_several(err: AomlogError) -> Tuple[str, Optional[str]]:
    v1 = err.facts["family"] == "v1"
    option = "--file" if v1 else "--task"
    return err.message, (f"Pass {option} NAME (repeat it for several), e.g. {option} {err.facts['first']}, "
                         f"or {'--all-files' if v1 else '--all-tasks'}.")


def _another_cursor_file(first: str) -> Wording:
    return lambda err: (err.message, f"{first.format(**err.facts)}pass another --cursor-file.")


ENGINE: Dict[str, Wording] = {
    "streams.several": _streams_several,
    "follow.not_started": lambda err: (err.message, "Add -f to wait for it to start and follow its log."),
    "follow.no_streams": lambda err: (err.message, "The job may still be starting; add -f to wait for its log."),
    "cursor_file.not_a_file": lambda err: (err.message, "Pass the path of a file aomlog may create and replace, "
                                                        "e.g. --cursor-file ~/.job.cursor."),
    "cursor_file.too_large": _another_cursor_file("It is not an aomlog cursor file: "),
    "cursor_file.no_directory": _another_cursor_file("Create the directory first, or "),
    "cursor_file.not_ours": _another_cursor_file("Delete {path} to start afresh, or "),
    "debug.order_reversed": lambda err: (err.message, "This is not how the API has answered so far; "
                                                      "run again with --debug and report it."),
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
