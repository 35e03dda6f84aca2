"""Regions as the official SDK has them, and the project id looked up from IAM with the key pair."""

import pytest

from aomlog.simulator import Job

from conftest import expected_bytes

UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
AK, SK = "AKREGIONTEST00000001", "sk-region-test-000000000000000000000000"
PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"


def urls_asked(monkeypatch):
    seen = []

    def refuse(self, method, url, **kwargs):
        import requests

        seen.append(url)
        raise requests.exceptions.InvalidURL("stop here")

    monkeypatch.setattr("requests.Session.request", refuse)
    return seen


@pytest.mark.parametrize("region, host", [
    ("cn-north-4", "modelarts.cn-north-4.myhuaweicloud.com"),
    ("ap-southeast-1", "modelarts.ap-southeast-1.myhuaweicloud.cn"),  # the SDK's one exception
    ("ap-southeast-3", "modelarts.ap-southeast-3.myhuaweicloud.com"),
])
def test_each_region_has_the_sdks_endpoint(aomlog, monkeypatch, region, host):
    seen = urls_asked(monkeypatch)
    aomlog("tail", UUID, "--region", region, "--project-id", "p")
    assert seen[0].startswith(f"https://{host}/v2/p/training-jobs/{UUID}")


def test_the_sdks_variable_moves_one_regions_endpoint(simulator, aomlog, monkeypatch):
    sim = simulator([Job(UUID, None, total_lines=20, seed=1)])
    monkeypatch.setenv("HUAWEICLOUD_SDK_REGION_MODELARTS_EU_WEST_101", sim.url)
    r = aomlog("tail", UUID, "-n", 2, "--region", "eu-west-101", "--project-id", "p")
    assert r.status == 0, r
    assert r.out == expected_bytes(sim.log_lines(UUID, None, "worker-0")[-2:])
    listed = aomlog("configure", "list", "--profile", "default")
    assert "$HUAWEICLOUD_SDK_REGION_MODELARTS_EU_WEST_101" not in listed.out.decode()  # no region set there


@pytest.fixture
def iam_sim(simulator, monkeypatch):
    sim = simulator([Job(UUID, None, total_lines=20, seed=1)], ak=AK, sk=SK, projects={"cn-north-4": PROJECT},
                    project_id=PROJECT)
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", sim.url)
    monkeypatch.setenv("HUAWEICLOUD_SDK_REGION_MODELARTS_CN_NORTH_4", sim.url)
    monkeypatch.setenv("AOMLOG_REGION", "cn-north-4")
    return sim


def test_a_key_pair_and_a_region_find_their_project_id_as_the_sdk_does(iam_sim, aomlog):
    r = aomlog("tail", UUID, "-n", 3)
    assert r.status == 0, r
    assert r.out == expected_bytes(iam_sim.log_lines(UUID, None, "worker-0")[-3:])
    asked = [req for req in iam_sim.request_log if req.path == "/v3/projects"]
    assert len(asked) == 1 and asked[0].query == {"name": "cn-north-4"}
    assert "X-Project-Id" not in asked[0].headers and asked[0].headers["Authorization"].startswith("SDK-HMAC-SHA256")
    log_calls = [req for req in iam_sim.request_log if req.path.startswith("/v2/")]
    assert all(req.path.startswith(f"/v2/{PROJECT}/") and req.headers["X-Project-Id"] == PROJECT for req in log_calls)


def test_the_project_id_is_asked_for_once_per_key_and_region(iam_sim, aomlog):
    assert aomlog("tail", UUID, "-n", 1).status == 0
    assert aomlog("tail", UUID, "-n", 1).status == 0
    assert sum(req.path == "/v3/projects" for req in iam_sim.request_log) == 1
    listed = aomlog("configure", "list").out.decode()
    row = next(line for line in listed.splitlines() if line.startswith("project_id"))
    assert PROJECT in row and "IAM for cn-north-4 (cached in" in row


def test_debug_says_where_the_project_id_came_from(iam_sim, aomlog):
    r = aomlog("tail", UUID, "-n", 1, "--debug")
    assert f"project_id = {PROJECT}  (IAM at {iam_sim.url} for cn-north-4)" in r.err
    assert SK not in r.err


def test_a_region_iam_does_not_know_is_a_configuration_error(iam_sim, aomlog, monkeypatch):
    monkeypatch.setenv("AOMLOG_REGION", "cn-east-3")
    monkeypatch.setenv("HUAWEICLOUD_SDK_REGION_MODELARTS_CN_EAST_3", iam_sim.url)
    r = aomlog("tail", UUID)
    assert r.status == 3 and r.out == b""
    assert r.err.startswith(f"Error: IAM has no project named cn-east-3 for access key {AK}")
    assert "Hint: Pass --project-id" in r.err


