"""The simulator's HTTP face: the server (server.py), the routes of each API
family (v1.py, v2.py), job lists (lists.py), IAM's project lookup (projects.py)
and credential check (iam.py), the shapes of answers (responses.py) and the
faults injected on the wire (faults.py).

Answers from model/ (jobs, details, pages); nothing below imports this package.
"""

from .api import DEFAULT_PROJECT_ID, DEFAULT_REGION, Api
from .faults import KINDS as FAULT_KINDS
from .faults import Faults
from .iam import Iam, Rejected
from .responses import Response
from .routes import REQUEST_KINDS, answer, kind_of
from .server import Request, Simulator

__all__ = ["Simulator", "Request", "Faults", "FAULT_KINDS", "REQUEST_KINDS", "Api", "answer", "kind_of", "Response",
           "Iam", "Rejected", "DEFAULT_PROJECT_ID", "DEFAULT_REGION"]
