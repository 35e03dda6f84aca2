"""The command line's seam (``aomlog.cli.env.Environment``): what a run takes from outside
reaches every command, so tests give a fake API, a stream or a clock instead of patching."""

import io
import sys
import time
import types

from aomlog.api import Phase
from aomlog.cli import run
from aomlog.cli.env import Environment, current
from aomlog.engine.stop import NoStop

from fakelog import FakeApi, FakeApis


def fake_log(**options):
    return Environment(client=lambda conn: types.SimpleNamespace(debug=None),
                       apis=lambda client: FakeApis(FakeApi({"a.0": ["x"], "a.1": ["y"]})), **options)


def test_a_command_writes_to_the_environments_stdout_and_reads_through_its_api(capsysbinary):
    out = io.BytesIO()
    status = run(["files", "10", "10", "--project-id", "p", "--endpoint", "http://x"], env=fake_log(stdout=out))
    assert (status, out.getvalue()) == (0, b"a.0\na.1\n")
    assert capsysbinary.readouterr() == (b"", b"")


def test_tail_follows_on_the_environments_clock():
    out, sleeps = io.BytesIO(), []
    api = FakeApi({"log1.log": ["x"]})
    api.phase = Phase.SUCCEEDED
    env = Environment(stdout=out, sleep=sleeps.append, clock=lambda: float(len(sleeps)),
                      client=lambda conn: types.SimpleNamespace(debug=None), apis=lambda client: FakeApis(api))
    assert run(["tail", "10", "10", "-f", "--project-id", "p", "--endpoint", "http://x"], env=env) == 0
    assert out.getvalue() == b"x\n" and sleeps  # the grace for late lines was slept on the given sleep


def test_outside_a_command_the_environment_is_the_processes_own():
    env = current()
    assert env.stdout is sys.stdout.buffer and env.stderr is sys.stderr
    assert isinstance(env.stop, NoStop)
    assert env.follow_time(False) == (time.monotonic, time.sleep)


def test_without_a_pipe_behind_stdout_a_follow_sleeps_plainly():
    assert Environment(stdout=io.BytesIO()).follow_time(True)[1] is time.sleep
