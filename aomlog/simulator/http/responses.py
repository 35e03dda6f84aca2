"""Answers as the gateway and ModelArts shape them, for every route.

Three error shapes coexist: v1's (``is_success`` false, ``error_message``),
v2's (``error_code`` and ``error_msg`` only) and the gateway's (with a
``request_id``, for calls that never reach ModelArts).
"""

from __future__ import annotations

import json
from typing import Dict, Optional


class Response:
    def __init__(self, status: int, body: bytes = b"", content_type: str = "application/json;charset=UTF-8",
                 headers: Optional[Dict[str, str]] = None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers or {}

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def json_response(status: int, obj: dict, headers: Optional[Dict[str, str]] = None) -> Response:
    # ensure_ascii=False: the real service sends raw UTF-8, and clients must decode it.
    return Response(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), headers=headers)


def modelarts_error(code: str, message: str, status: int = 400) -> Response:
    """A v1 call's error."""
    return json_response(status, {"is_success": False, "error_code": code, "error_message": message})


def v2_error(code: str, message: str, status: int = 400) -> Response:
    """A v2 call's error: no is_success, and the message is ``error_msg``."""
    return json_response(status, {"error_code": code, "error_msg": message})


def gateway_error(status: int, code: str, message: str, request_id: str,
                  headers: Optional[Dict[str, str]] = None) -> Response:
    return json_response(status, {"error_code": code, "error_msg": message, "request_id": request_id}, headers)


def no_such_api(request_id: str) -> Response:
    return gateway_error(404, "APIGW.0101", "The API does not exist or has not been published in the environment",
                         request_id)
