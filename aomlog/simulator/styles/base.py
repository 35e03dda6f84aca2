"""Deterministic, realistic-looking training-log text.

Line ``i`` of a file is a pure function of (seed, file name, i, the line's
timestamp in ms, the file's total length if known): no per-line state is kept,
so a million-line log costs no memory and any page can be generated in O(page).

The content is deliberately hostile to naive clients: ``\\r`` redraws (some
lines even end in ``\\r``), tabs, ANSI escapes, literal ``[bold]`` and
``:smile:`` text, Chinese, emoji, U+2028, a form feed, blank lines and
multi-line tracebacks. Never a ``\\n`` inside a line.

A log has a *style*, the framework whose output it imitates
(``log_text(..., style="keras")`` in registry.py, chosen per job by
``Job(..., style=...)``): ``"pytorch"``, the default and this module's (a plain
script: ``[train] epoch 38 step 120/440 loss=0.1234 acc=0.5678 lr=...``,
``[eval] epoch 38 val_loss=... val_acc=...`` and tqdm bars), ``"huggingface"``
(huggingface.py), ``"keras"`` (keras.py) and ``"mindspore"`` (mindspore.py).
This module is the one every style imports: LogText, format_ms and UPLOADED.

Every style has its start-up header, its footer, warnings, odd lines and the
occasional traceback at about the same rates. Its curves are functions of the
epoch (losses fall with noise, accuracies rise to a plateau, the learning rate
follows a schedule), so a growing job's log stays one consistent run.
"""

from __future__ import annotations

import math
import time
from typing import Dict, List, Optional, Tuple, Union

from ..hashes import mix64, quick_hash, stable_key

# A training "epoch" is this many log lines after the start-up header.
EPOCH_LINES = 48
STEPS_PER_EPOCH = 440


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


# The odd lines, the terminal-safety stress of every style: %-templates taking
# (ts, a number).
_ODDITIES = (
    "%s INFO [bold]checkpoint[/bold] saved :smile: [red]not markup[/red] (%d)",
    "%s INFO GPU 温度正常 🔥 %d°C — 一切顺利 ✅",
    "\x1b[32m%s INFO\x1b[0m \x1b[1mcolourised by the job itself\x1b[0m step=%d",
    "%s INFO metrics:\tloss_scale=%d\tgrad_norm=nan\tcomment=\u201ctabs\u201d",
    "%s DEBUG unicode zoo: \u2028line-separator \x0cform-feed \u00a0nbsp \u200dzwj 👩\u200d💻 שלום [%d]",
    "%s INFO :rocket: emoji shortcode and [link=http://x]markup[/link] stay literal #%d",
)

# The last line but one of a job that finished well, in most styles.
UPLOADED = "{ts} INFO Uploading outputs to obs://bucket/output/ ... done"


