"""The Hugging Face style: a Trainer's log.

The ``***** Running training *****`` header, one tqdm bar over all steps, a dict
``{'loss': ..., 'grad_norm': ..., 'learning_rate': ..., 'epoch': 1.2}`` every 50
steps and ``{'eval_loss': ..., 'eval_accuracy': ..., 'epoch': 2.0}`` after each
epoch.
"""

from __future__ import annotations

import math
from typing import List

from ..hashes import quick_hash
from .base import format_ms
from .styled import TQDM_BARS, StyledLogText

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


class HuggingFaceLogText(StyledLogText):
    """A Hugging Face Trainer fine-tuning BERT (run_glue.py): 100 lines an epoch of
    500 steps, a loss dict every 50 steps, evaluation and a checkpoint each epoch;
    linear learning-rate decay over 30 epochs (then again: a long log restarts the schedule)."""

    style = "huggingface"
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
    ABORTED = "{ts2} - ERROR - __main__ - Training aborted: loss is NaN — 训练失败 ❌"
    FINISHED = ("[INFO|trainer.py:2383] {ts} >> Training completed. Do not forget to share your model on "
                "huggingface.co/models =)",
                "[INFO|trainer.py:3410] {ts} >> Saving model checkpoint to /cache/output — 训练完成 ✅")
    EPOCH_SALT = 0x4F6E

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

    def _epoch_values(self, e: int, he: int) -> tuple:
        # Training loss (1e-4 units) at the epoch's start and its change over it.
        loss0 = int(10000 * (0.03 + 0.66 * math.exp(-0.15 * e)))
        loss1 = int(10000 * (0.03 + 0.66 * math.exp(-0.15 * (e + 1))))
        # Evaluation: the loss falls, then creeps up (over-fitting); accuracy plateaus.
        x = e + 1
        eval_loss = 0.21 + 0.48 * math.exp(-0.3 * x) + 0.0025 * x + (he % 1000003) * 2e-8
        correct = int(HF_EVAL_EXAMPLES * (0.925 - 0.42 * math.exp(-0.4 * x))) + (he >> 20) % 9 - 4
        runtime = 11.5 + ((he >> 32) % 20000) / 10000.0
        return (he, he % self.CRASH[1] < self.CRASH[0], loss0, loss1 - loss0, repr(eval_loss),
                repr(correct / HF_EVAL_EXAMPLES), repr(round(runtime, 4)), repr(round(HF_EVAL_EXAMPLES / runtime, 3)),
                repr(round(HF_EVAL_BATCHES / runtime, 3)))

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
            return self._noise(kind, h, format_ms(ms), ms)
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
            (done * 100 // HF_TOTAL_STEPS, TQDM_BARS[done * 80 // HF_TOTAL_STEPS], done)
            + (divmod(el, 60) if el < 3600 else (el // 3600, el // 60 % 60, el % 60))
            + (divmod(rem, 60) if rem < 3600 else (rem // 3600, rem // 60 % 60, rem % 60))
            + (rate[1][(h >> 12) % 9],))
