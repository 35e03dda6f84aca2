"""Connection settings, resolved from flags, then the environment, then config files.

Each value remembers where it came from, so errors and ``--debug`` can say which
credential was used without ever showing it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional

from aomlog.errors import ConfigError

ENDPOINT_TEMPLATE = "https://modelarts.{region}.myhuaweicloud.com"

# setting name -> environment variable
ENV_VARS = {
    "endpoint": "AOMLOG_ENDPOINT",
    "region": "AOMLOG_REGION",
    "project_id": "HUAWEICLOUD_SDK_PROJECT_ID",
    "token": "AOMLOG_TOKEN",
}
SECRETS = {"token", "sk", "security_token"}


@dataclass
class Settings:
    values: Dict[str, str] = field(default_factory=dict)
    sources: Dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Optional[str]:
        return self.values.get(name)

    def set(self, name: str, value: Optional[str], source: str) -> None:
        if value not in (None, "") and name not in self.values:
            self.values[name] = value
            self.sources[name] = source

    @property
    def endpoint(self) -> str:
        endpoint = self.get("endpoint")
        if endpoint:
            return endpoint.rstrip("/")
        region = self.get("region")
        if region:
            return ENDPOINT_TEMPLATE.format(region=region)
        raise ConfigError(
            "no region or endpoint is configured",
            "Pass --region (e.g. cn-north-4), set AOMLOG_REGION, or pass --endpoint URL.",
        )

    @property
    def project_id(self) -> str:
        project_id = self.get("project_id")
        if not project_id:
            raise ConfigError(
                "no project id is configured",
                "Pass --project-id or set HUAWEICLOUD_SDK_PROJECT_ID (IAM console: My Credentials > Projects).",
            )
        return project_id

    def credential_source(self) -> Optional[str]:
        if "token" in self.values:
            return f"token from {self.sources['token']}"
        return None


def resolve(flags: Mapping[str, Optional[str]], env: Optional[Mapping[str, str]] = None) -> Settings:
    """Flags first, then the environment; the first source to name a value wins."""
    env = os.environ if env is None else env
    settings = Settings()
    for name, value in flags.items():
        settings.set(name, value, f"--{name.replace('_', '-')}")
    for name, var in ENV_VARS.items():
        settings.set(name, env.get(var), f"${var}")
    return settings


def make_auth(settings: Settings):
    """The requests auth object for the resolved credentials, or None."""
    token = settings.get("token")
    if token:
        from aomlog.auth import TokenAuth

        return TokenAuth(token)
    return None
