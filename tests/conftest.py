import os
import socket
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from aomlog.cli import run

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No test may see the developer's credentials, config or cache."""
    for name in list(os.environ):
        if name.startswith(("AOMLOG_", "HUAWEICLOUD_", "NO_COLOR", "FORCE_COLOR")):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    return home


@pytest.fixture
def guard():
    """A stop guard (``aomlog.engine.signals.Guard``) installed for the test, as the CLI's entry
    point installs one; Python's own handlers are back after it."""
    from aomlog.engine.signals import Guard

    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    installed = Guard()
    installed.install()
    yield installed
    for signum, handler in handlers.items():
        signal.signal(signum, handler)


@pytest.fixture
def simulator():
    """Start simulators on port 0; all are stopped when the test ends."""
    from aomlog.simulator import Simulator

    started = []

    def start(jobs, **options):
        sim = Simulator(jobs=jobs, **options)
        sim.start(port=0)
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()


class Result:
    def __init__(self, status, out, err):
        self.status, self.out, self.err = status, out, err

    def __repr__(self):
        return f"Result(status={self.status}, out={self.out[:200]!r}, err={self.err!r})"


@pytest.fixture
def t():
    """A manual clock: tests move time by sleeping on it, never by waiting."""
    from engine import Time
    return Time()


@pytest.fixture
def retry_waits():
    """The waits of the API's retries in the CLI run by ``aomlog``, recorded instead of waited."""
    return []


@pytest.fixture
def aomlog(capsysbinary, retry_waits):
    """Run the CLI in-process: aomlog("tail", "10", ...) -> Result(status, out bytes, err text);
    ``env``: an ``aomlog.cli.env.Environment`` for the run (a fake API, a manual clock); by
    default one whose retries wait for no one (their waits go to ``retry_waits``)."""
    from aomlog.cli.env import Environment

    def invoke(*args, env=None):
        # fast_answer=0: cut long logs even though the simulator in this process answers in a few ms
        env = env if env is not None else Environment(retry_sleep=retry_waits.append, fast_answer=0)
        status = run([str(a) for a in args], env=env)
        captured = capsysbinary.readouterr()
        return Result(int(status), captured.out, captured.err.decode("utf-8", "replace"))

    return invoke


def closed_port():
    """A local port nothing listens on: connections to it are refused."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def conn_args(sim):
    return ["--endpoint", sim.url, "--project-id", "p0123"]


def expected_bytes(lines):
    return "".join(line + "\n" for line in lines).encode("utf-8")


def spawn(args, env_extra=None, **kwargs):
    """The CLI as a real process, as a user runs it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="0", **(env_extra or {}))
    return subprocess.Popen([sys.executable, "-m", "aomlog", *map(str, args)], env=env, **kwargs)


BASH_WORDBREAKS = " \t\n\"'><=;|&(:"  # bash's default COMP_WORDBREAKS


def completion_env(line, wordbreaks=BASH_WORDBREAKS):
    """What bash's completion script passes aomlog for ``line`` (the cursor at its end)."""
    return {"_AOMLOG_COMPLETE": "bash_complete", "COMP_LINE": line, "COMP_WORDBREAKS": wordbreaks}


@pytest.fixture
def complete(monkeypatch, capsysbinary):
    """complete("aomlog tail --fo") -> the candidates, in order; asserts nothing reached stderr."""

    def candidates(line, env=completion_env):
        with monkeypatch.context() as m:
            for name, value in env(line).items():
                m.setenv(name, value)
            status = run()
        out, err = capsysbinary.readouterr()
        assert (status, err) == (0, b"")
        return [row.split(",", 1)[1] for row in out.decode().splitlines() if row]

    return candidates