def test_tasks_complete_with_a_project_id_from_iam(iam_sim, complete):
    for _ in range(2):  # the second TAB takes the project id and the task names from the cache
        assert complete(f"aomlog tail {UUID} --task ") == ["worker-0"]
    assert sum(req.path == "/v3/projects" for req in iam_sim.request_log) == 1
    assert sum(req.path.endswith(UUID) for req in iam_sim.request_log) == 1


def test_the_iam_lookup_retries_as_the_caller_asked(aomlog, monkeypatch):
    import socket

    from aomlog.settings import config
    from aomlog.settings.connect import connect
    from aomlog.errors import ApiError

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there: connections are refused
    env = {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK, "AOMLOG_REGION": "cn-north-4",
           "HUAWEICLOUD_SDK_IAM_ENDPOINT": f"http://127.0.0.1:{port}"}
    waits = []
    with pytest.raises(ApiError, match="connection refused"):
        connect(config.resolve({}, env), retries=1, sleep=waits.append)
    assert len(waits) == 1  # the caller's tries and sleep: a TAB (retries=0) never waits


def test_a_rejected_key_pair_is_not_sent_to_iam_again_by_tab(iam_sim, aomlog, monkeypatch, complete):
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "not-the-right-secret-key")
    assert aomlog("jobs").status == 3
    assert len(iam_sim.request_log) == 1  # the IAM lookup, rejected
    for _ in range(6):  # more TABs than the gateway's lockout allows failures
        assert complete(f"aomlog tail {UUID} --task ") == []
    assert len(iam_sim.request_log) == 1


def test_the_region_table_names_where_each_endpoint_comes_from():
    from aomlog.settings import regions

    assert regions.modelarts_endpoint("cn-north-4", {}) == ("https://modelarts.cn-north-4.myhuaweicloud.com",
                                                            "the region table (cn-north-4)")
    assert regions.modelarts_endpoint("xx-new-1", {})[1] == "made from the region xx-new-1 (not in the SDK's table)"
    moved = {regions.override_var("cn-north-4"): "http://local:1"}
    assert regions.modelarts_endpoint("cn-north-4", moved) == ("http://local:1", "$HUAWEICLOUD_SDK_REGION_MODELARTS_CN_NORTH_4")
    assert regions.iam_endpoint("cn-north-4", {}) == ("https://iam.cn-north-4.myhuaweicloud.com",
                                                      "the region table (cn-north-4)")
    assert regions.iam_endpoint("xx-new-1", {}) == (regions.GLOBAL_IAM, "the global IAM endpoint")
    assert regions.iam_endpoint(None, {regions.IAM_VAR: "http://iam.local/"}) == ("http://iam.local",
                                                                                  "$HUAWEICLOUD_SDK_IAM_ENDPOINT")


def test_an_unknown_region_is_named_at_once_with_the_closest_known_ones_and_still_tried(aomlog, monkeypatch):
    seen = urls_asked(monkeypatch)
    r = aomlog("tail", UUID, "--region", "cn-nroth-4", "--project-id", "p")
    warning = r.err.splitlines()[0]
    assert warning.startswith("aomlog: warning: unknown region 'cn-nroth-4' (from --region); closest known: "
                              "cn-north-4, ")
    assert "pass --endpoint URL" in warning
    assert seen[0].startswith(f"https://modelarts.cn-nroth-4.myhuaweicloud.com/v2/p/training-jobs/{UUID}")
    assert r.err.count("unknown region") == 1


@pytest.mark.parametrize("extra", [("--region", "cn-north-4"), ("--region", "xx-nowhere-9", "--endpoint", "http://127.0.0.1:9")])
def test_a_known_region_or_an_endpoint_given_is_not_warned_of(aomlog, monkeypatch, extra):
    urls_asked(monkeypatch)
    assert "unknown region" not in aomlog("tail", UUID, "--project-id", "p", *extra).err


def test_a_region_moved_by_the_sdks_variable_is_not_unknown(aomlog, monkeypatch):
    urls_asked(monkeypatch)
    monkeypatch.setenv("HUAWEICLOUD_SDK_REGION_MODELARTS_XX_NOWHERE_9", "http://127.0.0.1:9")
    assert "unknown region" not in aomlog("tail", UUID, "--project-id", "p", "--region", "xx-nowhere-9").err
