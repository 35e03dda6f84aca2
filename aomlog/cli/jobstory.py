"""What ``tail -f`` tells on stderr besides a v2 job's log: the watch of its story, made for
the engine, and the summary at the end (each task that exited non-zero, why the job ended,
where the first traceback began)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

if TYPE_CHECKING:
    from aomlog.api.story import TaskEnd
    from aomlog.engine.outcome import Outcome
    from aomlog.engine.storywatch import Ending, StoryWatch

NAMED = 3  # tasks named in a line of the summary; more are counted


def summary(outcome: "Outcome", watch: Optional["StoryWatch"], traceback: Optional[Tuple[str, Optional[str]]]
            ) -> List[str]:
    """The lines that say why a followed job that did not succeed ended (none if it did)."""
    end = outcome.end
    if watch is None or end is None or end.phase.value == "succeeded":
        return []
    ending = watch.ending()
    lines = [f"aomlog: {names} exit {code}: {message}" if message else f"aomlog: {names} exit {code}"
             for names, code, message in _grouped(ending)]
    if ending.reason:
        lines.append(f"aomlog: why it ended: {ending.reason}")
    if traceback is not None:
        task, when = traceback
        lines.append(f"aomlog: the first traceback began in {task}" + (f" at {when}" if when else ""))
    return lines


def _grouped(ending: "Ending") -> List[Tuple[str, Optional[int], str]]:
    """Tasks with the same exit code and message on one line: a 64-task job's 63 stopped ones too."""
    groups: Dict[Tuple[Optional[int], str], List["TaskEnd"]] = {}
    for end in ending.ends:
        groups.setdefault((end.exit_code, " ".join(end.message.split())), []).append(end)
    out = []
    for (code, message), ends in groups.items():
        names = [e.task for e in ends]
        shown = ", ".join(names[:NAMED]) + (f" and {len(names) - NAMED} more" if len(names) > NAMED else "")
        out.append((shown, code, message))
    return out