class LogText:
    """The text of one log file, in the PyTorch style; the other styles subclass it.

    ``rank``/``world`` make workers of a distributed job differ; ``total`` (if
    known) gives the file a closing footer; ``failed`` picks a failing footer.
    ``style``, if given, must be the class's own (registry.log_text picks the
    class of a style name: ``log_text(..., style="keras")`` is a ``KerasLogText``).

    A style is its header (``_header``), its body (``_body``: a pure function of
    the line's index in the body) and the class attributes below, which the
    shared pieces (preamble, footer, noise, tracebacks, the epoch cache) read.
    """

    style = "pytorch"
    # The ModelArts preamble's script and command line.
    BOOT_FILE = "train.py"
    COMMAND = "python train.py --epochs 100 --lr 0.001 --batch_size 32"
    # Warnings: %-templates of the values _warning_values gives (n: 10-99).
    WARNINGS: Tuple[str, ...] = (
        "%s WARNING torch.distributed: NCCL watchdog timeout approaching, collective took %ds",
        "%s WARNING DataLoader worker %d is slow; consider increasing num_workers",
        "%s WARNING Gradient overflow detected, reducing loss scale to %d",
        "%s WARNING 显存使用率偏高 (%d%%), 建议减小 batch_size",
        "%s WARNING /usr/local/lib/python3.9/site-packages/torch/optim/lr_scheduler.py:%d: UserWarning: "
        "Detected call of `lr_scheduler.step()` before `optimizer.step()`.",
    )
    # The numbers the odd lines carry: 0-99 here, as before the other styles
    # existed (so this style's text is unchanged); 10-99 in the others.
    ODD_NUMBERS = range(100)
    # A caught exception takes 10 lines (see _traceback_line): TRACEBACK, then one of ERRORS.
    TRACEBACK: Tuple[str, ...] = (
        "Traceback (most recent call last):",
        '  File "/home/ma-user/modelarts/user-job-dir/code/train.py", line 212, in <module>',
        "    main()",
        '  File "/home/ma-user/modelarts/user-job-dir/code/train.py", line 187, in main',
        "    loss = criterion(outputs, targets)",
        '  File "/usr/local/lib/python3.9/site-packages/torch/nn/modules/module.py", line 1130, in _call_impl',
        "    return forward_call(*input, **kwargs)",
    )
    ERRORS: Tuple[str, ...] = (
        "ValueError: Expected input batch_size (32) to match target batch_size (31).",
        "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 31.75 GiB total capacity)",
        "KeyError: 'label' — 样本缺少标签",
    )
    # The script's last words (templates) before ModelArts' own.
    ABORTED = "{ts} ERROR Training aborted: loss is NaN — 训练失败 ❌"
    FINISHED: Tuple[str, ...] = ("{ts} INFO Training finished, best val_acc=0.7612 — 训练完成 ✅", UPLOADED)
    # Mixed into the key to make each epoch's hash (a style's curves are its own).
    EPOCH_SALT = 0xE90C

    def __init__(self, seed: int, file_name: str, rank: int = 0, world: int = 1,
                 total: Optional[int] = None, failed: bool = False, style: Optional[str] = None,
                 pace: float = 1.0):
        if style is not None and style != self.style:
            raise ValueError("a %s cannot have style %r" % (type(self).__name__, style))
        self.key = stable_key("log", seed, file_name)
        self.file_name = file_name
        self.rank = rank
        self.world = world
        self.total = total
        self.pace = pace  # how fast the curves move per epoch (PyTorch style): runs side by side differ
        self.header = self._header()
        self.footer = self._footer(failed)
        self._epoch_slot: tuple = (-1,)

    # -- fixed parts -------------------------------------------------------
    # Templates: "{ts}" is the line's timestamp ("{ts2}" another form in other styles: styled.py).

    def _preamble(self, env: List[str]) -> List[str]:
        """What ModelArts prints before the script starts, with the script's environment."""
        return [
            "{ts} INFO ============================================================",
            "{ts} INFO ModelArts training job starting — 训练开始 🚀",
            "[ModelArts Service Log]user: uid=1000(ma-user) gid=100(ma-group) groups=100(ma-group)",
            "[ModelArts Service Log]pwd: /home/ma-user",
            "[ModelArts Service Log]app_url: s3://bucket-%04d/code/" % (self.key % 10000),
            "[ModelArts Service Log]boot_file: /home/ma-user/modelarts/user-job-dir/code/%s" % self.BOOT_FILE,
            "[ModelArts Service Log]log_url: /tmp/log/%s" % self.file_name,
            "[ModelArts Service Log]command: %s" % self.COMMAND,
            "{ts} INFO Environment:",
            "",
        ] + ["\t" + e for e in env] + ["   "]

    def _header(self) -> List[str]:
        k, r, w = self.key, self.rank, self.world
        pid = 100 + k % 900
        host = "job-%x-worker-%d" % (k % 0xFFFFFF, r)
        nccl = "%s:%d:%d [%d] NCCL INFO " % (host, pid, pid + 7, r % 8)
        return self._preamble([
            "PYTHON_VERSION=3.9.11",
            "PYTORCH_VERSION=1.11.0+cu113",
            "CUDA_VISIBLE_DEVICES=0,1,2,3,4,5,6,7",
            "RANK=%d\tWORLD_SIZE=%d\tLOCAL_RANK=%d" % (r, w, r % 8),
            "MASTER_ADDR=192.168.0.10\tMASTER_PORT=29500",
            "NCCL_DEBUG=INFO",
        ]) + [
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

    def _footer(self, failed: bool) -> List[str]:
        if failed:
            return [self.ABORTED, "[ModelArts Service Log]Training end with return code: 1",
                    "[ModelArts Service Log]Training failed."]
        return list(self.FINISHED) + ["[ModelArts Service Log]Training completed."]

    # -- the line function -------------------------------------------------

    def line(self, i: int, ms: int) -> str:
        total = self.total
        if total is not None and i >= total - len(self.footer) and i >= 0:
            return self._fixed(self.footer[i - (total - len(self.footer))], ms)
        if i < len(self.header):
            return self._fixed(self.header[i], ms)
        return self._body(i - len(self.header), ms)

    def _fixed(self, template: str, ms: int) -> str:
        return template.replace("{ts}", format_ms(ms)) if "{ts}" in template else template

    # -- what every style's body has ---------------------------------------

    def _epoch(self, e: int) -> tuple:
        """(e,) + _epoch_values(e, the epoch's hash), cached in one slot: a page mostly stays in one epoch."""
        slot = self._epoch_slot
        if slot[0] == e:
            return slot
        slot = (e,) + self._epoch_values(e, mix64(self.key ^ (e * 0x1000003 + self.EPOCH_SALT)))
        self._epoch_slot = slot
        return slot

    def _noise(self, kind: int, h: int, ts: str, ms: int) -> str:
        """A warning (kind 0-4) or an odd line (kind 5-8): each style draws them at the same rates."""
        if kind < 5:
            warnings = self.WARNINGS
            return warnings[(h >> 8) % len(warnings)] % self._warning_values(ts, ms, h, 10 + (h >> 16) % 90)
        numbers = self.ODD_NUMBERS
        return _ODDITIES[(h >> 8) % len(_ODDITIES)] % (ts, numbers[(h >> 16) % len(numbers)])

    def _warning_values(self, ts: str, ms: int, h: int, n: int) -> Union[Tuple[object, ...], Dict[str, object]]:
        """What this style's WARNINGS take. Here (ts, n) for positional templates, the
        cheapest to fill; the other styles' warnings name more values, in a dict."""
        return (ts, n)

    def _traceback_line(self, k: int, ts: str, he: int, ep: int) -> str:
        """Line k (0-9) of a caught exception in epoch ``ep`` (``he``: the epoch's hash)."""
        if k == 0:
            return "%s ERROR Exception in training step (epoch %d), skipping batch:" % (ts, ep)
        lines = self.TRACEBACK
        if k <= len(lines):
            return lines[k - 1]
        if k == len(lines) + 1:
            return self.ERRORS[(he >> 8) % len(self.ERRORS)]
        return "%s WARNING Recovered from error, resuming training" % ts

    # -- the PyTorch style's body ------------------------------------------

    def _epoch_values(self, e: int, he: int) -> tuple:
        """What this style's lines need of epoch ``e`` (``he``: its hash), beginning with he and whether it crashes."""
        # Loss and accuracy in units of 1e-4, interpolated linearly inside the epoch.
        # (pace 1.0 leaves each value exactly as it was before there was a pace)
        x0, x1 = e * self.pace, (e + 1) * self.pace
        loss0 = int(10000 * (0.05 + 2.25 * math.exp(-0.08 * x0)))
        loss1 = int(10000 * (0.05 + 2.25 * math.exp(-0.08 * x1)))
        acc0 = int(10000 * (0.1 + 0.7 * (1.0 - math.exp(-0.1 * x0))))
        acc1 = int(10000 * (0.1 + 0.7 * (1.0 - math.exp(-0.1 * x1))))
        lr = "%.3e" % (0.0005 * (1.0 + math.cos(math.pi * (e % 100) / 100.0)))
        return (he, he % 5 == 1, loss0, loss1 - loss0, acc0, acc1 - acc0, lr)

    def _body(self, j: int, ms: int) -> str:
        e, o = divmod(j, EPOCH_LINES)
        ep = e + 1
        ts = format_ms(ms)
        _, he, crashes, loss0, dloss, acc0, dacc, lr = self._epoch(e)
        if crashes and 20 <= o <= 29:
            return self._traceback_line(o - 20, ts, he, ep)
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
        if kind < 17:
            return self._noise(kind - 8, h, ts, ms)
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

