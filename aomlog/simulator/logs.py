"""Deterministic, realistic-looking training-log text.

Line ``i`` of a file is a pure function of (seed, file name, i, the line's
timestamp in ms, the file's total length if known): no per-line state is kept,
so a million-line log costs no memory and any page can be generated in O(page).

The content is deliberately hostile to naive clients: ``\\r`` redraws (some
lines even end in ``\\r``), tabs, ANSI escapes, literal ``[bold]`` and
``:smile:`` text, Chinese, emoji, U+2028, a form feed, blank lines and
multi-line tracebacks. Never a ``\\n`` inside a line.

A log has a *style*, the framework whose output it imitates
(``LogText(..., style="keras")``, chosen per job by ``Job(..., style=...)``):

- ``"pytorch"`` (the default): a plain script, ``[train] epoch 38 step 120/440
  loss=0.1234 acc=0.5678 lr=...``, ``[eval] epoch 38 val_loss=... val_acc=...``
  and tqdm bars;
- ``"huggingface"``: the Trainer's ``***** Running training *****`` header,
  one tqdm bar over all steps, a dict ``{'loss': ..., 'grad_norm': ...,
  'learning_rate': ..., 'epoch': 1.2}`` every 50 steps and
  ``{'eval_loss': ..., 'eval_accuracy': ..., 'epoch': 2.0}`` after each epoch;
- ``"keras"``: ``Epoch 3/100`` banners, progress lines ``120/469 [====>...] -
  ETA: 9s - loss: 0.4456 - accuracy: 0.8611`` (some redrawn with ``\\b`` and
  ``\\r``) and the epoch's last line with ``val_loss``, ``val_accuracy``, ``lr``;
- ``"mindspore"``: ``epoch: 3 step: 150, loss is 0.41234567`` (LossMonitor),
  ``epoch time: ... ms, per step time: ... ms`` (TimeMonitor) and
  ``Eval result: epoch 3, acc: 0.8811, eval_loss: 0.3012`` after each epoch.

Every style has its start-up header, its footer, warnings, odd lines and the
occasional traceback at about the same rates. Its curves are functions of the
epoch (losses fall with noise, accuracies rise to a plateau, the learning rate
follows a schedule), so a growing job's log stays one consistent run.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Dict, List, Optional, Tuple, Type

MASK64 = (1 << 64) - 1

# A training "epoch" is this many log lines after the start-up header.
EPOCH_LINES = 48
STEPS_PER_EPOCH = 440


def mix64(x: int) -> int:
    """splitmix64 finaliser: a cheap, well-spread integer hash."""
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def stable_key(*parts: object) -> int:
    """A 64-bit key from strings/ints that is stable across runs (unlike hash())."""
    data = "\x00".join(str(p) for p in parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


# Cache slots, each replaced atomically (thread-safe without a lock):
# consecutive lines mostly share a second, often a millisecond.
_sec_slot = (-1, "")
_ms_slot = (-1, "")


def format_ms(ms: int) -> str:
    """'2026-11-27 07:32:39,254' (UTC, so output does not depend on the host's zone)."""
    global _sec_slot, _ms_slot
    slot = _ms_slot
    if slot[0] == ms:
        return slot[1]
    sec, milli = divmod(ms, 1000)
    sec_slot = _sec_slot
    if sec_slot[0] != sec:
        sec_slot = (sec, time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(sec)))
        _sec_slot = sec_slot
    text = "%s,%03d" % (sec_slot[1], milli)
    _ms_slot = (ms, text)
    return text


def quick_hash(key: int, j: int) -> int:
    """Cheaper than mix64, good enough to pick a line's kind and noise."""
    h = ((key ^ j) * 0x9E3779B97F4A7C15) & MASK64
    return h ^ (h >> 29)


