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

# How the command line spells each connection setting: the settings name a value's source by it.
FLAG_NAMES = {"endpoint": "--endpoint", "region": "--region", "project_id": "--project-id", "profile": "--profile"}

# A key's wording: the error -> (message, hint) as the user sees them.
Wording = Callable[[AomlogError], Tuple[str, Optional[str]]]


def _hint(text: str) -> Wording:
    """The error's own message with ``text`` as its hint, ``{fact}`` filled in from its facts."""
    return lambda err: (err.message, text.format(**err.facts))


# -- the transport's and the API families' errors (aomlog.transport, aomlog.api) ---------
TRANSPORT: Dict[str, Wording] = {
    "timeout": _hint("The service may be slow: try again later, or allow more with --timeout (now {timeout:g} s)."),
    "endpoint.unreachable": _hint("Check --endpoint/--region and your network connection."),
    "endpoint.not_url": _hint("Check --endpoint; it must be an http(s) URL."),
    "endpoint.no_api": _hint("Check --endpoint/--region: it should be https://modelarts.REGION.myhuaweicloud.com."),
    "endpoint.not_json": _hint("Check --endpoint: it should be the ModelArts endpoint of your region."),
    "endpoint.not_modelarts": _hint("This endpoint may not be a ModelArts API; check --endpoint."),
    "project_id.mismatch": _hint("Check --project-id / HUAWEICLOUD_SDK_PROJECT_ID for this region."),
    "job.name": _hint("'aomlog jobs --name {name}' lists the jobs whose names contain it; or pass the job's id."),
}


# -- the settings' errors (aomlog.settings) --------------------------------------------
SETTINGS: Dict[str, Wording] = {
    "region.missing": _hint("Pass --region (e.g. cn-north-4), set AOMLOG_REGION, or run 'aomlog configure'."),
    "region.malformed": _hint("Regions look like cn-north-4 or ap-southeast-1; a URL goes in --endpoint."),
    "project_id.missing": _hint("Pass --project-id, set HUAWEICLOUD_SDK_PROJECT_ID, or run 'aomlog configure' "
                                "(IAM console: My Credentials > Projects); with an access key pair and a region, "
                                "aomlog looks it up itself."),
    "project_id.lookup": _hint("Pass --project-id (IAM console: My Credentials > Projects), or check --region; "
                               "IAM was asked at {iam} ({source})."),
    "config.not_toml": _hint("Fix the file (see 'aomlog configure --help' for its form), "
                             "or point {variable} at another one."),
    "config.profiles": _hint("Fix the file (see 'aomlog configure --help' for its form)."),
    "profile.unknown": _hint("Run 'aomlog configure --profile {name}' to create it, or pick a known one."),
}


# -- the engine's errors (aomlog.engine) ------------------------------------------------
def _streams_several(err: AomlogError) -> Tuple[str, Optional[str]]:
    v1 = err.facts["family"] == "v1"
    option = "--file" if v1 else "--task"
    return err.message, (f"Pass {option} NAME (repeat it for several), e.g. {option} {err.facts['first']}, "
                         f"or {'--all-files' if v1 else '--all-tasks'}.")


def _another_cursor_file(first: str) -> Wording:
    return lambda err: (err.message, f"{first.format(**err.facts)}pass another --cursor-file.")


def _since_needs_times(err: AomlogError) -> Tuple[str, Optional[str]]:
    return (f"the API's positions in {err.facts['stream']} are not times (the newest line is at "
            f"{err.facts['position']}), so --since cannot find a time",
            "Start with -n N, -n +N or --base-line instead.")


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
    "since": _since_needs_times,  # catchup/read.py: a log whose positions are not times
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
