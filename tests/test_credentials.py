"""Where credentials come from, how they reach the gateway, and how their failures read."""

import os
import re

import pytest

from aomlog.simulator import Job

from conftest import conn_args, expected_bytes

AK, SK, TOKEN = "AKCREDTEST0000000001", "sk-cred-test-secret-value-0000000000001", "security-token-value-77"
OTHER_AK, OTHER_SK = "AKOTHERKEY0000000002", "sk-other-secret-value-000000000000002"


@pytest.fixture
def signed_sim(simulator):
    """A simulator that accepts only requests signed with AK/SK."""
    return simulator([Job(10, 10, files=["log1.log"], total_lines=30, seed=3)], ak=AK, sk=SK)


def write(path, text, mode=0o600):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def config_file(home, text, mode=0o600):
    return write(home / ".config" / "aomlog" / "config.toml", text, mode)


def ini_file(home, text, mode=0o600):
    return write(home / ".huaweicloud" / "credentials", text, mode)


def tail(aomlog, sim, *extra):
    return aomlog("tail", 10, 10, "--file", "log1.log", "-n", 5, *conn_args(sim), *extra)


def assert_ok(r, sim):
    assert r.status == 0, r
    assert r.out == expected_bytes(sim.log_lines(10, 10)[-5:])


def assert_config_error(r, *fragments):
    assert r.status == 3, r
    assert r.out == b""
    lines = r.err.splitlines()
    assert [line[:6] for line in lines if not line.startswith("aomlog: ")] == ["Error:", "Hint: "], r.err
    for fragment in fragments:
        assert fragment in r.err, r.err


# -- each source works ------------------------------------------------------

def test_key_pair_from_the_environment(signed_sim, aomlog, monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    assert_ok(tail(aomlog, signed_sim), signed_sim)


def test_temporary_credentials_from_the_environment(simulator, aomlog, monkeypatch):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=30)], ak=AK, sk=SK, security_token=TOKEN)
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SECURITY_TOKEN", TOKEN)
    assert_ok(tail(aomlog, sim), sim)
    assert sim.request_log[-1].headers["X-Security-Token"] == TOKEN


def test_iam_token_from_the_environment(simulator, aomlog, monkeypatch):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=30)], token=TOKEN)
    monkeypatch.setenv("AOMLOG_TOKEN", TOKEN)
    assert_ok(tail(aomlog, sim), sim)


def test_key_pair_from_the_default_profile(signed_sim, aomlog, clean_env):
    config_file(clean_env, f'[profiles.default]\nak = "{AK}"\nsk = "{SK}"\n')
    assert_ok(tail(aomlog, signed_sim), signed_sim)


@pytest.mark.parametrize("how", ["flag", "env"])
def test_a_named_profile(signed_sim, aomlog, clean_env, monkeypatch, how):
    config_file(clean_env, f'[profiles.default]\nak = "{OTHER_AK}"\nsk = "{OTHER_SK}"\n'
                           f'[profiles.work]\nak = "{AK}"\nsk = "{SK}"\n')
    if how == "env":
        monkeypatch.setenv("AOMLOG_PROFILE", "work")
        assert_ok(tail(aomlog, signed_sim), signed_sim)
    else:
        monkeypatch.setenv("AOMLOG_PROFILE", "default")  # the flag wins over the variable
        assert_ok(tail(aomlog, signed_sim, "--profile", "work"), signed_sim)


def test_config_file_from_aomlog_config(signed_sim, aomlog, tmp_path, monkeypatch):
    path = write(tmp_path / "elsewhere.toml", f'[profiles.default]\nak = "{AK}"\nsk = "{SK}"\n')
    monkeypatch.setenv("AOMLOG_CONFIG", str(path))
    assert_ok(tail(aomlog, signed_sim), signed_sim)


