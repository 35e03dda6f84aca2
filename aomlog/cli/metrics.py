"""``aomlog metrics``: the training curves in a job's log, as charts, CSV or JSON Lines."""

from __future__ import annotations

from typing import Dict, Optional, Tuple

import click

from aomlog.cli import reading as common
from aomlog.cli.options import connection_options
from aomlog.cli.reading import (catch_up_options, follow_options, job_arguments, reading_arguments, start_options,
                                stream_options)


@click.command()
@job_arguments
@stream_options
@start_options(newest="by default the whole log")
@follow_options(doing="reading and redrawing the charts")
@click.option("--metric", "names", metavar="NAME", multiple=True,
              help="Only this metric (e.g. loss, val_acc, eval_loss); repeat for several. "
                   "Default: chart the 4 most frequent, export all.")
@click.option("-o", "--output", type=click.Choice(["chart", "csv", "json"]), default=None,
              help="chart: charts and a table (the default on a terminal); csv: one row per value with a "
                   "header (the default in a pipe); json: JSON Lines.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the charts (auto: on a terminal, unless NO_COLOR or TERM=dumb).")
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
      aomlog metrics resnet50-train                  charts of the 4 most frequent metrics
      aomlog metrics resnet50-train -f               live, until the job ends
      aomlog metrics resnet50-train --metric loss --metric val_acc
      aomlog metrics resnet50-train -o csv > curves.csv      pandas.read_csv("curves.csv")
      aomlog metrics resnet50-train --all-tasks -o json | jq 'select(.metric == "loss")'

    \b
    CSV columns (JSON keys): step, epoch, metric, value, file (the task or log file), in log
    order, each value once, also across -f and restarts from a --cursor-file.
    """
    import os
    import shutil
    import sys

    from aomlog.metrics.curves import Curves
    from aomlog.metrics.export import CsvRows, JsonRows
    from aomlog.output.outstream import isatty
    from aomlog.engine.start import Start

    out = common.binary_stdout()
    chart = (output or ("chart" if isatty(out) else "csv")) == "chart"
    curves = Curves(names)
    view = None
    if chart:
        from aomlog.metrics.view import MetricsView
        from aomlog.output.render import wants_color

        view = MetricsView(curves, sys.stdout, color=wants_color(color, isatty(out), os.environ),
                           live=reading.follow, size=shutil.get_terminal_size)
    # A live view shows the catch-up itself: a progress line would draw over it.
    engine = common.engine_for(reading, conn, Start.from_line(1), progress_always=chart and not reading.follow,
                               printer=view.print if view else None)
    engine.carry = {}  # the Keras epoch, kept with each position in a cursor file
    if view is not None:
        view.stream_word = engine.api.stream_word
    rows = None if chart else (JsonRows(out) if output == "json" else CsvRows(out, lambda: not engine.resumed))
    try:
        feed(engine, curves, rows, view)
        if view is not None:
            view.finish()  # the last drawing, which stays
    finally:
        if view is not None:
            view.close()  # rich hid the cursor: give it back however this ends
    if rows is not None:
        rows.finish()
    return common.ended(engine)


def feed(engine, curves, rows=None, view=None) -> None:
    """The metric values of the engine's pages into ``rows`` (only those named), else into
    ``curves`` and ``view``."""
    from aomlog.metrics.extract import Extractor

    extractors: Dict[str, Extractor] = {}  # one per stream: a Keras epoch carries over pages
    for stream, page in engine.pages():
        extractor = extractors.get(stream)
        if extractor is None:  # the epoch an earlier run carried, when going on from its cursor file
            epoch = (engine.carry or {}).get(stream, {}).get("epoch")
            extractor = extractors[stream] = Extractor(epoch if isinstance(epoch, (int, float)) else None)
        samples = extractor.page(page.lines, page.text)
        if extractor.epoch is not None and engine.carry is not None:  # stored with the page's position
            engine.carry[stream] = {"epoch": extractor.epoch}
        if rows is not None:  # rows need no curves: a few microseconds a value saved
            rows.page(stream, curves.keep(samples))
            continue
        curves.page(stream, samples, page.count)
        if view is not None:
            view.update()
