"""Metric values as rows: CSV with a header, or JSON Lines; one write and one flush per page.

Columns (keys): ``step``, ``epoch``, ``metric``, ``value``, ``file`` (the log file
of a v1 job, the task of a v2 job), in log order, each value once. ``step`` and
``epoch`` are empty (null) when the line names none. The value is the number as
the log printed it, so ``pandas.read_csv`` reads it back exactly (NaN and the
infinities as ``nan``, ``inf``, ``-inf``); in JSON it is a number, or null for NaN
and infinities (which JSON cannot hold) with the text beside it.

Reading several jobs, each row begins with its job (``job``: the job's name, its id where
names repeat). With a moving average (``smooth``), ``value`` is the average and ``raw`` the
value as printed.

``csv_rows`` and ``json_rows`` make them as the metrics command's formats (``aomlog.output.formats``).
"""

from __future__ import annotations

import json
import math
from typing import Any, BinaryIO, Callable, Dict, Optional, Sequence, Tuple

from aomlog.metrics.curves import MovingAverage, epoch_text
from aomlog.metrics.extract import Sample
from aomlog.output.outstream import write_all
from aomlog.output.terminal import Destination

COLUMNS = ("step", "epoch", "metric", "value", "file")


def csv_rows(dest: Destination, *, header: Callable[[], bool], runs: bool = False, smooth: int = 0,
             **_: Any) -> CsvRows:
    return CsvRows(dest.out, header, runs=runs, smooth=smooth)


def json_rows(dest: Destination, *, runs: bool = False, smooth: int = 0, **_: Any) -> JsonRows:
    return JsonRows(dest.out, runs=runs, smooth=smooth)


class Smoothing:
    """The moving average of each series' values (per run, stream and metric), for ``--smooth``."""

    def __init__(self, n: int):
        self.n = n
        self.series: Dict[Tuple[str, str, str], MovingAverage] = {}

    def of(self, run: str, stream: str, name: str) -> MovingAverage:
        key = (run, stream, name)
        average = self.series.get(key)
        if average is None:
            average = self.series[key] = MovingAverage(self.n)
        return average


class CsvRows:
    """Rows of CSV. ``runs``: the rows of several jobs, each with the job first (``job`` column);
    ``smooth``: the value is the moving average of that many, the value printed is beside it (``raw``)."""

    def __init__(self, out: BinaryIO, header: Callable[[], bool] = lambda: True, *, runs: bool = False,
                 smooth: int = 0):
        self.out = out
        # Asked at the first page: not when a restart from a cursor file appends to what the last run wrote.
        self.header: Optional[Callable[[], bool]] = header
        self.columns = ("job",) * runs + COLUMNS + ("raw",) * (smooth > 1)
        self.smoothing = Smoothing(smooth) if smooth > 1 else None

    def page(self, stream: str, samples: Sequence[Sample], run: str = "") -> None:
        head = ""
        if self.header is not None:
            head = ",".join(self.columns) + "\n" if self.header() else ""
            self.header = None
        if self.smoothing is not None:
            _write(self.out, head + self._smoothed(stream, samples, run))
            return
        # Steps, epochs, names and values hold no comma, quote or newline (metrics.py): only the
        # file name (and job name) may need quoting, and it is the same for the whole page.
        tail = "," + _field(stream) + "\n"
        lead = _field(run) + "," if self.columns[0] == "job" else ""
        epochs: Dict[float, str] = {}
        rows = []
        for s in samples:
            epoch = s.epoch
            if epoch is not None:
                shown = epochs.get(epoch)
                if shown is None:
                    shown = epochs[epoch] = epoch_text(epoch)
            text = s.text if s.text[-1].isdigit() else _special(s.value)
            rows.append(f"{lead}{'' if s.step is None else s.step},{'' if epoch is None else shown},{s.name},"
                        f"{text}{tail}")
        _write(self.out, head + "".join(rows))

    def _smoothed(self, stream: str, samples: Sequence[Sample], run: str) -> str:
        """The rows with the moving average as the value (the slow way: it is asked for)."""
        assert self.smoothing is not None
        lead = _field(run) + "," if self.columns[0] == "job" else ""
        rows = []
        for s in samples:
            average = self.smoothing.of(run, stream, s.name).add(s.value)
            raw = s.text if s.text[-1].isdigit() else _special(s.value)
            epoch = "" if s.epoch is None else epoch_text(s.epoch)
            rows.append(f"{lead}{'' if s.step is None else s.step},{epoch},{s.name},{_number(average)},"
                        f"{_field(stream)},{raw}\n")
        return "".join(rows)

    def finish(self) -> None:
        """A log with no page still gets its header: pandas reads that as no rows, an empty file not at all."""
        if self.header is not None:
            self.page("", [])


class JsonRows:
    """JSON Lines; ``runs``: with the job (``"job"``); ``smooth``: the value is the moving average of
    that many, the value as printed is ``"raw"`` (with ``"smooth"``: how many)."""

    def __init__(self, out: BinaryIO, *, runs: bool = False, smooth: int = 0):
        self.out = out
        self.runs = runs
        self.smoothing = Smoothing(smooth) if smooth > 1 else None

    def page(self, stream: str, samples: Sequence[Sample], run: str = "") -> None:
        rows = []
        for s in samples:
            row: Dict[str, Any] = {"job": run} if self.runs else {}
            row.update({"step": s.step, "epoch": s.epoch, "metric": s.name,
                        "value": s.value if math.isfinite(s.value) else None, "file": stream})
            if not math.isfinite(s.value):
                row["text"] = s.text
            if self.smoothing is not None:
                average = self.smoothing.of(run, stream, s.name).add(s.value)
                row.update({"value": average if math.isfinite(average) else None, "raw": row["value"],
                            "smooth": self.smoothing.n})
            rows.append(json.dumps(row, ensure_ascii=False) + "\n")
        _write(self.out, "".join(rows))

    def finish(self) -> None:
        pass


def _special(value: float) -> str:
    """NaN and the infinities in the one spelling pandas reads as numbers whatever the log printed
    (it reads ``NAN`` or ``+nan`` as text, and the whole column with it)."""
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _number(value: float) -> str:
    """A computed value (a moving average): to 8 significant digits, which pandas reads as a number."""
    return f"{value:.8g}" if math.isfinite(value) else _special(value)


def _field(text: str) -> str:
    """A CSV field: quoted (quotes doubled) when it holds a comma, quote, or line break."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _write(out: BinaryIO, text: str) -> None:
    if text:
        write_all(out, text.encode("utf-8", "replace"))
