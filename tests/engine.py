"""Driving the tail engine from tests, as the CLI does but without click."""

from aomlog.api import Apis, JobApi, JobRef
from aomlog.cli.errors import notice
from aomlog.cli.tail import write_pages
from aomlog.engine.settings import Collaborators, TailSettings
from aomlog.engine.start import Start
from aomlog.engine.streams import Streams
from aomlog.engine.tail import Tail

# make_tail's options that say what to read and how; the others are the engine's collaborators.
SETTINGS = {"follow", "cursor_path", "start_given", "timing", "parallel", "retries", "fast_answer"}


def job_ref(job, version):
    return JobRef("v1", str(job), str(version)) if version is not None else JobRef("v2", str(job))


def make_tail(source, job, version, streams, start=("last", 50), **options):
    """An engine over ``source`` (a Client, or a JobApi such as tests' FakeApi)."""
    ref = job_ref(job, version)
    if not isinstance(source, JobApi) and options.get("follow"):
        source = source.clone(share_session=True, retries=0)  # as the CLI does: the engine rides out failures itself
    api = source if isinstance(source, JobApi) else Apis(source).of(ref)
    names = (streams,) if isinstance(streams, str) else tuple(streams or ())
    every = streams is None
    options.setdefault("notify", notice)
    options.setdefault("fast_answer", 0)  # cut long logs even though a fake answers at once
    settings = TailSettings(ref, Streams(names, every=every), Start(*start),
                            **{name: value for name, value in options.items() if name in SETTINGS})
    using = Collaborators(**{name: value for name, value in options.items() if name not in SETTINGS})
    return Tail(api, settings, using)


def run_tail(source, job, version, streams, start=("last", 50), *, display=None, out=None, **options):
    """Write the engine's pages (to stdout, or ``out``) as `aomlog tail` does; the exit status."""
    return write_pages(make_tail(source, job, version, streams, start, **options), display, out)


class Time:
    """One manual clock shared by the simulator and the follower: its sleeps move it."""

    def __init__(self):
        from aomlog.simulator import ManualClock

        self.clock = ManualClock()
        self.sleeps = []

    def now(self):
        return self.clock.now()

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.clock.advance(seconds)