def test_key_pair_from_the_sdk_credentials_file(signed_sim, aomlog, clean_env):
    ini_file(clean_env, f"[basic]\nak = {AK}\nsk = {SK}\nproject_id = p0123\n")
    assert_ok(aomlog("tail", 10, 10, "--file", "log1.log", "-n", 5, "--endpoint", signed_sim.url), signed_sim)


def test_region_and_project_from_a_profile(aomlog, clean_env, monkeypatch):
    config_file(clean_env, '[profiles.default]\nregion = "cn-north-4"\nproject_id = "pp"\n')
    seen = []

    def refuse(self, method, url, **kwargs):
        import requests
        seen.append(url)
        raise requests.exceptions.InvalidURL("stop here")

    monkeypatch.setattr("requests.Session.request", refuse)
    aomlog("files", 10, 10)
    assert seen == ["https://modelarts.cn-north-4.myhuaweicloud.com/v1/pp/training-jobs/10/versions/10/log/file-names"]


# -- the order of the chain ---------------------------------------------------

def test_environment_wins_over_profile_and_profile_over_credentials_file(signed_sim, aomlog, clean_env, monkeypatch):
    ini_file(clean_env, f"[basic]\nak = {OTHER_AK}\nsk = {OTHER_SK}\n")
    config_file(clean_env, f'[profiles.default]\nak = "{AK}"\nsk = "{SK}"\n')
    assert_ok(tail(aomlog, signed_sim), signed_sim)  # profile over file
    config_file(clean_env, f'[profiles.default]\nak = "{OTHER_AK}"\nsk = "{OTHER_SK}"\n')
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    assert_ok(tail(aomlog, signed_sim), signed_sim)  # environment over profile


def test_a_token_in_the_environment_wins_over_a_pair_there(simulator, aomlog, monkeypatch):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=30)], token=TOKEN)
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    monkeypatch.setenv("AOMLOG_TOKEN", TOKEN)
    assert_ok(tail(aomlog, sim), sim)
    assert "Authorization" not in sim.request_log[-1].headers


def test_flags_win_over_environment_and_region_flag_over_endpoint_variable(aomlog, monkeypatch):
    from aomlog.cli.hints import FLAG_NAMES
    from aomlog.settings.config import resolve

    env = {"AOMLOG_ENDPOINT": "http://env.example", "AOMLOG_REGION": "eu-west-0"}
    assert resolve({"region": "cn-north-4"}, env).endpoint == "https://modelarts.cn-north-4.myhuaweicloud.com"
    assert resolve({}, env).endpoint == "http://env.example"
    settings = resolve({"project_id": "flag"}, {"HUAWEICLOUD_SDK_PROJECT_ID": "env"}, flag_names=FLAG_NAMES)
    assert (settings.project_id, settings.sources["project_id"]) == ("flag", "--project-id")


# -- the pair rule --------------------------------------------------------------

def test_a_half_pair_is_never_completed_from_a_lower_source(signed_sim, aomlog, clean_env, monkeypatch):
    config_file(clean_env, f'[profiles.default]\nak = "{AK}"\nsk = "{SK}"\n')
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    r = tail(aomlog, signed_sim)
    assert_config_error(r, "Error: $HUAWEICLOUD_SDK_AK is set but $HUAWEICLOUD_SDK_SK is not, in the environment",
                        "Hint: An AK and its SK must come from the same place")
    assert sum(signed_sim.request_count.values()) == 0


def test_an_sk_without_ak_in_a_profile(aomlog, signed_sim, clean_env):
    path = config_file(clean_env, f'[profiles.default]\nsk = "{SK}"\n')
    assert_config_error(tail(aomlog, signed_sim), f"Error: sk is set but ak is not, in profile 'default' in {path}")


