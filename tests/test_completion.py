"""Shell completion as click answers the generated scripts: the values, their sources, the safety."""

import os
import shlex
import socket
import subprocess
import sys
import threading

import pytest
from conftest import ROOT, completion_env, conn_args

from aomlog.cli import run
from aomlog.simulator import Job

SCRIPTS = {"bash": "aomlog.bash", "zsh": "_aomlog", "fish": "aomlog.fish"}


def old_completion_env(line):
    """What the bash script of aomlog 0.x and click pass: bash's words, joined by spaces."""
    words = shlex.split(line)
    cword = len(words) if line.endswith(" ") else len(words) - 1
    return {"_AOMLOG_COMPLETE": "bash_complete", "COMP_WORDS": line, "COMP_CWORD": str(cword)}




def test_commands_options_and_choices(complete):
    assert {"tail", "files", "configure", "completion", "simulate", "demo"} <= set(complete("aomlog "))
    assert complete("aomlog ta") == ["tail"]
    assert complete("aomlog tail --fo") == ["--follow"]
    assert complete("aomlog tail 10 10 --color ") == ["auto", "always", "never"]
    assert complete("aomlog tail 10 10 -o ") == ["text", "json"]
    assert complete("aomlog completion ") == ["bash", "zsh", "fish"]


def test_profiles_come_from_the_config_file(complete, clean_env):
    config = clean_env / ".config" / "aomlog" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[profiles.default]\nregion = "cn-north-4"\n[profiles.staging]\n[profiles.stage-2]\n')
    assert complete("aomlog tail 10 10 --profile ") == ["default", "stage-2", "staging"]
    assert complete("aomlog files 10 10 --profile sta") == ["stage-2", "staging"]
    assert complete("aomlog configure --profile st") == ["stage-2", "staging"]


def test_a_broken_config_file_completes_nothing_and_says_nothing(complete, clean_env):
    config = clean_env / ".config" / "aomlog" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[profiles.default\n")
    assert complete("aomlog tail 10 10 --profile ") == []


def test_jobs_and_versions_come_from_the_jobs_read_lately(complete):
    from aomlog.settings import cache

    assert complete("aomlog tail ") == []
    for job, version in (("10", "10"), ("77", "1"), ("10", "3")):
        cache.remember_job(job, version)
    assert complete("aomlog tail ") == ["10", "77"]  # the most recent first
    assert complete("aomlog files 7") == ["77"]
    assert complete("aomlog tail 10 ") == ["3", "10"]
    assert complete("aomlog tail 77 ") == ["1"]


def test_corrupt_recent_jobs_are_ignored_and_replaced(complete, aomlog, simulator, clean_env):
    cache = clean_env / ".cache" / "aomlog" / "recent-jobs.json"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b'{"format": 1, "jobs": [{"job": 5}, "x", \xff')
    assert complete("aomlog tail ") == []
    sim = simulator([Job(10, 10, ["log1.log"], total_lines=5)])
    assert aomlog("tail", "10", "10", *conn_args(sim)).status == 0
    assert complete("aomlog tail ") == ["10"]


def test_log_files_come_from_the_api_for_the_typed_job(complete, simulator, monkeypatch):
    sim = simulator([Job(10, 10, ["worker-0.log", "worker-1.log", "other.log"], total_lines=5)])
    conn = " ".join(conn_args(sim))
    assert complete(f"aomlog tail 10 10 {conn} --file ") == ["worker-0.log", "worker-1.log", "other.log"]
    assert complete(f"aomlog tail 10 10 {conn} --file w") == ["worker-0.log", "worker-1.log"]
    assert complete(f"aomlog tail {conn} 10 -f 10 --file worker-0.log --file ") == ["worker-1.log", "other.log"]
    monkeypatch.setenv("AOMLOG_ENDPOINT", sim.url)
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", "p0123")
    assert complete("aomlog tail 10 10 --file o") == ["other.log"]
    assert complete("aomlog tail 10 11 --file ") == []  # no such version: nothing, quietly
    # No version typed: the newest version's files.
    assert complete("aomlog tail 10 --file ") == ["worker-0.log", "worker-1.log", "other.log"]


def test_log_files_are_cached_for_a_moment(complete, simulator):
    sim = simulator([Job(10, 10, ["a.log", "b.log"], total_lines=5)])
    line = f"aomlog tail 10 10 {' '.join(conn_args(sim))} --file "
    assert complete(line) == ["a.log", "b.log"]
    sim.stop()
    assert complete(line) == ["a.log", "b.log"]


def test_no_settings_completes_no_files(complete):
    assert complete("aomlog tail 10 10 --file ") == []  # no endpoint, region or project id


