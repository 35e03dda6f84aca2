"""Options shared by every command that calls the API, and the client they build."""

from __future__ import annotations

import functools
from typing import Callable

import click

from aomlog.cli.errors import notice


def connection_options(command: Callable) -> Callable:
    """--endpoint, --region and --project-id, gathered into one ``conn`` argument."""

    @click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
                  metavar="SECONDS", help="How long to wait for each answer of the API.")
    @click.option("--endpoint", metavar="URL", help="API endpoint.  [env: AOMLOG_ENDPOINT; "
                  "default: https://modelarts.REGION.myhuaweicloud.com]")
    @click.option("--region", metavar="REGION", help="Region, e.g. cn-north-4.  [env: AOMLOG_REGION]")
    @click.option("--project-id", metavar="ID", help="Project id.  [env: HUAWEICLOUD_SDK_PROJECT_ID]")
    @functools.wraps(command)
    def wrapper(*args, endpoint, region, project_id, timeout, **kwargs):
        conn = {"endpoint": endpoint, "region": region, "project_id": project_id, "timeout": timeout}
        return command(*args, conn=conn, **kwargs)

    return wrapper


def make_client(conn: dict, **overrides):
    """A client for the resolved settings; raises ConfigError when a setting is missing."""
    from aomlog import config
    from aomlog.client import Client

    conn = dict(conn)
    timeout = conn.pop("timeout", 30.0)
    settings = config.resolve(conn)
    return Client(
        settings.endpoint,
        settings.project_id,
        config.make_auth(settings),
        credential_source=settings.credential_source(),
        timeout=(min(5.0, timeout), timeout),
        on_retry=_retry_notice,
        **overrides,
    )


def _retry_notice(err, attempt: int, delay: float) -> None:
    if attempt == 1:
        notice(f"aomlog: {err.message}; retrying")