def test_a_security_token_alone_is_an_error(aomlog, signed_sim, monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_SECURITY_TOKEN", TOKEN)
    r = tail(aomlog, signed_sim)
    assert_config_error(r, "Error: $HUAWEICLOUD_SDK_SECURITY_TOKEN is set but $HUAWEICLOUD_SDK_AK and "
                           "$HUAWEICLOUD_SDK_SK are not, in the environment")
    assert TOKEN not in r.err


# -- bad input ----------------------------------------------------------------

def test_no_credentials_at_all(signed_sim, aomlog):
    r = tail(aomlog, signed_sim)
    assert_config_error(r, "no credentials were found", "APIGW.0301",
                        "Hint: Set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or AOMLOG_TOKEN), "
                        "or run 'aomlog configure'.")
    assert signed_sim.request_count["aom-log"] == 1
    assert "Authorization" not in signed_sim.request_log[0].headers  # unsigned, not refused locally


@pytest.mark.parametrize("follow", [False, True])
def test_rejected_credentials_are_named_and_never_retried(signed_sim, aomlog, monkeypatch, follow):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "not-the-right-secret-key")
    r = tail(aomlog, signed_sim, *(["-f"] if follow else []))
    assert_config_error(
        r, f"Error: the API rejected access key {AK} from $HUAWEICLOUD_SDK_AK and $HUAWEICLOUD_SDK_SK "
           "(HTTP 401, APIGW.0301): Incorrect IAM authentication information: verify aksk signature fail",
        "5 failures in a row lock the key")
    assert "not-the-right-secret-key" not in r.err
    assert sum(signed_sim.request_count.values()) == 1


def test_a_key_pair_not_known_to_be_good_is_rejected_once_per_command_and_never_by_tab(signed_sim, aomlog,
                                                                                      monkeypatch, complete):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "not-the-right-secret-key")
    for command in (["jobs"], ["tail", "some-job-name", "-f"], ["files", "some-job-name"]):
        before = sum(signed_sim.request_count.values())
        assert aomlog(*command, *conn_args(signed_sim)).status == 3
        assert sum(signed_sim.request_count.values()) - before == 1  # not both job lists at once
    before = sum(signed_sim.request_count.values())
    line = f"aomlog tail some-job-name --endpoint {signed_sim.url} --project-id p0123 --task "
    assert complete(line) == [] and complete(line) == []
    assert sum(signed_sim.request_count.values()) == before  # 3 failures so far: a TAB adds none


def test_a_key_pair_known_to_be_good_lists_both_apis_at_once(signed_sim, aomlog, monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    peers = []
    for _ in range(2):
        signed_sim.request_log.clear()
        assert aomlog("jobs", *conn_args(signed_sim)).status == 0
        assert len(signed_sim.request_log) == 2  # the v2 search and the v1 list
        peers.append(len({req.peer for req in signed_sim.request_log}))
    assert peers == [1, 2]  # one after the other on one connection the first time; then side by side


def test_a_secret_put_right_is_trusted_again_and_a_wrong_project_id_distrusts_nothing(simulator, aomlog,
                                                                                     monkeypatch, complete):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=30, seed=3)], ak=AK, sk=SK, project_id="p0123")
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "not-the-right-secret-key")
    assert aomlog("tail", 10, 10, *conn_args(sim)).status == 3  # a job by its id: remembered too
    line = f"aomlog tail 10 10 --endpoint {sim.url} --project-id p0123 --file "
    before = len(sim.request_log)
    assert complete(line) == [] and len(sim.request_log) == before
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)  # put right
    assert aomlog("tail", 10, 10, *conn_args(sim)).status == 0
    assert complete(line) == ["log1.log"]
    wrong = aomlog("tail", 10, 10, "--endpoint", sim.url, "--project-id", "other")
    assert wrong.status == 3 and "the project id does not match" in wrong.err
    from aomlog.settings import key_pairs

    assert key_pairs.accepted(AK) and not key_pairs.rejected_lately(AK)  # not the pair's fault: TAB still asks


def test_rejected_profile_token_names_the_profile(simulator, aomlog, clean_env):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=30)], token=TOKEN)
    path = config_file(clean_env, '[profiles.default]\ntoken = "expired-token"\n')
    r = tail(aomlog, sim)
    assert_config_error(r, f"the API rejected the IAM token from profile 'default' in {path} (HTTP 401",
                        "Hint: IAM tokens expire after 24 hours")
    assert "expired-token" not in r.err