def test_log_files_after_an_endpoint_url_typed_unquoted(complete, simulator):
    # bash's own words split the URL at ":" ("http", ":", "//127.0.0.1", ":", "PORT")
    sim = simulator([Job(10, 10, ["worker-0.log", "worker-1.log"], total_lines=5)])
    for endpoint in (f"--endpoint {sim.url}", f"--endpoint={sim.url}"):
        assert complete(f"aomlog tail 10 10 {endpoint} --project-id p0123 --file ") == ["worker-0.log", "worker-1.log"]
        assert complete(f"aomlog tail {endpoint} 10 10 --project-id=p0123 --file w") == ["worker-0.log", "worker-1.log"]


def test_candidates_fit_the_text_bash_replaces(complete, simulator):
    """bash replaces only what follows the last ":" or "=" of the word being typed."""
    sim = simulator([Job(20, 1, ["node:0.log", "node:1.log", "other.log"], total_lines=5)])
    conn = " ".join(conn_args(sim))
    assert complete(f"aomlog tail 20 1 {conn} --file ") == ["node:0.log", "node:1.log", "other.log"]
    assert complete(f"aomlog tail 20 1 {conn} --file node:") == ["0.log", "1.log"]
    assert complete(f"aomlog tail 20 1 {conn} --file node:1") == ["1.log"]
    assert complete(f"aomlog tail 20 1 {conn} --file=node:1") == ["1.log"]
    assert complete(f"aomlog tail 20 1 {conn} --file=n") == ["node:0.log", "node:1.log"]
    assert complete(f"aomlog tail 20 1 {conn} --file 'node:1") == ["node:1.log"]  # inside quotes: the whole word
    assert complete(f"aomlog tail 20 1 {conn} --file node\\:1") == ["node:1.log"]  # a quoted ":" splits nothing
    assert complete("aomlog tail 10 10 --color=a") == ["auto", "always"]
    assert complete("aomlog tail 10 10 --color=") == ["auto", "always", "never"]


def test_candidates_fit_a_changed_comp_wordbreaks(complete, simulator):
    # bash-completion users often take ":" out of COMP_WORDBREAKS; some take "=" out too
    sim = simulator([Job(20, 1, ["node:0.log", "node:1.log"], total_lines=5)])
    line = f"aomlog tail 20 1 {' '.join(conn_args(sim))} --file node:"
    assert complete(line, lambda line: completion_env(line, " \t\n\"'><=;|&(")) == ["node:0.log", "node:1.log"]
    no_equals = lambda line: completion_env(line, " \t\n\"'><;|&(:")  # noqa: E731
    assert complete("aomlog tail 10 10 --color=a", no_equals) == ["--color=auto", "--color=always"]


def test_the_line_is_split_as_the_shell_will(complete, clean_env):
    config = clean_env / ".config" / "aomlog" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[profiles.default]\n[profiles.'my staging']\n[profiles.staging]\n")
    assert complete("aomlog tail --region 'cn north' 10 10 --profile st") == ["staging"]
    # A name with a space is offered escaped, as readline must insert it.
    assert complete('aomlog tail --region "cn:north" 10 10 --profile ') == ["default", "my\\ staging", "staging"]
    assert complete("aomlog tail 10 10 --profile 'my") == ["my staging"]  # inside a quote, as it is
    assert complete("aomlog tail --region cn\\ north 10 10 --co") == ["--color"]
    assert complete("aomlog tail 10 10 --color 'a") == ["auto", "always"]  # a quote still open
    assert complete("aomlog tail 10 10 --color=\"n") == ["never"]


def test_a_script_of_an_earlier_version_is_still_answered(complete):
    """An installed completions/aomlog.bash from before sends COMP_WORDS and COMP_CWORD."""
    assert complete("aomlog tail --fo", old_completion_env) == ["--follow"]
    assert complete("aomlog tail 10 10 --color ", old_completion_env) == ["auto", "always", "never"]


@pytest.fixture
def unresponsive_server():
    """Servers that accept requests and never finish an answer: "silent" never writes,
    "trickling" writes a byte every 0.1 s, which resets any socket timeout."""
    stop = threading.Event()
    threads = []

    def start(kind):
        listener = socket.create_server(("127.0.0.1", 0))

        def serve():
            with listener:
                listener.settimeout(0.1)
                conns = []
                while not stop.is_set():
                    try:
                        conns.append(listener.accept()[0])
                    except socket.timeout:
                        pass
                    for conn in conns if kind == "trickling" else ():
                        try:
                            conn.send(b"H")
                        except OSError:
                            pass
                for conn in conns:
                    conn.close()

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        threads.append(thread)
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    stop.set()
    for thread in threads:
        thread.join()


