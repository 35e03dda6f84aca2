"""Options shared by every command that calls the API, and the client they build."""

from __future__ import annotations

import functools
import sys
import time
from typing import Callable

import click

from aomlog.cli.completion import profile_names
from aomlog.cli.hints import FLAG_NAMES
from aomlog.cli.errors import notice
from aomlog.cli.params import seconds
from aomlog.errors import ApiError
from aomlog.transport.observer import Observer


def connection_options(command: Callable) -> Callable:
    """--endpoint, --region, --project-id, --profile, --timeout and --debug, as one ``conn`` argument.

    There is deliberately no option for a secret: AK/SK and tokens come from the
    environment or a config file, never from shell history or ``ps``.
    """

    @click.option("--timeout", type=seconds(0, 86400, open_low=True), default=30.0, show_default=True,
                  metavar="SECONDS", help="How long to wait for each answer of the API.")
    @click.option("--endpoint", metavar="URL", help="API endpoint.  [env: AOMLOG_ENDPOINT; "
                  "default: https://modelarts.REGION.myhuaweicloud.com]")
    @click.option("--region", metavar="REGION", help="Region, e.g. cn-north-4.  [env: AOMLOG_REGION]")
    @click.option("--project-id", metavar="ID", help="Project id.  [env: HUAWEICLOUD_SDK_PROJECT_ID]")
    @click.option("--profile", metavar="NAME", shell_complete=profile_names,
                  help="Profile of the config file ('aomlog configure').  "
                  "[env: AOMLOG_PROFILE; default: default]")
    @click.option("--debug", is_flag=True, help="Print versions, the source of each setting and every "
                  "request on stderr (secrets redacted).")
    @functools.wraps(command)
    def wrapper(*args, endpoint, region, project_id, profile, timeout, debug, **kwargs):
        conn = {"endpoint": endpoint, "region": region, "project_id": project_id, "profile": profile,
                "timeout": timeout, "debug": debug}
        return command(*args, conn=conn, **kwargs)

    return wrapper


def resolve_settings(flags: dict, tolerant: bool = False):
    """The resolved settings, with their warnings (e.g. a config file others can read) shown;
    ``tolerant``: problems kept in them rather than raised (``config.resolve``)."""
    from aomlog.settings import config

    settings = config.resolve(flags, flag_names=FLAG_NAMES, tolerant=tolerant)
    for warning in settings.warnings:
        notice(f"aomlog: warning: {warning}")
    _warn_of_unknown_region(settings)
    return settings


def _warn_of_unknown_region(settings) -> None:
    """A region missing from the table is tried (new regions appear), but said at once: a typo
    would otherwise surface only as a DNS failure after every retry."""
    from aomlog.settings import config, regions

    region = settings.get("region")
    if settings.get("endpoint") or not region or not config.REGION.match(region):
        return
    if regions.is_unknown(region, settings.env):
        url, _ = regions.modelarts_endpoint(region, settings.env)
        notice(f"aomlog: warning: unknown region '{region}' (from {settings.sources['region']}); closest known: "
               f"{', '.join(regions.closest(region))}. Trying {url} anyway: pass --endpoint URL if the "
               f"region's ModelArts is elsewhere.")


def make_client(conn: dict, *, sleep: Callable[[float], object] = time.sleep, **overrides):
    """A client for the resolved settings; raises ConfigError when a setting is missing.

    Its retries wait through ``sleep`` and are told by a notice."""
    from aomlog.settings.connect import connect

    conn = dict(conn)
    timeout = conn.pop("timeout", 30.0)
    debug = conn.pop("debug", False)
    settings = resolve_settings(conn)
    try:
        return connect(settings, timeout=timeout, observers=[RetryNotice()], sleep=sleep,
                       debug=_debug if debug else None, **overrides)
    finally:  # after any project-id lookup, so that its source shows too
        if debug:
            _debug_settings(settings)


def _debug(text: str) -> None:
    notice(f"aomlog: debug: {text}")


def _debug_settings(settings) -> None:
    import platform

    from aomlog import __version__
    from aomlog.settings import config

    _debug(f"aomlog {__version__}, Python {platform.python_version()} ({sys.executable}), "
           f"requests {_version('requests')}, click {_version('click')}")
    _debug(f"config file {config.config_path()}, credentials file {config.credentials_path()}")
    for name, value, source in _described(settings):
        _debug(f"{name} = {value}  ({source})")
    _debug(f"credential: {settings.credential_source() or 'none: requests go out unsigned'}")


def _described(settings):
    try:
        return settings.describe()
    except Exception:  # a setting too broken to show: the error that follows says which
        return []


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


class RetryNotice(Observer):
    """Says that a request is tried again: once per request, not at every try."""

    def retrying(self, err: ApiError, attempt: int, delay: float) -> None:
        if attempt == 1:
            notice(f"aomlog: {err.message}; retrying")
