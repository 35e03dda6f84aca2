"""The one way to build a client from resolved settings: endpoint, project, credentials, timeouts.

With an access key pair and a region but no project id, the project id is looked
up as the official SDK does: an AK/SK-signed ``GET {iam}/v3/projects?name=REGION``,
``projects[0].id``, cached per IAM endpoint, AK and region (docs/api-v2.md).
"""

from __future__ import annotations

from typing import Any, Dict, Sequence

from aomlog.errors import ConfigError
from aomlog.settings import cache, config, regions
from aomlog.settings.key_pairs import KeyPairMemory
from aomlog.transport.client import Client
from aomlog.transport.observer import Observer


def connect(settings: config.Settings, *, timeout: float = 30.0, observers: Sequence[Observer] = (),
            **options: Any) -> Client:
    """A client for ``settings``; raises ConfigError when a setting it needs is missing.

    ``timeout`` bounds each answer; connecting gets at most 5 s of it. ``observers`` and
    ``options`` (retries, sleep, debug) go to the client, whose key-pair verdicts (and
    those of any IAM lookup) are remembered in the user's cache.
    """
    endpoint = settings.endpoint  # a missing or malformed endpoint is reported before any lookup
    observers = (*observers, KeyPairMemory())
    if settings.can_look_up_project() and not cached_project(settings):
        _look_up_project(settings, timeout, dict(options, observers=observers))
    return Client(
        endpoint,
        settings.project_id,
        config.make_auth(settings),
        credential_source=settings.credential_source(),
        credential_hint=settings.credential_hint(),
        timeout=(min(5.0, timeout), timeout),
        observers=observers,
        **options,
    )


def _key(settings: config.Settings) -> str:
    iam, _ = regions.iam_endpoint(settings.region, settings.env)
    return " ".join((iam, settings.get("ak") or "", settings.region or ""))


def cached_project(settings: config.Settings) -> bool:
    """Take the project id looked up before, if there is one; no request is made."""
    found = cache.project_id(_key(settings))
    if found:
        settings.set("project_id", found, f"IAM for {settings.region} (cached in {cache.path('project-ids.json')})")
    return bool(found)


def _look_up_project(settings: config.Settings, timeout: float, options: Dict[str, Any]) -> None:
    """Ask IAM with the caller's retries, sleep and notices, so a TAB or a -f waits no longer."""
    region = settings.region or ""
    iam, source = regions.iam_endpoint(region, settings.env)
    # Signed as every call is; no project id is set yet, so none is sent: it is what is asked for.
    client = Client(iam, "", config.make_auth(settings), credential_source=settings.credential_source(),
                    credential_hint=settings.credential_hint(), timeout=(min(5.0, timeout), timeout), **options)
    body = client.get("/v3/projects", {"name": region}, what=f"IAM's projects named {region}")
    projects = [p for p in body.get("projects") or [] if isinstance(p, dict) and p.get("id")]
    hint = ("Set the project id (IAM console: My Credentials > Projects), or check the region; "
            f"IAM was asked at {iam} ({source}).")
    facts = {"iam": iam, "source": source}
    if not projects:
        raise ConfigError(f"IAM has no project named {region} for {settings.credential_source()}", hint,
                          about="project_id.lookup", facts=facts)
    if len(projects) > 1:
        raise ConfigError(f"IAM has {len(projects)} projects named {region}: "
                          f"{', '.join(str(p['id']) for p in projects)}", hint,
                          about="project_id.lookup", facts=facts)
    project_id = str(projects[0]["id"])
    cache.store_project_id(_key(settings), project_id)
    settings.set("project_id", project_id, f"IAM at {iam} for {region}")