@pytest.mark.parametrize("kind", ["silent", "trickling"])
def test_a_hanging_api_never_holds_the_prompt(unresponsive_server, kind):
    url = unresponsive_server(kind)
    env = dict(os.environ, PYTHONPATH=str(ROOT),
               **completion_env(f"aomlog tail 10 10 --endpoint {url} --project-id p --file "))
    # A server that trickles bytes resets a socket timeout with each one: only the lookup's own
    # deadline (0.8 s) ends it. bench/completion.py measures how fast; here it must end at all.
    done = subprocess.run([sys.executable, "-m", "aomlog"], env=env, capture_output=True, timeout=30)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, b"", b"")


def test_a_failure_in_a_value_callback_prints_nothing(complete, monkeypatch):
    from aomlog.settings import cache

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(cache, "recent_jobs", broken)
    assert complete("aomlog tail ") == []


def test_a_failure_in_completion_itself_prints_nothing(monkeypatch, capsys):
    import click

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(click.core.Command, "_main_shell_completion", broken)
    for name, value in completion_env("aomlog tail --fo").items():
        monkeypatch.setenv(name, value)
    status = run()
    assert (status, capsys.readouterr()) == (1, ("", ""))


@pytest.mark.parametrize("shell", sorted(SCRIPTS))
def test_checked_in_scripts_are_what_the_cli_prints(aomlog, shell):
    result = aomlog("completion", shell)
    assert result.status == 0
    assert result.out == (ROOT / "completions" / SCRIPTS[shell]).read_bytes(), (
        f"completions/{SCRIPTS[shell]} is stale: run  aomlog completion {shell} > completions/{SCRIPTS[shell]}")


HEAVY = ("requests", "urllib3", "rich")
REPORT_HEAVY = ("import sys\nfrom aomlog.cli import run\nrun(sys.argv[1:])\n"
                "print('heavy:', *sorted(m for m in sys.modules if m.split('.')[0] in %r), file=sys.stderr)" % (HEAVY,))


@pytest.mark.parametrize("args, env", [
    (["--help"], {}),
    (["tail", "--help"], {}),
    ([], completion_env("aomlog tail --fo")),
    ([], completion_env("aomlog tail 10 10 --color ")),
], ids=["help", "tail-help", "option-name", "choice"])
def test_help_and_offline_completion_leave_requests_and_rich_unimported(args, env):
    done = subprocess.run([sys.executable, "-c", REPORT_HEAVY, *args], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **env), timeout=30)
    assert done.stdout  # the help or the candidates
    assert done.stderr.splitlines()[-1] == "heavy:"


def test_jobs_listed_by_aomlog_jobs_complete_by_id_and_name(complete, simulator, aomlog):
    uuid = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
    sim = simulator([Job(uuid, None, files=["worker-0", "worker-1"], total_lines=5, name="resnet50-train"),
                     Job(10, 10, files=["log1.log"], total_lines=5, name="bert-old")])
    assert aomlog("jobs", *conn_args(sim)).status == 0
    assert complete("aomlog tail res") == ["resnet50-train"]
    assert complete("aomlog tail 3f") == [uuid]
    assert set(complete("aomlog tail ")) >= {uuid, "10", "resnet50-train", "bert-old"}
    assert complete("aomlog tail 10 ") == ["10"]  # the listed version of the v1 job


def test_tasks_of_a_v2_job_come_from_the_api(complete, simulator):
    uuid = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
    sim = simulator([Job(uuid, None, files=["worker-0", "worker-1"], total_lines=5, name="resnet50-train")])
    conn = " ".join(conn_args(sim))
    assert complete(f"aomlog tail {uuid} {conn} --task ") == ["worker-0", "worker-1"]
    assert complete(f"aomlog tail resnet50-train {conn} --task worker-0 --task w") == ["worker-1"]


def test_status_offers_each_state_once_and_matches_any_case(complete):
    everything = complete("aomlog jobs --status ")
    assert len({word.lower() for word in everything}) == len(everything)
    assert complete("aomlog jobs --status runn") == ["running"]
    assert complete("aomlog jobs --status RUNN") == ["running"]
    assert complete("aomlog jobs --status comp") == ["Completed"]
    assert complete("aomlog jobs --status kill") == ["KILLING", "KILLED"]


def test_the_job_story_commands_and_their_options(complete):
    assert {"status", "events", "usage"} <= set(complete("aomlog "))
    assert complete("aomlog events 10 --level ") == ["Info", "Warning", "Error"]
    assert complete("aomlog events 10 -o ") == ["text", "json"]
    assert complete("aomlog usage 10 --metric gpu") == ["gpuUtil", "gpuMemUsage"]
    assert complete("aomlog usage 10 -o ") == ["chart", "csv", "json"]
    assert complete("aomlog usage 10 --all-t") == ["--all-tasks"]
    assert complete("aomlog status 10 -o ") == ["text", "json"]
    assert complete("aomlog tail 10 --no-e") == ["--no-events"]
