"""Exit statuses and the exceptions the CLI turns into them.

Every failure a user can cause or meet is one of these; the CLI prints
``Error: <message>`` and ``Hint: <hint>`` and exits with ``status``.

Below the CLI nothing knows an option's spelling: an error about something the
command line sets names it by its key in ``about`` (``"endpoint"``, ``"timeout"``)
with the facts a hint needs in ``facts``; ``aomlog.cli.hints`` words the message
and hint that name the options.
"""

from __future__ import annotations

import enum
from typing import Any, Dict, Optional


class ExitStatus(enum.IntEnum):
    OK = 0
    ERROR = 1  # API or runtime failure (after retries)
    USAGE = 2
    CONFIG = 3  # configuration or credentials
    NOT_FOUND = 4  # job, version or log file
    JOB_FAILED = 5  # the followed job ended in a failure state
    INTERRUPTED = 130  # Ctrl-C (SIGINT)
    PIPE_CLOSED = 141  # stdout closed, e.g. `| head`
    TERMINATED = 143  # SIGTERM (systemd, Docker, CI runners)


class AomlogError(Exception):
    """A failure to tell the user: ``message`` and ``hint`` in words that name no option.

    Args:
        message: what failed, one line.
        hint: what to do about it, when that needs no option's name.
        status: the exit status, when not the class's own.
        about: the key of the setting or choice it is about (see ``aomlog.cli.hints``).
        facts: what the CLI's wording of it needs (e.g. the timeout in force).
    """

    status = ExitStatus.ERROR

    def __init__(self, message: str, hint: Optional[str] = None, status: Optional[int] = None, *,
                 about: Optional[str] = None, facts: Optional[Dict[str, Any]] = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.about = about
        self.facts: Dict[str, Any] = dict(facts or {})
        if status is not None:
            self.status = ExitStatus(status)


class UsageError(AomlogError):
    status = ExitStatus.USAGE


class ConfigError(AomlogError):
    status = ExitStatus.CONFIG


class AuthError(ConfigError):
    """The server rejected the credentials. Never retried: five in a row lock the key."""


class NoSuchApi(ConfigError):
    """The endpoint answers, but not with this API (a wrong endpoint, or a region without the old API)."""


class NotFoundError(AomlogError):
    status = ExitStatus.NOT_FOUND

    def __init__(self, message: str, hint: Optional[str] = None, status: Optional[int] = None, *,
                 code: Optional[str] = None, about: Optional[str] = None,
                 facts: Optional[Dict[str, Any]] = None):
        super().__init__(message, hint, status, about=about, facts=facts)
        self.code = code  # the API's error code, when it said so itself


class ApiError(AomlogError):
    """The API answered with an error, or could not be reached, after any retries."""

    status = ExitStatus.ERROR

    def __init__(self, message: str, hint: Optional[str] = None, *, http_status: Optional[int] = None,
                 code: Optional[str] = None, transient: bool = False,
                 retry_after: Optional[float] = None, status: Optional[int] = None, reached: bool = True,
                 about: Optional[str] = None, facts: Optional[Dict[str, Any]] = None):
        super().__init__(message, hint, status, about=about, facts=facts)
        self.http_status = http_status
        self.code = code
        self.transient = transient
        self.retry_after = retry_after
        # False when no answer came back and none ever has: a wrong endpoint or region looks like this.
        self.reached = reached


class JobFailed(AomlogError):
    status = ExitStatus.JOB_FAILED
