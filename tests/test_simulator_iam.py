"""The simulator checks credentials as the gateway does, independently of aomlog.transport.auth."""

from datetime import datetime, timezone

import pytest
import requests

from aomlog.transport.auth import AkSkAuth, TokenAuth
from aomlog.simulator import Job, ManualClock

AK, SK = "AKSIMULATOR000000001", "sk-simulator-secret-0000000000000000000"
FILES = ["job test.0", "ünï+code&=.log"]


@pytest.fixture
def clock():
    return ManualClock()


def at(clock, offset_s=0.0):
    return lambda: datetime.fromtimestamp(clock.now() + offset_s, timezone.utc)


def get(sim, auth, file=FILES[0], **kwargs):
    return requests.get(f"{sim.url}/v1/p/training-jobs/10/versions/10/aom-log",
                        params={"log_file": file, "base_line": "", "lines": "5", "order": "desc"},
                        auth=auth, **kwargs)


@pytest.fixture
def sim(simulator, clock):
    return simulator([Job(10, 10, files=FILES, total_lines=20, seed=1)], clock=clock, ak=AK, sk=SK)


def assert_rejected(resp, fragment):
    assert resp.status_code == 401
    body = resp.json()
    assert body["error_code"] == "APIGW.0301"
    assert body["error_msg"].startswith("Incorrect IAM authentication information: ")
    assert fragment in body["error_msg"]
    assert body["request_id"] == resp.headers["X-Request-Id"]


@pytest.mark.parametrize("file", FILES)
def test_a_signed_request_is_served(sim, clock, file):
    resp = get(sim, AkSkAuth(AK, SK, project_id="p", clock=at(clock)), file=file)
    assert resp.status_code == 200, resp.text
    assert resp.json()["lines"] == "5"


def test_a_wrong_sk_is_rejected(sim, clock):
    assert_rejected(get(sim, AkSkAuth(AK, SK + "x", clock=at(clock))), "verify aksk signature fail")


def test_an_unknown_ak_is_rejected(sim, clock):
    assert_rejected(get(sim, AkSkAuth("AKOTHER", SK, clock=at(clock))), "ak AKOTHER not exist")


def test_an_unsigned_request_is_rejected(sim):
    assert_rejected(get(sim, None), "Authorization not found")


def test_a_query_sent_unlike_the_signed_one_is_rejected(sim, clock):
    prepared = requests.Request("GET", f"{sim.url}/v1/p/training-jobs/10/versions/10/aom-log",
                                params={"log_file": "job test.0"}, auth=AkSkAuth(AK, SK, clock=at(clock))).prepare()
    prepared.url = prepared.url.replace("%20", "+")  # what requests would send unaided
    assert_rejected(requests.Session().send(prepared), "verify aksk signature fail")


@pytest.mark.parametrize("offset, ok", [(-14 * 60, True), (14 * 60, True), (-16 * 60, False), (16 * 60, False)])
def test_the_date_may_be_15_minutes_off(sim, clock, offset, ok):
    resp = get(sim, AkSkAuth(AK, SK, clock=at(clock, offset)))
    if ok:
        assert resp.status_code == 200
    else:
        assert_rejected(resp, "x-sdk-date expired")


def test_temporary_credentials_need_their_security_token(simulator, clock):
    sim = simulator([Job(10, 10, files=FILES, total_lines=20)], clock=clock, ak=AK, sk=SK, security_token="st-1")
    assert get(sim, AkSkAuth(AK, SK, security_token="st-1", clock=at(clock))).status_code == 200
    assert_rejected(get(sim, AkSkAuth(AK, SK, clock=at(clock))), "x-security-token not found")
    assert_rejected(get(sim, AkSkAuth(AK, SK, security_token="st-2", clock=at(clock))), "security token invalid")


def test_token_mode(simulator):
    sim = simulator([Job(10, 10, files=FILES, total_lines=20)], token="iam-token-1")
    assert get(sim, TokenAuth("iam-token-1")).status_code == 200
    assert_rejected(get(sim, TokenAuth("iam-token-2")), "decrypt token fail")
    assert_rejected(get(sim, None), "x-auth-token not found")


def test_rejected_requests_are_still_counted(sim):
    get(sim, None)
    assert sim.request_count["aom-log"] == 1


def test_the_simulator_is_an_independent_reading():
    """Signature checks must not share code with the signer they test."""
    import subprocess
    import sys

    code = ("import sys, aomlog.simulator, aomlog.simulator.http.iam; "
            "print(sorted(m for m in ('requests', 'aomlog.transport.auth', 'aomlog.transport.client') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