_WARNINGS = (
    "WARNING torch.distributed: NCCL watchdog timeout approaching, collective took %ds",
    "WARNING DataLoader worker %d is slow; consider increasing num_workers",
    "WARNING Gradient overflow detected, reducing loss scale to %d",
    "WARNING 显存使用率偏高 (%d%%), 建议减小 batch_size",
    "WARNING /usr/local/lib/python3.9/site-packages/torch/optim/lr_scheduler.py:%d: UserWarning: "
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`.",
)

_ODDITIES = (
    # Each is a %-template taking (ts, value).
    "%s INFO [bold]checkpoint[/bold] saved :smile: [red]not markup[/red] (%d)",
    "%s INFO GPU 温度正常 🔥 %d°C — 一切顺利 ✅",
    "\x1b[32m%s INFO\x1b[0m \x1b[1mcolourised by the job itself\x1b[0m step=%d",
    "%s INFO metrics:\tloss_scale=%d\tgrad_norm=nan\tcomment=\u201ctabs\u201d",
    "%s DEBUG unicode zoo: \u2028line-separator \x0cform-feed \u00a0nbsp \u200dzwj 👩\u200d💻 שלום [%d]",
    "%s INFO :rocket: emoji shortcode and [link=http://x]markup[/link] stay literal #%d",
)

_TRACEBACK_ERRORS = (
    "ValueError: Expected input batch_size (32) to match target batch_size (31).",
    "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 31.75 GiB total capacity)",
    "KeyError: 'label' — 样本缺少标签",
)


class LogText:
    """The text of one log file.

    ``rank``/``world`` make workers of a distributed job differ; ``total`` (if
    known) gives the file a closing footer; ``failed`` picks a failing footer.
    ``style`` (one of ``STYLES``) picks the framework imitated: ``LogText(...,
    style="keras")`` is a ``KerasLogText``, a subclass.
    """

    style = "pytorch"

    def __new__(cls, *args, style: str = "pytorch", **kwargs):
        if cls is LogText and style != "pytorch":
            cls = style_class(style)
        return super().__new__(cls)

    def __init__(self, seed: int, file_name: str, rank: int = 0, world: int = 1,
                 total: Optional[int] = None, failed: bool = False, style: Optional[str] = None):
        if style is not None and style != self.style:
            raise ValueError("a %s cannot have style %r" % (type(self).__name__, style))
        self.key = stable_key("log", seed, file_name)
        self.file_name = file_name
        self.rank = rank
        self.world = world
        self.total = total
        self.header = self._header()
        self.footer = self._footer(failed)
        self._epoch_slot: tuple = (-1,)

    # -- fixed parts -------------------------------------------------------

    def _header(self) -> List[str]:
        k, r, w = self.key, self.rank, self.world
        pid = 100 + k % 900
        host = "job-%x-worker-%d" % (k % 0xFFFFFF, r)
        nccl = "%s:%d:%d [%d] NCCL INFO " % (host, pid, pid + 7, r % 8)
        return [
            "{ts} INFO ============================================================",
            "{ts} INFO ModelArts training job starting — 训练开始 🚀",
            "[ModelArts Service Log]user: uid=1000(ma-user) gid=100(ma-group) groups=100(ma-group)",
            "[ModelArts Service Log]pwd: /home/ma-user",
            "[ModelArts Service Log]app_url: s3://bucket-%04d/code/" % (k % 10000),
            "[ModelArts Service Log]boot_file: /home/ma-user/modelarts/user-job-dir/code/train.py",
            "[ModelArts Service Log]log_url: /tmp/log/%s" % self.file_name,
            "[ModelArts Service Log]command: python train.py --epochs 100 --lr 0.001 --batch_size 32",
            "{ts} INFO Environment:",
            "",
            "\tPYTHON_VERSION=3.9.11",
            "\tPYTORCH_VERSION=1.11.0+cu113",
            "\tCUDA_VISIBLE_DEVICES=0,1,2,3,4,5,6,7",
            "\tRANK=%d\tWORLD_SIZE=%d\tLOCAL_RANK=%d" % (r, w, r % 8),
            "\tMASTER_ADDR=192.168.0.10\tMASTER_PORT=29500",
            "\tNCCL_DEBUG=INFO",
            "   ",
            nccl + "Bootstrap : Using eth0:192.168.0.%d<0>" % (10 + r),
            nccl + "NET/Plugin : No plugin found (libnccl-net.so), using internal implementation",
            nccl + "NET/IB : Using [0]mlx5_0:1/RoCE ; OOB eth0:192.168.0.%d<0>" % (10 + r),
            nccl + "Using network IB",
            nccl + "Channel 00/02 :    0   1   2   3   4   5   6   7",
            nccl + "Connected all rings",
            nccl + "comm 0x55d%06x rank %d nranks %d cudaDev %d busId %d000 - Init COMPLETE"
            % (k % 0xFFFFFF, r, max(w, 1) * 8, r % 8, 1 + r % 8),
            "{ts} WARNING torch.distributed: the 'env://' init method is deprecated",
            "{ts} INFO Loading dataset from /cache/data/imagenet ... 1,281,167 images, 1000 classes",
            "{ts} INFO Model: ResNet-50, 25.6M parameters; optimizer SGD(momentum=0.9)",
        ]

    @staticmethod
    def _footer(failed: bool) -> List[str]:
        if failed:
            return [
                "{ts} ERROR Training aborted: loss is NaN — 训练失败 ❌",
                "[ModelArts Service Log]Training end with return code: 1",
                "[ModelArts Service Log]Training failed.",
            ]
        return [
            "{ts} INFO Training finished, best val_acc=0.7612 — 训练完成 ✅",
            "{ts} INFO Uploading outputs to obs://bucket/output/ ... done",
            "[ModelArts Service Log]Training completed.",
        ]

    # -- the line function -------------------------------------------------

    def line(self, i: int, ms: int) -> str:
        total = self.total
        if total is not None and i >= total - len(self.footer) and i >= 0:
            return self._fixed(self.footer[i - (total - len(self.footer))], ms)
        if i < len(self.header):
            return self._fixed(self.header[i], ms)
        return self._body(i - len(self.header), ms)

    @staticmethod
    def _fixed(template: str, ms: int) -> str:
        return template.replace("{ts}", format_ms(ms)) if "{ts}" in template else template

    def _epoch(self, e: int):
        """Per-epoch values, cached in one slot: a page mostly stays in one epoch."""
        slot = self._epoch_slot
        if slot[0] == e:
            return slot
        he = mix64(self.key ^ (e * 0x1000003 + 0xE90C))
        # Loss and accuracy in units of 1e-4, interpolated linearly inside the epoch.
        loss0 = int(10000 * (0.05 + 2.25 * math.exp(-0.08 * e)))
        loss1 = int(10000 * (0.05 + 2.25 * math.exp(-0.08 * (e + 1))))
        acc0 = int(10000 * (0.1 + 0.7 * (1.0 - math.exp(-0.1 * e))))
        acc1 = int(10000 * (0.1 + 0.7 * (1.0 - math.exp(-0.1 * (e + 1)))))
        lr = "%.3e" % (0.0005 * (1.0 + math.cos(math.pi * (e % 100) / 100.0)))
        slot = (e, he, he % 5 == 1, loss0, loss1 - loss0, acc0, acc1 - acc0, lr)
        self._epoch_slot = slot
        return slot

    def _body(self, j: int, ms: int) -> str:
        e, o = divmod(j, EPOCH_LINES)
        ep = e + 1
        ts = format_ms(ms)
        _, he, crashes, loss0, dloss, acc0, dacc, lr = self._epoch(e)
        if crashes and 20 <= o <= 29:
            return self._traceback(o - 20, ts, he, ep)
        h = quick_hash(self.key, j)
        loss = loss0 + dloss * o // EPOCH_LINES + (h >> 24) % 500
        acc = min(9990, acc0 + dacc * o // EPOCH_LINES + (h >> 34) % 200)
        if o == 0:
            if ep % 2:
                return "%s INFO ===== Epoch %d ===== 第 %d 轮训练开始" % (ts, ep, ep)
            return "%s INFO ===== Epoch %d =====" % (ts, ep)
        if o == EPOCH_LINES - 3:
            return "%s INFO [eval] epoch %d val_loss=%d.%04d val_acc=0.%04d" % (
                (ts, ep) + divmod(loss + loss // 10, 10000) + (acc * 97 // 100,))
        if o == EPOCH_LINES - 2:
            return "%s INFO Saving checkpoint to /cache/output/ckpt_epoch_%d.pth" % (ts, ep)
        if o == EPOCH_LINES - 1:
            return "%s INFO Epoch %d finished in %d.%02ds (%d samples/s)" % (
                ts, ep, 300 + h % 60, (h >> 8) % 100, 2000 + h % 900)
        kind = h % 100
        if kind < 8:
            return self._tqdm(ep, h)
        if kind < 13:
            t = _WARNINGS[(h >> 8) % len(_WARNINGS)]
            return "%s %s" % (ts, t % (10 + (h >> 16) % 90))
        if kind < 17:
            t = _ODDITIES[(h >> 8) % len(_ODDITIES)]
            return t % (ts, (h >> 16) % 100)
        return "%s INFO [train] epoch %d step %d/%d loss=%d.%04d acc=0.%04d lr=%s (%d.%d samples/s)" % (
            ts, ep, o * (STEPS_PER_EPOCH // EPOCH_LINES), STEPS_PER_EPOCH, loss // 10000, loss % 10000,
            acc, lr, 1800 + (h >> 20) % 400, (h >> 44) % 10)

    @staticmethod
    def _tqdm(ep: int, h: int) -> str:
        redraws = 2 + h % 3
        start = (h >> 4) % 7
        parts = []
        for r in range(redraws):
            n = min(100, (start + r) * 10)
            parts.append("Epoch %d: %3d%%|%s| %d/100 [00:%02d<00:%02d, %.2fit/s]" % (
                ep, n, ("█" * (n // 10)).ljust(10), n, n // 10, (100 - n) // 10,
                9.0 + ((h >> 12) % 100) / 100.0))
        text = "\r".join(parts)
        # tqdm's last redraw is sometimes left without a newline of its own, so the
        # line ends in "\r": a client that treats "\r\n" as one newline loses it.
        return text + "\r" if (h >> 40) % 4 == 0 else text

    @staticmethod
    def _traceback(k: int, ts: str, he: int, ep: int) -> str:
        if k == 0:
            return "%s ERROR Exception in training step (epoch %d), skipping batch:" % (ts, ep)
        lines = (
            "Traceback (most recent call last):",
            '  File "/home/ma-user/modelarts/user-job-dir/code/train.py", line 212, in <module>',
            "    main()",
            '  File "/home/ma-user/modelarts/user-job-dir/code/train.py", line 187, in main',
            "    loss = criterion(outputs, targets)",
            '  File "/usr/local/lib/python3.9/site-packages/torch/nn/modules/module.py", line 1130, in _call_impl',
            "    return forward_call(*input, **kwargs)",
            _TRACEBACK_ERRORS[(he >> 8) % len(_TRACEBACK_ERRORS)],
        )
        if k <= len(lines):
            return lines[k - 1]
        return "%s WARNING Recovered from error, resuming training" % ts


# -- other frameworks' logs ------------------------------------------------------------
#
# Each style is a subclass: its header and footer (templates with "{ts}" and
# "{ts2}", the framework's own timestamp form), its per-epoch values (one cached
# slot, as above) and its body, a pure function of the line's index in the body.

def _tqdm_bar(eighths: int) -> str:
    """tqdm's 10-cell bar, ``eighths`` of 80 filled (its non-terminal width)."""
    full, part = divmod(eighths, 8)
    if full >= 10:
        return "█" * 10
    return "█" * full + " ▏▎▍▌▋▊▉"[part] + " " * (9 - full)


_TQDM_BARS = tuple(_tqdm_bar(k) for k in range(81))


def _keras_number(v: float) -> str:
    """How Keras' progress bar prints a metric."""
    return "%.4f" % v if abs(v) > 1e-3 else "%.4e" % v


def _fill(templates: Tuple[str, ...], h: int, values: Dict[str, object]) -> str:
    """A warning or odd line from named-%-templates (``%(ts)s``, ``%(n)d``, ...)."""
    values["n"] = 10 + (h >> 16) % 90
    return templates[(h >> 8) % len(templates)] % values


# The shared odd lines, as named templates (the terminal-safety stress of every style).
_ODD_NAMED = tuple(t.replace("%s", "%(ts)s", 1).replace("%d", "%(n)d", 1) for t in _ODDITIES)


class _StyledLogText(LogText):
    """What the non-PyTorch styles share: the ModelArts preamble, headers with a
    second timestamp form, noise at the PyTorch style's rates and tracebacks."""

    EPOCH_LINES = 48
    # A traceback takes lines CRASH_AT..CRASH_AT+9 of the epochs whose hash he has
    # he % CRASH[1] < CRASH[0]: about one per 240 lines, as in the PyTorch style.
    CRASH_AT = 20
    CRASH = (1, 5)
    BOOT_FILE = "train.py"
    COMMAND = "python train.py"
    WARNINGS: Tuple[str, ...] = ()
    TRACEBACK: Tuple[str, ...] = ()
    ERRORS: Tuple[str, ...] = ()

    def _preamble(self, env: List[str]) -> List[str]:
        k = self.key
        return [
            "{ts} INFO ============================================================",
            "{ts} INFO ModelArts training job starting — 训练开始 🚀",
            "[ModelArts Service Log]user: uid=1000(ma-user) gid=100(ma-group) groups=100(ma-group)",
            "[ModelArts Service Log]pwd: /home/ma-user",
            "[ModelArts Service Log]app_url: s3://bucket-%04d/code/" % (k % 10000),
            "[ModelArts Service Log]boot_file: /home/ma-user/modelarts/user-job-dir/code/%s" % self.BOOT_FILE,
            "[ModelArts Service Log]log_url: /tmp/log/%s" % self.file_name,
            "[ModelArts Service Log]command: %s" % self.COMMAND,
            "{ts} INFO Environment:",
            "",
        ] + ["\t" + e for e in env] + ["   "]

    def _fixed(self, template: str, ms: int) -> str:  # type: ignore[override]
        if "{ts" not in template:
            return template
        ts = format_ms(ms)
        return template.replace("{ts}", ts).replace("{ts2}", self._ts2(ts, ms))

    def _ts2(self, ts: str, ms: int) -> str:
        return ts

    @staticmethod
    def _footer(failed: bool) -> List[str]:
        if failed:
            return [
                "{ts} ERROR Training aborted: loss is NaN — 训练失败 ❌",
                "[ModelArts Service Log]Training end with return code: 1",
                "[ModelArts Service Log]Training failed.",
            ]
        return [
            "{ts} INFO Training finished — 训练完成 ✅",
            "{ts} INFO Uploading outputs to obs://bucket/output/ ... done",
            "[ModelArts Service Log]Training completed.",
        ]

    def _noise(self, kind: int, h: int, ts: str, ms: int) -> Optional[str]:
        """A warning (kind 0-4) or an odd line (kind 5-8); None for kinds 9 and up."""
        if kind < 5:
            return _fill(self.WARNINGS, h, {"ts": ts, "ts2": self._ts2(ts, ms), "big": 188160000 + h % 99999})
        if kind < 9:
            return _fill(_ODD_NAMED, h, {"ts": ts})
        return None

    def _traceback_line(self, k: int, ts: str, he: int, ep: int) -> str:
        if k == 0:
            return "%s ERROR Exception in training step (epoch %d), skipping batch:" % (ts, ep)
        lines = self.TRACEBACK
        if k <= len(lines):
            return lines[k - 1]
        if k == len(lines) + 1:
            return self.ERRORS[(he >> 8) % len(self.ERRORS)]
        return "%s WARNING Recovered from error, resuming training" % ts


# -- Hugging Face Trainer ---------------------------------------------------------------

HF_EPOCH_LINES = 100
HF_STEPS_PER_EPOCH = 500
HF_LOGGING_STEPS = 50
HF_EPOCHS = 30
HF_TOTAL_STEPS = HF_EPOCHS * HF_STEPS_PER_EPOCH
HF_EVAL_EXAMPLES = 2000
HF_EVAL_BATCHES = 63
HF_LR = 5e-05
# tqdm's bar line, by whether the elapsed and the remaining time run to hours.
_HF_BAR_FORMATS = tuple(tuple("%%3d%%%%|%%s| %%d/%d [%s<%s, %%s]" % (HF_TOTAL_STEPS, a, b)
                              for b in ("%02d:%02d", "%d:%02d:%02d")) for a in ("%02d:%02d", "%d:%02d:%02d"))


class HuggingFaceLogText(_StyledLogText):
    """A Hugging Face Trainer fine-tuning BERT (run_glue.py): 100 lines an epoch of
    500 steps, a loss dict every 50 steps, evaluation and a checkpoint each epoch;
    linear learning-rate decay over 30 epochs (then again: a long log restarts the schedule)."""

    style = "huggingface"
    EPOCH_LINES = HF_EPOCH_LINES
    CRASH_AT = 40
    CRASH = (5, 12)
    BOOT_FILE = "run_glue.py"
    COMMAND = ("python run_glue.py --model_name_or_path /cache/model/bert-base-chinese --task_name sst2 "
               "--do_train --do_eval --num_train_epochs %d --learning_rate 5e-5 --per_device_train_batch_size 32 "
               "--logging_steps %d --evaluation_strategy epoch --save_strategy epoch --fp16 --output_dir /cache/output"
               % (HF_EPOCHS, HF_LOGGING_STEPS))
    WARNINGS = (
        "[WARNING|logging.py:329] %(ts)s >> `use_cache=True` is incompatible with gradient checkpointing. "
        "Setting `use_cache=False`...",
        "%(ts)s WARNING torch.distributed: NCCL watchdog timeout approaching, collective took %(n)ds",
        "%(ts)s WARNING 显存使用率偏高 (%(n)d%%), 建议减小 per_device_train_batch_size",
        "/usr/local/lib/python3.10/site-packages/torch/utils/checkpoint.py:4%(n)d: UserWarning: "
        "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly.",
        "%(ts2)s - WARNING - datasets.arrow_dataset - Loading cached processed dataset at "
        "/cache/data/sst2/cache-%(n)d4f2a.arrow",
    )
    TRACEBACK = (
        "Traceback (most recent call last):",
        '  File "/home/ma-user/modelarts/user-job-dir/code/run_glue.py", line 651, in main',
        "    train_result = trainer.train(resume_from_checkpoint=checkpoint)",
        '  File "/usr/local/lib/python3.10/site-packages/transformers/trainer.py", line 2279, in _inner_training_loop',
        "    tr_loss_step = self.training_step(model, inputs)",
        '  File "/usr/local/lib/python3.10/site-packages/torch/nn/modules/module.py", line 1518, in _call_impl',
        "    return forward_call(*args, **kwargs)",
    )
    ERRORS = (
        "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 384.00 MiB "
        "(GPU 0; 31.75 GiB total capacity)",
        "ValueError: Expected input batch_size (32) to match target batch_size (31).",
        "KeyError: 'label' — 样本缺少标签",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rate = 2.2 + ((self.key >> 8) % 60) / 100.0  # the job's steps per second
        # (seconds a step, the rates tqdm shows: a little jitter)
        self._rate = (1.0 / rate, tuple("%5.2fit/s" % (rate + k / 100.0) for k in range(9)))

    def _ts2(self, ts: str, ms: int) -> str:
        """The script's own logging.basicConfig date: ``11/27/2026 07:32:39``."""
        return "%s/%s/%s%s" % (ts[5:7], ts[8:10], ts[:4], ts[10:19])

    def _header(self) -> List[str]:
        k, r, w = self.key, self.rank, max(self.world, 1)
        trainer = "[INFO|trainer.py:%d] {ts} >> "
        return self._preamble([
            "PYTHON_VERSION=3.10.12",
            "TORCH_VERSION=2.1.0+cu121",
            "TRANSFORMERS_VERSION=4.40.2",
            "CUDA_VISIBLE_DEVICES=0,1,2,3,4,5,6,7",
            "RANK=%d\tWORLD_SIZE=%d\tLOCAL_RANK=%d" % (r, w, r % 8),
        ]) + [
            "{ts2} - WARNING - __main__ - Process rank: %d, device: cuda:%d, n_gpu: 1, distributed training: %s, "
            "16-bits training: True" % (r, r % 8, w > 1),
            "[INFO|configuration_utils.py:726] {ts} >> loading configuration file "
            "/cache/model/bert-base-chinese/config.json",
            "[INFO|modeling_utils.py:3280] {ts} >> loading weights file "
            "/cache/model/bert-base-chinese/model.safetensors",
            "[WARNING|modeling_utils.py:4170] {ts} >> Some weights of BertForSequenceClassification were not "
            "initialized from the model checkpoint at /cache/model/bert-base-chinese and are newly initialized: "
            "['classifier.bias', 'classifier.weight']",
            "You should probably TRAIN this model on a down-stream task to be able to use it for predictions "
            "and inference.",
            "Running tokenizer on dataset: 100%%|██████████| %d/%d [00:0%d<00:00, %d.%02d examples/s]" % (
                16000 * w, 16000 * w, 2 + k % 7, 4000 + k % 999, k % 100),
            trainer % 2048 + "***** Running training *****",
            trainer % 2049 + "  Num examples = {:,}".format(HF_STEPS_PER_EPOCH * 32 * w),
            trainer % 2050 + "  Num Epochs = %d" % HF_EPOCHS,
            trainer % 2051 + "  Instantaneous batch size per device = 32",
            trainer % 2054 + "  Total train batch size (w. parallel, distributed & accumulation) = %d" % (32 * w),
            trainer % 2055 + "  Gradient Accumulation steps = 1",
            trainer % 2056 + "  Total optimization steps = {:,}".format(HF_TOTAL_STEPS),
            trainer % 2057 + "  Number of trainable parameters = 102,269,186",
        ]

    @staticmethod
    def _footer(failed: bool) -> List[str]:
        if failed:
            return [
                "{ts2} - ERROR - __main__ - Training aborted: loss is NaN — 训练失败 ❌",
                "[ModelArts Service Log]Training end with return code: 1",
                "[ModelArts Service Log]Training failed.",
            ]
        return [
            "[INFO|trainer.py:2383] {ts} >> Training completed. Do not forget to share your model on "
            "huggingface.co/models =)",
            "[INFO|trainer.py:3410] {ts} >> Saving model checkpoint to /cache/output — 训练完成 ✅",
            "[ModelArts Service Log]Training completed.",
        ]

    def _epoch(self, e: int):
        slot = self._epoch_slot
        if slot[0] == e:
            return slot
        he = mix64(self.key ^ (e * 0x1000003 + 0x4F6E))
        # Training loss (1e-4 units) at the epoch's start and its change over it.
        loss0 = int(10000 * (0.03 + 0.66 * math.exp(-0.15 * e)))
        loss1 = int(10000 * (0.03 + 0.66 * math.exp(-0.15 * (e + 1))))
        # Evaluation: the loss falls, then creeps up (over-fitting); accuracy plateaus.
        x = e + 1
        eval_loss = 0.21 + 0.48 * math.exp(-0.3 * x) + 0.0025 * x + (he % 1000003) * 2e-8
        correct = int(HF_EVAL_EXAMPLES * (0.925 - 0.42 * math.exp(-0.4 * x))) + (he >> 20) % 9 - 4
        runtime = 11.5 + ((he >> 32) % 20000) / 10000.0
        slot = (e, he, he % self.CRASH[1] < self.CRASH[0], loss0, loss1 - loss0, repr(eval_loss),
                repr(correct / HF_EVAL_EXAMPLES), repr(round(runtime, 4)), repr(round(HF_EVAL_EXAMPLES / runtime, 3)),
                repr(round(HF_EVAL_BATCHES / runtime, 3)))
        self._epoch_slot = slot
        return slot

    def _body(self, j: int, ms: int) -> str:
        e, o = divmod(j, HF_EPOCH_LINES)
        _, he, crashes, loss0, dloss, eval_loss, eval_acc, runtime, eval_sps, eval_bps = self._epoch(e)
        if crashes and self.CRASH_AT <= o < self.CRASH_AT + 10:
            return self._traceback_line(o - self.CRASH_AT, format_ms(ms), he, e + 1)
        h = quick_hash(self.key, j)
        if o % 10 == 9 and o < 90 or o == 94:
            sp = HF_STEPS_PER_EPOCH if o == 94 else (o + 1) * 5
            step = e * HF_STEPS_PER_EPOCH + sp
            loss = (loss0 + dloss * sp // HF_STEPS_PER_EPOCH) * (880 + (h >> 24) % 241) // 1000
            grad_norm = (0.9 + 5.0 * math.exp(-0.1 * e - 0.0002 * sp)) * (0.6 + ((h >> 34) % 100000) / 125000.0)
            lr = HF_LR * (HF_TOTAL_STEPS - step % HF_TOTAL_STEPS) / HF_TOTAL_STEPS
            return "{'loss': %s, 'grad_norm': %r, 'learning_rate': %r, 'epoch': %d.%d}" % (
                repr(loss / 10000), grad_norm, lr, e + sp // HF_STEPS_PER_EPOCH, sp * 10 // HF_STEPS_PER_EPOCH % 10)
        if o >= 95:
            trainer = "[INFO|trainer.py:%d] %s >> "
            ts = format_ms(ms)
            if o == 95:
                return trainer % (3719, ts) + "***** Running Evaluation *****"
            if o == 96:
                return trainer % (3721, ts) + "  Num examples = %d" % HF_EVAL_EXAMPLES
            if o == 97:
                return trainer % (3724, ts) + "  Batch size = 32"
            if o == 98:
                return "100%%|██████████| %d/%d [00:%02d<00:00, %5.2fit/s]" % (
                    HF_EVAL_BATCHES, HF_EVAL_BATCHES, int(float(runtime)), float(eval_bps))
            return ("{'eval_loss': %s, 'eval_accuracy': %s, 'eval_runtime': %s, 'eval_samples_per_second': %s, "
                    "'eval_steps_per_second': %s, 'epoch': %d.0}" % (
                        eval_loss, eval_acc, runtime, eval_sps, eval_bps, e + 1))
        if o < 2 and e:
            ckpt = "/cache/output/checkpoint-%d" % (e * HF_STEPS_PER_EPOCH)
            if o == 0:
                return "[INFO|trainer.py:3410] %s >> Saving model checkpoint to %s" % (format_ms(ms), ckpt)
            return "[INFO|configuration_utils.py:472] %s >> Configuration saved in %s/config.json" % (
                format_ms(ms), ckpt)
        kind = h % 100
        if kind < 9:
            return self._noise(kind, h, format_ms(ms), ms)  # type: ignore[return-value]
        # The progress bar over all steps, sometimes redrawn on one line with "\r".
        step = e * HF_STEPS_PER_EPOCH + o * 5 + 1 + (h >> 4) % 4  # below the epoch's end: o < 94
        rate = self._rate
        text = self._bar(step, rate, h)
        if (h >> 40) % 8 == 0:
            text = "\r".join([text] + [self._bar(step + r, rate, h) for r in range(1, 2 + (h >> 42) % 2)])
        return text + "\r" if (h >> 44) % 32 == 0 else text

    @staticmethod
    def _bar(n: int, rate: tuple, h: int) -> str:
        """tqdm's bar at step ``n`` (the first run's count restarts a long log's schedule)."""
        done = n % HF_TOTAL_STEPS
        el = int(done * rate[0])
        rem = int((HF_TOTAL_STEPS - done) * rate[0])
        return _HF_BAR_FORMATS[el >= 3600][rem >= 3600] % (
            (done * 100 // HF_TOTAL_STEPS, _TQDM_BARS[done * 80 // HF_TOTAL_STEPS], done)
            + (divmod(el, 60) if el < 3600 else (el // 3600, el // 60 % 60, el % 60))
            + (divmod(rem, 60) if rem < 3600 else (rem // 3600, rem // 60 % 60, rem % 60))
            + (rate[1][(h >> 12) % 9],))


# -- Keras (TensorFlow 2) ---------------------------------------------------------------

KERAS_EPOCH_LINES = 30
KERAS_STEPS = 469  # MNIST: 60000 / 128
KERAS_EPOCHS = 100


def _keras_bar(current: int) -> str:
    """Keras' Progbar: ``120/469 [=======>......................]``."""
    width = 30 * current // KERAS_STEPS
    if width:
        bar = "=" * (width - 1) + (">" if current < KERAS_STEPS else "=")
    else:
        bar = ""
    return "%3d/%d [%s]" % (current, KERAS_STEPS, bar + "." * (30 - width))


# The bar of each line of an epoch (line 0 is the banner, the last one the epoch's end).
_KERAS_BARS = tuple(_keras_bar(max(1, o * KERAS_STEPS // (KERAS_EPOCH_LINES - 1)))
                    for o in range(KERAS_EPOCH_LINES))


def _eta(s: int) -> str:
    if s > 3600:
        return "%d:%02d:%02d" % (s // 3600, (s % 3600) // 60, s % 60)
    if s > 60:
        return "%d:%02d" % (s // 60, s % 60)
    return "%ds" % s


class KerasLogText(_StyledLogText):
    """A Keras ``model.fit`` of MNIST's convnet, verbose=1 to a file: an ``Epoch N/100``
    banner, progress lines (running means of the epoch), then the epoch's line with
    the validation metrics and the learning rate of ReduceLROnPlateau."""

    style = "keras"
    EPOCH_LINES = KERAS_EPOCH_LINES
    CRASH_AT = 10
    CRASH = (1, 8)
    BOOT_FILE = "mnist_convnet.py"
    COMMAND = "python mnist_convnet.py --epochs %d --batch_size 128" % KERAS_EPOCHS
    WARNINGS = (
        "%(ts2)s: W tensorflow/core/framework/cpu_allocator_impl.cc:82] Allocation of %(big)d exceeds 10%% of "
        "free system memory.",
        "WARNING:tensorflow:Callback method `on_train_batch_end` is slow compared to the batch time "
        "(batch time: 0.00%(n)ds vs `on_train_batch_end` time: 0.0%(n)ds). Check your callbacks.",
        "%(ts)s WARNING 显存使用率偏高 (%(n)d%%), 建议减小 batch_size",
        "/usr/local/lib/python3.7/site-packages/keras/engine/training.py:2%(n)d: UserWarning: "
        "`Model.state_updates` will be removed in a future version.",
        "%(ts2)s: I tensorflow/stream_executor/cuda/cuda_dnn.cc:369] Loaded cuDNN version 8%(n)d0",
    )
    TRACEBACK = (
        "Traceback (most recent call last):",
        '  File "/home/ma-user/modelarts/user-job-dir/code/mnist_convnet.py", line 71, in on_train_batch_end',
        "    self._upload(batch, logs)",
        '  File "/home/ma-user/modelarts/user-job-dir/code/mnist_convnet.py", line 58, in _upload',
        "    mox.file.append(self.path, json.dumps(logs))",
        '  File "/usr/local/lib/python3.7/site-packages/moxing/framework/file/file_io.py", line 512, in append',
        "    raise OSError(err)",
    )
    ERRORS = (
        "OSError: [Errno 5] 上传到 OBS 失败: Connection reset by peer",
        "tensorflow.python.framework.errors_impl.ResourceExhaustedError: OOM when allocating tensor "
        "with shape[128,32,26,26]",
        "TypeError: Object of type float32 is not JSON serializable",
    )

    def _ts2(self, ts: str, ms: int) -> str:
        """TensorFlow's C++ log time, with microseconds: ``2026-11-27 07:32:39.254123``."""
        return "%s.%s%03d" % (ts[:19], ts[20:], mix64(ms) % 1000)

    def _header(self) -> List[str]:
        r, w = self.rank, max(self.world, 1)
        tf = "{ts2}: I tensorflow/"
        return self._preamble([
            "PYTHON_VERSION=3.7.10",
            "TENSORFLOW_VERSION=2.6.2",
            "CUDA_VISIBLE_DEVICES=0",
            'TF_CONFIG={"cluster": {"worker": [%s]}, "task": {"type": "worker", "index": %d}}' % (
                ", ".join('"192.168.0.%d:2222"' % (10 + i) for i in range(min(w, 4))), r),
        ]) + [
            tf + "stream_executor/platform/default/dso_loader.cc:53] Successfully opened dynamic library "
            "libcudart.so.11.0",
            tf + "core/platform/cpu_feature_guard.cc:142] This TensorFlow binary is optimized with oneAPI Deep "
            "Neural Network Library (oneDNN) to use the following CPU instructions in performance-critical "
            "operations:  AVX2 AVX512F FMA",
            tf + "core/common_runtime/gpu/gpu_device.cc:1510] Created device /job:localhost/replica:0/task:0/"
            "device:GPU:0 with 30987 MB memory:  -> device: 0, name: Tesla V100-SXM2-32GB, pci bus id: "
            "0000:1a:00.0, compute capability: 7.0",
            "x_train shape: (60000, 28, 28, 1)",
            "60000 train samples",
            "10000 test samples",
            'Model: "sequential"',
            "_________________________________________________________________",
            " Layer (type)                Output Shape              Param #   ",
            "=================================================================",
            " conv2d (Conv2D)             (None, 26, 26, 32)        320       ",
            "                                                                 ",
            " max_pooling2d (MaxPooling2D  (None, 13, 13, 32)       0         ",
            " )                                                               ",
            "                                                                 ",
            " conv2d_1 (Conv2D)           (None, 11, 11, 64)        18496     ",
            "                                                                 ",
            " max_pooling2d_1 (MaxPooling  (None, 5, 5, 64)         0         ",
            " 2D)                                                             ",
            "                                                                 ",
            " flatten (Flatten)           (None, 1600)              0         ",
            "                                                                 ",
            " dropout (Dropout)           (None, 1600)              0         ",
            "                                                                 ",
            " dense (Dense)               (None, 10)                16010     ",
            "                                                                 ",
            "=================================================================",
            "Total params: 34,826",
            "Trainable params: 34,826",
            "Non-trainable params: 0",
            "_________________________________________________________________",
            tf + "compiler/mlir/mlir_graph_optimization_pass.cc:185] None of the MLIR Optimization Passes are "
            "enabled (registered 2)",
        ]

    @staticmethod
    def _footer(failed: bool) -> List[str]:
        if failed:
            return [
                "{ts} ERROR Training aborted: loss is NaN — 训练失败 ❌",
                "[ModelArts Service Log]Training end with return code: 1",
                "[ModelArts Service Log]Training failed.",
            ]
        return [
            "{ts} INFO Saving the model to /cache/output/saved_model ... done — 训练完成 ✅",
            "{ts} INFO Uploading outputs to obs://bucket/output/ ... done",
            "[ModelArts Service Log]Training completed.",
        ]

    def _epoch(self, e: int):
        slot = self._epoch_slot
        if slot[0] == e:
            return slot
        he = mix64(self.key ^ (e * 0x1000003 + 0x6B72))
        # Running means over the epoch (1e-4 units): they start near the last
        # epoch's level and end lower (loss) or higher (accuracy).
        loss0 = int(10000 * (0.012 + 0.3 * math.exp(-0.05 * e)))
        loss1 = int(10000 * (0.012 + 0.3 * math.exp(-0.05 * (e + 1))))
        acc0 = int(10000 * (0.9975 - 0.1 * math.exp(-0.06 * e)))
        acc1 = int(10000 * (0.9975 - 0.1 * math.exp(-0.06 * (e + 1))))
        val_loss = (0.022 + 0.24 * math.exp(-0.06 * (e + 1))) * (0.95 + (he % 1000) / 10000.0)
        val_acc = min(0.9985, 0.9935 - 0.06 * math.exp(-0.07 * (e + 1)) + ((he >> 12) % 30) / 10000.0)
        lr = 1e-3 * 0.5 ** (e // 25)  # ReduceLROnPlateau halves it on each plateau
        ms_step = 5 + (self.key >> 4) % 20 + (he >> 24) % 3  # the epoch's speed
        end = " - %ds %dms/step - loss: %%s - accuracy: %%s - val_loss: %s - val_accuracy: %s - lr: %s" % (
            ms_step * KERAS_STEPS // 1000, ms_step, _keras_number(val_loss), _keras_number(val_acc),
            _keras_number(lr))
        slot = (e, he, he % self.CRASH[1] < self.CRASH[0], loss0, loss1 - loss0, acc0, acc1 - acc0, ms_step, end)
        self._epoch_slot = slot
        return slot

    def _body(self, j: int, ms: int) -> str:
        e, o = divmod(j, KERAS_EPOCH_LINES)
        _, he, crashes, loss0, dloss, acc0, dacc, ms_step, end = self._epoch(e)
        if o == 0:
            return "Epoch %d/%d" % (e + 1, KERAS_EPOCHS)
        if crashes and self.CRASH_AT <= o < self.CRASH_AT + 10:
            return self._traceback_line(o - self.CRASH_AT, format_ms(ms), he, e + 1)
        h = quick_hash(self.key, j)
        if e:
            loss = loss0 + dloss * o // KERAS_EPOCH_LINES + (h >> 24) % 60
            acc = min(9999, acc0 + dacc * o // KERAS_EPOCH_LINES + (h >> 34) % 20)
        else:  # the first epoch's running means fall (rise) fast from chance level
            w = math.exp(-o / 4.0)
            loss = int(loss0 + dloss + (23026 - loss0 - dloss) * w) + (h >> 24) % 60
            acc = int(acc0 + dacc - (acc0 + dacc - 1000) * w) + (h >> 34) % 20
        if o == KERAS_EPOCH_LINES - 1:
            return _KERAS_BARS[o] + end % ("%d.%04d" % divmod(loss, 10000), "%d.%04d" % divmod(acc, 10000))
        kind = h % 100
        if kind < 9:
            return self._noise(kind, h, format_ms(ms), ms)  # type: ignore[return-value]
        line = "%s - ETA: %s - loss: %d.%04d - accuracy: %d.%04d" % (
            (_KERAS_BARS[o], _eta((KERAS_STEPS - o * KERAS_STEPS // (KERAS_EPOCH_LINES - 1)) * ms_step // 1000))
            + divmod(loss, 10000) + divmod(acc, 10000))
        if (h >> 40) % 6 == 0 and o > 1:
            # On a terminal Keras redraws its bar: backspaces over the last drawing, then "\r".
            # This line holds a drawing between the last line's and its own.
            mid = ((o - 1) * KERAS_STEPS // (KERAS_EPOCH_LINES - 1) + o * KERAS_STEPS // (KERAS_EPOCH_LINES - 1)) // 2
            prev = "%s - ETA: %s - loss: %d.%04d - accuracy: %d.%04d" % (
                (_keras_bar(mid), _eta((KERAS_STEPS - mid) * ms_step // 1000))
                + divmod(loss + 7, 10000) + divmod(max(0, acc - 3), 10000))
            return prev + "\b" * len(prev) + "\r" + line
        return line


# -- MindSpore (Ascend) -----------------------------------------------------------------

MS_EPOCH_LINES = 35
MS_STEPS_PER_EPOCH = 1562  # CIFAR-10: 50000 / 32
MS_PRINT_STEPS = 50  # LossMonitor(per_print_times=50)
MS_EPOCHS = 90
MS_EVAL_BATCHES = 313  # 10000 / 32


class MindSporeLogText(_StyledLogText):
    """ModelZoo's ResNet-50 on CIFAR-10 on Ascend: LossMonitor every 50 steps,
    TimeMonitor and an evaluation (the script's tqdm bar, then its result) at each
    epoch's end, MindSpore's own warnings."""

    style = "mindspore"
    EPOCH_LINES = MS_EPOCH_LINES
    CRASH_AT = 10
    CRASH = (1, 7)
    COMMAND = ("python train.py --net_name=resnet50 --dataset=cifar10 --epoch_size=%d --run_distribute=True "
               "--device_num=8 --data_url=/cache/data/cifar10 --train_url=/cache/output" % MS_EPOCHS)
    WARNINGS = (
        "[WARNING] ME(%(pid)d:%(tid)d,MainProcess):%(ts2)s [mindspore/train/serialization.py:17%(n)d] The type of "
        "bn1.moving_mean:Float32 in 'parameter_dict' is different from the type of it in 'net':Float16, then the type "
        "convert from Float32 to Float16 in the network.",
        "[WARNING] MD(%(pid)d,fffe%(hex)s,python):%(ts2)s [mindspore/ccsrc/minddata/dataset/engine/datasetops/"
        "data_queue_op.cc:9%(n)d] DetectPerBatchTime] Bad performance attention, it takes more than 25 seconds to "
        "fetch a batch of data from dataset pipeline.",
        "%(ts)s WARNING NPU 内存使用率偏高 (%(n)d%%), 建议减小 batch_size",
        "[WARNING] DEVICE(%(pid)d,fffe%(hex)s,python):%(ts2)s [mindspore/ccsrc/plugin/device/ascend/hal/device/"
        "ascend_kernel_runtime.cc:4%(n)d] SyncStream] Sync stream time out, retrying",
        "[WARNING] ME(%(pid)d:%(tid)d,MainProcess):%(ts2)s [mindspore/train/callback/_checkpoint.py:5%(n)d] "
        "checkpoint file exists, rename it to resnet-%(n)d_1562.ckpt",
    )
    TRACEBACK = (
        "Traceback (most recent call last):",
        '  File "/home/ma-user/modelarts/user-job-dir/code/train.py", line 301, in <module>',
        "    train_net()",
        '  File "/home/ma-user/modelarts/user-job-dir/code/train.py", line 289, in train_net',
        "    model.train(config.epoch_size, dataset, callbacks=cb, dataset_sink_mode=False)",
        '  File "/usr/local/ma/python3.7/lib/python3.7/site-packages/mindspore/train/model.py", line 1066, in train',
        "    initial_epoch=initial_epoch)",
    )
    ERRORS = (
        "RuntimeError: Sync stream failed: Ascend_0",
        "ValueError: For 'Conv2D', the dimension of 'x' must be 4, but got 3.",
        "MemoryError: 设备内存不足 (Ascend 910, 32 GB)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ids = {"pid": 1000 + self.key % 30000, "tid": 281473000000000 + (self.key >> 20) % 999999,
                     "hex": "%08x" % ((self.key >> 24) & 0xFFFFFFFF)}

    def _ts2(self, ts: str, ms: int) -> str:
        """MindSpore's log time: ``2026-11-27-07:32:39.254.123``."""
        return "%s-%s.%s.%03d" % (ts[:10], ts[11:19], ts[20:], mix64(ms) % 1000)

    def _header(self) -> List[str]:
        k, r, w = self.key, self.rank, max(self.world, 1)
        me = "[WARNING] ME(%d:%d,MainProcess):{ts2} " % (1000 + k % 30000, 281473000000000 + (k >> 20) % 999999)
        return self._preamble([
            "PYTHON_VERSION=3.7.10",
            "MINDSPORE_VERSION=2.2.0",
            "ASCEND_VISIBLE_DEVICES=0,1,2,3,4,5,6,7",
            "RANK_ID=%d\tRANK_SIZE=%d\tDEVICE_ID=%d" % (r, w * 8, r % 8),
            "RANK_TABLE_FILE=/user/config/jobstart_hccl.json",
        ]) + [
            me + '[mindspore/run_check/_check_version.py:375] MindSpore version 2.2.0 and "te" wheel package version '
            "7.0 does not match. For details, refer to the installation guidelines: https://www.mindspore.cn/install",
            me + "[mindspore/run_check/_check_version.py:411] Please pay attention to the above warning, countdown: 3",
            me + "[mindspore/run_check/_check_version.py:411] Please pay attention to the above warning, countdown: 2",
            me + "[mindspore/run_check/_check_version.py:411] Please pay attention to the above warning, countdown: 1",
            "{ts} INFO Loading dataset from /cache/data/cifar10 ... 50,000 images, 10 classes",
            "{ts} INFO Model: ResNet-50, 23.5M parameters; optimizer Momentum(learning_rate=0.1, momentum=0.9)",
            me + "[mindspore/train/model.py:1077] For LossMonitor callback, {'step_end', 'epoch_end'} methods may "
            "not be supported in later version, Use methods prefixed with 'on_train' or 'on_eval' instead when "
            "using customized callbacks.",
        ]

    @staticmethod
    def _footer(failed: bool) -> List[str]:
        if failed:
            return [
                "{ts} ERROR Training aborted: loss is NaN — 训练失败 ❌",
                "[ModelArts Service Log]Training end with return code: 1",
                "[ModelArts Service Log]Training failed.",
            ]
        return [
            "{ts} INFO train success — 训练完成 ✅",
            "{ts} INFO Uploading outputs to obs://bucket/output/ ... done",
            "[ModelArts Service Log]Training completed.",
        ]

    def _noise(self, kind: int, h: int, ts: str, ms: int) -> Optional[str]:
        if kind < 5:
            values: Dict[str, object] = dict(self._ids)
            values["ts"] = ts
            values["ts2"] = self._ts2(ts, ms)
            return _fill(self.WARNINGS, h, values)
        return super()._noise(kind, h, ts, ms)

    def _epoch(self, e: int):
        slot = self._epoch_slot
        if slot[0] == e:
            return slot
        he = mix64(self.key ^ (e * 0x1000003 + 0x4D53))
        # The loss of single steps (1e-8 units), hence noisy; cosine learning rate.
        loss0 = int(1e8 * (0.06 + 2.2 * math.exp(-0.07 * e)))
        loss1 = int(1e8 * (0.06 + 2.2 * math.exp(-0.07 * (e + 1))))
        x = e + 1
        acc = min(9990, int(10000 * (0.935 - 0.62 * math.exp(-0.09 * x))) + (he >> 16) % 41 - 20)
        eval_loss = int(10000 * (0.2 + 1.9 * math.exp(-0.08 * x))) + (he >> 28) % 80
        step_ms = 25000 + (self.key >> 8) % 9000 + (he >> 40) % 2000  # per step time, 1e-3 ms
        epoch_ms = step_ms * MS_STEPS_PER_EPOCH + (he >> 8) % 99999
        eval_s = 9 + (he >> 48) % 6
        draws = ["eval: %3d%%|%s| %d/%d [00:%02d<00:%02d, %.2fit/s]" % (
            n * 100 // MS_EVAL_BATCHES, _TQDM_BARS[n * 80 // MS_EVAL_BATCHES], n, MS_EVAL_BATCHES,
            eval_s * n // MS_EVAL_BATCHES, eval_s - eval_s * n // MS_EVAL_BATCHES, MS_EVAL_BATCHES / eval_s)
            for n in (MS_EVAL_BATCHES // 3, 2 * MS_EVAL_BATCHES // 3, MS_EVAL_BATCHES)[2 - (he >> 52) % 3:]]
        ends = ("epoch time: %d.%03d ms, per step time: %d.%03d ms" % (divmod(epoch_ms, 1000) + divmod(step_ms, 1000)),
                "\r".join(draws) + ("\r" if (he >> 56) % 3 == 0 else ""),
                "Eval result: epoch %d, acc: 0.%04d, eval_loss: %d.%04d" % ((x, acc) + divmod(eval_loss, 10000)))
        slot = (e, he, he % self.CRASH[1] < self.CRASH[0], loss0, loss1 - loss0, ends)
        self._epoch_slot = slot
        return slot

    def _body(self, j: int, ms: int) -> str:
        e, o = divmod(j, MS_EPOCH_LINES)
        _, he, crashes, loss0, dloss, ends = self._epoch(e)
        if o >= MS_EPOCH_LINES - 4:
            if o == MS_EPOCH_LINES - 1:
                return "%s INFO Saving checkpoint to /cache/output/resnet-%d_%d.ckpt" % (
                    format_ms(ms), e + 1, MS_STEPS_PER_EPOCH)
            return ends[o - (MS_EPOCH_LINES - 4)]
        if crashes and self.CRASH_AT <= o < self.CRASH_AT + 10:
            return self._traceback_line(o - self.CRASH_AT, format_ms(ms), he, e + 1)
        h = quick_hash(self.key, j)
        kind = h % 100
        if kind < 9:
            return self._noise(kind, h, format_ms(ms), ms)  # type: ignore[return-value]
        step = (o + 1) * MS_PRINT_STEPS
        loss = (loss0 + dloss * step // MS_STEPS_PER_EPOCH) * (800 + (h >> 24) % 401) // 1000
        if loss < 100000000:
            return "epoch: %d step: %d, loss is 0.%08d" % (e + 1, step, loss)
        return "epoch: %d step: %d, loss is %d.%07d" % (e + 1, step, loss // 100000000, loss % 100000000 // 10)


STYLES: Dict[str, Type[LogText]] = {
    "pytorch": LogText,
    "huggingface": HuggingFaceLogText,
    "keras": KerasLogText,
    "mindspore": MindSporeLogText,
}


def style_class(style: str) -> Type[LogText]:
    """The LogText class of a style name (ValueError for an unknown one)."""
    try:
        return STYLES[style]
    except (KeyError, TypeError):
        raise ValueError("unknown log style %r (known: %s)" % (style, ", ".join(STYLES))) from None
