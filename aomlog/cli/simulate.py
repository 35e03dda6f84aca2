"""``aomlog simulate`` (the API on localhost) and ``aomlog demo`` (a guided follow of it)."""

from __future__ import annotations

import click

from aomlog.cli.errors import notice

END_STATES = {"COMPLETED": 10, "FAILED": 11, "KILLED": 12, "CANCELED": 13, "LOST": 14}


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1; 0 picks a free one.")
@click.option("--job-id", type=int, default=10, show_default=True, help="The simulated training job's id.")
@click.option("--version-id", type=int, default=10, show_default=True, help="The simulated version's id.")
@click.option("--file", "files", multiple=True, metavar="NAME",
              help="Log file name; repeat for a distributed job.  [default: log1.log]")
@click.option("--lines", "total_lines", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Lines in a static log (without --rate).")
@click.option("--rate", type=click.FloatRange(min=0, min_open=True), metavar="LINES/S",
              help="Make the log grow at this many lines per second.")
@click.option("--duration", type=click.FloatRange(min=0), metavar="SECONDS",
              help="With --rate: the job ends after this long (default: never).")
@click.option("--end", "end_state", type=click.Choice(sorted(END_STATES), case_sensitive=False),
              default="COMPLETED", show_default=True, help="The state a job ends in.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the log generator.")
@click.option("--base-line-mode", type=click.Choice(["exclusive", "inclusive"]), default="exclusive",
              show_default=True, help="Whether base_line is left out of, or included in, the answer.")
@click.option("--strict-positions", is_flag=True, help="Refuse base_line values never handed out (e.g. 0).")
@click.option("--error-rate", type=click.FloatRange(0, 1), default=0.0, help="Share of 5xx answers.")
@click.option("--throttle-rate", type=click.FloatRange(0, 1), default=0.0, help="Share of 429 answers.")
@click.option("--drop-rate", type=click.FloatRange(0, 1), default=0.0, help="Share of dropped connections.")
@click.option("--latency", type=click.FloatRange(min=0), default=0.0, metavar="SECONDS",
              help="Delay added to every answer.")
@click.option("--auth", type=click.Choice(["none", "aksk", "token"]), default="none", show_default=True,
              help="Require requests signed with the key pair in $HUAWEICLOUD_SDK_AK/$HUAWEICLOUD_SDK_SK "
                   "(and $HUAWEICLOUD_SDK_SECURITY_TOKEN if set), or the token in $AOMLOG_TOKEN.")
def simulate(port, job_id, version_id, files, total_lines, rate, duration, end_state, seed,
             base_line_mode, strict_positions, error_rate, throttle_rate, drop_rate, latency, auth) -> int:
    """Serve a simulated ModelArts training-log API on 127.0.0.1.

    No cloud account needed: point aomlog (or any client) at the printed endpoint.

    \b
    Examples:
      aomlog simulate --port 8000
      aomlog simulate --rate 20 --duration 60 --end FAILED
      aomlog simulate --file job-a.0 --file job-a.1 --error-rate 0.2
      HUAWEICLOUD_SDK_AK=AKTEST HUAWEICLOUD_SDK_SK=$(openssl rand -hex 20) aomlog simulate --auth aksk

    Secrets come from the environment, never from the command line, so that
    aomlog run in the same environment signs with the same pair.
    """
    from aomlog.errors import UsageError
    from aomlog.simulator import Job, Simulator

    if duration is not None and not rate:
        raise UsageError("--duration needs --rate: a static log has no end to wait for",
                         "Add --rate LINES/S, e.g. --rate 20 --duration 60.")
    if any(not name.strip() or "/" in name for name in files):
        raise UsageError("--file needs a file name", "Pass names like --file log1.log.")
    if error_rate + throttle_rate + drop_rate > 1:
        raise UsageError("--error-rate, --throttle-rate and --drop-rate add up to more than 1",
                         "Each is the share of requests that fail that way; together at most 1.")
    files = list(dict.fromkeys(files)) or ["log1.log"]
    end = END_STATES[end_state.upper()]
    if rate:
        job = Job(job_id, version_id, files, seed=seed, initial_lines=min(total_lines, 200),
                  lines_per_second=rate, duration_s=duration, end_status=end)
    else:
        job = Job(job_id, version_id, files, seed=seed, total_lines=total_lines, status=end)
    credentials, described = _required_credentials(auth)
    sim = Simulator(jobs=[job], base_line_mode=base_line_mode, strict_positions=strict_positions, **credentials)
    sim.faults.set_rates(**{"500": error_rate / 2, "503": error_rate / 2, "429": throttle_rate,
                            "drop": drop_rate})
    sim.faults.latency = latency
    growth = f"growing at {rate:g} lines/s" if rate else f"{total_lines} lines, static"

    def ready(url: str) -> None:
        out = click.get_text_stream("stdout")
        out.write(
            f"aomlog simulator: {url}  (Ctrl-C to stop)\n"
            f"job {job_id} version {version_id}, files: {', '.join(files)} ({growth})\n\n"
            f"Try:\n"
            f"  aomlog tail {job_id} {version_id} --file {files[0]} --endpoint {url} --project-id sim -f\n"
        )
        out.flush()
        notice(f"aomlog simulator: credentials: {described}")

    try:
        sim.serve_forever(port=port, on_ready=ready)
    except OSError as exc:
        from aomlog.errors import UsageError

        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}",
                         "Pick another --port, or --port 0 for a free one.") from None
    return 0


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

    Starts the built-in simulator on a free port with a job that runs about 30
    seconds, and runs 'aomlog tail -f' against it.
    """
    from aomlog.api import Apis, JobRef
    from aomlog.cli.errors import StatusLine
    from aomlog.cli.tail import write_pages
    from aomlog.client import Client
    from aomlog.follow import Timing
    from aomlog.simulator import Simulator, demo_job
    from aomlog.tailing import Start, Streams, Tail

    job = demo_job()
    sim = Simulator(jobs=[job])
    sim.start(port=0)
    try:
        notice(f"aomlog demo: following simulated job {job.job_id} version {job.version_id} at {sim.url}\n"
               f"  (the same as: aomlog tail {job.job_id} {job.version_id} --file {job.files[0]} -f "
               f"--endpoint {sim.url} --project-id demo)")
        ref = JobRef("v1", str(job.job_id), str(job.version_id))
        status = StatusLine()
        engine = Tail(Apis(Client(sim.url, "demo", retries=0)).of(ref), ref, Streams((job.files[0],)), Start.last(50),
                      follow=True, timing=Timing(interval=0.25, max_interval=1.0), notify=status.notice,
                      status=status.show)
        return write_pages(engine)
    finally:
        sim.stop()
