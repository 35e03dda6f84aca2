"""Tasks' resource use as rows: ``time,task,metric,value``, as CSV with a header or JSON Lines.

The API gives one value a minute, oldest first, and not the time of any (docs/api-v2-job.md):
the last value stands for the minute of ``anchor_ms`` (now for a running job, its end for an
ended one) and each one before it for a minute earlier. ``time`` is that minute in ISO 8601;
``value`` is as the API gave it (a rate out of 100, or out of 1). With follow, each series
keeps the minutes its first reading gave it, the values that come later a minute apart, and
only rows not written before are written.

``usage_csv`` and ``usage_json`` are the usage command's formats (``aomlog.output.formats``).
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Set, Tuple

from aomlog.api.story import Usage, metric_order
from aomlog.output.outstream import write_all
from aomlog.output.terminal import Destination
from aomlog.timefmt import iso_time

COLUMNS = ("time", "task", "metric", "value")
MINUTE_MS = 60000
Row = Tuple[int, str, str, float]  # minute (epoch ms), task, metric, value


def rows_of(usages: Dict[str, Usage], anchor_ms: int, firsts: Optional[Dict[Tuple[str, str], int]] = None
            ) -> List[Row]:
    """Every value as a row, by time, then task, then metric in the order shown. ``firsts``
    (series -> the minute of its first value) keeps each series' minutes where a reading
    before put them: counted back from that reading, later values follow a minute apart."""
    last = anchor_ms - anchor_ms % MINUTE_MS
    firsts = {} if firsts is None else firsts
    rows: List[Row] = []
    for task, usage in usages.items():
        for metric in metric_order(usage):
            series = usage[metric]
            first = firsts.setdefault((task, metric), last - (len(series) - 1) * MINUTE_MS)
            rows.extend((first + i * MINUTE_MS, task, metric, value) for i, value in enumerate(series))
    order = {task: n for n, task in enumerate(usages)}
    return sorted(rows, key=lambda r: (r[0], order[r[1]]))


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


class _Rows:
    def __init__(self, dest: Destination):
        self.out = dest.out
        self.written: Set[Tuple[int, str, str]] = set()
        self.firsts: Dict[Tuple[str, str], int] = {}

    def fresh(self, usages: Dict[str, Usage], anchor_ms: int) -> List[Row]:
        out = [row for row in rows_of(usages, anchor_ms, self.firsts) if row[:3] not in self.written]
        self.written.update(row[:3] for row in out)
        return out


class UsageCsv(_Rows):
    """CSV with a header before the first row."""

    def __init__(self, dest: Destination):
        super().__init__(dest)
        self.header = True

    def write(self, usages: Dict[str, Usage], anchor_ms: int) -> None:
        # Task and metric names hold no comma or quote in practice; a name that does is quoted.
        lines = [",".join([iso_time(t) or "", _field(task), _field(metric), _number(v)])
                 for t, task, metric, v in self.fresh(usages, anchor_ms)]
        if self.header:
            lines.insert(0, ",".join(COLUMNS))
            self.header = False
        write_all(self.out, "".join(line + "\n" for line in lines).encode("utf-8", "replace"))


class UsageJson(_Rows):
    """JSON Lines with the CSV's keys."""

    def write(self, usages: Dict[str, Usage], anchor_ms: int) -> None:
        lines = [json.dumps({"time": iso_time(t), "task": task, "metric": metric, "value": v}, ensure_ascii=False)
                 for t, task, metric, v in self.fresh(usages, anchor_ms)]
        write_all(self.out, "".join(line + "\n" for line in lines).encode("utf-8", "replace"))


def _field(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def usage_csv(dest: Destination, **_: Any) -> UsageCsv:
    return UsageCsv(dest)


def usage_json(dest: Destination, **_: Any) -> UsageJson:
    return UsageJson(dest)