def test_unknown_profile_lists_the_known_ones(signed_sim, aomlog, clean_env):
    path = config_file(clean_env, '[profiles.work]\nregion = "x"\n[profiles.home]\nregion = "y"\n')
    r = tail(aomlog, signed_sim, "--profile", "wrok")
    assert_config_error(r, f"Error: no profile 'wrok' (from --profile) in {path}; known profiles: home, work",
                        "Hint: Run 'aomlog configure --profile wrok' to create it")


def test_config_that_is_not_toml_names_file_and_line(signed_sim, aomlog, clean_env):
    path = config_file(clean_env, '[profiles.default]\nregion = "cn-north-4"\nsk = oops\n')
    r = tail(aomlog, signed_sim)
    assert_config_error(r, f"Error: {path} is not valid TOML: ", "(at line 3, column 6)")
    assert "oops" not in r.err  # tomllib never quotes the text: a secret there stays hidden


def test_a_value_that_is_not_a_string(signed_sim, aomlog, clean_env):
    path = config_file(clean_env, '[profiles.default]\nproject_id = 1234\n')
    assert_config_error(tail(aomlog, signed_sim), f"Error: {path}: 'project_id' in profile 'default' must be a string")


def test_credentials_file_that_is_not_ini(signed_sim, aomlog, clean_env):
    path = ini_file(clean_env, "ak = no section\n")
    assert_config_error(tail(aomlog, signed_sim), f"Error: {path} is not a valid credentials file")


def test_an_unused_broken_credentials_file_does_not_matter(signed_sim, aomlog, clean_env, monkeypatch):
    ini_file(clean_env, "ak = no section\n", mode=0o644)
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    r = tail(aomlog, signed_sim)
    assert_ok(r, signed_sim)
    assert r.err == ""


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("which", ["config", "credentials"])
def test_files_others_can_read_get_a_warning(signed_sim, aomlog, clean_env, which):
    if which == "config":
        path = config_file(clean_env, f'[profiles.default]\nak = "{AK}"\nsk = "{SK}"\n', mode=0o644)
    else:
        path = ini_file(clean_env, f"[basic]\nak = {AK}\nsk = {SK}\n", mode=0o640)
    r = tail(aomlog, signed_sim)
    assert_ok(r, signed_sim)
    mode = "0644" if which == "config" else "0640"
    assert r.err == (f"aomlog: warning: permissions {mode} for '{path}' are too open: other users can read "
                     f"the secrets in it; run: chmod 600 '{path}'\n")
    path.chmod(0o600)
    assert tail(aomlog, signed_sim).err == ""


def test_no_warning_for_a_readable_config_without_secrets(aomlog, simulator, clean_env):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=30)])
    config_file(clean_env, '[profiles.default]\nregion = "cn-north-4"\n', mode=0o644)
    assert tail(aomlog, sim).err == ""


def test_no_option_takes_a_secret(aomlog, signed_sim):
    for option in ("--sk", "--ak", "--token", "--security-token"):
        r = aomlog("tail", 10, 10, option, "x", *conn_args(signed_sim))
        assert r.status == 2 and "No such option" in r.err and option in r.err


# -- --debug --------------------------------------------------------------------

