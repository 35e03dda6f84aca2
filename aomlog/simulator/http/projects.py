"""IAM's project lookup, answered by the simulator itself.

When no project id is configured the official SDK asks IAM for the project of
the region, ``GET /v3/projects?name=<region>``, signed like any call, and uses
``projects[0].id`` (docs/api-v2.md). The simulator serves it on the same port
so a client's IAM endpoint can point at it; ``Api.projects`` maps region names
to project ids. The answer follows Keystone's shape.
"""

from __future__ import annotations

from typing import Dict, Tuple
from urllib.parse import quote

from .api import Api
from .responses import Response, json_response

DOMAIN_ID = "9f3c1a7e5b2d4c6e8a0b1c2d3e4f5a6b"
IAM_BASE = "https://iam.myhuaweicloud.com/v3"


def list_projects(api: Api, args: Tuple[str, ...], query: Dict[str, str], body: bytes) -> Response:
    name = query.get("name")
    found = [{"id": pid, "name": region, "domain_id": DOMAIN_ID, "enabled": True, "description": "",
              "is_domain": False, "parent_id": DOMAIN_ID,
              "links": {"self": "%s/projects/%s" % (IAM_BASE, pid)}}
             for region, pid in sorted(api.projects.items()) if name is None or region == name]
    here = "%s/projects" % IAM_BASE + ("?name=%s" % quote(name, safe="") if name is not None else "")
    return json_response(200, {"projects": found, "links": {"self": here, "previous": None, "next": None}})
