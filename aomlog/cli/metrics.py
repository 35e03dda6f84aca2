"""``aomlog metrics``: the training curves in a job's log, as charts, CSV or JSON Lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Dict, List, Mapping, Optional, Tuple, Union

import click

from aomlog.cli import reading as common
from aomlog.cli.display import color_option, output_option
from aomlog.cli.helptext import job_command
from aomlog.cli.options import connection_options
from aomlog.cli.reading import (catch_up_options, follow_options, job_arguments, reading_arguments, start_options,
                                stream_options)

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
@job_arguments
@stream_options
@start_options(newest="by default the whole log")
@follow_options(doing="reading and redrawing the charts")
@click.option("--metric", "names", metavar="NAME", multiple=True,
              help="Only this metric (e.g. loss, val_acc, eval_loss); repeat for several. "
                   "Default: chart the 4 most frequent, export all.")
@output_option("metrics")
@color_option("metrics")
@catch_up_options
@connection_options
@reading_arguments
def metrics(reading, names: Tuple[str, ...], output: Optional[str], color: str, conn: dict) -> int:
    """Chart the training metrics in a job's log: loss, accuracy, learning rate, ... by step.

    It reads the log (the whole of it unless told otherwise) and finds the values that
    the common frameworks print: name=value and name: value pairs, Python dicts (Hugging
    Face's Trainer), Keras progress lines, MindSpore's "loss is", Lightning and tqdm. The
    step (step, global_step, iter) and epoch of a line are its x values.

    \b
    Examples:
      aomlog metrics resnet50-train          charts of the 4 most frequent metrics
      aomlog metrics resnet50-train -f       live, until the job ends
      aomlog metrics resnet50-train --metric loss --metric val_acc
      aomlog metrics resnet50-train -o csv > curves.csv   (pandas.read_csv)
      aomlog metrics resnet50-train --all-tasks -o json |
          jq 'select(.metric == "loss")'

    CSV columns (JSON keys): step, epoch, metric, value, file (the task or log file),
    in log order, each value once, also across -f and restarts from a --cursor-file.
    """
    import sys

    from aomlog.metrics.curves import Curves
    from aomlog.output.formats import formats_of
    from aomlog.output.terminal import destination
    from aomlog.cli.env import current
    from aomlog.engine.start import Start

    dest = destination(current().stdout, color, text=sys.stdout)
    chosen = formats_of("metrics").chosen(output, dest.tty)
    curves = Curves(names)
    # Rows are written as they come; a chart is drawn from the curves. A CSV header is written
    # unless a restart from a cursor file appends to what the last run wrote, which the engine
    # says before the first page.
    begun: List[Started] = []
    made = chosen.make(dest, curves=curves, live=reading.follow, header=lambda: not begun[0].resumed)
    view = made if chosen.draws else None
    rows = None if chosen.draws else made
    epochs = Epochs()  # the Keras epoch, kept with each position in a cursor file
    # A live view shows the catch-up itself: a progress line would draw over it.
    engine = common.engine_for(reading, conn, Start.from_line(1), progress_always=chosen.draws and not reading.follow,
                               printer=view.print if view else None, keeper=epochs)
    if view is not None:
        view.stream_word = engine.api.stream_word
    try:
        outcome = feed(engine, curves, rows, view, on_start=begun.append)
        if view is not None:
            view.finish()  # the last drawing, which stays
    finally:
        if view is not None:
            view.close()  # rich hid the cursor: give it back however this ends
    if rows is not None:
        rows.finish()
    return common.ended(outcome)


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


def feed(engine: "Tail", curves: "Curves", rows: Optional["Rows"] = None, view: Optional["MetricsView"] = None,
         on_start: Callable[["Started"], None] = lambda started: None) -> "Outcome":
    """The metric values of the engine's pages into ``rows`` (only those named), else into
    ``curves`` and ``view``; how the read ended. The Keras epoch goes on from, and is stored
    with, the engine's positions when the engine keeps ``Epochs``."""
    keeper = engine.using.keeper
    epochs = keeper if isinstance(keeper, Epochs) else Epochs()
    extractors: Dict[str, Extractor] = {}  # one per stream: a Keras epoch carries over pages

    def take(stream: str, page: "Page") -> None:
        extractor = extractors.get(stream)
        if extractor is None:
            extractor = extractors[stream] = epochs.extractor(stream)
        samples = extractor.page(page.lines, page.text)
        epochs.seen(stream, extractor)
        if rows is not None:  # rows need no curves: a few microseconds a value saved
            rows.page(stream, curves.keep(samples))
            return
        curves.page(stream, samples, page.count)
        if view is not None:
            view.update()

    return engine.run(take, on_start)
