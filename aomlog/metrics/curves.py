"""Training curves: the metric values of a log gathered per stream and metric, for charts and a table.

Each series keeps its statistics (count, last, min, max and where each was) over
every value, and points to draw: all of them up to ``MAX_POINTS``, past that one
in two, then one in four, ... so that memory stays the same however long the log.
A series' x axis is its step when every point has one and the steps only grow,
else its epoch likewise, else the line it was found on (counted from the first
line read). Pure: no I/O, no terminal.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Deque, Dict, List, Optional, Sequence, Set, Tuple

from aomlog.metrics.extract import Sample

MAX_POINTS = 2000
MOST = 4  # metrics charted when none is named: the most frequent
_NAME = attrgetter("name")
MAX_FOUND = 1000  # names of metrics remembered for saying what a log has (a log of ever new names stays small)


@dataclass
class Where:
    """Where a value was found: its step, epoch and line (counted from the first line read)."""

    step: Optional[int]
    epoch: Optional[float]
    line: int

    def __str__(self) -> str:
        said = []
        if self.epoch is not None:
            said.append(f"epoch {epoch_text(self.epoch)}")
        if self.step is not None:  # a step may start again at each epoch: both say where
            said.append(f"step {self.step}")
        return ", ".join(said) or f"line {self.line + 1}"


class MovingAverage:
    """The mean of the last ``n`` values that are numbers (of fewer at the start, as many as there
    are); NaN and the infinities pass as they are and stay out of the window (``--smooth``)."""

    def __init__(self, n: int):
        self.n = n
        self.window: Deque[float] = deque()

    def add(self, value: float) -> float:
        if not math.isfinite(value):
            return value
        window = self.window
        window.append(value)
        if len(window) > self.n:
            window.popleft()
        return math.fsum(window) / len(window)


@dataclass
class Series:
    stream: str
    name: str
    run: str = ""  # the job, when several are read side by side
    smooth: Optional[MovingAverage] = None  # the points drawn are this moving average of the values
    count: int = 0
    # (value, text, step, epoch, line) of the last, lowest and highest values
    _last: Optional[Tuple[float, str, Optional[int], Optional[float], int]] = None
    _low: Optional[Tuple[float, str, Optional[int], Optional[float], int]] = None
    _high: Optional[Tuple[float, str, Optional[int], Optional[float], int]] = None
    points: List[Tuple[Optional[int], Optional[float], int, float]] = field(default_factory=list)
    stride: int = 1  # one value in `stride` becomes a point

    def add(self, sample: Sample, line: int) -> None:
        value = sample.value
        found = (value, sample.text, sample.step, sample.epoch, line)
        self._last = found
        if value == value:  # not NaN
            if self._low is None or value < self._low[0]:
                self._low = found
            if self._high is None or value > self._high[0]:
                self._high = found
        shown = value if self.smooth is None else self.smooth.add(value)  # every value joins the average
        if self.count % self.stride == 0:
            self.points.append((sample.step, sample.epoch, line, shown))
            if len(self.points) > MAX_POINTS:
                del self.points[1::2]
                self.stride *= 2
        self.count += 1

    @property
    def last(self) -> Optional[Tuple[str, Where]]:
        return None if self._last is None else _shown(self._last)[1:]

    @property
    def low(self) -> Optional[Tuple[float, str, Where]]:
        return None if self._low is None else _shown(self._low)

    @property
    def high(self) -> Optional[Tuple[float, str, Where]]:
        return None if self._high is None else _shown(self._high)

    def xy(self) -> Tuple[str, List[float], List[float]]:
        """The x axis' name and the points to draw (values that are no number left out)."""
        points = [p for p in self.points if math.isfinite(p[3])]
        steps = [p[0] for p in points]
        epochs = [p[1] for p in points]
        if points and all(s is not None for s in steps) and _growing(steps):
            return "step", [float(s) for s in steps if s is not None], [p[3] for p in points]
        if points and all(e is not None for e in epochs) and _growing(epochs):
            return "epoch", [e for e in epochs if e is not None], [p[3] for p in points]
        return "line", [float(p[2] + 1) for p in points], [p[3] for p in points]


class Curves:
    """The curves of one job's streams, or of several jobs' (``runs``: their names, in the order
    they are shown); ``smooth``: draw the moving average of that many values."""

    def __init__(self, metrics: Sequence[str] = (), runs: Sequence[str] = (), smooth: int = 0):
        self.named = list(dict.fromkeys(metrics))
        self.wanted = set(self.named)  # only these metrics, when named
        self.runs = list(runs)
        self.smooth = smooth
        self.series: Dict[Tuple[str, str, str], Series] = {}
        self.lines: Counter = Counter()  # lines read per run and stream
        self.found_in: Dict[str, Set[str]] = {}  # the names of every metric seen in each run, named or not

    def page(self, stream: str, samples: Sequence[Sample], lines: int, run: str = "") -> List[Sample]:
        """Add a page's samples (its ``lines`` lines long); returns the samples kept."""
        first = self.lines[run, stream]
        self.lines[run, stream] += lines
        kept = self.keep(samples, run)
        for sample in kept:
            key = (run, stream, sample.name)
            series = self.series.get(key)
            if series is None:
                series = self.series[key] = Series(stream, sample.name, run,
                                                   MovingAverage(self.smooth) if self.smooth > 1 else None)
            series.add(sample, first + sample.line)
        return kept

    def keep(self, samples: Sequence[Sample], run: str = "") -> List[Sample]:
        """The samples of the metrics named (all, when none was)."""
        found = self.found_in.get(run)
        if found is None:
            found = self.found_in[run] = set()
        if len(found) < MAX_FOUND:
            found.update(map(_NAME, samples))
        return [s for s in samples if s.name in self.wanted] if self.wanted else list(samples)

    @property
    def found(self) -> Set[str]:
        """The names of every metric seen, named or not."""
        return set().union(*self.found_in.values())

    def missing(self) -> List[str]:
        """The metrics named that have no value."""
        found = self.found
        return [name for name in self.named if name not in found]

    def chosen(self, most: int = MOST) -> List[str]:
        """The metrics to chart: those named, in the order named, else the most frequent."""
        counts: Counter = Counter()
        for (_, _, name), series in self.series.items():
            counts[name] += series.count
        if self.named:
            return [name for name in self.named if name in counts]
        return [name for name, _ in counts.most_common(most)]

    def of(self, name: str) -> List[Series]:
        """The series of a metric: by run (in the order of ``runs``), then by stream."""
        order = {run: i for i, run in enumerate(self.runs)}
        chosen = [(key, series) for key, series in self.series.items() if key[2] == name]
        return [series for key, series in sorted(chosen, key=lambda item: (order.get(item[0][0], -1), item[0]))]


def _shown(found: Tuple[float, str, Optional[int], Optional[float], int]) -> Tuple[float, str, Where]:
    value, text, step, epoch, line = found
    return value, text, Where(step, epoch, line)


def _growing(values: Sequence) -> bool:
    return all(a <= b for a, b in zip(values, values[1:]))


def epoch_text(epoch: float) -> str:
    """An epoch as printed: 3 rather than 3.0, 1.25 as it is."""
    return str(int(epoch)) if float(epoch).is_integer() else repr(epoch)
