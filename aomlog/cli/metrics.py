"""``aomlog metrics``: the training curves in a job's log, as charts, CSV or JSON Lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Dict, List, Mapping, Optional, Tuple, Union

import click

from aomlog.cli import reading as common
from aomlog.cli.display import color_option, output_option
from aomlog.cli.helptext import job_command
from aomlog.cli.options import connection_options
from aomlog.cli import completion
from aomlog.cli.params import count
from aomlog.cli.reading import catch_up_options, follow_options, reading_arguments, start_options, stream_options

if TYPE_CHECKING:
    from aomlog.api.family import Page
    from aomlog.engine.outcome import Outcome, Started
    from aomlog.engine.tail import Tail
    from aomlog.metrics.curves import Curves
    from aomlog.metrics.export import CsvRows, JsonRows
    from aomlog.metrics.extract import Extractor
    from aomlog.metrics.view import MetricsView

    Rows = Union[CsvRows, JsonRows]


@job_command()
@click.argument("runs", nargs=-1, required=True, metavar="JOB [VERSION] [JOB [VERSION]]...",
                shell_complete=completion.run_ids)
@stream_options
@start_options(newest="by default the whole log")
@follow_options(doing="reading and redrawing the charts")
@click.option("--metric", "names", metavar="NAME", multiple=True, shell_complete=completion.metric_names,
              help="Only this metric (e.g. loss, val_acc, eval_loss); repeat for several. "
                   "Default: chart the 4 most frequent, export all.")
@click.option("--smooth", type=count(1, 10000), default=1, metavar="N",
              help="Chart and export the moving average of N values (the value as printed is exported "
                   "beside it, as raw). Default: off.")
@output_option("metrics")
@color_option("metrics")
@catch_up_options
@connection_options
@reading_arguments
def metrics(reading, runs: Tuple[str, ...], names: Tuple[str, ...], smooth: int, output: Optional[str], color: str,
            conn: dict) -> int:
    """Chart the training metrics in a job's log: loss, accuracy, learning rate, ... by step.

    It reads the log (the whole of it unless told otherwise) and finds the values that
    the common frameworks print: name=value and name: value pairs, Python dicts (Hugging
    Face's Trainer), Keras progress lines, MindSpore's "loss is", Lightning and tqdm. The
    step (step, global_step, iter) and epoch of a line are its x values. Several jobs are
    read side by side and drawn together, a line per job (a number right after a v1 job is
    its version; --file applies to the v1 jobs, --task to the v2 jobs).

    \b
    Examples:
      aomlog metrics resnet50-train         charts of the 4 most frequent metrics
      aomlog metrics resnet50-train -f      live, until the job ends
      aomlog metrics resnet50-train --metric loss --metric val_acc
      aomlog metrics run-lr1 run-lr2 --smooth 20    two runs, smoothed
      aomlog metrics resnet50-train -o csv > curves.csv
      aomlog metrics resnet50-train --all-tasks -o json |
          jq 'select(.metric == "loss")'

    \b
    CSV columns (JSON keys): step, epoch, metric, value, file (the task or log
    file), in log order, each value once, also across -f and restarts from a
    --cursor-file; with several jobs, job first (the job's name; its id where
    names repeat).
    """
    import sys

    from aomlog.cli.env import current
    from aomlog.cli.runs import runs_for
    from aomlog.engine.start import Start
    from aomlog.metrics.curves import Curves
    from aomlog.output.formats import formats_of
    from aomlog.output.terminal import destination

    dest = destination(current().stdout, color, text=sys.stdout)
    chosen = formats_of("metrics").chosen(output, dest.tty)
    curves = Curves(names, smooth=smooth)
    drawn: List[MetricsView] = []  # the view, once made: notices go above it
    # A live view shows the catch-up itself: a progress line would draw over it.
    read = runs_for(reading, conn, runs, Start.from_line(1), progress_always=chosen.draws and not reading.follow,
                    printer=(lambda text: drawn[0].print(text)) if chosen.draws else None, keeper=Epochs)
    # Rows are written as they come; a chart is drawn from the curves. A CSV header is written unless a
    # restart from a cursor file appends to what the last run wrote, which the engine says before the first page.
    begun: List[Started] = []
    made = chosen.make(dest, curves=curves, live=reading.follow, runs=read.several, smooth=smooth,
                       header=lambda: not (read.resumed() if read.several else begun[0].resumed))
    view, rows = (made, None) if chosen.draws else (None, made)
    if view is not None:
        drawn.append(view)
        view.stream_word, view.left_out = _stream_word(read), left_out
    curves.runs = read.labels if read.several else []
    try:
        outcomes = _read(read, Feed(curves, rows, view), view, begun)
    finally:
        _remember_names(read, curves)
    _finish(rows, curves)
    return max(common.ended(outcome) for outcome in outcomes)  # the worst: a failed job's 5


def _finish(rows: Optional["Rows"], curves: "Curves") -> None:
    if rows is not None:
        rows.finish()
    _say_missing(curves)


def _read(read, feeding: "Feed", view: Optional["MetricsView"], begun: List["Started"]) -> List["Outcome"]:
    """The pages of every job into ``feeding``; how each read ended. The view is closed however it ends."""
    from aomlog.engine.together import Together

    try:
        if read.several:
            outcomes = Together(read.engines).run(
                lambda i, stream, page: feeding.take(read.engines[i].using.keeper, stream, page, read.labels[i]),
                lambda i, started: begun.append(started))
        else:
            engine = read.engines[0]
            outcomes = [engine.run(lambda stream, page: feeding.take(engine.using.keeper, stream, page),
                                   begun.append)]
        if view is not None:
            view.finish()  # the last drawing, which stays
    finally:
        if view is not None:
            view.close()  # rich hid the cursor: give it back however this ends
    return outcomes


def _stream_word(read) -> str:
    """What the table calls a stream: file (v1), task (v2); stream when the jobs are of both."""
    words = {engine.api.stream_word for engine in read.engines}
    return words.pop() if len(words) == 1 else "stream"


def left_out(names: List[str]) -> str:
    """What is said under the charts of the metrics left out for want of room."""
    return f"Not charted for want of room: {', '.join(names)} (chart one with --metric NAME)"


def _remember_names(read, curves: "Curves") -> None:
    """The metrics each job's log has, for completing --metric next time."""
    from aomlog.settings import cache

    for engine, label in zip(read.engines, read.labels):
        found = curves.found_in.get(label if read.several else "", set())
        if found:
            job = engine.job
            cache.store_metric_names(job.job_id, job.version, label, sorted(found))


def _say_missing(curves: "Curves") -> None:
    """A metric named that has no value: maybe misspelt; the names the log has, closest first."""
    import difflib

    from aomlog.cli.errors import notice

    found = sorted(curves.found)
    for name in curves.missing():
        closest = difflib.get_close_matches(name, found, n=len(found), cutoff=0.0)
        has = f"the metrics found: {', '.join(closest)}" if closest else "no metric was found at all"
        notice(f"aomlog: no values of metric '{name}' in the log; {has}")


class Epochs:
    """What ``metrics`` keeps with each position in a cursor file (the engine's ``Keeper``): the
    epoch of the last Keras banner in each stream, which the lines after it belong to."""

    def __init__(self) -> None:
        self.carried: Dict[str, dict] = {}

    def restore(self, kept: Mapping[str, dict]) -> None:
        self.carried = dict(kept)

    def kept(self, stream: str) -> Optional[dict]:
        return self.carried.get(stream)

    def extractor(self, stream: str) -> "Extractor":
        """An extractor for ``stream`` that goes on from the epoch an earlier run kept, if any."""
        from aomlog.metrics.extract import Extractor

        epoch = self.carried.get(stream, {}).get("epoch")
        return Extractor(epoch if isinstance(epoch, (int, float)) else None)

    def seen(self, stream: str, extractor: "Extractor") -> None:
        if extractor.epoch is not None:  # stored with the page's position
            self.carried[stream] = {"epoch": extractor.epoch}


class Feed:
    """The metric values of pages into ``rows`` (only those named), else into ``curves`` and
    ``view``: of one job, or of several (``run``: the job's name). The Keras epoch goes on from,
    and is stored with, the engine's positions when the engine keeps ``Epochs``."""

    def __init__(self, curves: "Curves", rows: Optional["Rows"] = None, view: Optional["MetricsView"] = None):
        self.curves = curves
        self.rows = rows
        self.view = view
        self.extractors: Dict[Tuple[str, str], Extractor] = {}  # one per stream: a Keras epoch carries over pages
        self.epochs: Dict[str, Epochs] = {}

    def take(self, keeper: object, stream: str, page: "Page", run: str = "") -> None:
        epochs = keeper if isinstance(keeper, Epochs) else self.epochs.setdefault(run, Epochs())
        extractor = self.extractors.get((run, stream))
        if extractor is None:
            extractor = self.extractors[run, stream] = epochs.extractor(stream)
        samples = extractor.page(page.lines, page.text)
        epochs.seen(stream, extractor)
        if self.rows is not None:  # rows need no curves: a few microseconds a value saved
            kept = self.curves.keep(samples, run)
            if run:
                self.rows.page(stream, kept, run)
            else:
                self.rows.page(stream, kept)
            return
        self.curves.page(stream, samples, page.count, run)
        if self.view is not None:
            self.view.update()


def feed(engine: "Tail", curves: "Curves", rows: Optional["Rows"] = None, view: Optional["MetricsView"] = None,
         on_start: Callable[["Started"], None] = lambda started: None) -> "Outcome":
    """The metric values of the engine's pages into ``rows`` (only those named), else into
    ``curves`` and ``view``; how the read ended."""
    feeding = Feed(curves, rows, view)
    return engine.run(lambda stream, page: feeding.take(engine.using.keeper, stream, page), on_start)
