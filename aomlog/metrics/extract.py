"""The numeric training metrics of log lines (loss, accuracy, learning rate, ...) and their step and epoch.

``aomlog metrics`` charts and exports what this module finds; the module does
no I/O. A metric is a *name*, a *separator* and a *value*, in the forms the
common frameworks print:

- ``name=value``, ``name: value`` (spaces allowed around the separator): plain
  scripts, Lightning/tqdm postfixes, Keras (``- loss: 0.41``), timm, this
  project's simulator; ``'name': value`` in a printed Python dict, as the
  Hugging Face Trainer logs (also ``tensor(0.5)`` and ``np.float64(0.5)`` values);
- ``name is value`` (MindSpore's ``loss is 0.123``) and ``name value``
  (``Loss 6.9``, fairseq's ``| loss 5.43 |``), only for names ending in "loss":
  elsewhere a number after a word is prose ("worker 62", "rank 0 nranks 8").

The x values of a line are its **step** (names ``step``, ``global_step``,
``iter``, ``iteration``) and its **epoch** (``epoch``), in any of the forms
above (``'epoch': 1.2``, ``epoch: 1``) and also ``epoch 3``, ``Epoch 3/10`` (3),
``Epoch [3/10]``, ``Step [120/440]`` (120), ``Epoch 3:`` (Lightning); a step is
an integer. They are never metrics; the first step and the first epoch of a
line count. A line that is only ``Epoch N/M`` (Keras' banner) gives its epoch
to the following lines that name none, up to the next banner: an
``Extractor`` (one per log stream) carries it from page to page.

Names are identifiers that start with a letter: ASCII letters, digits, ``_``,
and ``/`` or ``.`` between parts (``train/loss``, ``eval.loss``), with an
optional top-k suffix (``Acc@1``, ``recall@10``: top-k accuracy is a metric
people chart; mixed case is fine). A name right after a phase word and a space
keeps it, so that train and validation series do not mix: ``Train Loss``,
``Val Acc``, ``Average loss`` (``_PHASES``). Never names:

- ALL-CAPS words: environment variables (``RANK``, ``MASTER_PORT``), level
  words (``WARNING: 3 workers``, ``ERROR 1:``), ``ETA``, ``GPU``; except
  common metric abbreviations (``LR``, ``PPL``, ``BLEU``, ``AUC``, ``F1``, ...:
  ``_CAPS_METRICS``);
- ids and counters of processes and machines (``pid``, ``rank``,
  ``local_rank``, ``world_size``, ``port``, ``seed``, ``id``, ``*_id``,
  ``jobId``, ``v_num``, ``version``, ``*_version``, ``code``, ...), exception
  names (``ValueError: 3``), a phase word alone (timm's ``Train: 0 [...]``),
  settings (``epochs``, ``max_steps``, ``batch_size``): ``_REFUSED_NAMES``;
- a name right after a lower-case word and a space, which makes it part of a
  phrase: ``Num Epochs = 3``, ``Total params: 330``, ``best val_acc=0.76``,
  ``return code: 1``. After an upper-case word it is fine: ``INFO loss: 0.5``;
- the arguments of a call or repr: ``SGD(momentum=0.9)``, ``Namespace(lr=0.1, seed=1)``;
- keys in double quotes (JSON service logs: ``"ts": 1700000000``), and
  anything not at the start of a line (or of its last drawing, below) or
  right after a space, tab or one of ``{ , ; : [ ( |`` (``:`` for Python
  logging's ``INFO:root:loss=0.5``): nothing inside a path, URL or option
  counts (``/runs/lr=0.1/``, ``--lr=0.1``, ``ckpt_epoch_38.pth``).

Values: an integer, decimal or scientific number with an optional sign, or
``nan``/``inf``/``-inf`` (a diverging loss matters), with an optional trailing
``%`` (the value is the number as printed, without it). A value ends at a
boundary, or it is no value: it is not followed by a letter, digit, ``_``,
``.digit``, ``,digit``, ``-digit``, ``:``, ``/``, ``(`` or ``°``, so that
``1.2.3``, ``12:30:01``, ``2026-11-27``, ``0,1,2``, ``0.5s``, ``20ms/step``,
``19.8it/s``, ``3.2GB``, ``100/100``, ``1000(ma-user)``, ``0x55d`` are not
values (an x value may go on with ``/total``, ``]`` or Lightning's ``:``). A
metric's value is also not followed by a space and a word that is neither the
next name (maybe after a phase word) nor an x key with its number (``1234.5 ms``, ``3.2 GB``, ``3
workers``, ``0 TPU cores``, ``nan detected``): that number counts something,
or the line is prose.

A line redrawn with ``\\r`` counts once, by what a terminal shows of it
(``aomlog.output.safetext.final_state``): its last non-empty ``\\r``-segment.

Speed (bench/metrics_extract.py): ``aomlog metrics`` must stay within 1.5
times ``aomlog tail``, which leaves well under ~2.9 us a line here. A regular
expression that knows these rules costs ~100 ns a match and ~5 ns a character
on this machine, 4-6 us for a typical metric line even over a whole page at
once: too much. But a training log prints the same few line shapes over and
over, and what the rules find in a line does not depend on which digits it
holds (but in a name, like ``AP50``: such a line is parsed every time). So a
page's lines are turned into *skeletons* in C (encoded, every digit made
``0``, split: ~0.25 us a line), and a line's *plan* (where its values, step
and epoch are, and under which names) is looked up by its skeleton; only a
line of a new shape is parsed by the rules (~10-15 us). Python then only
slices the values out of the line: of the ~1.7 us a simulator line costs,
more than half is making its Sample objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple


@dataclass(frozen=True)
class Sample:
    """One metric value found in a line."""

    line: int  # index of the line in the page (0-based)
    step: Optional[int]  # the line's step, if it has one
    epoch: Optional[float]  # the line's epoch (or the last Keras banner's), if any
    name: str  # the metric's name as printed, e.g. "loss", "val_acc", "train/loss"
    value: float
    text: str  # the value exactly as printed, without a trailing "%"


# -- the rules, for one line ---------------------------------------------------

# Python's re has possessive quantifiers and atomic groups only from 3.11. Their meaning
# stays: a name and a value are matched atomically by "(?=(?P<g>...))(?P=g)" (a lookahead
# never gives back, and the engine does not retry shorter names and numbers: as fast as
# possessive); elsewhere a guard takes their place where giving characters back could change
# what matches: "X*(?!X)" for a possessive "X*" of one class, "(?:c|(?!c))" for "c?+". The
# other quantifiers are plain: what follows them can never match a character they give back
# (tests/test_metrics_regex.py).
_NAME = r"[A-Za-z][A-Za-z0-9_]*(?:[./][A-Za-z0-9_]+)*(?:@[0-9]+)?"
_NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)"
_SPECIAL = r"[-+]?(?:nan|NaN|NAN|Infinity|infinity|inf|Inf|INF)"
_TOKEN = re.compile(r"""
    [ \t{,;:\[(|]                                  # what may come before a name (a set first: fast)
    (?P<quote>'?)(?=(?P<name>%(name)s))(?P=name)(?P=quote)
    (?:[ \t]*(?P<eq>[=:])[ \t]*|[ \t]+(?:is[ \t]+)?)  # else a space or "is": x values and losses only
    (?P<bracket>\[[ \t]*)?                        # Epoch [3/10]: x values only
    (?:tensor\(|(?:np|numpy)\.float(?:16|32|64)\()?
    (?=(?P<value>%(number)s|%(special)s))(?P=value)(?:%%|(?!%%))  # a percent sign after it: taken
    (?P<tail>(?:/[0-9]+(?:\]|(?!\])))?(?::(?![0-9]))?)  # /total, Lightning's "Epoch 3:": x values only
    (?![\w(/:°]|[.,\-][0-9]|(?<=%%)\|)            # the value ends at a boundary (a tqdm bar is none)
    # A word after the value that is neither the next name (maybe after a phase
    # word) nor an x key with its number: a unit or a counted noun (metrics only).
    (?=(?P<after>[ \t]+[A-Za-z][\w./@]*(?![\w./@])(?![ \t]*[=:']|[ \t]+[-+.\[]?[0-9]|[ \t]+[A-Za-z]\w*[ \t]*[=:]))?)
""" % {"name": _NAME, "number": _NUMBER, "special": _SPECIAL}, re.VERBOSE)
_BEFORE_NAME = " \t{,;:[(|"
_PAREN = {"(": 1, ")": -1}
_BANNER = re.compile(r"[ \t]*Epoch[ \t]+[0-9]+/[0-9]+[ \t]*")

# Kinds of names.
_REFUSED, _METRIC, _LOSS, _STEP, _EPOCH = range(5)
_X_NAMES = {"epoch": _EPOCH, "step": _STEP, "global_step": _STEP, "iter": _STEP, "iteration": _STEP}
_PHASES = frozenset(("train", "training", "val", "valid", "validation", "test", "testing", "eval",
                     "evaluation", "dev", "avg", "average", "mean"))
# ALL-CAPS names that are metrics (compared without a top-k suffix "@k").
_CAPS_METRICS = frozenset((
    "LR", "PPL", "BLEU", "ROUGE", "METEOR", "AUC", "F1", "MAE", "MSE", "RMSE", "MAPE", "WER", "CER", "AP",
    "AP50", "AP75", "AR", "MAP", "IOU", "MIOU", "PSNR", "SSIM", "FID", "EM", "ACC", "LOSS", "NDCG", "MRR",
    "EER", "KL", "TOP1", "TOP5"))
_ID_NAMES = frozenset((
    # processes, machines and their ids
    "pid", "ppid", "tid", "uid", "gid", "rank", "local_rank", "global_rank", "node_rank", "group_rank",
    "world_size", "local_world_size", "nnodes", "nproc", "nproc_per_node", "nranks", "port", "master_port",
    "seed", "random_seed", "id", "v_num", "version", "code", "exit_code", "exitcode", "returncode",
    "return_code", "status", "errno", "line", "lineno", "ts", "timestamp", "date", "device", "gpu", "gpus",
    "cuda", "worker", "workers", "num_workers", "thread", "threads", "host", "addr", "ip", "index", "using",
    # level words in any case
    "info", "warning", "warn", "error", "debug", "critical", "fatal", "notice", "trace"))
_REFUSED_NAMES = _ID_NAMES | _PHASES | frozenset((
    # settings, not measurements
    "epochs", "steps", "max_epochs", "max_steps", "num_epochs", "num_train_epochs", "n_epochs",
    "total_epochs", "total_steps", "warmup_steps", "logging_steps", "save_steps", "eval_steps",
    "batch_size", "epoch_size", "step_size",
    # counts of things and waits: Keras' "Non-trainable params: 0", MindSpore's "countdown: 3"
    "params", "parameters", "countdown"))
# "n_gpu: 1", "num_workers=4": how many of something there are, not a measurement.
_REFUSED_PREFIXES = ("n_", "num_")
# A source file and line, as loggers print where they were called from: "[trainer.py:2048]".
_SOURCE_FILES = frozenset(("py", "pyx", "c", "cc", "cpp", "cxx", "h", "hpp", "cu", "java", "scala", "kt", "go",
                           "rs", "js", "ts", "rb", "sh", "so", "log"))
_REFUSED_SUFFIXES = ("_id", "version", "_pid", "_rank", "_port", "_seed", "_ts", "_timestamp")
_EXCEPTION_SUFFIXES = ("Error", "Exception", "Warning", "Interrupt", "Exit")
_TOP_K = re.compile(r"@[0-9]+\Z")
_PARTS = re.compile(r"[./]")


def _kind(name: str) -> int:
    """The kind of a name, by the rules of the module docstring."""
    last = _PARTS.split(name)[-1].lower()  # "train/epoch" -> "epoch"
    if last in _X_NAMES:
        return _X_NAMES[last]
    bare = _TOP_K.sub("", name)
    if not any(c.islower() for c in bare) and bare not in _CAPS_METRICS:
        return _REFUSED
    if name.endswith(_EXCEPTION_SUFFIXES) or (name.endswith(("Id", "ID")) and len(name) > 2):
        return _REFUSED
    low = name.lower()
    if low in _REFUSED_NAMES or last in _ID_NAMES or low.endswith(_REFUSED_SUFFIXES):
        return _REFUSED  # "loss/train" is a metric, "sys/rank" is not
    if low.startswith(_REFUSED_PREFIXES) or ("." in name and last in _SOURCE_FILES):
        return _REFUSED
    if any(part.isdigit() for part in _PARTS.split(name)):
        return _REFUSED  # a module's path, "model.layers.0.attn.weight: 4096": a size
    return _LOSS if last.endswith("loss") else _METRIC


_kinds: Dict[str, int] = {}  # name -> kind, plus _DIGITS for a name with digits
_DIGITS = 8


def _remember_kind(name: str) -> int:
    kind = _kind(name)
    if any(c.isdigit() for c in name):
        kind += _DIGITS
    if len(_kinds) >= 10000:  # a log of ever new names does not grow this without bound
        _kinds.clear()
    _kinds[name] = kind
    return kind


# What the rules find in a line: the (start, end, name) of each metric value,
# the (start, end) of its step and of its epoch, if any, and whether it is a
# Keras banner; and whether that holds for every line of the same skeleton.
_Found = Tuple[List[Tuple[int, int, str]], Optional[Tuple[int, int]], Optional[Tuple[int, int]], bool, bool]


def _final_segment(line: str) -> Tuple[int, int]:
    """Where the last non-empty ``\\r``-segment of ``line`` is (``safetext.final_state``)."""
    end = len(line)
    while True:
        start = line.rfind("\r", 0, end) + 1
        if start < end or start == 0:
            return start, end
        end = start - 1


def _call_spans(line: str, start: int, end: int) -> List[Tuple[int, int]]:
    """The spans of ``line[start:end]`` inside the parentheses of a call or repr (``SGD(...)``)."""
    spans = []
    at = line.find("(", start, end)
    while at >= 0:
        before = line[at - 1] if at > start else " "
        if before.isalnum() or before in "_.":
            depth, i = 1, at + 1
            while i < end and depth:
                depth += _PAREN.get(line[i], 0)
                i += 1
            spans.append((at + 1, i))
        at = line.find("(", at + 1, end)
    return spans


def _word_before(line: str, start: int, at: int) -> str:
    """The word (letters) that ends right before ``line[at - 1] == " "``, if it is a whole word."""
    i = at - 1
    while i > start and line[i - 1].isascii() and line[i - 1].isalpha():
        i -= 1
    if i == at - 1 or (i > start and line[i - 1] not in _BEFORE_NAME):
        return ""
    return line[i:at - 1]


def _find(line: str) -> _Found:
    """Apply the rules to one line."""
    start, end = _final_segment(line) if "\r" in line else (0, len(line))
    calls = _call_spans(line, start, end) if "(" in line else []
    metrics: List[Tuple[int, int, str]] = []
    step = epoch = None
    same_for_skeleton = True
    shift = start - 1  # the text scanned has a space before the segment, so that a name may start it
    for m in _TOKEN.finditer(" " + line[start:end]):
        _, name, eq, bracket, value, tail, after = m.groups()
        kind = _kinds.get(name)
        if kind is None:
            kind = _remember_kind(name)
        if kind >= _DIGITS:
            same_for_skeleton = False  # its kind may depend on its digits ("AP50", "AP51")
            kind -= _DIGITS
        if kind == _REFUSED:
            continue
        at = m.start() + 1 + shift  # where the name (or its quote) starts in the line
        if calls and any(a <= at < b for a, b in calls):
            continue
        a, b = m.span(5)
        if kind == _STEP:
            if step is None and value.isdigit():
                step = (a + shift, b + shift)
        elif kind == _EPOCH:
            if epoch is None and value[-1].isdigit() and value[0] not in "+-":
                epoch = (a + shift, b + shift)
        elif not (bracket or tail or after) and (eq or kind == _LOSS) and not _clock_time(name, value):
            word = _word_before(line, start, at) if at > start and line[at - 1] == " " else ""
            if word:
                if word.lower() in _PHASES:
                    name = word + " " + name
                elif word[-1].islower():
                    continue  # part of a phrase
            metrics.append((a + shift, b + shift, name))
    banner = epoch is not None and not metrics and _BANNER.fullmatch(line, start, end) is not None
    return metrics, step, epoch, banner, same_for_skeleton


def _clock_time(name: str, value: str) -> bool:
    """``'time': 1700000000.1``, ``created_at: 1700000000``: seconds since 1970, no measurement.
    (A duration, ``train_runtime: 1234.5``, has far fewer digits; the skeleton keeps their count.)"""
    low = name.lower()
    return ("time" in low or low.endswith("_at")) and len(value.lstrip("+-").split(".")[0]) >= 9


def extract_line(line: str) -> Tuple[Optional[int], Optional[float], List[Tuple[str, float, str]]]:
    """(step, epoch, [(name, value, text), ...]) of one line, without carried state (for tests and simple use)."""
    metrics, step, epoch, _, _ = _find(line)
    return (int(line[step[0]:step[1]]) if step else None,
            float(line[epoch[0]:epoch[1]]) if epoch else None,
            [(name, float(line[a:b]), line[a:b]) for a, b, name in metrics])


# -- speed: plans by skeleton ------------------------------------------------------

_SKELETON = bytes.maketrans(b"123456789", b"000000000")
# What a page needs of a line: ((value slice, name), ...), step slice, epoch
# slice, banner; or () for a line with no metric that is no banner (most).
_Plan = tuple
_plans: Dict[bytes, _Plan] = {}
_MAX_PLANS = 8192  # a log of ever new shapes does not grow the cache without bound (~3 MB)
_MAX_KEY = 2000  # a very long line is seldom repeated: not worth keeping


def _skeleton(line: str) -> bytes:
    return line.encode("utf-8", "surrogatepass").translate(_SKELETON)


def _plan(line: str) -> _Plan:
    """The plan of a line of a new shape, kept for the lines of its skeleton."""
    metrics, step, epoch, banner, same_for_skeleton = _find(line)
    if metrics or banner:
        plan: _Plan = (tuple((slice(a, b), name) for a, b, name in metrics),
                       slice(*step) if step else None, slice(*epoch) if epoch else None, banner)
    else:
        plan = ()
    key = _skeleton(line)  # the line's own, whatever the page's text said
    if same_for_skeleton and len(key) <= _MAX_KEY:
        if len(_plans) >= _MAX_PLANS:
            _plans.clear()
        _plans[key] = plan
    return plan


class _Filling:
    """A Sample being filled: the same layout without the frozen ``__setattr__``, so
    that plain attribute stores fill it (a frozen dataclass's ``__init__`` costs
    four times as much), before ``__class__`` assignment makes it a Sample."""


class Extractor:
    """Per log stream (one per file/task): carries the epoch of Keras-style "Epoch 3/10" banner lines
    to the lines after them that name no epoch of their own."""

    def __init__(self, epoch: Optional[float] = None) -> None:
        self.epoch = epoch  # the last banner's epoch (from an earlier run, when going on from a cursor)

    def page(self, lines: List[str], text: Optional[str] = None) -> List[Sample]:
        """The metric values of a page's ``lines``, in line order and, within a line, as printed.

        ``text`` is the same lines each ending in a newline, if at hand.
        """
        if not lines:
            return []
        if text is None:
            text = "\n".join(lines)
        # Each line's skeleton, made in C for the whole page at once.
        keys = text.encode("utf-8", "surrogatepass").translate(_SKELETON).split(b"\n")
        if text.endswith("\n"):
            keys.pop()
        if len(keys) != len(lines):  # a line holds a newline, or the text is not these lines
            keys = [_skeleton(line) for line in lines]
        samples: List[Sample] = []
        append = samples.append
        filling = _Filling
        done = Sample
        to_float = float
        to_int = int
        carried = self.epoch
        for i, plan in enumerate(list(map(_plans.get, keys))):
            if not plan:  # (): no metric in the line
                if plan is not None:
                    continue
                plan = _plan(lines[i])  # a line of a new shape
                if not plan:
                    continue
            metrics, step, epoch, banner = plan
            line = lines[i]
            if epoch is None:
                epoch = carried
            else:
                epoch = to_float(line[epoch])
                if banner:
                    carried = epoch
                    continue
            if step is not None:
                step = to_int(line[step])
            for where, name in metrics:
                t = line[where]
                sample: Any = filling()
                sample.line = i
                sample.step = step
                sample.epoch = epoch
                sample.name = name
                sample.value = to_float(t)
                sample.text = t
                sample.__class__ = done
                append(sample)
        self.epoch = carried
        return samples
