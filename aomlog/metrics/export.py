"""Metric values as rows: CSV with a header, or JSON Lines; one write and one flush per page.

Columns (keys): ``step``, ``epoch``, ``metric``, ``value``, ``file`` (the log file
of a v1 job, the task of a v2 job), in log order, each value once. ``step`` and
``epoch`` are empty (null) when the line names none. The value is the number as
the log printed it, so ``pandas.read_csv`` reads it back exactly (NaN and the
infinities as ``nan``, ``inf``, ``-inf``); in JSON it is a number, or null for NaN
and infinities (which JSON cannot hold) with the text beside it.

``csv_rows`` and ``json_rows`` make them as the metrics command's formats (``aomlog.output.formats``).
"""

from __future__ import annotations

import json
import math
from typing import Any, BinaryIO, Callable, Dict, Optional, Sequence

from aomlog.metrics.curves import epoch_text
from aomlog.metrics.extract import Sample
from aomlog.output.outstream import write_all
from aomlog.output.terminal import Destination

COLUMNS = ("step", "epoch", "metric", "value", "file")


def csv_rows(dest: Destination, *, header: Callable[[], bool], **_: Any) -> CsvRows:
    return CsvRows(dest.out, header)


def json_rows(dest: Destination, **_: Any) -> JsonRows:
    return JsonRows(dest.out)


class CsvRows:
    def __init__(self, out: BinaryIO, header: Callable[[], bool] = lambda: True):
        self.out = out
        # Asked at the first page: not when a restart from a cursor file appends to what the last run wrote.
        self.header: Optional[Callable[[], bool]] = header

    def page(self, stream: str, samples: Sequence[Sample]) -> None:
        head = ""
        if self.header is not None:
            head = ",".join(COLUMNS) + "\n" if self.header() else ""
            self.header = None
        # Steps, epochs, names and values hold no comma, quote or newline (metrics.py): only the
        # file name may need quoting, and it is the same for the whole page.
        tail = "," + _field(stream) + "\n"
        epochs: Dict[float, str] = {}
        rows = []
        for s in samples:
            epoch = s.epoch
            if epoch is not None:
                shown = epochs.get(epoch)
                if shown is None:
                    shown = epochs[epoch] = epoch_text(epoch)
            text = s.text if s.text[-1].isdigit() else _special(s.value)
            rows.append(f"{'' if s.step is None else s.step},{'' if epoch is None else shown},{s.name},{text}{tail}")
        _write(self.out, head + "".join(rows))

    def finish(self) -> None:
        """A log with no page still gets its header: pandas reads that as no rows, an empty file not at all."""
        if self.header is not None:
            self.page("", [])


class JsonRows:
    def __init__(self, out: BinaryIO):
        self.out = out

    def page(self, stream: str, samples: Sequence[Sample]) -> None:
        rows = []
        for s in samples:
            row = {"step": s.step, "epoch": s.epoch, "metric": s.name,
                   "value": s.value if math.isfinite(s.value) else None, "file": stream}
            if not math.isfinite(s.value):
                row["text"] = s.text
            rows.append(json.dumps(row, ensure_ascii=False) + "\n")
        _write(self.out, "".join(rows))

    def finish(self) -> None:
        pass


def _special(value: float) -> str:
    """NaN and the infinities in the one spelling pandas reads as numbers whatever the log printed
    (it reads ``NAN`` or ``+nan`` as text, and the whole column with it)."""
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _field(text: str) -> str:
    """A CSV field: quoted (quotes doubled) when it holds a comma, quote, or line break."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _write(out: BinaryIO, text: str) -> None:
    if text:
        write_all(out, text.encode("utf-8", "replace"))
