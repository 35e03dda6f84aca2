"""Deterministic, realistic-looking training-log text.

Line ``i`` of a file is a pure function of (seed, file name, i, the line's
timestamp in ms, the file's total length if known): no per-line state is kept,
so a million-line log costs no memory and any page can be generated in O(page).

The content is deliberately hostile to naive clients: ``\\r`` redraws (some
lines even end in ``\\r``), tabs, ANSI escapes, literal ``[bold]`` and
``:smile:`` text, Chinese, emoji, U+2028, a form feed, blank lines and
multi-line tracebacks. Never a ``\\n`` inside a line.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import List, Optional

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
    """

    def __init__(self, seed: int, file_name: str, rank: int = 0, world: int = 1,
                 total: Optional[int] = None, failed: bool = False):
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
