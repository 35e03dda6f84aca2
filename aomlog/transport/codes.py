"""The API's error codes that aomlog acts on (docs/api-v1.md, Errors), and what each means."""

from __future__ import annotations

from typing import Optional

# Failures that say the job, version or file does not exist: (what failed, what to do).
NOT_FOUND_TEXT = {
    "ModelArts.2775": ("training job not found",
                       "Check the job id (and version): 'aomlog jobs' lists your jobs."),
    "ModelArts.2818": ("no such log, or not generated yet",
                       "'aomlog files JOB' lists the job's log files or tasks; a new job's log appears once it runs."),
    "ModelArts.2819": ("the log has already been cleared", "Its retention has passed: nothing is left to read."),
}
NOT_FOUND_CODES = frozenset(NOT_FOUND_TEXT)
NOT_GENERATED_CODE = "ModelArts.2818"
NOT_READY_CODE = "ModelArts.2776"  # the log exists but cannot be read yet: worth another try
# Position-like values that a server may refuse because it never issued them.
BAD_ARGUMENT_CODES = frozenset({"ModelArts.0101", "ModelArts.0104"})
# The project id belongs to other credentials: the credential itself is fine.
PROJECT_MISMATCH_CODE = "ModelArts.0210"
# The gateway knows the credential but its policies deny this API.
PERMISSION_CODES = frozenset({"APIGW.0302", "APIGW.0306", "APIG.0302", "APIG.0306"})
_AUTH_CODES = frozenset({"APIGW.0301", "APIGW.0307", "APIG.0301", "APIG.0307", "ModelArts.0206",
                         PROJECT_MISMATCH_CODE})


def is_auth_code(code: Optional[str]) -> bool:
    """Whether ``code`` says the request's credentials were refused (ModelArts.0201-0212 among them)."""
    if not code:
        return False
    if code in _AUTH_CODES:
        return True
    if code.startswith("ModelArts.02"):
        return 201 <= int(code[-4:]) <= 212 if code[-4:].isdigit() else False
    return False


def is_bad_request(http_status: Optional[int], code: Optional[str]) -> bool:
    """Whether the server refused an argument: a bad argument by its documented codes, or any
    HTTP 400, as v2's codes for it are not documented."""
    return code in BAD_ARGUMENT_CODES or http_status == 400