def test_debug_shows_sources_and_requests_and_never_a_secret(simulator, aomlog, monkeypatch):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=30)], ak=AK, sk=SK, security_token=TOKEN)
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SECURITY_TOKEN", TOKEN)
    r = aomlog("tail", 10, 10, "-n", 5, "--debug", *conn_args(sim))
    assert_ok(r, sim)
    signatures = [req.headers["Authorization"].rsplit("Signature=", 1)[1] for req in sim.request_log]
    everything = r.out.decode() + r.err
    for secret in [SK, TOKEN, *signatures]:
        assert secret not in everything
    import requests
    assert r.err.startswith("aomlog: debug: aomlog ")
    assert f"requests {requests.__version__}" in r.err
    assert "aomlog: debug: ak = AKCREDTEST0000000001  ($HUAWEICLOUD_SDK_AK)\n" in r.err
    assert "aomlog: debug: sk = ****0001  ($HUAWEICLOUD_SDK_SK)\n" in r.err
    assert "aomlog: debug: project_id = p0123  (--project-id)\n" in r.err
    requests_seen = [line for line in r.err.splitlines() if " GET " in line and "debug: 20" in line]
    assert len(requests_seen) == len(sim.request_log) == 2  # file names, then the page
    assert re.match(r"aomlog: debug: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 GET http://", requests_seen[0])
    assert re.search(r"/log/file-names -> 200 request-id=[0-9a-f]{32} \d+ ms$", requests_seen[0])
    assert re.search(r"/aom-log\?lines=5&log_file=log1.log&order=desc -> 200 "
                     r"request-id=[0-9a-f]{32} \d+ ms$", requests_seen[1])
    assert "Signature=<redacted>" in r.err and "X-Security-Token: <redacted>" in r.err


def test_debug_with_a_token(simulator, aomlog, monkeypatch):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=30)], token=TOKEN)
    monkeypatch.setenv("AOMLOG_TOKEN", TOKEN)
    r = aomlog("files", 10, 10, "--debug", *conn_args(sim))
    assert r.status == 0
    assert TOKEN not in r.out.decode() + r.err
    assert "X-Auth-Token: <redacted>" in r.err


def test_access_denied_names_the_credential_and_is_not_retried(signed_sim, aomlog, monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    signed_sim.faults.push("403")
    r = tail(aomlog, signed_sim)
    assert_config_error(r, f"Error: the API denied access (HTTP 403, APIGW.0306) to access key {AK} from "
                           "$HUAWEICLOUD_SDK_AK and $HUAWEICLOUD_SDK_SK: Access denied",
                        "Hint: The credential is valid but lacks permission: check its IAM policies for ModelArts.")
    assert sum(signed_sim.request_count.values()) == 1


def test_simulate_takes_secrets_only_from_the_environment(aomlog):
    r = aomlog("simulate", "--port", 0, "--auth", "aksk")
    assert r.status == 3
    assert r.err == ("Error: --auth aksk needs $HUAWEICLOUD_SDK_AK and $HUAWEICLOUD_SDK_SK\n"
                     "Hint: Export both here and where aomlog runs, e.g. export HUAWEICLOUD_SDK_AK=AKTEST "
                     "HUAWEICLOUD_SDK_SK=$(openssl rand -hex 20)\n")
    r = aomlog("simulate", "--port", 0, "--auth", "token")
    assert r.status == 3 and r.err.startswith("Error: --auth token needs a token in $AOMLOG_TOKEN\n")


def test_simulate_credentials_match_what_aomlog_reads(monkeypatch):
    from aomlog.cli.simulate import _required_credentials

    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SECURITY_TOKEN", TOKEN)
    credentials, described = _required_credentials("aksk")
    assert credentials == {"ak": AK, "sk": SK, "security_token": TOKEN}
    assert SK not in described and TOKEN not in described


def test_a_redirect_is_not_followed_with_the_credentials(aomlog, monkeypatch):
    """requests would resend X-Auth-Token (or a stale signature) to wherever a redirect points."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.server.server_port, dict(self.headers)))
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{elsewhere.server_port}/steal")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    servers = [HTTPServer(("127.0.0.1", 0), Handler) for _ in range(2)]
    gateway, elsewhere = servers
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("AOMLOG_TOKEN", TOKEN)
        r = aomlog("files", 10, 10, "--endpoint", f"http://127.0.0.1:{gateway.server_port}", "--project-id", "p")
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    assert r.status == 1 and "HTTP 302" in r.err
    assert [port for port, _ in seen] == [gateway.server_port]
