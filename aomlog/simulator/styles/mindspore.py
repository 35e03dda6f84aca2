"""The MindSpore style: a ModelZoo script on Ascend.

``epoch: 3 step: 150, loss is 0.41234567`` (LossMonitor), ``epoch time: ... ms,
per step time: ... ms`` (TimeMonitor) and ``Eval result: epoch 3, acc: 0.8811,
eval_loss: 0.3012`` after each epoch.
"""

from __future__ import annotations

import math
from typing import Dict, List

from ..hashes import mix64, quick_hash
from .base import UPLOADED, format_ms
from .styled import TQDM_BARS, StyledLogText

MS_EPOCH_LINES = 35
MS_STEPS_PER_EPOCH = 1562  # CIFAR-10: 50000 / 32
MS_PRINT_STEPS = 50  # LossMonitor(per_print_times=50)
MS_EPOCHS = 90
MS_EVAL_BATCHES = 313  # 10000 / 32


def _process_ids(key: int) -> Dict[str, object]:
    """The process and thread ids in MindSpore's warnings (``hex``: the thread id of its MD and DEVICE lines)."""
    return {"pid": 1000 + key % 30000, "tid": 281473000000000 + (key >> 20) % 999999,
            "hex": "%08x" % ((key >> 24) & 0xFFFFFFFF)}


class MindSporeLogText(StyledLogText):
    """ModelZoo's ResNet-50 on CIFAR-10 on Ascend: LossMonitor every 50 steps,
    TimeMonitor and an evaluation (the script's tqdm bar, then its result) at each
    epoch's end, MindSpore's own warnings."""

    style = "mindspore"
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
    FINISHED = ("{ts} INFO train success — 训练完成 ✅", UPLOADED)
    EPOCH_SALT = 0x4D53

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ids = _process_ids(self.key)

    def _warning_values(self, ts: str, ms: int, h: int, n: int) -> Dict[str, object]:
        return {"ts": ts, "ts2": self._ts2(ts, ms), "n": n, **self._ids}

    def _ts2(self, ts: str, ms: int) -> str:
        """MindSpore's log time: ``2026-11-27-07:32:39.254.123``."""
        return "%s-%s.%s.%03d" % (ts[:10], ts[11:19], ts[20:], mix64(ms) % 1000)

    def _header(self) -> List[str]:
        k, r, w = self.key, self.rank, max(self.world, 1)
        me = "[WARNING] ME(%(pid)d:%(tid)d,MainProcess):{ts2} " % _process_ids(k)
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

    def _epoch_values(self, e: int, he: int) -> tuple:
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
            n * 100 // MS_EVAL_BATCHES, TQDM_BARS[n * 80 // MS_EVAL_BATCHES], n, MS_EVAL_BATCHES,
            eval_s * n // MS_EVAL_BATCHES, eval_s - eval_s * n // MS_EVAL_BATCHES, MS_EVAL_BATCHES / eval_s)
            for n in (MS_EVAL_BATCHES // 3, 2 * MS_EVAL_BATCHES // 3, MS_EVAL_BATCHES)[2 - (he >> 52) % 3:]]
        ends = ("epoch time: %d.%03d ms, per step time: %d.%03d ms" % (divmod(epoch_ms, 1000) + divmod(step_ms, 1000)),
                "\r".join(draws) + ("\r" if (he >> 56) % 3 == 0 else ""),
                "Eval result: epoch %d, acc: 0.%04d, eval_loss: %d.%04d" % ((x, acc) + divmod(eval_loss, 10000)))
        return (he, he % self.CRASH[1] < self.CRASH[0], loss0, loss1 - loss0, ends)

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
            return self._noise(kind, h, format_ms(ms), ms)
        step = (o + 1) * MS_PRINT_STEPS
        loss = (loss0 + dloss * step // MS_STEPS_PER_EPOCH) * (800 + (h >> 24) % 401) // 1000
        if loss < 100000000:
            return "epoch: %d step: %d, loss is 0.%08d" % (e + 1, step, loss)
        return "epoch: %d step: %d, loss is %d.%07d" % (e + 1, step, loss // 100000000, loss % 100000000 // 10)
