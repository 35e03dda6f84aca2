"""What the API's error codes mean to aomlog: the table in aomlog.transport.codes, and the typed
errors the client raises by it."""

import pytest

from aomlog.errors import ApiError, AuthError, BadRequest, NotFoundError
from aomlog.simulator import Job
from aomlog.transport.client import Client
from aomlog.transport.codes import BAD_ARGUMENT_CODES, NOT_FOUND_CODES, is_auth_code, is_bad_request

from canned import client_answering


def answer(status, body=b"", headers=None):
    """What the client makes of one answer: the body, or the error it raises."""
    try:
        return client_answering(status, body, headers).get("/x", what="the thing")
    except Exception as err:  # noqa: BLE001 - the error is what is asked for
        return err


@pytest.mark.parametrize("code", ["APIGW.0301", "APIG.0307", "ModelArts.0201", "ModelArts.0206", "ModelArts.0212"])
def test_credential_codes_are_auth_failures(code):
    assert is_auth_code(code)


@pytest.mark.parametrize("code", [None, "", "ModelArts.0213", "ModelArts.02xx", "ModelArts.0104", "APIGW.0101"])
def test_other_codes_are_not(code):
    assert not is_auth_code(code)


def test_a_bad_request_is_a_documented_bad_argument_or_any_400():
    assert all(is_bad_request(200, code) for code in BAD_ARGUMENT_CODES)
    assert is_bad_request(400, "ModelArts.3999") and is_bad_request(400, None)
    assert not is_bad_request(422, "ModelArts.3999") and not is_bad_request(None, None)


@pytest.mark.parametrize("status, body", [
    (400, {"error_code": "ModelArts.0104", "error_msg": "lines must be a number"}),
    (400, {"error_code": "ModelArts.3999", "error_msg": "v2 says no"}),  # v2's codes for it are not documented
    (200, {"is_success": False, "error_code": "ModelArts.0101", "error_message": "no"}),
    (400, b"not json"),
])
def test_a_refused_argument_is_a_bad_request(status, body):
    err = answer(status, body)
    assert isinstance(err, BadRequest) and isinstance(err, ApiError)  # `except ApiError` still catches it
    assert err.http_status == status and not err.transient


def test_a_bad_request_says_what_the_api_said():
    err = answer(400, {"error_code": "ModelArts.0104", "error_msg": "lines must be a number"})
    assert err.message == "the API refused the request (HTTP 400) (ModelArts.0104): lines must be a number"
    assert err.code == "ModelArts.0104" and err.hint is None


@pytest.mark.parametrize("status, body, kind", [
    (422, {"error_code": "ModelArts.3999", "error_msg": "no"}, ApiError),
    (500, {"error_code": "ModelArts.0104"}, ApiError),  # unavailable first: tried again, not refused
    (401, {"error_code": "APIGW.0301"}, AuthError),
])
def test_other_failures_are_not_bad_requests(status, body, kind):
    err = answer(status, body)
    assert isinstance(err, kind) and not isinstance(err, BadRequest)


@pytest.mark.parametrize("code", sorted(NOT_FOUND_CODES))
def test_not_found_codes_win_over_the_400_they_come_with(code):
    err = answer(400, {"error_code": code, "error_msg": "gone"})
    assert isinstance(err, NotFoundError) and err.code == code
    assert err.message.startswith("the thing: ")


def test_the_simulator_refusing_a_line_count_is_a_bad_request(simulator):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=10, seed=1)])
    client = Client(sim.url, "p0123", retries=0)
    path = "/v1/p0123/training-jobs/10/versions/10/aom-log"
    with pytest.raises(BadRequest, match=r"\(HTTP 400\) \(ModelArts.0104\)"):
        client.get(path, {"log_file": "log1.log", "lines": "abc"}, what="log1.log")
    assert client.get(path, {"log_file": "log1.log", "lines": "3"}, what="log1.log")["lines"] == "3"
