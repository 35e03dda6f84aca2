"""The words of the transport's, the API families' and the settings' errors as the user sees them:
those layers name no option, the CLI words their hints (aomlog.cli.hints) exactly as before."""

import socket

import pytest
import requests

from aomlog.cli.hints import worded
from aomlog.errors import ApiError
from aomlog.simulator import Job

from canned import client_answering
from conftest import closed_port, conn_args

UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
AK, SK = "AKHINTSTEST000000001", "sk-hints-test-secret-000000000000001"


def said(r):
    """The Error: and Hint: lines."""
    return [line for line in r.err.splitlines() if line.startswith(("Error: ", "Hint: "))]


@pytest.fixture
def sim(simulator):
    return simulator([Job(10, 10, files=["log1.log"], total_lines=10, seed=1)])


# -- the transport ----------------------------------------------------------------------

def test_a_timeout_names_the_option_and_the_time_in_force(aomlog):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        r = aomlog("tail", 10, 10, "--endpoint", url, "--project-id", "p", "--timeout", "0.05")
    finally:
        silent.close()
    assert said(r) == [f"Error: timed out waiting for {url[7:]}",
                       "Hint: The service may be slow: try again later, or allow more with --timeout (now 0.05 s)."]


def test_an_endpoint_nothing_listens_on(aomlog):
    r = aomlog("tail", 10, 10, "--endpoint", f"http://127.0.0.1:{closed_port()}", "--project-id", "p")
    assert said(r)[1] == "Hint: Check --endpoint/--region and your network connection."


def test_an_endpoint_without_the_api(simulator, aomlog):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=10)], v1_api=False)
    r = aomlog("tail", 10, 10, "--file", "log1.log", *conn_args(sim))
    assert said(r)[1] == "Hint: Check --endpoint/--region: it should be https://modelarts.REGION.myhuaweicloud.com."


def test_a_project_id_of_other_credentials(simulator, aomlog, monkeypatch):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=10)], ak=AK, sk=SK, project_id="p0123")
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    r = aomlog("tail", 10, 10, "--endpoint", sim.url, "--project-id", "other")
    assert said(r)[1] == "Hint: Check --project-id / HUAWEICLOUD_SDK_PROJECT_ID for this region."


def test_a_job_name_nobody_has(sim, aomlog):
    r = aomlog("tail", "no-such-job", *conn_args(sim))
    assert said(r) == ["Error: no job is named 'no-such-job'",
                       "Hint: 'aomlog jobs --name no-such-job' lists the jobs whose names contain it; "
                       "or pass the job's id."]


@pytest.mark.parametrize("answer, hint", [
    ({"raises": requests.exceptions.InvalidURL("no")}, "Check --endpoint; it must be an http(s) URL."),
    ({"body": b"<html>a web page</html>", "headers": {"Content-Type": "text/html"}},
     "Check --endpoint: it should be the ModelArts endpoint of your region."),
])
def test_what_is_not_the_api(answer, hint):
    with pytest.raises(ApiError) as raised:
        client_answering(**answer).get("/x", what="x")
    assert worded(raised.value)[1] == hint and "--" not in raised.value.hint


def test_a_file_names_answer_without_names():
    from aomlog.api.family import JobRef
    from aomlog.api.v1 import V1Api

    with pytest.raises(ApiError) as raised:
        V1Api(client_answering(body={"is_success": True})).streams(JobRef("v1", "10", "1"))
    assert worded(raised.value) == ("the file-names call returned no 'log_file_list'",
                                    "This endpoint may not be a ModelArts API; check --endpoint.")


# -- the settings -----------------------------------------------------------------------

def test_no_region(aomlog):
    assert said(aomlog("tail", 10, 10)) == [
        "Error: no region or endpoint is configured",
        "Hint: Pass --region (e.g. cn-north-4), set AOMLOG_REGION, or run 'aomlog configure'."]


def test_a_region_that_is_a_url_names_the_flag_it_came_from(aomlog):
    assert said(aomlog("tail", 10, 10, "--region", "https://x.example", "--project-id", "p")) == [
        "Error: the region 'https://x.example' from --region is not a region name",
        "Hint: Regions look like cn-north-4 or ap-southeast-1; a URL goes in --endpoint."]


def test_no_project_id(sim, aomlog):
    assert said(aomlog("tail", 10, 10, "--endpoint", sim.url))[1] == (
        "Hint: Pass --project-id, set HUAWEICLOUD_SDK_PROJECT_ID, or run 'aomlog configure' "
        "(IAM console: My Credentials > Projects); with an access key pair and a region, aomlog looks it up itself.")


def test_a_region_iam_has_no_project_for(simulator, aomlog, monkeypatch):
    sim = simulator([], ak=AK, sk=SK, projects={"cn-north-4": "a" * 32})
    for name, value in {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK, "HUAWEICLOUD_SDK_IAM_ENDPOINT": sim.url,
                        "AOMLOG_REGION": "cn-east-3"}.items():
        monkeypatch.setenv(name, value)
    assert said(aomlog("jobs"))[1] == ("Hint: Pass --project-id (IAM console: My Credentials > Projects), or check "
                                       f"--region; IAM was asked at {sim.url} ($HUAWEICLOUD_SDK_IAM_ENDPOINT).")


def config_file(home, text):
    path = home / ".config" / "aomlog" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_a_config_file_that_is_not_toml(aomlog, clean_env):
    config_file(clean_env, "[profiles.default\n")
    assert said(aomlog("tail", 10, 10))[1] == ("Hint: Fix the file (see 'aomlog configure --help' for its form), "
                                               "or point $AOMLOG_CONFIG at another one.")


def test_profiles_that_are_not_tables(aomlog, clean_env):
    config_file(clean_env, "profiles = 3\n")
    assert said(aomlog("tail", 10, 10))[1] == "Hint: Fix the file (see 'aomlog configure --help' for its form)."


def test_an_unknown_profile_names_the_flag_and_how_to_create_it(aomlog, clean_env):
    path = config_file(clean_env, "[profiles.default]\nregion = \"cn-north-4\"\n")
    assert said(aomlog("tail", 10, 10, "--profile", "wrok")) == [
        f"Error: no profile 'wrok' (from --profile) in {path}; known profiles: default",
        "Hint: Run 'aomlog configure --profile wrok' to create it, or pick a known one."]
