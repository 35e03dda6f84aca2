"""requests auth objects for the ModelArts API gateway."""

from __future__ import annotations

import requests


class TokenAuth(requests.auth.AuthBase):
    """An IAM token, sent as ``X-Auth-Token``."""

    def __init__(self, token: str):
        self.token = token

    def __call__(self, request):
        request.headers["X-Auth-Token"] = self.token
        return request

    def __repr__(self) -> str:  # never show the token, even in a debugger or traceback
        return "TokenAuth(token=<redacted>)"
