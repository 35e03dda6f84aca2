"""Reading the story calls' answers (docs/api-v2-job.md): times in either form, numbers sent
as strings, fields missing. Nothing here trusts a field's type."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from aomlog.api.fields import whole
from aomlog.api.family import JobRef, JobState, JobStory
from aomlog.api.story import Event, Recovery, Stage, TaskEnd, TaskPlace, Usage


def millis(value: Any) -> Optional[int]:
    """A time as epoch ms: epoch milliseconds (a number or digits) or ISO 8601 (with or without
    a zone: without one it is taken as local time); None if it is neither."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value)
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(_for_fromisoformat(text))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # local time, as --since reads one without a zone
    return int(moment.astimezone(timezone.utc).timestamp() * 1000)


# The parts of ISO 8601 that fromisoformat takes only from Python 3.11: a fraction of other than
# 3 or 6 digits (nanoseconds, .25), Z, and an offset without its colon (+0800).
_ISO_TAIL = re.compile(r"(?:[.,](\d+))?(Z|z|[+-]\d\d:?\d\d)?$")


def _for_fromisoformat(text: str) -> str:
    """``text`` as Python 3.9's fromisoformat reads it: a 6-digit fraction, a ±HH:MM offset."""
    tail = _ISO_TAIL.search(text)
    if tail is None or "T" not in text.upper() and " " not in text:
        return text
    fraction, zone = tail.groups()
    head = text[:tail.start()]
    if fraction:
        head += "." + fraction[:6].ljust(6, "0")
    if zone:
        head += "+00:00" if zone in ("Z", "z") else zone[:3] + ":" + zone[-2:]
    return head


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def event_of(item: Dict[str, Any]) -> Event:
    raw = item.get("time")
    return Event(millis(raw), _text(raw), _text(item.get("level")), _text(item.get("source")),
                 _text(item.get("message")))


def stage_of(body: Dict[str, Any]) -> Optional[Stage]:
    """The current run's newest stage, with its newest sub-stage's message."""
    records = [r for r in body.get("running_records") or [] if isinstance(r, dict)]
    if not records:
        return None
    record = max(records, key=lambda r: whole(r.get("record_order")) or 0)
    stages = [s for s in record.get("stages") or [] if isinstance(s, dict)]
    if not stages:
        return None
    stage = max(stages, key=lambda s: whole(s.get("stage_order")) or 0)
    subs = [s for s in stage.get("sub_stages") or [] if isinstance(s, dict)]
    newest = max(subs, key=lambda s: millis(s.get("create_time")) or 0) if subs else stage
    message = _text(newest.get("en_message") or stage.get("en_message") or "")
    return Stage(_text(stage.get("name")), " ".join(message.split()), whole(record.get("record_order")) or 1)


def places_of(body: Any) -> List[TaskPlace]:
    """Each task's newest round, in the order the tasks first appear."""
    newest: Dict[str, TaskPlace] = {}
    for item in body if isinstance(body, list) else []:
        if not isinstance(item, dict) or not item.get("task"):
            continue
        place = TaskPlace(_text(item["task"]), _text(item.get("ip")), _text(item.get("host_ip")),
                          whole(item.get("schedule_count")) or 1)
        old = newest.get(place.task)
        if old is None or place.rounds >= old.rounds:
            newest[place.task] = place
    return list(newest.values())


def _seconds_ms(value: Any) -> Optional[int]:
    seconds = whole(value)
    return None if seconds is None else seconds * 1000


def recoveries_of(records: List[Dict[str, Any]]) -> List[Recovery]:
    out = []
    for record in records:
        for item in record.get("recover_records") or []:
            if isinstance(item, dict):
                out.append(Recovery(_seconds_ms(item.get("recover_start_at")), _seconds_ms(item.get("recover_end_at")),
                                    _text(item.get("related_task")), _text(item.get("fault_scenario")),
                                    _text(item.get("recover")), _text(item.get("reason")),
                                    _text(item.get("recover_result"))))
    return out


def story_of(ref: JobRef, detail: Dict[str, Any], state: JobState) -> JobStory:
    """The story in a job's detail; ``state``: the detail's state, as the family reads it."""
    metadata = detail.get("metadata") if isinstance(detail.get("metadata"), dict) else {}
    status = detail.get("status") if isinstance(detail.get("status"), dict) else {}
    assert isinstance(metadata, dict) and isinstance(status, dict)
    ends = [TaskEnd(_text(t.get("task")), whole(t.get("exit_code")), _text(t.get("message")))
            for t in status.get("task_statuses") or [] if isinstance(t, dict)]
    records = [r for r in status.get("running_records") or [] if isinstance(r, dict)]
    return JobStory(ref, _text(metadata.get("name")), state, whole(metadata.get("create_time")),
                    list(state.streams or []), ends, len(records), recoveries_of(records),
                    whole(status.get("start_time")) or None)


def usage_of(body: Dict[str, Any]) -> Usage:
    """metric -> values; a metric without values (the hardware lacks it) is left out."""
    out: Usage = {}
    for item in body.get("metrics") or []:
        if not isinstance(item, dict) or not item.get("metric"):
            continue
        values = []
        for value in item.get("value") or []:
            try:
                values.append(float(value))
            except (TypeError, ValueError):
                continue
        if values:
            out[_text(item["metric"])] = values
    return out
