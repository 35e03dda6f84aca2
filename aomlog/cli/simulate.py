"""``aomlog simulate`` (the API on localhost) and ``aomlog demo`` (a guided follow of it)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Callable, List, Optional, Tuple, Union

import click

from aomlog.cli.errors import notice
from aomlog.cli.params import count, seconds

END_STATES = {"COMPLETED": "Completed", "FAILED": "Failed", "KILLED": "Terminated", "CANCELED": "Terminated",
              "LOST": "Abnormal", "TERMINATED": "Terminated", "ABNORMAL": "Abnormal"}
V2_JOB_ID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"

if TYPE_CHECKING:
    from aomlog.api.family import JobApi, JobRef
    from aomlog.engine.tail import Tail
    from aomlog.simulator import Job, ManualClock


@click.command()
@click.option("--port", type=count(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1; 0 picks a free one.")
@click.option("--api", "family", type=click.Choice(["v2", "v1"]), default="v2", show_default=True,
              help="Serve the job as a current (v2) job with tasks, or an old (v1) one with versions and files.")
@click.option("--name", metavar="NAME", default="resnet50-train", show_default=True, help="The job's name.")
@click.option("--tasks", type=count(1, 64), default=1, show_default=True,
              help="v2: the number of tasks (worker-0, worker-1, ...).")
@click.option("--job-id", type=count(0, 2**62), default=10, show_default=True, help="v1: the job's id.")
@click.option("--version-id", type=count(0, 2**62), default=10, show_default=True, help="v1: the version's id.")
@click.option("--file", "files", multiple=True, metavar="NAME",
              help="v1: log file name; repeat for a distributed job.  [default: log1.log]")
@click.option("--lines", "total_lines", type=count(0, 10**9), default=1000, show_default=True,
              help="Lines in a static log (without --rate).")
@click.option("--rate", type=seconds(0, 1e6, open_low=True), metavar="LINES/S",
              help="Make the log grow at this many lines per second.")
@click.option("--duration", type=seconds(0, 1e7), metavar="SECONDS",
              help="With --rate: the job ends after this long (default: never).")
@click.option("--start-delay", type=seconds(0, 1e7), metavar="SECONDS",
              help="With --rate: the job waits this long (creating, then pending) before it starts.")
@click.option("--end", "end_state", type=click.Choice(sorted(END_STATES), case_sensitive=False),
              default="COMPLETED", show_default=True, help="The state a job ends in.")
@click.option("--fault-at", type=seconds(0, 1e7), metavar="SECONDS",
              help="v2, with --rate: a GPU fault in the last task this long into the run, recovered 5 s later.")
@click.option("--seed", type=count(-2**62, 2**62), default=0, show_default=True, help="Seed of the log generator.")
@click.option("--style", type=click.Choice(["pytorch", "huggingface", "keras", "mindspore"]), default="pytorch",
              show_default=True, help="Whose logs the job's look like (and which forms of metrics they print).")
@click.option("--base-line-mode", type=click.Choice(["exclusive", "inclusive"]), default="exclusive",
              show_default=True, help="Whether base_line is left out of, or included in, the answer.")
@click.option("--v2-order", type=click.Choice(["documented", "v1"]), default="documented", show_default=True,
              help="Which v2 order word reads onward: asc as documented, or desc as in v1.")
@click.option("--strict-positions", is_flag=True, help="Refuse base_line values never handed out (e.g. 0).")
@click.option("--error-rate", type=seconds(0, 1), default=0.0, help="Share of 5xx answers.")
@click.option("--throttle-rate", type=seconds(0, 1), default=0.0, help="Share of 429 answers.")
@click.option("--drop-rate", type=seconds(0, 1), default=0.0, help="Share of dropped connections.")
@click.option("--latency", type=seconds(0, 3600), default=0.0, metavar="SECONDS",
              help="Delay added to every answer.")
@click.option("--runs", type=count(1, 16), default=1, show_default=True,
              help="Serve this many runs of the job, each learning at its own pace: NAME-lr1, NAME-lr2, ... "
                   "(for 'aomlog metrics NAME-lr1 NAME-lr2').")
@click.option("--auth", type=click.Choice(["none", "aksk", "token"]), default="none", show_default=True,
              help="Require requests signed with the key pair in $HUAWEICLOUD_SDK_AK/$HUAWEICLOUD_SDK_SK "
                   "(and $HUAWEICLOUD_SDK_SECURITY_TOKEN if set), or the token in $AOMLOG_TOKEN.")
def simulate(port, family, name, tasks, job_id, version_id, files, total_lines, rate, duration, start_delay,
             end_state, fault_at, seed, style, base_line_mode, v2_order, strict_positions, error_rate, throttle_rate,
             drop_rate, latency, runs, auth) -> int:
    """Serve a simulated ModelArts training API on 127.0.0.1.

    No cloud account needed: point aomlog (or any client) at the printed endpoint.

    \b
    Examples:
      aomlog simulate --port 8000
      aomlog simulate --tasks 2 --rate 20 --duration 60 --start-delay 5 \\
          --end failed
      aomlog simulate --tasks 4 --rate 2 --duration 300 --fault-at 100 \\
          --end failed
      aomlog simulate --api v1 --file job-a.0 --file job-a.1 --error-rate 0.2
      HUAWEICLOUD_SDK_AK=AKTEST HUAWEICLOUD_SDK_SK=$(openssl rand -hex 20) \\
          aomlog simulate --auth aksk

    Secrets come from the environment, never from the command line, so that
    aomlog run in the same environment signs with the same pair.
    """
    from aomlog.errors import UsageError
    from aomlog.simulator import Simulator

    _check(family, files, job_id, version_id, rate, duration, start_delay, error_rate, throttle_rate, drop_rate)
    if fault_at is not None and (family != "v2" or not rate):
        raise UsageError("--fault-at needs a v2 job with --rate: a fault happens while it runs",
                         "Add --rate LINES/S, e.g. --rate 2 --duration 300 --fault-at 100.")
    ids: Tuple[Union[int, str], Optional[int]]
    if family == "v2":
        ids, streams = (V2_JOB_ID, None), [f"worker-{i}" for i in range(tasks)]
    else:
        ids, streams = (job_id, version_id), list(dict.fromkeys(files)) or ["log1.log"]
    jobs = [_job(ids, streams, name, total_lines, rate, duration, start_delay, END_STATES[end_state.upper()], seed,
                 style)]
    if runs > 1:  # runs of one script, each learning at its own pace
        from aomlog.simulator import sweep_run

        runs_of = [sweep_run(i, name, job_id if family == "v1" else None) for i in range(runs)]
        jobs = [_job((run_ids[0], version_id) if family == "v1" else run_ids, streams, run_name, total_lines, rate,
                     duration, start_delay, END_STATES[end_state.upper()], seed + i, style, pace)
                for i, (run_ids, run_name, pace) in enumerate(runs_of)]
    if fault_at is not None:
        _with_fault(jobs, fault_at, streams[-1])
    credentials, described = _required_credentials(auth)
    sim = Simulator(jobs=jobs, base_line_mode=base_line_mode, strict_positions=strict_positions,
                    v2_order=v2_order, **credentials)
    sim.faults.set_rates(**{"500": error_rate / 2, "503": error_rate / 2, "429": throttle_rate,
                            "drop": drop_rate})
    sim.faults.latency = latency
    growth = f"growing at {rate:g} lines/s" if rate else f"{total_lines} lines, static"
    which = (f"{runs} runs: jobs " + ", ".join(str(job.job_id) for job in jobs) if runs > 1
             else f"job {job_id} version {version_id}" if family == "v1" else f"job {V2_JOB_ID}")
    try:
        sim.serve_forever(port=port, on_ready=_ready(family, which, [job.name for job in jobs], streams, growth,
                                                     described))
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}",
                         "Pick another --port, or --port 0 for a free one.") from None
    return 0


def _with_fault(jobs: List["Job"], at_s: float, task: str) -> None:
    """A fault in ``task`` of each job, ``at_s`` into its run, that the platform recovers from."""
    from dataclasses import replace

    from aomlog.simulator.model.story import Fault

    for job in jobs:
        job.story = replace(job.story, faults=(Fault(at_s=at_s, task=task),))


def _check(family: str, files: Tuple[str, ...], job_id: int, version_id: int, rate: Optional[float],
           duration: Optional[float], start_delay: Optional[float], error_rate: float, throttle_rate: float,
           drop_rate: float) -> None:
    """The options that do not go together, refused before anything starts."""
    from aomlog.errors import UsageError

    if duration is not None and not rate:
        raise UsageError("--duration needs --rate: a static log has no end to wait for",
                         "Add --rate LINES/S, e.g. --rate 20 --duration 60.")
    if start_delay is not None and not rate:
        raise UsageError("--start-delay needs --rate: a static log has already been written",
                         "Add --rate LINES/S, e.g. --rate 20 --start-delay 5.")
    if any(not f.strip() or "/" in f for f in files):
        raise UsageError("--file needs a file name", "Pass names like --file log1.log.")
    if family == "v2" and (files or job_id != 10 or version_id != 10):
        raise UsageError("--file, --job-id and --version-id are for v1 jobs", "Add --api v1, or use --tasks N.")
    if error_rate + throttle_rate + drop_rate > 1:
        raise UsageError("--error-rate, --throttle-rate and --drop-rate add up to more than 1",
                         "Each is the share of requests that fail that way; together at most 1.")


def _job(ids: Tuple[Union[int, str], Optional[int]], streams: List[str], name: str, total_lines: int,
         rate: Optional[float], duration: Optional[float], start_delay: Optional[float], end: str, seed: int,
         style: str, pace: float = 1.0) -> "Job":
    """The simulated job: a static log of ``total_lines``, or (``rate``) one that grows."""
    from aomlog.simulator import Job

    if rate:
        return Job(*ids, files=streams, seed=seed, initial_lines=min(total_lines, 200), lines_per_second=rate,
                   duration_s=duration, start_delay=start_delay, name=name, end_phase=end, style=style, pace=pace)
    return Job(*ids, files=streams, seed=seed, total_lines=total_lines, name=name, end_phase=end, style=style,
               pace=pace)


def _ready(family: str, which: str, names: List[str], streams: List[str], growth: str,
           described: str) -> Callable[[str], None]:
    """What to say once the simulator listens at its URL: where, what it serves, what to try."""
    from aomlog.simulator import DEFAULT_PROJECT_ID

    option = "--all-files" if family == "v1" else "--all-tasks"
    choose = f" {option}" if len(streams) > 1 else ""
    name = "', '".join(names)
    command = f"metrics {' '.join(names)}" if len(names) > 1 else f"tail {names[0]}"

    def ready(url: str) -> None:
        out = sys.stdout
        out.write(
            f"aomlog simulator: {url}  (Ctrl-C to stop)\n"
            f"{which} '{name}', {'files' if family == 'v1' else 'tasks'}: {', '.join(streams)} ({growth})\n\n"
            f"Try:\n"
            f"  export AOMLOG_ENDPOINT={url} HUAWEICLOUD_SDK_PROJECT_ID={DEFAULT_PROJECT_ID}\n"
            f"  aomlog jobs\n"
            f"  aomlog {command}{choose} -f\n"
        )
        out.flush()
        notice(f"aomlog simulator: credentials: {described}")

    return ready


def _required_credentials(auth: str):
    """The credentials the simulator demands, from the environment, and a safe description."""
    import os

    from aomlog.errors import ConfigError

    env = os.environ
    if auth == "none":
        return {}, "none required"
    if auth == "token":
        if not env.get("AOMLOG_TOKEN"):
            raise ConfigError("--auth token needs a token in $AOMLOG_TOKEN",
                              "Export AOMLOG_TOKEN (any value will do for a local test) here and where aomlog runs.")
        return {"token": env["AOMLOG_TOKEN"]}, "the token in $AOMLOG_TOKEN (X-Auth-Token)"
    ak, sk = env.get("HUAWEICLOUD_SDK_AK"), env.get("HUAWEICLOUD_SDK_SK")
    if not ak or not sk:
        raise ConfigError("--auth aksk needs $HUAWEICLOUD_SDK_AK and $HUAWEICLOUD_SDK_SK",
                          "Export both here and where aomlog runs, e.g. export HUAWEICLOUD_SDK_AK=AKTEST "
                          "HUAWEICLOUD_SDK_SK=$(openssl rand -hex 20)")
    token = env.get("HUAWEICLOUD_SDK_SECURITY_TOKEN") or None
    described = f"requests signed with access key {ak} and the SK in $HUAWEICLOUD_SDK_SK"
    if token:
        described += ", with the security token in $HUAWEICLOUD_SDK_SECURITY_TOKEN"
    return {"ak": ak, "sk": sk, "security_token": token}, described


@click.command()
def demo() -> int:
    """Follow a simulated training job to its end: aomlog with no cloud account.

    Starts the built-in simulator on a free port with a two-worker job that is
    still pending, and runs 'aomlog tail NAME --all-tasks -f' against it: it
    says why the job waits, follows both workers' logs for about 30 seconds
    (and a fault recovery) until the job completes, then shows 'aomlog status'.
    """
    return run_demo()


def run_demo(clock: Optional["ManualClock"] = None, curves: Optional[bool] = None) -> int:
    """The demo; ``clock`` (a simulator ManualClock) drives both the simulator and the follower, for
    tests; ``curves``: whether to draw the curves at the end (by default, on a terminal)."""
    from dataclasses import replace

    from aomlog.cli.apis import apis_over
    from aomlog.cli.env import current
    from aomlog.cli.errors import StatusLine
    from aomlog.cli.tail import write_pages
    from aomlog.engine.follow import Timing
    from aomlog.engine.settings import Collaborators, TailSettings
    from aomlog.engine.start import Start
    from aomlog.engine.storywatch import StoryWatch
    from aomlog.engine.streams import Streams
    from aomlog.engine.tail import Tail
    from aomlog.output.terminal import isatty
    from aomlog.simulator import Simulator, demo_job_v2
    from aomlog.transport.client import Client

    job = demo_job_v2()
    sim = Simulator(jobs=[job], clock=clock)
    sim.start(port=0)
    try:
        notice(_try_it_yourself(job, sim.url))
        apis = apis_over(Client(sim.url, "demo", retries=0))
        ref = apis.resolve(job.name)
        status, stop = StatusLine(), current().stop
        using = Collaborators(notify=status.notice, status=status.show, stop=stop,
                              story=StoryWatch(apis.of(ref), ref, status.notice))  # why it waits, what befalls it
        if clock is not None:
            using = replace(using, clock=clock.now, sleep=clock.sleep)
        engine = Tail(apis.of(ref), TailSettings(ref, Streams(every=True), Start.last(50), follow=True,
                                                 timing=Timing(interval=0.25, max_interval=1.0)), using)
        ended = write_pages(engine)
        if isatty(sys.stdout) if curves is None else curves:
            _curves(Tail(apis.of(ref), TailSettings(ref, Streams(every=True), Start.from_line(1)),
                         Collaborators(stop=stop)), job.name)
        _status(apis.of(ref), ref, job.name)
        return ended
    finally:
        sim.stop()


def _status(api: "JobApi", ref: "JobRef", name: str) -> None:
    """The demo job at a glance, as `aomlog status` shows it."""
    from aomlog.cli.env import current
    from aomlog.engine.jobstatus import job_report
    from aomlog.output.formats import formats_of
    from aomlog.output.terminal import destination

    notice(f"\naomlog demo: and the job at a glance, as 'aomlog status {name}' shows it:")
    dest = destination(current().stdout)
    formats_of("status").chosen(None, dest.tty).make(dest).write(job_report(api, ref))


def _try_it_yourself(job: "Job", url: str) -> str:
    """Where the demo's simulator listens, and how to start one like it (this one stops with the
    demo) and follow its job by hand."""
    from aomlog.simulator import DEFAULT_PROJECT_ID

    port = url.rsplit(":", 1)[1]
    simulate = (f"aomlog simulate --port {port} --tasks {len(job.files)} --name {job.name} --lines {job.history} "
                f"--rate {job.rate:g} --duration {job.duration_s:g} --start-delay {job.start_delay:g} "
                f"--seed {job.seed}" + "".join(f" --fault-at {f.at_s:g}" for f in job.story.faults[:1]) + " &")
    return (f"aomlog demo: a simulated training job at {url}. To try one like it yourself, once the demo is over:\n"
            f"  {simulate}\n"
            f"  AOMLOG_ENDPOINT={url} HUAWEICLOUD_SDK_PROJECT_ID={DEFAULT_PROJECT_ID} "
            f"aomlog tail {job.name} --all-tasks -f")


def _curves(engine: "Tail", name: str) -> None:
    """The demo job's training curves, as `aomlog metrics` draws them."""
    import os

    from aomlog.cli.metrics import feed, left_out
    from aomlog.metrics.curves import Curves
    from aomlog.metrics.view import MetricsView
    from aomlog.output import terminal

    notice(f"\naomlog demo: and its training curves, as 'aomlog metrics {name} --all-tasks' draws them:")
    curves = Curves()
    feed(engine, curves)
    view = MetricsView(curves, sys.stdout, color=terminal.wants_color("auto", True, os.environ), live=False,
                       size=terminal.size)
    view.stream_word, view.left_out = engine.api.stream_word, left_out  # a v2 job's streams are its tasks
    view.finish()
