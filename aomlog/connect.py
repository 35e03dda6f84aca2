"""The one way to build a client from resolved settings: endpoint, project, credentials, timeouts."""

from __future__ import annotations

from aomlog import config
from aomlog.client import Client


def connect(settings: config.Settings, *, timeout: float = 30.0, **options) -> Client:
    """A client for ``settings``; raises ConfigError when a setting it needs is missing.

    ``timeout`` bounds each answer; connecting gets at most 5 s of it.
    """
    return Client(
        settings.endpoint,
        settings.project_id,
        config.make_auth(settings),
        credential_source=settings.credential_source(),
        credential_hint=settings.credential_hint(),
        timeout=(min(5.0, timeout), timeout),
        **options,
    )
